"""Staff accounts: first start, sign-in, roles and portfolios."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...models import Agent, Portefeuille
from ...rules.errors import ConflictError, DomainError, NotFound, ValidationError
from ...rules.personnel import Role, SaisieAgent, valider_agent
from ...rules.texte import nom_majuscules, prenoms_normalises, verifier_caracteres
from ..noyau import AgentConnecte, Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger, securite

MESSAGE_CONNEXION = "Identifiant ou mot de passe incorrect."


def connecte(agent: Agent) -> AgentConnecte:
    return AgentConnecte(id=agent.id, login=agent.login, nom_affiche=f"{agent.prenom} {agent.nom}",
                         role=agent.role, portefeuilles=tuple(agent.portefeuilles or ()))


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
    if errors := valider_agent(saisie, avec_mot_de_passe=True):
        raise ValidationError(errors)
    return _inserer(ctx, saisie, premier=True)


def creer_agent(ctx: Contexte, saisie: SaisieAgent) -> AgentConnecte:
    exiger(ctx, P.PERSONNEL_GERER)
    if errors := valider_agent(saisie, avec_mot_de_passe=True):
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
    if errors := valider_agent(saisie, avec_mot_de_passe=False):
        raise ValidationError(errors)
    _verifier_portefeuilles(ctx, saisie)
    with ctx.transaction() as s:
        agent = charger_ou_erreur(s, Agent, agent_id, "Ce compte du personnel n'existe plus.")
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
            with conflit_si_perime(MESSAGE_CONFLIT):
                s.flush()
        except IntegrityError as exc:
            raise ValidationError({"login": "Cet identifiant est déjà utilisé."}) from exc
        av, ap = audit.difference(avant, _instantane(agent))
        if saisie.mot_de_passe:
            ap["mot_de_passe"] = "modifié"
        if ap:  # saving an unchanged form adds no empty line to the trail
            audit.enregistrer(s, ctx, "modification", "agent", agent.id,
                              libelle=f"Compte du personnel {agent.login}", avant=av, apres=ap)
        return connecte(agent)


def connecter(ctx: Contexte, login: str, mot_de_passe: str) -> AgentConnecte:
    if verifier_caracteres(login):  # no such login exists, and PostgreSQL refuses a NUL
        raise DomainError(MESSAGE_CONNEXION)
    with ctx.transaction() as s:
        agent = s.scalar(select(Agent).where(Agent.login == login.strip().lower()))
        if agent is None or not securite.verifier(agent.mot_de_passe_hash, mot_de_passe):
            raise DomainError(MESSAGE_CONNEXION)
        if not agent.actif:
            raise DomainError("Ce compte du personnel est désactivé : adressez-vous au chef de bureau.")
        agent.derniere_connexion = ctx.clock.now()
        audit.enregistrer(s, ctx.avec_agent(connecte(agent)), "connexion", "agent", agent.id,
                          libelle=f"Connexion de {agent.login}")
        resultat = connecte(agent)
    # The first sign-in of the day seals the trail's head outside the database (never fails).
    audit.sceller_du_jour(ctx)
    return resultat


def agent_par_login(ctx: Contexte, login: str) -> AgentConnecte:
    """For tools and tests that start the window as an existing staff member."""
    with ctx.lecture() as s:
        agent = s.scalar(select(Agent).where(Agent.login == login.strip().lower()))
        if agent is None or not agent.actif:
            raise NotFound(f"Aucun compte du personnel actif « {login} ».")
        return connecte(agent)


@dataclass(frozen=True, slots=True)
class VueAgent:
    """A staff account as the Personnel screen shows and edits it; ``row_version`` goes back to
    ``modifier_agent`` so a change made meanwhile on another workstation is refused."""
    id: int
    login: str
    nom: str
    prenom: str
    email: str | None
    telephone: str | None
    role: str
    portefeuilles: tuple[str, ...]
    actif: bool
    derniere_connexion: datetime | None
    row_version: int


@dataclass(frozen=True, slots=True)
class VuePortefeuille:
    code: str
    libelle: str


def _vue_agent(a: Agent) -> VueAgent:
    return VueAgent(id=a.id, login=a.login, nom=a.nom, prenom=a.prenom, email=a.email, telephone=a.telephone,
                    role=a.role, portefeuilles=tuple(a.portefeuilles or ()), actif=a.actif,
                    derniere_connexion=a.derniere_connexion, row_version=a.row_version)


def lister_agents(ctx: Contexte) -> list[VueAgent]:
    exiger(ctx, P.PERSONNEL_GERER)
    with ctx.lecture() as s:
        return [_vue_agent(a) for a in s.scalars(select(Agent).order_by(Agent.nom, Agent.prenom))]


def lister_portefeuilles(ctx: Contexte) -> list[VuePortefeuille]:
    with ctx.lecture() as s:
        return [VuePortefeuille(p.code, p.libelle)
                for p in s.scalars(select(Portefeuille).order_by(Portefeuille.libelle))]
