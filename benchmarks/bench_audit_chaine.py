"""The keyed audit chain at scale: write N rows (default 1,000,000) sealed by the office's key
(HMAC-SHA256) into a fresh SQLite database with Core, then time ``verifier_chaine`` over all of them
and its peak memory, against the bare ``hmac``/``hashlib`` loop over the same rows' bytes in the
same run (the cost of the cryptography alone: the rest is reading and serialising the rows).

    python benchmarks/bench_audit_chaine.py [--lignes 1000000] [--base /tmp/audit.sqlite]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cyclades_desktop.models import AuditEntry  # noqa: E402
from cyclades_desktop.rules.audit import Signataire, contenu_canonique  # noqa: E402
from cyclades_desktop.services.noyau import audit, scellement  # noqa: E402
from cyclades_desktop.services.noyau.contexte import SYSTEME, Contexte  # noqa: E402
from cyclades_desktop.storage import migrate  # noqa: E402
from cyclades_desktop.storage.database import Database  # noqa: E402

DEBUT = datetime(2024, 11, 4, 7, 0, tzinfo=UTC)
AVANT = {"statut": "a_valider", "commentaire": None, "date_reception": "2024-11-12"}


def contenu(i: int) -> str:
    """Row i's canonical content: shaped like the real ones (a before/after of a few fields)."""
    apres = {"statut": "valide", "commentaire": f"Pièce conforme {i}", "date_reception": "2024-11-12"}
    return contenu_canonique(DEBUT + timedelta(seconds=i), 3, "gestion", "statut_piece", "justificatif",
                             str(i // 5), "IDENTITE", AVANT, apres, None)


def generer(db: Database, n: int, signataire: Signataire) -> list[str]:
    """The rows, sealed and chained as enregistrer does; returns each row's stored predecessor."""
    precedente = audit.GENESE
    liens: list[str] = []
    lot: list[dict[str, object]] = []
    table = AuditEntry.__table__
    with db.engine.begin() as conn:
        for i in range(n):
            apres = {"statut": "valide", "commentaire": f"Pièce conforme {i}", "date_reception": "2024-11-12"}
            emp = signataire.empreinte(precedente, contenu(i))
            lot.append({"horodatage": DEBUT + timedelta(seconds=i), "agent_id": 3, "agent_login": "gestion",
                        "action": "statut_piece", "entite": "justificatif", "entite_id": str(i // 5),
                        "libelle": "IDENTITE", "avant": AVANT, "apres": apres, "motif": None,
                        "empreinte_precedente": precedente, "empreinte": emp})
            liens.append(precedente)
            precedente = emp
            if len(lot) == 20_000:
                conn.execute(table.insert(), lot)
                lot = []
        if lot:
            conn.execute(table.insert(), lot)
    return liens


def boucle_nue(n: int, liens: list[str], cle: bytes) -> tuple[float, float]:
    """CPU seconds of HMAC-SHA256, then of SHA-256, over the same messages the verification
    authenticates (built beforehand in slices, outside the timing)."""
    t_hmac = t_sha = 0.0
    for debut in range(0, n, 50_000):
        messages = [(liens[i] + contenu(i)).encode("utf-8") for i in range(debut, min(n, debut + 50_000))]
        c0 = time.process_time()
        for m in messages:
            hmac.digest(cle, m, "sha256")
        c1 = time.process_time()
        for m in messages:
            hashlib.sha256(m).digest()
        c2 = time.process_time()
        t_hmac, t_sha = t_hmac + c1 - c0, t_sha + c2 - c1
    return t_hmac, t_sha


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--lignes", type=int, default=1_000_000)
    p.add_argument("--base", type=Path, default=Path("/tmp/bench_audit_chaine.sqlite"))
    a = p.parse_args()
    a.base.unlink(missing_ok=True)
    db = Database(f"sqlite:///{a.base}")
    migrate.upgrade(db)
    cle = scellement.chemin_cle(db)
    cle.unlink(missing_ok=True)
    cle.with_name("sceaux-journal-audit.txt").unlink(missing_ok=True)
    signataire = scellement.signataire_ecriture(db)   # the office's key, created beside the file store
    t0 = time.perf_counter()
    liens = generer(db, a.lignes, signataire)
    t1 = time.perf_counter()
    print(f"génération de {a.lignes} lignes scellées (HMAC-SHA256) : {t1 - t0:.1f} s")
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
    assert rapport.scellees == a.lignes
    t_hmac, t_sha = boucle_nue(a.lignes, liens, bytes.fromhex(cle.read_text(encoding="ascii")))
    print(f"boucle nue sur les mêmes lignes (temps processeur) : HMAC-SHA256 {t_hmac:.2f} s, SHA-256 {t_sha:.2f} s ; "
          f"vérification / HMAC nu = {(c3 - c2) / t_hmac:.1f}")
    db.dispose()


if __name__ == "__main__":
    main()
