"""The office's audit key and seal file, kept outside the database (docs/domaine/rgpd.md#journal-audit).

Both live in one folder that every workstation of the office reaches: ``CYCLADES_AUDIT_DIR`` if set,
otherwise ``audit/`` inside the file store (beside the SQLite file, or the share that
``CYCLADES_FICHIERS_DIR`` names for PostgreSQL). The program's backups copy only the store's hashed
files, never this folder: whoever holds a backup, or the database alone, cannot seal a row. The office
keeps its own copy of the key (without it, keyed rows can no longer be authenticated)."""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
import time
from pathlib import Path

from ..rules.audit import LONGUEUR_CLE
from ..rules.errors import DomainError
from .database import Database
from .fichiers import depot_de, fsync_dossier

ENV_AUDIT_DIR = "CYCLADES_AUDIT_DIR"
NOM_CLE = "cle-journal-audit.txt"
NOM_SCEAUX = "sceaux-journal-audit.txt"
_MODE_FICHIER = 0o600       # the key is a secret; the seals are nobody else's business either
_MODE_DOSSIER = 0o700
ENTETE_SCEAUX = ("# Sceaux du journal d'audit de Cyclades Desktop, en ajout seul : "
                 "date (UTC);n° de ligne;empreinte. Ne pas modifier.\n")


def dossier_audit(db: Database) -> Path:
    dossier = os.environ.get(ENV_AUDIT_DIR)
    return Path(dossier).expanduser() if dossier else depot_de(db).racine / "audit"


def lire_cle(chemin: Path) -> bytes | None:
    """The key (hex text in the file, so that it can be printed and kept in a safe); None if absent."""
    try:
        octets = chemin.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DomainError(f"La clé du journal d'audit ({chemin}) ne peut pas être lue ({exc.strerror or exc}) : "
                          "vérifiez les droits sur ce dossier.") from exc
    try:
        cle = bytes.fromhex(octets.decode("ascii").strip())
    except ValueError:   # UnicodeDecodeError included
        cle = b""
    if len(cle) != LONGUEUR_CLE:
        raise DomainError(f"Le fichier de clé du journal d'audit ({chemin}) est endommagé : remettez en place sa "
                          "copie de sécurité.")
    return cle


def creer_cle(chemin: Path) -> bytes:
    """Create the office's key at first need and return it; if another workstation created one
    meanwhile, theirs wins (a hard link, or an exclusive create, never replaces a file)."""
    contenu = (secrets.token_bytes(LONGUEUR_CLE).hex() + "\n").encode("ascii")
    try:
        chemin.parent.mkdir(parents=True, exist_ok=True, mode=_MODE_DOSSIER)
        descripteur, nom = tempfile.mkstemp(prefix=".cle-", dir=chemin.parent)   # created 0600
        temporaire = Path(nom)
        try:
            with os.fdopen(descripteur, "wb") as f:
                f.write(contenu)
                f.flush()
                os.fsync(f.fileno())
            _publier(temporaire, chemin, contenu)
        finally:
            temporaire.unlink(missing_ok=True)
        fsync_dossier(chemin.parent)
    except OSError as exc:
        raise DomainError(f"La clé du journal d'audit ne peut pas être créée dans « {chemin.parent} » "
                          f"({exc.strerror or exc}) : vérifiez que ce dossier est accessible. Rien n'a été "
                          "enregistré.") from exc
    # Whoever wrote it, the key is what the file holds; an exclusive create may still be writing.
    for _ in range(40):
        try:
            cle = lire_cle(chemin)
        except DomainError:
            cle = None
        if cle is not None:
            return cle
        time.sleep(0.05)
    cle = lire_cle(chemin)
    if cle is None:
        raise DomainError(f"La clé du journal d'audit ({chemin}) a disparu pendant sa création.")
    return cle


def _publier(temporaire: Path, chemin: Path, contenu: bytes) -> None:
    try:
        os.link(temporaire, chemin)
        return
    except FileExistsError:
        return
    except OSError:
        pass   # no hard links on this file system (FAT, some shares)
    try:
        fd = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _MODE_FICHIER)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as f:
        f.write(contenu)
        f.flush()
        os.fsync(f.fileno())


def droits_ouverts(chemin: Path) -> int | None:
    """The permission bits beyond the owner's (POSIX), None when there are none or no file."""
    if os.name != "posix":
        return None   # Windows: the folder's access rights decide
    try:
        mode = stat.S_IMODE(chemin.stat().st_mode)
    except OSError:
        return None
    return mode if mode & 0o077 else None


# --- the seal file: append-only lines « date;id;hash » --------------------------------------------------

def ajouter_sceau(chemin: Path, ligne: str) -> None:
    """Append one line, durably, in a single write (two workstations may append at the same time)."""
    chemin.parent.mkdir(parents=True, exist_ok=True, mode=_MODE_DOSSIER)
    fd = os.open(chemin, os.O_WRONLY | os.O_APPEND | os.O_CREAT, _MODE_FICHIER)
    try:
        donnees = (ligne + "\n").encode("utf-8")
        if os.fstat(fd).st_size == 0:
            donnees = ENTETE_SCEAUX.encode("utf-8") + donnees
        os.write(fd, donnees)
        os.fsync(fd)
    finally:
        os.close(fd)


def lire_sceaux(chemin: Path) -> list[tuple[int, str]]:
    """(line number, text) of every line that is not a comment or blank; none if there is no file."""
    try:
        texte = chemin.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return [(n, ligne) for n, ligne in enumerate(texte.splitlines(), 1)
            if ligne.strip() and not ligne.startswith("#")]


def derniere_ligne_sceau(chemin: Path) -> str | None:
    """The last seal line, reading only the end of the file (it grows by a line a day)."""
    try:
        with open(chemin, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 4096))
            fin = f.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lignes = [x for x in fin.splitlines() if x.strip() and not x.startswith("#")]
    return lignes[-1] if lignes else None
