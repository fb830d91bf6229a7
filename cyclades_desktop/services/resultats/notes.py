"""Grade entry (docs/domaine/resultats.md#notes): by lot, copy by copy under its anonymat number, or by
candidature, unit by unit (RES-7). A second entry by another operator is kept beside the first and the
discrepancies are listed. Each saved grade carries its row version: two operators on the same lot never
overwrite each other silently (ConflictError, in French). Every grade written is audited; while a copy is
anonymous its audit row names the copy's number, not the candidate, since gestionnaires read the journal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Anonymat, Candidature, LotCopies, NoteUnite
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.resultats import (
    PREMIER_GROUPE,
    SECOND_GROUPE,
    Ecart,
    EtatLot,
    OrigineNote,
    analyser_note,
    colonnes_note,
    meme_note,
    note_stockee,
    numero_anonymat_valide,
    texte_note,
)
from ..noyau import SYSTEME, Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .anonymat import VueLot, vues_lots
from .commun import Referentiel, conflit, exiger_specialites, identites, unite_par_code_ou_numero
from .controles_notes import Dossier, charger_dossiers, refus
from .deliberation_lecture import autorise_au_controle


@dataclass(frozen=True)
class SaisieNote:
    cle: str                          # the anonymat number (by lot) or the unit, E1-A or U11 (by candidature)
    texte: str                        # « 12,5 », « abs »…
    row_version: int | None = None    # the grade's as read; None when it had none


@dataclass(frozen=True)
class LigneNote:
    cle: str                          # what the operator types against: number or unit code
    unite_code: str
    libelle: str                      # « Copie 123456789 » or « U2 Exploitation de la documentation… »
    candidat: str                     # "" while the copy is anonymous
    position: str | None
    note: str                         # « 12,50 », « ABS »; "" when none, or hidden for a blind second entry
    origine: str | None
    saisie_par: str
    seconde: str
    seconde_par: str
    ecart: bool
    refus: str | None                 # why it cannot be entered here (dispensed, bénéfice…), else None
    row_version: int | None


@dataclass(frozen=True)
class VueSaisieLot:
    lot: VueLot
    lignes: tuple[LigneNote, ...]


@dataclass(frozen=True)
class VueNotesCandidature:
    candidature_id: int
    candidat: str
    specialite_id: str | None
    lignes: tuple[LigneNote, ...]
    controle: tuple[LigneNote, ...] = ()     # the épreuve de contrôle's grades (2nd group), when asked


@dataclass(frozen=True)
class RapportSaisie:
    enregistrees: int
    inchangees: int
    ecarts: tuple[Ecart, ...]
    lignes: tuple[LigneNote, ...]


@dataclass(frozen=True)
class _Cible:
    cle: str
    dossier: Dossier
    code: str
    groupe: int
    row_version: int | None
    anonyme: bool


def _ecart(cle: str, n: NoteUnite | None) -> Ecart | None:
    if n is None or not n.seconde_par:
        return None
    a, b = note_stockee(n.valeur, n.marque), note_stockee(n.seconde_valeur, n.seconde_marque)
    return None if meme_note(a, b) else Ecart(cle, texte_note(a), texte_note(b), n.saisie_par, n.seconde_par)


def _ligne(cle: str, d: Dossier, code: str, libelle: str, candidat: str, groupe: int, *, par_lot: bool,
           aveugle: bool) -> LigneNote:
    n = d.notes.get((code, groupe))
    note = note_stockee(n.valeur, n.marque) if n else None
    return LigneNote(cle, code, libelle, candidat, d.positions.get(code), "" if aveugle else texte_note(note),
                     n.origine if n else None, n.saisie_par if n else "",
                     texte_note(note_stockee(n.seconde_valeur, n.seconde_marque)) if n and not aveugle else "",
                     (n.seconde_par or "") if n else "", _ecart(cle, n) is not None and not aveugle,
                     refus(d, code, None, groupe=groupe, par_lot=par_lot), n.row_version if n else None)


# --- by lot ----------------------------------------------------------------------------------------

def _copies(s: Session, lot: LotCopies) -> list[Anonymat]:
    return list(s.scalars(select(Anonymat).where(Anonymat.lot_id == lot.id).order_by(Anonymat.numero)))


def _lignes_lot(s: Session, lot: LotCopies, copies: list[Anonymat], dossiers: dict[int, Dossier],
                aveugle: bool) -> tuple[LigneNote, ...]:
    leve = lot.etat == EtatLot.ANONYMAT_LEVE
    ids = identites(s, [a.candidature_id for a in copies]) if leve else {}
    return tuple(_ligne(a.numero, dossiers[a.candidature_id], a.epreuve_code, f"Copie {a.numero}",
                        ids[a.candidature_id].libelle if leve else "", PREMIER_GROUPE, par_lot=True, aveugle=aveugle)
                 for a in copies if a.candidature_id in dossiers)


def saisie_lot(ctx: Contexte, lot_id: int, *, seconde: bool = False) -> VueSaisieLot:
    """The lot's copies by number; for a second entry the first one's grades are hidden (blind entry)."""
    exiger(ctx, P.NOTES_SAISIR)
    with ctx.lecture() as s:
        lot = charger_ou_erreur(s, LotCopies, lot_id, "Ce lot de copies n'existe plus : rechargez la liste.")
        exiger_specialites(s, ctx, [lot.specialite_id])
        copies = _copies(s, lot)
        dossiers = charger_dossiers(s, Referentiel(s), [a.candidature_id for a in copies])
        return VueSaisieLot(vues_lots(s, [lot])[0], _lignes_lot(s, lot, copies, dossiers, seconde))


def enregistrer_notes_lot(ctx: Contexte, lot_id: int, saisies: Sequence[SaisieNote], *,
                          seconde: bool = False) -> RapportSaisie:
    exiger(ctx, P.NOTES_SAISIR)
    message = conflit("Une note de ce lot", feminin=True)
    with conflit_si_perime(message), ctx.transaction() as s:
        lot = charger_ou_erreur(s, LotCopies, lot_id, "Ce lot de copies n'existe plus : rechargez la liste.")
        exiger_specialites(s, ctx, [lot.specialite_id])
        copies = _copies(s, lot)
        par_numero = {a.numero: a for a in copies}
        dossiers = charger_dossiers(s, Referentiel(s), [a.candidature_id for a in copies])
        anonyme = lot.etat != EtatLot.ANONYMAT_LEVE
        e: dict[str, str] = {}
        cibles = []
        for x in saisies:
            numero = x.cle.strip()
            a = par_numero.get(numero)
            if a is None:
                e[x.cle] = ("Numéro d'anonymat mal saisi : 9 chiffres, le dernier est une clé de contrôle."
                            if not numero_anonymat_valide(numero) else f"La copie {numero} n'est pas dans ce lot.")
                continue
            cibles.append((_Cible(numero, dossiers[a.candidature_id], a.epreuve_code, PREMIER_GROUPE, x.row_version,
                                  anonyme), x.texte))
        rapport = _appliquer(s, ctx, cibles, e, seconde=seconde, origine=OrigineNote.SAISIE, par_lot=True)
        if not seconde and all((a.epreuve_code, 1) in dossiers[a.candidature_id].notes for a in copies):
            # A marker for the lists: no row version is taken, so two operators finishing the same lot
            # at the same moment do not collide on it.
            s.execute(update(LotCopies).where(LotCopies.id == lot.id, LotCopies.etat == EtatLot.A_CORRIGER)
                      .values(etat=EtatLot.NOTES_SAISIES))
        return RapportSaisie(*rapport, _lignes_lot(s, lot, copies, dossiers, False))


# --- by candidature --------------------------------------------------------------------------------

def _dossier(s: Session, ctx: Contexte, candidature_id: int) -> Dossier:
    c = charger_ou_erreur(s, Candidature, candidature_id, "Cette candidature n'existe plus.")
    exiger_specialites(s, ctx, [c.specialite_id])
    return charger_dossiers(s, Referentiel(s), [candidature_id])[candidature_id]


def _vue_candidature(s: Session, d: Dossier, *, controle: bool, aveugle: bool) -> VueNotesCandidature:
    ident = identites(s, [d.candidature.id])[d.candidature.id]
    lignes = tuple(_ligne(u.code, d, u.code, u.libelle, ident.libelle, PREMIER_GROUPE, par_lot=False,
                          aveugle=aveugle) for u in d.unites)
    ctl = tuple(_ligne(u.code, d, u.code, u.libelle, ident.libelle, SECOND_GROUPE, par_lot=False, aveugle=aveugle)
                for u in d.unites if not u.facultative and not u.professionnelle) if controle else ()
    return VueNotesCandidature(d.candidature.id, ident.libelle, d.candidature.specialite_id, lignes, ctl)


def notes_candidature(ctx: Contexte, candidature_id: int, *, controle: bool = False,
                      seconde: bool = False) -> VueNotesCandidature:
    """The candidature's units with their grades; ``controle``: the épreuve de contrôle's too."""
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        return _vue_candidature(s, _dossier(s, ctx, candidature_id), controle=controle, aveugle=seconde)


def enregistrer_notes_candidature(ctx: Contexte, candidature_id: int, saisies: Sequence[SaisieNote], *,
                                  seconde: bool = False, controle: bool = False) -> RapportSaisie:
    """Grades of one candidature, unit by unit; ``controle``: the épreuve de contrôle's (RES-10), against
    the general units they re-assess, for a candidate the closed 1st-group deliberation authorised."""
    exiger(ctx, P.NOTES_SAISIR)
    message = conflit("Une note de ce candidat", feminin=True)
    with conflit_si_perime(message), ctx.transaction() as s:
        d = _dossier(s, ctx, candidature_id)
        if controle:
            if not autorise_au_controle(s, candidature_id):
                raise DomainError("Ce candidat n'est pas autorisé à l'épreuve de contrôle par une délibération "
                                  "close : ses notes de contrôle ne se saisissent pas.")
        groupe = SECOND_GROUPE if controle else PREMIER_GROUPE
        e: dict[str, str] = {}
        cibles = []
        for x in saisies:
            u = unite_par_code_ou_numero(d.unites, x.cle)
            if u is None:
                e[x.cle] = f"Unité inconnue pour cette candidature : {x.cle.strip() or '(vide)'}."
                continue
            cibles.append((_Cible(x.cle, d, u.code, groupe, x.row_version, False), x.texte))
        origine = OrigineNote.CONTROLE if controle else OrigineNote.SAISIE
        rapport = _appliquer(s, ctx, cibles, e, seconde=seconde, origine=origine, par_lot=False)
        return RapportSaisie(*rapport, _vue_candidature(s, d, controle=controle, aveugle=False).lignes
                             if not controle else _vue_candidature(s, d, controle=True, aveugle=False).controle)


# --- writing ---------------------------------------------------------------------------------------

def _appliquer(s: Session, ctx: Contexte, cibles: list[tuple[_Cible, str]], e: dict[str, str], *, seconde: bool,
               origine: str, par_lot: bool) -> tuple[int, int, tuple[Ecart, ...]]:
    """Check everything, then write everything, or nothing (ValidationError: field = the line's key)."""
    agent = (ctx.agent or SYSTEME).login
    lues = []
    for cible, texte in cibles:
        note, message = analyser_note(texte)
        if message is None and note is not None:
            message = refus(cible.dossier, cible.code, note, groupe=cible.groupe, par_lot=par_lot)
        n = cible.dossier.notes.get((cible.code, cible.groupe))
        if message is None and seconde:
            if n is None:
                message = "La première saisie de cette note manque : la seconde saisie la vérifie."
            elif n.saisie_par == agent:
                message = (f"La seconde saisie doit être faite par un autre opérateur que la première "
                           f"({n.saisie_par}).")
        if message is not None:
            e[cible.cle] = message
        else:
            lues.append((cible, note))
    if e:
        raise ValidationError(e)
    enregistrees = inchangees = 0
    for cible, note in lues:
        d, n = cible.dossier, cible.dossier.notes.get((cible.code, cible.groupe))
        if (n.row_version if n else None) != cible.row_version:
            qui = (n.seconde_par if seconde and n.seconde_par else n.saisie_par) if n else None
            raise ConflictError(conflit(f"La note de {cible.cle}", feminin=True, qui=qui))
        valeur, marque = colonnes_note(note)
        entite, entite_id = ("copie", cible.cle) if cible.anonyme else ("candidature", d.candidature.id)
        if seconde:
            assert n is not None
            if n.seconde_par and meme_note(note_stockee(n.seconde_valeur, n.seconde_marque), note):
                inchangees += 1
                continue
            avant = texte_note(note_stockee(n.seconde_valeur, n.seconde_marque)) or None
            n.seconde_valeur, n.seconde_marque, n.seconde_par, n.seconde_le = valeur, marque, agent, ctx.clock.now()
            audit.enregistrer(s, ctx, "seconde_saisie_note", entite, entite_id,
                              libelle=f"Seconde saisie de la note de {cible.code}", avant={cible.code: avant},
                              apres={cible.code: texte_note(note)})
        else:
            avant_note = note_stockee(n.valeur, n.marque) if n else None
            if n is not None and meme_note(avant_note, note):
                inchangees += 1
                continue
            if n is None:
                n = NoteUnite(candidature_id=d.candidature.id, unite_code=cible.code, groupe=cible.groupe)
                s.add(n)
                d.notes[(cible.code, cible.groupe)] = n
            n.valeur, n.marque, n.origine, n.saisie_par, n.saisie_le = valeur, marque, origine, agent, ctx.clock.now()
            quoi = "contrôle de " if cible.groupe == SECOND_GROUPE else ""
            audit.enregistrer(s, ctx, "note", entite, entite_id, libelle=f"Note de {quoi}{cible.code}",
                              avant={cible.code: texte_note(avant_note) or None}, apres={cible.code: texte_note(note)})
        enregistrees += 1
    try:
        s.flush()
    except IntegrityError as exc:     # another workstation created the same grade an instant before
        raise ConflictError(conflit("Une note", feminin=True)) from exc
    ecarts = tuple(x for cible, _ in lues
                   if (x := _ecart(cible.cle, cible.dossier.notes.get((cible.code, cible.groupe)))) is not None)
    return enregistrees, inchangees, ecarts


def ecarts_lot(ctx: Contexte, lot_id: int) -> tuple[Ecart, ...]:
    """The copies of a lot whose two entries differ."""
    exiger(ctx, P.NOTES_SAISIR)
    with ctx.lecture() as s:
        lot = charger_ou_erreur(s, LotCopies, lot_id, "Ce lot de copies n'existe plus : rechargez la liste.")
        exiger_specialites(s, ctx, [lot.specialite_id])
        notes = s.execute(select(Anonymat.numero, NoteUnite).join(NoteUnite, (
            NoteUnite.candidature_id == Anonymat.candidature_id) & (NoteUnite.unite_code == Anonymat.epreuve_code)
            & (NoteUnite.groupe == 1)).where(Anonymat.lot_id == lot.id).order_by(Anonymat.numero))
        return tuple(x for numero, n in notes if (x := _ecart(numero, n)) is not None)
