"""Generate N candidate accounts (default 200,000) with realistic French names into a database,
with Core bulk inserts. Usage: python benchmarks/generer_comptes.py [--n 200000] [--database-url URL]"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.noms import NOMS, PRENOMS  # noqa: E402
from cyclades_desktop.app import preparer_contexte  # noqa: E402
from cyclades_desktop.models import Commune, CompteCandidat, Pays, Sequence  # noqa: E402
from cyclades_desktop.rules.comptes import numero_candidat  # noqa: E402
from cyclades_desktop.rules.texte import cle_recherche, sans_accents  # noqa: E402
from cyclades_desktop.services.noyau import securite  # noqa: E402
from cyclades_desktop.services.referentiel.chargement import PREMIERE_SEQUENCE_NUMERO  # noqa: E402

DEFAULT_URL = f"sqlite:///{Path(__file__).resolve().parent / 'out' / 'bench.sqlite'}"


def generer(url: str, n: int, seed: int = 42) -> None:
    rnd = random.Random(seed)
    ctx = preparer_contexte(url)
    with ctx.lecture() as s:
        communes = list(s.execute(select(Commune.departement, Commune.code_insee, Commune.nom)
                                  .where(Commune.type == "commune-actuelle")))
        pays = [p for p in s.scalars(select(Pays.code)) if p != "FR"]
        deja = s.scalar(select(Sequence.valeur).where(Sequence.nom == "numero_candidat")) or PREMIERE_SEQUENCE_NUMERO
    hash_ = securite.hacher("Secret.2024")  # one hash for all: Argon2 is deliberately slow
    maintenant = datetime.now(UTC)
    t0 = time.perf_counter()
    lot: list[dict[str, object]] = []
    with ctx.db.engine.begin() as conn:
        for i in range(n):
            nom = rnd.choice(NOMS).upper()
            prenoms = rnd.choice(PRENOMS) + (f" {rnd.choice(PRENOMS)}" if rnd.random() < 0.3 else "")
            usage = rnd.choice(NOMS).upper() if rnd.random() < 0.08 else None
            seq = deja + i + 1
            email = f"{sans_accents(prenoms.split()[0]).lower()}.{sans_accents(nom).lower().replace(' ', '')}{seq}@exemple.fr"
            if rnd.random() < 0.85:
                dep, code, commune = rnd.choice(communes)
                lieu = ("FR", dep, code, commune.upper())
            else:
                lieu = (rnd.choice(pays), None, None, "VILLE")
            lot.append({
                "numero_candidat": numero_candidat(seq), "email": email, "email_normalise": email, "login": None,
                "sexe": rnd.choice("MF"), "nom": nom, "nom_usage": usage, "prenoms": prenoms,
                "date_naissance": date(1960, 1, 1) + timedelta(days=rnd.randrange(0, 365 * 48)),
                "pays_naissance": lieu[0], "departement_naissance": lieu[1], "commune_naissance_code": lieu[2],
                "commune_naissance": lieu[3], "mot_de_passe_hash": hash_,
                "etat": "actif" if rnd.random() < 0.97 else "en_attente", "code_activation_hash": None,
                "cree_le": maintenant, "active_le": None, "modifie_le": None,
                "cle": cle_recherche(f"{nom} {prenoms}"), "nom_usage_cle": cle_recherche(usage) or None,
                "row_version": 1,
            })
            if len(lot) == 10_000:
                conn.execute(insert(CompteCandidat), lot)
                lot.clear()
        if lot:
            conn.execute(insert(CompteCandidat), lot)
        conn.execute(update(Sequence).where(Sequence.nom == "numero_candidat").values(valeur=deja + n))
    print(f"{n} comptes générés en {time.perf_counter() - t0:.1f} s dans {url}")
    ctx.db.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=200_000)
    p.add_argument("--database-url", default=DEFAULT_URL)
    a = p.parse_args()
    if a.database_url == DEFAULT_URL:
        out = Path(__file__).resolve().parent / "out"
        out.mkdir(exist_ok=True)
        for f in out.glob("bench.sqlite*"):
            f.unlink()
    generer(a.database_url, a.n)
