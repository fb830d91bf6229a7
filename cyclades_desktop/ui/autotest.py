"""The program's self-test, behind the hidden option ``--auto-test``: on a fresh database, create the
first chef de bureau through the first-start page as a person would, check that Qt speaks French,
open every area of ui/zones.py, then quit with exit code 0 (1 on a failure, 2 on a database that
already has staff). scripts/test_build.sh runs it on the built program, so that a module, a resource,
a migration or a Qt plugin left out of the build fails CI rather than an office's first morning;
tests/ui/test_autotest.py runs the same path from the sources."""

from __future__ import annotations

import secrets
import sys
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ..rules.personnel import Role
from .connexion import Connexion, PremierDemarrage
from .langue import COMPLEMENTS, installer_traductions
from .main_window import MainWindow
from .zones import ZONES

LOGIN = "autotest"
DELAI_S = 300      # a modal box nobody answers must not hang CI: give up and fail


def _dire(texte: str, *, erreur: bool = False) -> None:
    # A windowed Windows build has no console: sys.stdout and sys.stderr are None there.
    flux = sys.stderr if erreur else sys.stdout
    if flux is not None:
        print(texte, file=flux, flush=True)


class AutoTest(QObject):
    """Runs step by step from the event loop (each area is built, shown and painted like a click
    would); ``code`` holds the exit code once the application has left its loop."""

    def __init__(self, fenetre: MainWindow, *, delai_s: float = DELAI_S) -> None:
        super().__init__()
        self.fenetre = fenetre
        self.code = 1
        self.fini = False
        self._restantes = list(ZONES)
        self._garde = QTimer(self)
        self._garde.setSingleShot(True)
        self._garde.setInterval(int(delai_s * 1000))
        self._garde.timeout.connect(lambda: self._terminer(1, f"Délai de {delai_s:g} s dépassé."))

    def demarrer(self) -> None:
        self._garde.start()
        self._plus_tard(self._se_connecter)

    def _plus_tard(self, etape: Callable[[], None]) -> None:
        QTimer.singleShot(0, lambda: self._executer(etape))

    def _executer(self, etape: Callable[[], None]) -> None:
        if self.fini:
            return
        try:
            etape()
        except Exception:
            self._terminer(1, traceback.format_exc())

    def _se_connecter(self) -> None:
        page = getattr(self.fenetre, "accueil", None)
        if isinstance(page, Connexion):
            self._terminer(2, "La base a déjà des comptes du personnel : l'autotest demande une base neuve.")
            return
        if not isinstance(page, PremierDemarrage):
            self._terminer(1, "La page de premier démarrage n'est pas affichée.")
            return
        mot_de_passe = f"Auto-{secrets.token_hex(8)}"   # policy: upper, lower, special; never shown
        for champ, valeur in ((page.login, LOGIN), (page.nom, "Autotest"), (page.prenom, "Chef"),
                              (page.mdp, mot_de_passe), (page.mdp2, mot_de_passe)):
            champ.setText(valeur)
        page.bouton.click()
        agent = getattr(self.fenetre, "agent", None)
        if agent is None or agent.role != Role.CHEF:
            self._terminer(1, "Le premier chef de bureau n'a pas pu être créé ni connecté.")
            return
        _dire(f"Connecté : {agent.nom_affiche} (premier chef de bureau)")
        self._plus_tard(self._verifier_langue)

    def _verifier_langue(self) -> None:
        charges = installer_traductions(QApplication.instance())   # already done: returns what was loaded
        manquants = [c for c in ("qtbase_fr", COMPLEMENTS) if c not in charges]
        if manquants:
            self._terminer(1, f"Catalogues de traduction introuvables : {', '.join(manquants)}.")
            return
        _dire(f"Traductions de Qt : {', '.join(charges)}")
        boutons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        texte = boutons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
        boutons.deleteLater()
        if texte != "Annuler":
            self._terminer(1, f"Les traductions de Qt manquent : le bouton Annuler s'affiche « {texte} ».")
            return
        _dire("Boutons standard de Qt en français : « Annuler »")
        self._plus_tard(self._zone_suivante)

    def _zone_suivante(self) -> None:
        if not self._restantes:
            self._terminer(0, f"Autotest réussi : {len(ZONES)} zones ouvertes.")
            return
        definition = self._restantes.pop(0)
        if definition.titre not in self.fenetre.titres_zones():
            self._terminer(1, f"La zone « {definition.titre} » n'est pas proposée au chef de bureau.")
            return
        zone = self.fenetre.aller_a(definition.cle)
        QApplication.processEvents()
        if not zone.isVisible():
            self._terminer(1, f"La zone « {definition.titre} » ne s'affiche pas.")
            return
        _dire(f"Zone ouverte : {definition.titre}")
        self._plus_tard(self._zone_suivante)

    def _terminer(self, code: int, message: str) -> None:
        if self.fini:
            return
        self.fini = True
        self.code = code
        self._garde.stop()
        _dire(message, erreur=code != 0)
        self.fenetre.close()
        self.fenetre.ctx.db.dispose()
        # exit() also ends a modal dialog's nested loop, if one is open when the delay runs out.
        QApplication.exit(code)
