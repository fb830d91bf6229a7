"""From the stored grades to the deliberation engine and back (docs/domaine/resultats.md#deliberation): the
candidatures of a deliberation loaded in a constant number of queries, what stops a deliberation (missing
grades, anonymat not lifted, two entries that differ) named candidate by candidate, the engine called per
candidature (rules.deliberation.deliberer) and its result turned into the columns of ``resultat``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ...models import Anonymat, Candidature, EpreuveChoix, LotCopies, NoteUnite, SessionExamen
from ...rules.deliberation import Candidature as CandidatureMoteur
from ...rules.deliberation import ReglesDeliberation, Resultat, Unite, deliberer
from ...rules.deliberation_donnees import FACULTATIVE
from ...rules.epreuves import BENEFICE, INSCRIT, NON_INSCRIT
from ...rules.errors import DomainError
from ...rules.resultats import SECOND_GROUPE, EtatLot, Note, meme_note, note_stockee
from .benefices import benefices_conserves
from .commun import Identite, Referentiel, identites

QUATRE = Decimal("0.0001")
NOMMES_MAX = 20          # candidates named in a refusal; the others are counted


def quatre(x: Decimal | None) -> Decimal | None:
    """Averages are stored truncated to four decimals: never rounded up to a threshold (rules.deliberation.fr)."""
    return None if x is None else x.quantize(QUATRE, rounding=ROUND_DOWN)


@dataclass
class Dossier:
    id: int
    compte_id: int
    specialite_id: str | None
    domaine: str
    categorie: str | None
    choix: dict[str, Any] | None
    progressive: bool
    annee: int
    positions: dict[str, str] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    controle: dict[str, Note] = field(default_factory=dict)
    ecarts: list[str] = field(default_factory=list)


def charger(s: Session, filtre: list[ColumnElement[bool]]) -> dict[int, Dossier]:
    """Every candidature matching ``filtre`` with its positions and grades: three queries whatever the count."""
    out = {cid: Dossier(cid, compte, sp, dom, cat, choix, forme == "progressive", annee)
           for cid, compte, sp, dom, cat, choix, forme, annee in s.execute(
               select(Candidature.id, Candidature.compte_id, Candidature.specialite_id, Candidature.domaine_code,
                      Candidature.categorie_code, Candidature.choix, Candidature.forme_finale, SessionExamen.annee)
               .join(SessionExamen, SessionExamen.id == Candidature.session_id).where(*filtre))}
    # Only the positions that differ from the engine's default (an obligatory unit is Inscrit) and the
    # facultatives (one chosen and left ungraded must be caught): a tenth of the rows.
    for cid, code, position in s.execute(
            select(EpreuveChoix.candidature_id, EpreuveChoix.code, EpreuveChoix.position)
            .join(Candidature, Candidature.id == EpreuveChoix.candidature_id)
            .where(*filtre, (EpreuveChoix.position != INSCRIT) | (EpreuveChoix.nature == FACULTATIVE))):
        out[cid].positions[code] = position
    for cid, code, groupe, valeur, marque, seconde_par, sv, sm in s.execute(
            select(NoteUnite.candidature_id, NoteUnite.unite_code, NoteUnite.groupe, NoteUnite.valeur, NoteUnite.marque,
                   NoteUnite.seconde_par, NoteUnite.seconde_valeur, NoteUnite.seconde_marque)
            .join(Candidature, Candidature.id == NoteUnite.candidature_id).where(*filtre)):
        note = note_stockee(valeur, marque)
        d = out[cid]
        (d.controle if groupe == SECOND_GROUPE else d.notes)[code] = note
        if seconde_par and not meme_note(note, note_stockee(sv, sm)):
            d.ecarts.append(code)
    return out


def lots_non_leves(s: Session, filtre: list[ColumnElement[bool]]) -> list[str]:
    """« lot 2 de l'épreuve E2 (BCP-25303) », for every copy of these candidatures still anonymous."""
    rows = s.execute(select(Anonymat.specialite_id, Anonymat.epreuve_code, LotCopies.numero).distinct()
                     .join(Candidature, Candidature.id == Anonymat.candidature_id)
                     .outerjoin(LotCopies, LotCopies.id == Anonymat.lot_id)
                     .where(*filtre, (LotCopies.etat.is_(None)) | (LotCopies.etat != EtatLot.ANONYMAT_LEVE))
                     .order_by(Anonymat.specialite_id, Anonymat.epreuve_code, LotCopies.numero))
    return [f"{'copies hors lot' if n is None else f'lot {n}'} de l'épreuve {code} ({sp})" for sp, code, n in rows]


