"""What every list screen shares: a read-only table model with fixed columns, and the table view
set up the same way everywhere (whole rows, single selection, no editing)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from .formulaire import nommer

Index = QModelIndex | QPersistentModelIndex


class ModeleTable(QAbstractTableModel):
    """Subclasses set COLONNES and implement ``_nombre_lignes`` and ``data``."""

    COLONNES: Sequence[str] = ()

    def _nombre_lignes(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._nombre_lignes()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLONNES)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLONNES[section]
        return None


def table_lecture(nom: str, modele: QAbstractTableModel, *, hauteur_ligne: int = 24) -> QTableView:
    table = QTableView()
    table.setModel(modele)
    configurer_lecture(table, nom)
    table.verticalHeader().setDefaultSectionSize(hauteur_ligne)
    return table


def configurer_lecture(table: QTableView, nom: str) -> None:
    """Read-only, whole-row single selection, named for screen readers and tests."""
    nommer(table, nom)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
