"""Grades and deliberation at scale: ~20,000 candidatures with all their grades (about ten units each), one
grade entry round trip through the services (target ≤ 30 ms) and the deliberation of the whole session, jury
by jury (target ≤ 10 s). Builds its own database: the accounts by generer_comptes.py, then candidatures of
the spécialités whose épreuves tree has every coefficient (the others would be refused by the deliberation,
which names the missing coefficient), their positions by the épreuves engine, their grades by Core inserts.

    python benchmarks/bench_resultats.py [--n 20000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import generer_comptes  # noqa: E402
from benchmarks.bench_comptes import _chef  # noqa: E402
from cyclades_desktop.models import (  # noqa: E402
    Candidature,
    Categorie,
    CompteCandidat,
    EpreuveChoix,
    NoteUnite,
    SessionExamen,
    Specialite,
)
from cyclades_desktop.rules import epreuves as moteur  # noqa: E402
from cyclades_desktop.rules.epreuves import INSCRIT  # noqa: E402
from cyclades_desktop.rules.temps import FixedClock  # noqa: E402
from cyclades_desktop.services import resultats as res  # noqa: E402
from cyclades_desktop.services.inscriptions.verification import arbre, profil  # noqa: E402
from cyclades_desktop.services.noyau.contexte import Contexte  # noqa: E402
from cyclades_desktop.services.resultats.commun import Referentiel  # noqa: E402
from cyclades_desktop.storage.database import Database  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
URL = f"sqlite:///{OUT / 'resultats.sqlite'}"
# Spécialités whose tree gives every coefficient, with the share of the candidates they get.
SPECIALITES = {"BCP-25303": 0.4, "CAP-25524": 0.25, "CAP-33205": 0.2, "BP-22108": 0.15}


def _temps(libelle: str, f):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    r = f()
    # CPU time beside wall time: on a shared machine the wall time mostly measures the neighbours.
    print(f"{libelle:<60} {time.perf_counter() - t0:7.2f} s (CPU {time.process_time() - c0:.2f} s)")
    return r


def generer(url: str, n: int, seed: int = 11) -> None:
    """n candidatures of the 2025 session on the accounts already there, every graded unit noted."""
    rnd = random.Random(seed)
    db = Database(url)
    ctx = Contexte(db)
    maintenant = datetime.now(UTC)
    with ctx.lecture() as s:
        session = s.scalar(select(SessionExamen).where(SessionExamen.libelle == "2025"))
        comptes = list(s.scalars(select(CompteCandidat.id).order_by(CompteCandidat.id).limit(n)))
        modeles = {}
        ref = Referentiel(s)
        for sp_id in SPECIALITES:
            sp = s.get(Specialite, sp_id)
            cat = s.get(Categorie, "INDIV")
            lignes = moteur.calculer(arbre(s, sp_id), profil(s, sp.domaine_code, cat, session.annee, "globale")).lignes
            graduees = [u.code for u in ref.unites(sp_id, cat.famille, {}) if not u.facultative]
            modeles[sp_id] = (sp.domaine_code, lignes, graduees)
    poids = list(SPECIALITES.values())
    with db.engine.begin() as conn:
        prochain = (conn.execute(select(func.max(Candidature.id))).scalar() or 0) + 1
        lots: dict[str, list[dict[str, object]]] = {"c": [], "e": [], "n": []}

        def vider() -> None:
            conn.execute(insert(Candidature), lots["c"])
            conn.execute(insert(EpreuveChoix), lots["e"])
            conn.execute(insert(NoteUnite), lots["n"])
            for v in lots.values():
                v.clear()

        for i in range(n):
            sp_id = rnd.choices(list(SPECIALITES), poids)[0]
            domaine, lignes, graduees = modeles[sp_id]
            cid = prochain + i
            lots["c"].append({
                "id": cid, "compte_id": comptes[i % len(comptes)], "numero_inscription": f"{i // len(comptes) + 1:03d}",
                "session_id": session.id, "domaine_code": domaine, "specialite_id": sp_id, "etat": "inscrit",
                "version": 1, "cree_le": maintenant, "inscrit_le": maintenant, "categorie_code": "INDIV",
                "forme_passage": "globale", "forme_finale": "globale", "choix": {}, "row_version": 1})
            for j, x in enumerate(lignes):
                lots["e"].append({"candidature_id": cid, "ordre": j, "code": x.code, "unite": x.unite,
                                  "intitule": x.intitule, "niveau": x.niveau, "nature": x.nature, "groupe": x.groupe,
                                  "position": x.position, "mode": x.mode})
            niveau = rnd.gauss(11, 2.5)
            for code in graduees:
                absent = rnd.random() < 0.005
                note = Decimal(str(round(min(20.0, max(0.0, rnd.gauss(niveau, 3))) * 4) / 4)).quantize(Decimal("0.01"))
                lots["n"].append({"candidature_id": cid, "unite_code": code, "groupe": 1,
                                  "valeur": None if absent else note, "marque": "ABS" if absent else None,
                                  "origine": "saisie", "verrouillee": False, "saisie_par": "bench",
                                  "saisie_le": maintenant, "row_version": 1})
            if len(lots["c"]) >= 2000:
                vider()
        if lots["c"]:
            vider()
    db.dispose()


def main(n: int, url: str) -> None:
    OUT.mkdir(exist_ok=True)
    if url == URL:
        for f in OUT.glob("resultats.sqlite*"):
            f.unlink()
    _temps(f"Comptes ({n})", lambda: generer_comptes.generer(url, n))
    _temps(f"Candidatures et notes ({n})", lambda: generer(url, n))
    db = Database(url)
    ctx = _chef(Contexte(db, FixedClock(datetime(2025, 7, 1, 8, 0, tzinfo=UTC))))
    with ctx.lecture() as s:
        sid = s.scalar(select(SessionExamen.id).where(SessionExamen.libelle == "2025"))
        n_notes = s.scalar(select(func.count()).select_from(NoteUnite))
        ids = list(s.scalars(select(Candidature.id).where(Candidature.session_id == sid)))
    print(f"{len(ids)} candidatures, {n_notes} notes ({n_notes / max(1, len(ids)):.1f} unités par candidature)")

    president = res.creer_examinateur(ctx, res.SaisieExaminateur("Président", "Claire", "Inspection"))
    jurys = [res.creer_jury(ctx, res.SaisieJury(sid, sp.split("-")[0], f"Jury {sp}", [sp], president.id))
             for sp in SPECIALITES]

    # One grade entry round trip: the candidate's grid is open (its row versions known), one grade is saved
    # and the fresh grid comes back.
    rnd = random.Random(3)
    durees, cpu, lectures = [], [], []
    for k in range(60):
        cid = rnd.choice(ids)
        t = time.perf_counter()
        vue = res.notes_candidature(ctx, cid)
        lectures.append(time.perf_counter() - t)
        ligne = next(x for x in vue.lignes if x.position == INSCRIT and x.refus is None)
        t, c = time.perf_counter(), time.process_time()
        res.enregistrer_notes_candidature(ctx, cid, [res.SaisieNote(ligne.cle, f"{10 + k % 7},5", ligne.row_version)])
        durees.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    ms = sorted(x * 1000 for x in durees)
    print(f"{'Saisie d une note (enregistrer + grille fraîche), médiane':<60} {statistics.median(ms):7.1f} ms "
          f"(p90 {ms[int(len(ms) * 0.9)]:.1f} ms, max {ms[-1]:.1f} ms ; CPU {statistics.median(cpu) * 1000:.1f} ms ; "
          "cible ≤ 30 ms)")
    print(f"{'Ouverture de la grille d un candidat, médiane':<60} {statistics.median(lectures) * 1000:7.1f} ms")

    t0, c0 = time.perf_counter(), time.process_time()
    for j in jurys:
        vue = _temps(f"  délibération {j.libelle} ({j.candidatures} candidatures)", lambda j=j: res.deliberer_jury(ctx, j.id))
        print(f"    {dict(vue.effectifs)}")
    print(f"{'Délibération de toute la session':<60} {time.perf_counter() - t0:7.2f} s "
          f"(CPU {time.process_time() - c0:.2f} s ; cible ≤ 10 s)")
    _temps("Nouvelle délibération (recalcul, délibérations ouvertes)",
           lambda: [res.deliberer_jury(ctx, j.id) for j in jurys])
    db.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=20_000)
    p.add_argument("--database-url", default=URL)
    a = p.parse_args()
    main(a.n, a.database_url)
