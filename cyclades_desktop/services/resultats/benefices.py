"""Bénéfices (docs/domaine/resultats.md#notes, RES-8; regles.json *-BENEFICE-NOTES): the grades of at least
10 an ajourné keeps five years. For a later registration, the units kept for an account and a spécialité
(the épreuves engine offers them as Bénéfice); for a session under way, the grades of the units in
Bénéfice pre-filled from the stored results (else from what the candidate declared) and locked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ...models import (
    Candidature,
    Epreuve,
    EpreuveChoix,
    NoteUnite,
    ResultatCandidature,
    SessionExamen,
    Specialite,
)
from ...rules.epreuves import BENEFICE
from ...rules.errors import DomainError
from ...rules.resultats import (
    CENTIEME,
    NoteConservee,
    OrigineNote,
    ResultatAnterieur,
    notes_conservees,
    texte_note,
)
from ..noyau import SYSTEME, Contexte, P, audit, exiger
from .commun import ETATS_NOTES, Referentiel, specialites_autorisees


@dataclass(frozen=True)
class BeneficeConserve:
    code: str
    unite: str | None
    intitule: str
    note: Decimal
    annee: int

    @property
    def texte(self) -> str:
        return f"{self.unite or self.code} {self.intitule} : {texte_note(self.note)} (session {self.annee})"


def duree_et_note_min(ref: Referentiel, domaine: str) -> tuple[int, Decimal]:
    """*-BENEFICE-NOTES « duree_ans » and « note_min » (MC and CS: MC-CS-ADMISSION « benefice_… »)."""
    p: dict[str, Any] = ref.parametres_regle(f"{domaine}-BENEFICE-NOTES") or ref.parametres_regle("MC-CS-ADMISSION")
    duree = p.get("duree_ans") or p.get("benefice_duree_ans") or 5
    note_min = p.get("note_min") or p.get("benefice_note_min") or 10
    return int(duree), Decimal(str(note_min))


def benefices_conserves(s: Session, ref: Referentiel, compte_id: int, specialite_id: str, domaine: str,
                        annee_session: int) -> dict[str, NoteConservee]:
    """Unit code → the grade kept, from the current result of each earlier candidature of the account in
    this spécialité."""
    derniere = (select(ResultatCandidature.candidature_id, func.max(ResultatCandidature.version).label("v"))
                .join(Candidature, Candidature.id == ResultatCandidature.candidature_id)
                .where(Candidature.compte_id == compte_id, Candidature.specialite_id == specialite_id)
                .group_by(ResultatCandidature.candidature_id).subquery())
    rows = s.execute(select(SessionExamen.annee, ResultatCandidature.decision, ResultatCandidature.unites_acquises)
                     .join(derniere, (derniere.c.candidature_id == ResultatCandidature.candidature_id)
                           & (derniere.c.v == ResultatCandidature.version))
                     .join(Candidature, Candidature.id == ResultatCandidature.candidature_id)
                     .join(SessionExamen, SessionExamen.id == Candidature.session_id)
                     .where(SessionExamen.annee < annee_session))
    duree, note_min = duree_et_note_min(ref, domaine)
    anterieurs = [ResultatAnterieur(annee, decision, {k: Decimal(str(v)) for k, v in (acquises or {}).items()})
                  for annee, decision, acquises in rows]
    return notes_conservees(anterieurs, annee_session, duree_ans=duree, note_min=note_min)


def benefices_pour_inscription(ctx: Contexte, compte_id: int, specialite_id: str,
                               annee_session: int) -> list[BeneficeConserve]:
    """What an account keeps in a spécialité for a session of ``annee_session``, in the tree's order (for
    the épreuves engine at the next registration)."""
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        sp = s.get(Specialite, specialite_id)
        if sp is None:
            return []
        kept = benefices_conserves(s, Referentiel(s), compte_id, specialite_id, sp.domaine_code, annee_session)
        noeuds = {e.code: e for e in s.scalars(select(Epreuve).where(Epreuve.specialite_id == specialite_id))}
        rang = {code: (e.ordre, e.id) for code, e in noeuds.items()}
        return [BeneficeConserve(code, noeuds[code].unite if code in noeuds else None,
                                 noeuds[code].intitule if code in noeuds else "", n.note, n.annee)
                for code, n in sorted(kept.items(), key=lambda x: rang.get(x[0], (10**6, 0)))]


def preremplir(s: Session, ctx: Contexte, ref: Referentiel, filtre: list[ColumnElement[bool]]) -> int:
    """Write the locked grade of every unit in Bénéfice still without one, for the candidatures matching
    ``filtre``: the stored result's grade wins over the declared one (the office's record is the source)."""
    rows = list(s.execute(
        select(EpreuveChoix.candidature_id, EpreuveChoix.code, EpreuveChoix.note, EpreuveChoix.annee_note,
               Candidature.compte_id, Candidature.specialite_id, Candidature.domaine_code, Candidature.categorie_code,
               Candidature.choix, SessionExamen.annee)
        .join(Candidature, Candidature.id == EpreuveChoix.candidature_id)
        .join(SessionExamen, SessionExamen.id == Candidature.session_id)
        .where(*filtre, EpreuveChoix.position == BENEFICE)))
    if not rows:
        return 0
    ids = sorted({r[0] for r in rows})
    deja: set[tuple[int, str]] = set()
    for i in range(0, len(ids), 5000):
        deja |= set(s.execute(select(NoteUnite.candidature_id, NoteUnite.unite_code).where(
            NoteUnite.candidature_id.in_(ids[i:i + 5000]), NoteUnite.groupe == 1)))
    agent = (ctx.agent or SYSTEME).login
    conserves: dict[tuple[int, str], dict[str, NoteConservee]] = {}
    n = 0
    for cid, code, declaree, annee_declaree, compte, sp, domaine, categorie, choix, annee in rows:
        if (cid, code) in deja or sp is None:
            continue
        try:
            graduees = {u.code for u in ref.unites(sp, ref.famille(categorie), choix)}
        except DomainError:    # an incomplete tree: the deliberation names it
            continue
        if code not in graduees:
            continue
        if (compte, sp) not in conserves:
            conserves[(compte, sp)] = benefices_conserves(s, ref, compte, sp, domaine, annee)
        kept = conserves[(compte, sp)].get(code)
        if kept is not None:
            note, origine = kept.note, kept.annee
        elif declaree is not None:
            note, origine = Decimal(str(declaree)).quantize(CENTIEME), annee_declaree
        else:
            continue
        s.add(NoteUnite(candidature_id=cid, unite_code=code, groupe=1, valeur=note, origine=OrigineNote.BENEFICE,
                        verrouillee=True, annee_origine=origine, saisie_par=agent, saisie_le=ctx.clock.now()))
        deja.add((cid, code))
        audit.enregistrer(s, ctx, "benefice", "candidature", cid,
                          libelle=f"Note de {code} conservée de la session {origine or '?'} (bénéfice)",
                          apres={code: texte_note(note)})
        n += 1
    return n


def preremplir_benefices(ctx: Contexte, session_id: int) -> int:
    """Pre-fill and lock the bénéfices of the session's candidatures (those of the portfolio for a
    gestionnaire). Idempotent; returns the number of grades written."""
    exiger(ctx, P.NOTES_SAISIR)
    with ctx.transaction() as s:
        filtre = [Candidature.session_id == session_id, Candidature.etat.in_(ETATS_NOTES)]
        autorisees = specialites_autorisees(s, ctx)
        if autorisees is not None:
            filtre.append(Candidature.specialite_id.in_(sorted(autorisees)))
        return preremplir(s, ctx, Referentiel(s), filtre)
