"""The pieces of the reviewers' grid: one keyset page of the service at a time, the next fetched when
the view scrolls to the end (canFetchMore/fetchMore); a row is refreshed in place after a change."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ...rules import pieces as regles
from ...rules.errors import DomainError
from ...rules.temps import format_date, format_date_heure
from ...services import controle
from ...services.contexte import Contexte
from ...services.controle import FiltrePieces, LignePiece
from ..tables import ModeleTable

ROLE_ID = Qt.ItemDataRole.UserRole + 1
# What the reviewer reads first comes first; the candidature's long label last.
COLONNES = ("Candidat", "N° candidat", "Pièce", "Statut", "Dépôt / réception", "Commentaire", "Revu par",
            "Échéance", "Candidature")
COLONNE_PIECE, COLONNE_STATUT, COLONNE_DEPOT, COLONNE_ECHEANCE = 2, 3, 4, 7
AIDES_COLONNES = {
    COLONNE_STATUT: "Touches 0, A, R, C, N, P : statut des pièces sélectionnées",
    COLONNE_DEPOT: "Date et heure du dépôt du fichier (heure de Paris), ou date de réception d'une pièce "
                   "postale",
    COLONNE_ECHEANCE: "Date limite de retour de la pièce (heure de Paris)",
}
# Colours that read at a glance without relying on colour alone (the text says the status).
COULEURS = {
    regles.EN_ATTENTE_CONTROLE: "#fff4dc",
    regles.RECUE: "#e6f0fb",
    regles.CONFORME: "#e3f1e5",
    regles.NON_CONFORME: "#fde7e9",
    regles.NOUVELLE_PJ: "#f3e8fb",
}

Index = QModelIndex | QPersistentModelIndex


def depot_ou_reception(ligne: LignePiece) -> str:
    parties = []
    if ligne.depose_le is not None:
        parties.append(format_date_heure(ligne.depose_le))
    if ligne.date_reception is not None:
        parties.append(f"reçue le {format_date(ligne.date_reception)}")
    return " · ".join(parties)


class ModelePieces(ModeleTable):
    COLONNES = COLONNES

    charge = Signal()          # rows were (re)loaded or appended
    erreur = Signal(object)    # a DomainError while fetching a page (shown by the zone)

    def __init__(self, ctx: Contexte, taille_page: int = controle.TAILLE_PAGE) -> None:
        super().__init__()
        self.ctx = ctx
        self.taille_page = taille_page
        self.filtre = FiltrePieces()
        self._lignes: list[LignePiece] = []
        self._encore = False

    # --- loading ---------------------------------------------------------------------------
    def charger(self, filtre: FiltrePieces) -> None:
        """First page for ``filtre``. Raises DomainError (the caller shows it)."""
        lignes = controle.grille(self.ctx, filtre, limite=self.taille_page)
        self.beginResetModel()
        self.filtre = filtre
        self._lignes = lignes
        self._encore = len(lignes) >= self.taille_page
        self.endResetModel()
        self.charge.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._encore

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._encore or not self._lignes:
            return
        try:
            page = controle.grille(self.ctx, self.filtre, apres=self._lignes[-1].cle, limite=self.taille_page)
        except DomainError as exc:
            # Called by the view while painting: an exception here would reach Qt, not the user.
            self._encore = False
            self.erreur.emit(exc)
            return
        self._encore = len(page) >= self.taille_page
        if page:
            debut = len(self._lignes)
            self.beginInsertRows(QModelIndex(), debut, debut + len(page) - 1)
            self._lignes.extend(page)
            self.endInsertRows()
        self.charge.emit()

    @property
    def encore(self) -> bool:
        return self._encore

    def ligne(self, row: int) -> LignePiece:
        return self._lignes[row]

    def rangee_de(self, justificatif_id: int) -> int:
        for i, ligne in enumerate(self._lignes):
            if ligne.id == justificatif_id:
                return i
        return -1

    def remplacer(self, ligne: LignePiece) -> None:
        """The row of this piece, afresh from the service (after a status change)."""
        row = self.rangee_de(ligne.id)
        if row < 0:
            return
        self._lignes[row] = ligne
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLONNES) - 1))

    # --- Qt model ----------------------------------------------------------------------------
    def _nombre_lignes(self) -> int:
        return len(self._lignes)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return AIDES_COLONNES.get(section)
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        ligne = self._lignes[index.row()]
        colonne = index.column()
        if role == ROLE_ID:
            return ligne.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texte(ligne, colonne)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._aide(ligne, colonne)
        if role == Qt.ItemDataRole.BackgroundRole and colonne == COLONNE_STATUT and ligne.statut in COULEURS:
            return QColor(COULEURS[ligne.statut])
        return None

    @staticmethod
    def _texte(ligne: LignePiece, colonne: int) -> str:
        valeurs = (ligne.candidat, ligne.numero_candidat, ligne.piece_libelle,
                   ligne.statut_libelle if ligne.statut else "", depot_ou_reception(ligne),
                   ligne.commentaire or "", ligne.revu_par or "", format_date_heure(ligne.echeance),
                   ligne.candidature)
        return valeurs[colonne]

    @staticmethod
    def _aide(ligne: LignePiece, colonne: int) -> str:
        if colonne == COLONNE_PIECE:
            mode = regles.LIBELLES_MODES.get(ligne.mode, ligne.mode)
            return f"{ligne.piece_code} : {ligne.piece_libelle} ({mode})"
        if colonne == COLONNE_DEPOT and ligne.depose_le is not None:
            return f"Déposée le {format_date_heure(ligne.depose_le)} (heure de Paris)" + (
                f", reçue le {format_date(ligne.date_reception)}" if ligne.date_reception else "")
        if colonne == COLONNE_ECHEANCE:
            return f"À retourner au plus tard le {format_date_heure(ligne.echeance)} (heure de Paris)"
        if colonne == COLONNE_STATUT:
            return ligne.statut_libelle
        return ModelePieces._texte(ligne, colonne)
