"""E-mail: the outbox, SMTP settings and sending with backoff, the password kept out of the database.

The names other layers and areas use; the modules behind them are the area's own."""

from ...rules.courriels import SaisieSmtp, SituationEnvoi
from .boite_envoi import (
    LigneEnvoi,
    RapportEnvoi,
    compteurs,
    corps,
    enregistrer_parametres,
    envois_du_compte,
    envoyer_automatiquement,
    envoyer_en_attente,
    etat_parametres,
    lire_parametres,
    lister,
    nouveau_message,
    renvoyer,
    situation_message,
    tester_connexion,
)

__all__ = [
    "LigneEnvoi",
    "RapportEnvoi",
    "SaisieSmtp",
    "SituationEnvoi",
    "compteurs",
    "corps",
    "enregistrer_parametres",
    "envois_du_compte",
    "envoyer_automatiquement",
    "envoyer_en_attente",
    "etat_parametres",
    "lire_parametres",
    "lister",
    "nouveau_message",
    "renvoyer",
    "situation_message",
    "tester_connexion",
]
