"""Staff accounts: first start, sign-in, roles and portfolios."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..models import Agent, Portefeuille
from ..rules.errors import ConflictError, DomainError, NotFound, ValidationError
from ..rules.texte import espaces_normalises, nom_majuscules, prenoms_normalises
from . import audit, securite
from .contexte import AgentConnecte, Contexte
from .permissions import LIBELLES_ROLES, P, Role, exiger

_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,59}$")
MESSAGE_CONNEXION = "Identifiant ou mot de passe incorrect."


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


def _valider(s: SaisieAgent, *, avec_mot_de_passe: bool) -> dict[str, str]:
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


def connecte(agent: Agent) -> AgentConnecte:
    return AgentConnecte(id=agent.id, login=agent.login, nom_affiche=f"{agent.prenom} {agent.nom}",
                         role=agent.role, portefeuilles=tuple(agent.portefeuilles or ()))


def libelle_role(role: str) -> str:
    return LIBELLES_ROLES.get(role, role)  # type: ignore[call-overload]


def _instantane(a: Agent) -> dict[str, object]:
    return {"login": a.login, "nom": a.nom, "prenom": a.prenom, "email": a.email, "telephone": a.telephone,
            "role": a.role, "portefeuilles": list(a.portefeuilles or []), "actif": a.actif}


def premier_demarrage(ctx: Contexte) -> bool:
    """True while no staff account exists: the first start asks for the first chef de bureau."""
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(Agent)) == 0


def _inserer(ctx: Contexte, saisie: SaisieAgent, *, premier: bool) -> AgentConnecte:
    login = saisie.login.strip().lower()
    with ctx.transaction() as s:
        if premier and s.scalar(select(func.count()).select_from(Agent)):
            raise DomainError("Un premier chef de bureau a déjà été créé : connectez-vous.")
        agent = Agent(
            login=login, nom=nom_majuscules(saisie.nom), prenom=prenoms_normalises(saisie.prenom),
            email=saisie.email.strip() or None, telephone=saisie.telephone.strip() or None,
            role=Role.CHEF if premier else saisie.role, portefeuilles=list(saisie.portefeuilles),
            mot_de_passe_hash=securite.hacher(saisie.mot_de_passe), actif=True, cree_le=ctx.clock.now(),
        )
        s.add(agent)
        try:
            s.flush()
        except IntegrityError as exc:
            raise ValidationError({"login": "Cet identifiant est déjà utilisé."}) from exc
        acteur = ctx if not premier else ctx.avec_agent(connecte(agent))
        audit.enregistrer(s, acteur, "creation", "agent", agent.id, libelle=f"Compte du personnel {login}",
                          apres=_instantane(agent))
        return connecte(agent)


def creer_premier_chef(ctx: Contexte, saisie: SaisieAgent) -> AgentConnecte:
    saisie.role = Role.CHEF
    if errors := _valider(saisie, avec_mot_de_passe=True):
        raise ValidationError(errors)
    return _inserer(ctx, saisie, premier=True)


def creer_agent(ctx: Contexte, saisie: SaisieAgent) -> AgentConnecte:
    exiger(ctx, P.PERSONNEL_GERER)
    if errors := _valider(saisie, avec_mot_de_passe=True):
        raise ValidationError(errors)
    _verifier_portefeuilles(ctx, saisie)
    return _inserer(ctx, saisie, premier=False)


def _verifier_portefeuilles(ctx: Contexte, saisie: SaisieAgent) -> None:
    if saisie.role != Role.GESTIONNAIRE:
        saisie.portefeuilles = []
        return
    with ctx.lecture() as s:
        connus = set(s.scalars(select(Portefeuille.code)))
    inconnus = [c for c in saisie.portefeuilles if c not in connus]
    if inconnus:
        raise ValidationError({"portefeuilles": "Portefeuille inconnu : " + ", ".join(inconnus)})


MESSAGE_CONFLIT = ("Ce compte du personnel a été modifié entre-temps sur un autre poste : rechargez-le "
                   "puis refaites votre modification.")


def modifier_agent(ctx: Contexte, agent_id: int, saisie: SaisieAgent, *,
                   row_version: int | None = None) -> AgentConnecte:
    """``row_version`` is the version the screen loaded: when given, a change made meanwhile on
    another workstation is refused instead of being overwritten silently."""
    exiger(ctx, P.PERSONNEL_GERER)
    if errors := _valider(saisie, avec_mot_de_passe=False):
        raise ValidationError(errors)
    _verifier_portefeuilles(ctx, saisie)
    with ctx.transaction() as s:
        agent = s.get(Agent, agent_id)
        if agent is None:
            raise NotFound("Ce compte du personnel n'existe plus.")
        if row_version is not None and agent.row_version != row_version:
            raise ConflictError(MESSAGE_CONFLIT)
        if ctx.agent and agent.id == ctx.agent.id and (saisie.role != Role.CHEF or not saisie.actif):
            raise ValidationError({"role": "Vous ne pouvez pas retirer votre propre rôle de chef de bureau."})
        avant = _instantane(agent)
        agent.login = saisie.login.strip().lower()
        agent.nom = nom_majuscules(saisie.nom)
        agent.prenom = prenoms_normalises(saisie.prenom)
        agent.email = saisie.email.strip() or None
        agent.telephone = saisie.telephone.strip() or None
        agent.role = saisie.role
        agent.portefeuilles = list(saisie.portefeuilles)
        agent.actif = saisie.actif
        if saisie.mot_de_passe:
            agent.mot_de_passe_hash = securite.hacher(saisie.mot_de_passe)
        try:
            s.flush()
        except IntegrityError as exc:
            raise ValidationError({"login": "Cet identifiant est déjà utilisé."}) from exc
        except StaleDataError as exc:
            raise ConflictError(MESSAGE_CONFLIT) from exc
        av, ap = audit.difference(avant, _instantane(agent))
        if saisie.mot_de_passe:
            ap["mot_de_passe"] = "modifié"
        if ap:  # saving an unchanged form adds no empty line to the trail
            audit.enregistrer(s, ctx, "modification", "agent", agent.id,
                              libelle=f"Compte du personnel {agent.login}", avant=av, apres=ap)
        return connecte(agent)


def connecter(ctx: Contexte, login: str, mot_de_passe: str) -> AgentConnecte:
    with ctx.transaction() as s:
        agent = s.scalar(select(Agent).where(Agent.login == login.strip().lower()))
        if agent is None or not securite.verifier(agent.mot_de_passe_hash, mot_de_passe):
            raise DomainError(MESSAGE_CONNEXION)
        if not agent.actif:
            raise DomainError("Ce compte du personnel est désactivé : adressez-vous au chef de bureau.")
        agent.derniere_connexion = ctx.clock.now()
        audit.enregistrer(s, ctx.avec_agent(connecte(agent)), "connexion", "agent", agent.id,
                          libelle=f"Connexion de {agent.login}")
        return connecte(agent)


def agent_par_login(ctx: Contexte, login: str) -> AgentConnecte:
    """For tools and tests that start the window as an existing staff member."""
    with ctx.lecture() as s:
        agent = s.scalar(select(Agent).where(Agent.login == login.strip().lower()))
        if agent is None or not agent.actif:
            raise NotFound(f"Aucun compte du personnel actif « {login} ».")
        return connecte(agent)


def lister_agents(ctx: Contexte) -> list[Agent]:
    exiger(ctx, P.PERSONNEL_GERER)
    with ctx.lecture() as s:
        return list(s.scalars(select(Agent).order_by(Agent.nom, Agent.prenom)))


def lister_portefeuilles(ctx: Contexte) -> list[Portefeuille]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Portefeuille).order_by(Portefeuille.libelle)))
