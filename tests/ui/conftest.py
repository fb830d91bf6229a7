from __future__ import annotations

from collections.abc import Iterator

import pytest

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.noyau.contexte import Contexte


@pytest.fixture
def fenetre(qtbot, db_url: str, clock: FixedClock, chef: Contexte) -> Iterator[object]:
    """The main window signed in as the chef de bureau (login "chef")."""
    w = create_main_window(db_url, clock=clock, user="chef")
    qtbot.addWidget(w)
    w.show()
    yield w
    w.ctx.db.dispose()
