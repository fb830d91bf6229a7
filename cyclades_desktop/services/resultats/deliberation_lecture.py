"""Reading deliberations and results (docs/domaine/resultats.md#decisions): a jury's deliberation with its
counts per decision, its results page by page, one candidature's current result and its versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Deliberation, Jury, ResultatCandidature
from ...rules.deliberation import Decision, fr
from ...rules.resultats import (
    LIBELLES_DELIBERATION,
    LIBELLES_STATUT_RESULTAT,
    LIBELLES_TOUR,
    PREMIER_GROUPE,
    EtatDeliberation,
    decision_depuis_code,
    mention_depuis_code,
)
from ..noyau import Contexte, P, charger_ou_erreur, exiger
from .commun import exiger_specialites, identites


@dataclass(frozen=True)
class VueResultat:
    id: int
    candidature_id: int
    numero_candidat: str
    nom: str
    prenoms: str
    version: int
    statut: str                       # StatutResultat
    decision: str                     # « Admis »…
    decision_code: str                # ADMIS…
    mention: str                      # « Bien »; "" without
    moyenne_generale: Decimal | None  # four decimals, truncated; shown with ``moyenne``
    moyenne_avant_jury: Decimal | None
    moyenne_professionnelle: Decimal | None
    points_jury: Decimal
    points_jury_par: str
    points_jury_motif: str
    unites_acquises: tuple[tuple[str, str], ...]     # (code, « 12,50 »)
    explications: tuple[str, ...]
    corrige_par: str
    motif_correction: str
    row_version: int
    seuil: Decimal | None = None      # the decisive threshold, for the display of the average

    @property
    def moyenne(self) -> str:
        """« 11,25 »; four decimals next to a threshold the rounding would reach (9,9950)."""
        return fr(self.moyenne_generale, self.seuil)

    @property
    def libelle_statut(self) -> str:
        return LIBELLES_STATUT_RESULTAT[self.statut]


@dataclass(frozen=True)
class VueDeliberation:
    id: int
    jury_id: int
    jury: str
    tour: int
    etat: str
    ouverte_le: datetime
    calculee_le: datetime | None
    decisions_le: datetime | None
    signee_par: str
    signee_le: datetime | None
    close_le: datetime | None
    effectifs: tuple[tuple[str, int], ...]      # (« Admis », 12)… in the engine's order
    row_version: int

    @property
    def libelle(self) -> str:
        return f"{self.jury} — {LIBELLES_TOUR[self.tour]} ({LIBELLES_DELIBERATION[self.etat].lower()})"

    @property
    def total(self) -> int:
        return sum(n for _, n in self.effectifs)


def vue_deliberation(s: Session, d: Deliberation) -> VueDeliberation:
    jury = s.get(Jury, d.jury_id)
    courants = _courants(s, d.id)
    comptes = dict(s.execute(select(ResultatCandidature.decision, func.count()).where(
        ResultatCandidature.id.in_(courants)).group_by(ResultatCandidature.decision)).all())
    effectifs = tuple((x.value, int(comptes[x.name])) for x in Decision if comptes.get(x.name))
    return VueDeliberation(d.id, d.jury_id, jury.libelle if jury else "", d.tour, d.etat, d.ouverte_le, d.calculee_le,
                           d.decisions_le, d.signee_par or "", d.signee_le, d.close_le, effectifs, d.row_version)


def _courants(s: Session, deliberation_id: int):  # type: ignore[no-untyped-def]
    """The ids of the latest version of each candidature's result from this deliberation."""
    derniere = (select(ResultatCandidature.candidature_id, func.max(ResultatCandidature.version).label("v"))
                .where(ResultatCandidature.deliberation_id == deliberation_id)
                .group_by(ResultatCandidature.candidature_id).subquery())
    return (select(ResultatCandidature.id).join(derniere, (derniere.c.candidature_id == ResultatCandidature.candidature_id)
                                               & (derniere.c.v == ResultatCandidature.version)))


def vues_resultats(s: Session, rows: list[ResultatCandidature], seuil: Decimal | None = None) -> list[VueResultat]:
    ids = identites(s, [r.candidature_id for r in rows])
    return [VueResultat(
        r.id, r.candidature_id, ids[r.candidature_id].numero_candidat, ids[r.candidature_id].nom,
        ids[r.candidature_id].prenoms, r.version, r.statut, decision_depuis_code(r.decision).value, r.decision,
        (m.value if (m := mention_depuis_code(r.mention)) else ""), r.moyenne_generale, r.moyenne_avant_jury,
        r.moyenne_professionnelle, Decimal(r.points_jury or 0), r.points_jury_par or "", r.points_jury_motif or "",
        tuple((code, fr(Decimal(str(n)))) for code, n in (r.unites_acquises or {}).items()),
        tuple(r.explications or ()), r.corrige_par or "", r.motif_correction or "", r.row_version, seuil)
        for r in rows]


def deliberation_du_jury(ctx: Contexte, jury_id: int, tour: int = PREMIER_GROUPE) -> VueDeliberation | None:
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        d = s.scalar(select(Deliberation).where(Deliberation.jury_id == jury_id, Deliberation.tour == tour))
        return vue_deliberation(s, d) if d else None


def lister_resultats(ctx: Contexte, deliberation_id: int, *, apres_id: int = 0, limite: int = 500) -> list[VueResultat]:
    """The deliberation's current results, keyset-paged on their id (screens page with ``apres_id``)."""
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        d = charger_ou_erreur(s, Deliberation, deliberation_id, "Cette délibération n'existe plus.")
        rows = list(s.scalars(select(ResultatCandidature).where(
            ResultatCandidature.id.in_(_courants(s, d.id)), ResultatCandidature.id > apres_id)
            .order_by(ResultatCandidature.id).limit(limite)))
        return vues_resultats(s, rows)


def resultat_courant(s: Session, candidature_id: int) -> ResultatCandidature | None:
    return s.scalar(select(ResultatCandidature).where(ResultatCandidature.candidature_id == candidature_id)
                    .order_by(ResultatCandidature.version.desc()).limit(1))


def resultats_candidature(ctx: Contexte, candidature_id: int) -> list[VueResultat]:
    """Every version of the candidature's result, the current one first."""
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        rows = list(s.scalars(select(ResultatCandidature).where(ResultatCandidature.candidature_id == candidature_id)
                              .order_by(ResultatCandidature.version.desc())))
        if rows:
            exiger_specialites(s, ctx, [identites(s, [candidature_id])[candidature_id].specialite_id])
        return vues_resultats(s, rows)


def autorise_au_controle(s: Session, candidature_id: int) -> bool:
    """Authorised to the épreuve de contrôle by a closed 1st-group deliberation, whose result still says so
    (or whose 2nd-group deliberation is under way)."""
    rows = list(s.execute(select(ResultatCandidature.decision, Deliberation.tour, Deliberation.etat)
                          .join(Deliberation, Deliberation.id == ResultatCandidature.deliberation_id)
                          .where(ResultatCandidature.candidature_id == candidature_id)
                          .order_by(ResultatCandidature.version)))
    premier = [r for r in rows if r[1] == PREMIER_GROUPE]
    if not premier or premier[-1][0] != Decision.AUTORISE_CONTROLE.name or premier[-1][2] != EtatDeliberation.CLOSE:
        return False
    return all(etat != EtatDeliberation.CLOSE for _, tour, etat in rows if tour != PREMIER_GROUPE)
