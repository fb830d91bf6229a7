"""Engine-level backup and restore: SQLite online backup API, pg_dump / pg_restore for PostgreSQL,
row counts. No policy here (where, when, how many): that is services/sauvegardes/."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import URL, Connection, make_url

from ..models import Base
from ..rules.errors import DomainError
from .fichiers import fsync_dossier

__all__ = ["backup_sqlite", "compter_lignes", "outil_postgres", "dump_postgres", "restaurer_postgres",
           "controle_sqlite", "preparer_remplacement_sqlite", "fsync_dossier"]


def backup_sqlite(source: Path, target: Path) -> None:
    """Online copy through SQLite's backup API: consistent, WAL content included."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def compter_lignes(conn: Connection) -> dict[str, int]:
    """Rows per table of our schema (only tables that exist: an older schema has fewer)."""
    from sqlalchemy import inspect

    existantes = set(inspect(conn).get_table_names())
    return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in Base.metadata.sorted_tables if t.name in existantes}


def controle_sqlite(chemin: Path) -> list[str]:
    """PRAGMA integrity_check and foreign_key_check on a file: the problems, empty when sound."""
    con = sqlite3.connect(str(chemin))
    try:
        problemes = [r[0] for r in con.execute("PRAGMA integrity_check") if r[0] != "ok"]
        for table, rowid, parent, _ in con.execute("PRAGMA foreign_key_check"):
            problemes.append(f"clé étrangère : ligne {rowid} de « {table} » sans « {parent} » correspondant")
        return problemes
    finally:
        con.close()


def preparer_remplacement_sqlite(chemin: Path) -> None:
    """Fold the WAL into the file and leave it in rollback-journal mode, closed, so that the single
    file is complete and can be renamed over the live database (no -wal file travels with it)."""
    con = sqlite3.connect(str(chemin), isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    with open(chemin, "rb") as f:
        os.fsync(f.fileno())




# --- PostgreSQL ------------------------------------------------------------------------------------

def outil_postgres(nom: str) -> Path:
    """pg_dump, pg_restore or psql: on PATH, else the newest /usr/lib/postgresql/*/bin (Debian)."""
    trouve = shutil.which(nom)
    if trouve:
        return Path(trouve)
    candidats = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{nom}"),
                       key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidats:
        return Path(candidats[-1])
    raise DomainError(
        f"L'outil PostgreSQL « {nom} » est introuvable sur ce poste : installez les outils clients de "
        "PostgreSQL (paquet « postgresql-client » sous Debian/Ubuntu, ou l'installateur PostgreSQL sous "
        "Windows, puis ajoutez son dossier « bin » au PATH).")


def _connexion_libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for the command-line tools; the password goes through the environment,
    never on the command line (visible to other users in the process list)."""
    env = dict(os.environ)
    args: list[str] = []
    if url.host:
        args += ["-h", url.host]
    if url.port:
        args += ["-p", str(url.port)]
    if url.username:
        args += ["-U", url.username]
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for cle, valeur in (url.query or {}).items():
        if cle == "host":   # a Unix socket directory given as ?host=/tmp
            args += ["-h", str(valeur)]
    return args, env


def _lancer(commande: list[str], env: dict[str, str], quoi: str, *, entree: bytes | None = None) -> None:
    try:
        r = subprocess.run(commande, env=env, input=entree, capture_output=True, check=False)
    except OSError as exc:
        raise DomainError(f"{quoi} : impossible de lancer « {commande[0]} » ({exc.strerror or exc}).") from exc
    if r.returncode != 0:
        detail = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DomainError(f"{quoi} a échoué : " + (detail[-1] if detail else f"code {r.returncode}"))


@contextmanager
def instantane_postgres(url_texte: str) -> Iterator[tuple[str, dict[str, int]]]:
    """A REPEATABLE READ transaction held open: its exported snapshot id (for pg_dump --snapshot) and
    the row counts seen in that same snapshot, so the manifest describes exactly what is dumped."""
    from sqlalchemy import create_engine

    engine = create_engine(url_texte)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            conn.begin()
            ident = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar())
            comptes = compter_lignes(conn)
            yield ident, comptes
            conn.rollback()
    finally:
        engine.dispose()


def dump_postgres(url_texte: str, cible: Path, *, snapshot: str | None = None) -> None:
    url = make_url(url_texte)
    args, env = _connexion_libpq(url)
    commande = [str(outil_postgres("pg_dump")), "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(cible)]
    if snapshot:
        commande += ["--snapshot", snapshot]
    _lancer(commande + [str(url.database)], env, "La copie de la base PostgreSQL (pg_dump)")


def restaurer_postgres(url_texte: str, dump: Path) -> None:
    """All or nothing: pg_restore turns the dump into SQL, psql runs it after emptying the schema, the
    whole in ONE transaction (--single-transaction, ON_ERROR_STOP): an error leaves the database as
    it was. Emptying the schema (rather than --clean) also removes tables that a newer schema added."""
    url = make_url(url_texte)
    args, env = _connexion_libpq(url)
    sql = subprocess.run([str(outil_postgres("pg_restore")), "--no-owner", "--no-privileges", "-f", "-",
                          str(dump)], capture_output=True, env=env, check=False)
    if sql.returncode != 0:
        raise DomainError("La lecture de la copie PostgreSQL (pg_restore) a échoué : "
                          + sql.stderr.decode("utf-8", "replace").strip()[-300:])
    script = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n" + sql.stdout
    _lancer([str(outil_postgres("psql")), "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1",
             *args, "-d", str(url.database)], env, "La restauration de la base PostgreSQL", entree=script)
