"""Office staff (services/personnel): the roles and their French names, and the checks on a staff
account's input that need nothing but the typed values. Uniqueness and portfolios live in the services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from .texte import espaces_normalises


class Role(StrEnum):
    """Stored in ``agent.role``; the permissions of each are in services/noyau/permissions.py."""

    AGENT = "agent"
    GESTIONNAIRE = "gestionnaire"
    CHEF = "chef"

    @property
    def libelle(self) -> str:
        return LIBELLES_ROLES[self]


LIBELLES_ROLES: dict[str, str] = {
    Role.AGENT: "Agent d'accueil",
    Role.GESTIONNAIRE: "Gestionnaire",
    Role.CHEF: "Chef de bureau",
}

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,59}$")


def libelle_role(role: str) -> str:
    """The French name of a stored role; an unknown value (an old row, « systeme ») is shown as is."""
    return LIBELLES_ROLES.get(role, role)


@dataclass
class SaisieAgent:
    login: str = ""
    nom: str = ""
    prenom: str = ""
    email: str = ""
    telephone: str = ""
    role: str = Role.AGENT
    portefeuilles: list[str] = field(default_factory=list)
    mot_de_passe: str = ""
    mot_de_passe_confirmation: str = ""
    actif: bool = True


def verifier_mot_de_passe_agent(mdp: str) -> str | None:
    if not mdp:
        return "Ce champ est obligatoire."
    if not (10 <= len(mdp) <= 64 and any(c.islower() for c in mdp) and any(c.isupper() for c in mdp)
            and any(not c.isalpha() for c in mdp)):
        return ("Le mot de passe du personnel doit comporter de 10 à 64 caractères, dont une minuscule, "
                "une majuscule et un chiffre ou un caractère spécial.")
    return None


def valider_agent(s: SaisieAgent, *, avec_mot_de_passe: bool) -> dict[str, str]:
    """Field → French message; a password is checked when required or when one was typed."""
    e: dict[str, str] = {}
    if not _LOGIN.match(s.login.strip().lower()):
        e["login"] = "Identifiant de 2 à 60 caractères : lettres minuscules, chiffres, point, tiret."
    if not espaces_normalises(s.nom):
        e["nom"] = "Ce champ est obligatoire."
    if not espaces_normalises(s.prenom):
        e["prenom"] = "Ce champ est obligatoire."
    if s.role not in (Role.AGENT, Role.GESTIONNAIRE, Role.CHEF):
        e["role"] = "Choisissez un rôle."
    if s.email.strip() and "@" not in s.email:
        e["email"] = "L'adresse mail n'est pas valide."
    if avec_mot_de_passe or s.mot_de_passe:
        if m := verifier_mot_de_passe_agent(s.mot_de_passe):
            e["mot_de_passe"] = m
        elif s.mot_de_passe != s.mot_de_passe_confirmation:
            e["mot_de_passe_confirmation"] = "La confirmation ne correspond pas : mot de passe."
    return e
