"""Finding widgets the way a user (or a screen reader) does: by their accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

W = TypeVar("W", bound=QWidget)


def par_nom(racine: QWidget, nom: str, classe: type[W] = QWidget) -> W:  # type: ignore[assignment]
    trouves = [w for w in racine.findChildren(classe) if w.accessibleName() == nom]
    visibles = [w for w in trouves if w.isVisibleTo(racine)] or trouves
    if not visibles:
        raise LookupError(f"aucun widget « {nom} » ({classe.__name__})")
    return visibles[0]


def boites_ouvertes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
