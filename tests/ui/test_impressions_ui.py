"""The « Impressions » zone driven by accessible names: a batch into a folder and into one merged PDF,
its preview printed (and a failing printer), an interrupted batch resumed from the list."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton, QRadioButton
from sqlalchemy import select

from cyclades_desktop.models.lot import Lot
from cyclades_desktop.services.impressions import lots as impressions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.impressions.zone import DialogueImpression
from cyclades_desktop.ui.taches import Executeur
from tests.ui.helpers import boites_ouvertes, capturer, par_nom
from tests.unit.test_impressions import candidatures, numeros


@pytest.fixture(autouse=True)
def synchrone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


def choisir(combo: QComboBox, libelle: str) -> None:
    index = combo.findText(libelle)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def test_lot_dans_un_dossier_puis_pdf_fusionne_imprime(qtbot, fenetre, chef: Contexte, tmp_path: Path) -> None:
    ids = candidatures(chef, 2)
    zone = fenetre.aller_a("impressions")
    assert "Impressions" in fenetre.titres_zones()
    choisir(par_nom(zone, "Documents", QComboBox), "Récapitulatifs de candidature")
    choisir(par_nom(zone, "Session", QComboBox), "2025")
    par_nom(zone, "Un fichier par candidature dans un dossier", QRadioButton).click()
    sortie = par_nom(zone, "Fichier ou dossier de sortie", QLineEdit)
    sortie.setText(str(tmp_path / "recaps"))
    par_nom(zone, "Lancer", QPushButton).click()
    resultat = par_nom(zone, "Résultat", QLabel)
    qtbot.waitUntil(lambda: "documents" in resultat.text())
    assert resultat.text().startswith("2 documents")
    noms = sorted(p.name for p in (tmp_path / "recaps").iterdir())
    assert noms == sorted(f"recapitulatif_{nc}_{ni}.pdf" for nc, ni in (numeros(chef, c) for c in ids))
    assert par_nom(zone, "Ouvrir le dossier", QPushButton).isEnabled()
    assert not par_nom(zone, "Aperçu et impression…", QPushButton).isEnabled()

    par_nom(zone, "Un seul fichier PDF", QRadioButton).click()
    sortie.setText(str(tmp_path / "recaps.pdf"))
    par_nom(zone, "Lancer", QPushButton).click()
    qtbot.waitUntil(lambda: par_nom(zone, "Aperçu et impression…", QPushButton).isEnabled())
    pages = len(PdfReader(tmp_path / "recaps.pdf").pages)
    assert f"{pages} pages" in resultat.text()
    capturer(zone.grab(), "impressions.png")

    par_nom(zone, "Aperçu et impression…", QPushButton).click()
    apercu = zone.panneau.apercu
    assert isinstance(apercu, ApercuPdf) and apercu.nombre_pages() == pages
    # A printer that cannot start: a French message, and the batch is not recorded as printed.
    panne = QPrinter()
    panne.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    panne.setOutputFileName(str(tmp_path / "absent" / "sortie.pdf"))
    apercu._imprimer_choisi(panne)
    qtbot.waitUntil(lambda: any("Impossible d'imprimer" in b.text() for b in boites_ouvertes()))
    for b in boites_ouvertes():
        b.close()
    with chef.lecture() as s:
        lot = s.scalar(select(Lot).order_by(Lot.id.desc()).limit(1))
        assert "imprime_le" not in lot.parametres
    imprimante = QPrinter()
    imprimante.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    imprimante.setOutputFileName(str(tmp_path / "imprime.pdf"))
    apercu._imprimer_choisi(imprimante)
    qtbot.waitUntil(lambda: "Imprimé sur" in resultat.text())      # pages go out between events
    assert len(PdfReader(tmp_path / "imprime.pdf").pages) == pages
    with chef.lecture() as s:
        assert s.get(Lot, lot.id).parametres["imprimante"] == str(tmp_path / "imprime.pdf")
    assert "Imprimé sur" in resultat.text()
    apercu.close()


def test_lot_interrompu_repris_depuis_la_liste(qtbot, fenetre, chef: Contexte, tmp_path: Path) -> None:
    ids = candidatures(chef, 2)
    lot = impressions.creer_lot(chef, impressions.RECAPITULATIFS, ids, mode=impressions.FICHIER_UNIQUE,
                                sortie=str(tmp_path / "recaps.pdf"))
    impressions.executer(chef, lot, processus=0, taille_morceau=1, annule=lambda: True)
    zone = fenetre.aller_a("impressions")
    liste = par_nom(zone, "Lots inachevés", QListWidget)
    assert liste.count() == 1 and liste.item(0).text().startswith(f"Lot n° {lot} — Récapitulatifs")
    assert "— 1 / 2 —" in liste.item(0).text()
    par_nom(zone, "Reprendre", QPushButton).click()
    qtbot.waitUntil(lambda: liste.count() == 0)
    assert (tmp_path / "recaps.pdf").is_file()
    assert "interrompu" not in par_nom(zone, "Résultat", QLabel).text()


def test_dialogue_pour_une_selection(qtbot, chef: Contexte, tmp_path: Path) -> None:
    ids = candidatures(chef, 2)
    dialogue = DialogueImpression(None, chef, ids[:1], Executeur(synchrone=True))
    qtbot.addWidget(dialogue)
    dialogue.open()
    assert par_nom(dialogue, "Sélection courante", QRadioButton).isChecked()
    assert not par_nom(dialogue, "Session", QComboBox).isEnabled()
    par_nom(dialogue, "Fichier ou dossier de sortie", QLineEdit).setText(str(tmp_path / "un.pdf"))
    par_nom(dialogue, "Lancer", QPushButton).click()
    qtbot.waitUntil(lambda: (tmp_path / "un.pdf").is_file())
    assert numeros(chef, ids[0])[0] in PdfReader(tmp_path / "un.pdf").pages[0].extract_text()
