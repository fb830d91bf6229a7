"""Engine-level backup and restore: SQLite online backup API, pg_dump / pg_restore for PostgreSQL,
row counts. No policy here (where, when, how many): that is services/sauvegardes/."""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import URL, Connection, make_url

from ..models import Base
from ..rules.errors import DomainError
from .fichiers import fsync_dossier

__all__ = ["backup_sqlite", "compter_lignes", "outil_postgres", "dump_postgres", "restaurer_postgres",
           "controle_sqlite", "preparer_remplacement_sqlite", "fsync_dossier", "lire_dump_postgres"]


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


def lire_dump_postgres(dump: Path) -> None:
    """The dump's table of contents read (pg_restore --list), no database touched: a file that is no
    pg_dump archive is refused before anything changes."""
    try:
        r = subprocess.run([str(outil_postgres("pg_restore")), "--list", str(dump)], capture_output=True, check=False)
    except OSError as exc:
        raise DomainError(f"Impossible de lancer pg_restore ({exc.strerror or exc}). Rien n'a été modifié.") from exc
    if r.returncode != 0:
        raise DomainError(f"La copie de la base dans la sauvegarde « {dump.parent.name} » n'est pas une copie "
                          f"PostgreSQL lisible (pg_restore : {_derniere_ligne(r)}) : cette sauvegarde ne peut pas être "
                          "restaurée. Rien n'a été modifié.")


def _derniere_ligne(r: subprocess.CompletedProcess[bytes]) -> str:
    """The tool's last complaint, without its « pg_restore: » prefix (the message names the tool)."""
    lignes = r.stderr.decode("utf-8", "replace").strip().splitlines()
    return lignes[-1].removeprefix("pg_restore: ").strip() if lignes else f"code {r.returncode}"


_MARQUE = "cyclades-controle-restauration"
_IDENTIFIANT = re.compile(r"[a-z_][a-z0-9_]{0,62}", re.ASCII)


def _controle_comptes(comptes: dict[str, int], tables: Iterable[str]) -> bytes:
    """A PL/pgSQL block run last in the restore's transaction: rows per table as the manifest says, and
    none of our tables it does not count. Raising rolls the whole restore back."""
    tests = []
    for table, n in sorted(comptes.items()):
        if not _IDENTIFIANT.fullmatch(table):   # spliced into SQL: identifiers only
            raise DomainError(f"Nom de table invalide dans le manifeste : « {table[:40]} ». Rien n'a été modifié.")
        tests.append(f'IF (SELECT count(*) FROM public."{table}") <> {int(n)} THEN '
                     f"RAISE EXCEPTION '{_MARQUE} {table}'; END IF;")
    en_trop = sorted(t for t in set(tables) - set(comptes) if _IDENTIFIANT.fullmatch(t))
    if en_trop:
        liste = ", ".join(f"'{t}'" for t in en_trop)
        tests.append("IF EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND "
                     f"table_name IN ({liste})) THEN RAISE EXCEPTION '{_MARQUE} *'; END IF;")
    return ("DO $controle$ BEGIN " + " ".join(tests) + " END $controle$;\n").encode() if tests else b""


def restaurer_postgres(url_texte: str, dump: Path, *, comptes: dict[str, int] | None = None,
                       tables: Iterable[str] = ()) -> None:
    """All or nothing: pg_restore turns the dump into SQL, psql runs it after emptying the schema, the
    whole in ONE transaction (--single-transaction, ON_ERROR_STOP): an error leaves the database as
    it was. Emptying the schema (rather than --clean) also removes tables that a newer schema added.
    ``comptes``: the rows per table the restored base must hold, checked before the commit."""
    url = make_url(url_texte)
    args, env = _connexion_libpq(url)
    sql = subprocess.run([str(outil_postgres("pg_restore")), "--no-owner", "--no-privileges", "-f", "-",
                          str(dump)], capture_output=True, env=env, check=False)
    if sql.returncode != 0:   # the table of contents was readable, the data is not (a file cut short)
        raise DomainError(f"La copie de la base dans la sauvegarde « {dump.parent.name} » est illisible "
                          f"(pg_restore : {_derniere_ligne(sql)}) : cette sauvegarde ne peut pas être restaurée. "
                          "Rien n'a été modifié.")
    script = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n" + sql.stdout
    if comptes is not None:
        script += _controle_comptes(comptes, tables)
    commande = [str(outil_postgres("psql")), "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1",
                *args, "-d", str(url.database)]
    try:
        r = subprocess.run(commande, env=env, input=script, capture_output=True, check=False)
    except OSError as exc:
        raise DomainError(f"Impossible de lancer psql ({exc.strerror or exc}). Rien n'a été modifié.") from exc
    if r.returncode != 0:
        erreur = r.stderr.decode("utf-8", "replace")
        ecart = re.search(_MARQUE + r" (\S+)", erreur)
        if ecart is not None:
            quoi = ("des tables qu'il ne compte pas" if ecart.group(1) == "*"
                    else f"nombre de lignes de la table « {ecart.group(1)} »")
            raise DomainError(f"La copie de la base de cette sauvegarde ne correspond pas à son manifeste ({quoi}) : "
                              "la restauration a été annulée. Rien n'a été modifié.")
        lignes = [x for x in erreur.strip().splitlines() if not x.startswith(("CONTEXT", "CONTEXTE"))]
        raise DomainError("La restauration de la base PostgreSQL a échoué et a été annulée ("
                          + (lignes[-1] if lignes else f"code {r.returncode}") + "). Rien n'a été modifié.")
