"""Backups of the database and its file store, their rotation, and restore (docs/domaine/rgpd.md#sauvegardes).

One backup is one folder ``cyclades-AAAAMMJJ-HHMMSS/`` (Paris time) holding ``base.sqlite`` (SQLite
online backup API, WAL content included) or ``base.dump`` (pg_dump -Fc), ``fichiers/`` (the store's
files, same layout) and ``manifeste.json``. It is written under a hidden temporary name and renamed
only once complete: a folder with the final name is always a whole backup; an interrupted one
(full disk, crash) leaves only a temporary folder, removed on the spot or by the next backup."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ... import __version__
from ...models import FichierJustificatif, Parametre
from ...rules.errors import DomainError
from ...rules.sauvegardes import ParametresSauvegarde, a_conserver, verifier_parametres, version_programme
from ...rules.temps import Clock, SystemClock, format_date_heure, paris
from ...storage import migrate
from ...storage import sauvegarde as moteur
from ...storage.database import Database
from ...storage.fichiers import Depot, depot_de, depot_pour
from ..noyau import SYSTEME, AgentConnecte, Contexte, P, audit, exiger

CLE_PARAMETRE = "sauvegardes"
MANIFESTE = "manifeste.json"
FORMAT = 1
_NOM = re.compile(r"cyclades-(\d{8})-(\d{6})(?:-(\d+))?")
_TEMPORAIRE = ".en-cours-"
Progression = Callable[[int, int], None]


@dataclass(frozen=True)
class Sauvegarde:
    chemin: Path
    cree_le: datetime              # UTC
    revision: str
    version_programme: str
    moteur: str
    taille: int
    nb_fichiers: int
    quotidienne: bool
    avertissements: tuple[str, ...] = ()

    @property
    def libelle(self) -> str:
        return f"{format_date_heure(self.cree_le)} (heure de Paris)"


@dataclass(frozen=True)
class RapportRestauration:
    sauvegarde: Sauvegarde
    copie_avant: Path | None       # the database as it was before the restore
    revision_apres: str | None
    fichiers_copies: int


@dataclass
class RapportIntegrite:
    problemes: list[str] = field(default_factory=list)
    orphelins: list[str] = field(default_factory=list)   # stored files nothing refers to (not an error)

    @property
    def correct(self) -> bool:
        return not self.problemes


# --- settings ---------------------------------------------------------------------------------------

def parametres(ctx: Contexte) -> ParametresSauvegarde:
    with ctx.lecture() as s:
        p = s.get(Parametre, CLE_PARAMETRE)
        valeur: dict[str, Any] = dict(p.valeur or {}) if p else {}
    connus = ParametresSauvegarde.__dataclass_fields__
    return ParametresSauvegarde(**{k: v for k, v in valeur.items() if k in connus})


def enregistrer_parametres(ctx: Contexte, p: ParametresSauvegarde) -> None:
    exiger(ctx, P.SAUVEGARDES)
    verifier_parametres(p)
    valeur = {k: getattr(p, k) for k in ParametresSauvegarde.__dataclass_fields__}
    with ctx.transaction() as s:
        ligne = s.get(Parametre, CLE_PARAMETRE)
        avant = dict(ligne.valeur or {}) if ligne else {}
        if ligne is None:
            ligne = Parametre(cle=CLE_PARAMETRE, valeur=valeur)
            s.add(ligne)
        else:
            ligne.valeur = valeur
        ligne.modifie_le, ligne.modifie_par = ctx.clock.now(), (ctx.agent or SYSTEME).login
        av, ap = audit.difference(avant, valeur)
        audit.enregistrer(s, ctx, "parametres_sauvegarde", "parametre", CLE_PARAMETRE,
                          libelle="Paramètres de sauvegarde", avant=av, apres=ap)


def dossier_par_defaut(db: Database) -> Path:
    if db.path is not None:
        return db.path.expanduser().absolute().parent / "sauvegardes"
    from ...paths import data_dir

    return data_dir() / "sauvegardes"


def dossier_effectif(ctx: Contexte, dossier: str | Path | None = None) -> Path:
    choisi = str(dossier or "").strip() or parametres(ctx).dossier.strip()
    return Path(choisi).expanduser() if choisi else dossier_par_defaut(ctx.db)


# --- backup -----------------------------------------------------------------------------------------

def sauvegarder(ctx: Contexte, dossier: str | Path | None = None, *, quotidienne: bool = False,
                progression: Progression | None = None) -> Sauvegarde:
    """A complete backup in ``dossier`` (default: the settings' folder). Raises DomainError with a
    French message on failure; the previous backups are never touched, a partial one is removed."""
    exiger(ctx, P.SAUVEGARDES)
    cible = dossier_effectif(ctx, dossier)
    try:
        cible.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DomainError(f"Le dossier de sauvegarde « {cible} » ne peut pas être créé ({exc.strerror or exc}).") \
            from exc
    _nettoyer_temporaires(cible)
    maintenant = ctx.clock.now()
    nom = _nom_libre(cible, maintenant)
    temporaire = cible / f"{_TEMPORAIRE}{nom}"
    depot = depot_de(ctx.db)
    _verifier_place(ctx.db, depot, cible)
    try:
        temporaire.mkdir()
        manifeste = _ecrire(ctx, depot, temporaire, maintenant, quotidienne, progression)
        os.replace(temporaire, cible / nom)   # complete: give it its final name, atomically
        moteur.fsync_dossier(cible)
    except BaseException as exc:
        shutil.rmtree(temporaire, ignore_errors=True)
        if isinstance(exc, OSError):
            raise DomainError(_message_erreur_disque(exc, cible)) from exc
        raise
    resultat = _depuis_manifeste(cible / nom, manifeste)
    with ctx.transaction() as s:
        audit.enregistrer(s, ctx, "sauvegarde", "base", nom, libelle=f"Sauvegarde {cible / nom}",
                          apres={"revision": manifeste["revision_schema"], "fichiers": resultat.nb_fichiers,
                                 "taille": resultat.taille, "quotidienne": quotidienne})
    return resultat


def _message_erreur_disque(exc: OSError, cible: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"Le disque de sauvegarde est plein ({cible}) : la sauvegarde n'a pas été faite et la copie "
                "partielle a été supprimée. Les sauvegardes précédentes sont conservées ; libérez de la place "
                "ou choisissez un autre dossier.")
    return (f"La sauvegarde dans « {cible} » a échoué ({exc.strerror or exc}) : la copie partielle a été "
            "supprimée, les sauvegardes précédentes sont conservées.")


def _verifier_place(db: Database, depot: Depot, cible: Path) -> None:
    """Refuse before writing when the disk obviously cannot hold the backup (the ENOSPC handling
    above still covers a disk that fills up during the copy)."""
    besoin = 0
    if db.path is not None:
        for suffixe in ("", "-wal"):
            f = Path(str(db.path) + suffixe)
            besoin += f.stat().st_size if f.exists() else 0
    for h in depot.hashes():
        try:
            besoin += depot.chemin(h).stat().st_size
        except FileNotFoundError:
            continue
    libre = shutil.disk_usage(cible).free
    if libre < besoin + 1024 * 1024:
        raise DomainError(
            f"Le disque de sauvegarde ({cible}) n'a plus assez de place : {libre // (1024 * 1024)} Mo libres "
            f"pour environ {besoin // (1024 * 1024) + 1} Mo nécessaires. La sauvegarde n'a pas été faite ; "
            "les sauvegardes précédentes sont conservées.")


def _nom_libre(cible: Path, maintenant: datetime) -> str:
    base = "cyclades-" + paris(maintenant).strftime("%Y%m%d-%H%M%S")
    nom, n = base, 2
    while (cible / nom).exists():
        nom, n = f"{base}-{n}", n + 1
    return nom


def _nettoyer_temporaires(cible: Path) -> None:
    # Left by a backup killed mid-way (power cut): never a complete backup, safe to remove.
    for d in cible.glob(f"{_TEMPORAIRE}*"):
        shutil.rmtree(d, ignore_errors=True)


def _sha256_fichier(chemin: Path) -> str:
    with open(chemin, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _ecrire(ctx: Contexte, depot: Depot, dossier: Path, maintenant: datetime, quotidienne: bool,
            progression: Progression | None) -> dict[str, Any]:
    db = ctx.db
    if db.is_sqlite:
        assert db.path is not None
        base = dossier / "base.sqlite"
        moteur.backup_sqlite(db.path, base)
        revision, comptes = _revision_et_comptes(base)
        nom_moteur = "sqlite"
    else:
        base = dossier / "base.dump"
        url = db.url.render_as_string(hide_password=False)
        with moteur.instantane_postgres(url) as (snapshot, comptes):
            moteur.dump_postgres(url, base, snapshot=snapshot)
        revision = migrate.current_revision(db) or ""
        nom_moteur = "postgresql"
    # Listed after the database snapshot: a file is stored before the row that names it commits, so
    # every file the snapshot refers to is already in the store.
    hashes = depot.hashes()
    fichiers: list[dict[str, Any]] = []
    avertissements: list[str] = []
    total = len(hashes)
    for i, h in enumerate(hashes, 1):
        source = depot.chemin(h)
        destination = dossier / "fichiers" / h[:2] / h[2:4] / h
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(source, destination)
        except FileNotFoundError:
            continue   # removed meanwhile (an orphan swept): nothing refers to it
        if _sha256_fichier(destination) != h:
            destination.unlink()
            avertissements.append(f"Le fichier {h[:12]}… du dépôt est endommagé : il n'a pas été sauvegardé.")
            continue
        fichiers.append({"sha256": h, "taille": destination.stat().st_size})
        if progression is not None:
            progression(i, total)
    manifeste = {
        "format": FORMAT, "programme": "Cyclades Desktop", "version_programme": __version__,
        "revision_schema": revision, "moteur": nom_moteur,
        "cree_le_utc": maintenant.astimezone(UTC).isoformat(),
        "cree_le_paris": paris(maintenant).isoformat(), "quotidienne": quotidienne,
        "base": {"fichier": base.name, "taille": base.stat().st_size, "sha256": _sha256_fichier(base)},
        "tables": comptes, "fichiers": fichiers, "avertissements": avertissements,
    }
    chemin = dossier / MANIFESTE
    with open(chemin, "w", encoding="utf-8") as f:
        json.dump(manifeste, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    moteur.fsync_dossier(dossier)
    return manifeste


def _revision_et_comptes(fichier: Path) -> tuple[str, dict[str, int]]:
    db = Database(f"sqlite:///{fichier}")
    try:
        revision = migrate.current_revision(db) or ""
        with db.engine.connect() as conn:
            return revision, moteur.compter_lignes(conn)
    finally:
        db.dispose()
        moteur.preparer_remplacement_sqlite(fichier)   # a single self-contained file in the backup


# --- listing, verification ------------------------------------------------------------------------------

def lire_manifeste(chemin: Path) -> dict[str, Any]:
    try:
        with open(Path(chemin) / MANIFESTE, encoding="utf-8") as f:
            m = json.load(f)
    except FileNotFoundError:
        raise DomainError(f"« {chemin} » n'est pas une sauvegarde de Cyclades Desktop (pas de {MANIFESTE}).") \
            from None
    except (OSError, ValueError) as exc:
        raise DomainError(f"Le manifeste de la sauvegarde « {chemin} » est illisible ou endommagé.") from exc
    if not isinstance(m, dict) or m.get("programme") != "Cyclades Desktop" or "base" not in m:
        raise DomainError(f"« {chemin} » n'est pas une sauvegarde de Cyclades Desktop.")
    return m


def _depuis_manifeste(chemin: Path, m: dict[str, Any]) -> Sauvegarde:
    taille = sum(f.stat().st_size for f in chemin.rglob("*") if f.is_file())
    return Sauvegarde(chemin=chemin, cree_le=datetime.fromisoformat(m["cree_le_utc"]),
                      revision=str(m.get("revision_schema") or ""), version_programme=str(m.get("version_programme")),
                      moteur=str(m.get("moteur")), taille=taille, nb_fichiers=len(m.get("fichiers") or []),
                      quotidienne=bool(m.get("quotidienne")), avertissements=tuple(m.get("avertissements") or ()))


def lister(dossier: Path) -> list[Sauvegarde]:
    """The complete backups in a folder, newest first (unreadable folders are skipped)."""
    if not Path(dossier).is_dir():
        return []
    trouvees = []
    for d in Path(dossier).iterdir():
        if d.is_dir() and _NOM.fullmatch(d.name):
            try:
                trouvees.append(_depuis_manifeste(d, lire_manifeste(d)))
            except (DomainError, KeyError, ValueError, OSError):
                continue
    return sorted(trouvees, key=lambda x: (x.cree_le, x.chemin.name), reverse=True)


def lister_sauvegardes(ctx: Contexte, dossier: str | Path | None = None) -> list[Sauvegarde]:
    exiger(ctx, P.SAUVEGARDES)
    return lister(dossier_effectif(ctx, dossier))


def verifier(chemin: Path, *, progression: Progression | None = None) -> Sauvegarde:
    """The manifest, the database copy and every file checked against their SHA-256."""
    chemin = Path(chemin)
    m = lire_manifeste(chemin)
    base = chemin / str(m["base"]["fichier"])
    if not base.is_file() or _sha256_fichier(base) != m["base"]["sha256"]:
        raise DomainError(f"La copie de la base dans la sauvegarde « {chemin.name} » est absente ou endommagée "
                          "(empreinte SHA-256 différente) : cette sauvegarde ne peut pas être restaurée.")
    fichiers = m.get("fichiers") or []
    for i, f in enumerate(fichiers, 1):
        h = str(f["sha256"])
        p = chemin / "fichiers" / h[:2] / h[2:4] / h
        if not p.is_file() or _sha256_fichier(p) != h:
            raise DomainError(f"Le fichier {h[:12]}… de la sauvegarde « {chemin.name} » est absent ou endommagé : "
                              "cette sauvegarde ne peut pas être restaurée.")
        if progression is not None:
            progression(i, len(fichiers))
    return _depuis_manifeste(chemin, m)


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


# --- rotation and schedule ------------------------------------------------------------------------------

def sauvegarde_quotidienne(ctx: Contexte, *, dossier: str | Path | None = None, forcer_heure: bool = True,
                           progression: Progression | None = None) -> Sauvegarde | None:
    """One backup a (Paris) day, then the rotation. ``forcer_heure=False`` (the application's timer)
    waits for the configured hour; the scheduled task runs it whenever the OS says. None when there
    was nothing to do."""
    exiger(ctx, P.SAUVEGARDES)
    p = parametres(ctx)
    cible = dossier_effectif(ctx, dossier)
    maintenant = paris(ctx.clock.now())
    if not forcer_heure:
        heure, minute = (int(x) for x in p.heure.split(":"))
        if maintenant.time() < time(heure, minute):
            return None
    existantes = lister(cible)
    if any(paris(s.cree_le).date() == maintenant.date() and s.quotidienne for s in existantes):
        return None
    nouvelle = sauvegarder(ctx, cible, quotidienne=True, progression=progression)
    appliquer_rotation(ctx, cible, p)
    return nouvelle


def appliquer_rotation(ctx: Contexte, cible: Path, p: ParametresSauvegarde | None = None) -> list[Path]:
    """Remove the daily backups beyond the rotation. Backups made by hand are never removed."""
    p = p or parametres(ctx)
    quotidiennes = [s for s in lister(cible) if s.quotidienne]
    garder = a_conserver(quotidiennes, p.quotidiennes, p.hebdomadaires)
    supprimees = [s.chemin for s in quotidiennes if s.chemin not in garder]
    for chemin in supprimees:
        shutil.rmtree(chemin, ignore_errors=True)
    if supprimees:
        with ctx.transaction() as s:
            audit.enregistrer(s, ctx, "rotation_sauvegardes", "base", cible.name,
                              libelle=f"{len(supprimees)} sauvegarde(s) ancienne(s) supprimée(s) dans {cible}",
                              apres={"supprimees": [c.name for c in supprimees]})
    return supprimees


# --- restore -------------------------------------------------------------------------------------------

def restaurer(url: str, chemin: str | Path, *, clock: Clock | None = None, agent: AgentConnecte | None = None,
              migrations: Path | None = None, progression: Progression | None = None) -> RapportRestauration:
    """Replace the database (and complete the file store) with a backup. Every engine of this
    database must be closed first (the caller's ``Database.dispose()``; the other workstations
    closed). Verified before anything changes; the swap is one rename (SQLite) or one transaction
    (PostgreSQL); an older backup is then migrated; the restore is audited in the restored base."""
    clock = clock or SystemClock()
    chemin = Path(chemin)
    s = verifier(chemin, progression=progression)
    m = lire_manifeste(chemin)
    _refuser_si_plus_recente(s, migrations)
    cible = Database(url)
    try:
        if (s.moteur == "sqlite") != cible.is_sqlite:
            raise DomainError(f"Cette sauvegarde vient d'une base {s.moteur} : elle ne peut pas être restaurée "
                              "dans ce type de base. Rien n'a été modifié.")
        depot = depot_de(cible) if not cible.is_sqlite else depot_pour(str(cible.path))
        # The store is append-only and content-addressed: adding the backup's files before the swap
        # changes nothing for the current database, and the restored one finds them all at once.
        copies = 0
        for f in m.get("fichiers") or []:
            h = str(f["sha256"])
            if not depot.existe(h):
                depot.ecrire((chemin / "fichiers" / h[:2] / h[2:4] / h).read_bytes())
                copies += 1
        stamp = paris(clock.now()).strftime("%Y%m%d-%H%M%S")
        if cible.is_sqlite:
            cible.dispose()
            avant = _echanger_sqlite(cible, chemin / str(m["base"]["fichier"]), m, stamp)
        else:
            avant = _echanger_postgres(cible, chemin / str(m["base"]["fichier"]), m, stamp, chemin.parent)
    except OSError as exc:
        raise DomainError(f"La restauration a échoué ({exc.strerror or exc}) : la base n'a pas été modifiée.") \
            from exc
    finally:
        cible.dispose()
    restauree = Database(url)
    try:
        rapport_migration = migrate.upgrade(restauree, clock, migrations=migrations)
        if rapport_migration.backup is not None:
            rapport_migration.backup.unlink(missing_ok=True)   # the backup itself is the pre-migration copy
        ctx = Contexte(restauree, clock, agent or SYSTEME)
        with ctx.transaction() as session:
            audit.enregistrer(session, ctx, "restauration", "base", chemin.name,
                              libelle=f"Restauration de la sauvegarde {chemin.name} du {s.libelle}",
                              apres={"revision_sauvegarde": s.revision, "revision": rapport_migration.after,
                                     "copie_avant": str(avant) if avant else None, "fichiers_copies": copies})
        return RapportRestauration(s, avant, rapport_migration.after, copies)
    finally:
        restauree.dispose()


def _echanger_sqlite(cible: Database, base: Path, m: dict[str, Any], stamp: str) -> Path | None:
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
        if problemes or comptes != m.get("tables"):
            raise DomainError("La copie de la base de cette sauvegarde ne correspond pas à son manifeste "
                              "(contrôle d'intégrité ou nombre de lignes) : rien n'a été modifié.")
        moteur.preparer_remplacement_sqlite(temporaire)
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


def _echanger_postgres(cible: Database, dump: Path, m: dict[str, Any], stamp: str, dossier: Path) -> Path | None:
    """The current base is dumped first, beside the backups (there is no file to keep aside)."""
    url = cible.url.render_as_string(hide_password=False)
    avant = dossier / f"avant-restauration-{stamp}.dump"
    avant.parent.mkdir(parents=True, exist_ok=True)
    cible.dispose()
    moteur.dump_postgres(url, avant)
    moteur.restaurer_postgres(url, dump)
    with cible.engine.connect() as conn:
        comptes = moteur.compter_lignes(conn)
    if comptes != m.get("tables"):
        raise DomainError(f"La base restaurée ne correspond pas au manifeste de la sauvegarde ; la copie de la "
                          f"base d'avant la restauration est « {avant} ».")
    return avant


# --- integrity ------------------------------------------------------------------------------------------

def verifier_integrite(ctx: Contexte) -> RapportIntegrite:
    """The engine's own check (SQLite) and the invariants the crash test relies on."""
    from ..noyau import invariants

    r = RapportIntegrite()
    if ctx.db.is_sqlite:
        with ctx.db.engine.connect() as conn:
            r.problemes += [str(x[0]) for x in conn.exec_driver_sql("PRAGMA integrity_check") if x[0] != "ok"]
            for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                r.problemes.append(f"Clé étrangère : ligne {rowid} de « {table} » sans « {parent} » correspondant.")
    r.problemes += invariants(ctx)
    depot = depot_de(ctx.db)
    with ctx.lecture() as s:
        references = set(s.scalars(select(FichierJustificatif.sha256).distinct()))
    r.orphelins = depot.orphelins(references)
    return r
