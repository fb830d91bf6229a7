"""A known bug of a dependency: PySide6 6.12.0 on Python 3.11 lowers None's refcount on every void call and
aborts the process. This keeps an upgrade from bringing it back silently."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget


def test_les_appels_qt_sans_retour_ne_touchent_pas_au_compteur_de_none(qapp):
    w = QWidget()
    avant = sys.getrefcount(None)
    for _ in range(2000):
        w.setEnabled(True)
        w.setToolTip("x")
    apres = sys.getrefcount(None)
    assert apres - avant > -100, f"refcount de None en baisse de {avant - apres} : version de PySide6 défectueuse"
