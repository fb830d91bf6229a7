from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from cyclades_desktop.app import create_main_window
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.personnel import agents as staff
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


def test_la_saisie_commence_dans_l_identifiant(qtbot, db_url, clock, chef: Contexte):
    w = create_main_window(db_url, clock=clock)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.focusWidget() is par_nom(w, "Identifiant", QLineEdit))


def test_purge_horaire_des_comptes_non_actives(qtbot, db_url, clock, accueil: Contexte):
    from sqlalchemy import select

    from cyclades_desktop.models import Commune
    from cyclades_desktop.rules.comptes import SaisieCompte
    from cyclades_desktop.services.comptes import candidats as comptes

    with accueil.lecture() as s:
        bugarach = s.scalar(select(Commune.id).where(Commune.nom == "Bugarach"))
    cree = comptes.creer_compte(accueil, SaisieCompte(
        sexe="M", nom="Lamy", nom_confirmation="Lamy", prenoms="Paul", date_naissance="01/01/2002",
        date_naissance_confirmation="01/01/2002", pays_naissance="FR", departement_naissance="11",
        commune_naissance=str(bugarach), email="paul.lamy@gmail.com", email_confirmation="paul.lamy@gmail.com",
        mot_de_passe="Secret.2024", mot_de_passe_confirmation="Secret.2024"))
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    assert w.minuterie_purge.isActive() and w.minuterie_purge.interval() == 3_600_000
    w.purger()
    assert [c.id for c in comptes.rechercher(accueil, "lamy")] == [cree.id]
    clock.advance(hours=49)
    w.minuterie_purge.timeout.emit()
    assert comptes.rechercher(accueil, "lamy") == []
    w.ctx.db.dispose()
