"""Fichier ▸ Sauvegarder maintenant… / Restaurer une sauvegarde… / Paramètres de sauvegarde… (chef)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QSpinBox, QTableWidget

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import Parametre
from cyclades_desktop.services.sauvegardes import sauvegarde as sauvegardes
from cyclades_desktop.storage.migrate import SCHEMA_HEAD
from cyclades_desktop.ui import taches
from tests.ui.helpers import boites_ouvertes, capturer, par_nom


@pytest.fixture
def synchrone(monkeypatch):
    monkeypatch.setenv(taches.ENV_SYNCHRONE, "1")


def action(fenetre, texte: str):
    return next(a for a in fenetre.actions_sauvegarde if a.text().replace("&", "") == texte)


def ouvrir(qtbot, fenetre, dossier: Path):
    action(fenetre, "Sauvegarder maintenant…").trigger()
    dialogue = fenetre.dialogue_sauvegardes
    champ = par_nom(dialogue, "Dossier des sauvegardes", QLineEdit)
    champ.setText(str(dossier))
    champ.editingFinished.emit()
    return dialogue


def test_backup_now_lists_the_backup_with_date_size_and_revision(synchrone, qtbot, fenetre, tmp_path):
    assert action(fenetre, "Sauvegarder maintenant…").shortcut().toString() == "Ctrl+Shift+S"
    dialogue = ouvrir(qtbot, fenetre, tmp_path / "sv")
    table = par_nom(dialogue, "Sauvegardes existantes", QTableWidget)
    assert table.rowCount() == 0
    qtbot.mouseClick(par_nom(dialogue, "Sauvegarder maintenant", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(par_nom(dialogue, "Sauvegarder maintenant", QPushButton), Qt.MouseButton.LeftButton)
    assert table.rowCount() == 2
    assert [table.item(0, j).text() for j in (0, 2, 3)] == ["10/11/2024 11:00", SCHEMA_HEAD, "manuelle"]
    assert table.item(0, 1).text().endswith(" Mo")
    assert par_nom(dialogue, "Résultat").text().startswith("Sauvegarde faite : cyclades-20241110-110000")
    dialogue.resize(760, 300)
    capturer(dialogue.grab(), "sauvegarde.png")


def test_restore_asks_then_restores_and_closes_the_application(synchrone, qtbot, fenetre, database, tmp_path):
    database.dispose()   # the fixtures' own engine: in the application there is only the window's
    dialogue = ouvrir(qtbot, fenetre, tmp_path / "sv")
    qtbot.mouseClick(par_nom(dialogue, "Sauvegarder maintenant", QPushButton), Qt.MouseButton.LeftButton)
    with fenetre.ctx.transaction() as s:
        s.add(Parametre(cle="apres-la-sauvegarde", valeur={}))
    dialogue.table.selectRow(0)
    qtbot.mouseClick(par_nom(dialogue, "Restaurer la sauvegarde sélectionnée…", QPushButton),
                     Qt.MouseButton.LeftButton)
    confirmation = next(b for b in boites_ouvertes() if b.windowTitle() == "Restaurer une sauvegarde")
    assert "Le programme se fermera" in confirmation.text()
    next(b for b in confirmation.buttons() if b.text() == "Restaurer").click()
    fin = next((b for b in boites_ouvertes() if b.windowTitle() == "Restauration terminée"), None)
    assert fin is not None, [b.text() for b in boites_ouvertes()]
    assert "relancez-le" in fin.text() and "avant-restauration" in fin.text()
    with fenetre.ctx.lecture() as s:
        assert s.get(Parametre, "apres-la-sauvegarde") is None
    fin.accept()
    qtbot.waitUntil(lambda: not fenetre.isVisible())


def test_the_entries_are_for_the_chef_only(qtbot, db_url, clock, accueil):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    try:
        assert [a.isEnabled() for a in w.actions_sauvegarde] == [False, False, False]
    finally:
        w.ctx.db.dispose()


def test_settings_dialog_saves_the_rotation(qtbot, fenetre, tmp_path):
    action(fenetre, "Paramètres de sauvegarde…").trigger()
    dialogue = next(w for w in fenetre.findChildren(sauvegardes_dialogue()) if w.isVisible())
    par_nom(dialogue, "Dossier des sauvegardes", QLineEdit).setText(str(tmp_path / "sv"))
    par_nom(dialogue, "Sauvegardes quotidiennes conservées", QSpinBox).setValue(10)
    par_nom(dialogue, "Sauvegardes hebdomadaires conservées", QSpinBox).setValue(2)
    qtbot.mouseClick(par_nom(dialogue, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    p = sauvegardes.parametres(fenetre.ctx)
    assert (p.dossier, p.quotidiennes, p.hebdomadaires, p.heure) == (str(tmp_path / "sv"), 10, 2, "12:30")


def sauvegardes_dialogue():
    from cyclades_desktop.ui.sauvegardes import DialogueParametresSauvegarde

    return DialogueParametresSauvegarde


@pytest.mark.sqlite_seulement   # on PostgreSQL the server's scheduled task backs up, not a workstation
def test_the_application_makes_the_daily_backup_once_the_hour_has_passed(synchrone, qtbot, db_url, clock, chef,
                                                                          tmp_path):
    sauvegardes.enregistrer_parametres(chef, sauvegardes.ParametresSauvegarde(dossier=str(tmp_path / "sv"),
                                                                             heure="10:30"))
    w = create_main_window(db_url, clock=clock, user="chef")
    qtbot.addWidget(w)
    try:
        qtbot.waitUntil(lambda: len(sauvegardes.lister(tmp_path / "sv")) == 1)
        assert sauvegardes.lister(tmp_path / "sv")[0].quotidienne
        w.sauvegarde_automatique.verifier()   # the timer again, the same day: nothing more
        assert len(sauvegardes.lister(tmp_path / "sv")) == 1
    finally:
        w.ctx.db.dispose()
