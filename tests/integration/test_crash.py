"""Crash safety: a worker process running the real services is killed with SIGKILL at
random points, at least 200 times; after each kill the database passes its integrity check, no
candidature is half-written, no document version or deposited file points to nothing, and the
interrupted relances batch resumes to completion without duplicates.

Slow (a few minutes): deselect with ``-m "not lent"``; CI runs it."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func
from sqlalchemy import select as sql_select

from cyclades_desktop.models import Candidature, Document, DocumentVersion
from cyclades_desktop.models.lot import Lot, LotElement
from cyclades_desktop.rules.impressions import EtatLot
from cyclades_desktop.rules.inscriptions import TypeDocument
from cyclades_desktop.rules.temps import paris
from cyclades_desktop.services.impressions import lots as impressions
from cyclades_desktop.services.justificatifs import echeances
from cyclades_desktop.services.noyau import integrite
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.storage.database import Database
from cyclades_desktop.storage.fichiers import ENV_FICHIERS_DIR
from tests.fabriques import compte_actif, session_id

pytestmark = pytest.mark.lent

TUERIES = int(os.environ.get("CYCLADES_CRASH_TUERIES", "200"))
RACINE = Path(__file__).resolve().parents[2]
TRAVAILLEUR = Path(__file__).with_name("travailleur_crash.py")


class Lignes:
    """Lines from a pipe, waiting with select() up to a deadline (never time.sleep)."""

    def __init__(self, flux) -> None:  # type: ignore[no-untyped-def]
        self.fd = flux.fileno()
        self.tampon = b""

    def suivante(self, delai: float) -> str | None:
        limite = time.monotonic() + delai
        while b"\n" not in self.tampon:
            reste = limite - time.monotonic()
            if reste <= 0 or not select.select([self.fd], [], [], reste)[0]:
                return None
            morceau = os.read(self.fd, 65536)
            if not morceau:
                raise AssertionError("le processus de test s'est arrêté")
            self.tampon += morceau
        ligne, self.tampon = self.tampon.split(b"\n", 1)
        return ligne.decode()

    def attendre(self, prefixe: str, delai: float = 60.0) -> str:
        vues = []
        while (ligne := self.suivante(delai)) is not None:
            if ligne.startswith(prefixe):
                return ligne
            vues.append(ligne)
        raise AssertionError(f"« {prefixe} » non reçu dans les {delai} s ; reçu : {vues[-10:]}")


def controler(db: Database, depuis: int) -> int:
    """The invariants after one kill; returns the newest document version id checked."""
    if db.is_sqlite:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert list(conn.exec_driver_sql("PRAGMA foreign_key_check")) == []
    ctx = Contexte(db)
    assert integrite.invariants(ctx, versions_depuis=depuis) == []
    with ctx.lecture() as s:
        return int(s.scalar(sql_select(func.max(DocumentVersion.id))) or 0)


def test_sigkill_at_random_points_leaves_a_sound_database(db_url: str, chef: Contexte, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    fichiers = tmp_path / "fichiers"
    monkeypatch.setenv(ENV_FICHIERS_DIR, str(fichiers))   # the same store for the worker and the checks
    lots = tmp_path / "lots"
    lots.mkdir()
    monkeypatch.setenv("CRASH_SORTIE", str(lots))           # where the worker's print batches write
    for i in range(4):   # the worker registers candidatures on these accounts
        compte_actif(chef, email=f"crash{i}@exemple.fr", nom="Kill", prenoms="abcd"[: i + 1])
    chef.db.dispose()
    rng = random.Random(20241110)
    journal = (tmp_path / "travailleur.err").open("wb")
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    zygote = subprocess.Popen([sys.executable, str(TRAVAILLEUR), db_url], cwd=RACINE, env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=journal)
    lignes = Lignes(zygote.stdout)
    db = Database(db_url)
    debut = time.monotonic()
    pendant: Counter[str] = Counter()
    faits: Counter[str] = Counter()   # operations completed (committed) between two kills
    try:
        lignes.attendre("zygote", 120)
        verifie = 0
        for k in range(TUERIES):
            assert zygote.stdin is not None
            zygote.stdin.write(f"{k + 1}\n".encode())
            zygote.stdin.flush()
            pid = int(lignes.attendre("pid ").split()[1])
            lignes.attendre("pret")
            # Let it work a random while, reading what it starts; then kill it wherever it is.
            en_cours, limite = "pret", time.monotonic() + rng.uniform(0.0, 0.8)
            while (reste := limite - time.monotonic()) > 0 and (ligne := lignes.suivante(reste)) is not None:
                assert not ligne.startswith("fin "), f"le travailleur s'est arrêté seul : {ligne}"
                if ligne.startswith("fait-"):
                    faits[ligne] += 1
                else:
                    en_cours = ligne
            os.kill(pid, signal.SIGKILL)
            fin = lignes.attendre(f"fin {pid} ")
            statut = int(fin.split()[2])
            journal.flush()
            assert os.WIFSIGNALED(statut) and os.WTERMSIG(statut) == signal.SIGKILL, (
                f"arrêt {statut} : " + (tmp_path / "travailleur.err").read_text(errors="replace")[-2000:])
            pendant[en_cours] += 1
            verifie = controler(db, verifie)
            db.dispose()   # the next start opens the base afresh, as after a real crash
    finally:
        if zygote.stdin:
            zygote.stdin.close()
        zygote.kill()
        zygote.wait()
        journal.close()
    duree = time.monotonic() - debut
    print(f"\n{TUERIES} SIGKILL en {duree:.0f} s ; interrompu pendant : {dict(pendant)} ; "
          f"opérations terminées : {dict(faits)}")
    assert controler(db, 0) >= 0   # everything once more, every version's bytes included
    assert pendant["lot"] > 0 and pendant["imprimer"] > 0 and pendant["inscrire"] > 0 and pendant["deposer"] > 0 and pendant["modifier"] > 0
    assert faits["fait-inscrire"] > 0 and faits["fait-lot"] > 0 and faits["fait-imprimer"] > 0, "aucun travail n'a abouti entre deux arrêts"

    # The interrupted batch resumes: run to completion, then nothing is left and nothing was doubled.
    ctx = chef
    ids = [x.candidature_id for x in echeances.dossiers_incomplets(ctx, session_id(ctx))]
    rapport = echeances.relancer(ctx, ids)
    assert not rapport.erreurs and not rapport.interrompu and rapport.restantes == 0
    assert echeances.relancer(ctx, ids).faites == 0
    with ctx.lecture() as s:
        dates = s.execute(sql_select(Document.candidature_id, DocumentVersion.publie_le)
                          .join(DocumentVersion, DocumentVersion.document_id == Document.id)
                          .where(Document.type == TypeDocument.RELANCE_PIECES)).all()
        n = s.scalar(sql_select(func.count()).select_from(Candidature))
    par_jour = Counter((cid, paris(d).date()) for cid, d in dates)
    assert par_jour, f"aucune relance publiée ({n} candidatures, rapport {rapport})"
    assert max(par_jour.values()) == 1, "une candidature relancée deux fois le même jour"

    # The interrupted print batches resume too; every finished one holds each document exactly once.
    for inacheve in impressions.lots_inacheves(ctx):
        impressions.executer(ctx, inacheve.id, processus=0)
    with ctx.lecture() as s:
        termines = list(s.scalars(sql_select(Lot).where(Lot.type.in_(list(impressions.TYPES)))))
        assert termines and all(lot.etat == EtatLot.TERMINE for lot in termines)
        for lot in termines:
            elements = s.execute(sql_select(func.count(), func.count(func.distinct(LotElement.ordre)),
                                            func.sum(LotElement.pages))
                                 .where(LotElement.lot_id == lot.id, LotElement.fait.is_(True))).one()
            assert elements[0] == elements[1] == lot.total
            assert len(PdfReader(lot.sortie).pages) == elements[2], f"lot {lot.id} : pages en double ou manquantes"
    assert n > 0
    db.dispose()
