"""Fitting the office's 1366×768 laptops: windows and dialogs sized to the screen they open on, tall
content in scroll areas, and the main window's geometry, maximised state and splitters remembered
from one day to the next (QSettings « Cyclades » / « cyclades-desktop »)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QWidget

from ..paths import resources_dir

ORGANISATION = "Cyclades"
APPLICATION = "cyclades-desktop"
# What a window frame and a desktop panel take beyond the available geometry Qt reports: a dialog
# sized to the very edge would still put its buttons under the task bar on some desktops.
MARGE_LARGEUR, MARGE_HAUTEUR = 16, 40
# Below this, the main window opens maximised the first time: 1280×800 does not fit 1366×768.
PETIT_ECRAN = (1600, 900)


def parametres() -> QSettings:
    """Per-user settings of this workstation (tests point QSettings at a temporary folder)."""
    return QSettings(ORGANISATION, APPLICATION)


def icone_application() -> QIcon:
    """The application's own icon (resources/icons, bundled by the standalone build)."""
    dossier = resources_dir() / "icons"
    icone = QIcon(str(dossier / "cyclades.png"))
    if (dossier / "cyclades.svg").exists():
        icone.addFile(str(dossier / "cyclades.svg"))   # sharp at any size where SVG is supported
    return icone


def zone_disponible(widget: QWidget | None = None) -> QRect:
    """The part of the screen a window may use (panels excluded): the widget's screen, else the primary one."""
    ecran = widget.screen() if widget is not None else None
    ecran = ecran or QGuiApplication.primaryScreen()
    return ecran.availableGeometry() if ecran is not None else QRect(0, 0, 1366, 768)


def taille_max(widget: QWidget | None = None) -> tuple[int, int]:
    zone = zone_disponible(widget)
    return zone.width() - MARGE_LARGEUR, zone.height() - MARGE_HAUTEUR


def ajuster_a_l_ecran(fenetre: QWidget, largeur: int, hauteur: int) -> None:
    """Give ``fenetre`` its preferred size, or less when the screen is smaller (never below what its
    content needs: that part scrolls)."""
    lmax, hmax = taille_max(fenetre)
    fenetre.resize(max(1, min(largeur, lmax)), max(1, min(hauteur, hmax)))


def contenir(fenetre: QWidget) -> None:
    """Shrink and move a shown window so that it lies inside the available area (Qt's print dialog
    opens centred on its parent and otherwise hides its buttons below the screen)."""
    zone = zone_disponible(fenetre)
    cadre = fenetre.frameGeometry()
    extra_l, extra_h = cadre.width() - fenetre.width(), cadre.height() - fenetre.height()
    largeur = min(fenetre.width(), zone.width() - extra_l)
    hauteur = min(fenetre.height(), zone.height() - extra_h)
    if (largeur, hauteur) != (fenetre.width(), fenetre.height()):
        fenetre.resize(largeur, hauteur)
    x = min(max(cadre.x(), zone.left()), zone.right() + 1 - largeur - extra_l)
    y = min(max(cadre.y(), zone.top()), zone.bottom() + 1 - hauteur - extra_h)
    if (x, y) != (cadre.x(), cadre.y()):
        fenetre.move(x, y)


def contenir_a_l_ouverture(fenetre: QWidget) -> None:
    """:func:`contenir` once the window manager has placed the window just opened."""
    QTimer.singleShot(0, fenetre, lambda: contenir(fenetre))   # dropped if the window is gone by then


def defilant(contenu: QWidget, *, nom: str | None = None) -> QScrollArea:
    """``contenu`` in a frameless vertical scroll area: a tall form or tab never forces the window
    taller than the screen; its fields keep the full width (no horizontal scrolling)."""
    zone = QScrollArea()
    zone.setWidgetResizable(True)
    zone.setFrameShape(QFrame.Shape.NoFrame)
    zone.setWidget(contenu)
    if nom:
        zone.setAccessibleName(nom)
    return zone


# --- the main window from one day to the next ------------------------------------------------------

def restaurer_fenetre(fenetre: QWidget) -> bool:
    """The geometry and maximised state saved at the last close; False on a first start."""
    reglages = parametres()
    geometrie = reglages.value("fenetre/geometrie")
    if not isinstance(geometrie, QByteArray | bytes) or not fenetre.restoreGeometry(QByteArray(geometrie)):
        return False
    if _vrai(reglages.value("fenetre/maximisee", False)):
        fenetre.setWindowState(fenetre.windowState() | Qt.WindowState.WindowMaximized)
    return True


def premier_affichage_maximise(fenetre: QWidget) -> bool:
    """First start: maximised on a small screen (a laptop); elsewhere the window keeps its default size."""
    largeur, hauteur = PETIT_ECRAN
    zone = zone_disponible(fenetre)
    return zone.width() < largeur or zone.height() < hauteur


def memoriser_fenetre(fenetre: QWidget) -> None:
    reglages = parametres()
    reglages.setValue("fenetre/geometrie", fenetre.saveGeometry())
    reglages.setValue("fenetre/maximisee", fenetre.isMaximized())
    reglages.sync()


def memoriser_separateurs(racine: QWidget, prefixe: str) -> None:
    """Restore the splitters under ``racine`` as the user left them, and save each move. A splitter is
    known by its object name, or by its rank under ``racine`` (the construction order is fixed)."""
    reglages = parametres()
    for rang, separateur in enumerate(racine.findChildren(QSplitter)):
        cle = f"separateurs/{prefixe}/{separateur.objectName() or rang}"
        etat = reglages.value(cle)
        if isinstance(etat, QByteArray | bytes):
            separateur.restoreState(QByteArray(etat))
        separateur.splitterMoved.connect(
            lambda _pos, _i, s=separateur, c=cle: parametres().setValue(c, s.saveState()))


def _vrai(valeur: object) -> bool:
    # IniFormat hands booleans back as the strings "true"/"false".
    return valeur is True or str(valeur).lower() == "true"
