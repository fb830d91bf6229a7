"""The PDF preview: a real published récapitulatif read, printed to a PDF printer and saved."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from cyclades_desktop.rules.errors import DomainError
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.publications import documents as publications
from cyclades_desktop.ui.apercu_pdf import ApercuPdf, ouvrir_apercu
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import par_nom


@pytest.fixture
def recapitulatif(accueil) -> tuple[str, bytes]:
    compte = compte_actif(accueil)
    enr = inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP"),
                                   saisie_seed())
    version = publications.documents(accueil, enr.candidature_id)[0].derniere
    return publications.contenu(accueil, version.id)


@pytest.fixture
def apercu(qtbot, recapitulatif) -> Iterator[ApercuPdf]:
    nom, contenu = recapitulatif
    a = ouvrir_apercu(None, "Récapitulatif de votre candidature", contenu, nom)
    qtbot.waitExposed(a)
    yield a
    if shiboken6.isValid(a):     # Fermer deletes the dialog
        a.close()


def test_le_recapitulatif_s_affiche_page_par_page(apercu, recapitulatif):
    assert apercu.isVisible() and not apercu.isModal()
    n = len(PdfReader(io.BytesIO(recapitulatif[1])).pages)
    assert apercu.nombre_pages() == n >= 1
    assert par_nom(apercu, "Numéro de page", QLabel).text() == f"Page 1 / {n}"
    for nom in ("Zoom avant", "Zoom arrière", "Ajuster à la largeur", "Imprimer…", "Enregistrer sous…", "Fermer",
                "Aperçu du document"):
        assert par_nom(apercu, nom, QWidget).isVisible(), nom


def test_zoom_au_clavier(qtbot, apercu):
    vue = par_nom(apercu, "Aperçu du document")
    qtbot.keyClick(vue, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    grand = vue.zoomFactor()
    qtbot.keyClick(vue, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert vue.zoomFactor() < grand
    qtbot.keyClick(vue, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert vue.zoomMode() == vue.ZoomMode.FitToWidth


def test_imprimer_vers_une_imprimante_pdf(apercu, tmp_path: Path):
    imprimante = QPrinter(QPrinter.PrinterMode.HighResolution)
    imprimante.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    sortie = tmp_path / "impression.pdf"
    imprimante.setOutputFileName(str(sortie))
    apercu.imprimer_vers(imprimante)
    assert sortie.stat().st_size > 10_000
    assert len(PdfReader(sortie).pages) == apercu.nombre_pages()


def test_enregistrer_vers_ecrit_les_memes_octets(apercu, recapitulatif, tmp_path: Path):
    cible = tmp_path / "copie.pdf"
    apercu.enregistrer_vers(str(cible))
    assert cible.read_bytes() == recapitulatif[1]
    with pytest.raises(DomainError, match="n'a pas pu être enregistré"):
        apercu.enregistrer_vers(str(tmp_path / "absent" / "copie.pdf"))


def test_enregistrer_sous_par_le_dialogue(qtbot, apercu, recapitulatif, tmp_path: Path):
    qtbot.keyClick(par_nom(apercu, "Aperçu du document"), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialogue = apercu.findChild(QFileDialog)
    qtbot.waitUntil(dialogue.isVisible)
    assert dialogue.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    cible = tmp_path / "recapitulatif.pdf"
    dialogue.selectFile(str(cible))
    dialogue.accept()
    qtbot.waitUntil(cible.exists)
    assert cible.read_bytes() == recapitulatif[1]


def test_fermer_par_echap(qtbot, apercu):
    assert par_nom(apercu, "Fermer", QPushButton).isEnabled()
    qtbot.keyClick(par_nom(apercu, "Aperçu du document"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(apercu))


def test_imprimer_ouvre_le_dialogue_sans_bloquer(qtbot, apercu):
    qtbot.mouseClick(par_nom(apercu, "Imprimer…", QPushButton), Qt.MouseButton.LeftButton)
    dialogue = apercu.findChild(QPrintDialog)
    qtbot.waitUntil(dialogue.isVisible)
    dialogue.reject()
    assert apercu.isVisible()
