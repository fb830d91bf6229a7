"""The main window from one day to the next: its title says where and who, it has the application's
icon, it reopens as it was left (geometry, maximised, splitters), maximised the first time on a laptop,
and Ctrl+Q asks before losing what was typed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QMessageBox, QSplitter

from cyclades_desktop.app import create_main_window
from cyclades_desktop.paths import resources_dir
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.ui import ecran

from .helpers import boites_ouvertes, par_nom, taper
from .parcours import fermer_les_boites  # noqa: F401 (autouse: closes the boxes a test leaves open)


@pytest.fixture
def ouvrir(qtbot, db_url: str, clock: FixedClock, chef) -> Callable[[], QMainWindow]:  # type: ignore[no-untyped-def]
    """A new window of the chef, each time as on a new start of the program."""
    fenetres: list[QMainWindow] = []

    def nouvelle() -> QMainWindow:
        w = create_main_window(db_url, clock=clock, user="chef")
        qtbot.addWidget(w)
        fenetres.append(w)
        return w

    yield nouvelle
    for w in fenetres:
        w.ctx.db.dispose()  # type: ignore[attr-defined]


def ecran_de(monkeypatch: pytest.MonkeyPatch, largeur: int, hauteur: int) -> None:
    monkeypatch.setattr(ecran, "zone_disponible", lambda _widget=None: QRect(0, 0, largeur, hauteur))


def test_le_titre_dit_la_zone_et_l_utilisateur(fenetre: QMainWindow) -> None:
    assert fenetre.windowTitle() == "Cyclades Desktop — Candidats — Carole DANO"
    fenetre.aller_a("referentiel")  # type: ignore[attr-defined]
    assert fenetre.windowTitle() == "Cyclades Desktop — Référentiel — Carole DANO"
    fenetre.deconnecter()  # type: ignore[attr-defined]
    assert fenetre.windowTitle() == "Cyclades Desktop"


def test_l_application_a_son_icone(fenetre: QMainWindow) -> None:
    assert (resources_dir() / "icons" / "cyclades.svg").is_file()
    assert (resources_dir() / "icons" / "cyclades.png").is_file()
    assert not fenetre.windowIcon().isNull()
    assert not QApplication.windowIcon().isNull()


def test_premier_demarrage_maximise_sur_un_portable(ouvrir, monkeypatch: pytest.MonkeyPatch) -> None:
    ecran_de(monkeypatch, 1366, 768)
    w = ouvrir()
    assert w.width() <= 1366 - ecran.MARGE_LARGEUR and w.height() <= 768 - ecran.MARGE_HAUTEUR
    w.afficher()
    assert w.isMaximized()


def test_premier_demarrage_sur_un_grand_ecran_a_sa_taille_habituelle(ouvrir, monkeypatch: pytest.MonkeyPatch) -> None:
    ecran_de(monkeypatch, 1920, 1080)
    w = ouvrir()
    w.afficher()
    assert not w.isMaximized() and (w.width(), w.height()) == (1280, 800)


def test_la_fenetre_rouvre_comme_elle_a_ete_laissee(ouvrir, monkeypatch: pytest.MonkeyPatch) -> None:
    ecran_de(monkeypatch, 1920, 1080)
    w = ouvrir()
    w.afficher()
    w.setGeometry(40, 50, 700, 600)
    laissee = w.geometry()
    w.close()
    assert QSettings(ecran.ORGANISATION, ecran.APPLICATION).value("fenetre/geometrie") is not None

    w = ouvrir()
    w.afficher()
    assert not w.isMaximized() and w.geometry() == laissee
    w.aller_a("audit")
    separateur = w.zones["audit"].findChildren(QSplitter)[0]
    separateur.setSizes([300, 500])
    separateur.splitterMoved.emit(300, 1)                  # as the mouse does
    tailles = separateur.sizes()
    w.showMaximized()
    w.close()

    w = ouvrir()
    w.afficher()
    assert w.isMaximized()
    w.aller_a("audit")
    assert w.zones["audit"].findChildren(QSplitter)[0].sizes() == tailles


def _ctrl_q(qtbot, w: QMainWindow) -> None:
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_q_demande_confirmation_quand_une_saisie_serait_perdue(qtbot, fenetre: QMainWindow) -> None:
    fenetre.activateWindow()
    qtbot.waitUntil(fenetre.isActiveWindow)
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    zone.nouveau()
    nom = par_nom(zone, "Nom de famille", QLineEdit)
    nom.setFocus()
    taper(qtbot, nom, "Dupont")
    _ctrl_q(qtbot, fenetre)
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Quitter" for b in boites_ouvertes()))
    boite: QMessageBox = next(b for b in boites_ouvertes() if b.windowTitle() == "Quitter")
    assert boite.defaultButton().text().replace("&", "") == "Annuler"
    qtbot.keyClick(boite, Qt.Key.Key_Return)                # a reflex Entrée keeps the form
    assert fenetre.isVisible() and nom.text() == "Dupont"
    _ctrl_q(qtbot, fenetre)
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Quitter" for b in boites_ouvertes()))
    boite = next(b for b in boites_ouvertes() if b.windowTitle() == "Quitter")
    next(b for b in boite.buttons() if b.text().replace("&", "") == "Quitter sans enregistrer").click()
    qtbot.waitUntil(lambda: not fenetre.isVisible())


def test_ctrl_q_sans_saisie_ferme_tout_de_suite(qtbot, fenetre: QMainWindow) -> None:
    fenetre.activateWindow()
    qtbot.waitUntil(fenetre.isActiveWindow)
    fenetre.aller_a("candidats").nouveau()  # type: ignore[attr-defined]
    _ctrl_q(qtbot, fenetre)
    qtbot.waitUntil(lambda: not fenetre.isVisible())
    assert not boites_ouvertes()
