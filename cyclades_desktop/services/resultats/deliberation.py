"""A jury's deliberation (docs/domaine/resultats.md#deliberation, #decisions): refused while a grade is
missing (naming the candidates and units), else the engine's proposal for every candidature (RES-9 to
RES-13, rules from regles.json); the jury's points with their author and reason; the decisions recorded
under the president's name; the procès-verbal signed, then the deliberation closed, never deliberated
again (RES-14). BCP: a second tour after the épreuve de contrôle, for the candidates it authorised.

Recorded by a gestionnaire (their portfolio) or the chef: the jury decides, the office records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from ...models import Candidature, Deliberation, Examinateur, Jury, ResultatCandidature
from ...rules.deliberation import Decision, Resultat
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.resultats import (
    LIBELLES_TOUR,
    PREMIER_GROUPE,
    SECOND_GROUPE,
    EtatDeliberation,
    StatutResultat,
    lire_points_jury,
)
from ...rules.texte import espaces_normalises, verifier_caracteres
from ..noyau import SYSTEME, Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .benefices import preremplir
from .calcul import calculer, charger, colonnes, lots_non_leves
from .commun import Referentiel, conflit, exiger_specialites
from .deliberation_lecture import VueDeliberation, VueResultat, vue_deliberation, vues_resultats
from .jurys import filtre_candidatures

MOTIF_MAX = 500


def _jury(s: Session, jury_id: int) -> Jury:
    return charger_ou_erreur(s, Jury, jury_id, "Ce jury n'existe plus : rechargez la liste.")


def _president(s: Session, jury: Jury) -> str:
    e = s.get(Examinateur, jury.president_id)
    return f"{e.prenom} {e.nom}" if e else ""


def _exiger_jury(s: Session, ctx: Contexte, filtre: list[Any]) -> None:
    exiger_specialites(s, ctx, s.scalars(select(Candidature.specialite_id).distinct().where(*filtre)))


def _courants_premier_tour(s: Session, d1: Deliberation, sauf: Deliberation | None) -> dict[int, ResultatCandidature]:
    """candidature → its latest result, for the candidatures the 1st-group deliberation d1 decided on,
    leaving out the rows of ``sauf`` (the 2nd-group deliberation being computed again)."""
    ids = select(ResultatCandidature.candidature_id).where(ResultatCandidature.deliberation_id == d1.id)
    out: dict[int, ResultatCandidature] = {}
    for r in s.scalars(select(ResultatCandidature).where(ResultatCandidature.candidature_id.in_(ids))
                       .order_by(ResultatCandidature.version)):
        if sauf is None or r.deliberation_id != sauf.id:
            out[r.candidature_id] = r
    return out


def deliberer_jury(ctx: Contexte, jury_id: int, tour: int = PREMIER_GROUPE) -> VueDeliberation:
    """Compute (or compute again, while it is open) the proposal of every candidature of the jury."""
    exiger(ctx, P.DELIBERATION_CONDUIRE)
    if tour not in LIBELLES_TOUR:
        raise ValidationError({"tour": "Choisissez le premier groupe ou le second groupe (épreuve de contrôle)."})
    agent, maintenant = (ctx.agent or SYSTEME).login, ctx.clock.now()
    message = conflit("Cette délibération", feminin=True)
    with conflit_si_perime(message), ctx.transaction() as s:
        jury = _jury(s, jury_id)
        d = s.scalar(select(Deliberation).where(Deliberation.jury_id == jury.id, Deliberation.tour == tour))
        if d is not None and (d.etat == EtatDeliberation.CLOSE or d.signee_le is not None):
            raise DomainError(f"Le jury « {jury.libelle} » a déjà délibéré ({LIBELLES_TOUR[tour].lower()}) et son "
                              "procès-verbal est signé : une nouvelle délibération est refusée. Une correction "
                              "passe par le chef de bureau, avec un motif.")
        filtre = filtre_candidatures(jury)
        points: dict[int, tuple[Decimal, Decimal]] = {}
        versions: dict[int, int] = {}
        if tour == SECOND_GROUPE:
            d1 = s.scalar(select(Deliberation).where(Deliberation.jury_id == jury.id,
                                                     Deliberation.tour == PREMIER_GROUPE))
            if d1 is None or d1.etat != EtatDeliberation.CLOSE:
                raise DomainError("La délibération après l'épreuve de contrôle suit celle du premier groupe : "
                                  "closez d'abord celle-ci.")
            courants = {cid: r for cid, r in _courants_premier_tour(s, d1, d).items()
                        if r.deliberation_id == d1.id and r.decision == Decision.AUTORISE_CONTROLE.name}
            if not courants:
                raise DomainError(f"Aucun candidat du jury « {jury.libelle} » n'est autorisé à l'épreuve de contrôle.")
            filtre = [*filtre, Candidature.id.in_(sorted(courants))]
            points = {cid: (Decimal(r.points_jury), Decimal(0)) for cid, r in courants.items()}
            versions = {cid: r.version + 1 for cid, r in courants.items()}
        _exiger_jury(s, ctx, filtre)
        ref = Referentiel(s)
        preremplir(s, ctx, ref, filtre)
        s.flush()
        if lots := lots_non_leves(s, filtre):
            raise DomainError("Délibération impossible : l'anonymat n'est pas levé pour "
                              f"{', '.join(lots[:10])}{'…' if len(lots) > 10 else ''}.")
        dossiers = charger(s, filtre)
        if not dossiers:
            raise DomainError(f"Le jury « {jury.libelle} » n'a aucun candidat inscrit.")
        gardes: dict[int, dict[str, Any]] = {}
        if d is not None:      # computed again: the jury's points already given are kept
            t = ResultatCandidature
            for cid, pts, par, le, pourquoi in s.execute(
                    select(t.candidature_id, t.points_jury, t.points_jury_par, t.points_jury_le, t.points_jury_motif)
                    .where(t.deliberation_id == d.id, t.points_jury > 0)):
                gardes[cid] = {"points_jury": pts, "points_jury_par": par, "points_jury_le": le,
                               "points_jury_motif": pourquoi}
                p1, _ = points.get(cid, (Decimal(0), Decimal(0)))
                points[cid] = (p1, Decimal(pts)) if tour == SECOND_GROUPE else (Decimal(pts), Decimal(0))
            s.execute(delete(ResultatCandidature).where(ResultatCandidature.deliberation_id == d.id))
        resultats = calculer(s, ref, dossiers, controle=tour == SECOND_GROUPE, points=points)
        if d is None:
            d = Deliberation(jury_id=jury.id, tour=tour, etat=EtatDeliberation.OUVERTE, ouverte_le=maintenant,
                             ouverte_par=agent)
            s.add(d)
        d.calculee_le, d.decisions_le, d.decisions_par = maintenant, None, None
        s.flush()
        sans_points = {"points_jury": Decimal(0), "points_jury_par": None, "points_jury_le": None,
                       "points_jury_motif": None}
        lignes = [{"candidature_id": cid, "deliberation_id": d.id, "version": versions.get(cid, 1),
                   "statut": StatutResultat.PROPOSE.value, "calcule_le": maintenant, "row_version": 1,
                   **colonnes(r), **gardes.get(cid, sans_points)} for cid, r in resultats.items()]
        # Core executemany (every row has the same keys): the ORM's bulk path costs more than the engine.
        for i in range(0, len(lignes), 2000):
            s.execute(insert(ResultatCandidature.__table__), lignes[i:i + 2000])
        vue = vue_deliberation(s, d)
        audit.enregistrer(s, ctx, "deliberation", "deliberation", d.id,
                          libelle=f"Délibération du jury « {jury.libelle} » ({LIBELLES_TOUR[tour].lower()})",
                          apres={"candidatures": len(lignes), **dict(vue.effectifs)})
        return vue


def _deliberation(s: Session, deliberation_id: int, row_version: int | None, message: str) -> Deliberation:
    d = charger_ou_erreur(s, Deliberation, deliberation_id, "Cette délibération n'existe plus.")
    if row_version is not None and d.row_version != row_version:
        raise ConflictError(message)
    return d


def _ouverte(d: Deliberation, jury: Jury) -> None:
    if d.etat == EtatDeliberation.CLOSE or d.signee_le is not None:
        raise DomainError(f"Le procès-verbal du jury « {jury.libelle} » est signé : ses décisions ne changent plus. "
                          "Une correction passe par le chef de bureau, avec un motif.")


def recalculer_un(s: Session, ref: Referentiel, r: ResultatCandidature, d: Deliberation,
                  points_jury: Decimal) -> Resultat:
    """One candidature computed again with the jury's points of its tour (the 1st-group ones carried)."""
    dossiers = charger(s, [Candidature.id == r.candidature_id])
    if d.tour == SECOND_GROUPE:
        premier = s.scalar(select(ResultatCandidature).join(Deliberation).where(
            ResultatCandidature.candidature_id == r.candidature_id, Deliberation.tour == PREMIER_GROUPE)
            .order_by(ResultatCandidature.version.desc()).limit(1))
        points = (Decimal(premier.points_jury) if premier else Decimal(0), points_jury)
    else:
        points = (points_jury, Decimal(0))
    return calculer(s, ref, dossiers, controle=d.tour == SECOND_GROUPE, points={r.candidature_id: points})[r.candidature_id]


