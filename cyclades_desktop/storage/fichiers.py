"""Content-addressed store of the pièces justificatives' files, beside the database
(docs/domaine/justificatifs.md#depot-en-ligne).

A file lives at ``racine/ab/cd/abcd…`` named by the SHA-256 of its bytes: the same document
deposited twice is stored once, and a stored file never changes. The database refers to files by
hash; the file is written (and synced) before the transaction that references it commits, so a
crash in between leaves at worst an unreferenced file, which :meth:`Depot.orphelins` finds."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import threading
import time
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url

from cyclades_desktop import paths
from cyclades_desktop.rules.errors import DomainError
from cyclades_desktop.rules.sauvegardes import EtatFichier

from .database import Database

ENV_FICHIERS_DIR = "CYCLADES_FICHIERS_DIR"
PREFIXE_TEMPORAIRE = ".ecriture-"
_HASH = re.compile(r"[0-9a-f]{64}")
_HEX2 = re.compile(r"[0-9a-f]{2}")
# Read-only: a stored file never changes. No « others » bit: these are identity documents.
_MODE_FICHIER = stat.S_IRUSR | stat.S_IRGRP
# Files are read in blocks of this size into one reused buffer: memory stays flat whatever their size.
# hashlib.file_digest's own size: a block that stays in the CPU cache hashes faster than 1 Mo ones.
TAILLE_BLOC = 256 * 1024


class SourceIllisible(Exception):
    """The file being read cannot be (missing, refused, I/O error): the source's fault, unlike an
    error writing its copy (a full backup disk), which stays an OSError."""

    def __init__(self, erreur: OSError) -> None:
        super().__init__(str(erreur))
        self.erreur = erreur

    @property
    def absent(self) -> bool:
        return isinstance(self.erreur, FileNotFoundError)


def empreinte_par_blocs(chemin: Path, tampon: bytearray | None = None, copie: BinaryIO | None = None) -> str:
    """SHA-256 of a file read block by block; each block also goes to ``copie`` when given, so that a
    backup reads each file once. Raises SourceIllisible when the file cannot be read."""
    vue = memoryview(tampon if tampon is not None else bytearray(TAILLE_BLOC))
    h = hashlib.sha256()
    try:
        f = open(chemin, "rb", buffering=0)
    except OSError as exc:
        raise SourceIllisible(exc) from exc
    with f:
        while True:
            try:
                n = f.readinto(vue)
            except OSError as exc:
                raise SourceIllisible(exc) from exc
            if not n:
                return h.hexdigest()
            h.update(vue[:n])
            if copie is not None:
                copie.write(vue[:n])


class Depot:
    def __init__(self, racine: Path) -> None:
        self.racine = Path(racine)

    def __repr__(self) -> str:
        return f"Depot({str(self.racine)!r})"

    def chemin(self, sha256: str) -> Path:
        cle = _cle(sha256)
        return self.racine / cle[:2] / cle[2:4] / cle

    def existe(self, sha256: str) -> bool:
        return self.chemin(sha256).is_file()

    def ecrire(self, contenu: bytes) -> str:
        """Store the bytes; return their SHA-256 (hex). Safe to call again with the same bytes."""
        cle = hashlib.sha256(contenu).hexdigest()
        final = self.chemin(cle)
        if final.is_file() and _empreinte(final) == cle:
            return cle
        dossier = final.parent
        crees = _creer_dossiers(dossier)
        descripteur, nom_temporaire = tempfile.mkstemp(prefix=PREFIXE_TEMPORAIRE, dir=dossier)
        temporaire = Path(nom_temporaire)
        try:
            with os.fdopen(descripteur, "wb") as f:
                f.write(contenu)
                f.flush()
                os.fsync(f.fileno())
            if os.name == "posix":
                # Before publication, so the final name is never writable. (On Windows a read-only
                # file could not be unlinked below, nor deleted by an administrator's sweep.)
                os.chmod(temporaire, _MODE_FICHIER)
            _publier(temporaire, final)
        finally:
            temporaire.unlink(missing_ok=True)
        # The new name (and any directory just created) must reach the disk too.
        for d in {dossier, *(c.parent for c in crees)}:
            fsync_dossier(d)
        return cle

    def lire(self, sha256: str) -> bytes:
        """The stored bytes, checked against their hash."""
        cle = _cle(sha256)
        try:
            contenu = self.chemin(cle).read_bytes()
        except FileNotFoundError:
            raise DomainError(
                f"Le fichier {cle[:12]}… est introuvable dans le dépôt des pièces ({self.racine}) : "
                "prévenez l'administrateur (restauration de la sauvegarde du dépôt)."
            ) from None
        except OSError as e:
            raise DomainError(
                f"Le fichier {cle[:12]}… du dépôt des pièces ne peut pas être lu ({e.strerror or e})."
            ) from e
        if hashlib.sha256(contenu).hexdigest() != cle:
            raise DomainError(
                f"Le fichier {cle[:12]}… du dépôt des pièces est endommagé sur le disque (son contenu ne "
                "correspond plus à son empreinte) : prévenez l'administrateur (restauration de la "
                "sauvegarde du dépôt)."
            )
        return contenu

    def supprimer(self, sha256: str) -> None:
        """Remove a stored file (missing is fine). Callers check that nothing refers to it."""
        self.chemin(sha256).unlink(missing_ok=True)

    def controler(self, sha256: str, tampon: bytearray | None = None) -> tuple[EtatFichier, str]:
        """Read a stored file again and compare its SHA-256 with its name: its state, and the
        system's reason when it cannot be read."""
        cle = _cle(sha256)
        try:
            intact = empreinte_par_blocs(self.chemin(cle), tampon) == cle
        except SourceIllisible as exc:
            if exc.absent:
                return EtatFichier.ABSENT, ""
            return EtatFichier.ILLISIBLE, exc.erreur.strerror or str(exc.erreur)
        return (EtatFichier.INTACT if intact else EtatFichier.ENDOMMAGE), ""

    def hashes(self) -> list[str]:
        """Every hash stored, sorted; temporary files of an interrupted write are not listed."""
        if not self.racine.is_dir():
            return []
        trouves: list[str] = []
        for niveau1 in self.racine.iterdir():
            if not (_HEX2.fullmatch(niveau1.name) and niveau1.is_dir()):
                continue
            for niveau2 in niveau1.iterdir():
                if not (_HEX2.fullmatch(niveau2.name) and niveau2.is_dir()):
                    continue
                prefixe = niveau1.name + niveau2.name
                trouves.extend(f.name for f in niveau2.iterdir()
                               if _HASH.fullmatch(f.name) and f.name.startswith(prefixe) and f.is_file())
        return sorted(trouves)

    def orphelins(self, references: set[str], *, age_min_s: float = 0.0) -> list[str]:
        """Hashes stored but not referenced (sorted): what a sweep may delete.

        ``age_min_s`` spares files written in the last seconds, whose transaction may not have
        committed yet."""
        connus = {r.lower() for r in references if r}
        limite = time.time() - age_min_s
        resultat = []
        for h in self.hashes():
            if h in connus:
                continue
            try:
                if age_min_s and self.chemin(h).stat().st_mtime > limite:
                    continue
            except FileNotFoundError:
                continue
            resultat.append(h)
        return resultat

    def temporaires(self, age_min_s: float = 3600.0) -> list[Path]:
        """Temporary files left by a write interrupted at least ``age_min_s`` seconds ago."""
        if not self.racine.is_dir():
            return []
        limite = time.time() - age_min_s
        resultat: list[Path] = []
        for f in self.racine.glob(f"*/*/{PREFIXE_TEMPORAIRE}*"):
            try:
                if f.is_file() and f.stat().st_mtime <= limite:
                    resultat.append(f)
            except FileNotFoundError:  # finished or cleaned meanwhile
                continue
        return sorted(resultat)


