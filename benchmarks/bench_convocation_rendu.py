"""Rendering speed of the « Convocation aux épreuves » on one core (target: 20,000 convocations in
≤ 90 s on 2 cores, i.e. at least ~112 pages/s per core plus the loading; target ≥ 200 pages/s/core).

Measures pages per second of :func:`documents.convocation.rendre_plusieurs` for 500 one-page
convocations (6 dated épreuves, 2 without a date, 3 aménagements), and the ceiling: a bare reportlab
canvas page drawing the same text lines with ``drawString`` (DejaVu embedded, no layout at all).

    python benchmarks/bench_convocation_rendu.py [NOMBRE]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from cyclades_desktop.documents import pdf  # noqa: E402
from cyclades_desktop.documents.convocation import rendre_plusieurs  # noqa: E402
from cyclades_desktop.documents.donnees import EnTeteBureau  # noqa: E402
from cyclades_desktop.documents.donnees_convocation import DonneesConvocation, EpreuveConvoquee  # noqa: E402
from cyclades_desktop.rules.temps import depuis_paris  # noqa: E402

BUREAU = EnTeteBureau(
    lignes=("RECTORAT DE L'ACADÉMIE D'AIX-MARSEILLE", "DIVISION DES EXAMENS ET CONCOURS", "DEC 5",
            "PLACE LUCIEN PAYE", "13621 AIX-EN-PROVENCE CEDEX 1"),
    telephone="04 42 91 70 00", email="dec5@ac-aix-marseille.fr", academie="Académie d'Aix-Marseille")
ADRESSE_CENTRE = ("6 RUE RENE GIRARDOT", "25404 AUDINCOURT CEDEX")


def exemple(i: int) -> DonneesConvocation:
    epreuves = [EpreuveConvoquee(f"E{k}-A", f"U{k}1", f"Épreuve écrite numéro {k} de la spécialité",
                                 depuis_paris(datetime(2025, 5, 12 + k, 8, 0)), 120, 40, "Écrit",
                                 "LP FERNAND LEGERE", ADRESSE_CENTRE, "03 81 36 22 00", f"B{k}")
                for k in range(1, 7)]
    epreuves += [EpreuveConvoquee("E5-A", "U51", "Français"), EpreuveConvoquee("E5-B", "U52", "Histoire")]
    return DonneesConvocation(
        i, "BACCALAURÉAT PROFESSIONNEL", "Aéronautique option Systèmes (25303)", 1,
        datetime(2025, 3, 1, 9, 0, tzinfo=UTC), f"{i:011d}", "001", "2025", BUREAU, "MADAME",
        f"NOM{i}", "Prénom", ("12 rue de la République", "13001 MARSEILLE"), tuple(epreuves),
        ("Majoration d'un tiers du temps", "Installation dans une salle à part", "Utilisation d'un ordinateur"),
        33)


def page_nue(lignes: list[str], nombre: int) -> bytes:
    """The ceiling: the same text lines drawn with drawString, nothing else."""
    pdf.enregistrer_polices()
    sortie = BytesIO()
    c = Canvas(sortie, pageCompression=1, invariant=1, initialFontName=pdf.POLICE)
    for _ in range(nombre):
        y = 800.0
        c.setFont(pdf.POLICE, 9)
        for ligne in lignes:
            c.drawString(51, y, ligne)
            y -= 11.5
        c.showPage()
    c.save()
    return sortie.getvalue()


def mesurer(nom: str, fabrique: Callable[[], bytes], pages: int, essais: int = 3) -> float:
    durees = []
    for _ in range(essais):
        debut = time.perf_counter()
        octets = fabrique()
        durees.append(time.perf_counter() - debut)
    d = statistics.median(durees)
    print(f"{nom:<48} {pages / d:7.0f} pages/s  ({d:.2f} s for {pages} pages, {len(octets) / 1e6:.1f} MB)")
    return pages / d


def main() -> None:
    nombre = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    donnees = [exemple(i) for i in range(nombre)]
    un = rendre_plusieurs(donnees[:1])
    assert len(PdfReader(BytesIO(un)).pages) == 1
    lignes = [x for x in PdfReader(BytesIO(un)).pages[0].extract_text().splitlines() if x.strip()]
    rendre_plusieurs(donnees[:5])   # fonts and caches warm
    mesurer(f"rendre_plusieurs ({nombre} convocations)", lambda: rendre_plusieurs(donnees), nombre)
    mesurer("same without compression", lambda: rendre_plusieurs(donnees, compression=False), nombre)
    mesurer(f"bare reportlab page, same {len(lignes)} lines", lambda: page_nue(lignes, nombre), nombre)


if __name__ == "__main__":
    main()
