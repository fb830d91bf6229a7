"""The hidden --auto-test flag (ui/autotest.py), from the sources: the same path scripts/test_build.sh
runs on the built program."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cyclades_desktop.app import main
from cyclades_desktop.paths import ENV_DATA_DIR, ENV_DATABASE_URL
from cyclades_desktop.services import personnel
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.zones import ZONES

RACINE = Path(__file__).resolve().parents[2]


def _autotest(db_url: str, dossier: Path) -> subprocess.CompletedProcess[str]:
    """In its own process: the self-test runs the application's event loop and quits it, which must
    not touch the QApplication the other tests share."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", ENV_DATA_DIR: str(dossier / "donnees")}
    return subprocess.run([sys.executable, "-m", "cyclades_desktop", "--auto-test", "--database-url", db_url],
                          cwd=dossier, env=env, capture_output=True, text=True, timeout=300)


def test_autotest_cree_le_premier_chef_et_ouvre_chaque_zone(db_url: str, ctx_anonyme: Contexte,
                                                           tmp_path: Path) -> None:
    assert personnel.premier_demarrage(ctx_anonyme)
    fini = _autotest(db_url, tmp_path)
    assert fini.returncode == 0, fini.stdout + fini.stderr
    sortie = fini.stdout
    assert "Traductions de Qt : complements_fr, qtbase_fr" in sortie
    assert "Boutons standard de Qt en français : « Annuler »" in sortie
    for zone in ZONES:
        assert f"Zone ouverte : {zone.titre}\n" in sortie
    assert f"Autotest réussi : {len(ZONES)} zones ouvertes." in sortie
    # The first chef was created through the first-start page.
    assert personnel.agent_par_login(ctx_anonyme, "autotest").role == "chef"


def test_autotest_refuse_une_base_qui_a_du_personnel(db_url: str, chef: Contexte, tmp_path: Path) -> None:
    fini = _autotest(db_url, tmp_path)
    assert fini.returncode == 2
    assert "l'autotest demande une base neuve" in fini.stderr


def test_autotest_jamais_sur_la_base_du_poste(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    assert main(["--auto-test"]) == 2
    assert "--database-url" in capsys.readouterr().err


def test_python_m_cyclades_desktop_auto_test_en_anglais(db_url: str, tmp_path: Path) -> None:
    """The real start: `python -m cyclades_desktop`, on a laptop installed in English, and Qt's
    buttons are French all the same (the self-test checks « Annuler »)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "en_US.UTF-8", "LANGUAGE": "en",
           "LC_ALL": "en_US.UTF-8", ENV_DATA_DIR: str(tmp_path / "donnees")}
    fini = subprocess.run([sys.executable, "-m", "cyclades_desktop", "--auto-test", "--database-url", db_url],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert fini.returncode == 0, fini.stdout + fini.stderr
    assert "Boutons standard de Qt en français : « Annuler »" in fini.stdout
    assert "Autotest réussi" in fini.stdout
