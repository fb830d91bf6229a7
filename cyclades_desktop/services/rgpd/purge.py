"""The retention purge: list first (``preparer_purge``), then delete exactly that list in one
transaction (``appliquer_purge``), which refuses a plan gone stale. Deposited files no longer
referenced are removed from the store after the commit. Audit rows are kept (append-only)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, exists, func, select, tuple_
from sqlalchemy.orm import Session

from ...models import (
    AcquisCandidature,
    Affectation,
    Candidature,
    CompteCandidat,
    DecisionAmenagement,
    Document,
    DocumentVersion,
    EnvoiCourriel,
    EpreuveChoix,
    FichierJustificatif,
    Justificatif,
    LotElement,
    Message,
    Papillon,
    SessionExamen,
)
from ...rules.comptes import EtatCompte
from ...rules.errors import ConflictError
from ...rules.rgpd import Conservation, limite_sessions
from ...rules.temps import PARIS, format_date_heure, paris
from ...storage.fichiers import depot_de
from ..noyau import Contexte, P, audit, exiger
from .conservation import lire_conservation_session

LOT = 500  # ids per statement: far below SQLite's and PostgreSQL's bound-parameter limits

# Children deleted with a candidature, in the order they are deleted, with their French label.
ENFANTS = ("documents", "versions de documents", "pièces justificatives", "fichiers déposés", "messages",
           "affectations", "décisions d'aménagement", "papillons", "acquis", "épreuves", "éléments de lots")


@dataclass(frozen=True)
class CompteAPurger:
    id: int
    numero_candidat: str
    nom: str
    cree_le: datetime
    derniere_activite: datetime
    row_version: int


@dataclass(frozen=True)
class CandidatureAPurger:
    id: int
    compte_id: int
    numero_candidat: str
    numero_inscription: str
    session: str
    row_version: int
    enfants: tuple[int, ...]   # counts, in the order of ENFANTS


@dataclass(frozen=True)
class PlanPurge:
    prepare_le: datetime
    conservation: Conservation
    comptes_non_actives: tuple[CompteAPurger, ...]
    sessions: tuple[tuple[str, int], ...]                 # (libellé, number of candidatures)
    candidatures: tuple[CandidatureAPurger, ...]
    comptes_sans_candidature: tuple[CompteAPurger, ...]
    totaux: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def vide(self) -> bool:
        return not (self.comptes_non_actives or self.candidatures or self.comptes_sans_candidature)

    @property
    def resume(self) -> str:
        if self.vide:
            return "Aucune donnée n'a dépassé sa durée de conservation : rien à purger."
        parts = [f"{len(self.comptes_non_actives)} compte(s) non activé(s) depuis plus de "
                 f"{self.conservation.heures_comptes_non_actives} h",
                 f"{len(self.candidatures)} candidature(s) de session(s) terminée(s) depuis plus de "
                 f"{self.conservation.annees_apres_session} an(s)"]
        parts += [f"{libelle} : {n}" for libelle, n in self.totaux.items() if n]
        parts.append(f"{len(self.comptes_sans_candidature)} compte(s) sans candidature ni activité récente")
        return "À supprimer : " + ", ".join(parts) + "."


@dataclass(frozen=True)
class ResultatPurge:
    comptes: int
    candidatures: int
    fichiers_supprimes_du_depot: int
    totaux: dict[str, int]

    @property
    def message(self) -> str:
        return (f"Purge effectuée : {self.comptes} compte(s) et {self.candidatures} candidature(s) supprimés, "
                f"{self.fichiers_supprimes_du_depot} fichier(s) retiré(s) du dépôt des pièces.")


def _par_lots(ids: Iterable[int]) -> Iterator[list[int]]:
    liste = list(ids)
    for i in range(0, len(liste), LOT):
        yield liste[i:i + LOT]


def _debut_annee(annee: int) -> datetime:
    return datetime(annee, 1, 1, tzinfo=PARIS)


def _comptes(s: Session, q: Select) -> tuple[CompteAPurger, ...]:  # type: ignore[type-arg]
    return tuple(CompteAPurger(r.id, r.numero_candidat, f"{r.nom} {r.prenoms}", r.cree_le,
                               max(d for d in (r.cree_le, r.active_le, r.modifie_le) if d is not None), r.row_version)
                 for r in s.execute(q.order_by(CompteCandidat.numero_candidat)))


def _compter(s: Session, ids_cands: Select) -> dict[int, list[int]]:  # type: ignore[type-arg]
    """Per candidature, how many rows of each child kind (grouped queries, no id lists)."""
    j_ids = select(Justificatif.id).where(Justificatif.candidature_id.in_(ids_cands))
    d_ids = select(Document.id).where(Document.candidature_id.in_(ids_cands))
    requetes = [
        select(Document.candidature_id, func.count()).where(Document.candidature_id.in_(ids_cands))
        .group_by(Document.candidature_id),
        select(Document.candidature_id, func.count()).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.id.in_(d_ids)).group_by(Document.candidature_id),
        select(Justificatif.candidature_id, func.count()).where(Justificatif.candidature_id.in_(ids_cands))
        .group_by(Justificatif.candidature_id),
        select(Justificatif.candidature_id, func.count())
        .join(FichierJustificatif, FichierJustificatif.justificatif_id == Justificatif.id)
        .where(Justificatif.id.in_(j_ids)).group_by(Justificatif.candidature_id),
        select(Message.candidature_id, func.count()).where(Message.candidature_id.in_(ids_cands))
        .group_by(Message.candidature_id),
    ]
    for modele in (Affectation, DecisionAmenagement, Papillon, AcquisCandidature, EpreuveChoix, LotElement):
        requetes.append(select(modele.candidature_id, func.count()).where(modele.candidature_id.in_(ids_cands))
                        .group_by(modele.candidature_id))
    out: dict[int, list[int]] = {}
    for i, q in enumerate(requetes):
        for cid, n in s.execute(q):
            out.setdefault(cid, [0] * len(ENFANTS))[i] = n
    return out


def calculer_plan(s: Session, instant: datetime, conservation: Conservation) -> PlanPurge:
    limite_compte = instant - timedelta(hours=conservation.heures_comptes_non_actives)
    colonnes = (CompteCandidat.id, CompteCandidat.numero_candidat, CompteCandidat.nom, CompteCandidat.prenoms,
                CompteCandidat.cree_le, CompteCandidat.active_le, CompteCandidat.modifie_le,
                CompteCandidat.row_version)
    non_actives = _comptes(s, select(*colonnes).where(
        CompteCandidat.etat == EtatCompte.EN_ATTENTE, CompteCandidat.cree_le < limite_compte,
        ~exists().where(Candidature.compte_id == CompteCandidat.id)))

    annee_limite = limite_sessions(instant, conservation)
    sessions_perimees = select(SessionExamen.id).where(SessionExamen.annee < annee_limite)
    ids_cands = select(Candidature.id).where(Candidature.session_id.in_(sessions_perimees))
    comptages = _compter(s, ids_cands)
    lignes = s.execute(
        select(Candidature.id, Candidature.compte_id, CompteCandidat.numero_candidat, Candidature.numero_inscription,
               SessionExamen.libelle, Candidature.row_version)
        .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
        .join(SessionExamen, SessionExamen.id == Candidature.session_id)
        .where(Candidature.session_id.in_(sessions_perimees))
        .order_by(SessionExamen.annee, SessionExamen.libelle, CompteCandidat.numero_candidat,
                  Candidature.numero_inscription)).all()
    candidatures = tuple(CandidatureAPurger(r.id, r.compte_id, r.numero_candidat, r.numero_inscription, r.libelle,
                                            r.row_version, tuple(comptages.get(r.id, [0] * len(ENFANTS))))
                         for r in lignes)
    sessions: dict[str, int] = {}
    for c in candidatures:
        sessions[c.session] = sessions.get(c.session, 0) + 1

    # Accounts left with no candidature once these are gone, and nothing done on them since the
    # retention window opened (the same boundary as the sessions'). Unactivated ones are above.
    debut = _debut_annee(annee_limite)
    recente = Candidature.session_id.not_in(sessions_perimees)
    ids_non_actives = {c.id for c in non_actives}
    orphelins = tuple(c for c in _comptes(s, select(*colonnes).where(
        ~exists().where(Candidature.compte_id == CompteCandidat.id, recente),
        CompteCandidat.cree_le < debut,
        (CompteCandidat.active_le.is_(None)) | (CompteCandidat.active_le < debut),
        (CompteCandidat.modifie_le.is_(None)) | (CompteCandidat.modifie_le < debut)))
        if c.id not in ids_non_actives)
    totaux = {libelle: sum(c.enfants[i] for c in candidatures) for i, libelle in enumerate(ENFANTS)}
    return PlanPurge(instant, conservation, non_actives, tuple(sessions.items()), candidatures, orphelins, totaux)


def preparer_purge(ctx: Contexte) -> PlanPurge:
    """What the retention settings say must go, as of now (ctx.clock). Nothing is deleted."""
    exiger(ctx, P.MAINTENANCE)
    with ctx.lecture() as s:
        return calculer_plan(s, ctx.clock.now(), lire_conservation_session(s))


def lignes_plan(plan: PlanPurge) -> list[str]:
    """The plan, one line per item, for the CLI and the scheduled task's log."""
    out = [f"Compte non activé\t{c.numero_candidat}\t{c.nom}\tcréé le {format_date_heure(c.cree_le)}"
           for c in plan.comptes_non_actives]
    out += [f"Candidature\t{c.numero_candidat}\t{c.numero_inscription}\tsession {c.session}"
            for c in plan.candidatures]
    out += [f"Compte sans candidature\t{c.numero_candidat}\t{c.nom}\tdernière activité le "
            f"{format_date_heure(c.derniere_activite)}" for c in plan.comptes_sans_candidature]
    return out


