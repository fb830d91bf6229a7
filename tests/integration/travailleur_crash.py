"""The process the crash test kills (tests/integration/test_crash.py).

Started once as a « zygote »: it pays the imports (seconds on a busy machine), then forks one worker
per line read on stdin (the line is the worker's seed). A worker is a real separate process running
the real services on the real database: registrations, modifications, deposits and the relances
batch, in a loop, printing what it starts. The parent kills it with SIGKILL; the zygote reaps it and
prints « fin <pid> <status> »."""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime, timedelta


def _dire(texte: str) -> None:
    # One write() per line: a kill never leaves half a line in the pipe.
    os.write(1, (texte + "\n").encode())


def travailler(url: str, graine: int, ops: list[str] | None = None) -> None:
    """Loop forever on random operations; or run ``ops`` once, silently (the zygote's warm-up)."""
    from sqlalchemy import select

    from cyclades_desktop.models import Candidature, CompteCandidat, Justificatif
    from cyclades_desktop.rules import pieces as rp
    from cyclades_desktop.rules.errors import DomainError
    from cyclades_desktop.rules.inscriptions import ETATS_ACTIFS
    from cyclades_desktop.rules.temps import FixedClock
    from cyclades_desktop.services.impressions import lots as impressions
    from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
    from cyclades_desktop.services.justificatifs import echeances
    from cyclades_desktop.services.justificatifs import pieces as justificatifs
    from cyclades_desktop.services.noyau.contexte import Contexte
    from cyclades_desktop.services.personnel import agents as staff
    from cyclades_desktop.storage.database import Database
    from tests.fabriques import saisie_seed, session_id
    from tests.unit.test_justificatifs_service import pdf

    rng = random.Random(graine)
    # 10/11/2024 11:00 Paris and a little later: registrations are open, deposits accepted.
    ctx = Contexte(Database(url), FixedClock(datetime(2024, 11, 10, 10, 0, tzinfo=UTC) + timedelta(seconds=graine)))
    ctx = ctx.avec_agent(staff.agent_par_login(ctx, "chef"))
    sid = session_id(ctx)
    dire = _dire if ops is None else (lambda _texte: None)
    dire("pret")

    def ids(q):  # type: ignore[no-untyped-def]
        with ctx.lecture() as s:
            return list(s.scalars(q))

    for i in range(len(ops) if ops is not None else 1_000_000):
        op = ops[i] if ops is not None else rng.choices(
            ["inscrire", "modifier", "deposer", "lot", "imprimer"], weights=[30, 25, 30, 15, 10])[0]
        dire(op)
        try:
            candidatures = ids(select(Candidature.id).where(Candidature.etat.in_(ETATS_ACTIFS)))
            if op == "inscrire" or not candidatures:
                # Accounts are prepared by the parent (creating one costs seconds of password hashing):
                # a new candidature on one of them, after désinscrire its active one if it has one.
                compte = rng.choice(ids(select(CompteCandidat.id)))
                active = ids(select(Candidature).where(Candidature.compte_id == compte,
                                                       Candidature.etat.in_(ETATS_ACTIFS)))
                for c in active:
                    inscriptions.desinscrire(ctx, c.id, row_version=c.row_version, motif="Essai")
                d = inscriptions.demarrer(ctx, compte, sid, "BCP")
                inscriptions.enregistrer(ctx, d, saisie_seed())
            elif op == "modifier":
                d, saisie = inscriptions.ouvrir(ctx, rng.choice(candidatures))
                d = inscriptions.preparer_modification(ctx, d)
                saisie.telephone_mobile = f"06{rng.randrange(10 ** 8):08d}"
                saisie.conditions_acceptees = True
                inscriptions.modifier(ctx, d, saisie)
            elif op == "deposer":
                pieces = ids(select(Justificatif.id).where(
                    Justificatif.candidature_id == rng.choice(candidatures), Justificatif.requis.is_(True),
                    Justificatif.mode_depot == rp.EN_LIGNE))
                if pieces:
                    justificatifs.deposer(ctx, rng.choice(pieces), "piece.pdf", pdf(f"pièce {graine}-{i}"))
            elif op == "imprimer":
                # The batch-printing helper's resumable batch: resume an unfinished one, or start one.
                inacheves = impressions.lots_inacheves(ctx)
                if inacheves:
                    lot = inacheves[0].id
                else:
                    tous = ids(select(Candidature.id).order_by(Candidature.id.desc()).limit(12))
                    sortie = os.path.join(os.environ["CRASH_SORTIE"], f"lot-{graine}-{i}.pdf")
                    lot = impressions.creer_lot(ctx, impressions.RECAPITULATIFS, tous,
                                                mode=impressions.FICHIER_UNIQUE, sortie=sortie)
                impressions.executer(ctx, lot, processus=0, taille_morceau=2)
            else:
                lignes = echeances.dossiers_incomplets(ctx, sid)
                echeances.relancer(ctx, [x.candidature_id for x in lignes])
                dire("fin-lot")
            dire(f"fait-{op}")
        except DomainError as exc:   # a refusal (deposit locked…) is a normal outcome, not a crash
            print(f"refus {op} : {exc.message} {getattr(exc, 'errors', '')}", file=sys.stderr, flush=True)
    ctx.db.dispose()   # only reached by the warm-up: nothing of it stays open across fork()


