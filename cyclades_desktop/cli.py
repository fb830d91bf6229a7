"""cyclades-desktop-admin: maintenance commands over the same services, for scheduled tasks."""

from __future__ import annotations

import argparse
import sys

from .paths import default_database_url
from .rules.errors import DomainError
from .services import comptes
from .services.contexte import SYSTEME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cyclades-desktop-admin", description="Administration de Cyclades Desktop")
    parser.add_argument("--database-url", default=None, help="URL SQLAlchemy (défaut : base SQLite locale)")
    sub = parser.add_subparsers(dest="commande", required=True)
    sub.add_parser("migrer", help="met la base à jour (copie de sauvegarde préalable) et charge le référentiel")
    sub.add_parser("purger-comptes", help="supprime les comptes non activés depuis plus de 48 h")
    sub.add_parser("verifier", help="contrôle d'intégrité de la base SQLite")
    args = parser.parse_args(argv)

    from .app import preparer_contexte

    try:
        ctx = preparer_contexte(args.database_url or default_database_url()).avec_agent(SYSTEME)
        if args.commande == "migrer":
            print("Base à jour, référentiel chargé.")
        elif args.commande == "purger-comptes":
            print(f"{comptes.purger_comptes_non_actives(ctx)} compte(s) supprimé(s).")
        elif args.commande == "verifier":
            if not ctx.db.is_sqlite:
                print("Contrôle disponible pour SQLite uniquement.")
                return 0
            with ctx.db.engine.connect() as conn:
                resultat = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            print("Intégrité : " + ("correcte" if resultat == "ok" else str(resultat)))
            return 0 if resultat == "ok" else 1
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
