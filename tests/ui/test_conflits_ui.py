"""« Modifié sur un autre poste » in the screens: the candidature wizard and the reviewers' grid.

Another workstation saves while this one has the record open; this one's Enregistrer is refused
with the dialog (who, when, what changed), and « Recharger et réappliquer mes modifications » shows
the fresh record with this user's input on top, saved only by the next Enregistrer.
Set CYCLADES_CAPTURES to a folder to save the dialog as PNG (docs/conflit-modification.png)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QTableWidget

from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.ui.conflit import DialogueConflit
from cyclades_desktop.ui.inscription.pages_textes import ACCEPTER_CONDITIONS
from tests.fabriques import compte_actif

from .helpers import par_nom, taper
from .test_inscriptions_ui import assistants, inscrire, ouvrir_fiche  # noqa: F401 - the fixture

CAPTURES = os.environ.get("CYCLADES_CAPTURES")


def dialogue_conflit(qtbot, parent) -> DialogueConflit:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(DialogueConflit)))
    return next(d for d in parent.findChildren(DialogueConflit) if d.isVisible())


def lignes(dialogue: DialogueConflit) -> list[list[str]]:
    table = par_nom(dialogue, "Modifications faites sur l'autre poste", QTableWidget)
    return [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]


def test_candidature_modifiee_sur_un_autre_poste(qtbot, ouvrir_fiche, accueil, gestionnaire):  # noqa: F811
    compte = compte_actif(accueil)
    candidature_id = inscrire(accueil, compte).candidature_id
    fiche = ouvrir_fiche("accueil", compte)
    fiche.inscriptions.modifier(candidature_id)
    qtbot.waitUntil(lambda: [a.consultation for a in assistants()] == [False])
    edition = assistants()[0]

    # Meanwhile, the gestionnaire's workstation changes the address.
    d, saisie = inscriptions.ouvrir(gestionnaire, candidature_id)
    inscriptions.enregistrer(gestionnaire, inscriptions.preparer_modification(gestionnaire, d),
                             replace(saisie, localite="Kourou", code_postal="97310", conditions_acceptees=True))

    edition.aller_a(regles.IDENTIFICATION)
    mobile = par_nom(edition, "Téléphone personnel mobile", QLineEdit)
    mobile.clear()
    taper(qtbot, mobile, "0611223344")
    edition.aller_a(regles.CONDITIONS)
    par_nom(edition, ACCEPTER_CONDITIONS, QCheckBox).setChecked(True)
    qtbot.mouseClick(edition.bouton("Enregistrer"), Qt.MouseButton.LeftButton)

    dialogue = dialogue_conflit(qtbot, edition)
    assert dialogue.windowTitle() == "Modifié sur un autre poste"
    explication = par_nom(dialogue, "Explication", QLabel).text()
    assert "par Test GESTION (gestion) le 10/11/2024 11:00 (heure de Paris)" in explication
    assert sorted(lignes(dialogue)) == [["Code postal", "97300", "97310", "97300"],
                                        ["Localité", "Cayenne", "Kourou", "Cayenne"]]
    assert "Téléphone personnel mobile" in par_nom(dialogue, "Ce qui sera réappliqué", QLabel).text()
    if CAPTURES:
        dialogue.grab().save(str(Path(CAPTURES) / "conflit-modification.png"))
    _d, en_base = inscriptions.ouvrir(accueil, candidature_id)
    assert en_base.telephone_mobile == "0123456789"     # refused: nothing of this workstation saved

    par_nom(dialogue, "Recharger et réappliquer mes modifications", QPushButton).click()
    edition.aller_a(regles.IDENTIFICATION)
    assert par_nom(edition, "Téléphone personnel mobile", QLineEdit).text() in ("0611223344", "06 11 22 33 44")
    assert par_nom(edition, "Code postal", QLineEdit).text() == "97310"
    _d, en_base = inscriptions.ouvrir(accueil, candidature_id)
    assert en_base.telephone_mobile == "0123456789"     # shown for review, not saved
    edition.aller_a(regles.CONDITIONS)
    par_nom(edition, ACCEPTER_CONDITIONS, QCheckBox).setChecked(True)
    qtbot.mouseClick(edition.bouton("Enregistrer"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edition.enregistrement is not None)
    assert edition.enregistrement.version == 3
    _d, en_base = inscriptions.ouvrir(accueil, candidature_id)
    assert (en_base.telephone_mobile, en_base.localite, en_base.code_postal) == ("0611223344", "Kourou", "97310")


def test_abandonner_mes_modifications(qtbot, ouvrir_fiche, accueil, gestionnaire):  # noqa: F811
    compte = compte_actif(accueil)
    candidature_id = inscrire(accueil, compte).candidature_id
    fiche = ouvrir_fiche("accueil", compte)
    fiche.inscriptions.modifier(candidature_id)
    qtbot.waitUntil(lambda: [a.consultation for a in assistants()] == [False])
    edition = assistants()[0]
    d, saisie = inscriptions.ouvrir(gestionnaire, candidature_id)
    inscriptions.enregistrer(gestionnaire, inscriptions.preparer_modification(gestionnaire, d),
                             replace(saisie, telephone_mobile="0700000000", conditions_acceptees=True))
    edition.aller_a(regles.IDENTIFICATION)
    mobile = par_nom(edition, "Téléphone personnel mobile", QLineEdit)
    mobile.clear()
    taper(qtbot, mobile, "0611223344")
    edition.aller_a(regles.CONDITIONS)
    par_nom(edition, ACCEPTER_CONDITIONS, QCheckBox).setChecked(True)
    qtbot.mouseClick(edition.bouton("Enregistrer"), Qt.MouseButton.LeftButton)
    dialogue = dialogue_conflit(qtbot, edition)
    # Both changed the same field: theirs is shown, with the user's value beside it.
    assert lignes(dialogue) == [["Téléphone personnel mobile", "0123456789", "0700000000", "0611223344"]]
    # Échap chooses nothing: the input stays, Enregistrer shows the dialog again.
    qtbot.keyClick(dialogue, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in edition.findChildren(DialogueConflit)))
    edition.aller_a(regles.IDENTIFICATION)
    assert par_nom(edition, "Téléphone personnel mobile", QLineEdit).text() in ("0611223344", "06 11 22 33 44")
    edition.aller_a(regles.CONDITIONS)
    qtbot.mouseClick(edition.bouton("Enregistrer"), Qt.MouseButton.LeftButton)
    dialogue = dialogue_conflit(qtbot, edition)
    par_nom(dialogue, "Abandonner mes modifications", QPushButton).click()
    edition.aller_a(regles.IDENTIFICATION)
    assert par_nom(edition, "Téléphone personnel mobile", QLineEdit).text() in ("0700000000", "07 00 00 00 00")
    _d, en_base = inscriptions.ouvrir(accueil, candidature_id)
    assert en_base.telephone_mobile == "0700000000"


def test_statut_de_piece_change_sur_un_autre_poste(qtbot, db_url, clock, accueil, gestionnaire, chef):
    from cyclades_desktop.app import create_main_window

    compte = compte_actif(accueil)
    candidature_id = inscrire(accueil, compte).candidature_id
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    w.show()
    try:
        zone = w.aller_a("pieces")
        zone.lancer()
        qtbot.waitUntil(lambda: zone.modele.rowCount() > 0)
        rangee = next(r for r in range(zone.modele.rowCount())
                      if zone.modele.ligne(r).candidature_id == candidature_id)
        ligne = zone.modele.ligne(rangee)
        zone._aller_a(rangee)
        # Another reviewer marks it non conforme meanwhile.
        justificatifs.changer_statut(chef, [ligne.id], rp.NON_CONFORME, commentaire="Document illisible",
                                     row_versions={ligne.id: ligne.row_version})
        zone.demander_statut(rp.CONFORME)
        dialogue = dialogue_conflit(qtbot, zone)
        assert ["Statut", rp.STATUTS[ligne.statut], "Non conforme", "Conforme"] in lignes(dialogue)
        assert "par Carole DANO (chef)" in par_nom(dialogue, "Explication", QLabel).text()
        assert controle.ligne(gestionnaire, ligne.id).statut == rp.NON_CONFORME
        par_nom(dialogue, "Recharger et réappliquer mes modifications", QPushButton).click()
        # The grid shows the fresh row; the user's status is asked again, never applied silently.
        assert zone.modele.ligne(rangee).statut == rp.NON_CONFORME
        confirmation = zone._dialogue
        qtbot.waitUntil(lambda: confirmation.isVisible())
        assert "Conforme" in confirmation.text()
        assert controle.ligne(gestionnaire, ligne.id).statut == rp.NON_CONFORME
        next(b for b in confirmation.buttons() if b.text().startswith("Passer")).click()
        assert controle.ligne(gestionnaire, ligne.id).statut == rp.CONFORME
    finally:
        w.ctx.db.dispose()
