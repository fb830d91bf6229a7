"""Exam days, grades and results (services/resultats, docs/domaine/resultats.md): the stored vocabularies
with their French labels, the reading of a typed grade, the anonymat numbers, the comparison of a double
entry and the units a failed candidate keeps. Pure: the services feed plain values.

The deliberation itself is rules/deliberation.py; its ``Decision``, ``Mention`` and ``Marque`` are the
ones stored here (by member name for decisions and mentions, by value for marks)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .comptes import cle_luhn
from .deliberation_donnees import Decision, Marque, Mention, Note
from .errors import ValidationError


class EtatPresence(StrEnum):
    """Stored in ``presence.etat``: what the liste d'émargement says (RES-2)."""

    PRESENT = "present"
    ABSENT = "absent"
    ABSENT_JUSTIFIE = "absent_justifie"

    @property
    def libelle(self) -> str:
        return LIBELLES_PRESENCE[self]


LIBELLES_PRESENCE: dict[str, str] = {
    EtatPresence.PRESENT: "Présent",
    EtatPresence.ABSENT: "Absent",
    EtatPresence.ABSENT_JUSTIFIE: "Absent justifié",
}
# The mark an absence becomes in the grades (RES-7): the engine decides its effect (PolitiqueAbsences).
MARQUE_ABSENCE: dict[str, Marque] = {EtatPresence.ABSENT: Marque.ABS, EtatPresence.ABSENT_JUSTIFIE: Marque.ABJ}


class EtatLot(StrEnum):
    """Stored in ``lot_copies.etat`` (RES-4, RES-5)."""

    A_CORRIGER = "a_corriger"
    NOTES_SAISIES = "notes_saisies"
    ANONYMAT_LEVE = "anonymat_leve"

    @property
    def libelle(self) -> str:
        return LIBELLES_LOT[self]


LIBELLES_LOT: dict[str, str] = {
    EtatLot.A_CORRIGER: "À corriger",
    EtatLot.NOTES_SAISIES: "Notes saisies",
    EtatLot.ANONYMAT_LEVE: "Anonymat levé",
}


class OrigineNote(StrEnum):
    """Stored in ``note_unite.origine``."""

    SAISIE = "saisie"
    IMPORT_CCF = "import_ccf"
    BENEFICE = "benefice"            # kept from an earlier session: pre-filled and locked (RES-8)
    CONTROLE = "controle"            # the épreuve de contrôle's oral, against the unit it re-assesses

    @property
    def libelle(self) -> str:
        return LIBELLES_ORIGINE[self]


LIBELLES_ORIGINE: dict[str, str] = {
    OrigineNote.SAISIE: "Saisie",
    OrigineNote.IMPORT_CCF: "Import des notes de CCF",
    OrigineNote.BENEFICE: "Bénéfice",
    OrigineNote.CONTROLE: "Épreuve de contrôle",
}


class EtatDeliberation(StrEnum):
    """Stored in ``deliberation.etat``. Closed once the president has signed the procès-verbal (RES-14)."""

    OUVERTE = "ouverte"
    CLOSE = "close"

    @property
    def libelle(self) -> str:
        return LIBELLES_DELIBERATION[self]


LIBELLES_DELIBERATION: dict[str, str] = {EtatDeliberation.OUVERTE: "Ouverte", EtatDeliberation.CLOSE: "Close"}


class StatutResultat(StrEnum):
    """Stored in ``resultat.statut``: the engine's proposal, then the jury's decision."""

    PROPOSE = "propose"
    ARRETE = "arrete"

    @property
    def libelle(self) -> str:
        return LIBELLES_STATUT_RESULTAT[self]


LIBELLES_STATUT_RESULTAT: dict[str, str] = {StatutResultat.PROPOSE: "Proposé",
                                            StatutResultat.ARRETE: "Décidé par le jury"}

# Tours of a jury: the 1st group, then (BCP) the deliberation after the épreuve de contrôle (RES-10).
PREMIER_GROUPE = 1
SECOND_GROUPE = 2
LIBELLES_TOUR = {PREMIER_GROUPE: "Premier groupe", SECOND_GROUPE: "Second groupe (épreuve de contrôle)"}


def decision_depuis_code(code: str) -> Decision:
    """Decisions are stored by member name (ASCII, stable): ``ADMIS`` → Decision.ADMIS (« Admis »)."""
    return Decision[code]


def mention_depuis_code(code: str | None) -> Mention | None:
    return None if code is None else Mention[code]


# --- a typed grade (RES-7) ---------------------------------------------------------------------------

NOTE_MAX = Decimal(20)
CENTIEME = Decimal("0.01")
_NOMBRE = re.compile(r"(-?)(\d{1,3})(?:[.,](\d+))?", re.ASCII)
AIDE_NOTE = "saisissez une note sur 20 (par exemple 12,5), ou ABS (absent), ABJ (absent justifié) ou DI (dispensé)"


def analyser_note(texte: object) -> tuple[Note | None, str | None]:
    """A typed grade: « 10,5 » and « 10.5 » → Decimal('10.50'), « abs » → Marque.ABS, with the French
    message instead when it is not one. At most two decimals, from 0 to 20 (RES-7)."""
    brut = " ".join(str(texte if texte is not None else "").split())
    if not brut:
        return None, f"Note absente : {AIDE_NOTE}."
    if brut.upper() in Marque.__members__:
        return Marque[brut.upper()], None
    m = _NOMBRE.fullmatch(brut)
    if m is None:
        return None, f"« {brut} » n'est pas une note : {AIDE_NOTE}."
    signe, entier, decimales = m.groups()
    if signe:
        return None, f"Une note ne peut pas être négative (saisie : « {brut} »)."
    if decimales and len(decimales.rstrip("0")) > 2:
        return None, f"Une note a au plus deux décimales (saisie : « {brut} »)."
    valeur = Decimal(f"{entier}.{decimales or '0'}")
    if valeur > NOTE_MAX:
        return None, f"Une note est sur 20 : « {brut} » dépasse 20."
    return valeur.quantize(CENTIEME), None


