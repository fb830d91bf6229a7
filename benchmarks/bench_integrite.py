"""What « verifier-integrite » costs on a large file store (services/sauvegardes/integrite.py): every
stored file read again in fixed-size blocks and compared with its SHA-256, against a bare
``hashlib.file_digest`` loop over the same files in the same run (the ceiling), as a ratio.

A store of ``--taille-mo`` of generated pièces (random bytes, 30 Ko to 5 Mo, as the accepted files) is
written in a temporary folder through the product's own ``Depot.ecrire``. Each measure is taken twice:
« froid », every file's pages dropped from the page cache first (posix_fadvise DONTNEED: the pages are
clean, so the kernel lets them go), which is what a store far larger than memory costs, and « chaud »,
the files just read. Three ways are timed, alternately:
  « service »  verifier_integrite on an empty migrated SQLite base whose store is this one (every file
               is then an orphan, and orphans are hashed like the others): the whole check;
  « boucle »   the service's own loop (controle.controler_fichiers) alone;
  « nu »       open + hashlib.file_digest + compare, nothing else.
Peak memory: the process's resident set before and after (getrusage), to show it stays flat.

    python benchmarks/bench_integrite.py [--taille-mo 2048] [--dossier /un/disque] [--garder]

Measured on the shared 2-core machine (ext4 on a virtual disk, load 3.7–5.5 from other work), 2,192 files,
2,049 Mo (mean 957 Ko), median of 5 passages: cold, the whole check 7.1 s (307 files/s, 287 Mo/s, 1.13 ×
the bare loop), its loop 6.5 s (1.03 ×), the bare loop 6.3 s (325 Mo/s); warm, 4.5 s (457 Mo/s, 0.99 ×).
Fixed part (the base's checks) 0.03–0.10 s; peak memory 132 Mo before and after. Earlier runs under
heavier load gave ratios from 0.9 to 1.3: the differences are within that noise. « Cold » drops this
machine's cache, not the host's under the virtual disk: a 10 Go store would take about 36 s here, but
the disk sets the pace elsewhere, about 70 s on a disk reading 150 Mo/s, 1.5 to 2 min on a 1 Gbit/s share.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cyclades_desktop.storage.fichiers import ENV_FICHIERS_DIR, Depot  # noqa: E402

MO = 1024 * 1024


def generer(depot: Depot, taille_mo: int, graine: int = 7) -> tuple[list[str], int]:
    """Files of 30 Ko to 5 Mo (log-uniform: many small scans, some large PDFs) up to ``taille_mo``."""
    hasard = random.Random(graine)
    hashes, total, t0 = [], 0, time.perf_counter()
    while total < taille_mo * MO:
        taille = int(2 ** hasard.uniform(15, 22.25))          # 32 Ko … ~5 Mo
        hashes.append(depot.ecrire(os.urandom(taille)))
        total += taille
    print(f"Dépôt généré : {len(hashes)} fichiers, {total / MO:.0f} Mo en {time.perf_counter() - t0:.0f} s "
          f"({depot.racine})")
    return sorted(hashes), total


def vider_cache(depot: Depot, hashes: list[str]) -> None:
    for h in hashes:
        fd = os.open(depot.chemin(h), os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def nu(depot: Depot, hashes: list[str]) -> int:
    mauvais = 0
    for h in hashes:
        with open(depot.chemin(h), "rb") as f:
            mauvais += hashlib.file_digest(f, "sha256").hexdigest() != h
    return mauvais


def boucle(depot: Depot, hashes: list[str]) -> int:
    from cyclades_desktop.services.sauvegardes.controle import controler_fichiers

    return len(controler_fichiers(depot, hashes).en_defaut)


def service_sur(url: str) -> tuple[Callable[[Depot, list[str]], int], float]:
    """The whole check, and its fixed part (the base's own checks) timed on an empty store."""
    from cyclades_desktop.app import preparer_contexte
    from cyclades_desktop.services.noyau.contexte import SYSTEME
    from cyclades_desktop.services.sauvegardes import verifier_integrite

    ctx = preparer_contexte(url).avec_agent(SYSTEME)
    depot = os.environ[ENV_FICHIERS_DIR]
    os.environ[ENV_FICHIERS_DIR] = tempfile.mkdtemp(prefix="vide-", dir=Path(depot).parent)
    fixe = []
    for _ in range(3):
        t0 = time.perf_counter()
        verifier_integrite(ctx)
        fixe.append(time.perf_counter() - t0)
    os.environ[ENV_FICHIERS_DIR] = depot

    def service(_depot: Depot, hashes: list[str]) -> int:
        r = verifier_integrite(ctx)
        assert r.fichiers_controles == len(hashes), (r.fichiers_controles, len(hashes))
        return len(r.problemes)
    return service, statistics.median(fixe)


def rss_mo() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--taille-mo", type=int, default=2048)
    p.add_argument("--dossier", default=None, help="où créer le dépôt (défaut : un dossier temporaire)")
    p.add_argument("--repetitions", type=int, default=2)
    p.add_argument("--garder", action="store_true", help="ne pas supprimer le dépôt généré")
    args = p.parse_args()
    racine = Path(tempfile.mkdtemp(prefix="bench-integrite-", dir=args.dossier))
    try:
        depot = Depot(racine / "fichiers")
        hashes, octets = generer(depot, args.taille_mo)
        os.environ[ENV_FICHIERS_DIR] = str(depot.racine)    # the service's base finds this store
        service, fixe = service_sur(f"sqlite:///{racine / 'base.sqlite'}")
        facons = {"service": service, "boucle": boucle, "nu": nu}
        rss_avant = rss_mo()
        mesures: dict[tuple[str, str], list[float]] = {}
        noms = list(facons)
        for n in range(args.repetitions):
            for cache in ("froid", "chaud"):
                # Alternated, and each passage starting with another: no way always runs first.
                for nom in noms[n % 3:] + noms[:n % 3]:
                    faire = facons[nom]
                    if cache == "froid":
                        vider_cache(depot, hashes)
                    else:
                        nu(depot, hashes)
                    t0 = time.perf_counter()
                    assert faire(depot, hashes) == 0
                    mesures.setdefault((nom, cache), []).append(time.perf_counter() - t0)
        print(f"\n{len(hashes)} fichiers, {octets / MO:.0f} Mo (moyenne {octets / len(hashes) / 1024:.0f} Ko), "
              f"médiane de {args.repetitions} passages")
        print(f"{'':10}{'cache':>7}{'durée':>9}{'fichiers/s':>12}{'Mo/s':>8}{'÷ nu':>7}")
        for (nom, cache), durees in mesures.items():
            d = statistics.median(durees)
            ref = statistics.median(mesures[("nu", cache)])
            print(f"{nom:10}{cache:>7}{d:>8.1f}s{len(hashes) / d:>12.0f}{octets / MO / d:>8.0f}{d / ref:>7.2f}")
        froid = statistics.median(mesures[("service", "froid")])
        debit = octets / MO / froid
        print(f"\nPart fixe du service (contrôles de la base, dépôt vide) : {fixe:.2f} s.")
        print(f"Mémoire : pic du processus {rss_avant:.0f} Mo avant les passages, {rss_mo():.0f} Mo après.")
        print(f"Extrapolation à 10 Go au débit froid mesuré ({debit:.0f} Mo/s) : {10 * 1024 / debit / 60:.1f} min, "
              f"soit {10 * 1024 * MO / (octets / len(hashes)):.0f} fichiers de cette taille moyenne.")
    finally:
        if not args.garder:
            shutil.rmtree(racine, ignore_errors=True)


if __name__ == "__main__":
    main()
