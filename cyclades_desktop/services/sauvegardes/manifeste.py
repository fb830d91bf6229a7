"""A backup folder's manifest: reading it, the backup it describes, the folder's files checked against it.
What makes a manifest valid, and the messages, are rules (rules/sauvegardes.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ...rules.errors import DomainError
from ...rules.sauvegardes import (
    FORMAT_MANIFESTE,
    RIEN_MODIFIE,
    FichierOmis,
    Manifeste,
    date_du_nom,
    manifeste_illisible,
    valider_manifeste,
)
from ...rules.temps import format_date_heure
from ...storage.fichiers import TAILLE_BLOC, SourceIllisible, empreinte_par_blocs

MANIFESTE = "manifeste.json"
FORMAT = FORMAT_MANIFESTE
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
    fichiers_omis: tuple[FichierOmis, ...] = ()    # files the backup had to leave out, and why
    erreur: str = ""               # why it cannot be restored (unreadable or invalid manifest), in French

    @property
    def libelle(self) -> str:
        return f"{format_date_heure(self.cree_le)} (heure de Paris)"

    @property
    def incomplete(self) -> bool:
        return bool(self.fichiers_omis)


def sha256_fichier(chemin: Path) -> str:
    with open(chemin, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def lire_manifeste(chemin: Path) -> dict[str, Any]:
    try:
        with open(Path(chemin) / MANIFESTE, encoding="utf-8") as f:
            m = json.load(f)
    except FileNotFoundError:
        raise DomainError(f"« {chemin} » n'est pas une sauvegarde de Cyclades Desktop (pas de {MANIFESTE}). "
                          f"{RIEN_MODIFIE}") from None
    except json.JSONDecodeError as exc:   # not JSON, or cut short (a copy interrupted)
        raise DomainError(manifeste_illisible(Path(chemin).name, f"JSON invalide ligne {exc.lineno}, colonne "
                                              f"{exc.colno}")) from exc
    except UnicodeDecodeError as exc:
        raise DomainError(manifeste_illisible(Path(chemin).name, "ce n'est pas du texte UTF-8")) from exc
    except (OSError, ValueError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise DomainError(manifeste_illisible(Path(chemin).name, str(detail))) from exc
    # Checked here too: the callers that only look up a field (the audit seal) get a dict or a refusal.
    valider_manifeste(m, Path(chemin).name)
    return dict(m)


def depuis_manifeste(chemin: Path, m: dict[str, Any]) -> Sauvegarde:
    return _sauvegarde(chemin, valider_manifeste(m, chemin.name))


def _taille(chemin: Path) -> int:
    return sum(f.stat().st_size for f in chemin.rglob("*") if f.is_file())


def _sauvegarde(chemin: Path, m: Manifeste) -> Sauvegarde:
    return Sauvegarde(chemin=chemin, cree_le=m.cree_le, revision=m.revision, version_programme=m.version_programme,
                      moteur=m.moteur, taille=_taille(chemin), nb_fichiers=len(m.fichiers),
                      quotidienne=m.quotidienne, avertissements=m.avertissements, fichiers_omis=m.fichiers_omis)


def sauvegarde_illisible(chemin: Path, erreur: str) -> Sauvegarde:
    """A backup folder whose manifest cannot be used: still listed (at the date of its name), with the
    reason, so that the office sees it and why it cannot be restored."""
    cree_le = date_du_nom(chemin.name) or datetime.fromtimestamp(chemin.stat().st_mtime, UTC)
    return Sauvegarde(chemin=chemin, cree_le=cree_le, revision="", version_programme="", moteur="",
                      taille=_taille(chemin), nb_fichiers=0, quotidienne=False, erreur=erreur)


def verifier(chemin: Path, *, progression: Progression | None = None) -> Sauvegarde:
    """The manifest, the database copy and every file checked against their SHA-256."""
    return verifier_manifeste(chemin, progression=progression)[0]


def verifier_manifeste(chemin: Path, *, progression: Progression | None = None) -> tuple[Sauvegarde, Manifeste]:
    """``verifier``, with the checked manifest the restore works from (read once)."""
    chemin = Path(chemin)
    m = valider_manifeste(lire_manifeste(chemin), chemin.name)
    tampon = bytearray(TAILLE_BLOC)

    def empreinte(p: Path) -> str | None:
        try:
            return empreinte_par_blocs(p, tampon)
        except SourceIllisible:
            return None
    if empreinte(chemin / m.base_fichier) != m.base_sha256:
        raise DomainError(f"La copie de la base dans la sauvegarde « {chemin.name} » est absente, illisible ou "
                          "endommagée (empreinte SHA-256 différente) : cette sauvegarde ne peut pas être restaurée. "
                          f"{RIEN_MODIFIE}")
    for i, h in enumerate(m.fichiers, 1):
        p = chemin / "fichiers" / h[:2] / h[2:4] / h
        if not p.is_file():
            raise DomainError(f"Le manifeste de la sauvegarde « {chemin.name} » cite le fichier {h[:12]}…, absent "
                              f"de la sauvegarde : cette sauvegarde ne peut pas être restaurée. {RIEN_MODIFIE}")
        if empreinte(p) != h:
            raise DomainError(f"Le fichier {h[:12]}… de la sauvegarde « {chemin.name} » est illisible ou endommagé "
                              f"(empreinte SHA-256 différente) : cette sauvegarde ne peut pas être restaurée. "
                              f"{RIEN_MODIFIE}")
        if progression is not None:
            progression(i, len(m.fichiers))
    return _sauvegarde(chemin, m), m
