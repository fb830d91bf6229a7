"""Help: F1 opens the manual of the screen in front of the user, every area (and the registration form)
has its page, « Raccourcis clavier » lists the shortcuts gathered from the actions, « À propos » says
the version and where the data lives."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextBrowser

from cyclades_desktop import __version__
from cyclades_desktop.paths import ENV_DATA_DIR
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.ui.aide import chemin_page, dossier_aide
from cyclades_desktop.ui.inscription.assistant import AssistantInscription
from cyclades_desktop.ui.zones import ZONES
from tests.fabriques import compte_actif, session_id

from .helpers import boites_ouvertes, par_nom
from .helpers_assistant import montrer


def texte_aide(fenetre) -> str:  # type: ignore[no-untyped-def]
    return par_nom(fenetre.aide.fenetre_aide, "Page d'aide", QTextBrowser).toPlainText()


@pytest.mark.parametrize(("cle", "titre"), [("candidats", "Candidats"), ("pieces", "Pièces justificatives")])
def test_f1_ouvre_la_page_de_l_ecran(qtbot, fenetre, cle, titre):
    fenetre.aller_a(cle)
    qtbot.keyClick(fenetre, Qt.Key.Key_F1)
    aide = fenetre.aide.fenetre_aide
    qtbot.waitUntil(lambda: aide is not None and aide.isVisible())
    assert aide.page == cle
    assert texte_aide(fenetre).startswith(titre)
    assert aide.windowTitle() == f"Aide — {titre}"


def test_f1_suit_l_ecran_et_le_formulaire(qtbot, fenetre, chef):
    fenetre.aller_a("audit")
    qtbot.keyClick(fenetre, Qt.Key.Key_F1)
    assert fenetre.aide.fenetre_aide.page == "audit"
    fenetre.aller_a("referentiel")
    qtbot.keyClick(fenetre, Qt.Key.Key_F1)
    assert fenetre.aide.fenetre_aide.page == "referentiel"
    assert "Notes du référentiel" in texte_aide(fenetre)
    d = inscriptions.demarrer(chef, compte_actif(chef), session_id(chef), "BCP")
    w = montrer(qtbot, AssistantInscription(chef, d, inscriptions.saisie_initiale(chef, d), parent=fenetre))
    qtbot.keyClick(w, Qt.Key.Key_F1)
    assert fenetre.aide.fenetre_aide.page == "inscription"
    assert "Après le premier enregistrement" in texte_aide(fenetre)
    # A link goes to another page, « Précédent » comes back.
    fenetre.aide.fenetre_aide.ouvrir("index")
    assert fenetre.aide.fenetre_aide.page == "index"
    fenetre.aide.fenetre_aide.bouton_precedent.click()
    assert fenetre.aide.fenetre_aide.page == "inscription"


def test_chaque_ecran_a_sa_page():
    pages = {p.stem for p in dossier_aide().glob("*.md")}
    manquantes = {z.cle for z in ZONES} | {"inscription", "connexion", "index"}
    assert manquantes <= pages, sorted(manquantes - pages)
    sommaire = chemin_page("index").read_text(encoding="utf-8")
    assert all(f"({cle}.md)" in sommaire for cle in pages - {"index"})
    assert chemin_page("ecran_sans_page").name == "index.md"


def test_raccourcis_clavier(qtbot, fenetre):
    fenetre.aller_a("candidats")
    liste = fenetre.aide.montrer_raccourcis()
    assert liste.isVisible()
    lignes = liste.lignes()
    touches = {t: (action, lieu) for t, action, lieu in lignes}
    assert touches["Ctrl+F"][0] == "Rechercher"
    assert touches["F1"] == ("Aide sur cet écran", "Menu Aide")
    assert ("Ctrl+1", "Candidats", "Menu Aller à") in lignes
    assert ("Ctrl+N", "Créer un compte candidat", "Candidats") in lignes      # a screen's QShortcut
    assert any(t == "C" and lieu == "Pièces justificatives" for t, _a, lieu in lignes)   # built for the list
    assert fenetre.page_aide() == "candidats"                                 # still on the same screen


def test_a_propos(qtbot, fenetre, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "donnees"))
    fenetre.aide.action_apropos.trigger()
    qtbot.waitUntil(lambda: any(b.windowTitle() == "À propos" for b in boites_ouvertes()))
    boite = next(b for b in boites_ouvertes() if b.windowTitle() == "À propos")
    texte = boite.text()
    boite.accept()
    assert f"Cyclades Desktop {__version__}" in texte
    assert f"Dossier des données : {tmp_path / 'donnees'}" in texte
    assert f"Base de données : sqlite:///{fenetre.ctx.db.path}" in texte or "postgresql" in texte
    assert "Pièces déposées : " in texte and "Sauvegardes : " in texte
    assert ":motdepasse@" not in texte
