"""Checking a deposited file in a child process, so that a hostile file costs a bounded time and
memory (a few seconds, a few hundred megabytes) and is then refused.

The parent makes the pure checks first (name, size, format: rules/fichiers.py), then hands the bytes
to a fresh interpreter, ``python -m cyclades_desktop.storage.verification_fichier``, on its standard
input. The child caps its own address space (RLIMIT_AS) and CPU time before importing the parsers,
parses the file (analyse_fichier.py) and answers one line of JSON; the parent kills it past the
delay. A fresh interpreter rather than a fork, since a forked copy of a Qt application (threads, open
connections) is unsafe; and rather than multiprocessing's spawn, which would import the
application's main module (SQLAlchemy and all) into every check."""

from __future__ import annotations

import json
import logging
import math
import os
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..rules import fichiers as regles
from ..rules.errors import DomainError, ValidationError

MODULE = "cyclades_desktop.storage.verification_fichier"
# The frozen build has no « -m »: its executable becomes the checker when given this argument.
ARGUMENT_GELE = "--verifier-fichier"
# The child could not import its parsers: the installation is at fault, not the file.
CODE_DEMARRAGE_IMPOSSIBLE = 3
_REPONSE_MAX = 64 * 1024
_journal = logging.getLogger(__name__)


@dataclass(frozen=True)
class Issue:
    """What the child answered, and what the check cost (the benchmark reads these)."""

    type_mime: str | None = None
    pages: int | None = None
    refus: str | None = None         # the French reason, when the file is refused
    memoire_ko: int | None = None    # the child's peak resident memory, when it could tell
    duree_s: float = 0.0             # wall time, the interpreter's start included


def verifier(nom: str, contenu: bytes, *, taille_max: int = regles.TAILLE_MAX,
             delai_s: float = regles.DELAI_VERIFICATION_S,
             memoire: int = regles.MEMOIRE_VERIFICATION) -> regles.FichierControle:
    """Check one deposited file; raise ValidationError({"fichier": message}) when it is refused, a
    DomainError when the checker cannot start at all (nothing is accepted unchecked)."""
    examen = regles.examiner(nom, contenu, taille_max)
    issue = analyser_isole(contenu, delai_s=delai_s, memoire=memoire)
    if issue.refus is not None:
        regles.refuser(issue.refus)
    if issue.type_mime != examen.type_mime:
        # A child that saw another format than the parent did cannot be believed.
        regles.refuser(regles.MESSAGE_VERIFICATION_INTERROMPUE)
    return examen.controle(issue.pages)


def analyser_isole(contenu: bytes, *, delai_s: float = regles.DELAI_VERIFICATION_S,
                   memoire: int = regles.MEMOIRE_VERIFICATION) -> Issue:
    """Parse ``contenu`` in a child process bounded by ``delai_s`` seconds (wall) and ``memoire``
    bytes of address space (enforced on Linux; elsewhere the delay and the parsers' own limits)."""
    debut = time.monotonic()
    options: dict[str, Any] = {}
    if os.name == "nt":
        options["creationflags"] = subprocess.CREATE_NO_WINDOW   # no console flashing over the window
    try:
        enfant = subprocess.Popen(_commande(delai_s, memoire), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=_environnement(), **options)
    except OSError as exc:
        raise DomainError(regles.MESSAGE_VERIFICATION_IMPOSSIBLE.format(detail=exc.strerror or exc)) from exc
    try:
        sortie, erreurs = enfant.communicate(contenu, timeout=delai_s)
    except subprocess.TimeoutExpired:
        enfant.kill()
        enfant.communicate()
        return Issue(refus=regles.message_delai(delai_s), duree_s=time.monotonic() - debut)
    duree = time.monotonic() - debut
    if erreurs:
        _journal.warning("Vérificateur de fichiers (code %s) : %s", enfant.returncode,
                         erreurs[-2000:].decode("utf-8", "replace"))
    if enfant.returncode == CODE_DEMARRAGE_IMPOSSIBLE:
        detail = erreurs.decode("utf-8", "replace").strip().splitlines()[-1:] or ["arrêt au démarrage"]
        raise DomainError(regles.MESSAGE_VERIFICATION_IMPOSSIBLE.format(detail=detail[0][:200]))
    reponse = _lire_reponse(sortie) if enfant.returncode == 0 else None
    if reponse is None:
        return Issue(refus=_cause_de_l_arret(enfant.returncode, erreurs, delai_s, memoire), duree_s=duree)
    return Issue(type_mime=_texte(reponse.get("type_mime")), pages=_entier(reponse.get("pages")),
                 refus=_texte(reponse.get("refus")), memoire_ko=_entier(reponse.get("memoire_ko")), duree_s=duree)


