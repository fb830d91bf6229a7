"""Who may do what. Checked in every service, whatever the screen shows."""

from __future__ import annotations

from enum import StrEnum

from ...rules.errors import PermissionDenied
from ...rules.personnel import Role, libelle_role
from .contexte import Contexte


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
    IMPRESSIONS = "impressions"                  # batch printing (convocations, récapitulatifs…)
    ORGANISATION_LIRE = "organisation.lire"      # see centres, timetable, assignments and clashes
    ORGANISATION_GERER = "organisation.gerer"    # edit them and run the automatic assignment
    COURRIELS_GERER = "courriels.gerer"          # the outbox: see it, send now, send again
    MESSAGERIE_PARAMETRER = "messagerie.parametrer"  # the SMTP server settings
    PAPILLONS_GENERER = "papillons.generer"      # new passwords printed on login slips
    COURRIERS_PRODUIRE = "courriers.produire"    # a letter from a DOCX template
    MODELES_GERER = "modeles.gerer"              # the office's DOCX templates (open, restore)
    RGPD_EXPORTER = "rgpd.exporter"              # everything held about one candidate, as a ZIP (art. 15)
    CONVOCATIONS_PUBLIER = "convocations.publier"  # publish the session's convocations (batch)
    AMENAGEMENTS_DECIDER = "amenagements.decider"  # record the decision on a handicap request
    SAUVEGARDES = "sauvegardes"                  # back up, restore, backup settings (chef only)


_AGENT = {P.COMPTES_LIRE, P.COMPTES_ECRIRE, P.REFERENTIEL_LIRE, P.INSCRIPTIONS_ECRIRE}
_AGENT |= {P.COURRIERS_PRODUIRE}
_GESTIONNAIRE = _AGENT | {P.COMPTES_CORRIGER, P.AUDIT_LIRE, P.INSCRIPTIONS_HORS_PERIODE, P.PIECES_CONTROLER}
_GESTIONNAIRE |= {P.IMPRESSIONS}
_GESTIONNAIRE |= {P.ORGANISATION_LIRE}
_GESTIONNAIRE |= {P.PAPILLONS_GENERER, P.MODELES_GERER}
_CHEF = _GESTIONNAIRE | {P.REFERENTIEL_ECRIRE, P.PERSONNEL_GERER, P.MAINTENANCE}
_CHEF |= {P.ORGANISATION_GERER}
_CHEF |= {P.RGPD_EXPORTER}
_GESTIONNAIRE |= {P.COURRIELS_GERER}
_CHEF |= {P.COURRIELS_GERER, P.MESSAGERIE_PARAMETRER}
_GESTIONNAIRE |= {P.AMENAGEMENTS_DECIDER}
_CHEF |= {P.AMENAGEMENTS_DECIDER, P.CONVOCATIONS_PUBLIER}

_CHEF |= {P.SAUVEGARDES}

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
    P.PAPILLONS_GENERER: "générer les papillons de connexion",
    P.COURRIERS_PRODUIRE: "produire un courrier",
    P.MODELES_GERER: "gérer les modèles de courriers",
    P.RGPD_EXPORTER: "exporter les données personnelles d'un candidat",
    P.SAUVEGARDES: "sauvegarder ou restaurer la base",
    P.INSCRIPTIONS_HORS_PERIODE: "intervenir sur une inscription en dehors de la période d'inscription",
    P.PIECES_CONTROLER: "contrôler les pièces justificatives",
    P.IMPRESSIONS: "lancer des impressions par lots",
    P.ORGANISATION_LIRE: "consulter l'organisation des examens",
    P.ORGANISATION_GERER: "modifier l'organisation des examens (centres, planning, affectations)",
    P.COURRIELS_GERER: "gérer la boîte d'envoi des messages",
    P.MESSAGERIE_PARAMETRER: "modifier les paramètres de messagerie",
    P.CONVOCATIONS_PUBLIER: "publier les convocations aux épreuves",
    P.AMENAGEMENTS_DECIDER: "décider des aménagements d'épreuves",
}


def autorise(ctx: Contexte, permission: P) -> bool:
    return ctx.agent is not None and permission in PERMISSIONS.get(ctx.agent.role, frozenset())


def exiger(ctx: Contexte, permission: P) -> None:
    if ctx.agent is None:
        raise PermissionDenied("Connectez-vous pour effectuer cette action.")
    if not autorise(ctx, permission):
        raise PermissionDenied(f"Votre rôle ({libelle_role(ctx.agent.role)}) ne permet pas de {_REFUS[permission]}.")
