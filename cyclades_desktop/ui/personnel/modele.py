"""The staff table. Staff accounts number a few dozen, so the model holds the whole list the
service returns (already sorted by name in SQL); no paging is needed here."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...rules.personnel import libelle_role
from ...rules.temps import format_date_heure
from ...services.personnel import VueAgent
from ..tables import ModeleTable

COLONNES = ["Identifiant", "Nom", "Prénom", "Rôle", "Portefeuilles", "Actif",
            "Dernière connexion (heure de Paris)"]
ROLE_ID = Qt.ItemDataRole.UserRole
_GRIS = QBrush(QColor("#777777"))

_Index = QModelIndex | QPersistentModelIndex


def libelle_court(libelle: str) -> str:
    """'Filière mécanique aéronautique…' → 'mécanique aéronautique…': the prefix repeats on every line."""
    return libelle.removeprefix("Filière ")


class ModeleAgents(ModeleTable):
    COLONNES = COLONNES
    def __init__(self, libelles_portefeuilles: dict[str, str]) -> None:
        super().__init__()
        self.agents: list[VueAgent] = []
        self.portefeuilles = libelles_portefeuilles

    def remplacer(self, agents: list[VueAgent]) -> None:
        self.beginResetModel()
        self.agents = agents
        self.endResetModel()

    def ligne_de(self, agent_id: int) -> int | None:
        return next((i for i, a in enumerate(self.agents) if a.id == agent_id), None)

    def _nombre_lignes(self) -> int:
        return len(self.agents)

    def _texte(self, a: VueAgent, colonne: int) -> str:
        if colonne == 0:
            return a.login
        if colonne == 1:
            return a.nom
        if colonne == 2:
            return a.prenom
        if colonne == 3:
            return libelle_role(a.role)
        if colonne == 4:
            return " ; ".join(libelle_court(self.portefeuilles.get(c, c)) for c in a.portefeuilles)
        if colonne == 5:
            return "Oui" if a.actif else "Non"
        return format_date_heure(a.derniere_connexion) if a.derniere_connexion else "Jamais"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        a = self.agents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texte(a, index.column())
        if role == ROLE_ID:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4 and a.portefeuilles:
            return "\n".join(self.portefeuilles.get(c, c) for c in a.portefeuilles)
        if role == Qt.ItemDataRole.ForegroundRole and not a.actif:
            return _GRIS  # a deactivated account stays listed but reads as such
        return None
