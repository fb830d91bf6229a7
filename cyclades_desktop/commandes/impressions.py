"""``cyclades-desktop-admin imprimer``: a print batch from the command line (a night's convocations),
resumable with ``--reprendre N`` after an interruption (Ctrl+C stops between two chunks)."""

from __future__ import annotations

import argparse
import sys

from ..services import impressions, referentiel
from ..services.noyau import Contexte
from . import Commande


def _configurer(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", choices=sorted(impressions.TYPES), help="documents à imprimer")
    p.add_argument("--session", help="libellé de la session, par exemple 2025")
    p.add_argument("--examen", default=None, help="examen : BCP, CAP, BP, MC ou CS (défaut : tous)")
    p.add_argument("--specialite", default=None, help="identifiant de la spécialité (défaut : toutes)")
    sortie = p.add_mutually_exclusive_group()
    sortie.add_argument("--sortie", help="un seul fichier PDF fusionné")
    sortie.add_argument("--dossier", help="un fichier par candidature dans ce dossier")
    p.add_argument("--reprendre", type=int, metavar="N", help="reprend le lot n° N là où il s'est arrêté")
    p.add_argument("--lister", action="store_true", help="affiche les lots inachevés")
    p.add_argument("--processus", type=int, default=None, help="processus de rendu (défaut : un par cœur)")


def _executer(ctx: Contexte, args: argparse.Namespace) -> int:
    if args.lister:
        lots = impressions.lots_inacheves(ctx)
        for lot in lots:
            print(f"{lot.libelle} — {lot.sortie}")
        if not lots:
            print("Aucun lot d'impression inachevé.")
        return 0
    if args.reprendre is not None:
        lot_id = args.reprendre
    else:
        if not (args.type and args.session and (args.sortie or args.dossier)):
            print("Indiquez --type, --session et --sortie (fichier PDF) ou --dossier, ou bien --reprendre N.",
                  file=sys.stderr)
            return 2
        session_id = referentiel.session_par_libelle(ctx, args.session)
        ids = impressions.candidatures_du_perimetre(ctx, session_id, args.examen, args.specialite)
        mode = impressions.FICHIER_UNIQUE if args.sortie else impressions.DOSSIER
        perimetre = " ".join(x for x in (f"session {args.session}", args.examen, args.specialite) if x)
        lot_id = impressions.creer_lot(ctx, args.type, ids, mode=mode, sortie=args.sortie or args.dossier,
                                       perimetre=perimetre)
        print(f"Lot n° {lot_id} : {impressions.nombre(len(ids))} documents à produire.")
    def progression(n: int, total: int) -> None:
        print(f"\r{impressions.nombre(n)} / {impressions.nombre(total)} documents", end="", flush=True)

    try:
        r = impressions.executer(ctx, lot_id, progression=progression, processus=args.processus)
    except KeyboardInterrupt:
        print(f"\nInterrompu : reprenez avec « imprimer --reprendre {lot_id} ».", file=sys.stderr)
        return 130
    print()
    print(impressions.texte_rapport(r))
    for e in r.erreurs:
        print(f"  {e}")
    if r.termine:
        print(f"Sortie : {r.sortie}")
    return 0 if r.termine else 1


COMMANDES = [Commande("imprimer", "imprime un lot de documents (convocations, récapitulatifs, relances) dans "
                                  "un PDF fusionné ou un dossier", _executer, _configurer)]
