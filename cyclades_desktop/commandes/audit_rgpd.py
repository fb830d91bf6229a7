"""cyclades-desktop-admin subcommands for the audit trail and RGPD: verifier-audit, exporter-rgpd, purger.
Usable from a scheduled task: the exit code says whether something is wrong."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services.noyau import Contexte, audit
from . import Commande


def _verifier_audit(ctx: Contexte, _args: argparse.Namespace) -> int:
    rapport = audit.verifier_chaine(ctx)
    print(rapport.message)
    return 0 if rapport.intacte else 1


def _configurer_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--candidat", required=True, help="N° candidat (11 chiffres)")
    p.add_argument("--sortie", required=True, type=Path, help="fichier ZIP à écrire")


def _exporter(ctx: Contexte, args: argparse.Namespace) -> int:
    from ..services import rgpd

    compte_id = rgpd.compte_par_numero(ctx, args.candidat)
    resume = rgpd.exporter_candidat(ctx, compte_id, args.sortie)
    print(f"Données du candidat {args.candidat} exportées dans {args.sortie} ({resume}).")
    return 0


def _configurer_purge(p: argparse.ArgumentParser) -> None:
    p.add_argument("--appliquer", action="store_true",
                   help="supprime les données listées (sans cette option, la liste est seulement affichée)")


def _purger(ctx: Contexte, args: argparse.Namespace) -> int:
    from ..services import rgpd

    plan = rgpd.preparer_purge(ctx)
    for ligne in rgpd.lignes_plan(plan):
        print(ligne)
    print(plan.resume)
    if not args.appliquer or plan.vide:
        if not plan.vide:
            print("Relancez la commande avec --appliquer pour supprimer ces données.")
        return 0
    resultat = rgpd.appliquer_purge(ctx, plan)
    print(resultat.message)
    return 0


COMMANDES = [
    Commande("verifier-audit", "vérifie la chaîne d'empreintes du journal d'audit (code 1 si elle est rompue)",
             _verifier_audit),
    Commande("exporter-rgpd", "exporte dans un ZIP toutes les données d'un candidat (RGPD, article 15)",
             _exporter, _configurer_export),
    Commande("purger", "liste (et avec --appliquer supprime) les données dont la durée de conservation est "
                       "dépassée", _purger, _configurer_purge),
]