def motif_obligatoire(motif: str, cle: str, manque: str) -> str:
    texte = espaces_normalises(motif)
    if m := verifier_caracteres(motif, multiligne=True):
        raise ValidationError({cle: m})
    if not texte:
        raise ValidationError({cle: manque})
    if len(texte) > MOTIF_MAX:
        raise ValidationError({cle: f"{MOTIF_MAX} caractères au maximum."})
    return texte


def attribuer_points_jury(ctx: Contexte, resultat_id: int, points: str, motif: str, row_version: int) -> VueResultat:
    """The jury adds points to a candidate's total (RES-14): recorded with who and why, the averages before
    and after kept in the journal; the decision must then be recorded again."""
    exiger(ctx, P.DELIBERATION_CONDUIRE)
    valeur = lire_points_jury(points)
    pourquoi = motif_obligatoire(motif, "motif", "Indiquez pourquoi le jury attribue ces points (il en répond au procès-verbal).")
    message = conflit("Ce résultat")
    with conflit_si_perime(message), ctx.transaction() as s:
        r = charger_ou_erreur(s, ResultatCandidature, resultat_id, "Ce résultat n'existe plus : rechargez la liste.")
        if r.row_version != row_version:
            raise ConflictError(message)
        d = _deliberation(s, r.deliberation_id, None, message)
        _ouverte(d, _jury(s, d.jury_id))
        exiger_specialites(s, ctx, [s.scalar(select(Candidature.specialite_id).where(Candidature.id == r.candidature_id))])
        nouveau = recalculer_un(s, Referentiel(s), r, d, valeur)
        avant = {"points_jury": f"{r.points_jury:f}", "moyenne": f"{r.moyenne_generale}", "decision": r.decision}
        for k, v in colonnes(nouveau).items():
            setattr(r, k, v)
        r.points_jury, r.points_jury_par, r.points_jury_le, r.points_jury_motif = \
            valeur, (ctx.agent or SYSTEME).login, ctx.clock.now(), pourquoi
        r.statut, r.decide_le, r.decide_par, r.au_nom_de = StatutResultat.PROPOSE, None, None, None
        d.decisions_le, d.decisions_par = None, None
        s.flush()
        audit.enregistrer(s, ctx, "points_jury", "candidature", r.candidature_id, libelle="Points du jury",
                          avant=avant, apres={"points_jury": f"{valeur:f}", "moyenne": f"{r.moyenne_generale}",
                                              "decision": r.decision}, motif=pourquoi)
        return vues_resultats(s, [r])[0]


