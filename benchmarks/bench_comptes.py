"""Candidate accounts at scale: first page of the list, search as you type on a
name prefix and on a N° candidat (median, p95), start-up to a usable window.

    python benchmarks/generer_comptes.py          # once: 200,000 accounts
    python benchmarks/bench_comptes.py            # measures, prints a table
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generer_comptes import DEFAULT_URL  # noqa: E402
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau.contexte import Contexte  # noqa: E402
from cyclades_desktop.services.personnel import agents as staff  # noqa: E402
from cyclades_desktop.storage.database import Database  # noqa: E402

LOGIN = "bench"
MDP = "Bench-Bureau-2024"


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"médiane {statistics.median(s) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   (n={len(s)})"


def _chef(ctx: Contexte) -> Contexte:
    try:
        return ctx.avec_agent(staff.agent_par_login(ctx, LOGIN))
    except Exception:
        if staff.premier_demarrage(ctx):
            return ctx.avec_agent(staff.creer_premier_chef(ctx, staff.SaisieAgent(
                login=LOGIN, nom="Bench", prenom="Bench", mot_de_passe=MDP, mot_de_passe_confirmation=MDP)))
        raise


def main(url: str = DEFAULT_URL) -> None:
    db = Database(url)
    ctx = _chef(Contexte(db))
    total = comptes.compter(ctx)
    print(f"Base : {url}  —  {total} comptes")

    # Service level: the query behind the first page and behind each keystroke.
    premiere = [time.perf_counter() - t for t in [time.perf_counter()] if comptes.rechercher(ctx, "", limite=100)]
    for _ in range(20):
        t = time.perf_counter()
        comptes.rechercher(ctx, "", limite=100)
        premiere.append(time.perf_counter() - t)
    print("Service, première page (100 lignes)      :", _ms(premiere))

    noms = ["MARTIN", "DUPONT", "LEFEVRE", "NGUYEN", "GARCIA", "ROUSSEAU", "BENOIT", "LEGRAND", "MULLER", "EVA"]
    frappe = []
    for nom in noms:
        for k in range(1, len(nom) + 1):  # one query per keystroke, as typed
            t = time.perf_counter()
            comptes.rechercher(ctx, nom[:k].lower(), limite=100)
            frappe.append(time.perf_counter() - t)
    print("Service, recherche nom (par frappe)       :", _ms(frappe))
    num = comptes.rechercher(ctx, "", limite=1)[0].numero_candidat
    numeros = []
    for _ in range(5):
        for k in range(1, 12):
            t = time.perf_counter()
            comptes.rechercher(ctx, num[:k], limite=100)
            numeros.append(time.perf_counter() - t)
    print("Service, recherche N° candidat (par frappe):", _ms(numeros))

    # Screen level: the Candidats area built and its first page shown; typing in its search box.
    from PySide6.QtWidgets import QApplication, QTableView

    from cyclades_desktop.ui.comptes.zone import ZoneComptes
    app = QApplication.instance() or QApplication([])
    ouverture = []
    for _ in range(10):
        t = time.perf_counter()
        zone = ZoneComptes(ctx)
        zone.show()
        vue = next(v for v in zone.findChildren(QTableView) if v.accessibleName() == "Liste des comptes candidats")
        while vue.model().rowCount() == 0:
            app.processEvents()
        vue.viewport().repaint()
        ouverture.append(time.perf_counter() - t)
        zone.close()
        zone.deleteLater()
        app.processEvents()
    print("Écran, liste des candidats (1re page)      :", _ms(ouverture))
    zone = ZoneComptes(ctx)
    zone.show()
    vue = next(v for v in zone.findChildren(QTableView) if v.accessibleName() == "Liste des comptes candidats")
    ecran = []
    for nom in noms:
        for k in range(1, len(nom) + 1):
            t = time.perf_counter()
            zone.rechercher(nom[:k])  # the debounced search, run now
            vue.viewport().repaint()
            ecran.append(time.perf_counter() - t)
    print("Écran, recherche nom (frappe → affichage)  :", _ms(ecran))
    db.dispose()

    # Start-up: a fresh process, from interpreter start to the main window shown and signed in.
    code = ("import time,os;t=time.perf_counter();os.environ['QT_QPA_PLATFORM']='offscreen';"
            "from cyclades_desktop.app import create_main_window;from PySide6.QtWidgets import QApplication;"
            f"w=create_main_window({url!r}, user={LOGIN!r});w.show();QApplication.processEvents();"
            "print(time.perf_counter()-t)")
    demarrages = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                       cwd=Path(__file__).resolve().parents[1])
        demarrages.append(time.perf_counter() - t)
    print("Démarrage jusqu'à la fenêtre utilisable   :", _ms(demarrages))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL)
