"""cyclades-desktop-admin: maintenance commands over the same services, for scheduled tasks."""

from __future__ import annotations

import argparse
import sys

from .paths import default_database_url
from .rules.errors import DomainError
from .rules.inscriptions import EtatCandidature
from .rules.temps import Clock, format_date_heure
from .services import comptes, referentiel
from .services.justificatifs import echeances
from .services.noyau import SYSTEME, Contexte


def main(argv: list[str] | None = None, *, clock: Clock | None = None) -> int:
    """``clock`` is for tests: deadlines are compared with it instead of the system time."""
    import multiprocessing

    # Batch printing renders in spawned processes: in the frozen (PyInstaller) build each of them
    # starts this executable again, and must become a worker instead of opening the application.
    multiprocessing.freeze_support()
    parser = argparse.ArgumentParser(prog="cyclades-desktop-admin", description="Administration de Cyclades Desktop")
    parser.add_argument("--database-url", default=None, help="URL SQLAlchemy (défaut : base SQLite locale)")
    sub = parser.add_subparsers(dest="commande", required=True)
    sub.add_parser("migrer", help="met la base à jour (copie de sauvegarde préalable) et charge le référentiel")
    sub.add_parser("purger-comptes", help="supprime les comptes non activés depuis plus de 48 h")
    sub.add_parser("verifier", help="contrôle d'intégrité de la base et du dépôt (comme verifier-integrite)")
    for nom, aide in (("annuler-sans-confirmation", "annule les candidatures sans confirmation signée reçue "
                                                    "dans le délai"),
                      ("ecarter-sans-r408", "écarte les candidatures sans attestation R.408 à la date limite"),
                      ("relancer", "publie une relance de pièces justificatives pour chaque dossier incomplet")):
        p = sub.add_parser(nom, help=aide)
        p.add_argument("--session", required=True, help="libellé de la session, par exemple 2025")
        p.add_argument("--domaine", default=None, help="examen : BCP, CAP, BP, MC ou CS (défaut : tous)")
        if nom != "relancer":
            p.add_argument("--appliquer", action="store_true",
                           help="applique le traitement (sans cette option, la liste est seulement affichée)")
    from .commandes import toutes

    extensions = {c.nom: c for c in toutes()}
    for commande in extensions.values():
        commande.configurer(sub.add_parser(commande.nom, help=commande.aide))
    args = parser.parse_args(argv)

    from .app import preparer_contexte

    url = args.database_url or default_database_url()
    extension = extensions.get(args.commande)
    try:
        if extension is not None and not extension.avec_contexte:
            assert extension.executer_sans_contexte is not None
            return extension.executer_sans_contexte(url, args)
        ctx = preparer_contexte(url, clock=clock).avec_agent(SYSTEME)
        if extension is not None:
            return extension.executer(ctx, args)
        if args.commande == "migrer":
            print("Base à jour, référentiel chargé.")
        elif args.commande == "purger-comptes":
            print(f"{comptes.purger_comptes_non_actives(ctx)} compte(s) supprimé(s).")
        elif args.commande == "verifier":
            # Same check as verifier-integrite (kept for existing scheduled tasks), on both engines.
            from .commandes.sauvegarde import verifier_integrite_cli

            return verifier_integrite_cli(ctx, args)
        elif args.commande in ("annuler-sans-confirmation", "ecarter-sans-r408"):
            return _echeance(ctx, args)
        elif args.commande == "relancer":
            return _relancer(ctx, args)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    return 0


def _echeance(ctx: Contexte, args: argparse.Namespace) -> int:
    """List first; apply (one transaction, re-checked) only with --appliquer."""
    session_id = referentiel.session_par_libelle(ctx, args.session)
    annuler = args.commande == "annuler-sans-confirmation"
    lister = echeances.sans_confirmation if annuler else echeances.r408_manquantes
    lignes = lister(ctx, session_id, args.domaine)
    for x in lignes:
        print(f"{x.numero_candidat}\t{x.candidat}\t{x.candidature}\t{x.piece_code}\t"
              f"{format_date_heure(x.echeance)}")
    verbe = "à annuler" if annuler else "à écarter"
    print(f"{len(lignes)} candidature{'s' if len(lignes) > 1 else ''} {verbe}.")
    if not args.appliquer or not lignes:
        if lignes:
            print("Relancez la commande avec --appliquer pour appliquer le traitement.")
        return 0
    appliquer = echeances.annuler_sans_confirmation if annuler else echeances.ecarter_sans_r408
    n = appliquer(ctx, [x.candidature_id for x in lignes],
                  row_versions={x.candidature_id: x.row_version for x in lignes})
    print(echeances.texte_resultat(n, EtatCandidature.ANNULEE if annuler else EtatCandidature.ECARTEE))
    return 0


def _relancer(ctx: Contexte, args: argparse.Namespace) -> int:
    session_id = referentiel.session_par_libelle(ctx, args.session)
    lignes = echeances.dossiers_incomplets(ctx, session_id, args.domaine)
    rapport = echeances.relancer(ctx, [x.candidature_id for x in lignes])
    for erreur in rapport.erreurs:
        print(erreur, file=sys.stderr)
    print(echeances.texte_rapport(rapport))
    return 1 if rapport.erreurs else 0


if __name__ == "__main__":
    raise SystemExit(main())
