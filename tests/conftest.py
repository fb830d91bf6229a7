"""Shared fixtures: offscreen Qt, a real database per test, a fixed clock, staff of each role.

The database is a SQLite file copied from a migrated template with the référentiel loaded; when
``CYCLADES_TEST_PG`` names a PostgreSQL server (an admin URL such as
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``, see scripts/postgres.sh) it is instead
a database created from a migrated template database (``CREATE DATABASE … TEMPLATE``), dropped
after the test. Tests marked ``sqlite_seulement`` are skipped on PostgreSQL, tests marked
``postgres_seulement`` run only there."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import queue
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.engine import URL, make_url

from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.noyau import securite
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.personnel import agents as staff
from cyclades_desktop.services.referentiel import chargement
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database

# 10/11/2024 11:00 Paris: BCP 2025 registrations are open (04/11 → 03/12/2024).
INSTANT = datetime(2024, 11, 10, 10, 0, tzinfo=UTC)
MOT_DE_PASSE_AGENT = "Bureau-DEC-2024"
# Cheap Argon2 parameters for the whole session (each xdist worker imports this file): the recommended
# ones cost a fifth of a second per hash. tests/unit/test_securite.py checks the program's own.
securite.utiliser_parametres_de_test()

# Property-based tests (tests/unit/test_fuzz_validateurs.py): a quick run while developing, 1,000 examples
# per property in CI (CI=true), 10,000 on demand (HYPOTHESIS_PROFILE=long). CI and long runs are
# derandomized, so a failure there comes back on the next run, and keep no example database.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=1_000, deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.register_profile("long", max_examples=10_000, deadline=None, derandomize=True, database=None,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

ENV_TEST_PG = "CYCLADES_TEST_PG"
PG_ADMIN_URL: str | None = os.environ.get(ENV_TEST_PG) or None
SUR_POSTGRES = PG_ADMIN_URL is not None


def pytest_report_header(config: pytest.Config) -> str:
    moteur = make_url(PG_ADMIN_URL).render_as_string(hide_password=True) if PG_ADMIN_URL else "SQLite"
    return f"cyclades: base de test {moteur}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    sauter_sqlite = pytest.mark.skip(reason="propre à SQLite (fichier, WAL, PRAGMA)")
    sauter_pg = pytest.mark.skip(reason=f"seulement sur PostgreSQL ({ENV_TEST_PG} non défini)")
    for item in items:
        if SUR_POSTGRES and "sqlite_seulement" in item.keywords:
            item.add_marker(sauter_sqlite)
        if not SUR_POSTGRES and "postgres_seulement" in item.keywords:
            item.add_marker(sauter_pg)


def pg_admin_connect():  # type: ignore[no-untyped-def]
    """An autocommit psycopg connection to the server's maintenance database: CREATE/DROP
    DATABASE cannot run inside a transaction."""
    import psycopg

    assert PG_ADMIN_URL is not None
    u = make_url(PG_ADMIN_URL)
    return psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                           password=u.password, dbname=u.database or "postgres", autocommit=True)


def pg_url(nom_base: str) -> str:
    assert PG_ADMIN_URL is not None
    url: URL = make_url(PG_ADMIN_URL).set(database=nom_base)
    return url.render_as_string(hide_password=False)


def _arreter_les_minuteurs() -> None:
    """Windows a test leaves open keep their timers and workers (the pieces grid reloads on a timer):
    on PostgreSQL the test's database is dropped, so they must not wake up in the next test."""
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for w in QApplication.topLevelWidgets():
        for minuteur in w.findChildren(QTimer):
            minuteur.stop()
    QThreadPool.globalInstance().waitForDone(30_000)


def pg_supprimer_base(nom_base: str) -> None:
    with pg_admin_connect() as con:
        # Windows opened by a test keep pooled connections: end them, then drop.
        con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (nom_base,))
        con.execute(f'DROP DATABASE IF EXISTS "{nom_base}" WITH (FORCE)')


@pytest.fixture(scope="session")
def qapp(qapp):  # type: ignore[no-untyped-def]
    """pytest-qt's application, with Qt's French catalogues installed as app.py does at start-up,
    before any widget: tests see the buttons and menus the office sees."""
    from cyclades_desktop.ui.langue import installer_traductions

    installer_traductions(qapp)
    return qapp