def _cle(sha256: str) -> str:
    cle = (sha256 or "").strip().lower()
    if not _HASH.fullmatch(cle):
        # Never let a malformed reference become a path (« ../.. »).
        raise DomainError(f"Référence de fichier invalide dans le dépôt des pièces : « {sha256} ».")
    return cle


def _empreinte(chemin: Path) -> str | None:
    try:
        with open(chemin, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def _creer_dossiers(dossier: Path) -> list[Path]:
    """mkdir -p, returning the directories actually created (their parents need an fsync)."""
    manquants: list[Path] = []
    d = dossier
    while not d.is_dir():
        manquants.append(d)
        if d.parent == d:
            break
        d = d.parent
    dossier.mkdir(parents=True, exist_ok=True)
    return manquants


def _publier(temporaire: Path, final: Path) -> None:
    """Give the complete temporary file its final name, atomically."""
    try:
        # A hard link never replaces an existing file: a concurrent writer of the same bytes wins.
        os.link(temporaire, final)
        return
    except FileExistsError:
        if _empreinte(final) == final.name:
            return
        # Same name, wrong bytes: the stored copy was damaged. Replacing it with the right bytes
        # is the only rewrite allowed, and it is atomic.
    except OSError:
        # No hard links on this file system (FAT, some network shares).
        if final.is_file() and _empreinte(final) == final.name:
            return
    os.replace(temporaire, final)


def fsync_dossier(dossier: Path) -> None:
    """Make a rename or a new entry in ``dossier`` durable (the file's own fsync does not cover it)."""
    if os.name != "posix":
        return  # Windows has no directory handles to sync; NTFS journals the metadata.
    try:
        fd = os.open(dossier, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) refuse fsync on a directory
    finally:
        os.close(fd)


def depot_pour(url_ou_chemin_base: str | None) -> Depot:
    """The store of a database: ``CYCLADES_FICHIERS_DIR`` if set; beside a SQLite file
    (``/x/cyclades.sqlite`` → ``/x/cyclades.fichiers/``); otherwise the user's data directory."""
    dossier = os.environ.get(ENV_FICHIERS_DIR)
    if dossier:
        return Depot(Path(dossier).expanduser())
    fichier = _fichier_sqlite(url_ou_chemin_base)
    if fichier is not None:
        nom = fichier.stem if fichier.suffix != ".fichiers" else fichier.name
        return Depot(fichier.with_name(nom + ".fichiers"))
    return Depot(paths.data_dir() / "fichiers")


def _fichier_sqlite(url_ou_chemin: str | None) -> Path | None:
    if not url_ou_chemin:
        return None
    if "://" not in url_ou_chemin:
        return Path(url_ou_chemin).expanduser().absolute()
    url = make_url(url_ou_chemin)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser().absolute()


_depots: dict[tuple[str | None, str], Depot] = {}
_verrou = threading.Lock()


def depot_de(db: Database) -> Depot:
    """The store of an open database, one Depot per database (and per CYCLADES_FICHIERS_DIR)."""
    source = str(db.path) if db.path is not None else db.url.render_as_string(hide_password=True)
    cle = (os.environ.get(ENV_FICHIERS_DIR), source)
    with _verrou:
        depot = _depots.get(cle)
        if depot is None:
            depot = _depots[cle] = depot_pour(str(db.path) if db.path is not None else source)
        return depot
