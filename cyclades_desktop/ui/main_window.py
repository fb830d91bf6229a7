"""The main window: sign-in inside the window, then navigation between the working areas,
a global search box and who is signed in."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
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

from .. import APP_NAME
from ..rules.errors import DomainError
from ..rules.personnel import libelle_role
from ..services import comptes, personnel
from ..services.noyau import SYSTEME, AgentConnecte, Contexte, P, autorise
from .connexion import Connexion, PremierDemarrage
from .ecran import (
    ajuster_a_l_ecran,
    icone_application,
    memoriser_fenetre,
    memoriser_separateurs,
    premier_affichage_maximise,
    restaurer_fenetre,
)
from .formulaire import confirmer, signaler
from .zones import ZONES, DefinitionZone


class MainWindow(QMainWindow):
    agent_change = Signal(object)

    def __init__(self, ctx: Contexte, agent: AgentConnecte | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.agent: AgentConnecte | None = None
        self._quitter_confirme = False
        self.setWindowTitle(APP_NAME)
        icone = icone_application()
        self.setWindowIcon(icone)
        if QApplication.windowIcon().isNull():   # create_main_window() without main(): dialogs too
            QApplication.setWindowIcon(icone)
        ajuster_a_l_ecran(self, 1280, 800)
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
        quitter.setShortcut(QKeySequence("Ctrl+Q"))   # StandardKey.Quit is empty on Windows
        quitter.triggered.connect(self.quitter)
        fichier.addAction(quitter)
        from . import sauvegardes as ui_sauvegardes  # Sauvegarder / Restaurer / Paramètres (chef)
        ui_sauvegardes.installer(self, fichier, avant=quitter)
        self.menu_aller = self.menuBar().addMenu("A&ller à")   # Alt+A is « Ajouter une nouvelle candidature »
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
        from .aide import Aide  # F1, « Raccourcis clavier », « À propos »

        self.aide = Aide(self, self, self.menuBar().addMenu("Ai&de"))

        self.barre = QToolBar("Recherche")
        self.barre.setMovable(False)
        self.addToolBar(self.barre)
        self.recherche = QLineEdit()
        self.recherche.setPlaceholderText("N° candidat, adresse mail ou nom… (Ctrl+F)")
        self.recherche.setAccessibleName("Rechercher un candidat")
        self.recherche.setClearButtonEnabled(True)
        self.recherche.setMaximumWidth(420)
        self.recherche.returnPressed.connect(self._recherche_globale)
        # One search with the Candidats page's own field: the list follows each keystroke.
        self.recherche.textChanged.connect(self._filtrer_global)
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
        self._titrer()
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
            # The 48 h rule runs as the system, not as whoever is signed in on this workstation.
            comptes.purger_comptes_non_actives(self.ctx.avec_agent(SYSTEME))
        except DomainError:
            pass  # database busy or unreachable: the next hour (or the next start) will do it

    def _a_zone(self, cle: str) -> bool:
        return any(d.cle == cle for d in self._definitions)

    def page_aide(self) -> str:
        """The help page (resources/aide) of what is shown: the current area, or the sign-in page."""
        index = self.navigation.currentRow() if self._definitions and self.agent is not None else -1
        return self._definitions[index].cle if 0 <= index < len(self._definitions) else "connexion"

    def construire_zones(self) -> list[tuple[QWidget, str]]:
        """Every area of this agent, built if not yet visited (the list of shortcuts reads them all)."""
        courant = self.contenu.currentIndex() if self._definitions else -1
        for index, definition in enumerate(self._definitions):
            if definition.cle not in self.zones:
                self._afficher(index)
        if courant >= 0:
            self._afficher(courant)      # back to the area the agent was on
        return [(self.zones[d.cle], d.titre) for d in self._definitions]

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
            memoriser_separateurs(zone, definition.cle)
            if definition.cle == "candidats":
                zone.recherche.textChanged.connect(self._suivre_recherche_zone)  # type: ignore[attr-defined]
        self.contenu.setCurrentIndex(index)
        self._titrer()

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

    def _filtrer_global(self, texte: str) -> None:
        if self._a_zone("candidats"):
            zone = self.aller_a("candidats")
            zone.filtrer(texte)  # type: ignore[attr-defined]

    def _suivre_recherche_zone(self, texte: str) -> None:
        """Typed on the Candidats page: the toolbar shows the same search (without searching again)."""
        if self.recherche.text() != texte:
            self.recherche.blockSignals(True)
            self.recherche.setText(texte)
            self.recherche.blockSignals(False)

    def deconnecter(self) -> None:
        for zone in self.zones.values():
            zone.deleteLater()
        self.zones.clear()
        self._definitions = []
        self.pages.removeWidget(self.espace)
        self.espace.deleteLater()
        self.ctx = self.ctx.avec_agent(None)
        self.agent = None
        self.statut.clear()
        # The next agent must not find the previous one's search (a candidate's name) in the toolbar.
        self._suivre_recherche_zone("")
        self.barre.setVisible(False)
        self.action_deconnexion.setEnabled(False)
        self.menu_aller.clear()
        self._afficher_accueil(Connexion(self.ctx))
        self._titrer()
        self.agent_change.emit(None)

    # --- the window itself ------------------------------------------------------------------------
    def _titrer(self) -> None:
        """« Cyclades Desktop — Candidats — Carole Dano »: the task bar tells which area is open for whom."""
        parties = [APP_NAME]
        index = self.navigation.currentRow() if self._definitions else -1
        if 0 <= index < len(self._definitions):
            parties.append(self._definitions[index].titre)
        if self.agent is not None:
            parties.append(self.agent.nom_affiche)
        self.setWindowTitle(" — ".join(parties))

    def afficher(self) -> None:
        """Show the window as it was left (size, place, maximised); the first time, maximised on a laptop."""
        if not restaurer_fenetre(self) and premier_affichage_maximise(self):
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self.show()

    def saisies_en_cours(self) -> list[QWidget]:
        """Visible forms (here or in the windows opened from here) holding input not yet saved."""
        def montre(w: QWidget) -> bool:
            # A form in an area behind the current one still counts; a page taken off its area does not.
            if w.isVisible():
                return True
            zone = next((z for z in self.zones.values() if z.isAncestorOf(w)), None)
            return zone is not None and w.isVisibleTo(zone)

        return [w for w in self.findChildren(QWidget)
                if callable(getattr(w, "saisie_en_cours", None)) and montre(w) and w.saisie_en_cours()]

    def quitter(self) -> None:
        """Ctrl+Q, Fichier › Quitter: asks first when a form holds input not yet saved."""
        if self._confirmation_necessaire():
            self._demander_confirmation()
            return
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The title bar's X (a spontaneous close) asks as Ctrl+Q does; a close by the program does not.
        if event.spontaneous() and self._confirmation_necessaire():
            event.ignore()
            self._demander_confirmation()
            return
        memoriser_fenetre(self)
        super().closeEvent(event)

    def _confirmation_necessaire(self) -> bool:
        # After a restore the data on screen belongs to the replaced base: nothing is worth keeping.
        return (not self._quitter_confirme and getattr(self, "restauration_faite", None) is None
                and bool(self.saisies_en_cours()))

    def _demander_confirmation(self) -> None:
        self.confirmation_quitter = confirmer(
            self, "Quitter", "Des informations saisies ne sont pas enregistrées : elles seront perdues.\n\n"
            "Quitter quand même ?", self._quitter, oui="&Quitter sans enregistrer", non="&Annuler",
            destructif=True)

    def _quitter(self) -> None:
        self._quitter_confirme = True
        for w in self.saisies_en_cours():   # the wizard's own « Quitter sans enregistrer ? » was just answered
            if hasattr(w, "_fermeture_acceptee"):
                w._fermeture_acceptee = True
        self.close()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_F6 and hasattr(self, "navigation"):
            self.navigation.setFocus()
            return
        super().keyPressEvent(event)
