"""Exam organisation at scale: the automatic assignment of a session of ~20,000
candidatures to rooms, a re-run, a full re-run (« recommencer »), the clash list and the first page of
the assignments list. Builds its own database (accounts and candidatures by the generators).

    python benchmarks/bench_organisation.py [--n 20000]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import generer_candidatures, generer_comptes  # noqa: E402
from benchmarks.bench_comptes import _chef  # noqa: E402
from cyclades_desktop.models import Affectation, Epreuve, Etablissement, SessionExamen, Specialite  # noqa: E402
from cyclades_desktop.rules.temps import FixedClock  # noqa: E402
from cyclades_desktop.services.noyau.contexte import Contexte  # noqa: E402
from cyclades_desktop.services.organisation import affectation as aff  # noqa: E402
from cyclades_desktop.services.organisation import centres as org  # noqa: E402
from cyclades_desktop.services.organisation import conflits_horaires, placements, planning  # noqa: E402
from cyclades_desktop.storage.database import Database  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
URL = f"sqlite:///{OUT / 'organisation.sqlite'}"


def _temps(libelle: str, f):  # type: ignore[no-untyped-def]
    t0, c0 = time.perf_counter(), time.process_time()
    r = f()
    # CPU time beside wall time: on a shared machine the wall time mostly measures the neighbours.
    print(f"{libelle:<55} {time.perf_counter() - t0:7.2f} s (CPU {time.process_time() - c0:.2f} s)")
    return r


def main(n: int) -> None:
    OUT.mkdir(exist_ok=True)
    for f in OUT.glob("organisation.sqlite*"):
        f.unlink()
    generer_comptes.generer(URL, int(n * 0.8))            # some accounts get two candidatures (CAP + BP…)
    generer_candidatures.generer(URL, n)
    db = Database(URL)
    ctx = _chef(Contexte(db, FixedClock(datetime(2025, 1, 10, 9, 0, tzinfo=UTC))))
    with ctx.lecture() as s:
        sid = s.scalar(select(SessionExamen.id).where(SessionExamen.libelle == "2025"))
        uais = list(s.scalars(select(Etablissement.uai).where(Etablissement.departement.is_not(None))
                              .order_by(Etablissement.uai)))
        epreuves = {sp: list(s.scalars(select(Epreuve.code).where(Epreuve.specialite_id == sp,
                                                                  Epreuve.unite.is_not(None))
                                       .order_by(Epreuve.ordre, Epreuve.id)))
                    for sp in s.scalars(select(Specialite.id).order_by(Specialite.id))}
    # 10 centres of 10 rooms of 100 seats; two serve the Bouches-du-Rhône (where all the synthetic
    # candidates live), the others take the overflow.
    for i, uai in enumerate(uais[:10]):
        cid = org.creer_centre(ctx, uai, "13" if i < 2 else "")
        for k in range(10):
            org.ajouter_salle(ctx, cid, f"Salle {k + 1:02d}", 100)
    # Each spécialité's units on successive days, half the spécialités in the morning, half in the
    # afternoon: about half the candidates sit at the same time.
    nb = 0
    for j, (sp, codes) in enumerate(epreuves.items()):
        for i, code in enumerate(codes[:12]):
            heure = "08:00" if j % 2 == 0 else "14:00"
            planning.enregistrer_creneau(ctx, planning.SaisieCreneau(sid, sp, code, f"{2 + i:02d}/06/2025", heure,
                                                                     "240", "ecrit"))
            nb += 1
    print(f"{nb} épreuves au planning, 100 salles, 10 000 places")
    r = _temps("Affectation automatique (première)", lambda: aff.affecter_automatiquement(ctx, sid))
    print("   ", r.texte.splitlines()[0], f"— sans place : {len({x.candidature_id for x in r.sans_place})}")
    r = _temps("Affectation automatique (relance, rien ne change)", lambda: aff.affecter_automatiquement(ctx, sid))
    print("   ", r.texte.splitlines()[0])
    r = _temps("Affectation automatique (recommencer)",
               lambda: aff.affecter_automatiquement(ctx, sid, recommencer=True))
    print("   ", r.texte.splitlines()[0])
    k = _temps("Conflits d'horaires", lambda: conflits_horaires.conflits(ctx, sid))
    print(f"    {len(k)} conflit(s)")
    _temps("Liste des affectations, première page (200)",
           lambda: placements.lister_affectations(ctx, placements.FiltreAffectations(sid)))
    _temps("Occupation des salles", lambda: placements.occupation(ctx, sid))
    with ctx.lecture() as s:
        print(f"{s.scalar(select(func.count()).select_from(Affectation))} affectations en base")
    db.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=20_000)
    main(p.parse_args().n)
