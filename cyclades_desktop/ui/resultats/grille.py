"""A keyboard grid for typing grades (docs/domaine/resultats.md#notes): the operator types « 12,5 »,
« 12.5 », « abs » or « di » in a cell and Entrée or Tab moves to the next row. A typed grade is read by the
same rule the service applies (``rules.resultats.analyser_note``), so a bad one is refused at once, its
French message beside the cell (its tooltip and the status line under the grid), and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...rules.resultats import analyser_note
from ..formulaire import nommer

ROLE_CELLULE = Qt.ItemDataRole.UserRole + 1
FOND_ERREUR = QColor("#fde2e1")
FOND_REFUS = QColor("#eeeeee")
TEXTE_ERREUR = QColor("#a4262c")


@dataclass(frozen=True)
class Cellule:
    """What a cell of the grid stands for: the service's key (anonymat number or unit), the row it belongs
    to (a lot's copy or a candidature), the grade's row version as read, and why it cannot be typed."""

    ligne: object
    cle: str
    row_version: int | None
    refus: str | None = None


class _Delegue(QStyledItemDelegate):
    """A plain line editor; the typed text is checked before it reaches the model."""

    def __init__(self, grille: GrilleNotes) -> None:
        super().__init__(grille)
        self.grille = grille

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editeur = QLineEdit(parent)
        editeur.setMaxLength(12)
        nommer(editeur, f"Note de {self.grille.libelle_ligne(index.row())}")
        return editeur

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """Entrée and Tab commit at once (Qt defers Entrée to the next turn of the event loop): a fast
        typist's next key then always lands on the next cell, never in the editor being closed."""
        if isinstance(editor, QLineEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            H = QAbstractItemDelegate.EndEditHint
            fin = {Qt.Key.Key_Return: H.SubmitModelCache, Qt.Key.Key_Enter: H.SubmitModelCache,
                   Qt.Key.Key_Tab: H.EditNextItem, Qt.Key.Key_Backtab: H.EditPreviousItem}.get(Qt.Key(event.key()))
            if fin is not None:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, fin)
                return True
        return super().eventFilter(editor, event)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        self.grille.valider(index.row(), index.column(), editor.text())


class GrilleNotes(QTableWidget):
    """Rows of copies or candidates, columns of grades. ``enregistrer(cellule, texte)`` is called for a
    well-formed grade and returns the service's French refusal, or None when written."""

    def __init__(self, nom: str, enregistrer: Callable[[Cellule, str], str | None],
                 statut: Callable[[str], None]) -> None:
        super().__init__(0, 0)
        nommer(self, nom)
        self.enregistrer = enregistrer
        self.statut = statut
        self.colonnes_notes: set[int] = set()
        # Work the owner asks for once the editor has closed (reloading the grid under an open editor
        # would destroy it in the middle of its commit).
        self.apres_edition: Callable[[], None] | None = None
        self.setItemDelegate(_Delegue(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # Typing starts an entry, as in a spreadsheet; F2 edits the current cell.
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setMinimumSectionSize(80)      # room for « 12,50 » and a typo beside it
        self.currentCellChanged.connect(lambda r, c, _r, _c: self._annoncer(r, c))

    # --- filling ---------------------------------------------------------------------------------
    def remplir(self, entetes: list[str], lignes: list[list[str | tuple[str, Cellule]]]) -> None:
        """``lignes``: per row, plain text for a read-only cell, or (grade, Cellule) for a grade cell."""
        self.clear()
        self.colonnes_notes = set()
        self.setColumnCount(len(entetes))
        self.setHorizontalHeaderLabels(entetes)
        self.setRowCount(len(lignes))
        for r, ligne in enumerate(lignes):
            for c, valeur in enumerate(ligne):
                if isinstance(valeur, tuple):
                    texte, cellule = valeur
                    item = QTableWidgetItem(texte)
                    item.setData(ROLE_CELLULE, cellule)
                    self.colonnes_notes.add(c)
                    if cellule.refus:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                        item.setBackground(QBrush(FOND_REFUS))
                        item.setToolTip(cellule.refus)
                else:
                    item = QTableWidgetItem(valeur)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setToolTip(valeur)
                self.setItem(r, c, item)

    def cellule(self, r: int, c: int) -> Cellule | None:
        item = self.item(r, c)
        valeur = item.data(ROLE_CELLULE) if item is not None else None
        return valeur if isinstance(valeur, Cellule) else None

    def libelle_ligne(self, r: int) -> str:
        item = self.item(r, 0)
        return item.text() if item is not None else ""

    def premiere_cellule(self) -> None:
        """Put the focus on the first grade that can be typed."""
        for r in range(self.rowCount()):
            for c in sorted(self.colonnes_notes):
                if (x := self.cellule(r, c)) is not None and not x.refus:
                    self.setCurrentCell(r, c)
                    return

    # --- typing ----------------------------------------------------------------------------------
    def valider(self, r: int, c: int, texte: str) -> None:
        cellule, item = self.cellule(r, c), self.item(r, c)
        if cellule is None or item is None or texte.strip() == item.text().strip():
            return
        _note, message = analyser_note(texte)
        if message is None and texte.strip():
            message = self.enregistrer(cellule, texte.strip())
            if message is None:
                return          # written: the owner has refreshed the row
        elif message is None:
            message = "Une note effacée ne s'enregistre pas : saisissez la note, ABS ou DI."
        self.marquer_erreur(r, c, texte, message)

    def marquer_erreur(self, r: int, c: int, texte: str, message: str) -> None:
        """The typed text stays in red with the reason; the stored grade is unchanged."""
        item = self.item(r, c)
        if item is None:
            return
        item.setText(texte)
        item.setBackground(QBrush(FOND_ERREUR))
        item.setForeground(QBrush(TEXTE_ERREUR))       # still red when the selection hides the background
        item.setToolTip(message)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, message)
        self.statut(f"{self.libelle_ligne(r)} : {message}")

    def mettre_a_jour(self, r: int, c: int, texte: str, cellule: Cellule) -> None:
        item = self.item(r, c)
        if item is None:
            return
        item.setText(texte)
        item.setData(ROLE_CELLULE, cellule)
        item.setBackground(QBrush())
        item.setForeground(QBrush())
        item.setToolTip("")
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, "")

    def _annoncer(self, r: int, c: int) -> None:
        """The status line repeats a cell's refusal or error when the cursor reaches it."""
        item = self.item(r, c) if r >= 0 and c >= 0 else None
        if item is not None and c in self.colonnes_notes and item.toolTip():
            self.statut(f"{self.libelle_ligne(r)} : {item.toolTip()}")

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Entrée goes down to the next row's grade in the same column; Tab to the next grade on the right
        (then the next row), Maj+Tab back. A refused grade keeps the cursor on its cell, for correction."""
        r, c = self.currentRow(), self.currentColumn()
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if (apres := self.apres_edition) is not None:
            self.apres_edition = None
            apres()
            return
        item = self.item(r, c)
        if item is None or item.background().color() == FOND_ERREUR:
            return
        H = QAbstractItemDelegate.EndEditHint
        if hint == H.SubmitModelCache:
            cibles = [(x, c) for x in range(r + 1, self.rowCount())]
        elif hint in (H.EditNextItem, H.EditPreviousItem):
            colonnes = sorted(self.colonnes_notes)
            ordre = [(x, y) for x in range(self.rowCount()) for y in colonnes]
            i = ordre.index((r, c)) if (r, c) in ordre else -1
            cibles = ordre[i + 1:] if hint == H.EditNextItem else list(reversed(ordre[:max(i, 0)]))
        else:
            return
        for x, y in cibles:
            cellule = self.cellule(x, y)
            if cellule is not None and not cellule.refus:
                self.setCurrentCell(x, y)
                return
