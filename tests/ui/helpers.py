"""Finding widgets the way a user (or a screen reader) does: by their accessible name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QWidget

W = TypeVar("W", bound=QWidget)


def par_nom(racine: QWidget, nom: str, classe: type[W] = QWidget) -> W:  # type: ignore[assignment]
    trouves = [w for w in racine.findChildren(classe) if w.accessibleName() == nom]
    visibles = [w for w in trouves if w.isVisibleTo(racine)] or trouves
    if not visibles:
        raise LookupError(f"aucun widget « {nom} » ({classe.__name__})")
    return visibles[0]


def boites_ouvertes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def taper(qtbot, champ: QWidget, texte: str) -> None:
    """Type like a keyboard would. QTest only knows ASCII keys: accented letters (« Lefèvre »)
    are sent as key events carrying their text, as a French keyboard produces them."""
    for ch in texte:
        if ch.isascii():
            qtbot.keyClicks(champ, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(champ, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def choisir_dans_completer(qtbot, champ: QLineEdit, tape: str, libelle: str) -> None:
    """Type the start of a name, wait for the suggestions, pick one with the keyboard."""
    champ.setFocus()
    taper(qtbot, champ, tape)
    popup = champ.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    modele = popup.model()
    lignes = [modele.index(r, 0) for r in range(modele.rowCount())]
    assert libelle in [i.data() for i in lignes], [i.data() for i in lignes]
    popup.setCurrentIndex(next(i for i in lignes if i.data() == libelle))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())


def choisir_dans_combo(qtbot, combo: QComboBox, tape: str, libelle: str) -> None:
    combo.lineEdit().selectAll()
    choisir_dans_completer(qtbot, combo.lineEdit(), tape, libelle)
    assert combo.currentText() == libelle


def capturer(image: QPixmap, nom: str) -> None:
    """Save a screen for the README only when asked (CYCLADES_CAPTURES=<folder>): a test run never
    rewrites the repository's docs/."""
    dossier = os.environ.get("CYCLADES_CAPTURES")
    if dossier:
        Path(dossier).mkdir(parents=True, exist_ok=True)
        assert image.save(str(Path(dossier) / nom))
