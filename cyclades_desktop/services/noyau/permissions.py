"""Who may do what. Checked in every service, whatever the screen shows."""

from __future__ import annotations

from enum import StrEnum

from ...rules.errors import PermissionDenied
from ...rules.personnel import Role, libelle_role
from .contexte import AgentConnecte, Contexte


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
    # Exam days, grades and results (services/resultats). A gestionnaire acts on the spécialités of the
    # filières in their portfolio; RESULTATS_TOUTES_SPECIALITES lifts that limit.
    RESULTATS_LIRE = "resultats.lire"            # émargement lists, grades, juries, results
    PRESENCES_SAISIR = "presences.saisir"        # record the liste d'émargement
    NOTES_SAISIR = "notes.saisir"                # enter and import grades (first and second entry)
    ANONYMAT_GERER = "anonymat.gerer"            # numbers, lots, correspondence, lever l'anonymat
    JURYS_GERER = "jurys.gerer"                  # examinateurs and juries
    DELIBERATION_CONDUIRE = "deliberation.conduire"  # deliberate, jury points, decisions, signature
    RESULTATS_CORRIGER = "resultats.corriger"    # a result after its deliberation closed, with a motif
    RESULTATS_TOUTES_SPECIALITES = "resultats.toutes_specialites"


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
_GESTIONNAIRE |= {P.RESULTATS_LIRE, P.PRESENCES_SAISIR, P.NOTES_SAISIR, P.DELIBERATION_CONDUIRE}
_CHEF |= {P.RESULTATS_LIRE, P.PRESENCES_SAISIR, P.NOTES_SAISIR, P.DELIBERATION_CONDUIRE, P.ANONYMAT_GERER,
          P.JURYS_GERER, P.RESULTATS_CORRIGER, P.RESULTATS_TOUTES_SPECIALITES}

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
    P.RESULTATS_LIRE: "consulter les notes et les résultats",
    P.PRESENCES_SAISIR: "enregistrer les présences aux épreuves",
    P.NOTES_SAISIR: "saisir ou importer des notes",
    P.ANONYMAT_GERER: "gérer l'anonymat des copies",
    P.JURYS_GERER: "gérer les examinateurs et les jurys",
    P.DELIBERATION_CONDUIRE: "conduire une délibération",
    P.RESULTATS_CORRIGER: "corriger un résultat après la délibération",
    P.RESULTATS_TOUTES_SPECIALITES: "intervenir hors de votre portefeuille",
}


def autorise(ctx: Contexte, permission: P) -> bool:
    return ctx.agent is not None and permission in PERMISSIONS.get(ctx.agent.role, frozenset())


def exiger(ctx: Contexte, permission: P) -> None:
    exiger_agent(ctx.agent, permission)


def exiger_agent(agent: AgentConnecte | None, permission: P) -> None:
    """``exiger`` for the few services that take an agent rather than a context (a restore)."""
    if agent is None:
        raise PermissionDenied("Connectez-vous pour effectuer cette action.")
    if permission not in PERMISSIONS.get(agent.role, frozenset()):
        raise PermissionDenied(f"Votre rôle ({libelle_role(agent.role)}) ne permet pas de {_REFUS[permission]}.")