def _etape(ctx: Contexte, deliberation_id: int, row_version: int, action: str) -> VueDeliberation:
    exiger(ctx, P.DELIBERATION_CONDUIRE)
    agent, maintenant = (ctx.agent or SYSTEME).login, ctx.clock.now()
    message = conflit("Cette délibération", feminin=True)
    with conflit_si_perime(message), ctx.transaction() as s:
        d = _deliberation(s, deliberation_id, row_version, message)
        jury = _jury(s, d.jury_id)
        _exiger_jury(s, ctx, [Candidature.id.in_(select(ResultatCandidature.candidature_id)
                                                 .where(ResultatCandidature.deliberation_id == d.id))])
        president = _president(s, jury)
        if d.etat == EtatDeliberation.CLOSE:
            raise DomainError(f"La délibération du jury « {jury.libelle} » est close.")
        if action == "decisions":
            _ouverte(d, jury)
            if d.calculee_le is None:
                raise DomainError("Délibérez d'abord : aucune proposition n'est calculée.")
            n = s.execute(update(ResultatCandidature).where(
                ResultatCandidature.deliberation_id == d.id, ResultatCandidature.statut == StatutResultat.PROPOSE)
                .values(statut=StatutResultat.ARRETE, decide_le=maintenant, decide_par=agent, au_nom_de=president,
                        row_version=ResultatCandidature.row_version + 1)).rowcount
            d.decisions_le, d.decisions_par = maintenant, agent
            quoi, apres = "Décisions du jury", {"decisions": n, "au_nom_de": president}
        elif action == "signature":
            _ouverte(d, jury)
            a_decider = s.scalar(select(func.count()).select_from(ResultatCandidature).where(
                ResultatCandidature.deliberation_id == d.id, ResultatCandidature.statut == StatutResultat.PROPOSE))
            if d.decisions_le is None or a_decider:
                raise DomainError("Le procès-verbal se signe une fois toutes les décisions du jury enregistrées.")
            d.signee_le, d.signee_par, d.signature_saisie_par = maintenant, president, agent
            quoi, apres = "Signature du procès-verbal", {"signe_par": president}
        else:
            if d.signee_le is None:
                raise DomainError(f"La délibération se clôt une fois le procès-verbal signé par le président "
                                  f"({president}).")
            d.etat, d.close_le, d.close_par = EtatDeliberation.CLOSE, maintenant, agent
            quoi, apres = "Clôture de la délibération", {"etat": EtatDeliberation.CLOSE.value}
        s.flush()
        audit.enregistrer(s, ctx, action if action != "cloture" else "cloture_deliberation", "deliberation", d.id,
                          libelle=f"{quoi} du jury « {jury.libelle} » ({LIBELLES_TOUR[d.tour].lower()})", apres=apres)
        return vue_deliberation(s, d)


def enregistrer_decisions(ctx: Contexte, deliberation_id: int, row_version: int) -> VueDeliberation:
    """The jury's decisions, recorded under the president's name by the signed-in agent."""
    return _etape(ctx, deliberation_id, row_version, "decisions")


def enregistrer_signature(ctx: Contexte, deliberation_id: int, row_version: int) -> VueDeliberation:
    """The president has signed the procès-verbal: from now on nothing changes but by correction."""
    return _etape(ctx, deliberation_id, row_version, "signature")


def clore_deliberation(ctx: Contexte, deliberation_id: int, row_version: int) -> VueDeliberation:
    return _etape(ctx, deliberation_id, row_version, "cloture")
