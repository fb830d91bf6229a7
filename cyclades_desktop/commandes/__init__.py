"""Subcommands of cyclades-desktop-admin contributed by each area (backups, audit, RGPD, e-mail…).

Each module here defines ``COMMANDES``: a list of :class:`Commande`. The CLI finds them by itself,
so adding a command never means editing ``cli.py``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from ..services.noyau import Contexte


@dataclass(frozen=True)
class Commande:
    nom: str
    aide: str
    # Runs with a prepared context (database migrated, système as the agent); returns the exit code.
    executer: Callable[[Contexte, argparse.Namespace], int]
    configurer: Callable[[argparse.ArgumentParser], None] = field(default=lambda p: None)
    # False for commands that must not open (or migrate) the database first, e.g. restore.
    avec_contexte: bool = True
    executer_sans_contexte: Callable[[str, argparse.Namespace], int] | None = None


def toutes() -> list[Commande]:
    out: list[Commande] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        out.extend(getattr(module, "COMMANDES", []))
    return out
