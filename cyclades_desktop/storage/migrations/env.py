"""Alembic environment: run from storage.migrate with a live connection, or from the alembic CLI."""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine

from cyclades_desktop.models import Base
from cyclades_desktop.paths import ENV_DATABASE_URL

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _url_ligne_de_commande() -> str:
    """The alembic command's database: ``-x url=…``, else CYCLADES_DATABASE_URL, else ``sqlalchemy.url``.
    Never a default: the program migrates its own database itself, after a backup copy."""
    url = (context.get_x_argument(as_dictionary=True).get("url") or os.environ.get(ENV_DATABASE_URL)
           or config.get_main_option("sqlalchemy.url"))
    if not url:
        raise SystemExit("Indiquez la base : alembic -c alembic.ini -x url=sqlite:////tmp/brouillon.sqlite …"
                         f" (ou la variable {ENV_DATABASE_URL}).")
    return url


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    if config.config_file_name:     # alembic -c alembic.ini: its [loggers] show what is being done
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    engine = create_engine(_url_ligne_de_commande())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


run()