def _cause_de_l_arret(code: int, erreurs: bytes, delai_s: float, memoire: int) -> str:
    """The child died on this file: past its CPU time (SIGXCPU), out of memory inside a C library
    (std::bad_alloc, abort), or crashed. Refused in every case."""
    if code == -getattr(signal, "SIGXCPU", 24):
        return regles.message_delai(delai_s)
    if b"MemoryError" in erreurs or b"bad_alloc" in erreurs:
        return regles.message_memoire(memoire)
    return regles.MESSAGE_VERIFICATION_INTERROMPUE


def _lire_reponse(sortie: bytes) -> dict[str, Any] | None:
    try:
        reponse = json.loads(sortie[:_REPONSE_MAX].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return reponse if isinstance(reponse, dict) else None


def _texte(valeur: object) -> str | None:
    return valeur[:2000] if isinstance(valeur, str) else None


def _entier(valeur: object) -> int | None:
    return valeur if isinstance(valeur, int) and not isinstance(valeur, bool) else None


def _commande(delai_s: float, memoire: int) -> list[str]:
    if not sys.executable:
        raise DomainError(regles.MESSAGE_VERIFICATION_IMPOSSIBLE.format(detail="interpréteur introuvable"))
    parametres = [f"--delai={delai_s}", f"--memoire={memoire}"]
    if getattr(sys, "frozen", False):
        return [sys.executable, ARGUMENT_GELE, *parametres]
    return [sys.executable, "-m", MODULE, *parametres]


def _environnement() -> dict[str, str]:
    """The parent's environment, with the folder holding this package first on the import path
    (the application may run from a checkout, not an installed package)."""
    env = dict(os.environ)
    racine = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (racine, env.get("PYTHONPATH"))))
    return env


# ------------------------------------------------------------------------------------- the child

def principal(arguments: list[str] | None = None) -> int:
    """The child: limits first, then the file from standard input, one line of JSON on output."""
    parametres = dict(a.removeprefix("--").split("=", 1) for a in (arguments if arguments is not None
                                                                    else sys.argv[1:]) if "=" in a)
    delai_s = float(parametres.get("delai", regles.DELAI_VERIFICATION_S))
    memoire = int(parametres.get("memoire", regles.MEMOIRE_VERIFICATION))
    _limiter(delai_s, memoire)
    try:
        import pikepdf  # noqa: F401  (imported here, so that a missing parser is an installation fault)
        from PIL import Image  # noqa: F401

        from . import analyse_fichier
    except ImportError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return CODE_DEMARRAGE_IMPOSSIBLE
    contenu = sys.stdin.buffer.read()
    reponse: dict[str, Any]
    try:
        analyse = analyse_fichier.analyser(contenu)
        reponse = {"type_mime": analyse.type_mime, "pages": analyse.pages}
    except ValidationError as exc:
        reponse = {"refus": exc.errors.get(regles.CHAMP) or exc.message}
    except MemoryError:
        reponse = {"refus": regles.message_memoire(memoire)}
    except Exception:
        # A parser failing in a way nobody foresaw: the file is refused, never accepted.
        traceback.print_exc()
        reponse = {"refus": regles.MESSAGE_VERIFICATION_INTERROMPUE}
    del contenu
    reponse["memoire_ko"] = _pic_memoire_ko()
    sys.stdout.write(json.dumps(reponse))
    sys.stdout.flush()
    return 0


def _limiter(delai_s: float, memoire: int) -> None:
    try:
        import resource
    except ImportError:      # Windows: the parent's delay and the parsers' own limits only
        return

    def plafonner(limite: int, valeur: int, marge: int = 0) -> None:
        _souple, dure = resource.getrlimit(limite)
        if dure != resource.RLIM_INFINITY:
            valeur = min(valeur, dure)
        resource.setrlimit(limite, (valeur, valeur + marge if dure == resource.RLIM_INFINITY else dure))

    plafonner(resource.RLIMIT_AS, memoire)
    # CPU time as a second bound, in case the parent's clock is not watching (a blocked parent).
    plafonner(resource.RLIMIT_CPU, math.ceil(delai_s) + 1, 1)
    plafonner(resource.RLIMIT_FSIZE, 0)      # the check writes no file
    plafonner(resource.RLIMIT_CORE, 0)       # and a crash leaves no core dump of an identity document


def _pic_memoire_ko() -> int | None:
    """This process's peak resident memory, in kilobytes. On Linux from /proc (VmHWM): ru_maxrss
    survives exec and would report the parent's size when that is larger."""
    try:
        with open("/proc/self/status", encoding="ascii") as statut:
            for ligne in statut:
                if ligne.startswith("VmHWM:"):
                    return int(ligne.split()[1])
    except (OSError, ValueError):
        pass
    try:
        import resource
    except ImportError:
        return None
    pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return pic // 1024 if sys.platform == "darwin" else pic     # bytes on macOS, kilobytes elsewhere


if __name__ == "__main__":
    raise SystemExit(principal())
