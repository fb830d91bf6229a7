"""Anonymat of the written épreuves (docs/domaine/resultats.md#anonymat): a random number per copy, unique
in the session and impossible to derive from the candidate (RES-4); lots of copies per correcteur; the
table of correspondence kept by the office, read by the chef only; the anonymat lifted lot by lot once
every grade of the lot is entered (RES-5).

The audit trail records how many numbers were drawn, never which candidate got which: the journal is
read by gestionnaires, the correspondence is not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Affectation, Anonymat, Candidature, Creneau, Examinateur, LotCopies, NoteUnite, Presence
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.organisation import TypeEpreuve
from ...rules.resultats import LIBELLES_LOT, EtatLot, EtatPresence, meme_note, note_stockee, numero_anonymat
from ..noyau import SYSTEME, Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .commun import ETATS_NOTES, Referentiel, conflit, exiger_specialites, identites

TAILLE_LOT_MAX = 500
ESSAIS = 3


@dataclass(frozen=True)
class RapportAnonymat:
    creees: int
    existantes: int

    @property
    def message(self) -> str:
        return (f"{self.creees} numéro{'s' if self.creees > 1 else ''} d'anonymat attribué"
                f"{'s' if self.creees > 1 else ''} ; {self.existantes} copie{'s' if self.existantes > 1 else ''} "
                f"en avai{'ent' if self.existantes > 1 else 't'} déjà un.")


@dataclass(frozen=True)
class VueLot:
    """A lot as every reader sees it: numbers only, never a name."""

    id: int
    numero: int
    epreuve_code: str
    correcteur_id: int | None
    correcteur: str
    etat: str
    copies: int
    notees: int
    row_version: int

    @property
    def libelle(self) -> str:
        return f"Lot {self.numero} — épreuve {self.epreuve_code}"

    @property
    def libelle_etat(self) -> str:
        return LIBELLES_LOT[self.etat]


@dataclass(frozen=True)
class LigneCorrespondance:
    numero: str
    lot: int | None
    candidature_id: int
    numero_candidat: str
    nom: str
    prenoms: str


def _creneau_ecrit(s: Session, creneau_id: int) -> tuple[Creneau, str]:
    c = charger_ou_erreur(s, Creneau, creneau_id, "Ce créneau n'existe plus : rechargez le planning.")
    if c.type != TypeEpreuve.ECRIT:
        nature = {TypeEpreuve.ORAL: "orale", TypeEpreuve.PRATIQUE: "pratique"}.get(c.type, c.type)
        raise DomainError(f"L'anonymat concerne les épreuves écrites : l'épreuve {c.epreuve_code} est une "
                          f"épreuve {nature}.")
    codes = Referentiel(s).codes_notes_sous(c.specialite_id, c.epreuve_code)
    if codes != (c.epreuve_code,):
        raise DomainError(f"L'épreuve {c.epreuve_code} regroupe plusieurs unités ({', '.join(codes)}) : chaque "
                          "copie porte la note d'une seule unité ; planifiez ces unités séparément pour anonymer "
                          "leurs copies.")
    return c, c.epreuve_code


def generer_anonymats(ctx: Contexte, creneau_id: int) -> RapportAnonymat:
    """A number for every copy of the written épreuve: the candidates seated for it and not recorded
    absent. Run again, it keeps the numbers given and numbers only the newcomers (idempotent). A number
    drawn twice, here or on another workstation at the same moment, is drawn again."""
    exiger(ctx, P.ANONYMAT_GERER)
    for essai in range(ESSAIS):
        try:
            with ctx.transaction() as s:
                c, code = _creneau_ecrit(s, creneau_id)
                absents = select(Presence.candidature_id).where(
                    Presence.creneau_id == c.id, Presence.etat != EtatPresence.PRESENT)
                candidats = list(s.scalars(
                    select(Affectation.candidature_id)
                    .join(Candidature, Candidature.id == Affectation.candidature_id)
                    .where(Affectation.creneau_id == c.id, Candidature.etat.in_(ETATS_NOTES),
                           Affectation.candidature_id.not_in(absents))
                    .order_by(Affectation.candidature_id)))
                deja = set(s.scalars(select(Anonymat.candidature_id).where(
                    Anonymat.session_id == c.session_id, Anonymat.epreuve_code == code,
                    Anonymat.specialite_id == c.specialite_id)))
                pris = set(s.scalars(select(Anonymat.numero).where(Anonymat.session_id == c.session_id)))
                nouveaux = [cid for cid in candidats if cid not in deja]
                for cid in nouveaux:
                    numero = numero_anonymat()
                    while numero in pris:          # a collision: draw again (the unique index stays the guard)
                        numero = numero_anonymat()
                    pris.add(numero)
                    s.add(Anonymat(session_id=c.session_id, candidature_id=cid, specialite_id=c.specialite_id,
                                   epreuve_code=code, numero=numero, cree_le=ctx.clock.now()))
                if nouveaux:
                    s.flush()
                    audit.enregistrer(s, ctx, "generation_anonymats", "creneau", c.id,
                                      libelle=f"Numéros d'anonymat de l'épreuve {code} {c.intitule}",
                                      apres={"creees": len(nouveaux), "existantes": len(deja)})
                return RapportAnonymat(len(nouveaux), len(deja))
        except IntegrityError as exc:
            if essai == ESSAIS - 1:
                raise DomainError("Les numéros d'anonymat n'ont pas pu être attribués : un autre poste en attribue "
                                  "en ce moment. Réessayez dans un instant.") from exc
    raise AssertionError("unreachable")


def _copies_par_lot(s: Session, lot_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """lot → (copies, copies with a 1st-group grade)."""
    if not lot_ids:
        return {}
    q = (select(Anonymat.lot_id, func.count(Anonymat.id), func.count(NoteUnite.id))
         .outerjoin(NoteUnite, and_(NoteUnite.candidature_id == Anonymat.candidature_id,
                                    NoteUnite.unite_code == Anonymat.epreuve_code, NoteUnite.groupe == 1))
         .where(Anonymat.lot_id.in_(list(lot_ids))).group_by(Anonymat.lot_id))
    return {lot: (int(n), int(notees)) for lot, n, notees in s.execute(q)}


def vues_lots(s: Session, lots: Sequence[LotCopies]) -> list[VueLot]:
    comptes = _copies_par_lot(s, [x.id for x in lots])
    noms = {e.id: f"{e.prenom} {e.nom.upper()}" for e in s.scalars(select(Examinateur).where(
        Examinateur.id.in_([x.correcteur_id for x in lots if x.correcteur_id])))}
    return [VueLot(x.id, x.numero, x.epreuve_code, x.correcteur_id, noms.get(x.correcteur_id or 0, ""), x.etat,
                   *comptes.get(x.id, (0, 0)), x.row_version) for x in lots]


def _lots_du_creneau(s: Session, c: Creneau) -> list[LotCopies]:
    return list(s.scalars(select(LotCopies).where(
        LotCopies.session_id == c.session_id, LotCopies.specialite_id == c.specialite_id,
        LotCopies.epreuve_code == c.epreuve_code).order_by(LotCopies.numero)))


def lister_lots(ctx: Contexte, creneau_id: int) -> list[VueLot]:
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        c = charger_ou_erreur(s, Creneau, creneau_id, "Ce créneau n'existe plus : rechargez le planning.")
        return vues_lots(s, _lots_du_creneau(s, c))


def _correcteurs(s: Session, ids: Sequence[int]) -> None:
    actifs = set(s.scalars(select(Examinateur.id).where(Examinateur.id.in_(list(ids)), Examinateur.actif)))
    if manquants := [i for i in ids if i not in actifs]:
        raise ValidationError({"correcteurs": f"Correcteur inconnu ou inactif (n° {manquants[0]}) : "
                                              "rechargez la liste des examinateurs."})


def constituer_lots(ctx: Contexte, creneau_id: int, taille: int, correcteurs: Sequence[int] = ()) -> list[VueLot]:
    """Group the numbered copies not yet in a lot into lots of ``taille`` copies, in the order of their
    numbers (random: the copies of one établissement are spread), handed to the correcteurs in turn."""
    exiger(ctx, P.ANONYMAT_GERER)
    if not 1 <= taille <= TAILLE_LOT_MAX:
        raise ValidationError({"taille": f"Un lot compte de 1 à {TAILLE_LOT_MAX} copies."})
    agent = (ctx.agent or SYSTEME).login
    with ctx.transaction() as s:
        c, code = _creneau_ecrit(s, creneau_id)
        _correcteurs(s, list(correcteurs))
        libres = list(s.scalars(select(Anonymat).where(
            Anonymat.session_id == c.session_id, Anonymat.specialite_id == c.specialite_id,
            Anonymat.epreuve_code == code, Anonymat.lot_id.is_(None)).order_by(Anonymat.numero)))
        if not libres:
            raise DomainError("Aucune copie numérotée hors lot : attribuez d'abord les numéros d'anonymat.")
        dernier = s.scalar(select(func.max(LotCopies.numero)).where(
            LotCopies.session_id == c.session_id, LotCopies.specialite_id == c.specialite_id,
            LotCopies.epreuve_code == code)) or 0
        crees = []
        for i in range(0, len(libres), taille):
            lot = LotCopies(session_id=c.session_id, specialite_id=c.specialite_id, epreuve_code=code,
                            numero=dernier + len(crees) + 1, etat=EtatLot.A_CORRIGER, cree_le=ctx.clock.now(),
                            cree_par=agent,
                            correcteur_id=correcteurs[len(crees) % len(correcteurs)] if correcteurs else None)
            s.add(lot)
            s.flush()
            for a in libres[i:i + taille]:
                a.lot_id = lot.id
            crees.append(lot)
            audit.enregistrer(s, ctx, "creation", "lot_copies", lot.id, libelle=f"Lot {lot.numero} de l'épreuve "
                              f"{code} {c.intitule}", apres={"copies": len(libres[i:i + taille]),
                                                             "correcteur_id": lot.correcteur_id})
        s.flush()
        return vues_lots(s, crees)


def _lot(s: Session, lot_id: int) -> LotCopies:
    return charger_ou_erreur(s, LotCopies, lot_id, "Ce lot de copies n'existe plus : rechargez la liste.")


def attribuer_correcteur(ctx: Contexte, lot_id: int, correcteur_id: int | None, row_version: int) -> VueLot:
    exiger(ctx, P.ANONYMAT_GERER)
    message = conflit("Ce lot de copies")
    with conflit_si_perime(message), ctx.transaction() as s:
        lot = _lot(s, lot_id)
        if lot.row_version != row_version:
            raise ConflictError(message)
        if correcteur_id is not None:
            _correcteurs(s, [correcteur_id])
        avant = lot.correcteur_id
        lot.correcteur_id = correcteur_id
        s.flush()
        audit.enregistrer(s, ctx, "modification", "lot_copies", lot.id, libelle=f"Lot {lot.numero} de l'épreuve "
                          f"{lot.epreuve_code}", avant={"correcteur_id": avant}, apres={"correcteur_id": correcteur_id})
        return vues_lots(s, [lot])[0]


def correspondance(ctx: Contexte, creneau_id: int) -> list[LigneCorrespondance]:
    """The table of correspondence of one épreuve, kept by the office: the chef only (RES-5)."""
    exiger(ctx, P.ANONYMAT_GERER)
    with ctx.lecture() as s:
        c = charger_ou_erreur(s, Creneau, creneau_id, "Ce créneau n'existe plus : rechargez le planning.")
        lots = {x.id: x.numero for x in _lots_du_creneau(s, c)}
        rows = list(s.scalars(select(Anonymat).where(
            Anonymat.session_id == c.session_id, Anonymat.specialite_id == c.specialite_id,
            Anonymat.epreuve_code == c.epreuve_code).order_by(Anonymat.numero)))
        ids = identites(s, [a.candidature_id for a in rows])
        return [LigneCorrespondance(a.numero, lots.get(a.lot_id or 0), a.candidature_id,
                                    ids[a.candidature_id].numero_candidat, ids[a.candidature_id].nom,
                                    ids[a.candidature_id].prenoms) for a in rows]


def lever_anonymat(ctx: Contexte, lot_id: int, row_version: int) -> VueLot:
    """Lift the anonymat of a lot whose every copy has its grade, without a discrepancy left between two
    entries (RES-5): its grades then show under the candidates' names."""
    exiger(ctx, P.ANONYMAT_GERER)
    message = conflit("Ce lot de copies")
    with conflit_si_perime(message), ctx.transaction() as s:
        lot = _lot(s, lot_id)
        if lot.row_version != row_version:
            raise ConflictError(message)
        if lot.etat == EtatLot.ANONYMAT_LEVE:
            raise DomainError(f"L'anonymat du lot {lot.numero} est déjà levé.")
        copies = list(s.execute(
            select(Anonymat.numero, NoteUnite).outerjoin(NoteUnite, and_(
                NoteUnite.candidature_id == Anonymat.candidature_id, NoteUnite.unite_code == Anonymat.epreuve_code,
                NoteUnite.groupe == 1)).where(Anonymat.lot_id == lot.id).order_by(Anonymat.numero)))
        sans_note = [n for n, note in copies if note is None]
        if sans_note:
            raise DomainError(f"L'anonymat du lot {lot.numero} ne peut pas être levé : {len(sans_note)} copie"
                              f"{'s' if len(sans_note) > 1 else ''} sans note ({', '.join(sans_note[:10])}"
                              f"{'…' if len(sans_note) > 10 else ''}).")
        ecarts = [n for n, note in copies if note.seconde_par and not meme_note(
            note_stockee(note.valeur, note.marque), note_stockee(note.seconde_valeur, note.seconde_marque))]
        if ecarts:
            raise DomainError(f"L'anonymat du lot {lot.numero} ne peut pas être levé : les deux saisies diffèrent "
                              f"pour {', '.join(ecarts[:10])}{'…' if len(ecarts) > 10 else ''}. Réglez ces écarts "
                              "d'abord.")
        exiger_specialites(s, ctx, [lot.specialite_id])
        lot.etat, lot.leve_le, lot.leve_par = EtatLot.ANONYMAT_LEVE, ctx.clock.now(), (ctx.agent or SYSTEME).login
        s.flush()
        audit.enregistrer(s, ctx, "levee_anonymat", "lot_copies", lot.id,
                          libelle=f"Levée de l'anonymat du lot {lot.numero} de l'épreuve {lot.epreuve_code}",
                          apres={"copies": len(copies)})
        return vues_lots(s, [lot])[0]
