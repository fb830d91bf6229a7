"""What decides whether a grade may be written for a candidature's unit, shared by the entry screens and
the CCF import (docs/domaine/resultats.md#notes): the unit must be one the candidate sits (not dispensed,
not in bénéfice, not left for a later session), a copy under anonymat is graded through its lot, and a
candidate recorded absent on the liste d'émargement gets ABS or ABJ, not a value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import (
    Anonymat,
    Candidature,
    Creneau,
    EpreuveChoix,
    LotCopies,
    NoteUnite,
    Presence,
)
from ...rules.deliberation import Unite
from ...rules.epreuves import BENEFICE, DISPENSE, NON_INSCRIT
from ...rules.errors import DomainError
from ...rules.resultats import LIBELLES_PRESENCE, SECOND_GROUPE, EtatLot, EtatPresence, Marque, Note
from .commun import ETATS_NOTES, Referentiel


@dataclass
class Dossier:
    """One candidature as grade entry needs it."""

    candidature: Candidature
    unites: tuple[Unite, ...]
    positions: dict[str, str]
    notes: dict[tuple[str, int], NoteUnite] = field(default_factory=dict)
    anonymes: dict[str, str] = field(default_factory=dict)             # code → number, lot not yet lifted
    absences: dict[str, str] = field(default_factory=dict)             # code → EtatPresence (absent…)
    erreur: str | None = None                                          # why the units cannot be computed

    def unite(self, code: str) -> Unite | None:
        return next((u for u in self.unites if u.code == code), None)


def charger_dossiers(s: Session, ref: Referentiel, candidature_ids: Iterable[int]) -> dict[int, Dossier]:
    """The dossiers of a few candidatures (one candidate, a lot of copies), their grade rows loaded as ORM
    objects to be updated. A candidature whose units cannot be computed (an option not chosen, a tree
    without units) has none, and the French reason: every grade for it is then refused with it."""
    ids = sorted(set(candidature_ids))
    cands = list(s.scalars(select(Candidature).where(Candidature.id.in_(ids))))
    out: dict[int, Dossier] = {}
    for c in cands:
        try:
            out[c.id] = Dossier(c, ref.unites_candidature(c), {})
        except DomainError as exc:
            out[c.id] = Dossier(c, (), {}, erreur=exc.message)
    if not out:
        return out
    codes = {cid: {u.code for u in d.unites} for cid, d in out.items()}
    for cid, code, position in s.execute(select(EpreuveChoix.candidature_id, EpreuveChoix.code, EpreuveChoix.position)
                                         .where(EpreuveChoix.candidature_id.in_(list(out)))):
        if code in codes[cid]:
            out[cid].positions[code] = position
    for n in s.scalars(select(NoteUnite).where(NoteUnite.candidature_id.in_(list(out)))):
        out[n.candidature_id].notes[(n.unite_code, n.groupe)] = n
    for a, etat in s.execute(select(Anonymat, LotCopies.etat).outerjoin(LotCopies, LotCopies.id == Anonymat.lot_id)
                             .where(Anonymat.candidature_id.in_(list(out)))):
        if etat != EtatLot.ANONYMAT_LEVE:
            out[a.candidature_id].anonymes[a.epreuve_code] = a.numero
    for cid, etat, sp, code in s.execute(
            select(Presence.candidature_id, Presence.etat, Creneau.specialite_id, Creneau.epreuve_code)
            .join(Creneau, Creneau.id == Presence.creneau_id)
            .where(Presence.candidature_id.in_(list(out)), Presence.etat != EtatPresence.PRESENT)):
        for unite in ref.codes_notes_sous(sp, code):
            out[cid].absences[unite] = etat
    return out


def refus(d: Dossier, code: str, note: Note | None, *, groupe: int = 1, par_lot: bool = False) -> str | None:
    """The French reason why this grade cannot be written, or None."""
    c = d.candidature
    if c.etat not in ETATS_NOTES:
        return "Cette candidature n'est plus inscrite : elle ne reçoit pas de note."
    if not d.unites:
        return f"Les unités de cette candidature ne peuvent pas être calculées : {d.erreur or 'arbre vide.'}"
    u = d.unite(code)
    if u is None:
        return f"L'unité {code} n'existe pas dans la spécialité de cette candidature."
    position = d.positions.get(code)
    if position == DISPENSE:
        if note is Marque.DI:         # what an établissement's CCF file may say of it: confirmed, harmless
            return None
        return f"L'unité {u.libelle} est dispensée pour ce candidat : elle ne se note pas."
    if position == NON_INSCRIT:
        return f"Le candidat n'est pas inscrit à l'unité {u.libelle} à cette session."
    existante = d.notes.get((code, groupe))
    if position == BENEFICE or (existante is not None and existante.verrouillee):
        return (f"L'unité {u.libelle} est en bénéfice : la note conservée d'une session antérieure ne se "
                "saisit pas.")
    if groupe == SECOND_GROUPE:
        if u.facultative or u.professionnelle:
            return (f"L'unité {u.libelle} ne peut pas être réévaluée à l'épreuve de contrôle : seules les unités "
                    "générales obligatoires le peuvent (BCP-CONTROLE-ACCES).")
        return None
    if code in d.anonymes and not par_lot:
        return (f"La copie de l'unité {u.libelle} est anonyme (lot non levé) : saisissez sa note dans son lot, "
                "par son numéro d'anonymat.")
    if code in d.absences and isinstance(note, Decimal):
        return (f"Le candidat est noté « {LIBELLES_PRESENCE[d.absences[code]].lower()} » à cette épreuve sur la "
                "liste d'émargement : saisissez ABS ou ABJ, ou corrigez d'abord la présence.")
    if note is Marque.DI:
        return (f"DI (dispensé) ne se saisit pas : l'unité {u.libelle} n'est pas dispensée pour ce candidat ; "
                "une dispense se déclare à l'inscription.")
    return None
