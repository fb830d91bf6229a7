"""Staff accounts (services/personnel/agents.py): validation field by field, roles and portfolios,
permissions, sign-in, audit rows and password storage."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import Agent, AuditEntry
from cyclades_desktop.rules.errors import (
    ConflictError,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from cyclades_desktop.rules.personnel import Role, libelle_role
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.personnel import agents as staff
from tests.conftest import MOT_DE_PASSE_AGENT

AUTRE_MDP = "Nouveau.Secret-2025"


def saisie(**champs: object) -> staff.SaisieAgent:
    base = staff.SaisieAgent(
        login="marie.curie", nom="Curie", prenom="marie", email="marie.curie@ac-exemple.fr",
        telephone="05 90 21 00 00", role=Role.GESTIONNAIRE,
        portefeuilles=["MECANIQUE-AERONAUTIQUE", "ELECTRICITE-MODE-MAINTENANCE"],
        mot_de_passe=MOT_DE_PASSE_AGENT, mot_de_passe_confirmation=MOT_DE_PASSE_AGENT)
    return replace(base, **champs)  # type: ignore[arg-type]


def agent(ctx: Contexte, login: str) -> Agent:
    with ctx.lecture() as s:
        trouve = s.scalar(select(Agent).where(Agent.login == login))
    assert trouve is not None
    return trouve


def compter(ctx: Contexte, model: type) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def audit_de(ctx: Contexte, agent_id: int, action: str | None = None) -> list[AuditEntry]:
    q = select(AuditEntry).where(AuditEntry.entite == "agent", AuditEntry.entite_id == str(agent_id))
    if action:
        q = q.where(AuditEntry.action == action)
    with ctx.lecture() as s:
        return list(s.scalars(q.order_by(AuditEntry.id)))


# --- creation ---------------------------------------------------------------------------------

def test_creation_normalise_audite_et_hache_le_mot_de_passe(chef: Contexte):
    cree = staff.creer_agent(chef, saisie(login="  Marie.Curie "))
    a = agent(chef, "marie.curie")
    assert (a.id, a.nom, a.prenom, a.role, a.actif) == (cree.id, "CURIE", "Marie", "gestionnaire", True)
    assert a.portefeuilles == ["MECANIQUE-AERONAUTIQUE", "ELECTRICITE-MODE-MAINTENANCE"]
    assert a.mot_de_passe_hash.startswith("$argon2id$")
    assert MOT_DE_PASSE_AGENT not in a.mot_de_passe_hash
    (ligne,) = audit_de(chef, a.id, "creation")
    assert ligne.agent_login == "chef" and ligne.libelle == "Compte du personnel marie.curie"
    assert ligne.avant is None and ligne.apres is not None
    assert ligne.apres["role"] == "gestionnaire" and ligne.apres["nom"] == "CURIE"
    # Neither the password nor its hash is ever copied into the trail.
    texte = json.dumps(ligne.apres)
    assert MOT_DE_PASSE_AGENT not in texte and "argon2" not in texte


@pytest.mark.parametrize(("champs", "cle", "message"), [
    ({"login": "M"}, "login", "Identifiant de 2 à 60 caractères"),
    ({"login": "marie curie"}, "login", "lettres minuscules, chiffres, point, tiret"),
    ({"nom": "  "}, "nom", "Ce champ est obligatoire."),
    ({"prenom": ""}, "prenom", "Ce champ est obligatoire."),
    ({"email": "marie.curie.ac-exemple.fr"}, "email", "L'adresse mail n'est pas valide."),
    ({"role": "directeur"}, "role", "Choisissez un rôle."),
    ({"mot_de_passe": "", "mot_de_passe_confirmation": ""}, "mot_de_passe", "Ce champ est obligatoire."),
    ({"mot_de_passe": "court", "mot_de_passe_confirmation": "court"}, "mot_de_passe", "10 à 64 caractères"),
    ({"mot_de_passe": "sansmajuscule-1", "mot_de_passe_confirmation": "sansmajuscule-1"},
     "mot_de_passe", "une majuscule"),
    ({"mot_de_passe": "SeulementDesLettres", "mot_de_passe_confirmation": "SeulementDesLettres"},
     "mot_de_passe", "un chiffre ou un caractère spécial"),
    ({"mot_de_passe_confirmation": "Bureau-DEC-2025"}, "mot_de_passe_confirmation",
     "La confirmation ne correspond pas"),
])
def test_creation_refusee_champ_par_champ_sans_rien_ecrire(chef: Contexte, champs, cle, message):
    agents, lignes = compter(chef, Agent), compter(chef, AuditEntry)
    with pytest.raises(ValidationError) as erreur:
        staff.creer_agent(chef, saisie(**champs))
    assert message in erreur.value.errors[cle]
    assert compter(chef, Agent) == agents and compter(chef, AuditEntry) == lignes


def test_identifiant_deja_utilise_a_la_creation_et_a_la_modification(chef: Contexte):
    staff.creer_agent(chef, saisie())
    lignes = compter(chef, AuditEntry)
    with pytest.raises(ValidationError) as erreur:
        staff.creer_agent(chef, saisie(nom="Autre", login="Marie.Curie"))
    assert erreur.value.errors == {"login": "Cet identifiant est déjà utilisé."}
    autre = staff.creer_agent(chef, saisie(login="paul.martin", role=Role.AGENT))
    with pytest.raises(ValidationError) as erreur:
        staff.modifier_agent(chef, autre.id, saisie(login="marie.curie", role=Role.AGENT, mot_de_passe="",
                                                    mot_de_passe_confirmation=""))
    assert erreur.value.errors == {"login": "Cet identifiant est déjà utilisé."}
    assert agent(chef, "paul.martin").nom == "CURIE"  # unchanged: the modification was rolled back
    assert compter(chef, AuditEntry) == lignes + 1    # only paul.martin's creation


# --- roles and portfolios ---------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.AGENT, Role.CHEF])
def test_seul_un_gestionnaire_garde_des_portefeuilles(chef: Contexte, role: Role):
    staff.creer_agent(chef, saisie(role=role))
    assert agent(chef, "marie.curie").portefeuilles == []


def test_portefeuille_inconnu_refuse(chef: Contexte):
    with pytest.raises(ValidationError) as erreur:
        staff.creer_agent(chef, saisie(portefeuilles=["MECANIQUE-AERONAUTIQUE", "ASTRONOMIE"]))
    assert erreur.value.errors == {"portefeuilles": "Portefeuille inconnu : ASTRONOMIE"}
    assert compter(chef, Agent) == 1


def test_lister_portefeuilles_donne_l_organigramme(chef: Contexte):
    portefeuilles = {p.code: p.libelle for p in staff.lister_portefeuilles(chef)}
    assert portefeuilles["ELECTRICITE-MODE-MAINTENANCE"] == (
        "Filière électricité chimie métiers de la mode maintenance industrielle")


def test_modification_du_role_auditee_avec_les_seuls_champs_changes(chef: Contexte):
    cree = staff.creer_agent(chef, saisie())
    chef.clock.advance(minutes=5)  # type: ignore[attr-defined]
    staff.modifier_agent(chef, cree.id, saisie(role=Role.AGENT, mot_de_passe="", mot_de_passe_confirmation=""))
    a = agent(chef, "marie.curie")
    assert (a.role, a.portefeuilles) == ("agent", [])
    (ligne,) = audit_de(chef, cree.id, "modification")
    assert ligne.avant == {"role": "gestionnaire",
                           "portefeuilles": ["MECANIQUE-AERONAUTIQUE", "ELECTRICITE-MODE-MAINTENANCE"]}
    assert ligne.apres == {"role": "agent", "portefeuilles": []}
    assert ligne.agent_login == "chef" and ligne.horodatage == chef.clock.now()


def test_mot_de_passe_vide_conserve_a_la_modification_et_nouveau_mot_de_passe_hache(chef: Contexte):
    cree = staff.creer_agent(chef, saisie())
    hash_initial = agent(chef, "marie.curie").mot_de_passe_hash
    staff.modifier_agent(chef, cree.id, saisie(telephone="", mot_de_passe="", mot_de_passe_confirmation=""))
    assert agent(chef, "marie.curie").mot_de_passe_hash == hash_initial
    with pytest.raises(ValidationError) as erreur:
        staff.modifier_agent(chef, cree.id, saisie(mot_de_passe="faible", mot_de_passe_confirmation="faible"))
    assert "10 à 64 caractères" in erreur.value.errors["mot_de_passe"]
    staff.modifier_agent(chef, cree.id, saisie(telephone="", mot_de_passe=AUTRE_MDP,
                                               mot_de_passe_confirmation=AUTRE_MDP))
    nouveau = agent(chef, "marie.curie").mot_de_passe_hash
    assert nouveau != hash_initial and nouveau.startswith("$argon2id$") and AUTRE_MDP not in nouveau
    derniere = audit_de(chef, cree.id, "modification")[-1]
    assert derniere.apres == {"mot_de_passe": "modifié"}
    assert AUTRE_MDP not in json.dumps([derniere.avant, derniere.apres])
    assert staff.connecter(chef, "marie.curie", AUTRE_MDP).login == "marie.curie"


def test_enregistrer_sans_changement_n_ajoute_pas_de_ligne_vide(chef: Contexte):
    cree = staff.creer_agent(chef, saisie())
    lignes = compter(chef, AuditEntry)
    staff.modifier_agent(chef, cree.id, saisie(mot_de_passe="", mot_de_passe_confirmation=""))
    assert compter(chef, AuditEntry) == lignes


def test_un_chef_ne_peut_pas_retirer_son_propre_role_ni_se_desactiver(chef: Contexte):
    assert chef.agent is not None
    moi = saisie(login="chef", nom="Dano", prenom="Carole", role=Role.CHEF, portefeuilles=[], mot_de_passe="",
                 mot_de_passe_confirmation="")
    for changement in ({"role": Role.GESTIONNAIRE}, {"role": Role.AGENT}, {"actif": False}):
        with pytest.raises(ValidationError) as erreur:
            staff.modifier_agent(chef, chef.agent.id, replace(moi, **changement))  # type: ignore[arg-type]
        assert erreur.value.errors == {"role": "Vous ne pouvez pas retirer votre propre rôle de chef de bureau."}
    assert agent(chef, "chef").role == "chef" and agent(chef, "chef").actif


def test_un_chef_peut_retirer_le_role_d_un_autre_chef(chef: Contexte):
    autre = staff.creer_agent(chef, saisie(login="lea.durand", role=Role.CHEF))
    staff.modifier_agent(chef, autre.id, saisie(login="lea.durand", role=Role.AGENT, mot_de_passe="",
                                                mot_de_passe_confirmation=""))
    assert agent(chef, "lea.durand").role == "agent"


def test_modification_d_un_compte_disparu_ou_modifie_entre_temps(chef: Contexte):
    with pytest.raises(NotFound):
        staff.modifier_agent(chef, 9999, saisie(mot_de_passe="", mot_de_passe_confirmation=""))
    cree = staff.creer_agent(chef, saisie())
    version = agent(chef, "marie.curie").row_version
    staff.modifier_agent(chef, cree.id, saisie(telephone="01 02 03 04 05", mot_de_passe="",
                                               mot_de_passe_confirmation=""), row_version=version)
    with pytest.raises(ConflictError, match="modifié entre-temps"):
        staff.modifier_agent(chef, cree.id, saisie(nom="Autre", mot_de_passe="", mot_de_passe_confirmation=""),
                             row_version=version)
    assert agent(chef, "marie.curie").nom == "CURIE"


# --- permissions --------------------------------------------------------------------------------

@pytest.mark.parametrize(("login", "role", "libelle"), [
    ("accueil", Role.AGENT, "Agent d'accueil"), ("gestion", Role.GESTIONNAIRE, "Gestionnaire")])
def test_seul_le_chef_de_bureau_gere_le_personnel(creer_agent: Callable[..., Contexte], login, role, libelle):
    ctx = creer_agent(login, role)
    assert ctx.agent is not None
    message = f"Votre rôle ({libelle}) ne permet pas de gérer les comptes du personnel."
    with pytest.raises(PermissionDenied, match=message.replace("(", r"\(").replace(")", r"\)")):
        staff.creer_agent(ctx, saisie())
    with pytest.raises(PermissionDenied):
        staff.modifier_agent(ctx, ctx.agent.id, saisie(login=login, role=Role.CHEF, mot_de_passe="",
                                                       mot_de_passe_confirmation=""))
    with pytest.raises(PermissionDenied):
        staff.lister_agents(ctx)
    assert agent(ctx, login).role == role  # nobody promoted themselves


def test_sans_connexion_rien_n_est_permis(ctx_anonyme: Contexte, chef: Contexte):
    with pytest.raises(PermissionDenied, match="Connectez-vous"):
        staff.creer_agent(ctx_anonyme, saisie())


def test_premier_chef_une_seule_fois(ctx_anonyme: Contexte):
    assert staff.premier_demarrage(ctx_anonyme)
    premier = staff.creer_premier_chef(ctx_anonyme, saisie(role=Role.AGENT))
    assert premier.role == "chef" and not staff.premier_demarrage(ctx_anonyme)
    (ligne,) = audit_de(ctx_anonyme, premier.id, "creation")
    assert ligne.agent_login == "marie.curie"  # the first chef creates their own account
    with pytest.raises(DomainError, match="déjà été créé"):
        staff.creer_premier_chef(ctx_anonyme, saisie(login="intrus"))


# --- sign-in ------------------------------------------------------------------------------------

def test_connexion_reussie_date_et_audit(chef: Contexte, ctx_anonyme: Contexte):
    staff.creer_agent(chef, saisie())
    chef.clock.advance(hours=2)  # type: ignore[attr-defined]
    connecte = staff.connecter(ctx_anonyme, " Marie.Curie ", MOT_DE_PASSE_AGENT)
    assert (connecte.login, connecte.nom_affiche, connecte.role) == ("marie.curie", "Marie CURIE", "gestionnaire")
    assert connecte.portefeuilles == ("MECANIQUE-AERONAUTIQUE", "ELECTRICITE-MODE-MAINTENANCE")
    a = agent(chef, "marie.curie")
    assert a.derniere_connexion == chef.clock.now()
    (ligne,) = audit_de(chef, a.id, "connexion")
    assert ligne.agent_login == "marie.curie"


@pytest.mark.parametrize(("login", "mdp"), [
    ("marie.curie", "Mauvais-mot-2024"), ("marie.curie", MOT_DE_PASSE_AGENT.lower()), ("inconnu", MOT_DE_PASSE_AGENT)])
def test_connexion_refusee_meme_message_pour_login_ou_mot_de_passe(chef: Contexte, ctx_anonyme: Contexte,
                                                                   login: str, mdp: str):
    staff.creer_agent(chef, saisie())
    lignes = compter(chef, AuditEntry)
    with pytest.raises(DomainError) as erreur:
        staff.connecter(ctx_anonyme, login, mdp)
    assert erreur.value.message == "Identifiant ou mot de passe incorrect."  # says nothing of which is wrong
    assert agent(chef, "marie.curie").derniere_connexion is None
    assert compter(chef, AuditEntry) == lignes


def test_connexion_refusee_pour_un_compte_desactive(chef: Contexte, ctx_anonyme: Contexte):
    cree = staff.creer_agent(chef, saisie())
    staff.modifier_agent(chef, cree.id, saisie(actif=False, mot_de_passe="", mot_de_passe_confirmation=""))
    (ligne,) = audit_de(chef, cree.id, "modification")
    assert (ligne.avant, ligne.apres) == ({"actif": True}, {"actif": False})
    with pytest.raises(DomainError, match="désactivé"):
        staff.connecter(ctx_anonyme, "marie.curie", MOT_DE_PASSE_AGENT)
    with pytest.raises(NotFound):
        staff.agent_par_login(ctx_anonyme, "marie.curie")
    assert agent(chef, "marie.curie").derniere_connexion is None


def test_liste_du_personnel_par_nom(chef: Contexte):
    staff.creer_agent(chef, saisie(login="zoe.abel", nom="Abel", prenom="Zoé"))
    staff.creer_agent(chef, saisie())
    assert [a.login for a in staff.lister_agents(chef)] == ["zoe.abel", "marie.curie", "chef"]
    assert libelle_role("gestionnaire") == "Gestionnaire" and libelle_role("inconnu") == "inconnu"
