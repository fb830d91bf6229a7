"""Rendering speed and memory of the « Relevé de notes » batch (target: at least 50 % of the page rate
of a bare reportlab canvas drawing the same strings, measured in the same run).

Renders NOMBRE one-page relevés (BCP: 15 units, one facultative, jury points, mention) into one PDF with
:func:`documents.releve.rendre_releves`; the reference draws, on as many pages, the text lines a relevé
holds (read back from one of them with pypdf) with ``drawString`` in DejaVu: no layout, no rules, no
table. Then the peak of Python allocations (tracemalloc) for the same batch, and the process's peak RSS.

    python benchmarks/bench_releves.py [NOMBRE]        # 2000 by default
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from cyclades_desktop.documents import pdf  # noqa: E402
from cyclades_desktop.documents.donnees import EnTeteBureau  # noqa: E402
from cyclades_desktop.documents.donnees_resultats import (  # noqa: E402
    DonneesReleve,
    IdentiteCandidat,
    LigneNoteReleve,
)
from cyclades_desktop.documents.releve import rendre_releves  # noqa: E402

BUREAU = EnTeteBureau(
    lignes=("RECTORAT DE L'ACADÉMIE D'AIX-MARSEILLE", "DIVISION DES EXAMENS ET CONCOURS", "DEC 5",
            "PLACE LUCIEN PAYE", "13621 AIX-EN-PROVENCE CEDEX 1"),
    telephone="04 42 91 70 00", email="dec5@ac-aix-marseille.fr", academie="Académie d'Aix-Marseille")
UNITES = (
    ("E1", "Épreuve scientifique", None, 0), ("E1-A", "Mathématiques", "U11", 1),
    ("E1-B", "Physique-chimie", "U12", 1), ("E2", "Analyse technique d'un système", "U2", 0),
    ("E3", "Pratique professionnelle", None, 0), ("E3-A", "Inspection et relation en entreprise", "U31", 1),
    ("E3-B", "Montage et démontage", "U32", 1), ("E3-C", "Essais, réglages et mise en œuvre", "U33", 1),
    ("E3-D", "Économie-gestion", "U34", 1), ("E3-E", "Prévention, santé, environnement", "U35", 1),
    ("E4", "Langue vivante", "U4", 0), ("E5-A", "Français", "U51", 1),
    ("E5-B", "Histoire-géographie et enseignement moral et civique", "U52", 1),
    ("E6", "Arts appliqués et cultures artistiques", "U6", 0), ("E7", "Éducation physique et sportive", "U7", 0),
)


def exemple(i: int) -> DonneesReleve:
    lignes = []
    for k, (code, intitule, unite, niveau) in enumerate(UNITES):
        if unite is None:
            lignes.append(LigneNoteReleve(code, intitule, None, "", "", niveau=niveau))
            continue
        note = 6 + (i * 7 + k * 13) % 140 / 10
        observation = "Bénéfice (session 2023)" if k == 3 and i % 5 == 0 else ""
        lignes.append(LigneNoteReleve(code, intitule, unite, "2", f"{note:.2f}".replace(".", ","),
                                      f"{2 * note:.2f}".replace(".", ","), observation, niveau))
    candidat = IdentiteCandidat("MADAME" if i % 2 else "MONSIEUR", f"NOM{i:05d}", "Prénom Deuxième",
                                date(2005, 1 + i % 12, 1 + i % 28), f"{25_000_000_000 + i:011d}", "001",
                                "MARSEILLE (13)", (f"{i % 90 + 1} rue de la République", "13001 MARSEILLE"),
                                "LP FERNAND LEGERE (0250001R)", "SCOLAIRE BACPRO 1 AN (133)")
    return DonneesReleve(
        i, "BACCALAURÉAT PROFESSIONNEL", "Aéronautique option Systèmes (25303)", "2025", 1,
        datetime(2025, 7, 4, 12, 0, tzinfo=UTC), BUREAU, candidat, tuple(lignes),
        (LigneNoteReleve("EF1", "Langue vivante facultative : anglais", "UF1", "", "13,00", "3,00",
                         "Points au-dessus de 10"),),
        moyenne_generale="12,34", moyenne_enseignement_general="11,20", moyenne_professionnelle="13,05",
        points_facultatives="0,12", points_jury="0,25" if i % 4 == 0 else "", decision="Admis",
        mention="Assez bien", delibere_le=date(2025, 7, 3))


def page_nue(lignes: list[str], nombre: int) -> bytes:
    """The reference: the same text lines drawn with drawString, nothing else."""
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


def mesurer(fabriques: dict[str, Callable[[], bytes]], pages: int, essais: int = 5) -> dict[str, float]:
    """Pages per second of each, the runs interleaved (a, b, a, b…) so that a change of the machine's
    load during the measure weighs on both alike; the median of each."""
    durees: dict[str, list[float]] = {nom: [] for nom in fabriques}
    tailles: dict[str, int] = {}
    for _ in range(essais):
        for nom, fabrique in fabriques.items():
            debut = time.perf_counter()
            tailles[nom] = len(fabrique())
            durees[nom].append(time.perf_counter() - debut)
    debits = {}
    for nom, liste in durees.items():
        d = statistics.median(liste)
        debits[nom] = pages / d
        print(f"{nom:<52} {pages / d:7.0f} pages/s  ({d:.2f} s for {pages} pages, {tailles[nom] / 1e6:.1f} MB)")
    return debits


def main() -> None:
    nombre = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    donnees = [exemple(i) for i in range(nombre)]
    un = rendre_releves(donnees[:1])
    assert len(PdfReader(BytesIO(un)).pages) == 1, "a relevé of the benchmark must hold on one page"
    lignes = [x for x in PdfReader(BytesIO(un)).pages[0].extract_text().splitlines() if x.strip()]
    rendre_releves(donnees[:5])   # fonts and caches warm
    nous, nu = f"rendre_releves ({nombre} relevés, one PDF)", f"bare reportlab canvas, same {len(lignes)} lines"
    debits = mesurer({nous: lambda: rendre_releves(donnees), nu: lambda: page_nue(lignes, nombre)}, nombre)
    print(f"ratio: {debits[nous] / debits[nu]:.0%} of the bare canvas's page rate (target ≥ 50 %)")
    tracemalloc.start()
    octets = rendre_releves(donnees)
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python allocations while rendering {nombre} relevés: {pic / 1e6:.1f} MB "
          f"(output {len(octets) / 1e6:.1f} MB)")
    print(f"peak resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
