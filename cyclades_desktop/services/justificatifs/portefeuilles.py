"""A gestionnaire's portfolio: the filières they handle (docs/domaine/README.md#roles). The reviewers'
grid filters on it, and a gestionnaire changes the status of a pièce only inside it; the chef de bureau
changes any. Agents d'accueil have no portfolio: what they may do at the counter (record a reception,
validate a group for a candidate) is decided by their permissions alone."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Candidature, Portefeuille, Specialite
from ...rules.errors import PermissionDenied
from ...rules.personnel import Role
from ..noyau import Contexte


def filieres_de(s: Session, ctx: Contexte) -> set[str]:
    """The filières of the signed-in agent's portfolios (as at sign-in, like their role)."""
    codes = ctx.agent.portefeuilles if ctx.agent else ()
    if not codes:
        return set()
    return {f for p in s.scalars(select(Portefeuille).where(Portefeuille.code.in_(codes)))
            for f in (p.filieres or [])}


def exiger_portefeuille(s: Session, ctx: Contexte, candidature_ids: Iterable[int]) -> None:
    """Refuse a gestionnaire any candidature outside their portfolio, before anything is written."""
    if ctx.agent is None or ctx.agent.role != Role.GESTIONNAIRE:
        return
    ids = set(candidature_ids)
    if not ids:
        return
    miennes = filieres_de(s, ctx)
    lignes = s.execute(select(Candidature.id, Specialite.intitule, Specialite.filiere)
                       .outerjoin(Specialite, Specialite.id == Candidature.specialite_id)
                       .where(Candidature.id.in_(ids)).order_by(Candidature.id))
    for _cid, intitule, filiere in lignes:
        if intitule is None:
            raise PermissionDenied("Cette candidature n'a pas encore de spécialité, donc pas de filière : seul le "
                                   "chef de bureau peut changer le statut de ses pièces. Rien n'a été modifié.")
        if filiere not in miennes:
            raise PermissionDenied(
                f"La spécialité « {intitule} » (filière « {filiere or 'non renseignée'} ») n'est pas dans votre "
                "portefeuille : seuls les gestionnaires de cette filière et le chef de bureau peuvent changer le "
                "statut de ses pièces. Rien n'a été modifié.")