def lire_note(texte: object, champ: str = "note") -> Note:
    """``analyser_note`` that raises ``ValidationError({champ: message})``."""
    note, message = analyser_note(texte)
    if message is not None or note is None:
        raise ValidationError({champ: message or f"Note absente : {AIDE_NOTE}."})
    return note


def texte_note(note: Note | None) -> str:
    """As shown and printed: « 12,50 », « ABS »; empty when there is none."""
    if note is None:
        return ""
    if isinstance(note, Marque):
        return note.value
    return f"{note.quantize(CENTIEME):f}".replace(".", ",")


def note_stockee(valeur: Decimal | None, marque: str | None) -> Note | None:
    """The grade of a ``note_unite`` row (a value or a mark, never both)."""
    if marque:
        return Marque(marque)
    return None if valeur is None else Decimal(valeur).quantize(CENTIEME)


def colonnes_note(note: Note) -> tuple[Decimal | None, str | None]:
    """(valeur, marque) to store."""
    return (None, note.value) if isinstance(note, Marque) else (note, None)


def lire_points_jury(texte: object) -> Decimal:
    """The jury's points (RES-14): added to the total of points, so positive, with at most two decimals."""
    brut = " ".join(str(texte if texte is not None else "").split())
    m = _NOMBRE.fullmatch(brut)
    if m is None:
        raise ValidationError({"points": f"« {brut} » n'est pas un nombre de points (exemple : 0,5)."})
    signe, entier, decimales = m.groups()
    if signe:
        raise ValidationError({"points": "Les points du jury s'ajoutent au total : ils ne peuvent pas être "
                                         "négatifs."})
    if decimales and len(decimales.rstrip("0")) > 2:
        raise ValidationError({"points": "Les points du jury ont au plus deux décimales."})
    return Decimal(f"{entier}.{decimales or '0'}").quantize(CENTIEME)


# --- anonymat numbers (RES-4) ------------------------------------------------------------------------
# Nine digits: eight drawn by ``secrets`` (never from the candidate, the order of registration or a
# counter), the first one not 0 so that a spreadsheet keeps them whole, and a Luhn check digit so that
# a digit mistyped at grade entry names no other copy.

CHIFFRES_TIRES = 8




def numero_anonymat(tirage: Callable[[int], int] = secrets.randbelow) -> str:
    base = str(10 ** (CHIFFRES_TIRES - 1) + tirage(9 * 10 ** (CHIFFRES_TIRES - 1)))
    return base + str(cle_luhn(base))


def numero_anonymat_valide(numero: str | None) -> bool:
    n = (numero or "").strip()
    return (len(n) == CHIFFRES_TIRES + 1 and n.isascii() and n.isdigit()
            and cle_luhn(n[:-1]) == int(n[-1]))


# --- double entry ------------------------------------------------------------------------------------

def meme_note(a: Note | None, b: Note | None) -> bool:
    if isinstance(a, Marque) or isinstance(b, Marque) or a is None or b is None:
        return a == b
    return a.compare(b) == 0


@dataclass(frozen=True)
class Ecart:
    """A copy whose two entries differ."""

    cle: str                  # the anonymat number, or the unit
    premiere: str             # « 12,50 »
    seconde: str              # « 15,20 »
    premiere_par: str
    seconde_par: str

    @property
    def phrase(self) -> str:
        return (f"{self.cle} : première saisie {self.premiere} ({self.premiere_par}), seconde saisie "
                f"{self.seconde} ({self.seconde_par}).")


# --- bénéfices kept for a later session (RES-8, *-BENEFICE-NOTES) -----------------------------------

@dataclass(frozen=True)
class NoteConservee:
    code: str                 # the unit (E1-A)
    note: Decimal
    annee: int                # the session year it was obtained


@dataclass(frozen=True)
class ResultatAnterieur:
    annee: int
    decision: str             # Decision member name
    acquises: Mapping[str, Decimal]      # unit code → grade ≥ note_min, as the engine listed them


# Whose units are kept: an ajourné's (bénéfice, RES-8); in the progressive form, the units acquired while
# others remain to be sat (RES-13) count the same way.
DECISIONS_A_BENEFICES = (Decision.AJOURNE.name, Decision.UNITES_ACQUISES.name)


def notes_conservees(resultats: Iterable[ResultatAnterieur], annee_session: int, *, duree_ans: int,
                     note_min: Decimal) -> dict[str, NoteConservee]:
    """The units kept for the session of ``annee_session``: grades of at least ``note_min`` from sessions
    at most ``duree_ans`` years back (*-BENEFICE-NOTES « duree_ans », the same bound as rules/epreuves.py
    applies to a declared bénéfice), of results that did not award the diploma; the latest grade wins."""
    out: dict[str, NoteConservee] = {}
    for r in sorted(resultats, key=lambda x: x.annee):
        if r.decision not in DECISIONS_A_BENEFICES or not 0 < annee_session - r.annee <= duree_ans:
            continue
        for code, note in r.acquises.items():
            if Decimal(note) >= note_min:
                out[code] = NoteConservee(code, Decimal(note).quantize(CENTIEME), r.annee)
    return out
