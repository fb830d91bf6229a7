"""``cyclades-desktop-admin publier-convocations --session 2025 [--examen CAP] [--specialite ID]``:
publish the convocations aux épreuves that changed since their last version (or were never published),
e.g. from a scheduled task after the timetable is settled. Like the screen, it refuses while clashes
remain, publishes by chunks (a crash or Ctrl+C leaves each candidature with its new version or
without) and a re-run resumes; run twice without change, the second run publishes nothing."""

from __future__ import annotations

import argparse
import sys

from ..rules.errors import DomainError
from ..services import referentiel
from ..services.noyau import Contexte
from ..services.organisation import analyse_convocations, convocations
from . import Commande


def _configurer(p: argparse.ArgumentParser) -> None:
    p.add_argument("--session", required=True, help="libellé de la session, par exemple 2025")
    p.add_argument("--examen", default=None, help="examen : BCP, CAP, BP, MC ou CS (défaut : tous)")
    p.add_argument("--specialite", default=None, help="identifiant de la spécialité, par exemple BCP-25303")
    p.add_argument("--analyser", action="store_true",
                   help="affiche seulement ce qui serait publié, sans rien publier")


def _executer(ctx: Contexte, args: argparse.Namespace) -> int:
    """0 when done (even with nothing to publish); 1 when clashes block the publication; 2 for a bad
    argument (through the CLI's DomainError handling)."""
    session_id = referentiel.session_par_libelle(ctx, args.session)
    domaine = (args.examen or "").strip().upper() or None
    if domaine is not None and domaine not in {d.code for d in referentiel.domaines(ctx)}:
        raise DomainError(f"L'examen « {args.examen} » n'existe pas dans le référentiel.")
    apercu = analyse_convocations.analyser(ctx, session_id, domaine=domaine,
                                           specialite_id=args.specialite or None)
    if args.analyser:
        print(apercu.message)
        if apercu.conflits:
            print("Conflits d'horaires à résoudre avant la publication :\n"
                  + analyse_convocations.texte_conflits(apercu.conflits))
        return 1 if apercu.conflits else 0
    try:
        rapport = convocations.publier_convocations(ctx, session_id, apercu=apercu)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(rapport.message)
    return 0


COMMANDES = [Commande("publier-convocations",
                      "publie les convocations aux épreuves nouvelles ou modifiées d'une session", _executer,
                      _configurer)]
