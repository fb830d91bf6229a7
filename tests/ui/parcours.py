"""Walking the screens as the counter sees them on a 1366×768 laptop: every area of the main window,
every tab inside it, and what is visible there. Shared by the screen-size and the Alt-letter tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabBar,
    QTabWidget,
    QWidget,
)

LARGEUR, HAUTEUR = 1366, 768


@pytest.fixture(autouse=True)
def fermer_les_boites() -> Iterator[None]:
    """Dialogs and message boxes a test leaves open are closed after it (``done``: a form holding input
    would otherwise ask « Quitter sans enregistrer ? » again when a later test closes every window).
    Autouse in every module that imports it."""
    yield
    for _ in range(2):   # a wizard first, then the box its closing may just have opened
        for dialogue in QApplication.topLevelWidgets():
            if isinstance(dialogue, QDialog) and dialogue.isVisible():
                dialogue.done(0)


def stabiliser() -> None:
    """Nested layouts settle over a few turns of the event loop."""
    for _ in range(4):
        QApplication.processEvents()


def onglets(racine: QWidget, chemin: str = "", vus: frozenset[int] = frozenset()) -> Iterator[str]:
    """Show in turn every tab of every tab widget visible under ``racine`` (nested ones included);
    yields where we are (« Référentiel › Bureau »)."""
    stabiliser()
    a_voir = [t for t in racine.findChildren(QTabWidget) if t.isVisible() and id(t) not in vus]
    if not a_voir:
        yield chemin
        return
    t = a_voir[0]
    depart = t.currentIndex()
    for i in range(t.count()):
        if not (t.isTabEnabled(i) and t.isTabVisible(i)):
            continue
        t.setCurrentIndex(i)
        yield from onglets(racine, f"{chemin} › {t.tabText(i).replace('&', '')}", vus | {id(t)})
    t.setCurrentIndex(depart)


def _nom(w: QWidget) -> str:
    texte = w.text() if isinstance(w, QAbstractButton | QLineEdit) else ""
    return f"{type(w).__name__} « {w.accessibleName() or texte} »"


def hors_de_vue(fenetre: QWidget) -> list[str]:
    """The visible buttons, line edits and lists of ``fenetre`` that the user cannot see whole: cut by
    the window's edge or by a parent, unless a scroll area can bring them into view."""
    stabiliser()
    problemes = []
    for w in fenetre.findChildren(QWidget):
        if not isinstance(w, QAbstractButton | QLineEdit | QComboBox) or not w.isVisible() or w.window() is not fenetre:
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parentWidget(), QComboBox | QAbstractSpinBox):
            continue   # the editor inside a list or a date field: the field itself is checked
        zone = QRect(QPoint(0, 0), w.size())
        enfant, parent = w, w.parentWidget()
        visible = True
        while parent is not None and enfant is not fenetre:
            zone = zone.translated(enfant.pos())
            defile = isinstance(parent.parentWidget(), QAbstractScrollArea) and parent is parent.parentWidget().viewport()
            if defile:
                # Inside a scroll area's content: reachable by scrolling; the area itself must be in view.
                zone = QRect(QPoint(0, 0), parent.size())
            elif not parent.rect().contains(zone):
                visible = False
                break
            enfant, parent = parent, parent.parentWidget()
        if not visible:
            problemes.append(f"{_nom(w)} en {w.mapTo(fenetre, QPoint(0, 0)).toTuple()} {w.size().toTuple()}")
    return problemes


def tient_dans_l_ecran(fenetre: QWidget) -> list[str]:
    """What makes ``fenetre`` larger than a 1366×768 screen: its minimum size, its preferred size."""
    problemes = []
    for nom, taille in (("taille minimale", fenetre.minimumSizeHint()), ("taille préférée", fenetre.sizeHint()),
                        ("taille", fenetre.size())):
        if taille.width() > LARGEUR or taille.height() > HAUTEUR:
            problemes.append(f"{nom} {taille.toTuple()} > {LARGEUR}×{HAUTEUR}")
    return problemes


# --- Alt+letters ---------------------------------------------------------------------------------

_MNEMONIQUE = re.compile(r"&(?!&)(.)")


def lettre(texte: str) -> str | None:
    """The Alt+letter a text declares with « & » (« && » is a plain ampersand)."""
    m = _MNEMONIQUE.search(texte.replace("&&", ""))
    return m.group(1).upper() if m else None


def mnemoniques(fenetre: QWidget) -> dict[str, list[str]]:
    """Alt+letter → what answers it in ``fenetre`` now: the menu bar's menus, the visible and enabled
    buttons, tabs, and labels with a buddy."""
    stabiliser()
    pris: dict[str, list[str]] = {}

    def noter(texte: str, quoi: str) -> None:
        if (c := lettre(texte)) is not None:
            pris.setdefault(c, []).append(f"{quoi} « {texte} »")

    if isinstance(fenetre, QMainWindow) and fenetre.menuWidget() is not None:
        for action in fenetre.menuBar().actions():
            if action.isVisible() and action.isEnabled():
                noter(action.text(), "menu")
    for w in fenetre.findChildren(QWidget):
        if w.window() is not fenetre or not w.isVisible() or not w.isEnabled():
            continue
        if isinstance(w, QAbstractButton):
            noter(w.text(), type(w).__name__)
        elif isinstance(w, QLabel) and w.buddy() is not None and w.buddy().isVisible():
            noter(w.text(), "libellé")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabEnabled(i) and w.isTabVisible(i):
                    noter(w.tabText(i), "onglet")
    return pris


def doublons(fenetre: QWidget) -> dict[str, list[str]]:
    return {c: quoi for c, quoi in mnemoniques(fenetre).items() if len(quoi) > 1}
