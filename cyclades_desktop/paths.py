"""Where things live: resources shipped with the program, the user's data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

ENV_DATABASE_URL = "CYCLADES_DATABASE_URL"
ENV_DATA_DIR = "CYCLADES_DATA_DIR"
ENV_MODELES_DIR = "CYCLADES_MODELES_DIR"


def resources_dir() -> Path:
    # A PyInstaller build unpacks next to the executable; a source checkout has it at the top.
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else Path(platformdirs.user_data_dir("cyclades-desktop", "DEC"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{data_dir() / 'cyclades.sqlite'}"


def modeles_livres_dir() -> Path:
    """The DOCX letter templates shipped with the program (copies of forms/*.docx)."""
    return resources_dir() / "modeles"


def modeles_dir() -> Path:
    """The office's own copies of the letter templates, which it edits in Word (created on demand)."""
    override = os.environ.get(ENV_MODELES_DIR)
    path = Path(override) if override else data_dir() / "modeles"
    path.mkdir(parents=True, exist_ok=True)
    return path
