from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from cyclades_desktop.models import Base
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database
from tests.integration.test_moteurs import base_vide  # noqa: F401 - the empty base on either engine


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


def test_0006_ajoute_le_cachet_de_la_poste_sans_toucher_aux_pieces(base_vide: Database, tmp_path: Path,  # noqa: F811
                                                                    monkeypatch: pytest.MonkeyPatch):
    """A base at 0005 with a piece received by post, on both engines: 0006 adds the postmark as an
    empty column in place, the piece and its reception date are kept, the schema is the models'."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cyclades_desktop.paths import ENV_DATA_DIR

    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "donnees"))   # where PostgreSQL's pre-migration copy goes
    cfg = migrate.alembic_config(base_vide)
    with base_vide.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    with base_vide.engine.begin() as conn:
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
            "cree_le, row_version, choix) VALUES (7, 1, '001', 1, 'BCP', 'inscrit', 1, '2024-11-10 10:00:00', 1, '{}')"))
        conn.execute(text(
            "INSERT INTO justificatif (id, candidature_id, piece_code, libelle, mode_depot, echeance, statut, "
            "date_reception, requis, row_version) VALUES (3, 7, 'CONFIRMATION', 'Confirmation', 'courrier', "
            "'2024-12-10 16:00:00', 'recue', '2024-12-09', true, 2)"))
    # On SQLite a rebuilt table (copy, drop, rename) would start on another root page.
    page = "SELECT rootpage FROM sqlite_master WHERE name = 'justificatif'"
    with base_vide.engine.connect() as conn:
        page_avant = conn.execute(text(page)).scalar() if base_vide.is_sqlite else None
    rapport = migrate.upgrade(base_vide)
    assert (rapport.before, rapport.after) == ("0005", migrate.SCHEMA_HEAD)
    with base_vide.engine.connect() as conn:
        code, statut, reception, cachet, version = conn.execute(text(
            "SELECT piece_code, statut, date_reception, date_cachet, row_version FROM justificatif")).one()
        assert (code, statut, str(reception), cachet, version) == ("CONFIRMATION", "recue", "2024-12-09", None, 2)
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert (conn.execute(text(page)).scalar() if base_vide.is_sqlite else None) == page_avant
