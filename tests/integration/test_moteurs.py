"""The same program on both engines: migrations from an empty database give exactly the
models' schema, and on PostgreSQL the file store is the configured shared folder."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cyclades_desktop.models import Base
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database
from cyclades_desktop.storage.fichiers import depot_de
from tests.conftest import SUR_POSTGRES, pg_admin_connect, pg_supprimer_base, pg_url


@pytest.fixture
def base_vide(tmp_path: Path) -> Iterator[Database]:
    if SUR_POSTGRES:
        nom = f"t_vide_{uuid.uuid4().hex[:12]}"
        with pg_admin_connect() as con:
            con.execute(f'CREATE DATABASE "{nom}"')
        db = Database(pg_url(nom))
        yield db
        db.dispose()
        pg_supprimer_base(nom)
    else:
        db = Database(f"sqlite:///{tmp_path / 'vide.sqlite'}")
        yield db
        db.dispose()


def test_les_migrations_donnent_exactement_le_schema_des_modeles(base_vide: Database):
    rapport = migrate.upgrade(base_vide)
    assert (rapport.before, rapport.after, rapport.backup) == (None, migrate.SCHEMA_HEAD, None)
    assert set(Base.metadata.tables) <= set(inspect(base_vide.engine).get_table_names())
    with base_vide.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert migrate.upgrade(base_vide).before == migrate.SCHEMA_HEAD    # started again: nothing to do


@pytest.mark.postgres_seulement
def test_sur_postgresql_le_depot_est_le_dossier_partage(database: Database, tmp_path: Path):
    assert database.path is None and not database.is_sqlite
    depot = depot_de(database)
    assert depot.racine == tmp_path / "fichiers"       # CYCLADES_FICHIERS_DIR, set by the fixture
    assert depot.lire(depot.ecrire(b"%PDF-1.4 essai")) == b"%PDF-1.4 essai"
