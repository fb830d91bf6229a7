"""The background runner (ARCHITECTURE.md, « Add a screen »): slow work runs on a QThreadPool while
the window stays responsive; progress, the result and errors come back to the GUI thread as signals;
the work can be asked to stop between two steps. In tests the runner is synchronous: the work runs at
once, in the caller's thread, and the signals are delivered before ``lancer`` returns.

    tache = executeur.preparer(lambda t: service.faire(ctx, ids, progression=t.signaler, annule=t.annule))
    tache.progression.connect(...); tache.resultat.connect(...); tache.erreur.connect(...)
    dialogue.canceled.connect(tache.annuler)
    executeur.demarrer(tache)

or ``executeur.lancer(travail, progression=..., resultat=..., erreur=...)`` in one call. Connect before
starting: a synchronous task has delivered everything by the time ``demarrer`` returns."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal

ENV_SYNCHRONE = "CYCLADES_TACHES_SYNCHRONES"

# Tasks still running: their Python objects must outlive the window that started them, since the
# worker thread emits on them until the end.
_EN_COURS: set[Tache] = set()


def synchrone_par_defaut() -> bool:
    return os.environ.get(ENV_SYNCHRONE, "").strip().lower() in ("1", "true", "oui", "yes")


class Tache(QObject):
    """One piece of work: the handle the screen keeps (progress, result, error, cancel)."""

    progression = Signal(int, int)          # (done, total), in the GUI thread
    resultat = Signal(object)
    erreur = Signal(object)                 # the exception
    terminee = Signal()                     # after resultat or erreur
    # Emitted from the worker thread; relayed to the public signals in this object's (GUI) thread.
    _progression_brute = Signal(int, int)
    _fin_brute = Signal(bool, object)

    def __init__(self, travail: Callable[[Tache], Any], synchrone: bool) -> None:
        super().__init__()
        self._travail = travail
        self._annulation = threading.Event()
        self.synchrone = synchrone
        liaison = Qt.ConnectionType.DirectConnection if synchrone else Qt.ConnectionType.QueuedConnection
        self._progression_brute.connect(self.progression, liaison)
        self._fin_brute.connect(self._finir, liaison)

    # --- called by the work, from any thread -----------------------------------------------------
    def signaler(self, fait: int, total: int) -> None:
        """The work's progress callback: ``progression=tache.signaler``."""
        self._progression_brute.emit(fait, total)

    def annule(self) -> bool:
        """The work's cancel check: ``annule=tache.annule``."""
        return self._annulation.is_set()

    # --- called by the screen --------------------------------------------------------------------
    def annuler(self) -> None:
        """Ask the work to stop at its next check; what is done stays done."""
        self._annulation.set()

    # --- internals -------------------------------------------------------------------------------
    def executer(self) -> None:
        try:
            valeur = self._travail(self)
        except Exception as exc:  # every error goes back to the screen, never lost in a thread
            self._fin_brute.emit(False, exc)
        else:
            self._fin_brute.emit(True, valeur)

    def _finir(self, ok: bool, valeur: object) -> None:
        try:
            (self.resultat if ok else self.erreur).emit(valeur)
            self.terminee.emit()
        finally:
            if self.synchrone:
                _EN_COURS.discard(self)
            else:
                # Not from inside this object's own queued call: dropping what may be the last
                # reference there would delete the QObject while Qt is still delivering to it.
                QTimer.singleShot(0, functools.partial(_EN_COURS.discard, self))


class _Execution(QRunnable):
    def __init__(self, tache: Tache) -> None:
        super().__init__()
        self.tache = tache

    def run(self) -> None:
        self.tache.executer()


class Executeur:
    """Starts work on a thread pool (or at once when synchronous)."""

    def __init__(self, *, synchrone: bool | None = None, pool: QThreadPool | None = None) -> None:
        self.synchrone = synchrone_par_defaut() if synchrone is None else synchrone
        self.pool = pool or QThreadPool.globalInstance()

    def preparer(self, travail: Callable[[Tache], Any]) -> Tache:
        """A task not started yet: connect its signals (and a cancel button), then ``demarrer``."""
        return Tache(travail, self.synchrone)

    def demarrer(self, tache: Tache) -> Tache:
        _EN_COURS.add(tache)
        if self.synchrone:
            tache.executer()
        else:
            self.pool.start(_Execution(tache))
        return tache

    def lancer(self, travail: Callable[[Tache], Any], *,
               progression: Callable[[int, int], None] | None = None,
               resultat: Callable[[Any], None] | None = None,
               erreur: Callable[[Exception], None] | None = None) -> Tache:
        """``preparer`` + ``demarrer``: run ``travail(tache)``; the callbacks run in the GUI thread."""
        tache = self.preparer(travail)
        if progression is not None:
            tache.progression.connect(progression)
        if resultat is not None:
            tache.resultat.connect(resultat)
        if erreur is not None:
            tache.erreur.connect(erreur)
        return self.demarrer(tache)

    def attendre(self, delai_ms: int = 30_000) -> bool:
        """Wait for the pool's work (tests, closing the application)."""
        return self.pool.waitForDone(delai_ms)


def en_cours() -> int:
    """How many tasks have not delivered their result yet."""
    return len(_EN_COURS)
