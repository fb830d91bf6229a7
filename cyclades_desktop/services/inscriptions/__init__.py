"""Registering a candidate: choosing the examen, the wizard's checks, saving a candidature,
désinscription, the cards.

The names other layers and areas use; the modules behind them are the area's own."""

from .enregistrement import (
    CONFIRMATION_DESINSCRIPTION,
    MESSAGE_MOTIF,
    Demarrage,
    Enregistrement,
    Offre,
    apercu_recapitulatif,
    calculer_epreuves,
    demarrer,
    desinscrire,
    enregistrer,
    hors_periode,
    offres,
    ouvrir,
    preparer_modification,
    saisie_initiale,
    verifier_onglet,
)
from .lecture import CarteInscription

__all__ = [
    "CONFIRMATION_DESINSCRIPTION",
    "CarteInscription",
    "Demarrage",
    "Enregistrement",
    "MESSAGE_MOTIF",
    "Offre",
    "apercu_recapitulatif",
    "calculer_epreuves",
    "demarrer",
    "desinscrire",
    "enregistrer",
    "hors_periode",
    "offres",
    "ouvrir",
    "preparer_modification",
    "saisie_initiale",
    "verifier_onglet",
]
