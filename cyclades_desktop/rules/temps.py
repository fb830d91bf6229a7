"""Time: stored in UTC, shown in Paris time; the clock is injected so deadlines are testable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre"]


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests and tools: starts at ``instant`` and moves only when told."""

    instant: datetime

    def __post_init__(self) -> None:
        if self.instant.tzinfo is None:
            self.instant = self.instant.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self.instant

    def advance(self, **kwargs: float) -> None:
        self.instant = self.instant + timedelta(**kwargs)


def paris(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(PARIS)


def depuis_paris(naive_local: datetime) -> datetime:
    """A wall-clock Paris time (as written in the notices) to aware UTC."""
    return naive_local.replace(tzinfo=PARIS).astimezone(UTC)


# --- deadlines ---------------------------------------------------------------------------------------
# The notices write a deadline to the minute, « au plus tard le … 23:59 (heure de Paris) »: that whole
# minute is still in time, the next one is late (docs/domaine/justificatifs.md#echeances). Paris
# offsets are whole hours, so a Paris minute starts and ends with the UTC one, across clock changes too.

def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def fin_du_delai(limite: datetime) -> datetime:
    """The first instant that is late for a deadline written to the minute (UTC)."""
    return _utc(limite).replace(second=0, microsecond=0) + timedelta(minutes=1)


def dans_le_delai(instant: datetime, limite: datetime) -> bool:
    """THE deadline rule: ``instant`` (a deposit, a reception, now) is in time for ``limite``,
    through the last second of its minute. Every deadline and closing is compared through it."""
    return _utc(instant) < fin_du_delai(limite)


def limites_depassees_avant(maintenant: datetime) -> datetime:
    """For SQL: the deadlines strictly before the returned instant are passed at ``maintenant``
    (``not dans_le_delai(maintenant, limite)`` ⟺ ``limite < limites_depassees_avant(maintenant)``)."""
    return _utc(maintenant).replace(second=0, microsecond=0)


def jour_dans_le_delai(jour: date, limite: datetime) -> bool:
    """A day without a time (a postmark, a reception date) is in time up to the deadline's Paris day:
    « le cachet de la poste faisant foi » dates the envelope, not the minute."""
    return jour <= paris(limite).date()


def debut_du_jour(jour: date) -> datetime:
    """Midnight at the start of a Paris day, in UTC."""
    return depuis_paris(datetime(jour.year, jour.month, jour.day))


def normaliser_date(texte: str | None) -> str:
    """« 14031995 » → « 14/03/1995 »: at the counter a date is typed as its eight digits as well as with its
    slashes. Any other text comes back stripped, for the date checks to judge."""
    # ASCII blanks only: str.strip() would also drop U+2028, U+0085 or U+001F, which no date holds.
    t = (texte or "").strip(" \t\r\n")
    if len(t) == 8 and t.isascii() and t.isdigit():
        return f"{t[:2]}/{t[2:4]}/{t[4:]}"
    return t


def format_date(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = paris(d)
    return d.strftime("%d/%m/%Y")


def format_date_heure(dt: datetime | None) -> str:
    """'13/12/2023 23:59' in Paris time."""
    if dt is None:
        return ""
    return paris(dt).strftime("%d/%m/%Y %H:%M")


def format_date_longue(dt: datetime) -> str:
    """'mercredi 13 décembre 2023 à 23:59' in Paris time."""
    p = paris(dt)
    return f"{JOURS[p.weekday()]} {p.day} {MOIS[p.month - 1]} {p.year} à {p:%H:%M}"


def format_date_texte(dt: datetime) -> str:
    """'01 novembre 2021 08:00' (the period line, docs/domaine/inscriptions.md#periode)."""
    p = paris(dt)
    return f"{p.day:02d} {MOIS[p.month - 1]} {p.year} {p:%H:%M}"


def age_le(naissance: date, jour: date) -> int:
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))
