"""« Réception… » of a piece sent by post, with the postmark (« Date du cachet de la poste »): optional,
typed jj/mm/aaaa, never in the future nor after the reception date; a refusal stays under the field and
nothing is recorded."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QLineEdit, QPushButton

from cyclades_desktop.rules import pieces as regles
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.ui.inscriptions.justificatifs_dialogues import DialogueReception

from . import test_justificatifs_ui
from .helpers import boites_ouvertes, par_nom
from .test_justificatifs_ui import bouton, inscrire, jdc_par_courrier, ouvertes, texte

ouvrir = test_justificatifs_ui.ouvrir     # the fixture that opens « Mes justificatifs » of an account

FUTUR = "La date du cachet de la poste ne peut pas être dans le futur."
APRES_RECEPTION = "La date du cachet de la poste ne peut pas être postérieure à la date de réception."


def _jdc(ctx, candidature_id: int):  # type: ignore[no-untyped-def]
    return next(p for g in justificatifs.mes_justificatifs(ctx, candidature_id) for p in g.pieces if p.code == "JDC")


@pytest.mark.parametrize(("saisie", "message"), [
    ("31/02/2024", regles.FORMAT_DATE),
    ("2024-11-07", regles.FORMAT_DATE),
    ("09/11/2024", APRES_RECEPTION),
    ("11/11/2024", FUTUR),
])
def test_un_cachet_errone_reste_sous_son_champ_et_rien_n_est_enregistre(qtbot, ouvrir, accueil, chef, saisie,
                                                                         message):
    jdc_par_courrier(chef)
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    qtbot.mouseClick(bouton(d, "Réception JDC"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(DialogueReception)))
    form = ouvertes(DialogueReception)[0]
    par_nom(form, "Date de réception", QDateEdit).setDate(QDate(2024, 11, 8))
    cachet = par_nom(form, "Date du cachet de la poste", QLineEdit)
    qtbot.keyClicks(cachet, saisie)
    qtbot.mouseClick(par_nom(form, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    erreur = par_nom(form, "Erreur : Date du cachet de la poste", QLabel)
    assert erreur.isVisible() and erreur.text() == message
    assert form.isVisible() and boites_ouvertes() == []
    jdc = _jdc(accueil, cid)
    assert (jdc.statut, jdc.date_reception, jdc.date_cachet) == (regles.EN_ATTENTE_CONTROLE, None, None)


def test_le_cachet_est_enregistre_a_cote_de_la_reception(qtbot, ouvrir, accueil, chef):
    jdc_par_courrier(chef)
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    qtbot.mouseClick(bouton(d, "Réception JDC"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(DialogueReception)))
    form = ouvertes(DialogueReception)[0]
    cachet = par_nom(form, "Date du cachet de la poste", QLineEdit)
    assert cachet.accessibleName() == "Date du cachet de la poste"
    assert (cachet.text(), cachet.placeholderText()) == ("", "jj/mm/aaaa")      # optional: empty by default
    par_nom(form, "Date de réception", QDateEdit).setDate(QDate(2024, 11, 8))
    qtbot.keyClicks(cachet, "06/11/2024")
    qtbot.mouseClick(par_nom(form, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert texte(d, "Statut JDC") == ("Statut : Reçue      Date de réception 08/11/2024      "
                                      "Cachet de la poste 06/11/2024")
    jdc = _jdc(accueil, cid)
    assert (jdc.statut, jdc.date_reception, jdc.date_cachet) == (regles.RECUE, date(2024, 11, 8), date(2024, 11, 6))
