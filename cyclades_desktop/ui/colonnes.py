"""Column widths of a long list on a 1366-pixel laptop: each column has a priority, a minimum under which
its values stop being useful, a preferred width and a share of any extra room. The columns of the first
priority share the list's width (long values and headers elided, the full text in the tooltip); the others
follow at their preferred width, reached by scrolling, unless there is room for everything. A width the
user sets by dragging a column's edge is kept from one day to the next (QSettings « colonnes/<clé> »);
« Ajuster les colonnes à la largeur » in the header's menu goes back to the automatic widths.

    LargeursColonnes(table, "pieces", [Priorite(100, 150, 2), Priorite(92, echantillon="01000000016"), …])"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from .ecran import parametres

MARGE_CELLULE = 14   # a cell's padding on both sides, and a little air


@dataclass(frozen=True)
class Priorite:
    minimum: int                 # narrower, the column's values are no longer useful
    prefere: int = 0             # 0: the minimum
    poids: float = 0.0           # share of the extra room (0: never wider than preferred)
    rang: int = 1                # 1: shares the list's width; 2: follows, reached by scrolling if need be
    echantillon: str = ""        # a value that must stay whole (a N° candidat, a date): raises the minimum


def _partager(reste: int, indices: list[int], poids: Sequence[float], largeurs: list[int]) -> None:
    total = sum(poids[i] for i in indices)
    if reste <= 0 or total <= 0:
        return
    donne = 0
    for i in indices:
        part = int(reste * poids[i] / total)
        largeurs[i] += part
        donne += part
    largeurs[max(indices, key=lambda i: poids[i])] += reste - donne   # rounding: to the widest share


def largeurs(disponible: int, minimums: Sequence[int], preferes: Sequence[int], poids: Sequence[float],
             rangs: Sequence[int]) -> list[int]:
    """The widths for a list ``disponible`` pixels wide (pure: the tests call it with numbers)."""
    n = len(minimums)
    tous = list(range(n))
    if sum(preferes) <= disponible:
        out = list(preferes)
        _partager(disponible - sum(preferes), [i for i in tous if poids[i] > 0], poids, out)
        return out
    premiers = [i for i in tous if rangs[i] <= 1]
    out = list(preferes)                      # the others: their preferred width, after the first ones
    pref = sum(preferes[i] for i in premiers)
    if pref <= disponible:
        _partager(disponible - pref, [i for i in premiers if poids[i] > 0], poids, out)
        return out
    marge = {i: preferes[i] - minimums[i] for i in premiers}
    a_retirer = min(pref - disponible, sum(marge.values()))
    total = sum(marge.values()) or 1
    retire = 0
    for i in premiers:
        part = a_retirer * marge[i] // total
        out[i] -= part
        retire += part
    for i in sorted(premiers, key=lambda i: -marge[i]):   # rounding: from the most flexible
        if retire >= a_retirer:
            break
        if out[i] > minimums[i]:
            out[i] -= 1
            retire += 1
    return out


class LargeursColonnes(QObject):
    def __init__(self, table: QTableView, cle: str, priorites: Sequence[Priorite]) -> None:
        super().__init__(table)
        self.table = table
        self.cle = f"colonnes/{cle}"
        self.priorites = tuple(priorites)
        self._automatique = False          # widths being set by us, not dragged by the user
        entete = table.horizontalHeader()
        entete.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        entete.setStretchLastSection(False)
        entete.setMinimumSectionSize(30)
        # A header narrower than its text is elided (« Dépôt / ré… »), never cut at both ends; the model
        # gives every header its full text as a tooltip.
        entete.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        entete.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        entete.customContextMenuRequested.connect(self._menu)
        self.ajuster_action = QAction("Ajuster les colonnes à la largeur", table)
        self.ajuster_action.triggered.connect(self.reinitialiser)
        self.manuel = self._restaurer()
        entete.sectionResized.connect(self._redimensionnee)
        table.viewport().installEventFilter(self)
        if not self.manuel:
            self.ajuster()

    # --- automatic widths --------------------------------------------------------------------------
    def minimums(self) -> list[int]:
        mesure = self.table.fontMetrics()
        return [max(p.minimum, mesure.horizontalAdvance(p.echantillon) + MARGE_CELLULE if p.echantillon else 0)
                for p in self.priorites]

    def ajuster(self) -> None:
        minimums = self.minimums()
        preferes = [max(p.prefere, m) for p, m in zip(self.priorites, minimums, strict=True)]
        calcul = largeurs(self.table.viewport().width(), minimums, preferes, [p.poids for p in self.priorites],
                          [p.rang for p in self.priorites])
        self._automatique = True
        try:
            for colonne, largeur in enumerate(calcul):
                self.table.setColumnWidth(colonne, largeur)
        finally:
            self._automatique = False

    def eventFilter(self, objet: QObject, evenement: QEvent) -> bool:
        if evenement.type() == QEvent.Type.Resize and not self.manuel:
            self.ajuster()
        return False

    def reinitialiser(self) -> None:
        parametres().remove(self.cle)
        self.manuel = False
        self.ajuster()

    # --- the user's widths ---------------------------------------------------------------------------
    def _redimensionnee(self, _colonne: int, _avant: int, _apres: int) -> None:
        if self._automatique:
            return
        self.manuel = True
        entete = self.table.horizontalHeader()
        parametres().setValue(self.cle, [entete.sectionSize(i) for i in range(entete.count())])

    def _restaurer(self) -> bool:
        valeur = parametres().value(self.cle)
        if not isinstance(valeur, list | tuple) or len(valeur) != len(self.priorites):
            return False
        try:
            tailles = [int(x) for x in valeur]   # IniFormat hands numbers back as strings
        except (TypeError, ValueError):
            return False
        self._automatique = True
        try:
            for colonne, taille in enumerate(tailles):
                self.table.setColumnWidth(colonne, max(30, taille))
        finally:
            self._automatique = False
        return True

    def _menu(self, position: QPoint) -> None:
        menu = QMenu(self.table)
        menu.addAction(self.ajuster_action)
        menu.popup(self.table.horizontalHeader().mapToGlobal(position))

