"""Backups of the database and its file store, rotation, verified restore, integrity check.

The names other layers and areas use; the modules behind them are the area's own."""

from ...rules.sauvegardes import ParametresSauvegarde
from .emplacements import Emplacements, emplacements
from .integrite import RapportIntegrite, verifier_integrite
from .manifeste import Sauvegarde, verifier
from .restauration import RapportRestauration, restaurer
from .sauvegarde import (
    dossier_effectif,
    dossier_par_defaut,
    enregistrer_parametres,
    lister_sauvegardes,
    parametres,
    sauvegarde_quotidienne,
    sauvegarder,
)
from .sceaux import ancres_audit

__all__ = [
    "Emplacements",
    "ParametresSauvegarde",
    "RapportIntegrite",
    "RapportRestauration",
    "Sauvegarde",
    "ancres_audit",
    "dossier_effectif",
    "dossier_par_defaut",
    "emplacements",
    "enregistrer_parametres",
    "lister_sauvegardes",
    "parametres",
    "restaurer",
    "sauvegarde_quotidienne",
    "sauvegarder",
    "verifier",
    "verifier_integrite",
]