PERIME = ("Les données ont changé depuis la préparation de la liste (un dossier a été modifié, ajouté ou "
          "supprimé, ou les durées de conservation ont changé) : rien n'a été supprimé. Préparez de nouveau "
          "la liste avant de purger.")


def appliquer_purge(ctx: Contexte, plan: PlanPurge) -> ResultatPurge:
    """Delete exactly what the plan lists, in one transaction, after checking under the write lock
    that the plan still describes the database (same rows, same versions, same children)."""
    exiger(ctx, P.MAINTENANCE)
    if plan.vide:
        return ResultatPurge(0, 0, 0, {})
    with ctx.transaction() as s:
        if s.get_bind().dialect.name == "postgresql":
            # Row locks for the re-check: no other workstation changes these rows until the commit.
            ids = [c.id for c in plan.candidatures]
            for lot in _par_lots(ids):
                s.execute(select(Candidature.id).where(Candidature.id.in_(lot)).with_for_update())
            for lot in _par_lots([c.id for c in (*plan.comptes_non_actives, *plan.comptes_sans_candidature)]):
                s.execute(select(CompteCandidat.id).where(CompteCandidat.id.in_(lot)).with_for_update())
        frais = calculer_plan(s, plan.prepare_le, lire_conservation_session(s))
        if frais != plan:
            raise ConflictError(PERIME)
        hashes = _supprimer_candidatures(s, [c.id for c in plan.candidatures])
        comptes = [*plan.comptes_non_actives, *plan.comptes_sans_candidature]
        _supprimer_comptes(s, comptes)
        for c in plan.candidatures:
            audit.enregistrer(s, ctx, "purge_conservation", "candidature", c.id,
                              libelle=f"Candidature {c.numero_inscription} du candidat {c.numero_candidat}, "
                                      f"session {c.session} : durée de conservation dépassée")
        for c in plan.comptes_non_actives:
            audit.enregistrer(s, ctx, "purge_48h", "compte", c.id,
                              libelle=f"Compte {c.numero_candidat} non activé sous "
                                      f"{plan.conservation.heures_comptes_non_actives} h")
        for c in plan.comptes_sans_candidature:
            audit.enregistrer(s, ctx, "purge_conservation", "compte", c.id,
                              libelle=f"Compte {c.numero_candidat} sans candidature ni activité récente")
        totaux = {"comptes non activés": len(plan.comptes_non_actives),
                  "candidatures": len(plan.candidatures),
                  "comptes sans candidature": len(plan.comptes_sans_candidature), **plan.totaux}
        audit.enregistrer(s, ctx, "purge_conservation", "purge", paris(plan.prepare_le).strftime("%Y-%m-%d"),
                          libelle=f"Purge des données : {len(comptes)} compte(s), {len(plan.candidatures)} "
                                  "candidature(s)",
                          apres={**totaux, "heures_comptes_non_actives": plan.conservation.heures_comptes_non_actives,
                                 "annees_apres_session": plan.conservation.annees_apres_session,
                                 "sessions": [libelle for libelle, _n in plan.sessions]})
    # After the commit: files no longer referenced by any deposit leave the store.
    supprimes = 0
    if hashes:
        depot = depot_de(ctx.db)
        with ctx.lecture() as s:
            encore = set()
            for lot in _par_lots(sorted(hashes)):  # type: ignore[arg-type]
                encore |= set(s.scalars(select(FichierJustificatif.sha256).where(FichierJustificatif.sha256.in_(lot))))
        for h in sorted(hashes - encore):
            if depot.existe(h):
                depot.supprimer(h)
                supprimes += 1
    return ResultatPurge(len(comptes), len(plan.candidatures), supprimes, totaux)


