"""Batch printing at scale: 20,000 convocations of a session into one merged PDF and
into a folder, on every core. Reports wall time, pages per second, peak memory of the main process
and of the workers (sampled from /proc, plus getrusage), compared with the same convocations drawn by
reportlab alone on one core with their data already in memory (the ceiling), and with a bare canvas
carrying the same text. Targets: ≤ 90 s, memory flat under 400 MB whatever the count.

    python benchmarks/bench_impressions.py [--n 20000] [--tailles 2000,20000] [--database-url URL]

Measured 23/11/2026 on the shared 2-core machine (load 7.5–9 from other work): merged PDF 20,000 pages
in 64 s (311 pages/s), folder 20,000 files in 87 s (229 pages/s); peak RSS main ≤ 138 MB, largest
worker ≤ 117 MB, all processes together ≤ 362 MB; merged 2,000 → 20,000: 239 → 248 MB (flat). The
ceiling (drawing code alone, data in memory, one core) measured 261 pages/s in the same conditions.

The first run generates its own database (benchmarks/out/impressions.sqlite): accounts and
candidatures (generer_comptes / generer_candidatures), one centre d'examen with rooms, the session's
créneaux for each spécialité's ponctual épreuves, and every candidate seated."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from cyclades_desktop.app import preparer_contexte  # noqa: E402
from cyclades_desktop.models import Candidature, EpreuveChoix, Etablissement, SessionExamen  # noqa: E402
from cyclades_desktop.models.organisation import Affectation, CentreExamen, Creneau, Salle  # noqa: E402
from cyclades_desktop.services import referentiel  # noqa: E402
from cyclades_desktop.services.impressions import lots as impressions  # noqa: E402
from cyclades_desktop.services.noyau.contexte import SYSTEME  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'impressions.sqlite'}"


# --- data -------------------------------------------------------------------------------------------

def generer(url: str, n: int) -> None:
    from benchmarks import generer_candidatures, generer_comptes

    generer_comptes.generer(url, n)
    generer_candidatures.generer(url, n)
    ctx = preparer_contexte(url)
    t0 = time.perf_counter()
    with ctx.transaction() as s:
        session = s.scalar(select(SessionExamen).where(SessionExamen.libelle == "2025"))
        etab = s.scalar(select(Etablissement).where(Etablissement.adresse.is_not(None),
                                                    Etablissement.ville.is_not(None)).limit(1))
        centre = CentreExamen(etablissement_uai=etab.uai, departements=[])
        s.add(centre)
        s.flush()
        salles = [Salle(centre_id=centre.id, nom=f"Salle {i + 1:02d}", capacite=2_000) for i in range(12)]
        s.add_all(salles)
        s.flush()
        # The ponctual leaves each spécialité's candidates are registered to: up to 4 créneaux each.
        debut = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)
        par_specialite: dict[str, list[tuple[str, str]]] = {}
        for sp, code, intitule in s.execute(
                select(Candidature.specialite_id, EpreuveChoix.code, func.min(EpreuveChoix.intitule))
                .join(EpreuveChoix, EpreuveChoix.candidature_id == Candidature.id)
                .where(Candidature.session_id == session.id, EpreuveChoix.groupe == 1,
                       EpreuveChoix.position == "Inscrit", EpreuveChoix.mode == "Ponctuel")
                .group_by(Candidature.specialite_id, EpreuveChoix.code)):
            par_specialite.setdefault(sp, []).append((code, intitule))
        creneaux: dict[str, list[tuple[int, str]]] = {}
        for k, (sp, epreuves) in enumerate(sorted(par_specialite.items())):
            for j, (code, intitule) in enumerate(sorted(epreuves)[:4]):
                c = Creneau(session_id=session.id, specialite_id=sp, epreuve_code=code, intitule=intitule,
                            debut=debut + timedelta(days=(k + j) % 10, hours=2 * j), duree_minutes=120 + 30 * j,
                            type=("ecrit", "oral", "pratique")[j % 3], modifie_le=None)
                s.add(c)
                s.flush()
                creneaux.setdefault(sp, []).append((c.id, code))
        choix: dict[int, set[str]] = {}
        for cid, code in s.execute(select(EpreuveChoix.candidature_id, EpreuveChoix.code)
                                   .where(EpreuveChoix.groupe == 1, EpreuveChoix.mode == "Ponctuel")):
            choix.setdefault(cid, set()).add(code)
        lignes = []
        for i, (cid, sp) in enumerate(s.execute(select(Candidature.id, Candidature.specialite_id)
                                                .where(Candidature.session_id == session.id))):
            for creneau_id, code in creneaux.get(sp, []):
                if code in choix.get(cid, ()):
                    lignes.append({"candidature_id": cid, "creneau_id": creneau_id,
                                   "salle_id": salles[i % len(salles)].id, "manuelle": False,
                                   "modifie_le": datetime.now(UTC)})
        s.execute(insert(Affectation), lignes)
    print(f"Organisation : 1 centre, {len(salles)} salles, {sum(map(len, creneaux.values()))} créneaux, "
          f"{len(lignes)} affectations en {time.perf_counter() - t0:.1f} s")
    ctx.db.dispose()


# --- memory -----------------------------------------------------------------------------------------

def _rss_mo(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for ligne in f:
                if ligne.startswith("VmRSS:"):
                    return int(ligne.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _enfants(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tache in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tache}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


class Echantillonneur(threading.Thread):
    """Peak RSS of this process, of its largest worker and of all of them together, every 100 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.arret = threading.Event()
        self.principal = self.travailleur = self.total = 0.0

    def run(self) -> None:
        while not self.arret.wait(0.1):
            moi = _rss_mo(os.getpid())
            enfants = [_rss_mo(p) for p in _enfants(os.getpid())]
            self.principal = max(self.principal, moi)
            self.travailleur = max([self.travailleur, *enfants])
            self.total = max(self.total, moi + sum(enfants))

    def __enter__(self) -> Echantillonneur:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.arret.set()
        self.join()