# --- the table of writes ------------------------------------------------------------------------------
# Which permission each public write of services requires, checked by the service itself with
# ``exiger(ctx, P.…)`` before anything is written, whatever the screen shows. Who may call it: the roles
# whose PERMISSIONS hold that permission (``roles_autorises``). Keys are « area.function », the area
# being the package under services/: a module split inside an area keeps its keys. A gestionnaire
# changes the status of a pièce only inside their portfolio (justificatifs/portefeuilles.py).
# tests/unit/test_permissions_table.py finds every public write by introspection and calls it as every
# role: a write missing here fails it.
ECRITURES: dict[str, P] = {
    # noyau (the audit trail's seal file)
    "noyau.sceller": P.AUDIT_LIRE,
    # comptes
    "comptes.creer_compte": P.COMPTES_ECRIRE,
    "comptes.activer_compte": P.COMPTES_ECRIRE,
    "comptes.modifier_compte": P.COMPTES_ECRIRE,
    "comptes.supprimer_compte": P.COMPTES_ECRIRE,
    "comptes.reinitialiser_mot_de_passe": P.COMPTES_ECRIRE,
    "comptes.purger_comptes_non_actives": P.MAINTENANCE,
    "comptes.generer": P.PAPILLONS_GENERER,
    # courriels
    "courriels.enregistrer_parametres": P.MESSAGERIE_PARAMETRER,
    "courriels.envoyer_en_attente": P.COURRIELS_GERER,
    "courriels.envoyer_automatiquement": P.COURRIELS_GERER,
    "courriels.renvoyer": P.COURRIELS_GERER,
    # impressions
    "impressions.produire": P.COURRIERS_PRODUIRE,
    "impressions.retablir_modele": P.MODELES_GERER,
    "impressions.creer_lot": P.IMPRESSIONS,
    "impressions.executer": P.IMPRESSIONS,
    "impressions.abandonner": P.IMPRESSIONS,
    "impressions.marquer_imprime": P.IMPRESSIONS,
    # inscriptions (outside the period, INSCRIPTIONS_HORS_PERIODE is asked for as well)
    "inscriptions.enregistrer": P.INSCRIPTIONS_ECRIRE,
    "inscriptions.modifier": P.INSCRIPTIONS_ECRIRE,
    "inscriptions.desinscrire": P.INSCRIPTIONS_ECRIRE,
    # justificatifs (status changes: a gestionnaire inside their portfolio only)
    "justificatifs.deposer": P.INSCRIPTIONS_ECRIRE,
    "justificatifs.supprimer_fichier": P.INSCRIPTIONS_ECRIRE,
    "justificatifs.valider_groupe": P.INSCRIPTIONS_ECRIRE,
    "justificatifs.enregistrer_reception": P.INSCRIPTIONS_ECRIRE,
    "justificatifs.changer_statut": P.PIECES_CONTROLER,
    "justificatifs.relancer": P.PIECES_CONTROLER,
    "justificatifs.annuler_sans_confirmation": P.MAINTENANCE,
    "justificatifs.ecarter_sans_r408": P.MAINTENANCE,
    # organisation
    "organisation.creer_centre": P.ORGANISATION_GERER,
    "organisation.modifier_centre": P.ORGANISATION_GERER,
    "organisation.supprimer_centre": P.ORGANISATION_GERER,
    "organisation.ajouter_salle": P.ORGANISATION_GERER,
    "organisation.modifier_salle": P.ORGANISATION_GERER,
    "organisation.supprimer_salle": P.ORGANISATION_GERER,
    "organisation.enregistrer_creneau": P.ORGANISATION_GERER,
    "organisation.supprimer_creneau": P.ORGANISATION_GERER,
    "organisation.affecter_automatiquement": P.ORGANISATION_GERER,
    "organisation.deplacer": P.ORGANISATION_GERER,
    "organisation.enregistrer_decision": P.AMENAGEMENTS_DECIDER,
    "organisation.publier_convocations": P.CONVOCATIONS_PUBLIER,
    # personnel
    "personnel.creer_agent": P.PERSONNEL_GERER,
    "personnel.modifier_agent": P.PERSONNEL_GERER,
    # referentiel
    "referentiel.modifier_bureau": P.REFERENTIEL_ECRIRE,
    "referentiel.creer_session": P.REFERENTIEL_ECRIRE,
    "referentiel.enregistrer_periode": P.REFERENTIEL_ECRIRE,
    "referentiel.supprimer_periode": P.REFERENTIEL_ECRIRE,
    "referentiel.enregistrer_echeance": P.REFERENTIEL_ECRIRE,
    "referentiel.supprimer_echeance": P.REFERENTIEL_ECRIRE,
    "referentiel.ajouter_epreuve": P.REFERENTIEL_ECRIRE,
    "referentiel.modifier_epreuve": P.REFERENTIEL_ECRIRE,
    "referentiel.supprimer_epreuve": P.REFERENTIEL_ECRIRE,
    "referentiel.deplacer_epreuve": P.REFERENTIEL_ECRIRE,
    "referentiel.appliquer_import": P.REFERENTIEL_ECRIRE,
    "referentiel.ajouter_piece": P.REFERENTIEL_ECRIRE,
    "referentiel.modifier_piece": P.REFERENTIEL_ECRIRE,
    "referentiel.supprimer_piece": P.REFERENTIEL_ECRIRE,
    "referentiel.enregistrer_specialite": P.REFERENTIEL_ECRIRE,
    # resultats (a gestionnaire acts inside their portfolio only: services/resultats/commun.py)
    "resultats.enregistrer_presences": P.PRESENCES_SAISIR,
    "resultats.reporter_absences": P.NOTES_SAISIR,
    "resultats.generer_anonymats": P.ANONYMAT_GERER,
    "resultats.constituer_lots": P.ANONYMAT_GERER,
    "resultats.attribuer_correcteur": P.ANONYMAT_GERER,
    "resultats.lever_anonymat": P.ANONYMAT_GERER,
    "resultats.enregistrer_notes_lot": P.NOTES_SAISIR,
    "resultats.enregistrer_notes_candidature": P.NOTES_SAISIR,
    "resultats.appliquer_import_notes": P.NOTES_SAISIR,
    "resultats.preremplir_benefices": P.NOTES_SAISIR,
    "resultats.creer_examinateur": P.JURYS_GERER,
    "resultats.modifier_examinateur": P.JURYS_GERER,
    "resultats.creer_jury": P.JURYS_GERER,
    "resultats.modifier_jury": P.JURYS_GERER,
    "resultats.deliberer_jury": P.DELIBERATION_CONDUIRE,
    "resultats.attribuer_points_jury": P.DELIBERATION_CONDUIRE,
    "resultats.enregistrer_decisions": P.DELIBERATION_CONDUIRE,
    "resultats.enregistrer_signature": P.DELIBERATION_CONDUIRE,
    "resultats.clore_deliberation": P.DELIBERATION_CONDUIRE,
    "resultats.corriger_resultat": P.RESULTATS_CORRIGER,
    # rgpd
    "rgpd.enregistrer_conservation": P.MAINTENANCE,
    "rgpd.appliquer_purge": P.MAINTENANCE,
    "rgpd.exporter_candidat": P.RGPD_EXPORTER,
    # sauvegardes (restaurer takes an agent, not a context: exiger_agent)
    "sauvegardes.enregistrer_parametres": P.SAUVEGARDES,
    "sauvegardes.sauvegarder": P.SAUVEGARDES,
    "sauvegardes.sauvegarde_quotidienne": P.SAUVEGARDES,
    "sauvegardes.appliquer_rotation": P.SAUVEGARDES,
}

# The only writes without a staff permission, each guarded by a rule of its own.
ECRITURES_SANS_ROLE: dict[str, str] = {
    "personnel.connecter": "la connexion : personne n'est encore connecté, le mot de passe fait foi",
    "personnel.creer_premier_chef": "le premier démarrage : refusé dès qu'un compte du personnel existe",
    "referentiel.charger_si_vide": "le premier démarrage : rien n'est écrit dès que le référentiel est chargé",
    "noyau.sceller_du_jour": "le sceau quotidien du journal d'audit : au plus une ligne par jour, l'empreinte "
                             "de tête, quel que soit l'agent connecté",
}

ROLES = (Role.AGENT, Role.GESTIONNAIRE, Role.CHEF)


def roles_autorises(ecriture: str) -> tuple[Role, ...]:
    """The staff roles that may call a write of the table (« justificatifs.changer_statut »)."""
    return tuple(r for r in ROLES if ECRITURES[ecriture] in PERMISSIONS[r])