def _rechauffer(url: str) -> None:
    """Pay once, in the zygote, what a first operation costs (imports, mappers, PDF fonts): on a
    throw-away copy of a SQLite base, one of each operation. Forked workers then start warm, and a
    kill lands inside real work rather than in start-up."""
    import shutil
    import tempfile
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from cyclades_desktop.services.inscriptions import enregistrement as inscriptions  # noqa: F401
    from cyclades_desktop.services.justificatifs import echeances  # noqa: F401
    from cyclades_desktop.services.justificatifs import pieces as justificatifs  # noqa: F401
    from cyclades_desktop.storage.sauvegarde import backup_sqlite

    source = make_url(url)
    if source.get_backend_name() != "sqlite":
        _rechauffer_postgres(url)
        return
    dossier = Path(tempfile.mkdtemp(prefix="crash-rechauffe-"))
    anciens = {k: os.environ.get(k) for k in ("CYCLADES_FICHIERS_DIR", "CRASH_SORTIE")}
    try:
        backup_sqlite(Path(str(source.database)), dossier / "copie.sqlite")
        os.environ["CYCLADES_FICHIERS_DIR"] = str(dossier / "fichiers")
        os.environ["CRASH_SORTIE"] = str(dossier)
        travailler(f"sqlite:///{dossier / 'copie.sqlite'}", 0, ["inscrire", "modifier", "deposer", "lot",
                                                                  "imprimer"])
    finally:
        for k, v in anciens.items():
            if v is not None:
                os.environ[k] = v
        shutil.rmtree(dossier, ignore_errors=True)


def _rechauffer_postgres(url: str) -> None:
    """The same on PostgreSQL, on a copy made with CREATE DATABASE … TEMPLATE (nobody is connected to
    the test base at this point); skipped if the server refuses."""
    import shutil
    import tempfile
    from pathlib import Path

    import psycopg
    from sqlalchemy.engine import make_url

    source = make_url(url)
    copie = f"{source.database}_rechauffe"
    params = {"host": source.host or "127.0.0.1", "port": source.port or 5432, "user": source.username,
              "password": source.password, "dbname": "postgres", "autocommit": True}
    try:
        with psycopg.connect(**params) as con:
            con.execute(f'CREATE DATABASE "{copie}" TEMPLATE "{source.database}"')
    except psycopg.Error as exc:
        print(f"pas de préchauffage : {exc}", file=sys.stderr, flush=True)
        return
    dossier = Path(tempfile.mkdtemp(prefix="crash-rechauffe-"))
    anciens = {k: os.environ.get(k) for k in ("CYCLADES_FICHIERS_DIR", "CRASH_SORTIE")}
    try:
        os.environ["CYCLADES_FICHIERS_DIR"] = os.environ["CRASH_SORTIE"] = str(dossier)
        travailler(source.set(database=copie).render_as_string(hide_password=False), 0,
                   ["inscrire", "modifier", "deposer", "lot", "imprimer"])
    finally:
        for k, v in anciens.items():
            if v is not None:
                os.environ[k] = v
        shutil.rmtree(dossier, ignore_errors=True)
        with psycopg.connect(**params) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{copie}" WITH (FORCE)')


def main() -> None:
    from cyclades_desktop.services.noyau import securite

    securite.utiliser_parametres_de_test()   # as in the test process (tests/conftest.py); forks inherit it
    url = sys.argv[1]
    _rechauffer(url)

    print("zygote", flush=True)
    for ligne in sys.stdin:
        graine = int(ligne)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                travailler(url, graine)
            except BaseException as exc:   # reported to the parent through stderr and the exit code
                import traceback

                traceback.print_exception(exc)
                code = 70
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _, statut = os.waitpid(pid, 0)
        print(f"fin {pid} {statut}", flush=True)


if __name__ == "__main__":
    main()
