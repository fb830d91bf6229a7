"""Exam organisation (services/organisation, docs/domaine/organisation.md): the kinds of épreuve in
the timetable, the decisions on an aménagement request with their measures, and the computations on
plain values that the timetable, the seating and the convocations share (durations, extra time, a
candidate's département). Checks that need the database (rooms, clashes, capacity) live in the services."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from .comptes import MESSAGE_OBLIGATOIRE, PAYS_FRANCE
from .epreuves import INSCRIT, PONCTUEL
from .errors import ValidationError
from .temps import depuis_paris, normaliser_date
from .texte import chiffres_ascii, entier_ascii, erreurs_caracteres


class TypeEpreuve(StrEnum):
    """Stored in ``creneau.type``. A practical épreuve prefers a workshop room when seating."""

    ECRIT = "ecrit"
    ORAL = "oral"
    PRATIQUE = "pratique"

    @property
    def libelle(self) -> str:
        return TYPES_EPREUVE[self]


TYPES_EPREUVE: dict[str, str] = {TypeEpreuve.ECRIT: "Écrit", TypeEpreuve.ORAL: "Oral",
                                 TypeEpreuve.PRATIQUE: "Pratique"}


class StatutAmenagement(StrEnum):
    """Stored in ``decision_amenagement.statut``; the members' order is the order screens offer them."""

    DEMANDE = "demande"
    ACCORDE = "accorde"
    PARTIEL = "partiel"
    REFUSE = "refuse"

    @property
    def libelle(self) -> str:
        return LIBELLES_DECISIONS[self]


LIBELLES_DECISIONS: dict[str, str] = {
    StatutAmenagement.DEMANDE: "En attente de décision",
    StatutAmenagement.ACCORDE: "Accordé",
    StatutAmenagement.PARTIEL: "Accordé partiellement",
    StatutAmenagement.REFUSE: "Refusé",
}
# The decisions that grant measures: printed on the convocation, extra time applied.
STATUTS_ACCORDES = (StatutAmenagement.ACCORDE, StatutAmenagement.PARTIEL)

TIERS_TEMPS = "Majoration d'un tiers du temps"
MESURES_USUELLES = (
    TIERS_TEMPS,
    "Assistance d'un secrétaire (scripteur)",
    "Installation dans une salle à part",
    "Sujets en gros caractères",
    "Utilisation d'un ordinateur",
    "Temps de pause",
    "Accessibilité de la salle aux personnes à mobilité réduite",
)

# ASCII digits only (int() would also read « ０８:３０ »), matched whole with fullmatch.
_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", re.ASCII)
_HEURE = re.compile(r"\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*", re.ASCII)
_DUREE_HM = re.compile(r"\s*(\d{1,2})\s*[:hH]\s*(\d{0,2})\s*", re.ASCII)


# --- aménagements ------------------------------------------------------------------------------

@dataclass
class SaisieDecision:
    statut: str = StatutAmenagement.DEMANDE
    mesures: list[str] = field(default_factory=list)     # ticked usual measures and free-text ones
    autres_mesures: str = ""                              # free text, one measure per line
    majoration_temps: int | str = 0                       # percent
    motif: str = ""


def valider_decision(saisie: SaisieDecision) -> tuple[str, list[str], int, str]:
    """(statut, measures, extra time %, motif) checked; a refusal or a pending request grants nothing."""
    erreurs: dict[str, str] = {}
    if saisie.statut not in LIBELLES_DECISIONS:
        erreurs["statut"] = "Choisissez la décision."
    mesures = [m.strip() for m in saisie.mesures if m.strip()]
    mesures += [x.strip() for x in saisie.autres_mesures.splitlines() if x.strip()]
    mesures = list(dict.fromkeys(mesures))
    lue = entier_ascii(str(saisie.majoration_temps).strip() or 0)
    if lue is None or not 0 <= lue <= 100:
        erreurs["majoration_temps"] = "La majoration du temps est un pourcentage entier entre 0 et 100."
    majoration = lue if lue is not None and 0 <= lue <= 100 else 0
    motif = saisie.motif.strip()
    if saisie.statut in STATUTS_ACCORDES:
        if not mesures:
            erreurs["mesures"] = "Cochez ou saisissez au moins une mesure accordée."
        if TIERS_TEMPS in mesures and majoration == 0 and "majoration_temps" not in erreurs:
            erreurs["majoration_temps"] = "Indiquez la majoration du temps accordée (33 % pour un tiers-temps)."
    else:
        mesures, majoration = [], 0
    if saisie.statut == StatutAmenagement.REFUSE and not motif:
        erreurs["motif"] = "Indiquez le motif du refus."
    erreurs.update(erreurs_caracteres(vars(saisie), multilignes=("autres_mesures", "motif")))
    if erreurs:
        raise ValidationError(erreurs)
    return saisie.statut, mesures, majoration, motif


