"""cyclades-desktop-admin subcommands for the audit trail and RGPD: verifier-audit, exporter-rgpd, purger.
Usable from a scheduled task: the exit code says whether something is wrong."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services.noyau import Contexte, audit
from . import Commande


def _configurer_verification(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sceller", action="store_true",
                   help="écrit ensuite la dernière ligne du journal dans le fichier des sceaux (tâche quotidienne)")
    p.add_argument("--sauvegardes", type=Path, default=None,
                   help="dossier des sauvegardes dont les manifestes servent de sceaux (défaut : celui des paramètres)")


def _verifier_audit(ctx: Contexte, args: argparse.Namespace) -> int:
    from ..services import sauvegardes

    rapport = audit.verifier_chaine(ctx, ancres=sauvegardes.ancres_audit(ctx, args.sauvegardes))
    print(rapport.message)
    if args.sceller:
        sceau = audit.sceller(ctx)
        print(f"Journal scellé à la ligne n° {sceau.id}." if sceau else "Journal vide : rien à sceller.")
    # 1: something was altered; 2: rows that could not be authenticated (the key is missing).
    return 0 if rapport.intacte else 1 if rapport.alteree else 2


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
    Commande("verifier-audit", "vérifie le journal d'audit, ses sceaux et ceux des sauvegardes (code 1 s'il a "
                               "été altéré ou tronqué, 2 si la clé manque)", _verifier_audit, _configurer_verification),
    Commande("exporter-rgpd", "exporte dans un ZIP toutes les données d'un candidat (RGPD, article 15)",
             _exporter, _configurer_export),
    Commande("purger", "liste (et avec --appliquer supprime) les données dont la durée de conservation est "
                       "dépassée", _purger, _configurer_purge),
]
