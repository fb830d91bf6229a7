"""The entry scripts of the standalone build, run the way PyInstaller runs them: as plain scripts,
outside their package (relative imports there stop the frozen program at once), including the
--verifier-fichier restart through which a frozen program checks a deposited file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

RACINE = Path(__file__).resolve().parents[2]
FENETRE = RACINE / "cyclades_desktop" / "__main__.py"
ADMIN = RACINE / "build_spec" / "admin.py"


def _lancer(script: Path, *arguments: str, entree: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(RACINE), "QT_QPA_PLATFORM": "offscreen"}
    # Output through pipes: the checker may write no file (RLIMIT_FSIZE).
    return subprocess.run([sys.executable, str(script), *arguments], input=entree, capture_output=True,
                          cwd=RACINE, env=env, timeout=120)


def _png() -> bytes:
    tampon = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(tampon, "PNG")
    return tampon.getvalue()


@pytest.mark.parametrize("script", [FENETRE, ADMIN], ids=["cyclades-desktop", "cyclades-desktop-admin"])
def test_verifier_fichier_par_le_script_d_entree(script: Path) -> None:
    fini = _lancer(script, "--verifier-fichier", "--delai=30", entree=_png())
    assert fini.returncode == 0, fini.stderr.decode()
    reponse = json.loads(fini.stdout)
    assert reponse["type_mime"] == "image/png" and "refus" not in reponse


def test_script_d_entree_de_l_administration() -> None:
    fini = _lancer(ADMIN, "--help")
    assert fini.returncode == 0, fini.stderr.decode()
    assert "verifier-integrite" in fini.stdout.decode()


def test_script_d_entree_de_la_fenetre_demarre() -> None:
    fini = _lancer(FENETRE, "--help")
    assert fini.returncode == 0, fini.stderr.decode()
    assert "--database-url" in fini.stdout.decode()
