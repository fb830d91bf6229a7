"""Printing from the preview page by page between events: « Impression : page n / N » reaches N and
every page is in the output; the window answers meanwhile; « Annuler » stops the run and nothing is
recorded as printed; a batch printed afterwards is recorded."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QProgressDialog, QPushButton, QWidget
from reportlab.pdfgen import canvas
from sqlalchemy import select

from cyclades_desktop.models.lot import Lot
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.apercu_pdf import ApercuPdf, ouvrir_apercu
from tests.ui.helpers import boites_ouvertes, capturer, par_nom
from tests.unit.test_impressions import candidatures

PAGES = 12


def pdf_de(pages: int) -> bytes:
    tampon = io.BytesIO()
    c = canvas.Canvas(tampon)
    for n in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 28)
        c.drawString(72, 760, f"Convocation n° {n}")
        c.setFont("Helvetica", 14)
        for ligne in range(30):
            c.drawString(72, 720 - 20 * ligne, f"Épreuve {ligne + 1} — centre d'examen, salle {ligne % 7 + 1}")
        c.showPage()
    c.save()
    return tampon.getvalue()


def imprimante_pdf(chemin: Path) -> QPrinter:
    imprimante = QPrinter()
    imprimante.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    imprimante.setOutputFileName(str(chemin))
    return imprimante


def progression(apercu: ApercuPdf) -> QProgressDialog:
    dialogue = apercu.progression
    assert isinstance(dialogue, QProgressDialog) and dialogue.accessibleName() == "Impression en cours"
    return dialogue


@pytest.fixture
def apercu(qtbot) -> Iterator[ApercuPdf]:
    a = ouvrir_apercu(None, "Convocations — lot n° 1", pdf_de(PAGES), "convocations.pdf")
    qtbot.waitExposed(a)
    yield a
    if shiboken6.isValid(a):
        a.close()


def encre(vue: QWidget) -> bool:
    """Some text is drawn in the middle of the view (QPdfView renders pages on a worker thread)."""
    image = vue.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    milieu = image.copy(image.width() // 8, 0, image.width() * 3 // 4, image.height() // 3)
    return any(min(bytes(milieu.constScanLine(y))[:milieu.width()]) < 100 for y in range(milieu.height()))


def capturer_progression(apercu: ApercuPdf, dialogue: QProgressDialog) -> None:
    """The progress dialog (with a drawn title bar: offscreen windows have no frame) over the preview."""
    capture = apercu.grab()
    corps = dialogue.grab()
    x, y = (capture.width() - corps.width()) // 2, capture.height() // 3
    p = QPainter(capture)
    p.fillRect(x, y - 26, corps.width(), 26, QColor("#dcdcdc"))
    p.drawText(x + 8, y - 8, dialogue.windowTitle())
    p.drawPixmap(QPoint(x, y), corps)
    p.setPen(QColor("#808080"))
    p.drawRect(x, y - 26, corps.width() - 1, corps.height() + 25)
    p.end()
    capturer(capture, "impression-en-cours.png")


def test_toutes_les_pages_partent_une_par_tour_avec_la_progression(qtbot, apercu, tmp_path: Path):
    qtbot.waitUntil(lambda: encre(par_nom(apercu, "Aperçu du document").viewport()))
    sortie = tmp_path / "imprime.pdf"
    imprimes: list[str] = []
    apercu.imprime.connect(imprimes.append)
    travail = apercu._imprimer_choisi(imprimante_pdf(sortie))
    # The first page went out at once; the others wait for the next turns of the event loop.
    assert travail is not None and travail.faites == 1 and not travail.fini
    dialogue = progression(apercu)
    assert dialogue.isVisible() and not dialogue.isModal()
    assert dialogue.labelText() == f"Impression : page 1 / {PAGES}" and dialogue.maximum() == PAGES
    assert par_nom(dialogue, "Annuler", QPushButton).isVisible()
    assert not par_nom(apercu, "Imprimer…", QPushButton).isEnabled()
    vus: list[tuple[int, str]] = []
    travail.progression.connect(lambda _n, _t: vus.append((dialogue.value(), dialogue.labelText())))

    capturer_progression(apercu, dialogue)

    qtbot.waitUntil(lambda: imprimes == [str(sortie)])
    assert [v for v, _ in vus] == list(range(2, PAGES + 1))
    assert vus[-1] == (PAGES, f"Impression : page {PAGES} / {PAGES}")
    assert len(PdfReader(sortie).pages) == PAGES
    assert apercu.travail is None and par_nom(apercu, "Imprimer…", QPushButton).isEnabled()
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in apercu.findChildren(QProgressDialog))


def test_la_fenetre_repond_pendant_l_impression(qtbot, apercu, tmp_path: Path):
    travail = apercu._imprimer_choisi(imprimante_pdf(tmp_path / "imprime.pdf"))
    vue = par_nom(apercu, "Aperçu du document")
    zoom = vue.zoomFactor()
    pendant: list[int] = []

    def clic() -> None:                  # a timer and a button click, handled while pages are going out
        pendant.append(travail.faites)
        par_nom(apercu, "Zoom avant").click()

    QTimer.singleShot(0, clic)
    qtbot.waitUntil(lambda: bool(pendant))
    assert 1 <= pendant[0] < PAGES and vue.zoomFactor() > zoom
    assert apercu.travail is travail
    qtbot.waitUntil(lambda: travail.fini and apercu.travail is None)


def test_une_seule_page_part_aussitot(qtbot, tmp_path: Path):
    a = ouvrir_apercu(None, "Récapitulatif", pdf_de(1), "recapitulatif.pdf")
    qtbot.addWidget(a)
    imprimes: list[str] = []
    a.imprime.connect(imprimes.append)
    a._imprimer_choisi(imprimante_pdf(tmp_path / "un.pdf"))
    assert imprimes == [str(tmp_path / "un.pdf")] and a.progression is None and a.travail is None
    assert len(PdfReader(tmp_path / "un.pdf").pages) == 1


def test_fermer_l_apercu_arrete_l_impression(qtbot, apercu, tmp_path: Path):
    imprimes: list[str] = []
    apercu.imprime.connect(imprimes.append)
    travail = apercu._imprimer_choisi(imprimante_pdf(tmp_path / "imprime.pdf"))
    annule: list[bool] = []
    travail.annule.connect(lambda: annule.append(True))
    apercu.close()
    assert annule == [True] and travail.fini and not travail.en_cours
    assert imprimes == [] and not (tmp_path / "imprime.pdf").exists()


@pytest.fixture
def synchrone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


def test_annuler_a_mi_chemin_ne_note_pas_le_lot_imprime(qtbot, synchrone, fenetre, chef: Contexte,
                                                       tmp_path: Path) -> None:
    candidatures(chef, 3)
    zone = fenetre.aller_a("impressions")
    combo = par_nom(zone, "Documents", QComboBox)
    combo.setCurrentIndex(combo.findText("Récapitulatifs de candidature"))
    par_nom(zone, "Fichier ou dossier de sortie", QLineEdit).setText(str(tmp_path / "recaps.pdf"))
    par_nom(zone, "Lancer", QPushButton).click()
    qtbot.waitUntil(lambda: par_nom(zone, "Aperçu et impression…", QPushButton).isEnabled())
    par_nom(zone, "Aperçu et impression…", QPushButton).click()
    apercu = zone.panneau.apercu
    pages = apercu.nombre_pages()
    assert pages >= 3
    with chef.lecture() as s:
        lot_id = s.scalar(select(Lot.id).order_by(Lot.id.desc()).limit(1))

    def imprime_le() -> str | None:
        with chef.lecture() as s:
            return s.get(Lot, lot_id).parametres.get("imprime_le")

    imprimes: list[str] = []
    apercu.imprime.connect(imprimes.append)
    sortie = tmp_path / "imprime.pdf"
    travail = apercu._imprimer_choisi(imprimante_pdf(sortie))
    dialogue = progression(apercu)
    assert travail.faites < pages
    par_nom(dialogue, "Annuler", QPushButton).click()
    assert travail.fini and not travail.en_cours and apercu.travail is None
    faites = travail.faites
    tour: list[bool] = []
    QTimer.singleShot(0, lambda: tour.append(True))
    qtbot.waitUntil(lambda: bool(tour))            # a turn of the event loop later: no page went out
    assert travail.faites == faites < pages
    assert imprimes == [] and imprime_le() is None
    assert not sortie.exists()                     # the half-written file is not left behind
    assert "Imprimé sur" not in par_nom(zone, "Résultat", QLabel).text()
    assert not boites_ouvertes()

    # Printed again to the end: now the batch is recorded as printed.
    apercu._imprimer_choisi(imprimante_pdf(sortie))
    qtbot.waitUntil(lambda: imprimes == [str(sortie)])
    assert len(PdfReader(sortie).pages) == pages
    assert imprime_le() is not None
    assert "Imprimé sur" in par_nom(zone, "Résultat", QLabel).text()
    apercu.close()


def test_echap_sur_la_progression_annule(qtbot, apercu, tmp_path: Path):
    imprimes: list[str] = []
    apercu.imprime.connect(imprimes.append)
    travail = apercu._imprimer_choisi(imprimante_pdf(tmp_path / "imprime.pdf"))
    qtbot.keyClick(progression(apercu), Qt.Key.Key_Escape)
    assert travail.fini and not travail.en_cours and apercu.travail is None
    assert imprimes == [] and not (tmp_path / "imprime.pdf").exists()
    assert par_nom(apercu, "Imprimer…", QPushButton).isEnabled()
