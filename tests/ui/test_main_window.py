from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from cyclades_desktop.app import create_main_window
from cyclades_desktop.services import staff
from cyclades_desktop.services.contexte import Contexte
from tests.conftest import MOT_DE_PASSE_AGENT

from .helpers import par_nom


def test_premier_demarrage_cree_le_chef_puis_ouvre_la_session(qtbot, db_url, clock):
    w = create_main_window(db_url, clock=clock)
    qtbot.addWidget(w)
    w.show()
    par_nom(w, "Identifiant", QLineEdit).setText("carole.dano")
    par_nom(w, "Nom", QLineEdit).setText("Dano")
    par_nom(w, "Prénom", QLineEdit).setText("carole")
    par_nom(w, "Mot de passe", QLineEdit).setText("court")
    par_nom(w, "Confirmation du mot de passe", QLineEdit).setText("court")
    w.accueil.bouton.click()
    assert "10 à 64 caractères" in w.accueil.form.erreur("mot_de_passe")
    assert par_nom(w, "Identifiant", QLineEdit).text() == "carole.dano"  # nothing typed is lost
    assert staff.premier_demarrage(w.ctx)
    par_nom(w, "Mot de passe", QLineEdit).setText(MOT_DE_PASSE_AGENT)
    par_nom(w, "Confirmation du mot de passe", QLineEdit).setText(MOT_DE_PASSE_AGENT)
    w.accueil.bouton.click()
    assert w.statut.text() == "Connecté : Carole DANO (Chef de bureau)"
    assert "Candidats" in w.titres_zones()
    w.ctx.db.dispose()


def test_connexion_refusee_puis_acceptee(qtbot, db_url, clock, chef: Contexte):
    w = create_main_window(db_url, clock=clock)
    qtbot.addWidget(w)
    w.show()
    par_nom(w, "Identifiant", QLineEdit).setText("chef")
    par_nom(w, "Mot de passe", QLineEdit).setText("mauvais")
    w.accueil.bouton.click()
    assert w.accueil.message.text() == "Identifiant ou mot de passe incorrect."
    assert w.statut.text() == ""
    par_nom(w, "Mot de passe", QLineEdit).setText(MOT_DE_PASSE_AGENT)
    w.accueil.bouton.click()
    assert w.statut.text().startswith("Connecté : Carole DANO")
    w.deconnecter()
    assert w.statut.text() == ""
    assert par_nom(w, "Identifiant", QLineEdit).isVisible()
    w.ctx.db.dispose()


def test_agent_d_accueil_ne_voit_que_ses_zones(qtbot, db_url, clock, accueil: Contexte):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    assert w.titres_zones() == ["Candidats", "Référentiel"]
    assert "Agent d'accueil" in w.statut.text()
    w.ctx.db.dispose()
