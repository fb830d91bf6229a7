"""Backups (services/sauvegardes): the office's backup settings and their checks, which daily backups the
rotation keeps, and how program versions compare when a backup is restored. Writing, listing and
restoring backups live in the services."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from .errors import DomainError
from .temps import paris

_HEURE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class ParametresSauvegarde:
    dossier: str = ""              # empty: « sauvegardes » beside the SQLite file (or the data folder)
    heure: str = "12:30"           # daily backup once this Paris time has passed (lunch break)
    quotidiennes: int = 7
    hebdomadaires: int = 4
    automatique: bool = True       # the application itself runs the daily backup (SQLite workstation)


def verifier_parametres(p: ParametresSauvegarde) -> None:
    """DomainError with the French reason when the settings cannot be saved."""
    if not _HEURE.fullmatch(p.heure):
        raise DomainError("L'heure de la sauvegarde quotidienne doit être de la forme HH:MM, par exemple 12:30.")
    if not 1 <= p.quotidiennes <= 365 or not 0 <= p.hebdomadaires <= 520:
        raise DomainError("Conservez de 1 à 365 sauvegardes quotidiennes et de 0 à 520 hebdomadaires.")


class Datee(Protocol):
    """What the rotation needs of a backup: where it is and when it was made (UTC)."""

    @property
    def chemin(self) -> Path: ...

    @property
    def cree_le(self) -> datetime: ...


def a_conserver(sauvegardes: Sequence[Datee], quotidiennes: int, hebdomadaires: int) -> set[Path]:
    """The newest backup of each of the last ``quotidiennes`` days that have one, then the newest of
    each of the ``hebdomadaires`` (ISO) weeks before those."""
    par_jour: dict[date, Datee] = {}
    for s in sorted(sauvegardes, key=lambda x: x.cree_le, reverse=True):
        par_jour.setdefault(paris(s.cree_le).date(), s)
    jours = sorted(par_jour, reverse=True)
    gardees = {par_jour[j].chemin for j in jours[:quotidiennes]}
    semaines: dict[tuple[int, int], Datee] = {}
    for j in jours[quotidiennes:]:
        iso = j.isocalendar()
        semaines.setdefault((iso.year, iso.week), par_jour[j])
    for cle in sorted(semaines, reverse=True)[:hebdomadaires]:
        gardees.add(semaines[cle].chemin)
    return gardees


def version_programme(texte: str) -> tuple[int, ...]:
    """« 1.4.2 », « v1.4 » → (1, 4, 2), (1, 4): comparable; (0,) when there is no number."""
    return tuple(int(x) for x in re.findall(r"\d+", texte)[:3]) or (0,)
