"""cyclades-desktop-admin sauvegarder | restaurer | lister-sauvegardes | verifier-integrite.

Exit codes, for scheduled tasks: 0 done, 1 a problem found (integrity) or a backup made or restored
incomplete, 2 an error (message on stderr), 3 restore not confirmed (an incomplete backup needs
--accepter-incomplete, whatever --oui says)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from ..rules.errors import DomainError
from ..rules.sauvegardes import texte_incomplete, texte_manquants
from ..services import sauvegardes
from ..services.noyau import Contexte
from . import Commande


def _taille(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


def _configurer_sauvegarder(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dossier", default=None, help="dossier des sauvegardes (défaut : celui des paramètres)")
    p.add_argument("--quotidienne", action="store_true",
                   help="une seule sauvegarde par jour, puis suppression des plus anciennes (rotation)")


def _sauvegarder(ctx: Contexte, args: argparse.Namespace) -> int:
    if args.quotidienne:
        s = sauvegardes.sauvegarde_quotidienne(ctx, dossier=args.dossier)
        if s is None:
            print("La sauvegarde du jour existe déjà : rien à faire.")
            return 0
    else:
        s = sauvegardes.sauvegarder(ctx, args.dossier)
    for a in s.avertissements:
        print(a, file=sys.stderr)
    if s.incomplete:
        print(texte_incomplete(s.libelle, s.fichiers_omis), file=sys.stderr)
    etat = "INCOMPLÈTE" if s.incomplete else "faite"
    print(f"Sauvegarde {etat} : {s.chemin} ({_taille(s.taille)}, {s.nb_fichiers} fichier(s), schéma {s.revision}).")
    return 1 if s.avertissements or s.incomplete else 0


def etat_sauvegarde(s: sauvegardes.Sauvegarde) -> str:
    if s.erreur:
        return f"ILLISIBLE : {s.erreur}"
    if s.incomplete:
        n = len(s.fichiers_omis)
        return f"INCOMPLÈTE ({n} fichier{'s' if n > 1 else ''} manquant{'s' if n > 1 else ''})"
    return "complète"


def _configurer_lister(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dossier", default=None, help="dossier des sauvegardes (défaut : celui des paramètres)")


def _lister(ctx: Contexte, args: argparse.Namespace) -> int:
    liste = sauvegardes.lister_sauvegardes(ctx, args.dossier)
    for s in liste:
        genre = "quotidienne" if s.quotidienne else "manuelle"
        print(f"{s.chemin.name}\t{s.libelle}\t{_taille(s.taille)}\tschéma {s.revision or '?'}\t{genre}\t"
              f"{etat_sauvegarde(s)}\t{s.chemin}")
    print(f"{len(liste)} sauvegarde(s) dans {sauvegardes.dossier_effectif(ctx, args.dossier)}.")
    return 0


def _configurer_restaurer(p: argparse.ArgumentParser) -> None:
    p.add_argument("chemin", help="dossier de la sauvegarde (cyclades-AAAAMMJJ-HHMMSS)")
    p.add_argument("--oui", action="store_true", help="ne pas demander de confirmation")
    p.add_argument("--accepter-incomplete", action="store_true",
                   help="restaurer une sauvegarde incomplète (des pièces déposées y manquent) ; "
                        "--oui ne suffit pas pour cela")


def _restaurer(url: str, args: argparse.Namespace) -> int:
    s = sauvegardes.verifier(args.chemin)
    if s.incomplete:
        print(texte_incomplete(s.libelle, s.fichiers_omis), file=sys.stderr)
        if not args.accepter_incomplete:
            print("\nPour la restaurer quand même, relancez la commande avec --accepter-incomplete (--oui seul ne "
                  "suffit pas) : vous confirmez ainsi que ces fichiers manqueront. Restauration abandonnée : rien "
                  "n'a été modifié.", file=sys.stderr)
            return 3
    if not args.oui:
        incomplete = " Elle est INCOMPLÈTE (voir ci-dessus)." if s.incomplete else ""
        print(f"La base actuelle va être remplacée par la sauvegarde du {s.libelle} (schéma {s.revision}).{incomplete} "
              "Fermez Cyclades Desktop sur tous les postes avant de continuer.")
        try:
            reponse = input("Restaurer ? (oui/non) ")
        except (EOFError, OSError):   # no terminal (scheduled task): not confirmed
            reponse = ""
        if reponse.strip().lower() not in ("oui", "o"):
            print("Restauration abandonnée : rien n'a été modifié.")
            return 3
    r = sauvegardes.restaurer(url, args.chemin, accepter_incomplete=args.accepter_incomplete)
    incomplete = ", INCOMPLÈTE" if r.fichiers_manquants else ""
    print(f"Sauvegarde du {s.libelle} restaurée{incomplete} (schéma {r.revision_apres}, {r.fichiers_copies} "
          "fichier(s) recopié(s) dans le dépôt).")
    if r.copie_avant is not None:
        print(f"La base d'avant la restauration est conservée : {r.copie_avant}")
    if r.fichiers_manquants:
        print(texte_manquants(r.fichiers_manquants))
        return 1
    return 0


class _LigneDeProgression:
    """« Contrôle des fichiers déposés : n / N (x fichiers/s) »: rewritten in place on a terminal,
    one line every 10 s in a log (a scheduled task), always the last one."""

    def __init__(self, flux: TextIO) -> None:
        self.flux = flux
        self.terminal = flux.isatty()
        self.debut = self.dernier = time.monotonic()

    def __call__(self, fait: int, total: int) -> None:
        maintenant = time.monotonic()
        if fait < total and maintenant - self.dernier < (0.25 if self.terminal else 10):
            return
        self.dernier = maintenant
        debit = fait / max(maintenant - self.debut, 1e-3)
        ligne = f"Contrôle des fichiers déposés : {fait} / {total} ({debit:.0f} fichiers/s)"
        if self.terminal:
            print("\r" + ligne, end="\n" if fait >= total else "", file=self.flux, flush=True)
        else:
            print(ligne, file=self.flux, flush=True)


def verifier_integrite_cli(ctx: Contexte, args: argparse.Namespace) -> int:
    try:
        r = sauvegardes.verifier_integrite(ctx, progression=_LigneDeProgression(sys.stderr))
    except KeyboardInterrupt:
        print("\nContrôle interrompu (rien n'a été modifié).", file=sys.stderr)
        return 1
    for p in r.problemes:
        print(p)
    if r.orphelins:
        print(f"{len(r.orphelins)} fichier(s) du dépôt ne sont référencés par aucune pièce (sans gravité) :")
        for h in r.orphelins[:50]:
            print(f"  {h}")
    print(f"{r.fichiers_controles} fichier(s) déposé(s) relu(s) et comparé(s) à leur empreinte SHA-256.")
    print("Intégrité : correcte." if r.correct else f"Intégrité : {len(r.problemes)} problème(s).")
    return 0 if r.correct else 1


def _sans_contexte(url: str, args: argparse.Namespace) -> int:
    try:
        return _restaurer(url, args)
    except DomainError as exc:
        print(exc.message, file=sys.stderr)
        return 2


def _puis_fermer(executer):  # type: ignore[no-untyped-def]
    """Close the engine when the command is done: the database is left free (e.g. for a restore)."""
    def enveloppe(ctx: Contexte, args: argparse.Namespace) -> int:
        try:
            return int(executer(ctx, args))
        finally:
            ctx.db.dispose()
    return enveloppe


COMMANDES = [
    Commande("sauvegarder", "sauvegarde la base et le dépôt des fichiers (tâche planifiée : --quotidienne)",
             _puis_fermer(_sauvegarder), _configurer_sauvegarder),
    Commande("lister-sauvegardes", "liste les sauvegardes (date, taille, révision du schéma)", _puis_fermer(_lister),
             _configurer_lister),
    # Restore never opens (nor migrates) the current database first: it may be the broken one.
    Commande("restaurer", "restaure une sauvegarde (la base actuelle est conservée à côté)",
             lambda ctx, args: 2, _configurer_restaurer, avec_contexte=False, executer_sans_contexte=_sans_contexte),
    Commande("verifier-integrite", "contrôle d'intégrité de la base et du dépôt des fichiers",
             _puis_fermer(verifier_integrite_cli)),
]
