"""Start-up migrations: copy the file first, refuse a database newer than the program."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from ..rules.errors import DomainError
from ..rules.temps import Clock, SystemClock
from .database import Database
from .sauvegarde import backup_sqlite, dump_postgres  # which never imports migrate: one way only

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision this program ships. Checked against the scripts by a test; lets an
# up-to-date database start without importing Alembic (a noticeable part of start-up).
SCHEMA_HEAD = "0007"


class DatabaseTooNew(DomainError):
    pass


@dataclass
class MigrationReport:
    before: str | None
    after: str | None
    backup: Path | None


def alembic_config(db: Database, migrations: Path | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations or MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision(db: Database, migrations: Path | None = None) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(db, migrations)).get_current_head()


def upgrade(db: Database, clock: Clock | None = None, *, migrations: Path | None = None) -> MigrationReport:
    before = current_revision(db)
    if migrations is None and before == SCHEMA_HEAD:
        return MigrationReport(before, before, None)

    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config(db, migrations)
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    if before is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if before not in known:
            raise DatabaseTooNew(
                "Cette base de données a été créée ou mise à jour par une version plus récente de "
                "Cyclades Desktop (révision « " + before + " »). Installez la dernière version du "
                "programme ; la base n'a pas été modifiée."
            )
    if before == head:
        return MigrationReport(before, head, None)
    backup: Path | None = None
    if before is not None and db.path is not None and db.path.exists():
        stamp = (clock or SystemClock()).now().strftime("%Y%m%d-%H%M%S")
        backup = db.path.with_name(f"{db.path.stem}.avant-migration-{before}-{stamp}{db.path.suffix}")
        backup_sqlite(db.path, backup)
    elif before is not None and not db.is_sqlite:
        backup = _copie_postgres_avant_migration(db, before, clock)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return MigrationReport(before, head, backup)


def _copie_postgres_avant_migration(db: Database, before: str, clock: Clock | None) -> Path:
    """pg_dump before migrating a shared PostgreSQL base. Without pg_dump the migration is refused (the
    safe choice: a failed migration without a copy could lose the office's data); the message says how
    to proceed."""
    from ..paths import data_dir

    stamp = (clock or SystemClock()).now().strftime("%Y%m%d-%H%M%S")
    dossier = data_dir() / "sauvegardes"
    dossier.mkdir(parents=True, exist_ok=True)
    cible = dossier / f"avant-migration-{before}-{stamp}.dump"
    try:
        dump_postgres(db.url.render_as_string(hide_password=False), cible)
    except DomainError as exc:
        cible.unlink(missing_ok=True)
        raise DomainError(
            "La base PostgreSQL doit être mise à jour, mais sa copie préalable n'a pas pu être faite : "
            f"{exc.message} La base n'a pas été modifiée ; installez les outils clients de PostgreSQL "
            "(pg_dump) sur ce poste, puis relancez le programme.") from exc
    return cible
