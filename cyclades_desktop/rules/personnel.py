"""Office staff (services/personnel): the roles and their French names, and the checks on a staff
account's input that need nothing but the typed values. Uniqueness and portfolios live in the services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from .comptes import verifier_email
from .texte import erreurs_caracteres, espaces_normalises, verifier_caracteres


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

_LOGIN = re.compile(r"[a-z0-9][a-z0-9._\-]{1,59}", re.ASCII)
# A staff phone is free in form (an extension, a foreign number) but made of ASCII digits; 30 characters stored.
_TELEPHONE = re.compile(r"\+?[0-9][0-9 .\-]{3,28}", re.ASCII)


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
    if verifier_caracteres(mdp):
        return "Le mot de passe ne peut pas contenir de caractère invisible ou de contrôle."
    if not (10 <= len(mdp) <= 64 and any(c.islower() for c in mdp) and any(c.isupper() for c in mdp)
            and any(not c.isalpha() and c.isprintable() for c in mdp)):
        return ("Le mot de passe du personnel doit comporter de 10 à 64 caractères, dont une minuscule, "
                "une majuscule et un chiffre ou un caractère spécial.")
    return None


def valider_agent(s: SaisieAgent, *, avec_mot_de_passe: bool) -> dict[str, str]:
    """Field → French message; a password is checked when required or when one was typed."""
    e: dict[str, str] = {}
    if not _LOGIN.fullmatch(s.login.strip().lower()):
        e["login"] = "Identifiant de 2 à 60 caractères : lettres minuscules, chiffres, point, tiret."
    for cle in ("nom", "prenom"):
        valeur = espaces_normalises(getattr(s, cle))
        if not valeur:
            e[cle] = "Ce champ est obligatoire."
        elif len(valeur) > 80:
            e[cle] = "80 caractères au maximum."
        elif not any(c.isalpha() for c in valeur):
            e[cle] = "Ce champ doit contenir au moins une lettre."
    if s.role not in (Role.AGENT, Role.GESTIONNAIRE, Role.CHEF):
        e["role"] = "Choisissez un rôle."
    if s.email.strip() and verifier_email(s.email):
        e["email"] = "L'adresse mail n'est pas valide."
    if s.telephone.strip() and not _TELEPHONE.fullmatch(s.telephone.strip()):
        e["telephone"] = "Numéro de téléphone : chiffres, espaces, points, tirets et « + » (exemple : 04 42 91 72 87)."
    if avec_mot_de_passe or s.mot_de_passe:
        if m := verifier_mot_de_passe_agent(s.mot_de_passe):
            e["mot_de_passe"] = m
        elif s.mot_de_passe != s.mot_de_passe_confirmation:
            e["mot_de_passe_confirmation"] = "La confirmation ne correspond pas : mot de passe."
    e.update(erreurs_caracteres(vars(s)))
    return e
