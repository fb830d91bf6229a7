"""Backups of the database and its file store, rotation, verified restore, integrity check.

The names other layers and areas use; the modules behind them are the area's own."""

from ...rules.sauvegardes import ParametresSauvegarde
from .sauvegarde import (
    RapportRestauration,
    Sauvegarde,
    dossier_effectif,
    dossier_par_defaut,
    enregistrer_parametres,
    lister_sauvegardes,
    parametres,
    restaurer,
    sauvegarde_quotidienne,
    sauvegarder,
    verifier,
    verifier_integrite,
)

__all__ = [
    "ParametresSauvegarde",
    "RapportRestauration",
    "Sauvegarde",
    "dossier_effectif",
    "dossier_par_defaut",
    "enregistrer_parametres",
    "lister_sauvegardes",
    "parametres",
    "restaurer",
    "sauvegarde_quotidienne",
    "sauvegarder",
    "verifier",
    "verifier_integrite",
]