@pytest.fixture(scope="session")
def base_modele(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | str]:
    """The migrated template with the référentiel loaded: a SQLite file, or on PostgreSQL the
    name of a template database (unique, so two runs can share a server)."""
    if SUR_POSTGRES:
        nom = f"cyclades_modele_{uuid.uuid4().hex[:10]}"
        with pg_admin_connect() as con:
            con.execute(f'CREATE DATABASE "{nom}"')
        try:
            db = Database(pg_url(nom))
            migrate.upgrade(db)
            chargement.charger_si_vide(Contexte(db))
            db.dispose()  # a template must have no connection when it is copied
            yield nom
        finally:
            pg_supprimer_base(nom)
        return
    path = tmp_path_factory.mktemp("modele") / "modele.sqlite"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    chargement.charger_si_vide(Contexte(db))
    db.dispose()
    con = sqlite3.connect(path)  # fold the WAL into the file so a plain copy is complete
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    yield path


class FabriqueBasesPG:
    """Per-test databases copied from the template by one worker thread, ahead of the tests that
    take them, and dropped behind them by another: the server copies and drops while the tests run,
    on the other core, instead of between two tests, and a copy never waits behind a drop."""

    AVANCE = 2

    def __init__(self, modele: str) -> None:
        self.modele = modele
        self.pretes: queue.Queue[str | BaseException] = queue.Queue()
        self.ordres: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.suppressions: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.fils = [threading.Thread(target=self._travailler, args=(file,), name=f"bases-postgresql-{i}",
                                      daemon=True) for i, file in enumerate((self.ordres, self.suppressions))]
        for fil in self.fils:
            fil.start()
        for _ in range(self.AVANCE):
            self.ordres.put(("creer", ""))

    def _travailler(self, ordres: queue.Queue[tuple[str, str] | None]) -> None:
        while (ordre := ordres.get()) is not None:
            action, nom = ordre
            try:
                if action == "creer":
                    nom = f"t_{uuid.uuid4().hex[:16]}"
                    with pg_admin_connect() as con:
                        # From PostgreSQL 15 a copy goes block by block through the WAL by default;
                        # copying the files costs half as much for a template this small.
                        strategie = " STRATEGY FILE_COPY" if con.info.server_version >= 150000 else ""
                        con.execute(f'CREATE DATABASE "{nom}" TEMPLATE "{self.modele}"{strategie}')
                    self.pretes.put(nom)
                else:
                    pg_supprimer_base(nom)
            except BaseException as exc:  # noqa: BLE001 - handed to the test that waits for a base
                if action == "creer":
                    self.pretes.put(exc)

    def prendre(self) -> str:
        self.ordres.put(("creer", ""))        # the next test's, made while this one runs
        nom = self.pretes.get(timeout=600)
        if isinstance(nom, BaseException):
            raise nom
        return nom

    def rendre(self, nom: str) -> None:
        self.suppressions.put(("supprimer", nom))

    def fermer(self) -> None:
        self.ordres.put(None)
        self.suppressions.put(None)
        for fil in self.fils:
            fil.join(timeout=300)
        while not self.pretes.empty():
            nom = self.pretes.get()
            if isinstance(nom, str):
                pg_supprimer_base(nom)


@pytest.fixture(scope="session")
def fabrique_pg(base_modele: Path | str) -> Iterator[FabriqueBasesPG]:
    assert isinstance(base_modele, str)
    fabrique = FabriqueBasesPG(base_modele)
    yield fabrique
    fabrique.fermer()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, base_modele: Path | str,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if SUR_POSTGRES:
        fabrique: FabriqueBasesPG = request.getfixturevalue("fabrique_pg")
        nom = fabrique.prendre()
        # No SQLite file to sit beside: the file store goes where an office would put it.
        monkeypatch.setenv("CYCLADES_FICHIERS_DIR", str(tmp_path / "fichiers"))
        try:
            yield pg_url(nom)
        finally:
            _arreter_les_minuteurs()
            fabrique.rendre(nom)
        return
    target = tmp_path / "cyclades.sqlite"
    assert isinstance(base_modele, Path)
    shutil.copyfile(base_modele, target)
    yield f"sqlite:///{target}"


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
