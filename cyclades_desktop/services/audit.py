"""Recording and reading the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AuditEntry
from ..rules.temps import PARIS
from .contexte import SYSTEME, Contexte
from .permissions import P, exiger


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, datetime | date):
            v = v.isoformat()
        out[k] = v
    return out


def enregistrer(
    session: Session, ctx: Contexte, action: str, entite: str, entite_id: object, *,
    libelle: str = "", avant: dict[str, Any] | None = None, apres: dict[str, Any] | None = None,
    motif: str | None = None,
) -> None:
    """Add one audit row to the caller's transaction: it commits or rolls back with the change."""
    agent = ctx.agent or SYSTEME
    session.add(AuditEntry(
        horodatage=ctx.clock.now(), agent_id=agent.id or None, agent_login=agent.login, action=action,
        entite=entite, entite_id=str(entite_id), libelle=libelle[:300], avant=_jsonable(avant),
        apres=_jsonable(apres), motif=motif,
    ))


def difference(avant: dict[str, Any], apres: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, on both sides."""
    keys = [k for k in apres if avant.get(k) != apres.get(k)]
    return {k: avant.get(k) for k in keys}, {k: apres.get(k) for k in keys}


@dataclass
class FiltreAudit:
    texte: str = ""              # matches login, entity, record id or label
    entite: str = ""
    action: str = ""
    du: date | None = None       # Paris dates, inclusive
    au: date | None = None


def lister(ctx: Contexte, filtre: FiltreAudit, *, avant_id: int | None = None, limite: int = 200) -> list[AuditEntry]:
    """Newest first, keyset-paged on id."""
    exiger(ctx, P.AUDIT_LIRE)
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limite)
    if avant_id is not None:
        q = q.where(AuditEntry.id < avant_id)
    if filtre.entite:
        q = q.where(AuditEntry.entite == filtre.entite)
    if filtre.action:
        q = q.where(AuditEntry.action == filtre.action)
    if filtre.du:
        q = q.where(AuditEntry.horodatage >= datetime.combine(filtre.du, datetime.min.time(), PARIS))
    if filtre.au:
        q = q.where(AuditEntry.horodatage < datetime.combine(filtre.au + timedelta(days=1), datetime.min.time(), PARIS))
    if filtre.texte.strip():
        t = f"%{filtre.texte.strip()}%"
        q = q.where(AuditEntry.agent_login.ilike(t) | AuditEntry.entite_id.ilike(t)
                    | AuditEntry.libelle.ilike(t) | AuditEntry.entite.ilike(t))
    with ctx.lecture() as s:
        return list(s.scalars(q))


def entites_connues(ctx: Contexte) -> list[str]:
    exiger(ctx, P.AUDIT_LIRE)
    with ctx.lecture() as s:
        return list(s.scalars(select(AuditEntry.entite).distinct().order_by(AuditEntry.entite)))


def actions_connues(ctx: Contexte) -> list[str]:
    """The actions present in the trail, for the journal's filter (new kinds appear by themselves)."""
    exiger(ctx, P.AUDIT_LIRE)
    with ctx.lecture() as s:
        return list(s.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
