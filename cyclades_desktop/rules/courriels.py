"""Messages by e-mail (services/courriels, docs/domaine/courriels.md): the states of an outbox row with their
French names, when a failed message is tried again, and the office's SMTP settings with the checks on
what the chef de bureau types. Talking to the server and storing the settings live in the services."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from .comptes import verifier_email
from .errors import ValidationError
from .texte import entier_ascii, erreurs_caracteres


class EtatEnvoi(StrEnum):
    """Stored in ``envoi_courriel.etat``."""

    A_ENVOYER = "a_envoyer"
    ENVOYE = "envoye"
    ECHEC = "echec"

    @property
    def libelle(self) -> str:
        return LIBELLES_ENVOI[self]


LIBELLES_ENVOI: dict[str, str] = {EtatEnvoi.A_ENVOYER: "À envoyer", EtatEnvoi.ENVOYE: "Envoyé",
                                  EtatEnvoi.ECHEC: "Échec"}

class SituationEnvoi(StrEnum):
    """What became of one message, as the counter tells the candidate: its outbox row and the settings
    together (a message « à envoyer » only leaves if a server is set up, by itself only if automatic)."""

    ENVOYE = "envoye"                 # the server accepted it
    AUTOMATIQUE = "automatique"       # in the outbox; automatic sending takes it within minutes
    EN_ATTENTE = "en_attente"         # in the outbox; it leaves when someone sends from « Boîte d'envoi »
    ECHEC = "echec"                   # given up (address refused…)
    NON_CONFIGURE = "non_configure"   # no mail server set up: it stays in the outbox


# Waits after the 1st, 2nd… failed attempt; then every 12 h until MAX_TENTATIVES.
DELAIS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
          timedelta(hours=4))
DELAI_ENSUITE = timedelta(hours=12)
MAX_TENTATIVES = 8


def delai_apres(tentatives: int) -> timedelta:
    return DELAIS[tentatives - 1] if 1 <= tentatives <= len(DELAIS) else DELAI_ENSUITE


class Securite(StrEnum):
    """How the connection to the SMTP server is protected (stored in the "smtp" setting)."""

    AUCUNE = "aucune"
    STARTTLS = "starttls"
    SSL = "ssl"

    @property
    def libelle(self) -> str:
        return SECURITES[self]


SECURITES: dict[str, str] = {Securite.AUCUNE: "Aucune", Securite.STARTTLS: "STARTTLS", Securite.SSL: "SSL/TLS"}
PORTS_PAR_DEFAUT: dict[str, int] = {Securite.AUCUNE: 25, Securite.STARTTLS: 587, Securite.SSL: 465}


@dataclass
class ParametresSmtp:
    """What is stored under the "smtp" key (never the password)."""

    hote: str = ""
    port: int = 587
    securite: str = Securite.STARTTLS
    identifiant: str = ""
    adresse_expediteur: str = ""
    nom_expediteur: str = ""
    envoi_automatique: bool = False

    @property
    def configure(self) -> bool:
        return bool(self.hote.strip() and self.adresse_expediteur.strip())

    def en_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def depuis_dict(cls, d: dict[str, Any]) -> ParametresSmtp:
        p = cls()
        for k in asdict(p):
            if k in d and d[k] is not None:
                setattr(p, k, d[k])
        return p


@dataclass
class SaisieSmtp:
    hote: str = ""
    port: str = "587"
    securite: str = Securite.STARTTLS
    identifiant: str = ""
    mot_de_passe: str = ""          # "" keeps the stored one
    oublier_mot_de_passe: bool = False
    adresse_expediteur: str = ""
    nom_expediteur: str = ""
    envoi_automatique: bool = False


def valider_smtp(saisie: SaisieSmtp) -> ParametresSmtp:
    """The settings as they will be stored, or ValidationError field by field."""
    erreurs: dict[str, str] = {}
    hote = saisie.hote.strip()
    if not hote:
        erreurs["hote"] = "Indiquez le serveur SMTP (par exemple smtp.ac-exemple.fr)."
    elif any(c.isspace() for c in hote) or "/" in hote:
        erreurs["hote"] = "Le nom du serveur ne doit contenir ni espace ni « / »."
    port = entier_ascii(saisie.port) or 0  # ASCII digits only: int() would take « ５８７ » or « 5_87 »
    if not 1 <= port <= 65535:
        erreurs["port"] = "Le port est un nombre entre 1 et 65535."
    if saisie.securite not in SECURITES:
        erreurs["securite"] = "Choisissez la sécurité de la connexion."
    if (e := verifier_email(saisie.adresse_expediteur)) is not None:
        erreurs["adresse_expediteur"] = ("Indiquez l'adresse d'expédition des messages." if not
                                         saisie.adresse_expediteur.strip() else e)
    erreurs.update(erreurs_caracteres(vars(saisie)))
    if erreurs:
        raise ValidationError(erreurs)
    return ParametresSmtp(hote=hote, port=port, securite=saisie.securite, identifiant=saisie.identifiant.strip(),
                          adresse_expediteur=saisie.adresse_expediteur.strip(),
                          nom_expediteur=" ".join(saisie.nom_expediteur.split()),
                          envoi_automatique=saisie.envoi_automatique)
