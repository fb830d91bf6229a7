"""Alt+letters, the keyboard's way to every button: in one window, no two visible and enabled menus,
buttons, tabs or labels with a buddy may answer the same letter (Qt then only cycles between them)."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.inscriptions.nouvelle import NouvelleCandidature

from .dialogues_ouverts import DIALOGUES, assistant_modification, inscrire
from .parcours import (
    doublons,
    fermer_les_boites,  # noqa: F401 (autouse: closes the boxes a test leaves open)
    lettre,
    onglets,
    stabiliser,
)


@pytest.fixture
def candidature(fenetre: QMainWindow) -> tuple[int, int]:
    return inscrire(fenetre.ctx)  # type: ignore[attr-defined]


def _doublons(fenetre: QWidget, ou: str) -> list[str]:
    return [f"{ou} : Alt+{c} → {' / '.join(quoi)}" for c, quoi in sorted(doublons(fenetre).items())]


def test_lettre_d_un_texte() -> None:
    assert lettre("&Aller à") == "A"
    assert lettre("Éd&itions") == "I"
    assert lettre("Dupont && Fils") is None
    assert lettre("R && &D") == "D"
    assert lettre("Sans mnémonique") is None


def test_aucune_lettre_en_double_dans_les_zones(fenetre: QMainWindow) -> None:
    problemes: list[str] = []
    for d in fenetre._definitions:  # type: ignore[attr-defined]
        zone = fenetre.aller_a(d.cle)  # type: ignore[attr-defined]
        for ou in onglets(zone, d.titre):
            problemes += _doublons(fenetre, ou)
    assert problemes == []


def test_aucune_lettre_en_double_dans_les_pages_des_candidats(fenetre: QMainWindow,
                                                              candidature: tuple[int, int]) -> None:
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    problemes = _doublons(fenetre, "Liste des candidats")
    zone.nouveau()
    problemes += _doublons(fenetre, "Nouveau compte")
    fiche = zone.ouvrir(candidature[0])
    for ou in onglets(fiche, "Fiche du candidat"):
        problemes += _doublons(fenetre, ou)
    fiche.modifier.emit(candidature[0])
    problemes += _doublons(fenetre, "Modifier le compte")
    assert problemes == []


def test_alt_a_ajoute_une_candidature_et_alt_l_ouvre_aller_a(qtbot, fenetre: QMainWindow,
                                                             candidature: tuple[int, int]) -> None:
    """On the account's detail Alt+A is « Ajouter une nouvelle candidature », not the « Aller à » menu."""
    fenetre.activateWindow()
    qtbot.waitUntil(fenetre.isActiveWindow)
    fiche = fenetre.aller_a("candidats").ouvrir(candidature[0])  # type: ignore[attr-defined]
    stabiliser()
    fiche.bouton_modifier.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, NouvelleCandidature) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    assert not fenetre.menu_aller.isVisible()  # type: ignore[attr-defined]
    for w in QApplication.topLevelWidgets():
        if isinstance(w, NouvelleCandidature):
            w.reject()
    fenetre.activateWindow()
    qtbot.waitUntil(fenetre.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(fenetre.menu_aller.isVisible)  # type: ignore[attr-defined]
    fenetre.menu_aller.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("nom", list(DIALOGUES))
def test_aucune_lettre_en_double_dans_les_dialogues(fenetre: QMainWindow, candidature: tuple[int, int],
                                                    nom: str) -> None:
    dialogue = DIALOGUES[nom](fenetre, candidature)
    assert dialogue is not None
    if not dialogue.isVisible():
        dialogue.show()
    try:
        problemes: list[str] = []
        for ou in onglets(dialogue, nom):
            problemes += _doublons(dialogue, ou)
        assert problemes == []
    finally:
        for w in QApplication.topLevelWidgets():
            if shiboken6.isValid(w) and isinstance(w, QDialog | ApercuPdf) and w.isVisible():
                w.done(0)


def test_aucune_lettre_en_double_dans_le_formulaire_d_inscription(qtbot, fenetre: QMainWindow,
                                                                  candidature: tuple[int, int]) -> None:
    assistant = assistant_modification(fenetre, candidature[1])
    qtbot.addWidget(assistant)
    assistant.show()
    problemes: list[str] = []
    for onglet in range(len(assistant.pages) - 1):
        assistant.aller_a(onglet)
        problemes += _doublons(assistant, assistant.pages[onglet].title())
    assert problemes == []
