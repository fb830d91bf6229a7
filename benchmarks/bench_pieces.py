"""The reviewers' grid at scale (200,000 candidatures × 5 pièces): open the grid (first page on
screen), change a filter, set a status (service round trip and row refresh), move to the next piece
with its file shown (median, p95). Targets: 200 ms, 150 ms, 50 ms, 100 ms.

    python benchmarks/generer_comptes.py && python benchmarks/generer_candidatures.py   # once
    python benchmarks/generer_pieces.py                                                  # once
    python benchmarks/bench_pieces.py [DATABASE_URL]
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_comptes import MDP, _chef, _ms  # noqa: E402
from benchmarks.generer_comptes import DEFAULT_URL  # noqa: E402
from cyclades_desktop.rules import pieces as rp  # noqa: E402
from cyclades_desktop.rules.personnel import Role  # noqa: E402
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.justificatifs.controle import FiltrePieces  # noqa: E402
from cyclades_desktop.services.noyau.contexte import Contexte  # noqa: E402
from cyclades_desktop.services.personnel import agents as staff  # noqa: E402
from cyclades_desktop.storage import migrate  # noqa: E402
from cyclades_desktop.storage.database import Database  # noqa: E402

GESTIONNAIRE = "bench-gestion"
PORTEFEUILLE = "MECANIQUE-AERONAUTIQUE"


def _gestionnaire(chef: Contexte) -> Contexte:
    try:
        return chef.avec_agent(staff.agent_par_login(chef, GESTIONNAIRE))
    except Exception:
        return chef.avec_agent(staff.creer_agent(chef, staff.SaisieAgent(
            login=GESTIONNAIRE, nom="Gestion", prenom="Bench", role=Role.GESTIONNAIRE,
            portefeuilles=[PORTEFEUILLE], mot_de_passe=MDP, mot_de_passe_confirmation=MDP)))


def _chrono(fonction: Callable[[], object], n: int) -> list[float]:
    temps = []
    for _ in range(n):
        t = time.perf_counter()
        fonction()
        temps.append(time.perf_counter() - t)
    return temps


def main(url: str = DEFAULT_URL) -> None:
    db = Database(url)
    migrate.upgrade(db)
    chef = _chef(Contexte(db))
    gestion = _gestionnaire(chef)
    tout = controle.compter_par_statut(chef, FiltrePieces(seulement_requises=False, seulement_actives=False))
    print(f"Base : {url}  —  {sum(tout.values())} pièces")

    # Service level.
    for nom, ctx, filtre in (("chef, tout", chef, FiltrePieces()),
                             ("gestionnaire, portefeuille", gestion, FiltrePieces(mon_portefeuille=True)),
                             ("statut Non conforme", chef, FiltrePieces(statut=rp.NON_CONFORME)),
                             ("spécialité BCP-31213", chef, FiltrePieces(specialite_id="BCP-31213")),
                             ("candidat « MART »", chef, FiltrePieces(candidat="MART"))):
        page = controle.grille(ctx, filtre)
        print(f"Service, 1re page ({nom:27s})    :",
              _ms(_chrono(lambda c=ctx, f=filtre: controle.grille(c, f), 15)))
        print(f"Service, page suivante ({nom:22s})    :", _ms(_chrono(
            lambda c=ctx, f=filtre, a=page[-1].cle: controle.grille(c, f, apres=a), 15)))
        print(f"Service, comptes par statut ({nom:17s})    :", _ms(_chrono(
            lambda c=ctx, f=filtre: controle.compter_par_statut(c, f), 5)))

    from PySide6.QtCore import Qt
    from PySide6.QtPdf import QPdfPageRenderer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from cyclades_desktop.ui.pieces.zone import ZonePieces
    app = QApplication.instance() or QApplication([])

    # Screen: the area built and its first page on screen (the first row's file loaded beside it).
    for nom, ctx in (("gestionnaire", gestion), ("chef", chef)):
        ouverture, comptes = [], []
        for _ in range(10):
            t = time.perf_counter()
            zone = ZonePieces(ctx)
            zone.resize(1060, 720)
            zone.show()
            zone.table.viewport().repaint()
            ouverture.append(time.perf_counter() - t)
            while zone.compteurs.comptes is None:      # counted on a worker thread meanwhile
                app.processEvents()
            comptes.append(time.perf_counter() - t)
            zone.close()
            zone.deleteLater()
            app.processEvents()
        print(f"Écran, ouverture de la grille ({nom:12s})           :", _ms(ouverture))
        print(f"Écran, compteurs affichés ({nom:12s}, arrière-plan) :", _ms(comptes))

    zone = ZonePieces(chef)
    zone.resize(1060, 720)
    zone.show()
    app.processEvents()

    # Change a filter: the status, then the spécialité, back and forth (first page shown again).
    statuts = [zone.statut.findData(s) for s in (rp.NON_CONFORME, rp.CONFORME, rp.EN_ATTENTE_CONTROLE)] + [0]
    specialites = [zone.specialite.findData(s) for s in ("BCP-31213", "BCP-25303", "CAP-22141")] + [0]
    filtres: list[float] = []
    for _ in range(4):
        for combo, valeurs in ((zone.statut, statuts), (zone.specialite, specialites)):
            for v in valeurs:
                t = time.perf_counter()
                combo.setCurrentIndex(v)
                zone.table.viewport().repaint()
                filtres.append(time.perf_counter() - t)
    print("Écran, changer un filtre (statut / spécialité)         :", _ms(filtres))

    # Set a status: the service round trip and the row refreshed on screen.
    zone.statut.setCurrentIndex(zone.statut.findData(rp.EN_ATTENTE_CONTROLE))
    aller_retour: list[float] = []
    for i in range(40):
        ligne = zone.modele.ligne(i)
        nouveau = rp.CONFORME if i % 2 else rp.EN_ATTENTE_CONTROLE
        t = time.perf_counter()
        justificatifs.changer_statut(chef, [ligne.id], nouveau, row_versions={ligne.id: ligne.row_version})
        zone.modele.remplacer(controle.ligne(chef, ligne.id))
        zone.table.viewport().repaint()
        aller_retour.append(time.perf_counter() - t)
    print("Écran, poser un statut (service + ligne rafraîchie)    :", _ms(aller_retour))

    # The review queue: next row selected, its file loaded and drawn (a PDF page rendered by QPdfView's
    # worker thread, an image scaled into its label).
    rendu = zone.visionneuse.vue_pdf.findChild(QPdfPageRenderer)
    pages_rendues: list[int] = []
    rendu.pageRendered.connect(lambda *a: pages_rendues.append(1))
    zone.statut.setCurrentIndex(0)
    zone._aller_a(0)
    app.processEvents()
    suivant: dict[str, list[float]] = {"PDF": [], "image": [], "sans fichier": []}
    for rangee in range(1, 121):
        pages_rendues.clear()
        t = time.perf_counter()
        zone._aller_a(rangee)
        v = zone.visionneuse
        if v.pile.currentWidget() is v.vue_pdf:
            v.vue_pdf.viewport().repaint()
            while not pages_rendues:
                app.processEvents()
            v.vue_pdf.viewport().repaint()
            genre = "PDF"
        else:
            v.repaint()
            genre = "image" if v.fichier is not None else "sans fichier"
        suivant[genre].append(time.perf_counter() - t)
    print("Écran, pièce suivante et son fichier affiché (tout)    :", _ms(sum(suivant.values(), [])))
    for genre, temps in suivant.items():
        if temps:
            print(f"    … {genre:12s}                                      :", _ms(temps))

    # The same through the keyboard: C on the row, saved, next row and its file shown.
    zone.activateWindow()
    zone.table.setFocus()
    app.processEvents()
    clavier: list[float] = []
    depart = zone.table.currentIndex().row()
    for _ in range(30):
        t = time.perf_counter()
        QTest.keyClick(zone.table, Qt.Key.Key_C)
        zone.visionneuse.repaint()
        clavier.append(time.perf_counter() - t)
    if zone.table.currentIndex().row() != depart + 30:
        raise SystemExit("La touche C n'a pas été prise en compte : mesure invalide.")
    print("Écran, touche C → enregistré, pièce suivante affichée   :", _ms(clavier))
    zone.compteur.attendre()
    zone.close()
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL)
