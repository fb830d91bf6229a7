from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from cyclades_desktop.models import Base
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database


def test_migration_depuis_une_base_vide_donne_le_schema_des_modeles(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'neuve.sqlite'}")
    rapport = migrate.upgrade(db)
    assert rapport.before is None and rapport.after == migrate.SCHEMA_HEAD and rapport.backup is None
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    assert migrate.upgrade(db).backup is None  # already up to date: nothing to do
    db.dispose()


def test_base_plus_recente_que_le_programme_refusee_sans_la_modifier(tmp_path: Path):
    path = tmp_path / "future.sqlite"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe9999'"))
    db.dispose()
    contenu = path.read_bytes()
    with pytest.raises(migrate.DatabaseTooNew, match="version plus récente"):
        migrate.upgrade(Database(f"sqlite:///{path}"))
    assert path.read_bytes() == contenu


def test_copie_de_sauvegarde_avant_migration(tmp_path: Path):
    """A database at an older revision is copied (WAL content included) before upgrading."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_essai.py").write_text(
        'revision = "0099"\ndown_revision = "0001"\nbranch_labels = None\ndepends_on = None\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        "def upgrade():\n    op.add_column('bureau', sa.Column('essai', sa.String(10)))\n\n"
        "def downgrade():\n    op.drop_column('bureau', 'essai')\n", encoding="utf-8")
    path = tmp_path / "ancienne.sqlite"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)  # at 0001, the program's head
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO domaine (code, libelle, libelle_majuscules, ordre) VALUES ('BCP', 'x', 'X', 1)"))
    rapport = migrate.upgrade(db, migrations=scripts)
    assert (rapport.before, rapport.after) == ("0001", "0099")
    assert rapport.backup is not None and rapport.backup.exists()
    copie = sqlite3.connect(rapport.backup)
    assert copie.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert copie.execute("SELECT code FROM domaine").fetchall() == [("BCP",)]
    copie.close()
    assert "essai" in {c["name"] for c in inspect(db.engine).get_columns("bureau")}
    db.dispose()


def test_la_revision_de_tete_declaree_est_celle_des_scripts(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert migrate.head_revision(db) == migrate.SCHEMA_HEAD
    db.dispose()
