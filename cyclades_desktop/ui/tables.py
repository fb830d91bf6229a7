"""What every list screen shares: a read-only table model with fixed columns, the keyset-paged
model of the long lists, and the table view set up the same way everywhere (whole rows, single
selection, no editing).

    modele = ModelePagine([Colonne("Nom", lambda x: x.nom), Colonne("N°", lambda x: x.numero)], 100)
    modele.recharger(lambda apres, limite: service.lister(ctx, filtre, apres=apres, limite=limite))
    table = table_lecture("Liste des candidats", modele)

``apres`` is the last row shown (None for the first page); the view asks for the next page when it
scrolls to the end, so a list of any length opens at once and is never wholly in memory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ..rules.errors import DomainError
from .formulaire import nommer

Index = QModelIndex | QPersistentModelIndex
ROLE_ID = Qt.ItemDataRole.UserRole + 1     # a row's identifier, for the screens that act on the selection
L = TypeVar("L")


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


@dataclass(frozen=True)
class Colonne(Generic[L]):
    """One column of a paged list: its header, the text of a row, its tooltip (None: the text)."""

    titre: str
    texte: Callable[[L], str]
    aide: Callable[[L], str | None] | None = None


def _id(ligne: Any) -> object:
    return ligne.id


class ModelePagine(ModeleTable, Generic[L]):
    """Rows of a service's keyset query, one page at a time (see the module's docstring)."""

    charge = Signal()          # rows were (re)loaded or appended: the count label follows
    erreur = Signal(object)    # a DomainError while fetching a next page (the screen shows it)

    def __init__(self, colonnes: Sequence[Colonne[L]], taille_page: int, *,
                 identifiant: Callable[[L], object] = _id, sans_doublons: bool = False,
                 bulle_texte: bool = True) -> None:
        """``sans_doublons``: a row already shown is left out of the next pages. ``bulle_texte``: a
        column without its own tooltip shows its text as one (a cut-off value stays readable)."""
        super().__init__()
        self.colonnes = tuple(colonnes)
        self.COLONNES = tuple(c.titre for c in self.colonnes)
        self.taille_page = taille_page
        self.identifiant = identifiant
        self.sans_doublons = sans_doublons
        self.bulle_texte = bulle_texte
        self.lignes: list[L] = []
        self._ids: set[object] = set()
        self._page: Callable[[L | None, int], list[L]] | None = None
        self._encore = False

    # --- loading ---------------------------------------------------------------------------------
    def recharger(self, page: Callable[[L | None, int], list[L]] | None) -> None:
        """The first page of ``page(apres, limite)``; None shows no rows. Raises DomainError (the
        caller shows it); the rows shown stay as they were then."""
        lignes = page(None, self.taille_page) if page is not None else []
        self.beginResetModel()
        self._page = page
        self.lignes = lignes
        self._ids = {self.identifiant(x) for x in lignes} if self.sans_doublons else set()
        self._encore = page is not None and len(lignes) >= self.taille_page
        self.endResetModel()
        self.charge.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._encore

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._encore or not self.lignes or self._page is None:
            return
        try:
            page = self._page(self.lignes[-1], self.taille_page)
        except DomainError as exc:
            # Called by the view while painting: an exception here would reach Qt, not the user.
            # Nothing more is asked until the list is loaded again.
            self._encore = False
            self.erreur.emit(exc)
            return
        self._encore = len(page) >= self.taille_page
        if self.sans_doublons:
            page = [x for x in page if self.identifiant(x) not in self._ids]
            self._ids.update(self.identifiant(x) for x in page)
        if page:
            debut = len(self.lignes)
            self.beginInsertRows(QModelIndex(), debut, debut + len(page) - 1)
            self.lignes.extend(page)
            self.endInsertRows()
        self.charge.emit()

    @property
    def encore(self) -> bool:
        """More rows than shown: the view fetches them when scrolled to the end."""
        return self._encore

    # --- rows ------------------------------------------------------------------------------------
    def ligne(self, row: int) -> L:
        return self.lignes[row]

    def rangee_de(self, identifiant: object) -> int:
        """The row showing this record, -1 when it is not (or not yet) loaded."""
        for i, ligne in enumerate(self.lignes):
            if self.identifiant(ligne) == identifiant:
                return i
        return -1

    def remplacer(self, ligne: L) -> None:
        """This record's row afresh from the service (after a change), in place."""
        row = self.rangee_de(self.identifiant(ligne))
        if row < 0:
            return
        self.lignes[row] = ligne
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.colonnes) - 1))

    # --- Qt model --------------------------------------------------------------------------------
    def _nombre_lignes(self) -> int:
        return len(self.lignes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        ligne = self.lignes[index.row()]
        colonne = self.colonnes[index.column()]
        if role == ROLE_ID:
            return self.identifiant(ligne)
        if role == Qt.ItemDataRole.DisplayRole:
            return colonne.texte(ligne)
        if role == Qt.ItemDataRole.ToolTipRole:
            if colonne.aide is not None:
                return colonne.aide(ligne)
            return colonne.texte(ligne) if self.bulle_texte else None
        return self.donnee(ligne, index.column(), role)

    def donnee(self, ligne: L, colonne: int, role: int) -> object:
        """Other roles (colours, the whole record…): subclasses say."""
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
