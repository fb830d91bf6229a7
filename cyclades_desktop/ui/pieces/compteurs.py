"""The counts per status above the grid, as buttons that filter on their status. Counting a million
pieces takes a few hundred milliseconds, so it runs in the background runner (the grid never waits
for it; synchronous in tests, like every task); after a status change the counts are adjusted at
once, without counting again.

    compteur = Compteur(zone)
    compteur.pret.connect(compteurs.afficher)
    compteur.demander(lambda: controle.compter_par_statut(ctx, filtre))"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from ...rules import pieces as regles
from ..formulaire import nommer
from ..taches import Executeur

TOUTES = "Toutes"
STYLE = ("QPushButton { font-size: 12px; padding: 2px 7px; border: 1px solid #c4cbd1; border-radius: 10px; "
         "background: #f6f8fa; } "
         "QPushButton:checked { background: #1f5fbf; color: white; border-color: #1a4f9f; }")


def nombre(n: int) -> str:
    """1 234 567 with narrow no-break spaces, as French typography has it."""
    return f"{n:,}".replace(",", "\u202f")


class Compteur(QObject):
    """Runs one count at a time through the background runner; a request made while counting
    replaces any waiting one, and only the answer to the latest request is delivered."""

    pret = Signal(object)        # dict[str, int]
    echec = Signal(object)       # the exception

    def __init__(self, parent: QObject | None = None, executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        # A pool of its own, one thread: counts never queue behind (or hold up) other screens' work.
        pool = QThreadPool(self)
        pool.setMaxThreadCount(1)
        self.executeur = executeur or Executeur(pool=pool)
        self._attente: Callable[[], Any] | None = None
        self._occupe = False

    @property
    def occupe(self) -> bool:
        return self._occupe or self._attente is not None

    def demander(self, fonction: Callable[[], Any]) -> None:
        self._attente = fonction
        if not self._occupe:
            self._lancer()

    def _lancer(self) -> None:
        fonction, self._attente = self._attente, None
        if fonction is None:
            return
        self._occupe = True
        tache = self.executeur.preparer(lambda _t: fonction())
        # Bound methods of this QObject: Qt drops the connections if the screen is closed meanwhile.
        tache.resultat.connect(self._reussi)
        tache.erreur.connect(self._echoue)
        self.executeur.demarrer(tache)

    def _reussi(self, comptes: object) -> None:
        self._fini(self.pret, comptes)

    def _echoue(self, exc: object) -> None:
        self._fini(self.echec, exc)

    def _fini(self, signal: SignalInstance, valeur: object) -> None:
        self._occupe = False
        # A request made meanwhile makes this answer stale: only the latest one is shown.
        if self._attente is not None:
            self._lancer()
        else:
            signal.emit(valeur)

    def attendre(self, ms: int = 30_000) -> None:
        """Let a running count finish (closing the screen, tests)."""
        self.executeur.attendre(ms)


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
