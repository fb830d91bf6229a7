"""Recording and reading the audit trail."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, SessionTransaction

from ...models import AuditEntry
from ...rules.temps import PARIS, format_date
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


def _normaliser(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """The value exactly as it will read back from the JSON column (int keys become strings,
    tuples lists…), so that the hash computed now is the hash recomputed by the verification."""
    v = _jsonable(values)
    return None if v is None else json.loads(json.dumps(v, ensure_ascii=False))


# --- tamper evidence: a hash chain over the rows, in insertion (= id) order -------------------------
# Each row stores the previous row's hash and SHA-256(previous hash + canonical JSON of its content).
# The id is left out on purpose: it is only known after the INSERT, and the append-only triggers refuse
# the UPDATE that would store a hash computed from it. Chaining by the previous hash is enough: a
# deleted, moved or forged row breaks the link of the row that follows it.
GENESE = "0" * 64
# Key of the PostgreSQL transaction-level advisory lock that serialises audit writers (« CYCLAUD »).
VERROU_AUDIT_PG = 0x4359434C415544
_CLE_SESSION = "audit_derniere_empreinte"


def horodatage_canonique(dt: datetime) -> str:
    if dt.tzinfo is None:  # SQLite read through Core without the UTC type
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")  # 2024-11-10T10:00:00.000000+00:00


def calculer_empreinte(precedente: str, horodatage: datetime, agent_id: int | None, agent_login: str,
                       action: str, entite: str, entite_id: str, libelle: str,
                       avant: dict[str, Any] | None, apres: dict[str, Any] | None, motif: str | None) -> str:
    contenu = json.dumps(
        [horodatage_canonique(horodatage), agent_id, agent_login, action, entite, entite_id, libelle or "",
         avant, apres, motif],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256((precedente + contenu).encode("utf-8")).hexdigest()


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
    precedente = session.info.get(_CLE_SESSION)
    if precedente is None:  # one indexed read per transaction; later rows chain from the session
        precedente = _derniere_empreinte(session)
    ligne = AuditEntry(
        horodatage=ctx.clock.now(), agent_id=agent.id or None, agent_login=agent.login, action=action,
        entite=entite, entite_id=str(entite_id), libelle=libelle[:300], avant=_normaliser(avant),
        apres=_normaliser(apres), motif=motif, empreinte_precedente=precedente,
    )
    ligne.empreinte = calculer_empreinte(
        precedente, ligne.horodatage, ligne.agent_id, ligne.agent_login, action, ligne.entite, ligne.entite_id,
        ligne.libelle, ligne.avant, ligne.apres, motif)
    session.add(ligne)
    session.info[_CLE_SESSION] = ligne.empreinte


@dataclass(frozen=True)
class RapportChaine:
    """The outcome of a walk over the whole trail."""

    intacte: bool
    nombre: int                              # rows checked
    derniere_empreinte: str                  # note it down: a later check must find it again
    entree_id: int | None = None             # the first row where the chain breaks
    horodatage: datetime | None = None
    raison: str = ""

    @property
    def message(self) -> str:
        if self.intacte:
            n = f"{self.nombre} entrée{'s' if self.nombre > 1 else ''}"
            return (f"La chaîne d'audit est intacte ({n} vérifiée{'s' if self.nombre > 1 else ''}). "
                    f"Dernière empreinte : {self.derniere_empreinte}.")
        date_ = f" du {format_date(self.horodatage)}" if self.horodatage else ""
        return f"La chaîne d'audit est rompue à l'entrée n°{self.entree_id}{date_} : {self.raison}."


CONTENU_MODIFIE = "contenu modifié"
LIEN_ROMPU = ("elle ne suit plus l'entrée précédente (une entrée a été supprimée, déplacée ou réécrite "
              "avant elle)")
DEBUT_SUPPRIME = "les premières entrées du journal ont été supprimées"
SANS_EMPREINTE = "entrée sans empreinte (ajoutée hors de l'application)"
TAILLE_LOT = 5000


def verifier_chaine(ctx: Contexte) -> RapportChaine:
    """Walk the trail in id order, streamed (constant memory), recomputing every hash."""
    exiger(ctx, P.AUDIT_LIRE)
    t = AuditEntry.__table__.c
    q = select(t.id, t.horodatage, t.agent_id, t.agent_login, t.action, t.entite, t.entite_id, t.libelle,
               t.avant, t.apres, t.motif, t.empreinte_precedente, t.empreinte).order_by(t.id)
    precedente = GENESE
    nombre = 0
    with ctx.lecture() as s:
        resultat = s.execute(q.execution_options(yield_per=TAILLE_LOT))
        for r in resultat:
            raison = ""
            if r.empreinte is None or r.empreinte_precedente is None:
                raison = SANS_EMPREINTE
            elif r.empreinte_precedente != precedente:
                raison = DEBUT_SUPPRIME if nombre == 0 else LIEN_ROMPU
            elif calculer_empreinte(precedente, r.horodatage, r.agent_id, r.agent_login, r.action, r.entite,
                                    r.entite_id, r.libelle, r.avant, r.apres, r.motif) != r.empreinte:
                raison = CONTENU_MODIFIE
            if raison:
                resultat.close()
                return RapportChaine(False, nombre, precedente, r.id, r.horodatage, raison)
            precedente = r.empreinte
            nombre += 1
    return RapportChaine(True, nombre, precedente)


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
    if filtre.texte.strip():
        t = f"%{filtre.texte.strip()}%"
        q = q.where(AuditEntry.agent_login.ilike(t) | AuditEntry.entite_id.ilike(t)
                    | AuditEntry.libelle.ilike(t) | AuditEntry.entite.ilike(t))
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
