"""Candidate accounts (creation, activation, search, modification) and papillons de connexion.

The names other layers and areas use; the modules behind them are the area's own."""

from .candidats import (
    MESSAGE_VERROU,
    CompteCree,
    LigneCompte,
    VueCommune,
    VueCompte,
    VueMessage,
    a_des_candidatures,
    activer_compte,
    champs_modifiables,
    commune_du_compte,
    creer_compte,
    messages,
    modifier_compte,
    obtenir,
    purger_comptes_non_actives,
    rechercher,
    reinitialiser_mot_de_passe,
    saisie_depuis_compte,
    supprimer_compte,
)
from .code_activation import fiche_code_activation
from .papillons import LotPapillons, examen_phrase

__all__ = [
    "CompteCree",
    "LigneCompte",
    "LotPapillons",
    "MESSAGE_VERROU",
    "VueCommune",
    "VueCompte",
    "VueMessage",
    "a_des_candidatures",
    "activer_compte",
    "champs_modifiables",
    "commune_du_compte",
    "creer_compte",
    "examen_phrase",
    "fiche_code_activation",
    "messages",
    "modifier_compte",
    "obtenir",
    "purger_comptes_non_actives",
    "rechercher",
    "reinitialiser_mot_de_passe",
    "saisie_depuis_compte",
    "supprimer_compte",
]
