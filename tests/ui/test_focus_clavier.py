"""Keyboard first: a form opens with the cursor in its first field, Entrée in the last field does the
form's default action, Tab never makes « Précédent » the default, and Entrée never confirms what destroys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMainWindow, QMessageBox, QSpinBox, QWidget

from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.services import referentiel
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.organisation import centres as org
from cyclades_desktop.services.referentiel import edition
from cyclades_desktop.services.sauvegardes import sauvegarde as sauvegardes
from cyclades_desktop.ui import taches
from cyclades_desktop.ui.formulaire import supprimer_apres_confirmation
from cyclades_desktop.ui.sauvegardes import DialogueSauvegardes
from tests.fabriques import compte_actif

from .helpers import boites_ouvertes, par_nom, taper
from .helpers_assistant import aller_jusqu_a, bouton, ouvrir
from .parcours import fermer_les_boites  # noqa: F401 (autouse: closes the boxes a test leaves open)


def actif(qtbot, w: QWidget) -> None:
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)


def boite(qtbot, titre: str) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.windowTitle() == titre for b in boites_ouvertes()))
    return next(b for b in boites_ouvertes() if b.windowTitle() == titre)


# --- the first field -------------------------------------------------------------------------------

def test_nouveau_compte_les_premieres_touches_vont_au_formulaire(qtbot, fenetre: QMainWindow) -> None:
    """Alt+N then typing at once: nothing lands in the search box left behind."""
    actif(qtbot, fenetre)
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    recherche = par_nom(zone, "Rechercher un compte", QLineEdit)
    recherche.setFocus()
    qtbot.keyClick(recherche, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "m")        # straight away, as a counter agent types
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Dupont")
    assert recherche.text() == ""
    assert par_nom(zone, "Sexe", QComboBox).currentText() == "Madame"
    assert par_nom(zone, "Nom de famille", QLineEdit).text() == "Dupont"


def test_nouveau_centre_s_ouvre_dans_l_etablissement_et_espace_n_enregistre_pas(qtbot, fenetre: QMainWindow) -> None:
    actif(qtbot, fenetre)
    onglet = fenetre.aller_a("organisation").centres  # type: ignore[attr-defined]
    qtbot.keyClick(onglet.table_centres, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialogue = next(w for w in QApplication.topLevelWidgets() if w.accessibleName() == "Nouveau centre d'examen")
    qtbot.waitUntil(dialogue.isVisible)
    etablissement = par_nom(dialogue, "Établissement", QLineEdit)
    qtbot.waitUntil(etablissement.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert dialogue.isVisible() and dialogue.form.erreur("etablissement") == ""   # nothing was saved
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is par_nom(dialogue, "Départements desservis", QLineEdit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialogue.bouton_annuler     # the buttons come after the fields
    dialogue.reject()


# --- Entrée in the last field ----------------------------------------------------------------------

def test_entree_dans_le_dernier_champ_cree_la_session(qtbot, fenetre: QMainWindow) -> None:
    actif(qtbot, fenetre)
    dialogue = fenetre.aller_a("referentiel").sessions.nouvelle_session()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: par_nom(dialogue, "Année", QSpinBox).hasFocus())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    taper(qtbot, QApplication.focusWidget(), "2027")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is par_nom(dialogue, "Type de session", QComboBox)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialogue.isVisible())
    assert "2027" in [s.libelle for s in edition.lister_sessions(fenetre.ctx)]  # type: ignore[attr-defined]


def test_entree_dans_le_dernier_champ_du_bureau_enregistre(qtbot, fenetre: QMainWindow) -> None:
    actif(qtbot, fenetre)
    onglet = fenetre.aller_a("referentiel").aller_a("Bureau")  # type: ignore[attr-defined]
    departements = par_nom(onglet, "Départements de l'académie", QLineEdit)
    departements.setFocus()
    departements.selectAll()
    taper(qtbot, departements, "13, 84")
    qtbot.keyClick(departements, Qt.Key.Key_Return)
    assert onglet.message.text() == "Identité du bureau enregistrée."
    assert referentiel.bureau(fenetre.ctx).departements == ("13", "84")  # type: ignore[attr-defined]


# --- the wizard: « Précédent » is never the default --------------------------------------------------

def test_tab_sur_precedent_ne_le_rend_pas_bouton_par_defaut(qtbot, chef) -> None:
    w = ouvrir(qtbot, chef)
    aller_jusqu_a(qtbot, w, regles.IDENTIFICATION)
    precedent = bouton(w, "Précédent")
    for _ in range(60):
        if QApplication.focusWidget() is precedent:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is precedent
    assert not precedent.isDefault() and bouton(w, "Suivant").isDefault()
    qtbot.keyClick(precedent, Qt.Key.Key_Return)
    assert w.currentId() >= regles.IDENTIFICATION      # Entrée never went back a tab


# --- destructive actions: « Annuler » is the default and the Échap button ---------------------------

def test_la_confirmation_d_une_suppression_repond_annuler_a_entree_et_a_echap(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    appels: list[str] = []
    b = supprimer_apres_confirmation(parent, "Supprimer", "Supprimer ?", lambda: appels.append("x"), lambda: None)
    assert b.defaultButton().text() == "Annuler" and b.escapeButton() is b.defaultButton()
    qtbot.keyClick(b, Qt.Key.Key_Return)
    assert appels == [] and not b.isVisible()


def test_entree_ne_supprime_pas_un_centre(qtbot, fenetre: QMainWindow) -> None:
    org.creer_centre(fenetre.ctx, "0080006N", "13")  # type: ignore[attr-defined]
    actif(qtbot, fenetre)
    onglet = fenetre.aller_a("organisation").centres  # type: ignore[attr-defined]
    onglet.charger()
    onglet.b_supprimer.click()
    confirmation = boite(qtbot, "Supprimer le centre")
    qtbot.keyClick(confirmation, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not confirmation.isVisible())
    assert len(org.lister_centres(fenetre.ctx)) == 1  # type: ignore[attr-defined]


def test_entree_ne_restaure_pas_une_sauvegarde(qtbot, fenetre: QMainWindow, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(taches.ENV_SYNCHRONE, "1")
    ctx = fenetre.ctx  # type: ignore[attr-defined]
    sauvegardes.sauvegarder(ctx, str(tmp_path))
    dialogue = DialogueSauvegardes(fenetre, ctx)
    qtbot.addWidget(dialogue)
    dialogue.dossier.setText(str(tmp_path))
    dialogue.actualiser()
    dialogue.show()
    restaurations: list[object] = []
    monkeypatch.setattr(dialogue, "restaurer", restaurations.append)
    dialogue.bouton_restaurer.click()
    confirmation = boite(qtbot, "Restaurer une sauvegarde")
    assert confirmation.defaultButton().text() == "Annuler"
    qtbot.keyClick(confirmation, Qt.Key.Key_Return)
    assert restaurations == [] and fenetre.isVisible()


def test_entree_ne_supprime_pas_un_compte(qtbot, fenetre: QMainWindow) -> None:
    compte = compte_actif(fenetre.ctx)  # type: ignore[attr-defined]
    fiche = fenetre.aller_a("candidats").ouvrir(compte)  # type: ignore[attr-defined]
    fiche.bouton_supprimer.click()
    confirmation = boite(qtbot, "Supprimer le compte")
    qtbot.keyClick(confirmation, Qt.Key.Key_Return)
    assert comptes.obtenir(fenetre.ctx, compte).id == compte  # type: ignore[attr-defined]
