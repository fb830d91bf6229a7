"""The engine: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL for several
workstations. Sessions are handed out here; only services commit them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens its own transactions lazily; let SQLAlchemy emit BEGIN itself so
    # every service call is one real transaction.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout instead of
    # failing with "database is locked" halfway through a transaction.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("lecture") else "BEGIN IMMEDIATE")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._lectures = sessionmaker(self.engine.execution_options(lecture=True), expire_on_commit=False)

    @property
    def path(self) -> Path | None:
        if not self.is_sqlite or self.url.database in (None, "", ":memory:"):
            return None
        return Path(self.url.database)

    def session(self) -> Session:
        """A session for one write transaction."""
        return self._sessions()

    def lecture(self) -> Session:
        """A session for reading only: it never takes the SQLite write lock."""
        return self._lectures()

    def dispose(self) -> None:
        self.engine.dispose()