def _supprimer_candidatures(s: Session, ids: list[int]) -> set[str]:
    """Children first (explicit deletes: the same on both engines whatever the cascades); returns the
    hashes of the deleted files."""
    hashes: set[str] = set()
    for lot in _par_lots(ids):
        j_ids = select(Justificatif.id).where(Justificatif.candidature_id.in_(lot))
        d_ids = select(Document.id).where(Document.candidature_id.in_(lot))
        m_ids = select(Message.id).where(Message.candidature_id.in_(lot))
        hashes |= set(s.scalars(select(FichierJustificatif.sha256).where(FichierJustificatif.justificatif_id.in_(j_ids))))
        s.execute(delete(FichierJustificatif).where(FichierJustificatif.justificatif_id.in_(j_ids)))
        s.execute(delete(Justificatif).where(Justificatif.candidature_id.in_(lot)))
        s.execute(delete(DocumentVersion).where(DocumentVersion.document_id.in_(d_ids)))
        s.execute(delete(Document).where(Document.candidature_id.in_(lot)))
        s.execute(delete(EnvoiCourriel).where(EnvoiCourriel.message_id.in_(m_ids)))
        s.execute(delete(Message).where(Message.candidature_id.in_(lot)))
        for modele in (Affectation, DecisionAmenagement, Papillon, AcquisCandidature, EpreuveChoix, LotElement):
            s.execute(delete(modele).where(modele.candidature_id.in_(lot)))
        s.execute(delete(Candidature).where(Candidature.id.in_(lot)))
    return hashes


def _supprimer_comptes(s: Session, comptes: list[CompteAPurger]) -> None:
    for lot in _par_lots([c.id for c in comptes]):
        m_ids = select(Message.id).where(Message.compte_id.in_(lot))
        s.execute(delete(EnvoiCourriel).where(EnvoiCourriel.message_id.in_(m_ids)))
        s.execute(delete(Message).where(Message.compte_id.in_(lot)))
        s.execute(delete(Papillon).where(Papillon.compte_id.in_(lot)))
    versions = {c.id: c.row_version for c in comptes}
    for lot in _par_lots(list(versions)):
        n = s.execute(delete(CompteCandidat).where(
            tuple_(CompteCandidat.id, CompteCandidat.row_version).in_([(i, versions[i]) for i in lot]))).rowcount
        if n != len(lot):
            raise ConflictError(PERIME)
