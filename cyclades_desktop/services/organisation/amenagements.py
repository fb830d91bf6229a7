"""Aménagements d'épreuves (docs/domaine/organisation.md#amenagements): the office's decision on a
candidate's request for adapted exam conditions, the « Notification de mesures d'aménagements »
published with it (same transaction) and the measures then printed on the convocation (its next
publication sees ``decide_le``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...documents.donnees_convocation import DonneesNotification
from ...models import (
    Bureau,
    Candidature,
    CompteCandidat,
    DecisionAmenagement,
    Document,
    Domaine,
    SessionExamen,
    Specialite,
)
from ...rules.errors import ConflictError, DomainError
from ...rules.inscriptions import ETATS_ACTIFS, LIBELLES_ETATS, TypeDocument
from ...rules.organisation import (
    LIBELLES_DECISIONS,
    MESURES_USUELLES,
    SaisieDecision,
    StatutAmenagement,
    valider_decision,
)
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from ..publications import message_candidat
from ..publications.documents import CIVILITES, _adresse, en_tete_bureau, nom_fichier, publier

MESSAGE_CONFLIT = ("La décision d'aménagement de cette candidature a été modifiée entre-temps sur un autre poste : "
                   "fermez cette fenêtre, rouvrez-la puis refaites votre saisie.")


@dataclass(frozen=True)
class VueDecision:
    candidature_id: int
    intitule: str                 # "Candidature n° 001 — BACCALAURÉAT PROFESSIONNEL … — session 2025"
    handicap: bool                # declared on the candidature
    statut: str
    mesures: tuple[str, ...]
    majoration_temps: int
    motif: str
    decide_le: datetime | None
    decide_par: str
    row_version: int              # 0: no decision recorded yet
    notification_version: int     # last published notification (0: none)

    @property
    def usuelles(self) -> tuple[str, ...]:
        return tuple(m for m in self.mesures if m in MESURES_USUELLES)

    @property
    def autres(self) -> tuple[str, ...]:
        return tuple(m for m in self.mesures if m not in MESURES_USUELLES)


def _charger(s: Session, candidature_id: int) -> tuple[Candidature, CompteCandidat]:
    c = charger_ou_erreur(s, Candidature, candidature_id, "Cette candidature n'existe plus.")
    compte = s.get(CompteCandidat, c.compte_id)
    assert compte is not None
    return c, compte


def _examen(s: Session, c: Candidature) -> tuple[str, str, str]:
    dom = s.get(Domaine, c.domaine_code)
    spec = s.get(Specialite, c.specialite_id) if c.specialite_id else None
    se = s.get(SessionExamen, c.session_id)
    specialite = f"{spec.intitule} ({spec.code})" if spec and spec.code else (spec.intitule if spec else "")
    return (dom.libelle_majuscules if dom else c.domaine_code), specialite, (se.libelle if se else "")


def _vue(s: Session, c: Candidature, d: DecisionAmenagement | None) -> VueDecision:
    domaine, specialite, session = _examen(s, c)
    doc = s.scalar(select(Document).where(Document.candidature_id == c.id,
                                          Document.type == TypeDocument.NOTIFICATION_AMENAGEMENTS))
    return VueDecision(
        c.id, f"Candidature n° {c.numero_inscription} — {domaine} {specialite} — session {session}",
        bool(c.handicap), d.statut if d else StatutAmenagement.DEMANDE, tuple(d.mesures or ()) if d else (),
        d.majoration_temps if d else 0, (d.motif or "") if d else "", d.decide_le if d else None,
        (d.decide_par or "") if d else "", d.row_version if d else 0, doc.derniere_version if doc else 0)


def lire(ctx: Contexte, candidature_id: int) -> VueDecision:
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        c, _compte = _charger(s, candidature_id)
        d = s.scalar(select(DecisionAmenagement).where(DecisionAmenagement.candidature_id == candidature_id))
        return _vue(s, c, d)


def _donnees(s: Session, c: Candidature, compte: CompteCandidat, statut: str, mesures: list[str], majoration: int,
             motif: str, decide_le: datetime | None, decide_par: str, version: int,
             version_le: datetime) -> DonneesNotification:
    bureau = charger_ou_erreur(s, Bureau, 1,
                               "Les coordonnées du bureau des examens ne sont pas renseignées.", erreur=DomainError)
    domaine, specialite, session = _examen(s, c)
    return DonneesNotification(
        candidature_id=c.id, domaine=domaine, specialite=specialite, version=version, version_le=version_le,
        numero_candidat=compte.numero_candidat, numero_inscription=c.numero_inscription, session=session,
        bureau=en_tete_bureau(bureau), civilite=CIVILITES.get(compte.sexe, ""), nom=compte.nom,
        prenoms=compte.prenoms, adresse=_adresse(s, c), statut=statut, statut_libelle=LIBELLES_DECISIONS[statut],
        mesures=tuple(mesures), majoration_temps=majoration, motif=motif, decide_le=decide_le,
        decide_par=decide_par)


def _version_suivante(s: Session, candidature_id: int) -> int:
    doc = s.scalar(select(Document).where(Document.candidature_id == candidature_id,
                                          Document.type == TypeDocument.NOTIFICATION_AMENAGEMENTS))
    return (doc.derniere_version if doc else 0) + 1


def apercu_notification(ctx: Contexte, candidature_id: int, saisie: SaisieDecision) -> tuple[str, bytes]:
    """The notification as the entered decision would publish it (nothing is written)."""
    exiger(ctx, P.AMENAGEMENTS_DECIDER)
    from ...documents.amenagements import rendre_notification

    statut, mesures, majoration, motif = valider_decision(saisie)
    with ctx.lecture() as s:
        c, compte = _charger(s, candidature_id)
        version = _version_suivante(s, c.id)
        now = ctx.clock.now()
        d = _donnees(s, c, compte, statut, mesures, majoration, motif, now, _agent(ctx), version, now)
    return (nom_fichier("notification-amenagements", compte.numero_candidat, c.numero_inscription, version),
            rendre_notification(d))


def _agent(ctx: Contexte) -> str:
    return ctx.agent.nom_affiche if ctx.agent else ""


def _instantane(d: DecisionAmenagement | None) -> dict[str, object]:
    if d is None:
        return {}
    return {"statut": d.statut, "mesures": list(d.mesures or []), "majoration_temps": d.majoration_temps,
            "motif": d.motif}


def enregistrer_decision(ctx: Contexte, candidature_id: int, saisie: SaisieDecision, *,
                         row_version: int) -> VueDecision:
    """Record the decision (``row_version`` as read: 0 when there was none), publish the notification's
    next version when a decision is taken, record a message and an audit row; all or nothing."""
    exiger(ctx, P.AMENAGEMENTS_DECIDER)
    from ...documents.amenagements import rendre_notification

    statut, mesures, majoration, motif = valider_decision(saisie)
    with ctx.transaction() as s:
        c, compte = _charger(s, candidature_id)
        if c.etat not in ETATS_ACTIFS:
            raise DomainError(f"Cette candidature n'est plus active (« {LIBELLES_ETATS.get(c.etat, c.etat)} ») : "
                              "aucune décision d'aménagement ne peut être enregistrée.")
        d = s.scalar(select(DecisionAmenagement).where(DecisionAmenagement.candidature_id == candidature_id))
        if (d.row_version if d else 0) != row_version:
            raise ConflictError(MESSAGE_CONFLIT)
        avant = _instantane(d)
        if d is None:
            d = DecisionAmenagement(candidature_id=candidature_id)
            s.add(d)
        now = ctx.clock.now()
        d.statut, d.mesures, d.majoration_temps, d.motif = statut, mesures, majoration, motif or None
        # decide_le later than the last convocation: the convocation is published again with the measures.
        d.decide_le, d.decide_par = now, _agent(ctx)
        with conflit_si_perime(MESSAGE_CONFLIT):
            s.flush()
        domaine, specialite, session = _examen(s, c)
        examen = f"{domaine} {specialite} - session {session}"
        if statut != StatutAmenagement.DEMANDE:
            version = _version_suivante(s, c.id)
            donnees = _donnees(s, c, compte, statut, mesures, majoration, motif, now, d.decide_par or "", version, now)
            publier(s, ctx, c, TypeDocument.NOTIFICATION_AMENAGEMENTS, rendre_notification(donnees),
                    nom_fichier("notification-amenagements", compte.numero_candidat, c.numero_inscription, version))
            corps = [f"Décision : {LIBELLES_DECISIONS[statut]}."]
            corps += [f"– {m}" for m in mesures]
            if motif:
                corps.append(f"Motif : {motif}")
            corps.append("La notification de mesures d'aménagements est disponible dans « Mes documents ».")
            message_candidat(s, ctx, c, compte, f"Notification de mesures d'aménagements : {examen}",
                             "\n".join(corps))
        av, ap = audit.difference(avant, _instantane(d))
        audit.enregistrer(s, ctx, "decision", "amenagement", c.id,
                          libelle=f"Aménagements {LIBELLES_DECISIONS[statut]} – candidat {compte.numero_candidat}, "
                                  f"inscription {c.numero_inscription}", avant=av or None, apres=ap or _instantane(d))
        s.flush()
        return _vue(s, c, d)
