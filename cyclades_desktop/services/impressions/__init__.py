"""Batch printing (resumable lots on both cores) and letters from the office's DOCX templates.

The names other layers and areas use; the modules behind them are the area's own."""

from .lots import (
    DOSSIER,
    FICHIER_UNIQUE,
    TYPES,
    RapportLot,
    abandonner,
    candidatures_du_perimetre,
    creer_lot,
    executer,
    lots_inacheves,
    marquer_imprime,
    nombre,
    texte_rapport,
)

__all__ = [
    "DOSSIER",
    "FICHIER_UNIQUE",
    "RapportLot",
    "TYPES",
    "abandonner",
    "candidatures_du_perimetre",
    "creer_lot",
    "executer",
    "lots_inacheves",
    "marquer_imprime",
    "nombre",
    "texte_rapport",
]
