"""What checking a deposited file costs (storage/verification_fichier.py), against the bare libraries
doing the same parsing in the same run, as ratios: the hostile corpus of the tests
(tests/corpus_fichiers.py) and ordinary files of about 5 Mo (PDF, JPEG, PNG).

Three ways to parse each file are timed:
  « vérification »  the product's check: pure rules, then a child process under RLIMIT_AS and a delay;
  « nu, processus » the bare library in a child process started the same way and under the same
                    memory limit: pikepdf.open + the page count, or Pillow's open + load;
  « nu »            the bare library in this process (for the in-process ratio; not the bombs).
Peak memory is the child's own peak resident set (VmHWM, Linux), as it reports it.

    python benchmarks/bench_depots.py [--repetitions N]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pikepdf  # noqa: E402
from PIL import Image  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from cyclades_desktop.rules import fichiers as regles  # noqa: E402
from cyclades_desktop.rules.errors import ValidationError  # noqa: E402
from cyclades_desktop.storage.analyse_fichier import controler  # noqa: E402
from cyclades_desktop.storage.verification_fichier import analyser_isole  # noqa: E402
from tests.corpus_fichiers import MAUVAIS  # noqa: E402
from tests.fabriques_fichiers import jpeg, photo, png  # noqa: E402

# The bare library in a fresh interpreter, under the same address-space limit as the check.
NU = r"""
import io, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import pikepdf
from PIL import Image
donnees = sys.stdin.buffer.read()
try:
    if sys.argv[1] == "pdf":
        with pikepdf.open(io.BytesIO(donnees)) as pdf:
            len(pdf.pages)
    else:
        with Image.open(io.BytesIO(donnees)) as image:
            image.load()
    issue = "accepté"
except MemoryError:
    issue = "mémoire épuisée"
except Exception as exc:
    issue = type(exc).__name__
