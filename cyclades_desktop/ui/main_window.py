"""The main window: sign-in inside the window, then navigation between the working areas,
a global search box and who is signed in."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from .. import APP_NAME, __version__
from ..rules.errors import DomainError
from ..rules.personnel import libelle_role
from ..services import comptes, personnel
from ..services.noyau import AgentConnecte, Contexte, P, autorise
from .connexion import Connexion, PremierDemarrage
from .formulaire import informer, signaler
from .zones import ZONES, DefinitionZone


class MainWindow(QMainWindow):
    agent_change = Signal(object)

    def __init__(self, ctx: Contexte, agent: AgentConnecte | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        self.resize(1280, 800)
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.zones: dict[str, QWidget] = {}
        self._definitions: list[DefinitionZone] = []
        self._construire_barres()
        # An office workstation stays open for days: the 48 h purge also runs hourly, not only at start.
        self.minuterie_purge = QTimer(self)
        self.minuterie_purge.setInterval(60 * 60 * 1000)
        self.minuterie_purge.timeout.connect(self.purger)
        self.minuterie_purge.start()
        # Messages by e-mail: due ones go out every minute in the background when the chef turned it on.
        from .courriels.automatique import EnvoiAutomatique

        self.envoi_automatique = EnvoiAutomatique(lambda: self.ctx, self)
        self.statut = QLabel()
        self.statut.setAccessibleName("Utilisateur connecté")
        self.statusBar().addPermanentWidget(self.statut)
        if agent is not None:
            self.ouvrir_session(agent)
        elif personnel.premier_demarrage(ctx):
            self._afficher_accueil(PremierDemarrage(ctx))
        else:
            self._afficher_accueil(Connexion(ctx))

    # --- chrome ---------------------------------------------------------------------------
    def _construire_barres(self) -> None:
        fichier = self.menuBar().addMenu("&Fichier")
        self.action_deconnexion = QAction("Se &déconnecter", self)
        self.action_deconnexion.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.action_deconnexion.triggered.connect(self.deconnecter)
        fichier.addAction(self.action_deconnexion)
        quitter = QAction("&Quitter", self)
        quitter.setShortcut(QKeySequence.StandardKey.Quit)
        quitter.triggered.connect(self.close)
        fichier.addAction(quitter)
        from . import sauvegardes as ui_sauvegardes  # Sauvegarder / Restaurer / Paramètres (chef)
        ui_sauvegardes.installer(self, fichier, avant=quitter)
        self.menu_aller = self.menuBar().addMenu("&Aller à")
        # « Éditions »: printed batches reached from anywhere (another screen may add its entries here).
        if getattr(self, "menu_editions", None) is None:
            self.menu_editions = self.menuBar().addMenu("Éd&itions")
        self.action_papillons = QAction("&Papillons de connexion…", self)
        self.action_papillons.triggered.connect(self.ouvrir_papillons)
        self.menu_editions.addAction(self.action_papillons)
        self.agent_change.connect(lambda _a: self.action_papillons.setVisible(
            autorise(self.ctx, P.PAPILLONS_GENERER)))
        self.action_papillons.setVisible(False)
        # « Paramètres »: the office's settings (another screen may add its entries here).
        if getattr(self, "menu_parametres", None) is None:
            self.menu_parametres = self.menuBar().addMenu("&Paramètres")
        self.action_messagerie = QAction("Paramètres de &messagerie…", self)
        self.action_messagerie.triggered.connect(self.ouvrir_parametres_messagerie)
        self.menu_parametres.addAction(self.action_messagerie)
        self.agent_change.connect(lambda _a: self.action_messagerie.setVisible(
            autorise(self.ctx, P.MESSAGERIE_PARAMETRER)))
        self.agent_change.connect(lambda _a: self.menu_parametres.menuAction().setVisible(
            any(a.isVisible() for a in self.menu_parametres.actions())))
        self.action_messagerie.setVisible(False)
        self.menu_parametres.menuAction().setVisible(False)
        from .rgpd import installer_menu as installer_menu_rgpd  # « Conservation des données… », purge

        installer_menu_rgpd(self)
        aide = self.menuBar().addMenu("Ai&de")
        apropos = QAction("À &propos", self)
        apropos.triggered.connect(lambda: informer(
            self, "À propos", f"{APP_NAME} {__version__}\nGestion des inscriptions aux examens professionnels."))
        aide.addAction(apropos)

        self.barre = QToolBar("Recherche")
        self.barre.setMovable(False)
        self.addToolBar(self.barre)
        self.recherche = QLineEdit()
        self.recherche.setPlaceholderText("N° candidat, adresse mail ou nom… (Ctrl+F)")
        self.recherche.setAccessibleName("Recherche globale")
        self.recherche.setClearButtonEnabled(True)
        self.recherche.setMaximumWidth(420)
        self.recherche.returnPressed.connect(self._recherche_globale)
        self.barre.addWidget(QLabel(" Rechercher un candidat : "))
        self.barre.addWidget(self.recherche)
        focus = QAction("Rechercher", self)
        focus.setShortcut(QKeySequence.StandardKey.Find)
        focus.triggered.connect(lambda: (self.recherche.setFocus(), self.recherche.selectAll()))
        self.addAction(focus)
        self.barre.setVisible(False)
        self.action_deconnexion.setEnabled(False)

    def _afficher_accueil(self, page: QWidget) -> None:
        page.connecte.connect(self.ouvrir_session)  # type: ignore[attr-defined]
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self.accueil = page
        page.login.setFocus()  # type: ignore[attr-defined]  # the counter types straight away

    # --- session ----------------------------------------------------------------------------
    def ouvrir_session(self, agent: AgentConnecte) -> None:
        self.ctx = self.ctx.avec_agent(agent)
        self.agent = agent
        self.statut.setText(f"Connecté : {agent.nom_affiche} ({libelle_role(agent.role)})")
        espace = QWidget()
        box = QHBoxLayout(espace)
        box.setContentsMargins(0, 0, 0, 0)
        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Navigation")
        self.contenu = QStackedWidget()
        box.addWidget(self.navigation)
        box.addWidget(self.contenu, 1)
        self.menu_aller.clear()
        self._definitions = [z for z in ZONES if autorise(self.ctx, z.permission)]
        for i, definition in enumerate(self._definitions):
            # Areas are built on first visit: start-up only pays for the first one.
            self.contenu.addWidget(QWidget())
            self.navigation.addItem(QListWidgetItem(definition.titre))
            action = QAction(definition.titre, self)
            if i < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, cle=definition.cle: self.aller_a(cle))
            self.menu_aller.addAction(action)
        # A long area name (« Organisation des examens ») wraps onto two lines instead of being clipped
        # or widening the bar: the window must still fit a 1280-pixel screen.
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setWordWrap(True)
        self.navigation.setMaximumWidth(190)
        self.navigation.currentRowChanged.connect(self._afficher)
        # A gestionnaire's day is the review of pièces: open there; the counter starts on Candidats.
        cles = [d.cle for d in self._definitions]
        accueil = "pieces" if agent.role == "gestionnaire" and "pieces" in cles else cles[0] if cles else ""
        self.navigation.setCurrentRow(cles.index(accueil) if accueil else 0)
        self.pages.addWidget(espace)
        self.pages.setCurrentWidget(espace)
        self.espace = espace
        self.barre.setVisible(self._a_zone("candidats"))
        self.action_deconnexion.setEnabled(True)
        self.agent_change.emit(agent)

    def ouvrir_papillons(self) -> QWidget | None:
        if not autorise(self.ctx, P.PAPILLONS_GENERER):
            return None
        from .papillons import ouvrir  # the dialog and reportlab load on first use

        self.dialogue_papillons = ouvrir(self.ctx, self)
        return self.dialogue_papillons

    def ouvrir_parametres_messagerie(self) -> QWidget | None:
        if not autorise(self.ctx, P.MESSAGERIE_PARAMETRER):
            return None
        from .courriels.parametres import DialogueMessagerie

        try:
            self.dialogue_messagerie = DialogueMessagerie(self.ctx, self)
        except DomainError as exc:
            signaler(self, exc, titre="Paramètres de messagerie")
            return None
        self.dialogue_messagerie.open()
        return self.dialogue_messagerie

    def purger(self) -> None:
        try:
            comptes.purger_comptes_non_actives(self.ctx.avec_agent(None))
        except DomainError:
            pass  # database busy or unreachable: the next hour (or the next start) will do it

    def _a_zone(self, cle: str) -> bool:
        return any(d.cle == cle for d in self._definitions)

    def _afficher(self, index: int) -> None:
        if index < 0:
            return
        definition = self._definitions[index]
        if definition.cle not in self.zones:
            zone = definition.fabriquer(self.ctx)
            self.zones[definition.cle] = zone
            ancien = self.contenu.widget(index)
            self.contenu.insertWidget(index, zone)
            self.contenu.removeWidget(ancien)
            ancien.deleteLater()
        self.contenu.setCurrentIndex(index)

    def aller_a(self, cle: str) -> QWidget:
        index = [d.cle for d in self._definitions].index(cle)
        self.navigation.setCurrentRow(index)
        self._afficher(index)
        return self.zones[cle]

    def titres_zones(self) -> list[str]:
        return [d.titre for d in self._definitions]

    def _recherche_globale(self) -> None:
        if self._a_zone("candidats"):
            zone = self.aller_a("candidats")
            zone.rechercher(self.recherche.text())  # type: ignore[attr-defined]

    def deconnecter(self) -> None:
        for zone in self.zones.values():
            zone.deleteLater()
        self.zones.clear()
        self._definitions = []
        self.pages.removeWidget(self.espace)
        self.espace.deleteLater()
        self.ctx = self.ctx.avec_agent(None)
        self.statut.clear()
        self.barre.setVisible(False)
        self.action_deconnexion.setEnabled(False)
        self.menu_aller.clear()
        self._afficher_accueil(Connexion(self.ctx))
        self.agent_change.emit(None)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_F6 and hasattr(self, "navigation"):
            self.navigation.setFocus()
            return
        super().keyPressEvent(event)
