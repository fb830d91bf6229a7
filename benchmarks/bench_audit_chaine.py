"""The audit hash chain at scale: write N chained rows (default 1,000,000) into a fresh
SQLite database with Core, then time ``verifier_chaine`` over all of them and its peak memory.

    python benchmarks/bench_audit_chaine.py [--lignes 1000000] [--base /tmp/audit.sqlite]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cyclades_desktop.models import AuditEntry  # noqa: E402
from cyclades_desktop.services.noyau import audit  # noqa: E402
from cyclades_desktop.services.noyau.contexte import SYSTEME, Contexte  # noqa: E402
from cyclades_desktop.storage import migrate  # noqa: E402
from cyclades_desktop.storage.database import Database  # noqa: E402


def generer(db: Database, n: int) -> None:
    """Rows shaped like the real ones (a before/after of a few fields), chained like enregistrer does."""
    debut = datetime(2024, 11, 4, 7, 0, tzinfo=UTC)
    precedente = audit.GENESE
    lot: list[dict[str, object]] = []
    table = AuditEntry.__table__
    with db.engine.begin() as conn:
        for i in range(n):
            h = debut + timedelta(seconds=i)
            avant = {"statut": "a_valider", "commentaire": None, "date_reception": "2024-11-12"}
            apres = {"statut": "valide", "commentaire": f"Pièce conforme {i}", "date_reception": "2024-11-12"}
            ligne = {"horodatage": h, "agent_id": 3, "agent_login": "gestion", "action": "statut_piece",
                     "entite": "justificatif", "entite_id": str(i // 5), "libelle": "IDENTITE",
                     "avant": avant, "apres": apres, "motif": None}
            emp = audit.calculer_empreinte(precedente, h, 3, "gestion", "statut_piece", "justificatif",
                                           str(i // 5), "IDENTITE", avant, apres, None)
            ligne.update(empreinte_precedente=precedente, empreinte=emp)
            precedente = emp
            lot.append(ligne)
            if len(lot) == 20_000:
                conn.execute(table.insert(), lot)
                lot = []
        if lot:
            conn.execute(table.insert(), lot)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--lignes", type=int, default=1_000_000)
    p.add_argument("--base", type=Path, default=Path("/tmp/bench_audit_chaine.sqlite"))
    a = p.parse_args()
    a.base.unlink(missing_ok=True)
    db = Database(f"sqlite:///{a.base}")
    migrate.upgrade(db)
    t0 = time.perf_counter()
    generer(db, a.lignes)
    t1 = time.perf_counter()
    print(f"génération de {a.lignes} lignes chaînées : {t1 - t0:.1f} s")
    ctx = Contexte(db).avec_agent(SYSTEME)
    avant = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t2, c2 = time.perf_counter(), time.process_time()
    rapport = audit.verifier_chaine(ctx)
    t3, c3 = time.perf_counter(), time.process_time()
    apres = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(rapport.message)
    # CPU time too: on a shared machine the wall clock mostly measures the other processes.
    print(f"vérification : {t3 - t2:.1f} s ({a.lignes / (t3 - t2):,.0f} lignes/s), "
          f"temps processeur {c3 - c2:.1f} s ({a.lignes / (c3 - c2):,.0f} lignes/s), "
          f"mémoire maximale {avant / 1024:.0f} → {apres / 1024:.0f} Mo")
    db.dispose()


if __name__ == "__main__":
    main()
