"""RGPD: a candidate's data as a ZIP, retention settings and the purge.

The names other layers and areas use; the modules behind them are the area's own."""

from .conservation import lire_conservation_session
from .export import (
    appliquer_purge,
    compte_par_numero,
    enregistrer_conservation,
    exporter_candidat,
    lignes_plan,
    lire_conservation,
    preparer_purge,
)
from .purge import PlanPurge

__all__ = [
    "PlanPurge",
    "appliquer_purge",
    "compte_par_numero",
    "enregistrer_conservation",
    "exporter_candidat",
    "lignes_plan",
    "lire_conservation",
    "lire_conservation_session",
    "preparer_purge",
]
