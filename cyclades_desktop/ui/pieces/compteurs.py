"""The counts per status above the grid, as buttons that filter on their status. Counting a million
pieces takes a few hundred milliseconds, so it runs on a worker thread (the grid never waits for it);
after a status change the counts are adjusted at once, without counting again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from ...rules import pieces as regles
from ..formulaire import nommer

# Tests set this: the count then runs in the caller's thread (DESIGN.md: synchronous runner in tests).
SYNCHRONE = False
TOUTES = "Toutes"
STYLE = ("QPushButton { font-size: 12px; padding: 2px 7px; border: 1px solid #c4cbd1; border-radius: 10px; "
         "background: #f6f8fa; } "
         "QPushButton:checked { background: #1f5fbf; color: white; border-color: #1a4f9f; }")


def nombre(n: int) -> str:
    """1 234 567 with narrow no-break spaces, as French typography has it."""
    return f"{n:,}".replace(",", "\u202f")


class _Relais(QObject):
    fini = Signal(int, object)   # generation, result or exception


class _Tache(QRunnable):
    def __init__(self, relais: _Relais, generation: int, fonction: Callable[[], Any]) -> None:
        super().__init__()
        self.relais, self.generation, self.fonction = relais, generation, fonction

    def run(self) -> None:
        try:
            resultat: object = self.fonction()
        except Exception as exc:   # handed to the GUI thread, shown there
            resultat = exc
        try:
            self.relais.fini.emit(self.generation, resultat)
        except RuntimeError:
            pass   # the screen was closed meanwhile


class Compteur(QObject):
    """Runs one count at a time; a request made while counting replaces any waiting one, and only the
    answer to the latest request is delivered."""

    pret = Signal(object)        # dict[str, int]
    echec = Signal(object)       # the exception

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relais = _Relais(self)
        self._relais.fini.connect(self._fini)
        self._generation = 0
        self._attente: Callable[[], Any] | None = None
        self._occupe = False

    @property
    def occupe(self) -> bool:
        return self._occupe or self._attente is not None

    def demander(self, fonction: Callable[[], Any]) -> None:
        self._generation += 1
        self._attente = fonction
        if not self._occupe:
            self._lancer()

    def _lancer(self) -> None:
        fonction, self._attente = self._attente, None
        if fonction is None:
            return
        self._occupe = True
        tache = _Tache(self._relais, self._generation, fonction)
        if SYNCHRONE:
            tache.run()      # emits in this thread: _fini runs before run() returns
            return
        self._pool.start(tache)

    def _fini(self, generation: int, resultat: object) -> None:
        self._occupe = False
        if self._attente is not None:
            self._lancer()
        elif generation == self._generation:
            (self.echec if isinstance(resultat, BaseException) else self.pret).emit(resultat)

    def attendre(self, ms: int = 30_000) -> None:
        """Let a running count finish (closing the screen, tests)."""
        self._pool.waitForDone(ms)


class Compteurs(QWidget):
    """« Toutes : 1 000 000 », « (aucun) : 269 641 », « En attente de contrôle : 380 503 »…"""

    choisi = Signal(object)      # the status to filter on; None for every status

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comptes: dict[str, int] | None = None
        self.boutons: dict[str | None, QPushButton] = {}
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        for statut in (None, *regles.STATUTS):
            b = QPushButton()
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            b.setToolTip("Afficher seulement les pièces de ce statut" if statut is not None
                         else "Afficher les pièces de tous les statuts")
            b.setStyleSheet(STYLE)
            b.clicked.connect(lambda _=False, s=statut: self.choisi.emit(s))
            self.boutons[statut] = b
            box.addWidget(b)
        box.addStretch(1)
        self.afficher(None)

    @staticmethod
    def libelle(statut: str | None) -> str:
        return TOUTES if statut is None else regles.STATUTS[statut]

    def afficher(self, comptes: dict[str, int] | None) -> None:
        """None while counting: the previous figures are replaced by « … »."""
        self.comptes = dict(comptes) if comptes is not None else None
        for statut, b in self.boutons.items():
            if comptes is None:
                valeur = "…"
            else:
                valeur = nombre(sum(comptes.values()) if statut is None else comptes.get(statut, 0))
            texte = f"{self.libelle(statut)} : {valeur}"
            b.setText(texte.replace("&", "&&"))
            nommer(b, texte)

    def ajuster(self, avant: list[str], apres: str) -> None:
        """Pieces that went from the statuses ``avant`` to ``apres``."""
        if self.comptes is None:
            return
        for statut in avant:
            self.comptes[statut] = self.comptes.get(statut, 0) - 1
        self.comptes[apres] = self.comptes.get(apres, 0) + len(avant)
        self.afficher(self.comptes)

    def marquer(self, statut: str | None) -> None:
        for s, b in self.boutons.items():
            b.setChecked(s == statut)
