"""``cyclades-desktop-admin envoyer-courriels``: send the outbox from a scheduled task (cron, Windows
task scheduler), for offices where no workstation stays open with automatic sending on."""

from __future__ import annotations

import argparse
import sys

from ..services import courriels
from ..services.noyau import Contexte
from . import Commande


def _configurer(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limite", type=int, default=500, help="nombre maximal de messages envoyés (défaut : 500)")


def _executer(ctx: Contexte, args: argparse.Namespace) -> int:
    """1 when messages failed permanently this run (or nothing is set up); 0 otherwise, including when the
    server did not answer: those messages simply wait for the next run."""
    rapport = courriels.envoyer_en_attente(ctx, limite=max(1, args.limite))
    for erreur in rapport.erreurs:
        print(erreur, file=sys.stderr)
    if rapport.interruption or rapport.non_configure:
        print(rapport.texte, file=sys.stderr)
    else:
        print(rapport.texte)
    return 1 if rapport.echecs or rapport.non_configure else 0


COMMANDES = [Commande("envoyer-courriels", "envoie les messages en attente par mail (serveur SMTP du bureau)",
                      _executer, _configurer)]
