"""Backups of the database and its file store, their listing and rotation (docs/domaine/rgpd.md#sauvegardes).

One backup is one folder ``cyclades-AAAAMMJJ-HHMMSS/`` (Paris time) holding ``base.sqlite`` (SQLite
online backup API, WAL content included) or ``base.dump`` (pg_dump -Fc), ``fichiers/`` (the store's
files, same layout) and ``manifeste.json``. It is written under a hidden temporary name and renamed
only once complete: a folder with the final name is always a whole backup; an interrupted one
(full disk, crash) leaves only a temporary folder, removed on the spot or by the next backup. The
manifest is read and checked in ``manifeste``; a backup is restored by ``restauration``."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from ... import __version__
from ...models import Parametre
from ...rules.audit import CLE_MANIFESTE, sceau_en_dict
from ...rules.errors import DomainError
from ...rules.sauvegardes import ParametresSauvegarde, a_conserver, motif, verifier_parametres
from ...rules.temps import paris
from ...storage import migrate
from ...storage import sauvegarde as moteur
from ...storage.database import Database
from ...storage.fichiers import Depot, depot_de
from ..noyau import SYSTEME, Contexte, P, audit, exiger
from .controle import copier_depot, hashes_references, pieces_des_fichiers
from .manifeste import (
    FORMAT,
    MANIFESTE,
    Progression,
    Sauvegarde,
    depuis_manifeste,
    lire_manifeste,
    sauvegarde_illisible,
    sha256_fichier,
)

CLE_PARAMETRE = "sauvegardes"
_NOM = re.compile(r"cyclades-(\d{8})-(\d{6})(?:-(\d+))?")
_TEMPORAIRE = ".en-cours-"


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
    resultat = depuis_manifeste(cible / nom, manifeste)
    with ctx.transaction() as s:
        audit.enregistrer(s, ctx, "sauvegarde", "base", nom, libelle=f"Sauvegarde {cible / nom}",
                          apres={"revision": manifeste["revision_schema"], "fichiers": resultat.nb_fichiers,
                                 "taille": resultat.taille, "quotidienne": quotidienne,
                                 "fichiers_omis": [f.sha256 for f in resultat.fichiers_omis[:100]]})
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


def _ecrire(ctx: Contexte, depot: Depot, dossier: Path, maintenant: datetime, quotidienne: bool,
            progression: Progression | None) -> dict[str, Any]:
    db = ctx.db
    # The audit trail's head, read before the snapshot so that the backup holds the row it seals.
    sceau = audit.sceau_courant(ctx)
    if db.is_sqlite:
        assert db.path is not None
        base = dossier / "base.sqlite"
        moteur.backup_sqlite(db.path, base)
        revision, comptes, references = _revision_et_comptes(base)
        nom_moteur = "sqlite"
    else:
        base = dossier / "base.dump"
        url = db.url.render_as_string(hide_password=False)
        with moteur.instantane_postgres(url) as (snapshot, comptes):
            moteur.dump_postgres(url, base, snapshot=snapshot)
            references = _references_postgres(db, snapshot)
        revision = migrate.current_revision(db) or ""
        nom_moteur = "postgresql"
    # Listed after the database snapshot: a file is stored before the row that names it commits, so
    # every file the snapshot refers to is already in the store, unless it was lost or damaged: the
    # backup is then incomplete, and its manifest says which files it lacks and why.
    copie = copier_depot(depot, dossier, references, progression=progression)
    with ctx.lecture() as s:
        pieces = pieces_des_fichiers(s, [h for h, _, _ in copie.omis])
    omis = [{"sha256": h, "motif": motif(etat, detail), "pieces": pieces.get(h, [])} for h, etat, detail in copie.omis]
    fichiers, avertissements = copie.fichiers, copie.avertissements
    manifeste = {
        "format": FORMAT, "programme": "Cyclades Desktop", "version_programme": __version__,
        "revision_schema": revision, "moteur": nom_moteur,
        "cree_le_utc": maintenant.astimezone(UTC).isoformat(),
        "cree_le_paris": paris(maintenant).isoformat(), "quotidienne": quotidienne,
        "base": {"fichier": base.name, "taille": base.stat().st_size, "sha256": sha256_fichier(base)},
        "tables": comptes, "fichiers": fichiers, "avertissements": avertissements,
        "incomplete": bool(omis), "fichiers_omis": omis,
        CLE_MANIFESTE: sceau_en_dict(sceau) if sceau else None,
    }
    chemin = dossier / MANIFESTE
    with open(chemin, "w", encoding="utf-8") as f:
        json.dump(manifeste, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    moteur.fsync_dossier(dossier)
    return manifeste


def _revision_et_comptes(fichier: Path) -> tuple[str, dict[str, int], set[str]]:
    """The copy's schema revision, rows per table and the files it cites."""
    db = Database(f"sqlite:///{fichier}")
    try:
        revision = migrate.current_revision(db) or ""
        with db.engine.connect() as conn:
            return revision, moteur.compter_lignes(conn), hashes_references(conn)
    finally:
        db.dispose()
        moteur.preparer_remplacement_sqlite(fichier)   # a single self-contained file in the backup


def _references_postgres(db: Database, snapshot: str) -> set[str]:
    """The files cited in the very snapshot pg_dump copies (imported while its exporter is still open)."""
    if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):   # spliced into SQL below: only what PostgreSQL exports
        raise DomainError("Identifiant d'instantané PostgreSQL inattendu : la sauvegarde n'a pas été faite.")
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        references = hashes_references(conn)
        conn.rollback()
    return references


# --- listing -------------------------------------------------------------------------------------------

def lister(dossier: Path) -> list[Sauvegarde]:
    """The backups in a folder, newest first. One whose manifest is unreadable or invalid is listed
    with the reason (``erreur``), never restored nor rotated away; a folder out of reach is skipped."""
    if not Path(dossier).is_dir():
        return []
    trouvees = []
    for d in Path(dossier).iterdir():
        if d.is_dir() and _NOM.fullmatch(d.name):
            try:
                try:
                    trouvees.append(depuis_manifeste(d, lire_manifeste(d)))
                except DomainError as exc:
                    trouvees.append(sauvegarde_illisible(d, exc.message))
            except OSError:
                continue
    return sorted(trouvees, key=lambda x: (x.cree_le, x.chemin.name), reverse=True)


def lister_sauvegardes(ctx: Contexte, dossier: str | Path | None = None) -> list[Sauvegarde]:
    exiger(ctx, P.SAUVEGARDES)
    return lister(dossier_effectif(ctx, dossier))


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
    audit.sceller_du_jour(ctx)   # the day's seal, unless a sign-in already wrote it
    return nouvelle


def appliquer_rotation(ctx: Contexte, cible: Path, p: ParametresSauvegarde | None = None) -> list[Path]:
    """Remove the daily backups beyond the rotation. Backups made by hand are never removed."""
    exiger(ctx, P.SAUVEGARDES)      # it deletes backups: the chef's alone, whoever calls it
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
