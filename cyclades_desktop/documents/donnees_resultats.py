"""What the documents of the exam days and of the results print (docs/domaine/resultats.md): plain,
picklable values prepared by the services, so batches render in worker processes.

Grades, averages and points arrive already written in French (« 12,50 ») by the service, which has the
rules (``rules.deliberation_donnees.fr`` shows four decimals next to a threshold the rounding would
reach); the renderers print them as they are and never compute a result. Times are aware datetimes,
printed in Paris time. Smallest use::

    d = DonneesReleve(1, "BACCALAURÉAT PROFESSIONNEL", "Aéronautique (25303)", "2025", 1, le, bureau,
                      candidat, unites=(LigneNoteReleve("E1-A", "Mathématiques", "U11", "2", "12,50",
                      "25,00"),), moyenne_generale="12,50", decision="Admis")
    octets = documents.releve.rendre_releve(d)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime

from ..rules.codes_epreuves import titre_epreuve
from ..rules.temps import JOURS, format_date, paris
from .donnees import EnTeteBureau
from .donnees_convocation import MARQUE_EMPREINTE


@dataclass(frozen=True)
class IdentiteCandidat:
    """The candidate's block of the relevé and the attestations."""

    civilite: str                    # "MADAME" / "MONSIEUR" (chooses « née », « admise »)
    nom: str                         # "NGMB-DUPONT"
    prenoms: str                     # "Jeanne Marie"
    date_naissance: date
    numero_candidat: str
    numero_inscription: str = ""     # "001"
    lieu_naissance: str = ""         # "MARSEILLE (13)"
    adresse: tuple[str, ...] = ()    # printed beside the office's block (window envelope)
    etablissement: str = ""          # "LP FERNAND LEGERE (0250001R)"; "" for an individual candidate
    categorie: str = ""              # "INDIVIDUEL"


@dataclass(frozen=True)
class Signature:
    """Who signs a document issued by the office (attestations)."""

    qualite: tuple[str, ...]         # ("Pour le recteur et par délégation,", "le chef de la division…")
    nom: str = ""                    # printed under the space left for the signature
    lieu: str = ""                   # « Fait à Aix-en-Provence, le … »


# --- relevé de notes (RES-15) ----------------------------------------------------------------------

@dataclass(frozen=True)
class LigneNoteReleve:
    """One unit of the relevé, in the épreuves tree's order."""

    code: str                        # "E1-A"
    intitule: str                    # "Mathématiques"
    unite: str | None                # "U11"
    coefficient: str                 # "2", "0,5"; "" when the unit has none (facultative, dispense)
    note: str                        # "12,50", "ABS", "ABJ", "DI", "Dispense"; "" when not graded
    points: str = ""                 # note × coefficient, "25,00"; "" when the unit does not count
    observation: str = ""            # "Bénéfice (session 2023)", "Contrôle : 11,00 (note retenue)"…
    niveau: int = 0                  # 0: an épreuve; 1: its part (E1-A under E1), indented


@dataclass(frozen=True)
class DonneesReleve:
    """One candidature's relevé de notes (one page, two with many units), versioned like the other
    documents of « Mes documents » (docs/domaine/documents.md#versions)."""

    candidature_id: int
    domaine: str                     # "BACCALAURÉAT PROFESSIONNEL"
    specialite: str                  # "Aéronautique option Systèmes (25303)"
    session: str                     # "2025"
    version: int
    version_le: datetime             # aware
    bureau: EnTeteBureau
    candidat: IdentiteCandidat
    unites: tuple[LigneNoteReleve, ...]                 # obligatory units
    facultatives: tuple[LigneNoteReleve, ...] = ()
    moyenne_generale: str | None = None                 # the one that decided ("11,50"); None: none
    moyenne_enseignement_general: str | None = None
    moyenne_professionnelle: str | None = None
    moyenne_premier_groupe: str | None = None           # BCP after contrôle: the 1st group's average
    points_facultatives: str = ""                       # points above 10, included in moyenne_generale
    points_jury: str = ""                               # "0,25"; "" when the jury added none
    moyenne_avant_jury: str = ""                        # moyenne_generale without the jury's points
    decision: str = ""                                  # "Admis", "Ajourné", rules.deliberation.Decision
    mention: str = ""                                   # "Bien"; "" without mention
    delibere_le: date | None = None                     # the jury's date
    unites_a_presenter: tuple[str, ...] = ()            # progressive form: "U2 – Analyse…" still to sit


# --- the exam days (RES-1, RES-2) ------------------------------------------------------------------

@dataclass(frozen=True)
class SeanceImprimee:
    """One épreuve's sitting in one room: what the émargement, the door list and the labels share."""

    session: str                     # "2025"
    domaine: str                     # "BACCALAURÉAT PROFESSIONNEL"
    specialite: str                  # "Aéronautique option Systèmes (25303)"; "" for a common épreuve
    code: str                        # "E1-A"
    unite: str | None                # "U11"
    intitule: str                    # "Mathématiques"
    debut: datetime                  # aware; printed « lundi 12/05/2025 à 08 h 00 (heure de Paris) »
    duree_minutes: int
    centre: str                      # "LP FERNAND LEGERE"
    salle: str                       # "B12"
    centre_ville: str = ""           # "AUDINCOURT"


@dataclass(frozen=True)
class CandidatEmargement:
    numero_candidat: str
    nom: str
    prenoms: str
    date_naissance: date
    numero_table: str = ""           # "12"; "" leaves the box to fill by hand