# --- the ceiling: reportlab alone, one core -----------------------------------------------------------

def plafond(url: str, n: int) -> tuple[float, float, int]:
    """(pages/s of the convocation drawing code, pages/s of a bare canvas with the same text, pages) for
    n convocations whose data is loaded beforehand (not timed). Runs in a child process."""
    from io import BytesIO

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    from cyclades_desktop.documents import convocation, pdf
    from cyclades_desktop.services.organisation import contenu_convocations
    from cyclades_desktop.storage.database import Database

    db = Database(url)
    with db.lecture() as s:
        ids = list(s.scalars(select(Candidature.id).order_by(Candidature.id).limit(n)))
        donnees = contenu_convocations.donnees_convocations(s, ids)
    convocation.rendre_plusieurs(donnees[:5])               # fonts registered, modules warm
    t0 = time.perf_counter()
    contenu = convocation.rendre_plusieurs(donnees)
    t_dessin = time.perf_counter() - t0
    pages = len(PdfReader(BytesIO(contenu)).pages)
    # The same text, line by line, on a bare canvas: no layout helpers at all.
    lignes_par_page = [p.extract_text().splitlines() for p in PdfReader(BytesIO(contenu)).pages]
    pdf.enregistrer_polices()
    t0 = time.perf_counter()
    c = Canvas(BytesIO(), pageCompression=1)
    for lignes in lignes_par_page:
        c.setFont(pdf.POLICE, 9)
        y = 800
        for ligne in lignes:
            c.drawString(50, y, ligne)
            y -= 11.5
        c.showPage()
    c.save()
    t_nu = time.perf_counter() - t0
    db.dispose()
    return pages / t_dessin, pages / t_nu, pages


# --- the batches ------------------------------------------------------------------------------------

