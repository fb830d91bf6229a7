"""Verified restore: a backup checked, then swapped in for the database (one rename or one transaction).
Whatever is wrong with a backup (manifest, files, the base copy itself) is found before the current
base is touched; an incomplete backup is restored only when that is confirmed explicitly."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from ... import __version__
from ...models import Base
from ...rules.errors import DomainError
from ...rules.sauvegardes import (
    MOTIFS,
    RIEN_MODIFIE,
    EtatFichier,
    FichierOmis,
    Manifeste,
    texte_incomplete,
    version_programme,
)
from ...rules.temps import Clock, SystemClock, paris
from ...storage import migrate
from ...storage import sauvegarde as moteur
from ...storage.database import Database
from ...storage.fichiers import TAILLE_BLOC, Depot, depot_de, depot_pour
from ..noyau import SYSTEME, AgentConnecte, Contexte, P, audit, exiger_agent
from .controle import hashes_references, pieces_des_fichiers
from .manifeste import Progression, Sauvegarde, verifier_manifeste


@dataclass(frozen=True)
class RapportRestauration:
    sauvegarde: Sauvegarde
    copie_avant: Path | None       # the database as it was before the restore
    revision_apres: str | None
    fichiers_copies: int
    # Files the restored base cites that the store lacks (an incomplete backup): to ask again.
    fichiers_manquants: tuple[FichierOmis, ...] = ()


def _refuser_si_plus_recente(s: Sauvegarde, migrations: Path | None) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations or migrate.MIGRATIONS_DIR))
    connues = {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}
    plus_recente = version_programme(s.version_programme) > version_programme(__version__)
    if (s.revision and s.revision not in connues) or plus_recente:
        raise DomainError(
            f"Cette sauvegarde a été faite par une version plus récente de Cyclades Desktop "
            f"({s.version_programme}, schéma « {s.revision} ») que celle-ci ({__version__}) : installez la "
            "dernière version du programme pour la restaurer. Rien n'a été modifié.")


def restaurer(url: str, chemin: str | Path, *, clock: Clock | None = None, agent: AgentConnecte | None = None,
              migrations: Path | None = None, progression: Progression | None = None,
              accepter_incomplete: bool = False) -> RapportRestauration:
    """Replace the database (and complete the file store) with a backup. Every engine of this
    database must be closed first (the caller's ``Database.dispose()``; the other workstations
    closed). Verified before anything changes; the swap is one rename (SQLite) or one transaction
    (PostgreSQL); an older backup is then migrated; the restore is audited in the restored base.
    Without ``agent``, the administration command line restores, as the system. A backup that had
    to leave files out is refused unless ``accepter_incomplete`` (the user confirmed it, apart from
    the restore itself); the report then names the files still missing."""
    exiger_agent(agent or SYSTEME, P.SAUVEGARDES)    # before anything is read or replaced
    clock = clock or SystemClock()
    chemin = Path(chemin)
    s, m = verifier_manifeste(chemin, progression=progression)
    _refuser_si_plus_recente(s, migrations)
    if s.incomplete and not accepter_incomplete:
        raise DomainError(f"{texte_incomplete(s.libelle, s.fichiers_omis)}\n\nSa restauration doit être confirmée "
                          f"expressément. {RIEN_MODIFIE}")
    cible = Database(url)
    stamp = paris(clock.now()).strftime("%Y%m%d-%H%M%S")
    temporaire: Path | None = None
    try:
        if (s.moteur == "sqlite") != cible.is_sqlite:
            raise DomainError(f"Cette sauvegarde vient d'une base {s.moteur} : elle ne peut pas être restaurée "
                              "dans ce type de base. Rien n'a été modifié.")
        # The backup's base is opened and counted before anything is written anywhere: a copy whose
        # SHA-256 matches may still be no database at all (damaged before it was hashed).
        if cible.is_sqlite:
            temporaire = _preparer_sqlite(cible, chemin / m.base_fichier, m, stamp, chemin.name)
        else:
            moteur.lire_dump_postgres(chemin / m.base_fichier)
        depot = depot_de(cible) if not cible.is_sqlite else depot_pour(str(cible.path))
        # The store is append-only and content-addressed: adding the backup's files before the swap
        # changes nothing for the current database, and the restored one finds them all at once. A
        # stored copy is hashed first: a damaged one is replaced by the backup's (the one rewrite allowed).
        copies = 0
        tampon = bytearray(TAILLE_BLOC)
        for h in m.fichiers:
            if depot.controler(h, tampon)[0] is not EtatFichier.INTACT:
                depot.ecrire((chemin / "fichiers" / h[:2] / h[2:4] / h).read_bytes())
                copies += 1
        if temporaire is not None:
            cible.dispose()
            avant = _echanger_sqlite(cible, temporaire, stamp)
        else:
            avant = _echanger_postgres(cible, chemin / m.base_fichier, m, stamp, chemin.parent)
    except OSError as exc:
        raise DomainError(f"La restauration a échoué ({exc.strerror or exc}) : la base n'a pas été modifiée.") \
            from exc
    finally:
        cible.dispose()
        if temporaire is not None:
            _supprimer_sqlite(temporaire)
    restauree = Database(url)
    try:
        rapport_migration = migrate.upgrade(restauree, clock, migrations=migrations)
        if rapport_migration.backup is not None:
            rapport_migration.backup.unlink(missing_ok=True)   # the backup itself is the pre-migration copy
        ctx = Contexte(restauree, clock, agent or SYSTEME)
        manquants = _fichiers_manquants(ctx, depot, m)
        with ctx.transaction() as session:
            audit.enregistrer(session, ctx, "restauration", "base", chemin.name,
                              libelle=f"Restauration de la sauvegarde {chemin.name} du {s.libelle}",
                              apres={"revision_sauvegarde": s.revision, "revision": rapport_migration.after,
                                     "copie_avant": str(avant) if avant else None, "fichiers_copies": copies,
                                     "incomplete": s.incomplete,
                                     "fichiers_manquants": [f.sha256 for f in manquants[:100]]})
        return RapportRestauration(s, avant, rapport_migration.after, copies, tuple(manquants))
    finally:
        restauree.dispose()


def _fichiers_manquants(ctx: Contexte, depot: Depot, m: Manifeste) -> list[FichierOmis]:
    """The files the restored base cites that the store lacks, with the backup's reason when it gave one.
    Those the backup left out are hashed (a damaged copy may still be there); the others only looked up."""
    omis = {f.sha256[:12]: f for f in m.fichiers_omis}    # format 1 noted only 12 digits
    with ctx.lecture() as session:
        absents = []
        for h in sorted(hashes_references(session)):
            connu = omis.get(h[:12])
            if connu is not None:
                if depot.controler(h)[0] is not EtatFichier.INTACT:
                    absents.append((h, connu.motif))
            elif not depot.existe(h):
                absents.append((h, MOTIFS[EtatFichier.ABSENT]))
        pieces = pieces_des_fichiers(session, [h for h, _ in absents])
    return [FichierOmis(h, motif, tuple(pieces.get(h, []))) for h, motif in absents]


def _supprimer_sqlite(chemin: Path) -> None:
    for suffixe in ("", "-wal", "-shm", "-journal"):
        Path(str(chemin) + suffixe).unlink(missing_ok=True)


def _preparer_sqlite(cible: Database, base: Path, m: Manifeste, stamp: str, nom: str) -> Path:
    """The backup's base copied beside the current one, opened, checked and counted: ready to be renamed
    over it. Nothing else is touched; the copy is removed if anything is wrong."""
    assert cible.path is not None
    actuelle = cible.path
    temporaire = actuelle.with_name(f".{actuelle.stem}.restauration-{stamp}{actuelle.suffix}")
    try:
        shutil.copyfile(base, temporaire)
        problemes = moteur.controle_sqlite(temporaire)
        db = Database(f"sqlite:///{temporaire}")
        try:
            with db.engine.connect() as conn:
                comptes = moteur.compter_lignes(conn)
        finally:
            db.dispose()
        moteur.preparer_remplacement_sqlite(temporaire)
    except (sqlite3.DatabaseError, SQLAlchemyError) as exc:
        _supprimer_sqlite(temporaire)
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]
        raise DomainError(f"La copie de la base dans la sauvegarde « {nom} » n'est pas une base SQLite lisible "
                          f"(SQLite : {detail}) : cette sauvegarde ne peut pas être restaurée. {RIEN_MODIFIE}") \
            from exc
    except BaseException:
        _supprimer_sqlite(temporaire)
        raise
    if problemes or comptes != m.tables:
        _supprimer_sqlite(temporaire)
        raise DomainError(f"La copie de la base dans la sauvegarde « {nom} » ne correspond pas à son manifeste "
                          "(contrôle d'intégrité SQLite ou nombre de lignes par table) : cette sauvegarde ne peut "
                          f"pas être restaurée. {RIEN_MODIFIE}")
    return temporaire


def _echanger_sqlite(cible: Database, temporaire: Path, stamp: str) -> Path | None:
    assert cible.path is not None
    actuelle = cible.path
    try:
        avant: Path | None = None
        if actuelle.exists():
            try:
                # Leaving WAL mode needs the base to itself: this also proves no other program has it
                # open (a workstation still running would keep writing into the replaced file).
                moteur.preparer_remplacement_sqlite(actuelle)
            except sqlite3.OperationalError as exc:
                raise DomainError("La base est encore ouverte par un autre programme (Cyclades Desktop sur ce "
                                  "poste ou une tâche planifiée) : fermez-le, puis recommencez. Rien n'a été "
                                  "modifié.") from exc
            avant = actuelle.with_name(f"{actuelle.stem}.avant-restauration-{stamp}{actuelle.suffix}")
            moteur.backup_sqlite(actuelle, avant)      # consistent, WAL content included
        for suffixe in ("-wal", "-shm"):
            Path(str(actuelle) + suffixe).unlink(missing_ok=True)
        os.replace(temporaire, actuelle)
        moteur.fsync_dossier(actuelle.parent)
        return avant
    finally:
        temporaire.unlink(missing_ok=True)


def _echanger_postgres(cible: Database, dump: Path, m: Manifeste, stamp: str, dossier: Path) -> Path | None:
    """The current base is dumped first, beside the backups (there is no file to keep aside). The
    manifest's row counts are checked inside the restore's own transaction: a mismatch rolls it back."""
    url = cible.url.render_as_string(hide_password=False)
    avant = dossier / f"avant-restauration-{stamp}.dump"
    avant.parent.mkdir(parents=True, exist_ok=True)
    cible.dispose()
    moteur.dump_postgres(url, avant)
    try:
        moteur.restaurer_postgres(url, dump, comptes=m.tables, tables=[t.name for t in Base.metadata.sorted_tables])
    except BaseException:
        avant.unlink(missing_ok=True)    # the base is as it was: its copy is not needed
        raise
    with cible.engine.connect() as conn:
        comptes = moteur.compter_lignes(conn)
    if comptes != m.tables:
        raise DomainError(f"La base restaurée ne correspond pas au manifeste de la sauvegarde ; la copie de la "
                          f"base d'avant la restauration est « {avant} ».")
    return avant
