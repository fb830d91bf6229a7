"""What the « Convocation aux épreuves » and the « Notification de mesures d'aménagements » print:
plain, picklable values (no ORM object), so batches can be rendered by worker processes."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from .donnees import EnTeteBureau


@dataclass(frozen=True)
class EpreuveConvoquee:
    code: str                        # "E1-A"
    unite: str | None                # "U11"
    intitule: str                    # "Mathématiques"
    debut: datetime | None = None    # aware UTC; None: « date communiquée ultérieurement »
    duree_minutes: int = 0           # as in the timetable, before any extra time
    majoration_minutes: int = 0      # extra time granted (aménagement)
    type: str = ""                   # "Écrit", "Oral", "Pratique"
    centre: str = ""                 # "LP FERNAND LEGERE"
    centre_adresse: tuple[str, ...] = ()   # ("6 RUE RENE GIRARDOT", "25404 AUDINCOURT CEDEX")
    centre_telephone: str = ""
    salle: str = ""


@dataclass(frozen=True)
class DonneesConvocation:
    """One candidature's convocation (one page, more when it has many épreuves)."""

    candidature_id: int
    domaine: str                     # "BACCALAURÉAT PROFESSIONNEL"
    specialite: str                  # "Aéronautique option Systèmes (25303)"
    version: int
    version_le: datetime             # aware; « Version n°N mis à jour le dd/mm/yyyy hh:mm »
    numero_candidat: str
    numero_inscription: str
    session: str
    bureau: EnTeteBureau
    civilite: str                    # "MADAME" / "MONSIEUR"
    nom: str
    prenoms: str
    adresse: tuple[str, ...]
    epreuves: tuple[EpreuveConvoquee, ...]   # dated ones by start time, then those without a date
    amenagements: tuple[str, ...] = ()       # measures granted (accordé or accordé partiellement)
    majoration_temps: int = 0                # percent, already applied to the épreuves' majoration_minutes


@dataclass(frozen=True)
class DonneesNotification:
    """« Notification de mesures d'aménagements »: the office's decision on a handicap request."""

    candidature_id: int
    domaine: str
    specialite: str
    version: int
    version_le: datetime
    numero_candidat: str
    numero_inscription: str
    session: str
    bureau: EnTeteBureau
    civilite: str
    nom: str
    prenoms: str
    adresse: tuple[str, ...]
    statut: str                      # "accorde", "partiel", "refuse", "demande"
    statut_libelle: str              # "Accordé partiellement"
    mesures: tuple[str, ...]
    majoration_temps: int
    motif: str
    decide_le: datetime | None
    decide_par: str                  # the agent's displayed name


# --- content fingerprint -------------------------------------------------------------------------
#
# The SHA-256 of what a convocation says, whatever its version: written into the PDF's /Keywords when
# it is rendered (documents.convocation.rendre), so the publication's analysis compares the current
# data's fingerprint with the last published version's without rendering anything again. Bump
# FORMAT_EMPREINTE when the serialisation changes (or when a layout change must reach every candidate:
# each convocation then counts as changed once).

FORMAT_EMPREINTE = "convocation/1"
MARQUE_EMPREINTE = "cyclades-empreinte-contenu:sha256:"
# How reportlab writes the Info dictionary's /Keywords (an ASCII string, uncompressed, in parentheses).
OCTETS_EMPREINTE = b"/Keywords (" + MARQUE_EMPREINTE.encode("ascii")
_RE_EMPREINTE = re.compile(re.escape(OCTETS_EMPREINTE) + rb"([0-9a-f]{64})\)")
# Not part of what the page says: the record's id, and the version's number and date (the same content
# published again would get a new number and date).
_HORS_EMPREINTE = ("candidature_id", "version", "version_le")


def _json(valeur: object) -> str:
    if isinstance(valeur, datetime):
        return valeur.astimezone(UTC).isoformat() if valeur.tzinfo else valeur.isoformat()
    raise TypeError(f"non sérialisable : {type(valeur).__name__}")


def _champs(objet: object) -> dict[str, object]:
    """A dataclass's fields by name (dataclasses.asdict without its recursion and deep copies)."""
    return {f.name: getattr(objet, f.name) for f in fields(objet)}  # type: ignore[arg-type]


def empreinte(d: DonneesConvocation) -> str:
    """SHA-256 (hex) of a canonical JSON of every field printed on the convocation (identity, address,
    office header, épreuves with date, duration, type, centre and room, aménagements…), version number
    and date excluded. Microseconds: no rendering."""
    champs = _champs(d)
    # The nested values; any other dataclass would make json.dumps fail loudly (see _json).
    champs["bureau"] = _champs(d.bureau)
    champs["epreuves"] = [_champs(e) for e in d.epreuves]
    for cle in _HORS_EMPREINTE:
        del champs[cle]
    texte = json.dumps([FORMAT_EMPREINTE, champs], sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                       default=_json)
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def mots_cles(d: DonneesConvocation) -> str:
    """The PDF's /Keywords: the content fingerprint."""
    return MARQUE_EMPREINTE + empreinte(d)


def lire_empreinte(octets: bytes) -> str | None:
    """The content fingerprint written in a convocation PDF (or in a slice of it starting at the
    /Keywords entry); None for a PDF rendered before fingerprints existed. The Info dictionary sits near
    the end of reportlab's output: searched from the end, the page streams are never scanned."""
    debut = octets.rfind(OCTETS_EMPREINTE)
    if debut < 0:
        return None
    m = _RE_EMPREINTE.match(octets, debut)
    return m.group(1).decode("ascii") if m else None
