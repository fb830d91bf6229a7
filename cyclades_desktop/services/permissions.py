"""Who may do what. Checked in every service, whatever the screen shows."""

from __future__ import annotations

from enum import StrEnum

from ..rules.errors import PermissionDenied
from .contexte import Contexte


class Role(StrEnum):
    AGENT = "agent"
    GESTIONNAIRE = "gestionnaire"
    CHEF = "chef"


LIBELLES_ROLES = {
    Role.AGENT: "Agent d'accueil",
    Role.GESTIONNAIRE: "Gestionnaire",
    Role.CHEF: "Chef de bureau",
}


class P(StrEnum):
    COMPTES_LIRE = "comptes.lire"
    COMPTES_ECRIRE = "comptes.ecrire"            # what a candidate could do on the portal
    COMPTES_CORRIGER = "comptes.corriger"        # identity after a first candidature (recorded)
    REFERENTIEL_LIRE = "referentiel.lire"
    REFERENTIEL_ECRIRE = "referentiel.ecrire"
    PERSONNEL_GERER = "personnel.gerer"
    AUDIT_LIRE = "audit.lire"
    MAINTENANCE = "maintenance"                  # purges and other batch jobs
    INSCRIPTIONS_ECRIRE = "inscriptions.ecrire"  # register, modify, désinscrire while the period is open
    INSCRIPTIONS_HORS_PERIODE = "inscriptions.hors_periode"   # the same outside it, with a reason
    PIECES_CONTROLER = "pieces.controler"        # set the status of pièces justificatives


_AGENT = {P.COMPTES_LIRE, P.COMPTES_ECRIRE, P.REFERENTIEL_LIRE, P.INSCRIPTIONS_ECRIRE}
_GESTIONNAIRE = _AGENT | {P.COMPTES_CORRIGER, P.AUDIT_LIRE, P.INSCRIPTIONS_HORS_PERIODE, P.PIECES_CONTROLER}
_CHEF = _GESTIONNAIRE | {P.REFERENTIEL_ECRIRE, P.PERSONNEL_GERER, P.MAINTENANCE}

PERMISSIONS: dict[str, frozenset[P]] = {
    Role.AGENT: frozenset(_AGENT),
    Role.GESTIONNAIRE: frozenset(_GESTIONNAIRE),
    Role.CHEF: frozenset(_CHEF),
    "systeme": frozenset(_CHEF),
}

_REFUS = {
    P.COMPTES_LIRE: "consulter les comptes candidats",
    P.COMPTES_ECRIRE: "modifier les comptes candidats",
    P.COMPTES_CORRIGER: "corriger l'identité d'un candidat qui a déjà une candidature",
    P.REFERENTIEL_LIRE: "consulter le référentiel",
    P.REFERENTIEL_ECRIRE: "modifier le référentiel",
    P.PERSONNEL_GERER: "gérer les comptes du personnel",
    P.AUDIT_LIRE: "consulter le journal d'audit",
    P.MAINTENANCE: "lancer les traitements d'administration",
    P.INSCRIPTIONS_ECRIRE: "inscrire un candidat",
    P.INSCRIPTIONS_HORS_PERIODE: "intervenir sur une inscription en dehors de la période d'inscription",
    P.PIECES_CONTROLER: "contrôler les pièces justificatives",
}


def autorise(ctx: Contexte, permission: P) -> bool:
    return ctx.agent is not None and permission in PERMISSIONS.get(ctx.agent.role, frozenset())


def exiger(ctx: Contexte, permission: P) -> None:
    if ctx.agent is None:
        raise PermissionDenied("Connectez-vous pour effectuer cette action.")
    if not autorise(ctx, permission):
        role = LIBELLES_ROLES.get(ctx.agent.role, ctx.agent.role)  # type: ignore[call-overload]
        raise PermissionDenied(f"Votre rôle ({role}) ne permet pas de {_REFUS[permission]}.")
