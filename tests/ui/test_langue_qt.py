"""Qt's own dialogs and menus speak French whatever the system's language (ui/langue.py, installed by
app.py before any window and by tests/conftest.py on the tests' application). Without the
catalogues every assertion below sees English (Cancel, Save, Copy, Look in:…)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTreeView,
)

from tests.ui.helpers import par_nom

RACINE = Path(__file__).resolve().parents[2]
B = QDialogButtonBox.StandardButton


def _texte(brut: str) -> str:
    """What the person reads: without the mnemonic's « & », the shortcut after the tab, the
    no-break space French puts before a colon."""
    return brut.split("\t")[0].replace("&", "").replace("\u00a0", " ").strip()


def _textes(boutons: list[QAbstractButton]) -> set[str]:
    return {_texte(b.text()) for b in boutons}


def test_boutons_standard_en_francais(qtbot) -> None:
    boite = QDialogButtonBox(B.Ok | B.Cancel | B.Save | B.Close | B.Yes | B.No | B.Apply | B.Help)
    qtbot.addWidget(boite)
    assert _textes(boite.buttons()) == {"OK", "Annuler", "Enregistrer", "Fermer", "Oui", "Non", "Appliquer",
                                        "Aide"}


def test_menu_contextuel_d_un_champ_en_francais(qtbot) -> None:
    champ = QLineEdit("texte")
    qtbot.addWidget(champ)
    menu = champ.createStandardContextMenu()
    textes = {_texte(a.text()) for a in menu.actions() if not a.isSeparator()}
    assert textes == {"Annuler", "Rétablir", "Couper", "Copier", "Coller", "Supprimer", "Tout sélectionner"}
    assert any(a.text().endswith("\tCtrl+C") for a in menu.actions())   # the shortcuts are still shown


def test_boite_de_message_en_francais(qtbot) -> None:
    boite = QMessageBox(QMessageBox.Icon.Question, "Confirmation", "Supprimer ?",
                        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                        | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(boite)
    assert _textes(boite.buttons()) == {"Oui", "Non", "Annuler"}


def test_progression_annuler_par_defaut(qtbot) -> None:
    dialogue = QProgressDialog()
    qtbot.addWidget(dialogue)
    assert _textes(dialogue.findChildren(QPushButton)) == {"Annuler"}


def test_dialogue_de_fichiers_en_francais(qtbot, tmp_path: Path) -> None:
    (tmp_path / "Pièces").mkdir()
    dialogue = QFileDialog(None, "Choisir un fichier", str(tmp_path))
    dialogue.setOption(QFileDialog.Option.DontUseNativeDialog)   # Qt's own, the one tests can read
    qtbot.addWidget(dialogue)
    dialogue.show()
    libelles = {_texte(e.text()) for e in dialogue.findChildren(QLabel)}
    # « Regarder dans » and « Fichiers de type » come from our complements (qtbase_fr lacks them).
    assert {"Regarder dans :", "Nom de fichier :", "Fichiers de type :"} <= libelles
    assert {"Ouvrir", "Annuler"} <= _textes(dialogue.findChildren(QPushButton))
    vue = next(v for v in dialogue.findChildren(QTreeView) if v.model() is not None)
    modele = vue.model()
    entetes = [modele.headerData(i, Qt.Orientation.Horizontal) for i in range(modele.columnCount())]
    assert entetes == ["Nom", "Taille", "Type", "Dernière modification"]
    # The « Type » column of a folder, filled by the dialog's background reader.
    qtbot.waitUntil(lambda: modele.rowCount(vue.rootIndex()) == 1)
    assert modele.index(0, 2, vue.rootIndex()).data() == "Dossier"
    dialogue.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    assert "Enregistrer" in _textes(dialogue.findChildren(QPushButton))


def test_dialogue_d_impression_en_francais(qtbot) -> None:
    imprimante = QPrinter()
    dialogue = QPrintDialog(imprimante)
    qtbot.addWidget(dialogue)
    assert dialogue.windowTitle() == "Imprimer"
    assert {"Imprimer", "Annuler"} <= _textes(dialogue.findChildren(QPushButton))


def test_dates_et_nombres_a_la_francaise(qapp) -> None:
    assert QLocale().name() == "fr_FR"
    assert QLocale().monthName(1) == "janvier"
    assert QLocale().toString(1.5) == "1,5"


def test_la_fenetre_du_programme_parle_francais(fenetre) -> None:
    """The program's own window, built through create_main_window like at start-up."""
    menu = par_nom(fenetre, "Rechercher un candidat", QLineEdit).createStandardContextMenu()
    assert "Coller" in {_texte(a.text()) for a in menu.actions()}


def test_catalogue_complementaire_compile(tmp_path: Path) -> None:
    """The .qm shipped is the compilation of the .ts next to it (the command is in the .ts)."""
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease")
    assert lrelease, "pyside6-lrelease (installé avec PySide6) est introuvable"
    source = RACINE / "resources" / "traductions" / "complements_fr.ts"
    subprocess.run([lrelease, str(source), "-qm", str(tmp_path / "c.qm")], check=True, capture_output=True)
    assert (tmp_path / "c.qm").read_bytes() == source.with_suffix(".qm").read_bytes(), (
        "complements_fr.qm est en retard sur complements_fr.ts : recompilez-le (commande dans le .ts)")
