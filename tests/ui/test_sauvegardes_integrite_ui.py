"""The backups screen and what an office can trust: an incomplete backup shown as such and restored only
after a second confirmation naming the missing files (Entrée answers « Annuler »); a malformed backup
refused in French with nothing changed; « Vérifier l'intégrité… » naming a damaged file, interruptible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QTableWidget

from cyclades_desktop.models import Parametre
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.storage.fichiers import depot_de
from cyclades_desktop.ui import controle_integrite, taches
from tests.ui.helpers import boites_ouvertes, par_nom
from tests.unit.test_sauvegardes import inscrire_et_deposer
from tests.unit.test_sauvegardes_integrite import abimer


@pytest.fixture
def synchrone(monkeypatch):
    monkeypatch.setenv(taches.ENV_SYNCHRONE, "1")


@pytest.fixture
def depose(accueil: Contexte) -> str:
    inscrire_et_deposer(accueil, "premiere@exemple.fr", "première pièce")
    return depot_de(accueil.db).hashes()[0]


def ouvrir(fenetre, dossier: Path):
    next(a for a in fenetre.actions_sauvegarde if a.text() == "&Sauvegarder maintenant…").trigger()
    dialogue = fenetre.dialogue_sauvegardes
    champ = par_nom(dialogue, "Dossier des sauvegardes", QLineEdit)
    champ.setText(str(dossier))
    champ.editingFinished.emit()
    return dialogue


def boite(titre: str) -> QMessageBox:
    trouvee = next((b for b in boites_ouvertes() if b.windowTitle() == titre), None)
    assert trouvee is not None, [(b.windowTitle(), b.text()) for b in boites_ouvertes()]
    return trouvee


def bouton(b: QMessageBox, texte: str):
    return next(x for x in b.buttons() if x.text() == texte)


def demander_restauration(qtbot, dialogue) -> None:
    dialogue.table.selectRow(0)
    qtbot.mouseClick(par_nom(dialogue, "Restaurer la sauvegarde sélectionnée…", QPushButton),
                     Qt.MouseButton.LeftButton)


def test_an_incomplete_backup_needs_a_second_confirmation_whose_default_is_cancel(
        synchrone, qtbot, fenetre, database, depose: str, tmp_path: Path):
    database.dispose()
    abimer(depot_de(fenetre.ctx.db).chemin(depose))
    dialogue = ouvrir(fenetre, tmp_path / "sv")
    qtbot.mouseClick(par_nom(dialogue, "Sauvegarder maintenant", QPushButton), Qt.MouseButton.LeftButton)
    assert "est incomplète" in par_nom(dialogue, "Résultat").text()
    table = par_nom(dialogue, "Sauvegardes existantes", QTableWidget)
    assert table.item(0, 4).text() == "incomplète (1 fichier manquant)"
    assert depose[:12] in table.item(0, 4).toolTip()
    with fenetre.ctx.transaction() as s:
        s.add(Parametre(cle="apres-la-sauvegarde", valeur={}))

    # First confirmation, then the second: it names the file, Entrée and Échap answer « Annuler ».
    demander_restauration(qtbot, dialogue)
    premiere = boite("Restaurer une sauvegarde")
    assert "INCOMPLÈTE" in premiere.text()
    bouton(premiere, "Restaurer").click()
    seconde = boite("Restaurer une sauvegarde incomplète")
    assert f"fichier {depose[:12]}…, endommagé" in seconde.text() and "« piece.pdf »" in seconde.text()
    assert seconde.defaultButton().text() == "Annuler" and seconde.escapeButton().text() == "Annuler"
    qtbot.keyClick(seconde, Qt.Key.Key_Return)     # a reflex Entrée restores nothing
    assert not [b for b in boites_ouvertes() if b.windowTitle() == "Restauration terminée"]
    with fenetre.ctx.lecture() as s:
        assert s.get(Parametre, "apres-la-sauvegarde") is not None

    demander_restauration(qtbot, dialogue)
    bouton(boite("Restaurer une sauvegarde"), "Restaurer").click()
    bouton(boite("Restaurer une sauvegarde incomplète"), "Restaurer quand même").click()
    fin = boite("Restauration terminée")
    assert "1 fichier cité par la base restaurée manque dans le dépôt des pièces" in fin.text()
    assert depose[:12] in fin.text()
    with fenetre.ctx.lecture() as s:
        assert s.get(Parametre, "apres-la-sauvegarde") is None
    fin.accept()
    qtbot.waitUntil(lambda: not fenetre.isVisible())


def test_a_malformed_backup_is_listed_and_refused_in_french(synchrone, qtbot, fenetre, database, tmp_path: Path):
    database.dispose()
    dialogue = ouvrir(fenetre, tmp_path / "sv")
    qtbot.mouseClick(par_nom(dialogue, "Sauvegarder maintenant", QPushButton), Qt.MouseButton.LeftButton)
    (sauvegarde,) = (tmp_path / "sv").iterdir()
    m = json.loads((sauvegarde / "manifeste.json").read_text(encoding="utf-8"))
    del m["base"]["sha256"]
    (sauvegarde / "manifeste.json").write_text(json.dumps(m), encoding="utf-8")
    with fenetre.ctx.transaction() as s:
        s.add(Parametre(cle="apres-la-sauvegarde", valeur={}))
    dialogue.actualiser()
    assert dialogue.table.item(0, 4).text() == "illisible"

    demander_restauration(qtbot, dialogue)
    refus = boite("Restauration impossible")
    assert "le champ « base.sha256 » manque" in refus.text() and "Rien n'a été modifié." in refus.text()
    assert not [b for b in boites_ouvertes() if b.windowTitle() == "Restaurer une sauvegarde"]
    with fenetre.ctx.lecture() as s:
        assert s.get(Parametre, "apres-la-sauvegarde") is not None


def test_the_integrity_check_names_the_damaged_file_and_can_be_interrupted(
        synchrone, qtbot, fenetre, accueil: Contexte, depose: str, tmp_path: Path, monkeypatch):
    abimer(depot_de(fenetre.ctx.db).chemin(depose))
    dialogue = ouvrir(fenetre, tmp_path / "sv")
    qtbot.mouseClick(par_nom(dialogue, "Vérifier l'intégrité…", QPushButton), Qt.MouseButton.LeftButton)
    resultat = boite("Intégrité de la base et des pièces")
    assert resultat.icon() == QMessageBox.Icon.Warning
    assert f"Fichier déposé {depose[:12]}… endommagé" in resultat.text() and "« piece.pdf »" in resultat.text()
    resultat.accept()

    # Two files; « Interrompre » pressed once the first is read: the second is not.
    inscrire_et_deposer(accueil, "seconde@exemple.fr", "seconde pièce")
    vues: list[tuple[int, int]] = []
    origine = controle_integrite.ControleIntegrite._progression

    def puis_interrompre(self, fait: int, total: int) -> None:
        vues.append((fait, total))
        origine(self, fait, total)
        assert self.dialogue is not None and self.dialogue.accessibleName() == "Vérification de l'intégrité"
        next(b for b in self.dialogue.findChildren(QPushButton) if b.text() == "&Interrompre").click()
    monkeypatch.setattr(controle_integrite.ControleIntegrite, "_progression", puis_interrompre)
    qtbot.mouseClick(par_nom(dialogue, "Vérifier l'intégrité…", QPushButton), Qt.MouseButton.LeftButton)
    assert vues == [(1, 2)]
    assert boite("Intégrité de la base et des pièces").text().startswith(
        "Contrôle interrompu : 1 fichier(s) déposé(s) sur 2 relu(s)")
