"""Every module of the program imports, and every module named in a string exists.

Areas of the main window (ui/zones.py) and CLI subcommands (commandes/) are loaded by name at run
time: nothing else imports them, so a move or a broken import there would only show when a user
opens the area. Importing each module here catches it at once, whatever the tests cover."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import cyclades_desktop

# __main__ starts the application. Alembic runs the migrations itself: env.py needs its running
# context, and the scripts of versions/ are loaded from their files (their names are not identifiers).
EXCLUS = ("cyclades_desktop.__main__", "cyclades_desktop.storage.migrations.")


def _modules(dossiers: list[str], prefixe: str) -> list[str]:
    """The modules under a package, found on disk without importing them (pkgutil.walk_packages
    imports each package to go down, and silently skips a package whose import fails)."""
    noms: list[str] = []
    for info in pkgutil.iter_modules(dossiers, prefixe):
        noms.append(info.name)
        if info.ispkg:
            dossier = Path(info.module_finder.path) / info.name.rsplit(".", 1)[1]  # type: ignore[union-attr]
            noms += _modules([str(dossier)], f"{info.name}.")
    return noms


MODULES = sorted(n for n in _modules(list(cyclades_desktop.__path__), "cyclades_desktop.")
                 if not n.startswith(EXCLUS))


def test_les_modules_sont_trouves():
    # A guard on the walk itself: an empty or truncated list would make the tests below pass vacuously.
    assert {"cyclades_desktop.app", "cyclades_desktop.cli", "cyclades_desktop.ui.zones",
            "cyclades_desktop.services.noyau.audit", "cyclades_desktop.commandes.sauvegarde"} <= set(MODULES)


@pytest.mark.parametrize("nom", MODULES)
def test_le_module_s_importe(nom: str):
    importlib.import_module(nom)


def test_chaque_zone_nomme_une_classe_qui_existe():
    from PySide6.QtWidgets import QWidget

    from cyclades_desktop.ui.zones import ZONES

    assert ZONES
    for zone in ZONES:
        module, _, classe = zone.module.partition(":")
        assert module in MODULES, zone.module
        fabrique = getattr(importlib.import_module(module), classe, None)
        assert isinstance(fabrique, type) and issubclass(fabrique, QWidget), zone.module


def test_chaque_module_de_commandes_apporte_ses_commandes():
    from cyclades_desktop import commandes

    noms = [n for n in MODULES if n.startswith("cyclades_desktop.commandes.")]
    assert noms
    for nom in noms:
        apport = getattr(importlib.import_module(nom), "COMMANDES", None)
        assert apport and all(isinstance(c, commandes.Commande) for c in apport), nom
    toutes = [c.nom for c in commandes.toutes()]
    assert len(toutes) == len(set(toutes))