def majoration_minutes(duree: int, pourcentage: int) -> int:
    """Extra time in whole minutes: a third of 2 h (33 %) is 40 min."""
    if pourcentage in (33, 34):
        return round(duree / 3)
    return round(duree * pourcentage / 100)


# --- timetable ---------------------------------------------------------------------------------

def fin(debut: datetime, minutes: int) -> datetime:
    return debut + timedelta(minutes=minutes)


def duree_minutes(texte: str) -> int | None:
    """'90' → 90, '1:30' / '1h30' / '2h' → minutes; None when unreadable."""
    t = (texte or "").strip(" \t\r\n")   # ASCII blanks: str.strip() would also drop \x85 or \x1f
    if chiffres_ascii(t):
        return int(t) if len(t) <= 6 else None  # int() refuses thousands of digits; no épreuve lasts years
    if m := _DUREE_HM.fullmatch(t):
        minutes = int(m.group(2) or 0)
        return int(m.group(1)) * 60 + minutes if minutes < 60 else None
    return None


def format_duree(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if h and m else (f"{h} h" if h else f"{m} min")


def lire_debut(date: str, heure: str, e: dict[str, str]) -> datetime | None:
    """A créneau's start typed as « jj/mm/aaaa » and « hh:mm » (Paris time), in UTC; the problems go
    to ``e`` under "date" and "heure"."""
    jour = None
    if not date.strip():
        e["date"] = MESSAGE_OBLIGATOIRE
    elif m := _DATE.fullmatch(normaliser_date(date)):
        try:
            jour = datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            e["date"] = "Cette date n'existe pas."
        # Year 1 or 9999 would leave the datetime range once moved to UTC.
        if jour is not None and not 1900 <= jour.year <= 2100:
            jour, e["date"] = None, "L'année doit être comprise entre 1900 et 2100."
    else:
        e["date"] = "Date au format jj/mm/aaaa (exemple : 16/06/2025)."
    lue = None
    if not heure.strip():
        e["heure"] = MESSAGE_OBLIGATOIRE
    elif (m2 := _HEURE.fullmatch(heure)) and int(m2.group(1)) < 24 and int(m2.group(2) or 0) < 60:
        lue = (int(m2.group(1)), int(m2.group(2) or 0))
    else:
        e["heure"] = "Heure au format hh:mm, heure de Paris (exemple : 08:30)."
    if jour is None or lue is None:
        return None
    return depuis_paris(jour.replace(hour=lue[0], minute=lue[1]))


# --- seating and convocations ------------------------------------------------------------------

def departement_candidat(code_postal: str | None, commune_code: str | None, pays: str | None) -> str | None:
    """The département of the candidature's address: from the INSEE commune code, else the postcode."""
    if pays and pays != PAYS_FRANCE:
        return None
    code = (commune_code or "").strip().upper()
    if len(code) == 5:
        return code[:3] if code.startswith("97") or code.startswith("98") else code[:2]
    cp = (code_postal or "").replace(" ", "")
    if len(cp) != 5 or not chiffres_ascii(cp):
        return None
    if cp.startswith(("97", "98")):
        return cp[:3]
    if cp.startswith("20"):
        return "2A" if int(cp) < 20200 else "2B"
    return cp[:2]


def epreuves_a_convoquer(choix: Sequence[tuple[str, str | None, str, int, int, str, str | None]],
                         planifiees: set[str]) -> list[tuple[str, str | None, str]]:
    """The candidature's ponctual épreuves (Inscrit, 1st group) with no créneau yet: the leaves not
    covered by a créneau of their own, of an ancestor or of a descendant (the timetable may hold E4
    as a whole or E4-A and E4-B). ``choix``: (code, unité, intitulé, niveau, groupe, position, mode)
    in the tree's order."""
    out = []
    pile: list[tuple[int, str]] = []          # ancestors of the current row: (niveau, code)
    for i, (code, unite, intitule, niveau, groupe, position, mode) in enumerate(choix):
        while pile and pile[-1][0] >= niveau:
            pile.pop()
        ancetres = [c for _n, c in pile]
        pile.append((niveau, code))
        feuille = i + 1 >= len(choix) or choix[i + 1][3] <= niveau
        if groupe != 1 or position != INSCRIT or mode != PONCTUEL or not feuille:
            continue
        if code in planifiees or any(a in planifiees for a in ancetres):
            continue
        out.append((code, unite, intitule))
    # A descendant's créneau covers its parent, not its siblings: nothing more to drop for leaves.
    return out
