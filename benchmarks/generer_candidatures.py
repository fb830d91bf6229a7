"""Add one candidature per active account (about 200,000 on the accounts of generer_comptes.py), each
with its acquis and ~25 épreuve positions, with Core bulk inserts. Published PDFs are not generated
(they would take hours and gigabytes); the benchmark measures their production separately.

    python benchmarks/generer_comptes.py          # once: 200,000 accounts
    python benchmarks/generer_candidatures.py     # then: their candidatures
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generer_comptes import DEFAULT_URL  # noqa: E402
from cyclades_desktop.app import preparer_contexte  # noqa: E402
from cyclades_desktop.models import (
    Categorie,
    CompteCandidat,
    Domaine,
    EpreuveChoix,
    SessionExamen,
    Specialite,
)
from cyclades_desktop.models.candidature import Candidature  # noqa: E402
from cyclades_desktop.rules import epreuves as moteur  # noqa: E402
from cyclades_desktop.services.inscriptions.verification import arbre, profil  # noqa: E402

CATEGORIES = ["INDIV", "SCOL", "APPH", "FCPRIV", "EAD"]


def generer(url: str, n: int = 200_000, seed: int = 7) -> None:
    rnd = random.Random(seed)
    ctx = preparer_contexte(url)
    with ctx.lecture() as s:
        session = s.scalar(select(SessionExamen).where(SessionExamen.libelle == "2025"))
        comptes = list(s.scalars(select(CompteCandidat.id).where(CompteCandidat.etat == "actif")
                                 .order_by(CompteCandidat.id)))
        specialites = [sp for sp in s.scalars(select(Specialite)) if sp.epreuves]
        modeles: dict[tuple[str, str], tuple[Specialite, list[moteur.LigneEpreuve]]] = {}
        for sp in specialites:
            dom = s.get(Domaine, sp.domaine_code)
            for code in CATEGORIES:
                cat = s.get(Categorie, code)
                if cat is None or dom is None or dom.code not in cat.domaines:
                    continue
                r = moteur.calculer(arbre(s, sp.id), profil(s, dom.code, cat, session.annee, "globale"))
                modeles[(sp.id, code)] = (sp, list(r.lignes))
    cles = list(modeles)
    maintenant = datetime.now(UTC)
    t0 = time.perf_counter()
    n_epreuves = 0
    with ctx.db.engine.begin() as conn:
        prochain = (conn.execute(select(Candidature.id).order_by(Candidature.id.desc()).limit(1)).scalar() or 0) + 1
        lot_c: list[dict[str, object]] = []
        lot_e: list[dict[str, object]] = []
        deja: dict[int, str] = {}
        for idx in range(n):
            compte_id = comptes[idx % len(comptes)]
            # A second candidature (another spécialité) for some accounts, to reach n.
            sp, lignes = modeles[rnd.choice([k for k in cles if k[0] != deja.get(compte_id)])]
            deja[compte_id] = sp.id
            cat = next(k[1] for k in cles if k[0] == sp.id)
            cid = prochain
            prochain += 1
            lot_c.append({
                "id": cid, "compte_id": compte_id, "numero_inscription": f"{idx // len(comptes) + 1:03d}", "session_id": session.id,
                "domaine_code": sp.domaine_code, "specialite_id": sp.id, "etat": "inscrit", "version": 1,
                "cree_le": maintenant, "inscrit_le": maintenant, "etat_le": maintenant, "categorie_code": cat,
                "situation_code": "SALARIE", "amenagement_duree": False, "handicap": rnd.random() < 0.03,
                "consentement_presse": rnd.random() < 0.5, "consentement_collectivites": rnd.random() < 0.5,
                "section_langue": "AUCUNE", "forme_passage": "globale", "derogation": False,
                "forme_finale": "globale", "vae": False, "adresse_pays": "FR", "adresse_voie": "1 rue de la Paix",
                "code_postal": "13001", "localite": "Marseille", "nationalite": "FR",
                "telephone_mobile": "0600000000", "email": "x@exemple.fr", "choix": {}, "row_version": 1})
            for i, x in enumerate(lignes):
                lot_e.append({"candidature_id": cid, "ordre": i, "code": x.code, "unite": x.unite,
                              "intitule": x.intitule, "niveau": x.niveau, "nature": x.nature, "groupe": x.groupe,
                              "position": x.position, "mode": x.mode, "detail": x.detail, "note": None,
                              "annee_note": None})
            if len(lot_c) >= 5_000:
                conn.execute(insert(Candidature), lot_c)
                conn.execute(insert(EpreuveChoix), lot_e)
                n_epreuves += len(lot_e)
                lot_c.clear()
                lot_e.clear()
        if lot_c:
            conn.execute(insert(Candidature), lot_c)
            conn.execute(insert(EpreuveChoix), lot_e)
            n_epreuves += len(lot_e)
    print(f"{n} candidatures ({n_epreuves} positions d'épreuves) générées en "
          f"{time.perf_counter() - t0:.1f} s dans {url}")
    ctx.db.dispose()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--n", type=int, default=200_000)
    a = p.parse_args()
    generer(a.database_url, a.n)
