"""The list a batch will act on, as the service computed it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...rules.temps import format_date_heure
from ...services.justificatifs import LigneTraitement
from ..tables import ModeleTable

ROLE_ID = Qt.ItemDataRole.UserRole


class ModeleLignes(ModeleTable):
    COLONNES = ("N° candidat", "Candidat", "Candidature", "Pièce", "Date limite (heure de Paris)")

    def __init__(self, colonne_piece: str = "Pièce") -> None:
        super().__init__()
        self.COLONNES = (*self.COLONNES[:3], colonne_piece, self.COLONNES[4])
        self.lignes: list[LigneTraitement] = []

    def _nombre_lignes(self) -> int:
        return len(self.lignes)

    def remplacer(self, lignes: list[LigneTraitement]) -> None:
        self.beginResetModel()
        self.lignes = list(lignes)
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        x = self.lignes[index.row()]
        if role == ROLE_ID:
            return x.candidature_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (x.numero_candidat, x.candidat, x.candidature, x.piece_code,
                    format_date_heure(x.echeance))[index.column()]
        return None
