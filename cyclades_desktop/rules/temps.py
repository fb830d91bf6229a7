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
