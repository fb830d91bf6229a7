"""The SMTP password, kept out of the database (docs/domaine/courriels.md#boite-envoi).

The database is shared between workstations and copied into backups, so the password lives on each
workstation instead: in a small JSON file in the user's configuration folder, readable by that user
only (mode 0600), keyed by account and server so that changing server never sends an old password
elsewhere. ``CYCLADES_SMTP_MOT_DE_PASSE`` overrides it (scheduled tasks, managed deployments);
``CYCLADES_SECRETS_DIR`` moves the folder (tests, portable installs)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

ENV_MOT_DE_PASSE = "CYCLADES_SMTP_MOT_DE_PASSE"
ENV_DOSSIER = "CYCLADES_SECRETS_DIR"
NOM_FICHIER = "secrets.json"


def dossier() -> Path:
    override = os.environ.get(ENV_DOSSIER)
    return Path(override) if override else Path(platformdirs.user_config_dir("cyclades-desktop"))


def fichier() -> Path:
    return dossier() / NOM_FICHIER


def _cle(identifiant: str, hote: str) -> str:
    return f"smtp:{identifiant.strip()}@{hote.strip().lower()}"


def _lire_tout() -> dict[str, str]:
    try:
        data = json.loads(fichier().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def mot_de_passe(identifiant: str, hote: str) -> str | None:
    """The password for this account on this server: the environment first, then the file."""
    if env := os.environ.get(ENV_MOT_DE_PASSE):
        return env
    if not identifiant.strip():
        return None
    return _lire_tout().get(_cle(identifiant, hote))


def depuis_environnement() -> bool:
    return bool(os.environ.get(ENV_MOT_DE_PASSE))


def enregistrer(identifiant: str, hote: str, valeur: str | None) -> None:
    """Store (or, with None or "", forget) the password; the file is created 0600 before any write."""
    tout = _lire_tout()
    cle = _cle(identifiant, hote)
    if valeur:
        tout[cle] = valeur
    else:
        tout.pop(cle, None)
    d = dossier()
    d.mkdir(parents=True, exist_ok=True)
    cible = fichier()
    provisoire = cible.with_suffix(".tmp")
    # Created with 0600 from the start (no window where another user could read it), then swapped in.
    fd = os.open(provisoire, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(tout, f, ensure_ascii=False, indent=1)
    os.chmod(provisoire, 0o600)
    os.replace(provisoire, cible)
