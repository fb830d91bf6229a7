"""« Mes justificatifs » checks each deposited file off the GUI thread: « Vérification du fichier… »
shows meanwhile and the window keeps answering, even while a hostile file takes seconds to refuse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar

from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.storage.fichiers import depot_de
from cyclades_desktop.ui.inscriptions.justificatifs import MesJustificatifs
from cyclades_desktop.ui.taches import ENV_SYNCHRONE, Executeur
from tests.fabriques_fichiers import bombe_contenu, pdf_reportlab

from .helpers import boites_ouvertes, par_nom
from .test_justificatifs_ui import fichiers, inscrire


@pytest.fixture
def dialogue(qtbot, accueil, clock: FixedClock, monkeypatch) -> Iterator[tuple[MesJustificatifs, int]]:
    """The dialog of a new candidature, its deposits run by a real thread pool."""
    monkeypatch.delenv(ENV_SYNCHRONE, raising=False)
    _compte, cid = inscrire(accueil)
    executeur = Executeur(synchrone=False)
    d = MesJustificatifs(accueil, cid, "BCP 2025", executeur=executeur)
    qtbot.addWidget(d)
    d.show()
    yield d, cid
    assert executeur.attendre(30_000)
    for w in QApplication.topLevelWidgets():
        if shiboken6.isValid(w) and w.isVisible():
            w.close()


def message(d: MesJustificatifs) -> str:
    return par_nom(d, "Message", QLabel).text()


def test_le_depot_est_verifie_en_arriere_plan(qtbot, dialogue, accueil, tmp_path: Path):
    d, cid = dialogue
    chemin = tmp_path / "carte d'identité.pdf"
    chemin.write_bytes(pdf_reportlab(1))
    assert d.deposer_fichier(d.piece("IDENTITE").id, str(chemin)) is None     # still being checked
    assert message(d) == "Vérification du fichier « carte d'identité.pdf »…"
    assert par_nom(d, "Vérification du fichier", QProgressBar).isVisible()
    qtbot.waitUntil(lambda: "déposé" in message(d), timeout=20_000)
    assert message(d).startswith("IDENTITE : « carte d'identité.pdf » déposé.")
    assert not d.verification.isVisible()
    assert fichiers(accueil, cid, "IDENTITE") == [("carte d'identité.pdf", True)]


def test_un_fichier_hostile_lent_ne_bloque_pas_la_fenetre(qtbot, dialogue, accueil, tmp_path: Path):
    d, cid = dialogue
    chemin = tmp_path / "cni.pdf"
    chemin.write_bytes(bombe_contenu())        # 4.8 Mo inflating to 5 Go: seconds in the child process
    battements: list[int] = []
    horloge = QTimer()
    horloge.timeout.connect(lambda: battements.append(1))
    horloge.start(20)
    d.deposer_fichier(d.piece("IDENTITE").id, str(chemin))
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Dépôt refusé" for b in boites_ouvertes()), timeout=20_000)
    horloge.stop()
    assert len(battements) > 20               # the event loop kept turning all along
    refus = next(b for b in boites_ouvertes() if b.windowTitle() == "Dépôt refusé")
    assert refus.text().startswith("La vérification de ce fichier a dépassé")
    assert message(d) == "" and not d.verification.isVisible()
    assert fichiers(accueil, cid, "IDENTITE") == [] and depot_de(accueil.db).hashes() == []
    refus.accept()
