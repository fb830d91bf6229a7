"""One candidate search: the toolbar's field (Ctrl+F) filters the Candidats list as you type, exactly as the
page's own field does, both show the same search, and nothing of it survives a sign-out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView

from cyclades_desktop.services.noyau.contexte import Contexte
from tests.conftest import MOT_DE_PASSE_AGENT
from tests.fabriques import compte_actif

from .helpers import par_nom, taper


def test_la_barre_filtre_en_tapant_comme_la_page(qtbot, fenetre, chef: Contexte):
    compte_actif(chef, email="paul.lamy@exemple.fr", nom="Lamy", prenoms="Paul")
    compte_actif(chef, email="jeanne.dupont@exemple.fr", nom="Dupont", prenoms="Jeanne")
    fenetre.aller_a("pieces")                     # anywhere in the program
    barre = par_nom(fenetre, "Rechercher un candidat", QLineEdit)
    qtbot.keySequence(fenetre, "Ctrl+F")
    qtbot.waitUntil(barre.hasFocus)
    taper(qtbot, barre, "lam")                    # no Entrée
    zone = fenetre.zones["candidats"]
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() == 1)
    assert table.model().index(0, 3).data() == "Paul"
    assert par_nom(zone, "Rechercher un compte", QLineEdit).text() == "lam"
    assert barre.hasFocus() and barre.text() == "lam"     # typing goes on in the toolbar

    # Typed on the page: the toolbar shows the same search.
    page = par_nom(zone, "Rechercher un compte", QLineEdit)
    page.setFocus()
    page.selectAll()
    taper(qtbot, page, "dup")
    assert barre.text() == "dup"
    qtbot.waitUntil(lambda: table.model().rowCount() == 1 and table.model().index(0, 3).data() == "Jeanne")


def test_la_recherche_est_effacee_a_la_deconnexion(qtbot, fenetre, chef: Contexte, creer_agent):
    creer_agent("accueil")
    barre = par_nom(fenetre, "Rechercher un candidat", QLineEdit)
    barre.setFocus()
    taper(qtbot, barre, "Dupont")
    qtbot.keyClick(barre, Qt.Key.Key_Return)
    fenetre.deconnecter()
    par_nom(fenetre, "Identifiant", QLineEdit).setText("accueil")
    par_nom(fenetre, "Mot de passe", QLineEdit).setText(MOT_DE_PASSE_AGENT)
    fenetre.accueil.bouton.click()
    qtbot.waitUntil(lambda: fenetre.agent is not None and fenetre.agent.login == "accueil")
    assert par_nom(fenetre, "Rechercher un candidat", QLineEdit).text() == ""
    zone = fenetre.aller_a("candidats")
    assert par_nom(zone, "Rechercher un compte", QLineEdit).text() == ""
