"""Pièces justificatives: derived requirements, deposits, statuses, the reviewers' grid, deadlines with their relances and annulations.

The names other layers and areas use; the modules behind them are the area's own."""

from .controle import FiltrePieces, LignePiece
from .echeances import LigneTraitement, RapportRelance
from .pieces import (
    FichierVue,
    GroupeVue,
    PieceVue,
    changer_statut,
    contenu_fichier,
    deposer,
    enregistrer_reception,
    fichier_courant,
    mes_justificatifs,
    supprimer_fichier,
    synchroniser,
    valider_groupe,
)

__all__ = [
    "FichierVue",
    "FiltrePieces",
    "LigneTraitement",
    "RapportRelance",
    "GroupeVue",
    "LignePiece",
    "PieceVue",
    "changer_statut",
    "contenu_fichier",
    "deposer",
    "enregistrer_reception",
    "fichier_courant",
    "mes_justificatifs",
    "supprimer_fichier",
    "synchroniser",
    "valider_groupe",
]
