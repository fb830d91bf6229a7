"""Exam days (docs/domaine/resultats.md#journees): the candidates seated for a créneau, room by room, for
the liste d'émargement (RES-1); the presences recorded from the signed sheet (RES-2); the absences carried
into the grades as ABS or ABJ, whose effect the deliberation engine decides (RES-3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Affectation, Candidature, CompteCandidat, Creneau, NoteUnite, Presence, Salle
from ...rules.errors import ConflictError, ValidationError
from ...rules.resultats import LIBELLES_PRESENCE, MARQUE_ABSENCE, EtatPresence, OrigineNote
from ...rules.temps import format_date_longue
from ...rules.texte import espaces_normalises, verifier_caracteres
from ..noyau import SYSTEME, Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .commun import Referentiel, conflit, exiger_specialites

JUSTIFICATION_MAX = 500


@dataclass(frozen=True)
class LigneEmargement:
    candidature_id: int
    numero_candidat: str
    nom: str
    prenoms: str
    date_naissance: date
    salle_id: int
    salle: str
    presence: str | None              # EtatPresence; None while the sheet is not recorded
    justification: str
    row_version: int | None           # the presence's, to save against

    @property
    def libelle_presence(self) -> str:
        return LIBELLES_PRESENCE.get(self.presence or "", "Non relevé")


@dataclass(frozen=True)
class VueEmargement:
    creneau_id: int
    session_id: int
    specialite_id: str
    epreuve_code: str
    intitule: str
    debut: datetime
    duree_minutes: int
    type: str
    lignes: tuple[LigneEmargement, ...]    # room by room, then by name

    @property
    def titre(self) -> str:
        return f"{self.epreuve_code} {self.intitule} — {format_date_longue(self.debut)} (heure de Paris)"

    def compte(self, etat: str) -> int:
        return sum(1 for x in self.lignes if x.presence == etat)


def _creneau(s: Session, creneau_id: int) -> Creneau:
    return charger_ou_erreur(s, Creneau, creneau_id, "Ce créneau n'existe plus : rechargez le planning.")


def _vue(s: Session, c: Creneau, salle_id: int | None) -> VueEmargement:
    q = (select(Candidature.id, CompteCandidat.numero_candidat, CompteCandidat.nom, CompteCandidat.nom_usage,
                CompteCandidat.prenoms, CompteCandidat.date_naissance, Salle.id, Salle.nom, Presence.etat,
                Presence.justification, Presence.row_version)
         .select_from(Affectation)
         .join(Candidature, Candidature.id == Affectation.candidature_id)
         .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
         .join(Salle, Salle.id == Affectation.salle_id)
         .outerjoin(Presence, (Presence.candidature_id == Affectation.candidature_id)
                    & (Presence.creneau_id == Affectation.creneau_id))
         .where(Affectation.creneau_id == c.id)
         .order_by(Salle.nom, CompteCandidat.cle, CompteCandidat.id))
    if salle_id is not None:
        q = q.where(Affectation.salle_id == salle_id)
    lignes = tuple(LigneEmargement(cid, num, (usage or nom).upper(), prenoms, naissance, sid, salle, etat,
                                   justif or "", rv)
                   for cid, num, nom, usage, prenoms, naissance, sid, salle, etat, justif, rv in s.execute(q))
    return VueEmargement(c.id, c.session_id, c.specialite_id, c.epreuve_code, c.intitule, c.debut, c.duree_minutes,
                         c.type, lignes)


def liste_emargement(ctx: Contexte, creneau_id: int, salle_id: int | None = None) -> VueEmargement:
    """The candidates seated for the créneau (one room, or all), with what the sheet recorded (RES-1)."""
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        return _vue(s, _creneau(s, creneau_id), salle_id)


@dataclass(frozen=True)
class SaisiePresence:
    candidature_id: int
    etat: str                         # EtatPresence
    justification: str = ""
    row_version: int | None = None    # None: nothing recorded yet when the sheet was opened


@dataclass(frozen=True)
class RapportPresences:
    enregistrees: int
    inchangees: int
    vue: VueEmargement


def _verifier(saisies: Sequence[SaisiePresence]) -> dict[str, str]:
    e: dict[str, str] = {}
    for x in saisies:
        cle = str(x.candidature_id)
        if x.etat not in tuple(EtatPresence):
            e[f"{cle}.etat"] = "Choisissez : présent, absent ou absent justifié."
        elif m := verifier_caracteres(x.justification, multiligne=True):
            e[f"{cle}.justification"] = m
        elif x.etat == EtatPresence.ABSENT_JUSTIFIE and not espaces_normalises(x.justification):
            e[f"{cle}.justification"] = ("Indiquez la justification de l'absence (par exemple : certificat "
                                         "médical du 16/06/2025).")
        elif len(x.justification.strip()) > JUSTIFICATION_MAX:
            e[f"{cle}.justification"] = f"{JUSTIFICATION_MAX} caractères au maximum."
    return e


def enregistrer_presences(ctx: Contexte, creneau_id: int, saisies: Sequence[SaisiePresence]) -> RapportPresences:
    """Record the sheet, all lines or none; each change is audited on the candidature (RES-2)."""
    exiger(ctx, P.PRESENCES_SAISIR)
    if e := _verifier(saisies):
        raise ValidationError(e)
    agent = (ctx.agent or SYSTEME).login
    message = conflit("La liste d'émargement", feminin=True)
    with conflit_si_perime(message), ctx.transaction() as s:
        c = _creneau(s, creneau_id)
        exiger_specialites(s, ctx, [c.specialite_id])
        convoques = set(s.scalars(select(Affectation.candidature_id).where(Affectation.creneau_id == c.id)))
        existantes = {p.candidature_id: p for p in s.scalars(select(Presence).where(Presence.creneau_id == c.id))}
        if inconnus := [x.candidature_id for x in saisies if x.candidature_id not in convoques]:
            raise ValidationError({f"{i}.etat": "Ce candidat n'est pas convoqué à ce créneau." for i in inconnus})
        enregistrees = 0
        for x in saisies:
            p = existantes.get(x.candidature_id)
            if (p.row_version if p else None) != x.row_version:
                raise ConflictError(conflit("La présence d'un candidat", feminin=True, qui=p.saisi_par if p else None))
            justification = espaces_normalises(x.justification) if x.etat != EtatPresence.PRESENT else ""
            avant = {"etat": p.etat, "justification": p.justification} if p else None
            if p is not None and p.etat == x.etat and (p.justification or "") == justification:
                continue
            if p is None:
                p = Presence(candidature_id=x.candidature_id, creneau_id=c.id)
                s.add(p)
            p.etat, p.justification = x.etat, justification or None
            p.saisi_par, p.saisi_le = agent, ctx.clock.now()
            enregistrees += 1
            audit.enregistrer(s, ctx, "presence", "candidature", x.candidature_id,
                              libelle=f"Présence à l'épreuve {c.epreuve_code} {c.intitule} : "
                                      f"{LIBELLES_PRESENCE[x.etat]}",
                              avant=avant, apres={"etat": x.etat, "justification": justification or None})
        s.flush()
        return RapportPresences(enregistrees, len(saisies) - enregistrees, _vue(s, c, None))


def reporter_absences(ctx: Contexte, creneau_id: int) -> int:
    """Every absence of the sheet becomes the grade ABS (absent) or ABJ (absent justifié) of the units the
    créneau covers, where no grade is entered yet (RES-2, RES-7). Returns the number of grades written."""
    exiger(ctx, P.NOTES_SAISIR)
    agent = (ctx.agent or SYSTEME).login
    with ctx.transaction() as s:
        c = _creneau(s, creneau_id)
        exiger_specialites(s, ctx, [c.specialite_id])
        codes = Referentiel(s).codes_notes_sous(c.specialite_id, c.epreuve_code)
        absents = dict(s.execute(select(Presence.candidature_id, Presence.etat).where(
            Presence.creneau_id == c.id, Presence.etat.in_(tuple(MARQUE_ABSENCE)))).all())
        deja = set(s.execute(select(NoteUnite.candidature_id, NoteUnite.unite_code).where(
            NoteUnite.candidature_id.in_(list(absents)), NoteUnite.unite_code.in_(codes),
            NoteUnite.groupe == 1))) if absents else set()
        n = 0
        for cid, etat in sorted(absents.items()):
            for code in codes:
                if (cid, code) in deja:
                    continue
                marque = MARQUE_ABSENCE[etat]
                s.add(NoteUnite(candidature_id=cid, unite_code=code, groupe=1, marque=marque.value,
                                origine=OrigineNote.SAISIE, saisie_par=agent, saisie_le=ctx.clock.now()))
                audit.enregistrer(s, ctx, "note", "candidature", cid, libelle=f"Note de {code} : {marque.value} "
                                  "(absence relevée sur la liste d'émargement)", apres={code: marque.value})
                n += 1
        return n
