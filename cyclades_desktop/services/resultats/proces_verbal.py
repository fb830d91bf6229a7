"""A deliberation as the jury reads it (docs/domaine/resultats.md#decisions, RES-14): its candidates ranked by
average, and the procès-verbal's data (``documents.pv_deliberation``) built from the stored results, so that
the PV printed is exactly what was recorded. Reads only: the PV is printed, not published to candidates."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...documents.donnees_resultats import DonneesPV, LignePV, MembreJury, TotauxPV
from ...models import (
    Bureau,
    Candidature,
    Deliberation,
    Domaine,
    Examinateur,
    Jury,
    ResultatCandidature,
    SessionExamen,
)
from ...models import Specialite as SpecialiteModele
from ...rules.deliberation import Decision, fr
from ...rules.errors import DomainError
from ...rules.resultats import LIBELLES_TOUR
from ...rules.temps import paris
from ..noyau import Contexte, P, charger_ou_erreur, exiger
from ..publications import en_tete_bureau
from .commun import exiger_specialites
from .deliberation_lecture import VueResultat, _courants, vues_resultats

ADMIS = {Decision.ADMIS.name, Decision.ADMIS_APRES_CONTROLE.name}


def _resultats(s: Session, ctx: Contexte, deliberation_id: int) -> tuple[Deliberation, list[ResultatCandidature]]:
    d = charger_ou_erreur(s, Deliberation, deliberation_id, "Cette délibération n'existe plus.")
    t = ResultatCandidature
    rows = list(s.scalars(select(t).join(Candidature, Candidature.id == t.candidature_id)
                          .where(t.id.in_(_courants(s, d.id)))
                          .order_by(t.moyenne_generale.desc().nulls_last(), Candidature.id)))
    exiger_specialites(s, ctx, s.scalars(select(Candidature.specialite_id).distinct().where(
        Candidature.id.in_([r.candidature_id for r in rows]))))
    return d, rows


def classement_deliberation(ctx: Contexte, deliberation_id: int) -> list[VueResultat]:
    """The deliberation's current results, the best average first (a candidate without one last)."""
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        return vues_resultats(s, _resultats(s, ctx, deliberation_id)[1])


def _membre(e: Examinateur | None) -> MembreJury:
    if e is None:
        return MembreJury("")
    return MembreJury(f"{e.prenom} {e.nom.upper()}", e.discipline or "")


def donnees_pv(ctx: Contexte, deliberation_id: int) -> DonneesPV:
    """The procès-verbal of a deliberation whose decisions are recorded, ranked by N° candidat."""
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        d, rows = _resultats(s, ctx, deliberation_id)
        if d.decisions_le is None:
            raise DomainError("Le procès-verbal s'imprime une fois les décisions du jury enregistrées.")
        jury = charger_ou_erreur(s, Jury, d.jury_id, "Ce jury n'existe plus : rechargez la liste.")
        session = s.get(SessionExamen, jury.session_id)
        domaine = s.get(Domaine, jury.domaine_code)
        specialites = [f"{sp.intitule} ({sp.code})" if sp.code else sp.intitule for sp in s.scalars(
            select(SpecialiteModele).where(SpecialiteModele.id.in_(list(jury.specialites or ())))
            .order_by(SpecialiteModele.id))] if jury.specialites else []
        membres = tuple(_membre(s.get(Examinateur, m.examinateur_id)) for m in jury.membres)
        vues = sorted(vues_resultats(s, rows), key=lambda v: v.numero_candidat)
        lignes = tuple(LignePV(v.numero_candidat, v.nom, v.prenoms, v.moyenne, v.decision,
                               fr(v.points_jury) if v.points_jury else "", v.mention) for v in vues)
        presents = sum(1 for r in rows if r.moyenne_generale is not None)
        admis = sum(1 for r in rows if r.decision in ADMIS)
        taux = (Decimal(admis * 100) / presents).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if presents else None
        totaux = TotauxPV(presents, admis, sum(1 for r in rows if r.decision == Decision.AJOURNE.name),
                          sum(1 for r in rows if r.decision == Decision.AUTORISE_CONTROLE.name),
                          f"{taux:f}".replace(".", ",") + " %" if taux is not None else "")
        bureau = s.get(Bureau, 1)
        assert bureau is not None
        return DonneesPV(en_tete_bureau(bureau), session.libelle if session else "",
                         (domaine.libelle_majuscules if domaine else jury.domaine_code),
                         " ; ".join(specialites) or "Toutes les spécialités du domaine", jury.libelle,
                         _membre(s.get(Examinateur, jury.president_id)), membres,
                         paris(d.decisions_le).date(), lignes, totaux, LIBELLES_TOUR[d.tour])
