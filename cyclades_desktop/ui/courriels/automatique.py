"""Automatic sending: every minute, when the chef turned it on, the due messages go out in the
background (never on the window's thread: a silent server can take 15 s to give up)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ...services import courriels
from ...services.noyau import SYSTEME, Contexte
from ..taches import Executeur, Tache

INTERVALLE_MS = 60 * 1000


class EnvoiAutomatique(QObject):
    termine = Signal(object)      # the RapportEnvoi, or None when automatic sending is off

    def __init__(self, contexte: Callable[[], Contexte], parent: QObject | None = None,
                 executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        self._contexte = contexte
        self.executeur = executeur or Executeur()
        self.tache: Tache | None = None
        self.derniere_erreur: str | None = None
        self.minuterie = QTimer(self)
        self.minuterie.setInterval(INTERVALLE_MS)
        self.minuterie.timeout.connect(self.executer)
        self.minuterie.start()

    def executer(self) -> None:
        if self.tache is not None:      # the previous run is still talking to the server
            return
        # System work, whoever is signed in (or nobody): the messages belong to the office.
        ctx = self._contexte().avec_agent(SYSTEME)
        self.tache = self.executeur.preparer(lambda _t: courriels.envoyer_automatiquement(ctx))
        self.tache.resultat.connect(self.termine)
        self.tache.erreur.connect(self._erreur)
        self.tache.terminee.connect(self._fini)
        self.executeur.demarrer(self.tache)

    def _erreur(self, exc: Exception) -> None:
        # Database busy or unreachable: the next minute tries again; the outbox shows what waits.
        self.derniere_erreur = str(exc)

    def _fini(self) -> None:
        self.tache = None