@dataclass(frozen=True)
class DonneesEmargement:
    """The candidates seated for one sitting, in seating order (the service sorts them)."""

    bureau: EnTeteBureau
    seance: SeanceImprimee
    candidats: tuple[CandidatEmargement, ...]
    surveillants: tuple[str, ...] = ()    # names when known; at least two boxes are printed


# --- PV de délibération (RES-14) -------------------------------------------------------------------

@dataclass(frozen=True)
class MembreJury:
    nom: str                         # "Mme Claire MARTIN"
    qualite: str = ""                # "Professeure de lycée professionnel, LP FERNAND LEGERE"


@dataclass(frozen=True)
class LignePV:
    numero_candidat: str
    nom: str
    prenoms: str
    moyenne: str                     # "11,25"; "—" when there is none (absent…)
    decision: str                    # "Admis", "Ajourné", "Autorisé à l'épreuve de contrôle"…
    points_jury: str = ""            # "0,25"
    mention: str = ""


@dataclass(frozen=True)
class TotauxPV:
    """Counted by the service, which knows who was present (the renderer only prints)."""

    presents: int
    admis: int
    ajournes: int
    autorises_controle: int = 0
    taux_reussite: str = ""          # "72,50 %" (admis / présents)


@dataclass(frozen=True)
class DonneesPV:
    bureau: EnTeteBureau
    session: str
    domaine: str
    specialite: str
    jury: str                        # "Jury n° 3"
    president: MembreJury
    membres: tuple[MembreJury, ...]
    delibere_le: date
    lignes: tuple[LignePV, ...]      # in the order the service gives (N° candidat)
    totaux: TotauxPV
    groupe: str = ""                 # "Premier groupe", "Second groupe (épreuve de contrôle)"
    lieu: str = ""                   # "LP FERNAND LEGERE, AUDINCOURT"


# --- attestations (RES-15) -------------------------------------------------------------------------

@dataclass(frozen=True)
class DonneesAttestationReussite:
    """For an admitted candidate; the diploma itself comes later and is not this document."""

    bureau: EnTeteBureau
    candidat: IdentiteCandidat
    diplome: str                     # "BACCALAURÉAT PROFESSIONNEL"
    specialite: str
    session: str
    delivree_le: date
    signature: Signature
    mention: str = ""                # "Bien"
    delibere_le: date | None = None


@dataclass(frozen=True)
class UniteDetenue:
    code: str                        # "E2"
    unite: str | None                # "U2"
    intitule: str
    note: str                        # "13,50"
    session: str                     # "2024", the session that gave the grade


@dataclass(frozen=True)
class DonneesAttestationUnites:
    """Units held (grade ≥ 10) by a candidate of continuing education or VAE, for a diploma not yet
    obtained."""

    bureau: EnTeteBureau
    candidat: IdentiteCandidat
    diplome: str
    specialite: str
    session: str                     # the session of this attestation
    unites: tuple[UniteDetenue, ...]
    delivree_le: date
    signature: Signature
    voie: str = ""                   # "Formation professionnelle continue", "Validation des acquis de l'expérience"


# --- formatting shared by the renderers ------------------------------------------------------------

NBSP = "\u00a0"


def heure_paris(dt: datetime) -> str:
    """« 08 h 00 (heure de Paris) »; no-break spaces keep « 08 h 00 » on one line."""
    p = paris(dt)
    return f"{p.hour:02d}{NBSP}h{NBSP}{p.minute:02d} (heure de Paris)"


def date_et_heure(dt: datetime) -> str:
    """« lundi 12/05/2025 à 08 h 00 (heure de Paris) »."""
    p = paris(dt)
    return f"{JOURS[p.weekday()]} {format_date(p)} à {heure_paris(dt)}"


def accord(civilite: str, masculin: str, feminin: str, indetermine: str | None = None) -> str:
    """« né » / « née » from the civilité, as the convocation does; without one, ``indetermine``, by
    default the masculine with the feminine ending in brackets (« né(e) »)."""
    if civilite == "MADAME":
        return feminin
    if civilite == "MONSIEUR":
        return masculin
    return indetermine or f"{masculin}({feminin.removeprefix(masculin)})"


def intitule_epreuve(code: str, unite: str | None, intitule: str) -> str:
    """« E1-A (U11) – Mathématiques », as the convocation writes it."""
    return titre_epreuve(code, unite, intitule)


# --- content fingerprint of a relevé (the same scheme as donnees_convocation.empreinte) -------------
#
# Written in the PDF's /Keywords, behind the same marker, so donnees_convocation.lire_empreinte reads it
# and a publication can tell an unchanged relevé without rendering it again.

FORMAT_EMPREINTE_RELEVE = "releve/1"
_HORS_EMPREINTE = ("candidature_id", "version", "version_le")


def _canonique(valeur: object) -> object:
    if is_dataclass(valeur) and not isinstance(valeur, type):
        return {f.name: _canonique(getattr(valeur, f.name)) for f in fields(valeur)}
    if isinstance(valeur, tuple | list):
        return [_canonique(v) for v in valeur]
    if isinstance(valeur, datetime):
        return valeur.astimezone(UTC).isoformat() if valeur.tzinfo else valeur.isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    return valeur


def empreinte_releve(d: DonneesReleve) -> str:
    """SHA-256 (hex) of what the relevé says, its version's number and date excluded."""
    champs = _canonique(d)
    assert isinstance(champs, dict)
    for cle in _HORS_EMPREINTE:
        del champs[cle]
    texte = json.dumps([FORMAT_EMPREINTE_RELEVE, champs], sort_keys=True, ensure_ascii=False,
                       separators=(",", ":"))
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def mots_cles_releve(d: DonneesReleve) -> str:
    return MARQUE_EMPREINTE + empreinte_releve(d)
