"""Start-up: database, migrations, référentiel, then the main window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .paths import ENV_DATA_DIR, ENV_DATABASE_URL, default_database_url, resources_dir
from .rules.temps import Clock, SystemClock
from .services import comptes, personnel
from .services.noyau import SYSTEME, Contexte
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
    comptes.purger_comptes_non_actives(ctx.avec_agent(SYSTEME))   # a rule of the office, not an agent's act
    return ctx


def create_main_window(database_url: str | None = None, *, clock: Clock | None = None,
                       user: str | None = None):  # type: ignore[no-untyped-def]
    """The main window, ready to show, without blocking: sign-in and first-start setup are pages
    inside the window. ``user`` names an existing staff login to skip sign-in."""
    from PySide6.QtWidgets import QApplication

    from .ui.langue import installer_traductions
    from .ui.main_window import MainWindow
    from .ui.style import appliquer_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    installer_traductions(app)  # before any widget: Qt's standard buttons read their text when made
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
    # Hidden: the self-test of an installed or built program (scripts/test_build.sh, tests/ui/test_autotest.py).
    parser.add_argument("--auto-test", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.auto_test and not (args.database_url or os.environ.get(ENV_DATABASE_URL) or os.environ.get(ENV_DATA_DIR)):
        # It creates a chef de bureau: never in the workstation's own database, whose first start it would take.
        print("--auto-test s'exécute sur une base neuve désignée par --database-url, "
              f"${ENV_DATABASE_URL} ou ${ENV_DATA_DIR}.", file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication, QMessageBox

    from .rules.errors import DomainError
    from .ui.langue import installer_traductions

    app = QApplication.instance() or QApplication(sys.argv[:1])
    installer_traductions(app)  # the « Démarrage impossible » box below is already French
    app.setApplicationName("Cyclades Desktop")
    app.setOrganizationName("DEC")
    icon = resources_dir() / "icons" / "cyclades.png"
    if icon.exists():
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(Path(icon))))
    try:
        window = create_main_window(args.database_url, user=args.user)
    except DomainError as exc:
        if args.auto_test:   # nobody is there to close a message box
            print(f"Démarrage impossible : {exc.message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Démarrage impossible", exc.message)
        return 2
    window.afficher()   # as it was left; maximised the first time on a laptop screen
    if args.auto_test:
        from .ui.autotest import AutoTest

        autotest = AutoTest(window)
        autotest.demarrer()
        app.exec()
        return autotest.code
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