pic = next(int(ligne.split()[1]) for ligne in open("/proc/self/status") if ligne.startswith("VmHWM:"))
print(json.dumps({"issue": issue, "memoire_ko": pic}))
"""


def nu_en_processus(genre: str, contenu: bytes) -> tuple[float, int | None, str]:
    """(seconds, peak kilobytes, outcome) of the bare library in a child process."""
    debut = time.monotonic()
    try:
        fini = subprocess.run([sys.executable, "-c", NU, genre, str(regles.MEMOIRE_VERIFICATION)], input=contenu,
                              capture_output=True, timeout=regles.DELAI_VERIFICATION_S)
    except subprocess.TimeoutExpired:
        return time.monotonic() - debut, None, "délai dépassé"
    duree = time.monotonic() - debut
    try:
        reponse = json.loads(fini.stdout)
    except ValueError:
        return duree, None, f"arrêté (code {fini.returncode})"
    return duree, reponse["memoire_ko"], reponse["issue"]


def nu(genre: str, contenu: bytes) -> float:
    debut = time.perf_counter()
    try:
        if genre == "pdf":
            with pikepdf.open(io.BytesIO(contenu)) as pdf:
                len(pdf.pages)
        else:
            with Image.open(io.BytesIO(contenu)) as image:
                image.load()
    except Exception:
        pass
    return time.perf_counter() - debut


def en_processus(contenu: bytes) -> tuple[float, int | None, str | None]:
    issue = analyser_isole(contenu)
    return issue.duree_s, issue.memoire_ko, issue.refus


def en_memoire(nom: str, contenu: bytes) -> float:
    debut = time.perf_counter()
    try:
        controler(nom, contenu)
    except ValidationError:
        pass
    return time.perf_counter() - debut


def genre(nom: str) -> str:
    return "pdf" if regles.extension_declaree(nom) == "pdf" else "image"


def ms(secondes: float) -> str:
    return f"{secondes * 1000:8.1f} ms"


def mo(ko: float | None) -> str:
    return "      —" if ko is None else f"{ko / 1024:6.0f} Mo"


def resume(nom: str, valeurs: list[float], formater: Callable[[float], str]) -> str:
    s = sorted(valeurs)
    return (f"{nom:32s} médiane {formater(statistics.median(s))}   p95 {formater(s[int(0.95 * (len(s) - 1))])}   "
            f"max {formater(s[-1])}   (n={len(s)})")


def corpus_hostile() -> None:
    print(f"Corpus hostile : {len(MAUVAIS)} fichiers")
    avant, temps, memoires, temps_nu, memoires_nu, rapports_t, rapports_m = [], [], [], [], [], [], []
    issues_nu: dict[str, int] = {}
    for cas in MAUVAIS:
        contenu = cas.fabrique()
        debut = time.perf_counter()
        try:
            regles.examiner(cas.nom, contenu)
        except ValidationError:
            avant.append(time.perf_counter() - debut)       # refused by the pure rules: no child at all
            continue
        duree, pic, _refus = en_processus(contenu)
        duree_nu, pic_nu, issue_nu = nu_en_processus(genre(cas.nom), contenu)
        issues_nu[issue_nu] = issues_nu.get(issue_nu, 0) + 1
        temps.append(duree)
        temps_nu.append(duree_nu)
        rapports_t.append(duree / duree_nu)
        if pic is not None:
            memoires.append(pic)
        if pic_nu is not None:
            memoires_nu.append(pic_nu)
            if pic is not None:
                rapports_m.append(pic / pic_nu)
        print(f"  {cas.id:40s} vérification {ms(duree)} {mo(pic)}   nu, processus {ms(duree_nu)} {mo(pic_nu)}"
              f"   ({issue_nu})")
    print(resume("refusés par les règles pures", avant, ms))
    print(resume("vérification (processus)", temps, ms))
    print(resume("  mémoire de crête", memoires, mo))
    print(resume("nu, processus", temps_nu, ms))
    print(resume("  mémoire de crête", memoires_nu, mo))
    print(resume("rapport de temps", rapports_t, lambda r: f"{r:6.2f}×"))
    print(resume("rapport de mémoire", rapports_m, lambda r: f"{r:6.2f}×"))
    print("  la bibliothèque nue :", ", ".join(f"{n} {issue}" for issue, n in sorted(issues_nu.items())))


def pdf_photos(pages: int = 32) -> bytes:
    """A scanned file as a multifunction printer makes it: one photo per page, each its own image."""
    tampon = io.BytesIO()
    c = canvas.Canvas(tampon, pagesize=A4)
    for i in range(pages):
        page = jpeg(photo(1200, 900, bruit=60.0).rotate(i * 17, expand=False), quality=88)
        c.drawImage(ImageReader(io.BytesIO(page)), 40, 200, width=515, height=386)
        c.drawString(40, 800, f"Page {i + 1}")
        c.showPage()
    c.save()
    return tampon.getvalue()


def ordinaires(repetitions: int) -> None:
    bruit = Image.effect_noise((1650, 1250), 40)
    fichiers = {
        "PDF de 32 pages numérisées": ("piece.pdf", pdf_photos()),
        "JPEG 5400 × 4050": ("photo.jpg", jpeg(photo(5400, 4050, bruit=90.0), quality=95)),
        "PNG 1650 × 1250": ("scan.png", png(Image.merge("RGB", [bruit] * 3))),
    }
    print(f"\nFichiers ordinaires ({repetitions} passages chacun)")
    for libelle, (nom, contenu) in fichiers.items():
        assert len(contenu) <= regles.TAILLE_MAX, (libelle, len(contenu))
        mesures = [en_processus(contenu) for _ in range(repetitions)]
        assert all(refus is None for _, _, refus in mesures), mesures[0]
        nus = [nu_en_processus(genre(nom), contenu) for _ in range(repetitions)]
        t, m = statistics.median(d for d, _, _ in mesures), statistics.median(p or 0 for _, p, _ in mesures)
        t_nu, m_nu = statistics.median(d for d, _, _ in nus), statistics.median(p or 0 for _, p, _ in nus)
        t_mem = statistics.median(en_memoire(nom, contenu) for _ in range(repetitions))
        t_mem_nu = statistics.median(nu(genre(nom), contenu) for _ in range(repetitions))
        print(f"  {libelle} ({len(contenu) / 2**20:.1f} Mo)\n"
              f"    vérification, processus {ms(t)} {mo(m)}   nu, processus {ms(t_nu)} {mo(m_nu)}   "
              f"rapports {t / t_nu:5.2f}× en temps, {m / m_nu:5.2f}× en mémoire\n"
              f"    vérification, en mémoire {ms(t_mem)}   nu, en mémoire {ms(t_mem_nu)}   "
              f"rapport {t_mem / t_mem_nu:5.2f}× en temps")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    corpus_hostile()
    ordinaires(args.repetitions)


if __name__ == "__main__":
    main()
