"""Every screen and dialog is usable on the office's 1366×768 laptops: no window asks for more than the
screen, and every visible button, field and list is in view or in a scroll area that brings it there."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from cyclades_desktop.app import create_main_window
from cyclades_desktop.ui import ecran
from cyclades_desktop.ui.apercu_pdf import ApercuPdf

from .dialogues_ouverts import DIALOGUES, assistant_modification, inscrire
from .parcours import (
    HAUTEUR,
    LARGEUR,
    fermer_les_boites,  # noqa: F401 (autouse: closes the boxes a test leaves open)
    hors_de_vue,
    onglets,
    stabiliser,
    tient_dans_l_ecran,
)


@pytest.fixture(autouse=True)
def ecran_1366(monkeypatch: pytest.MonkeyPatch) -> None:
    """The offscreen screen is 800×800: the screen-fitting code sees the office's laptop instead."""
    monkeypatch.setattr(ecran, "zone_disponible", lambda _widget=None: QRect(0, 0, LARGEUR, HAUTEUR))


@pytest.fixture
def candidature(fenetre: QMainWindow) -> tuple[int, int]:
    return inscrire(fenetre.ctx)  # type: ignore[attr-defined]


def _verifier(fenetre: QWidget, ou: str) -> list[str]:
    return [f"{ou} : {p}" for p in tient_dans_l_ecran(fenetre) + hors_de_vue(fenetre)]


def test_chaque_zone_et_chaque_onglet_tiennent_en_1366_x_768(fenetre: QMainWindow) -> None:
    fenetre.resize(LARGEUR, HAUTEUR)
    problemes: list[str] = []
    for d in fenetre._definitions:  # type: ignore[attr-defined]
        zone = fenetre.aller_a(d.cle)  # type: ignore[attr-defined]
        for ou in onglets(zone, d.titre):
            problemes += _verifier(fenetre, ou)
    assert problemes == []


def test_les_pages_des_candidats_tiennent_en_1366_x_768(fenetre: QMainWindow, candidature: tuple[int, int]) -> None:
    fenetre.resize(LARGEUR, HAUTEUR)
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    zone.nouveau()
    problemes = _verifier(fenetre, "Nouveau compte")
    fiche = zone.ouvrir(candidature[0])
    for ou in onglets(fiche, "Fiche du candidat"):
        problemes += _verifier(fenetre, ou)
    assert problemes == []


@pytest.mark.parametrize("accueil", ["premier démarrage", "connexion"])
def test_premier_demarrage_et_connexion_tiennent_en_1366_x_768(qtbot, db_url, clock, request, accueil) -> None:
    if accueil == "connexion":
        request.getfixturevalue("chef")
    w = create_main_window(db_url, clock=clock)
    qtbot.addWidget(w)
    w.show()
    w.resize(LARGEUR, HAUTEUR)
    assert _verifier(w, accueil) == []
    w.ctx.db.dispose()


@pytest.mark.parametrize("nom", list(DIALOGUES))
def test_chaque_dialogue_tient_en_1366_x_768(qtbot, fenetre: QMainWindow, candidature: tuple[int, int],
                                             nom: str) -> None:
    fenetre.resize(LARGEUR, HAUTEUR)
    dialogue = DIALOGUES[nom](fenetre, candidature)
    assert dialogue is not None
    if not dialogue.isVisible():
        dialogue.show()
    stabiliser()
    try:
        assert _verifier(dialogue, nom) == []
    finally:
        for w in QApplication.topLevelWidgets():
            if shiboken6.isValid(w) and isinstance(w, QDialog | ApercuPdf) and w.isVisible():
                w.done(0)


def test_chaque_onglet_du_formulaire_d_inscription_tient_en_1366_x_768(
        qtbot, fenetre: QMainWindow, candidature: tuple[int, int]) -> None:
    assistant = assistant_modification(fenetre, candidature[1])
    qtbot.addWidget(assistant)
    assistant.show()
    problemes: list[str] = []
    for onglet in range(len(assistant.pages) - 1):
        assistant.aller_a(onglet)
        assert assistant.currentId() == onglet
        problemes += _verifier(assistant, assistant.pages[onglet].title())
    assert problemes == []
