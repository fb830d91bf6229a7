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
        f'revision = "0099"\ndown_revision = "{migrate.SCHEMA_HEAD}"\nbranch_labels = None\ndepends_on = None\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        "def upgrade():\n    op.add_column('bureau', sa.Column('essai', sa.String(10)))\n\n"
        "def downgrade():\n    op.drop_column('bureau', 'essai')\n", encoding="utf-8")
    path = tmp_path / "ancienne.sqlite"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)  # at the program's head
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO domaine (code, libelle, libelle_majuscules, ordre) VALUES ('BCP', 'x', 'X', 1)"))
    rapport = migrate.upgrade(db, migrations=scripts)
    assert (rapport.before, rapport.after) == (migrate.SCHEMA_HEAD, "0099")
    assert rapport.backup is not None and rapport.backup.exists()
    copie = sqlite3.connect(rapport.backup)
    assert copie.execute("SELECT version_num FROM alembic_version").fetchone() == (migrate.SCHEMA_HEAD,)
    assert copie.execute("SELECT code FROM domaine").fetchall() == [("BCP",)]
    copie.close()
    assert "essai" in {c["name"] for c in inspect(db.engine).get_columns("bureau")}
    db.dispose()


def test_la_revision_de_tete_declaree_est_celle_des_scripts(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert migrate.head_revision(db) == migrate.SCHEMA_HEAD
    db.dispose()


def test_une_base_de_la_version_0001_garde_ses_donnees(tmp_path: Path):
    """The foundation's released schema (0001) with an account, a candidature and a message linked
    to it: upgrading keeps every row and link, and the new columns get their defaults."""
    from alembic import command

    path = tmp_path / "v1.sqlite"
    db = Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO domaine (code, libelle, libelle_majuscules, ordre) VALUES ('BCP', 'B', 'B', 1)"))
        conn.execute(text("INSERT INTO session_examen (id, annee, libelle, type) VALUES (1, 2025, '2025', 'normale')"))
        conn.execute(text("INSERT INTO pays (code, alpha3, nom, nationalite, cle) VALUES ('FR', 'FRA', 'France', 'Française', 'FRANCE')"))
        conn.execute(text(
            "INSERT INTO compte_candidat (id, numero_candidat, email, email_normalise, sexe, nom, prenoms, "
            "date_naissance, pays_naissance, commune_naissance, mot_de_passe_hash, etat, cree_le, cle, row_version) "
            "VALUES (1, '01000000001', 'a@b.fr', 'a@b.fr', 'F', 'DUPONT', 'Anne', '2000-01-01', 'FR', 'Nice', 'x', "
            "'actif', '2024-11-10 10:00:00', 'DUPONT ANNE', 1)"))
        conn.execute(text(
            "INSERT INTO candidature (id, compte_id, numero_inscription, session_id, domaine_code, etat, version, "
            "cree_le, row_version) VALUES (7, 1, '001', 1, 'BCP', 'inscrit', 1, '2024-11-10 10:00:00', 1)"))
        conn.execute(text(
            "INSERT INTO message (compte_id, candidature_id, objet, corps, destinataire, cree_le) "
            "VALUES (1, 7, 'Inscription', 'x', 'a@b.fr', '2024-11-10 10:00:00')"))
    rapport = migrate.upgrade(db)
    assert (rapport.before, rapport.after) == ("0001", migrate.SCHEMA_HEAD)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT candidature_id FROM message")).scalar() == 7
        assert conn.execute(text("SELECT numero_inscription, choix FROM candidature")).one() == ("001", "{}")
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    db.dispose()
