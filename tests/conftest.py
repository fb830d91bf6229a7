"""Shared fixtures: offscreen Qt, a real SQLite file per test (copied from a migrated template
with the référentiel loaded), a fixed clock, staff of each role."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services import chargement, staff
from cyclades_desktop.services.contexte import Contexte
from cyclades_desktop.services.permissions import Role
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database

# 10/11/2024 11:00 Paris: BCP 2025 registrations are open (04/11 → 03/12/2024).
INSTANT = datetime(2024, 11, 10, 10, 0, tzinfo=UTC)
MOT_DE_PASSE_AGENT = "Bureau-DEC-2024"


@pytest.fixture(scope="session")
def base_modele(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("modele") / "modele.sqlite"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    chargement.charger_si_vide(Contexte(db))
    db.dispose()
    con = sqlite3.connect(path)  # fold the WAL into the file so a plain copy is complete
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


@pytest.fixture
def db_url(tmp_path: Path, base_modele: Path) -> str:
    target = tmp_path / "cyclades.sqlite"
    shutil.copyfile(base_modele, target)
    return f"sqlite:///{target}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(INSTANT)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    yield db
    db.dispose()


@pytest.fixture
def ctx_anonyme(database: Database, clock: FixedClock) -> Contexte:
    return Contexte(database, clock)


@pytest.fixture
def chef(ctx_anonyme: Contexte) -> Contexte:
    agent = staff.creer_premier_chef(ctx_anonyme, staff.SaisieAgent(
        login="chef", nom="Dano", prenom="Carole", mot_de_passe=MOT_DE_PASSE_AGENT,
        mot_de_passe_confirmation=MOT_DE_PASSE_AGENT))
    return ctx_anonyme.avec_agent(agent)


@pytest.fixture
def creer_agent(chef: Contexte) -> Callable[..., Contexte]:
    def fabrique(login: str, role: str = Role.AGENT, portefeuilles: list[str] | None = None) -> Contexte:
        agent = staff.creer_agent(chef, staff.SaisieAgent(
            login=login, nom=login.upper(), prenom="Test", role=role, portefeuilles=portefeuilles or [],
            mot_de_passe=MOT_DE_PASSE_AGENT, mot_de_passe_confirmation=MOT_DE_PASSE_AGENT))
        return chef.avec_agent(agent)
    return fabrique


@pytest.fixture
def accueil(creer_agent: Callable[..., Contexte]) -> Contexte:
    return creer_agent("accueil", Role.AGENT)


@pytest.fixture
def gestionnaire(creer_agent: Callable[..., Contexte]) -> Contexte:
    return creer_agent("gestion", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])
