"""The « Aide » menu: a short manual per screen (resources/aide/<zone>.md, shown in a help window), F1 for the
screen in front of the user, the keyboard shortcuts gathered from the actions themselves, and « À propos »
with the version and where the data lives.

A window with its own page says so with a ``page_aide`` attribute (the registration form: « inscription »);
otherwise F1 opens the page of the main window's current area, or of the sign-in page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME, __version__
from ..paths import resources_dir
from ..services import sauvegardes
from ..services.noyau import Contexte
from .ecran import ajuster_a_l_ecran
from .formulaire import bouton_action, informer, nommer

SOMMAIRE = "index"
CONNEXION = "connexion"
# Keys read in a keyPressEvent rather than by an action: they cannot be gathered, so they are named here.
AUTRES_TOUCHES = (("F6", "Aller à la liste des écrans", "Partout"),)
# What a standard key does when nothing on its screen says more.
CLES_STANDARD = {"Ctrl+S": "Enregistrer", "Ctrl+P": "Imprimer", "Ctrl+N": "Nouveau", "F5": "Actualiser",
                 "Esc": "Fermer ou revenir"}


class FenetrePrincipale(Protocol):
    """What the help needs of the main window (main_window.MainWindow)."""

    @property
    def ctx(self) -> Contexte: ...

    def page_aide(self) -> str: ...
    def construire_zones(self) -> list[tuple[QWidget, str]]: ...


def dossier_aide() -> Path:
    return resources_dir() / "aide"


def chemin_page(page: str) -> Path:
    """The page's file; the table of contents for a screen without a page of its own yet."""
    chemin = dossier_aide() / f"{page}.md"
    return chemin if chemin.is_file() else dossier_aide() / f"{SOMMAIRE}.md"


class FenetreAide(QDialog):
    """Non-modal: the manual stays open beside the screen it explains."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Aide")
        self.setAccessibleName("Aide")
        self.navigateur = QTextBrowser()
        nommer(self.navigateur, "Page d'aide")
        self.navigateur.setOpenExternalLinks(True)
        self.navigateur.sourceChanged.connect(lambda _u: self._titrer())
        self.bouton_precedent = bouton_action("← &Précédent", "Page précédente (Alt+←)", self.navigateur.backward)
        self.bouton_sommaire = bouton_action("&Sommaire", "Toutes les pages d'aide", lambda: self.ouvrir(SOMMAIRE))
        self.bouton_fermer = bouton_action("&Fermer", "Fermer l'aide (Échap)", self.close)
        self.navigateur.backwardAvailable.connect(self.bouton_precedent.setEnabled)
        self.bouton_precedent.setEnabled(False)
        rangee = QHBoxLayout()
        rangee.addWidget(self.bouton_precedent)
        rangee.addWidget(self.bouton_sommaire)
        rangee.addStretch(1)
        rangee.addWidget(self.bouton_fermer)
        box = QVBoxLayout(self)
        box.addWidget(self.navigateur, 1)
        box.addLayout(rangee)
        ajuster_a_l_ecran(self, 720, 640)

    def ouvrir(self, page: str) -> None:
        self.navigateur.setSource(QUrl.fromLocalFile(str(chemin_page(page))),
                                  QTextDocument.ResourceType.MarkdownResource)

    @property
    def page(self) -> str:
        return Path(self.navigateur.source().toLocalFile()).stem

    def _titrer(self) -> None:
        titre = self.navigateur.documentTitle() or self.navigateur.document().firstBlock().text()
        self.setWindowTitle(f"Aide — {titre}" if titre else "Aide")


# --- keyboard shortcuts --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Raccourci:
    touches: str
    action: str
    lieu: str


def _texte(t: str) -> str:
    return t.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip("…").strip()


def _description(raccourci: QShortcut, touches: str, ecran: QWidget) -> str:
    """A QShortcut has no text: its « what's this », else the tooltip of a button of the same screen that
    names its keys (« Créer un compte candidat (Ctrl+N) »), else the field it belongs to."""
    if raccourci.whatsThis():
        return raccourci.whatsThis()
    for b in ecran.findChildren(QAbstractButton):
        for variante in {touches, touches.replace("-", "−")}:
            if f"({variante})" in b.toolTip() or f"({variante} " in b.toolTip():
                return b.toolTip().split(f" ({variante}")[0].strip()
    if touches in CLES_STANDARD:
        return CLES_STANDARD[touches]
    parent = raccourci.parent()
    if isinstance(parent, QWidget) and parent.accessibleName():
        return f"Dans « {parent.accessibleName()} »"
    return "Raccourci de l'écran"


def raccourcis(fenetre: QWidget, lieux: dict[int, str] | None = None) -> list[Raccourci]:
    """Every shortcut of ``fenetre`` and of the windows it opened: menus' actions, the actions and
    shortcuts of its screens. ``lieux`` maps the id of a screen's widget to its title."""
    lieux = lieux or {}
    vus: set[tuple[str, str]] = set()
    actions_vues: set[int] = set()
    out: list[Raccourci] = []

    def ecran_de(objet: object) -> tuple[QWidget, str]:
        """The screen (or the other window) a shortcut belongs to, and its name."""
        w = objet if isinstance(objet, QWidget) else None
        while w is not None:
            if id(w) in lieux:
                return w, lieux[id(w)]
            w = w.parentWidget()
        autre = objet.window() if isinstance(objet, QWidget) else fenetre
        if autre is not fenetre:
            return autre, autre.accessibleName() or autre.windowTitle()
        return fenetre, "Partout"

    def noter(touches: str, action: str, lieu: str) -> None:
        if touches and action and (touches, lieu) not in vus:
            vus.add((touches, lieu))
            out.append(Raccourci(touches, action, lieu))

    if isinstance(fenetre, QMainWindow):
        for menu_action in fenetre.menuBar().actions():
            menu = menu_action.menu()
            if not isinstance(menu, QMenu) or not menu_action.isVisible():
                continue
            for a in menu.actions():
                actions_vues.add(id(a))
                for s in a.shortcuts():
                    noter(s.toString(QKeySequence.SequenceFormat.NativeText), _texte(a.text()),
                          f"Menu {_texte(menu_action.text())}")
    for a in fenetre.findChildren(QAction):
        if id(a) in actions_vues:
            continue
        for s in a.shortcuts():
            noter(s.toString(QKeySequence.SequenceFormat.NativeText), _texte(a.text()), ecran_de(a.parent())[1])
    for r in fenetre.findChildren(QShortcut):
        ecran, lieu = ecran_de(r.parent())
        noter(r.key().toString(QKeySequence.SequenceFormat.NativeText),
              _description(r, r.key().toString(QKeySequence.SequenceFormat.PortableText), ecran), lieu)
    if isinstance(fenetre, QMainWindow):
        for touches, action, lieu in AUTRES_TOUCHES:
            noter(touches, action, lieu)
    return sorted(out, key=lambda x: (x.lieu != "Partout", x.lieu, x.touches))