def mesurer(url: str, n: int, mode: str, sortie: Path) -> dict[str, float]:
    ctx = preparer_contexte(url).avec_agent(SYSTEME)
    session_id = referentiel.session_par_libelle(ctx, "2025")
    ids = impressions.candidatures_du_perimetre(ctx, session_id)[:n]
    if sortie.exists():
        shutil.rmtree(sortie) if sortie.is_dir() else sortie.unlink()
    charge = os.getloadavg()[0]
    t0 = time.perf_counter()
    with Echantillonneur() as e:
        lot = impressions.creer_lot(ctx, impressions.CONVOCATIONS, ids, mode=mode, sortie=str(sortie))
        t_creation = time.perf_counter() - t0
        r = impressions.executer(ctx, lot)
    duree = time.perf_counter() - t0
    assert r.termine and not r.erreurs, r.erreurs[:5]
    taille = (sum(f.stat().st_size for f in sortie.iterdir()) if sortie.is_dir() else sortie.stat().st_size)
    ctx.db.dispose()
    return {"n": len(ids), "duree": duree, "creation": t_creation, "pages": r.pages, "pps": r.pages / duree,
            "principal": e.principal, "travailleur": e.travailleur, "total": e.total, "charge": charge,
            "charge_fin": os.getloadavg()[0], "taille_mo": taille / 2**20}


def _executer_mesure(url: str, n: int, mode: str, sortie: str) -> dict[str, float]:
    """In a fresh process, so that getrusage's peak belongs to this batch alone."""
    m = mesurer(url, n, mode, Path(sortie))
    m["maxrss_principal"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    m["maxrss_enfants"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return m


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--n", type=int, default=20_000)
    p.add_argument("--tailles", default="", help="other counts for the merged PDF, e.g. 2000,5000")
    p.add_argument("--plafond", type=int, default=1_000, help="convocations drawn for the ceiling")
    p.add_argument("--generer-seulement", action="store_true")
    a = p.parse_args()
    if a.database_url == DEFAULT_URL:
        OUT.mkdir(exist_ok=True)
    ctx = preparer_contexte(a.database_url)
    with ctx.lecture() as s:
        deja = s.scalar(select(func.count()).select_from(Candidature))
        organise = s.scalar(select(func.count()).select_from(Affectation))
    ctx.db.dispose()
    if a.generer_seulement:
        if not deja:
            generer(a.database_url, a.n)
        return
    if not deja or not organise:
        # A child process: the generation's memory must not count in this process's peak.
        subprocess.run([sys.executable, __file__, "--database-url", a.database_url, "--n", str(a.n),
                        "--generer-seulement"], check=True)
    print(f"Machine : {os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.2f} (1 min) au départ")
    spawn = get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        dessin, nu, pages = pool.submit(plafond, a.database_url, a.plafond).result()
    print(f"Plafond, 1 cœur, {pages} pages : dessin des convocations {dessin:.0f} pages/s ; canevas nu, même "
          f"texte {nu:.0f} pages/s (données déjà en mémoire)")
    essais = [(int(x), impressions.FICHIER_UNIQUE) for x in a.tailles.split(",") if x.strip()]
    essais += [(a.n, impressions.FICHIER_UNIQUE), (a.n, impressions.DOSSIER)]
    for n, mode in essais:
        sortie = OUT / ("convocations.pdf" if mode == impressions.FICHIER_UNIQUE else "convocations")
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            m = pool.submit(_executer_mesure, a.database_url, n, mode, str(sortie)).result()
        print(f"{impressions.MODES[mode]:45s} n={m['n']:>6} : {m['duree']:6.1f} s (dont création du lot "
              f"{m['creation']:.1f} s), {m['pages']:.0f} pages, {m['pps']:.0f} pages/s "
              f"({m['pps'] / (2 * dessin):.0%} du plafond × 2 cœurs), {m['taille_mo']:.0f} Mo écrits")
        print(f"{'':45s}          RSS max : principal {m['principal']:.0f} Mo (getrusage {m['maxrss_principal']:.0f}),"
              f" plus gros travailleur {m['travailleur']:.0f} Mo (getrusage {m['maxrss_enfants']:.0f}), "
              f"somme {m['total']:.0f} Mo ; charge {m['charge']:.1f} → {m['charge_fin']:.1f}")
        if sortie.is_dir():
            shutil.rmtree(sortie)


if __name__ == "__main__":
    main()
