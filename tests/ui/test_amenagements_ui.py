"""« Aménagements… » on the candidature's card (docs/domaine/organisation.md#amenagements): the
gestionnaire records the decision through the dialog (found by accessible names), previews and
publishes the notification; a decision changed meanwhile on another workstation is refused; the
counter does not see the button.

Set CYCLADES_CAPTURES to a folder to save the dialog as PNG (docs/amenagements-decision.png)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules.organisation import SaisieDecision
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.organisation import amenagements
from cyclades_desktop.services.publications import documents as publications
from cyclades_desktop.ui.amenagements import DialogueAmenagements
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from tests.fabriques import compte_actif, saisie_individuel, session_id

from .helpers import boites_ouvertes, par_nom, taper

CAPTURES = os.environ.get("CYCLADES_CAPTURES")


def ouvertes(classe: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets()
            if shiboken6.isValid(w) and w.isVisible() and isinstance(w, classe)]


@pytest.fixture
def fiche(qtbot, db_url: str, clock: FixedClock) -> Iterator[Callable[[str, int], object]]:
    fenetres = []

    def ouvrir(login: str, compte_id: int) -> object:
        w = create_main_window(db_url, clock=clock, user=login)
        qtbot.addWidget(w)
        w.show()
        fenetres.append(w)
        return w.aller_a("candidats").ouvrir(compte_id)

    yield ouvrir
    for w in QApplication.topLevelWidgets():
        if shiboken6.isValid(w) and w.isVisible():
            w.close()
    for w in fenetres:
        w.ctx.db.dispose()


def inscrire(ctx: Contexte) -> tuple[int, int]:
    compte = compte_actif(ctx)
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    return compte, inscriptions.enregistrer(ctx, d, saisie_individuel(handicap=True)).candidature_id


def ouvrir_dialogue(qtbot, fiche_) -> DialogueAmenagements:  # noqa: ANN001
    bouton = par_nom(fiche_, "Aménagements… 001", QPushButton)
    assert bouton.isVisible()
    qtbot.mouseClick(bouton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(DialogueAmenagements)))
    d = ouvertes(DialogueAmenagements)[0]
    assert not d.isModal()
    return d


def test_decision_saisie_au_clavier_et_publiee(qtbot, fiche, gestionnaire):
    compte, cid = inscrire(gestionnaire)
    d = ouvrir_dialogue(qtbot, fiche("gestion", compte))
    assert par_nom(d, "Dernière décision", QLabel).text() == "Aucune décision enregistrée pour cette candidature."
    assert not par_nom(d, "Handicap non déclaré", QLabel).isVisible()      # declared on the candidature
    decision = par_nom(d, "Décision", QComboBox)
    assert decision.currentText() == "En attente de décision"
    tiers = par_nom(d, "Majoration d'un tiers du temps", QCheckBox)
    assert not tiers.isEnabled()                                # nothing is granted while pending

    decision.setFocus()
    qtbot.keyClicks(decision, "Accord")                         # keyboard search in the list
    assert decision.currentText() == "Accordé"
    assert tiers.isEnabled()
    tiers.setFocus()
    qtbot.keyClick(tiers, Qt.Key.Key_Space)
    assert par_nom(d, "Majoration du temps (%)", QSpinBox).value() == 33
    qtbot.keyClick(par_nom(d, "Installation dans une salle à part", QCheckBox), Qt.Key.Key_Space)
    taper(qtbot, par_nom(d, "Autres mesures (une par ligne)", QPlainTextEdit), "Pause de 10 minutes par heure")
    if CAPTURES:
        d.resize(760, 700)
        for _ in range(3):
            QApplication.processEvents()
        d.grab().save(str(Path(CAPTURES) / "amenagements-decision.png"))

    # Preview, then Alt+E saves and publishes.
    qtbot.mouseClick(par_nom(d, "Aperçu de la notification", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(ApercuPdf)))
    apercu = ouvertes(ApercuPdf)[0]
    assert apercu.windowTitle() == "Notification de mesures d'aménagements" and apercu.nombre_pages() == 1
    apercu.close()
    assert amenagements.lire(gestionnaire, cid).row_version == 0          # the preview wrote nothing

    qtbot.mouseClick(par_nom(d, "Enregistrer et publier la notification", QPushButton), Qt.MouseButton.LeftButton)
    message = par_nom(d, "Message", QLabel)
    qtbot.waitUntil(lambda: "Décision enregistrée" in message.text())
    assert "notification version 1 publiée dans « Mes documents »" in message.text()
    assert par_nom(d, "Dernière décision", QLabel).text().startswith(
        "Dernière décision : Accordé le 10/11/2024 11:00 (heure de Paris) par Test GESTION")
    vue = amenagements.lire(gestionnaire, cid)
    assert vue.statut == "accorde" and vue.majoration_temps == 33
    assert vue.mesures == ("Majoration d'un tiers du temps", "Installation dans une salle à part",
                           "Pause de 10 minutes par heure")
    assert [x.type for x in publications.documents(gestionnaire, cid)].count("notification_amenagements") == 1


def test_refus_sans_motif_puis_decision_perimee(qtbot, fiche, gestionnaire, chef):
    compte, cid = inscrire(gestionnaire)
    d = ouvrir_dialogue(qtbot, fiche("gestion", compte))
    decision = par_nom(d, "Décision", QComboBox)
    decision.setFocus()
    qtbot.keyClicks(decision, "Ref")
    assert decision.currentText() == "Refusé"
    qtbot.mouseClick(par_nom(d, "Enregistrer et publier la notification", QPushButton), Qt.MouseButton.LeftButton)
    assert d.formulaire.erreur("motif") == "Indiquez le motif du refus."

    # Meanwhile the chef de bureau records a decision on another workstation.
    amenagements.enregistrer_decision(chef, cid, SaisieDecision(statut="accorde", mesures=["Temps de pause"]),
                                      row_version=0)
    taper(qtbot, par_nom(d, "Motif", QPlainTextEdit), "Pièce médicale manquante.")
    qtbot.mouseClick(par_nom(d, "Enregistrer et publier la notification", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Décision non enregistrée" for b in boites_ouvertes()))
    boite = next(b for b in boites_ouvertes() if b.windowTitle() == "Décision non enregistrée")
    assert "modifiée entre-temps sur un autre poste" in boite.text()
    boite.close()
    assert amenagements.lire(chef, cid).statut == "accorde"


def test_le_guichet_ne_voit_pas_le_bouton(qtbot, fiche, accueil):
    compte, _cid = inscrire(accueil)
    f = fiche("accueil", compte)
    assert not par_nom(f, "Aménagements… 001", QPushButton).isVisible()
    assert par_nom(f, "Documents 001", QPushButton).isVisible()
