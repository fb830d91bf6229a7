from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.noyau.contexte import Contexte


@pytest.fixture(autouse=True)
def reglages_temporaires(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The main window remembers its geometry and splitters in QSettings: each test gets a folder of
    its own, so that no test reads another's, nor the workstation user's."""
    dossier = tmp_path_factory.mktemp("reglages")
    for format_ in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(format_, QSettings.Scope.UserScope, str(dossier))
    return dossier


@pytest.fixture
def fenetre(qtbot, db_url: str, clock: FixedClock, chef: Contexte) -> Iterator[object]:
    """The main window signed in as the chef de bureau (login "chef")."""
    w = create_main_window(db_url, clock=clock, user="chef")
    qtbot.addWidget(w)
    w.show()
    yield w
    w.ctx.db.dispose()
