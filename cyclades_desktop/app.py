"""Start-up: database, migrations, référentiel, then the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import ENV_DATABASE_URL, default_database_url, resources_dir
from .rules.temps import Clock, SystemClock
from .services import comptes, personnel
from .services.noyau import Contexte
from .services.referentiel import chargement
from .storage import migrate
from .storage.database import Database


def preparer_contexte(database_url: str | None = None, *, clock: Clock | None = None) -> Contexte:
    """Open the database, migrate it (copy first), load the référentiel on first start, purge
    accounts left unactivated for 48 h. No Qt here: the CLI and benchmarks use it too."""
    db = Database(database_url or default_database_url())
    migrate.upgrade(db, clock)
    ctx = Contexte(db, clock or SystemClock())
    chargement.charger_si_vide(ctx)
    comptes.purger_comptes_non_actives(ctx)
    return ctx


def create_main_window(database_url: str | None = None, *, clock: Clock | None = None,
                       user: str | None = None):  # type: ignore[no-untyped-def]
    """The main window, ready to show, without blocking: sign-in and first-start setup are pages
    inside the window. ``user`` names an existing staff login to skip sign-in."""
    from PySide6.QtWidgets import QApplication

    from .ui.main_window import MainWindow
    from .ui.style import appliquer_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    appliquer_style(app)  # type: ignore[arg-type]
    ctx = preparer_contexte(database_url, clock=clock)
    agent = personnel.agent_par_login(ctx, user) if user else None
    return MainWindow(ctx, agent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyclades-desktop", description="Cyclades Desktop")
    import multiprocessing

    # Batch printing renders in spawned processes: in the frozen (PyInstaller) build each of them
    # starts this executable again, and must become a worker instead of opening the application.
    multiprocessing.freeze_support()
    parser.add_argument("--database-url", help=f"URL SQLAlchemy de la base (sinon ${ENV_DATABASE_URL} ou le "
                        "fichier SQLite du dossier de données de l'utilisateur)")
    parser.add_argument("--user", help="identifiant du personnel à connecter directement (outils, démonstrations)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from .rules.errors import DomainError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Cyclades Desktop")
    app.setOrganizationName("DEC")
    icon = resources_dir() / "icons" / "cyclades.png"
    if icon.exists():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(Path(icon))))
    try:
        window = create_main_window(args.database_url, user=args.user)
    except DomainError as exc:
        QMessageBox.critical(None, "Démarrage impossible", exc.message)
        return 2
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
