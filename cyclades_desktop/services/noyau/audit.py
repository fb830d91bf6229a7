"""Recording and reading the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, SessionTransaction

from ...models import AuditEntry
from ...rules.audit import GENESE, contenu_canonique, empreinte_sha256, horodatage_canonique
from ...rules.temps import PARIS
from ...rules.texte import ECHAPPEMENT_LIKE, echapper_like, texte_recherche
from . import scellement
from .chaine import RapportChaine, verifier_chaine
from .contexte import SYSTEME, Contexte
from .permissions import P, exiger
from .scellement import sceau_courant, sceller, sceller_du_jour

# Re-exported: callers know the trail as « audit » (audit.verifier_chaine, audit.sceau_courant…).
__all__ = ["GENESE", "VERROU_AUDIT_PG", "FiltreAudit", "LigneAudit", "RapportChaine", "actions_connues",
           "calculer_empreinte", "difference", "enregistrer", "entites_connues", "horodatage_canonique", "lister",
           "sceau_courant", "sceller", "sceller_du_jour", "verifier_chaine"]


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, datetime | date):
            v = v.isoformat()
        out[k] = v
    return out


def _normaliser(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """The value exactly as it will read back from the JSON column (int keys become strings,
    tuples lists…), so that the hash computed now is the hash recomputed by the verification."""
    v = _jsonable(values)
    return None if v is None else json.loads(json.dumps(v, ensure_ascii=False))


# --- tamper evidence: a hash chain over the rows, in insertion (= id) order -------------------------
# Each row stores the previous row's hash and a hash of (previous hash + canonical JSON of its content):
# HMAC-SHA256 under the office's key kept outside the database (scellement.py), or a bare SHA-256 for
# rows written before the key existed (rules/audit.py has both formats). The id is left out on purpose:
# it is only known after the INSERT, and the append-only triggers refuse the UPDATE that would store a
# hash computed from it. Chaining by the previous hash is enough: a deleted, moved or forged row breaks
# the link of the row that follows it; deleting the last rows is caught by the seals (scellement.py).
# Key of the PostgreSQL transaction-level advisory lock that serialises audit writers (« CYCLAUD »).
VERROU_AUDIT_PG = 0x4359434C415544
_CLE_SESSION = "audit_derniere_empreinte"


def calculer_empreinte(precedente: str, horodatage: datetime, agent_id: int | None, agent_login: str,
                       action: str, entite: str, entite_id: str, libelle: str,
                       avant: dict[str, Any] | None, apres: dict[str, Any] | None, motif: str | None) -> str:
    """The unkeyed format (rows before the key): anyone can compute it, so it proves nothing alone."""
    return empreinte_sha256(precedente, contenu_canonique(horodatage, agent_id, agent_login, action, entite,
                                                          entite_id, libelle, avant, apres, motif))


def _derniere_empreinte(session: Session) -> str:
    """The chain's last hash, read under the writer lock: SQLite transactions start with BEGIN
    IMMEDIATE (storage/database.py); on PostgreSQL an advisory lock held until commit serialises
    the writers of audit rows, so two workstations never chain onto the same row."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:cle)"), {"cle": VERROU_AUDIT_PG})
    with session.no_autoflush:  # no other pending change is flushed earlier than it would have been
        derniere = session.scalar(select(AuditEntry.empreinte).order_by(AuditEntry.id.desc()).limit(1))
    return derniere or GENESE


@event.listens_for(Session, "after_transaction_end")
def _oublier_empreinte(session: Session, _transaction: SessionTransaction) -> None:
    # The cached hash is only valid inside one transaction (a rolled-back savepoint drops its rows).
    session.info.pop(_CLE_SESSION, None)


def enregistrer(
    session: Session, ctx: Contexte, action: str, entite: str, entite_id: object, *,
    libelle: str = "", avant: dict[str, Any] | None = None, apres: dict[str, Any] | None = None,
    motif: str | None = None,
) -> None:
    """Add one audit row to the caller's transaction: it commits or rolls back with the change."""
    agent = ctx.agent or SYSTEME
    en_cours = session.info.get(_CLE_SESSION)
    if en_cours is None:  # one indexed read per transaction; later rows chain from the session
        # The key first: creating it at first need may touch the share, better not under the lock.
        signataire = scellement.signataire_ecriture(ctx.db)
        precedente = _derniere_empreinte(session)
    else:
        precedente, signataire = en_cours
    ligne = AuditEntry(
        horodatage=ctx.clock.now(), agent_id=agent.id or None, agent_login=agent.login, action=action,
        entite=entite, entite_id=str(entite_id), libelle=libelle[:300], avant=_normaliser(avant),
        apres=_normaliser(apres), motif=motif, empreinte_precedente=precedente,
    )
    ligne.empreinte = signataire.empreinte(precedente, contenu_canonique(
        ligne.horodatage, ligne.agent_id, ligne.agent_login, action, ligne.entite, ligne.entite_id,
        ligne.libelle, ligne.avant, ligne.apres, motif))
    session.add(ligne)
    session.info[_CLE_SESSION] = (ligne.empreinte, signataire)


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


@dataclass(frozen=True, slots=True)
class LigneAudit:
    """One row of the journal as the screen lists and details it (the hash chain stays here)."""
    id: int
    horodatage: datetime
    agent_login: str
    action: str
    entite: str
    entite_id: str
    libelle: str
    avant: dict[str, Any] | None
    apres: dict[str, Any] | None
    motif: str | None


def lister(ctx: Contexte, filtre: FiltreAudit, *, avant_id: int | None = None, limite: int = 200) -> list[LigneAudit]:
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
    if texte := texte_recherche(filtre.texte):
        # What was typed, literally: « % » or « _ » would otherwise match every row.
        t = f"%{echapper_like(texte)}%"
        q = q.where(AuditEntry.agent_login.ilike(t, escape=ECHAPPEMENT_LIKE)
                    | AuditEntry.entite_id.ilike(t, escape=ECHAPPEMENT_LIKE)
                    | AuditEntry.libelle.ilike(t, escape=ECHAPPEMENT_LIKE)
                    | AuditEntry.entite.ilike(t, escape=ECHAPPEMENT_LIKE))
    with ctx.lecture() as s:
        return [LigneAudit(e.id, e.horodatage, e.agent_login, e.action, e.entite, e.entite_id, e.libelle,
                           e.avant, e.apres, e.motif) for e in s.scalars(q)]


def entites_connues(ctx: Contexte) -> list[str]:
    exiger(ctx, P.AUDIT_LIRE)
    with ctx.lecture() as s:
        return list(s.scalars(select(AuditEntry.entite).distinct().order_by(AuditEntry.entite)))


def actions_connues(ctx: Contexte) -> list[str]:
    """The actions present in the trail, for the journal's filter (new kinds appear by themselves)."""
    exiger(ctx, P.AUDIT_LIRE)
    with ctx.lecture() as s:
        return list(s.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
