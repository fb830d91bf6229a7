"""The pieces of the reviewers' grid: one keyset page of the service at a time, the next fetched when
the view scrolls to the end (canFetchMore/fetchMore); a row is refreshed in place after a change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...rules import pieces as regles
from ...rules.temps import format_date, format_date_heure
from ...services.justificatifs import FiltrePieces, LignePiece, controle
from ...services.noyau import Contexte
from ..colonnes import Priorite
from ..tables import Colonne, ModelePagine

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
# At 1366 pixels the grid gets about 660: the first six columns share it (the comment included), the
# last three follow by scrolling; N° candidat and dates stay whole, names and labels elide (tooltips).
PRIORITES = (
    Priorite(100, 150, 2),                                        # Candidat
    Priorite(60, echantillon="01000000016"),                      # N° candidat
    Priorite(100, 170, 2),                                        # Pièce
    Priorite(130, 150, 1),                                        # Statut: « En attente de contrôle » whole
    Priorite(60, echantillon="10/11/2024 11:00"),                 # Dépôt / réception
    Priorite(80, 200, 3),                                         # Commentaire
    Priorite(60, 90, 0.5, rang=2),                                # Revu par
    Priorite(60, 120, echantillon="10/11/2024 11:00", rang=2),    # Échéance
    Priorite(80, 260, 1, rang=2),                                 # Candidature
)
# Colours that read at a glance without relying on colour alone (the text says the status).
COULEURS = {
    regles.EN_ATTENTE_CONTROLE: "#fff4dc",
    regles.RECUE: "#e6f0fb",
    regles.CONFORME: "#e3f1e5",
    regles.NON_CONFORME: "#fde7e9",
    regles.NOUVELLE_PJ: "#f3e8fb",
}


def depot_ou_reception(ligne: LignePiece) -> str:
    parties = []
    if ligne.depose_le is not None:
        parties.append(format_date_heure(ligne.depose_le))
    if ligne.date_reception is not None:
        parties.append(f"reçue le {format_date(ligne.date_reception)}" + (
            f" (cachet du {format_date(ligne.date_cachet)})" if ligne.date_cachet else ""))
    return " · ".join(parties)


def _aide_piece(ligne: LignePiece) -> str:
    return f"{ligne.piece_code} : {ligne.piece_libelle} ({regles.LIBELLES_MODES.get(ligne.mode, ligne.mode)})"


def _aide_depot(ligne: LignePiece) -> str:
    if ligne.depose_le is None:
        return depot_ou_reception(ligne)
    return f"Déposée le {format_date_heure(ligne.depose_le)} (heure de Paris)" + (
        f", reçue le {format_date(ligne.date_reception)}" if ligne.date_reception else "")


_COLONNES: tuple[Colonne[LignePiece], ...] = (
    Colonne(COLONNES[0], lambda x: x.candidat),
    Colonne(COLONNES[1], lambda x: x.numero_candidat),
    Colonne(COLONNES[COLONNE_PIECE], lambda x: x.piece_libelle, _aide_piece),
    Colonne(COLONNES[COLONNE_STATUT], lambda x: x.statut_libelle if x.statut else "",
            lambda x: x.statut_libelle),
    Colonne(COLONNES[COLONNE_DEPOT], depot_ou_reception, _aide_depot),
    Colonne(COLONNES[5], lambda x: x.commentaire or ""),
    Colonne(COLONNES[6], lambda x: x.revu_par or ""),
    Colonne(COLONNES[COLONNE_ECHEANCE], lambda x: format_date_heure(x.echeance),
            lambda x: f"À retourner au plus tard le {format_date_heure(x.echeance)} (heure de Paris)"),
    Colonne(COLONNES[8], lambda x: x.candidature),
)


class ModelePieces(ModelePagine[LignePiece]):
    def __init__(self, ctx: Contexte, taille_page: int = controle.TAILLE_PAGE) -> None:
        super().__init__(_COLONNES, taille_page)
        self.ctx = ctx
        self.filtre = FiltrePieces()

    def charger(self, filtre: FiltrePieces) -> None:
        """First page for ``filtre``. Raises DomainError (the caller shows it)."""
        self.recharger(lambda apres, limite: controle.grille(
            self.ctx, filtre, apres=apres.cle if apres else None, limite=limite))
        self.filtre = filtre

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            # Every header says its whole name: a narrow column elides it.
            aide = AIDES_COLONNES.get(section)
            return f"{COLONNES[section]} : {aide}" if aide else COLONNES[section]
        return super().headerData(section, orientation, role)

    def donnee(self, ligne: LignePiece, colonne: int, role: int) -> object:
        if role == Qt.ItemDataRole.BackgroundRole and colonne == COLONNE_STATUT and ligne.statut in COULEURS:
            return QColor(COULEURS[ligne.statut])
        return None