def _manquantes(unites: tuple[Unite, ...], d: Dossier) -> list[Unite]:
    out = []
    for u in unites:
        if d.positions[u.code] in (INSCRIT, BENEFICE) and u.code not in d.notes:
            out.append(u)
    return out


def _phrase(refus: list[tuple[int, str]], ids: dict[int, Identite], quoi: str) -> str:
    noms = " ; ".join(f"{ids[cid].libelle} : {texte}" for cid, texte in refus[:NOMMES_MAX])
    reste = len(refus) - NOMMES_MAX
    suite = f" ; et {reste} autre{'s' if reste > 1 else ''} candidat{'s' if reste > 1 else ''}" if reste > 0 else ""
    n = len(refus)
    return f"{quoi} pour {n} candidat{'s' if n > 1 else ''} : {noms}{suite}."


def calculer(s: Session, ref: Referentiel, dossiers: dict[int, Dossier], *, controle: bool,
             points: dict[int, tuple[Decimal, Decimal]]) -> dict[int, Resultat]:
    """The engine's result for every dossier, or DomainError naming every candidate that cannot be
    deliberated and why. ``points``: candidature → (1st-group jury points, points after contrôle)."""
    regles: dict[str, ReglesDeliberation] = {}
    manques: list[tuple[int, str]] = []
    erreurs: list[tuple[int, str]] = []
    prets: list[tuple[Dossier, tuple[Unite, ...]]] = []
    for d in dossiers.values():
        try:
            if d.specialite_id is None:
                raise DomainError("candidature sans spécialité")
            unites = ref.unites(d.specialite_id, ref.famille(d.categorie), d.choix)
            if d.domaine not in regles:
                regles[d.domaine] = ref.regles(d.domaine)
        except DomainError as exc:
            erreurs.append((d.id, exc.message))
            continue
        # Every unit's position, the defaults filled in as the engine reads them: it then never searches.
        d.positions = {u.code: d.positions.get(u.code, NON_INSCRIT if u.facultative else INSCRIT) for u in unites}
        manque = [u.libelle for u in _manquantes(unites, d)]
        if controle and not d.controle:
            manque.append("notes de l'épreuve de contrôle")
        if d.ecarts:
            manque.append(f"saisies divergentes ({', '.join(sorted(d.ecarts))})")
        if manque:
            manques.append((d.id, ", ".join(manque)))
            continue
        prets.append((d, unites))
    if manques or erreurs:
        ids = identites(s, [cid for cid, _ in manques + erreurs])
        phrases = []
        if manques:
            phrases.append(_phrase(manques, ids, "Délibération impossible : des notes manquent"))
        if erreurs:
            phrases.append(_phrase(erreurs, ids, "Délibération impossible"))
        raise DomainError(" ".join(phrases))
    out: dict[int, Resultat] = {}
    for d, unites in prets:
        acquis: dict[str, Decimal] = {}
        if d.progressive and any(p == NON_INSCRIT for p in d.positions.values()):
            acquis = {c: n.note for c, n in benefices_conserves(s, ref, d.compte_id, d.specialite_id or "", d.domaine,
                                                                 d.annee).items()
                      if d.positions.get(c) == NON_INSCRIT}
        p1, p2 = points.get(d.id, (Decimal(0), Decimal(0)))
        try:
            out[d.id] = deliberer(CandidatureMoteur(
                unites, notes=d.notes, positions=d.positions, notes_controle=d.controle if controle else {},
                points_jury=p1, points_jury_controle=p2, forme_progressive=d.progressive,
                acquis_anterieurs=acquis), regles[d.domaine])
        except DomainError as exc:
            erreurs.append((d.id, exc.message))
    if erreurs:
        raise DomainError(_phrase(erreurs, identites(s, [cid for cid, _ in erreurs]), "Délibération impossible"))
    return out


def colonnes(r: Resultat) -> dict[str, Any]:
    """The engine's result as the columns of ``resultat``."""
    return {"decision": r.decision.name, "mention": r.mention.name if r.mention else None,
            "moyenne_generale": quatre(r.moyenne_generale),
            "moyenne_professionnelle": quatre(r.moyenne_professionnelle),
            "moyenne_enseignement_general": quatre(r.moyenne_enseignement_general),
            "moyenne_avant_jury": quatre(r.moyenne_avant_jury),
            "moyenne_premier_groupe": quatre(r.moyenne_premier_groupe),
            "points_facultatives": quatre(r.points_facultatives) or Decimal(0),
            "unites_acquises": {a.code: f"{a.note:f}" for a in r.unites_acquises},
            "unites_a_presenter": list(r.unites_a_presenter), "explications": list(r.explications)}