class FenetreRaccourcis(QDialog):
    def __init__(self, parent: QWidget | None, liste: list[Raccourci]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raccourcis clavier")
        self.setAccessibleName("Raccourcis clavier")
        self.table = QTableWidget(len(liste), 3)
        nommer(self.table, "Liste des raccourcis clavier")
        self.table.setHorizontalHeaderLabels(["Touches", "Action", "Où"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        for rang, r in enumerate(liste):
            for colonne, valeur in enumerate((r.touches, r.action, r.lieu)):
                item = QTableWidgetItem(valeur)
                item.setToolTip(valeur)
                self.table.setItem(rang, colonne, item)
        entete = self.table.horizontalHeader()
        entete.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        entete.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        entete.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        fermer = bouton_action("&Fermer", "Fermer la liste (Échap)", self.close)
        rangee = QHBoxLayout()
        rangee.addStretch(1)
        rangee.addWidget(fermer)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addLayout(rangee)
        ajuster_a_l_ecran(self, 760, 620)

    def lignes(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
                for r in range(self.table.rowCount())]


# --- À propos -------------------------------------------------------------------------------------------

def texte_a_propos(e: sauvegardes.Emplacements) -> str:
    return (f"{APP_NAME} {__version__}\n"
            "Gestion des inscriptions aux examens professionnels.\n\n"
            "Où sont les données :\n"
            f"Base de données : {e.base}\n"
            f"Dossier des données : {e.donnees}\n"
            f"Pièces déposées : {e.fichiers}\n"
            f"Sauvegardes : {e.sauvegardes}")


# --- the menu -------------------------------------------------------------------------------------------

class Aide:
    """The « Aide » menu's actions and the windows they open, for one main window."""

    def __init__(self, fenetre: FenetrePrincipale, parent: QMainWindow, menu: QMenu) -> None:
        self.fenetre = fenetre
        self.parent = parent
        self.fenetre_aide: FenetreAide | None = None
        self.fenetre_raccourcis: FenetreRaccourcis | None = None
        self.a_propos: QWidget | None = None
        self.action_aide = QAction("&Aide sur cet écran", parent)
        self.action_aide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        # Any window of the program (the registration form too): the page follows the active window.
        self.action_aide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action_aide.triggered.connect(self.aide_ecran)
        self.action_raccourcis = QAction("&Raccourcis clavier", parent)
        self.action_raccourcis.triggered.connect(self.montrer_raccourcis)
        self.action_apropos = QAction("À &propos", parent)
        self.action_apropos.triggered.connect(self.montrer_a_propos)
        for a in (self.action_aide, self.action_raccourcis, self.action_apropos):
            menu.addAction(a)

    def page_courante(self) -> str:
        active = QApplication.activeWindow()
        page = getattr(active, "page_aide", None) if active is not self.parent else None
        return page if isinstance(page, str) else self.fenetre.page_aide()

    def ouvrir(self, page: str) -> FenetreAide:
        if self.fenetre_aide is None:
            self.fenetre_aide = FenetreAide(self.parent)
        self.fenetre_aide.ouvrir(page)
        self.fenetre_aide.show()
        self.fenetre_aide.raise_()
        self.fenetre_aide.activateWindow()
        return self.fenetre_aide

    def aide_ecran(self) -> FenetreAide:
        return self.ouvrir(self.page_courante())

    def montrer_raccourcis(self) -> FenetreRaccourcis:
        # Every screen of this agent is built first: the list does not depend on the screens visited.
        lieux = {id(zone): titre for zone, titre in self.fenetre.construire_zones()}
        self.fenetre_raccourcis = FenetreRaccourcis(self.parent, raccourcis(self.parent, lieux))
        self.fenetre_raccourcis.show()
        return self.fenetre_raccourcis

    def montrer_a_propos(self) -> QWidget:
        self.a_propos = informer(self.parent, "À propos", texte_a_propos(sauvegardes.emplacements(self.fenetre.ctx)))
        return self.a_propos
