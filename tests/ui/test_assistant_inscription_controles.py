"""The registration wizard's guards: bad input, keyboard, Quitter, a closing period, consultation, change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTreeWidget,
    QWidget,
)

from cyclades_desktop.models import Candidature, DocumentVersion
from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.rules.epreuves import Choix
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.inscription.assistant import AssistantInscription
from cyclades_desktop.ui.style import appliquer_style
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, choisir_dans_combo, par_nom, taper
from .helpers_assistant import (
    AERONAUTIQUE,
    CONDITIONS,
    MODALITES,
    aller_jusqu_a,
    bouton,
    candidature,
    capturer,
    choisir,
    cliquer,
    cocher,
    erreur,
    montrer,
    nombre,
    ouvrir,
    saisir,
    suivant,
)


@pytest.fixture(autouse=True)
def style(qapp) -> None:
    appliquer_style(qapp)


# --- 3. bad input ------------------------------------------------------------------------------

def test_saisie_incorrecte_reste_sur_l_onglet_avec_les_messages(qtbot, accueil):
    w = ouvrir(qtbot, accueil)
    cocher(qtbot, w, MODALITES)
    assert not bouton(w, "Enregistrer").isEnabled()
    suivant(qtbot, w)
    saisir(qtbot, w, "Téléphone personnel mobile", "12345")
    cliquer(qtbot, w, "Suivant")
    assert w.currentId() == regles.IDENTIFICATION
    assert erreur(w, "Numéro, rue, voie") == "Ce champ est obligatoire."
    assert erreur(w, "Téléphone personnel mobile").startswith("Numéro invalide : 10 chiffres")
    assert erreur(w, "Nationalité") == "Sélectionnez une nationalité."
    assert not bouton(w, "Enregistrer").isEnabled()
    capturer(w, "identification-erreurs")


def test_facultative_sans_langue_et_bouton_enregistrer(qtbot, accueil):
    w = ouvrir(qtbot, accueil, saisie_seed(choix=Choix(), conditions_acceptees=False))
    for _ in range(regles.EPREUVES):
        assert not bouton(w, "Enregistrer").isEnabled()
        suivant(qtbot, w)
    assert not bouton(w, "Enregistrer").isEnabled()
    cocher(qtbot, w, "Inscrit à l'épreuve EF1")
    cliquer(qtbot, w, "Suivant")
    assert w.currentId() == regles.EPREUVES
    assert erreur(w, "Langue") == "Indiquez la langue choisie pour l'épreuve EF1."
    choisir(w, "Langue", "Espagnol")
    suivant(qtbot, w)
    assert bouton(w, "Enregistrer").isEnabled()
    suivant(qtbot, w)
    assert bouton(w, "Enregistrer").isEnabled()

    # Enregistrer without the conditions: the message shows next to the box, nothing is written.
    cliquer(qtbot, w, "Enregistrer")
    assert erreur(w, CONDITIONS) == "Cochez la case pour accepter les conditions d'inscription."
    assert nombre(accueil, Candidature) == 0
    cocher(qtbot, w, CONDITIONS)
    qtbot.keyClick(w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)   # Ctrl+S saves too
    qtbot.waitUntil(lambda: w.currentId() == regles.NUMERO)
    assert not bouton(w, "Enregistrer").isEnabled()
    assert {e.code: e.detail for e in candidature(accueil).epreuves}["EF1"] == "Espagnol"


def test_erreur_d_un_onglet_precedent_y_ramene(qtbot, accueil):
    """The phone became invalid in the saisie (as if typed on tab 2 and the check bypassed):
    Enregistrer on tab 8 goes back to tab 2 and shows the message there."""
    w = ouvrir(qtbot, accueil, saisie_seed(conditions_acceptees=False))
    aller_jusqu_a(qtbot, w, regles.CONDITIONS)
    w.pages[regles.IDENTIFICATION].mobile.setText("12345")
    cocher(qtbot, w, CONDITIONS)
    cliquer(qtbot, w, "Enregistrer")
    qtbot.waitUntil(lambda: w.currentId() == regles.IDENTIFICATION)
    assert erreur(w, "Téléphone personnel mobile").startswith("Numéro invalide")
    assert nombre(accueil, Candidature) == 0


def test_code_postal_a_plusieurs_communes(qtbot, accueil):
    w = ouvrir(qtbot, accueil)
    aller_jusqu_a(qtbot, w, regles.IDENTIFICATION)
    localite = par_nom(w, "Localité", QComboBox)
    saisir(qtbot, w, "Code postal", "13100")
    assert [localite.itemText(i) for i in range(localite.count())] == [
        "Aix-en-Provence", "Beaurecueil", "Le Tholonet", "Saint-Antonin-sur-Bayon", "Saint-Marc-Jaumegarde"]
    assert localite.currentText() == ""
    assert localite.lineEdit().placeholderText() == "Choisissez parmi les 5 communes de ce code postal"
    localite.setCurrentIndex(localite.findText("Le Tholonet"))
    s = w.saisie_courante()
    assert (s.localite, s.commune_code) == ("Le Tholonet", "13109")
    saisir(qtbot, w, "Code postal", "13001")           # one commune: filled in
    assert localite.currentText() == "Marseille"
    saisir(qtbot, w, "Code postal", "99999")
    assert localite.count() == 0 and localite.lineEdit().placeholderText().startswith("Aucune commune")
    choisir_dans_combo(qtbot, par_nom(w, "Pays", QComboBox), "belg", "Belgique")
    saisir(qtbot, w, "Code postal", "1000")
    taper(qtbot, localite.lineEdit(), "Bruxelles")
    s = w.saisie_courante()
    assert (s.adresse_pays, s.code_postal, s.localite, s.commune_code) == ("BE", "1000", "Bruxelles", None)


def test_clavier_seul(qtbot, accueil):
    """Tab follows the screen, the wizard's buttons answer to Alt+letter, rebuilt widgets included."""
    w = ouvrir(qtbot, accueil, saisie_seed(choix=Choix(), conditions_acceptees=False))

    def focus() -> QWidget:
        return QApplication.focusWidget()

    def tab() -> None:
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)

    assert focus().accessibleName() == MODALITES
    qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)     # Alt+S: Suivant
    qtbot.waitUntil(lambda: w.currentId() == regles.IDENTIFICATION)
    assert focus().accessibleName() == "Pays"           # the greyed identity is skipped
    tab()
    assert focus().accessibleName() == "Numéro, rue, voie"
    for onglet in range(regles.INFORMATIONS, regles.EPREUVES + 1):
        qtbot.keyClick(focus(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)   # the button clicks a bit later
        qtbot.waitUntil(lambda o=onglet: w.currentId() == o)
    par_nom(w, "Épreuve(s) obligatoire(s)", QTreeWidget).setFocus()
    tab()
    assert focus().accessibleName() == "Inscrit à l'épreuve EF1"
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    tab()
    assert focus().accessibleName() == "Langue"
    qtbot.keyClick(focus(), Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)     # Alt+P: Précédent
    qtbot.waitUntil(lambda: w.currentId() == regles.ACQUIS)


def test_avis_hors_periode(qtbot, gestionnaire):
    compte = compte_actif(gestionnaire)
    d = inscriptions.demarrer(gestionnaire, compte, session_id(gestionnaire), "CAP",
                              motif="Dossier déposé au guichet avant la clôture")
    w = montrer(qtbot, AssistantInscription(gestionnaire, d, inscriptions.saisie_initiale(gestionnaire, d)))
    avis = par_nom(w, "Inscription hors période", QLabel)
    assert avis.isVisible()
    assert avis.text() == "Inscription hors période : Dossier déposé au guichet avant la clôture"
    assert "CERTIFICAT D'APTITUDE PROFESSIONNELLE – session 2025" in par_nom(w, "Examen", QLabel).text()


# --- 4. nothing written before Enregistrer; Quitter asks ---------------------------------------

def test_quitter_sans_enregistrer(qtbot, accueil):
    w = ouvrir(qtbot, accueil, saisie_seed(conditions_acceptees=False))
    aller_jusqu_a(qtbot, w, regles.CONDITIONS)
    cocher(qtbot, w, CONDITIONS)
    assert nombre(accueil, Candidature) == 0

    cliquer(qtbot, w, "Quitter")
    qtbot.waitUntil(lambda: len(boites_ouvertes()) == 1)
    boite = boites_ouvertes()[0]
    assert boite.text() == "Quitter sans enregistrer ? Les informations saisies seront perdues."
    assert boite.defaultButton().text() == "Continuer la saisie"
    boite.defaultButton().click()
    qtbot.waitUntil(lambda: not boites_ouvertes())
    assert w.isVisible() and par_nom(w, CONDITIONS, QCheckBox).isChecked()

    w.close()                                   # the title bar's X asks the same question
    qtbot.waitUntil(lambda: len(boites_ouvertes()) == 1)
    boite = boites_ouvertes()[0]
    next(b for b in boite.buttons() if b.text() == "Quitter sans enregistrer").click()
    qtbot.waitUntil(lambda: not w.isVisible())
    assert nombre(accueil, Candidature) == 0


def test_quitter_sans_rien_saisir_ferme_directement(qtbot, accueil):
    w = ouvrir(qtbot, accueil)
    cliquer(qtbot, w, "Quitter")
    qtbot.waitUntil(lambda: not w.isVisible())
    assert not boites_ouvertes()


# --- 5. the period closes while the form is open -----------------------------------------------

def test_periode_close_avant_enregistrer(qtbot, accueil, clock):
    w = ouvrir(qtbot, accueil, saisie_seed(conditions_acceptees=False))
    aller_jusqu_a(qtbot, w, regles.CONDITIONS)
    cocher(qtbot, w, CONDITIONS)
    clock.advance(days=30)
    cliquer(qtbot, w, "Enregistrer")
    qtbot.waitUntil(lambda: len(boites_ouvertes()) == 1)
    boite = boites_ouvertes()[0]
    assert boite.windowTitle() == "Enregistrement impossible"
    assert "Les inscriptions sont closes depuis le 03/12/2024 17:00" in boite.text()
    boite.accept()
    assert nombre(accueil, Candidature) == 0
    assert w.currentId() == regles.CONDITIONS and par_nom(w, CONDITIONS, QCheckBox).isChecked()
    assert w.pages[regles.IDENTIFICATION].voie.text() == "reu"
    assert w.enregistrement is None


# --- 6. consultation, then modification ---------------------------------------------------------

def test_consultation_puis_modification(qtbot, accueil):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    cid = inscriptions.enregistrer(accueil, d, saisie_seed()).candidature_id

    d, saisie = inscriptions.ouvrir(accueil, cid)
    consultation = montrer(qtbot, AssistantInscription(accueil, d, saisie, consultation=True))
    assert consultation.currentId() == regles.RECAPITULATIF
    recap = par_nom(consultation, "Récapitulatif", QTextBrowser).toPlainText()
    assert AERONAUTIQUE in recap and "EF2 - Épreuve de mobilité - Lettonie" in recap
    assert "Candidature enregistrée : inscription n° 001, version 1" in par_nom(consultation, "Attention").text()
    for texte in ("Précédent", "Suivant", "Enregistrer"):
        assert not bouton(consultation, texte).isEnabled()
    capturer(consultation, "consultation")
    cliquer(qtbot, consultation, "Visualiser/imprimer")     # the published version
    qtbot.waitUntil(lambda: isinstance(consultation.apercu, ApercuPdf) and consultation.apercu.isVisible())
    assert consultation.apercu.windowTitle() == "Récapitulatif de candidature – version n° 1"
    consultation.apercu.close()
    with qtbot.waitSignal(consultation.modifier_demande):
        cliquer(qtbot, consultation, "Modifier")
    cliquer(qtbot, consultation, "Quitter")     # read only: no question
    qtbot.waitUntil(lambda: not consultation.isVisible())

    w = montrer(qtbot, AssistantInscription(accueil, inscriptions.preparer_modification(accueil, d), saisie))
    assert par_nom(w, MODALITES, QCheckBox).isChecked()
    suivant(qtbot, w)
    assert par_nom(w, "Numéro, rue, voie", QLineEdit).text() == "reu"
    saisir(qtbot, w, "Téléphone personnel mobile", "0698765432")
    aller_jusqu_a(qtbot, w, regles.EPREUVES)
    assert par_nom(w, "Inscrit à l'épreuve EF1", QCheckBox).isChecked()
    assert par_nom(w, "Langue", QComboBox).currentText() == "Anglais"
    aller_jusqu_a(qtbot, w, regles.CONDITIONS)
    cocher(qtbot, w, CONDITIONS)
    with qtbot.waitSignal(w.enregistre) as signal:
        cliquer(qtbot, w, "Enregistrer")
    assert signal.args[0].version == 2
    assert "version n° 2" in par_nom(w, "Numéro d'inscription", QLabel).text()
    c = candidature(accueil)
    assert (c.version, c.telephone_mobile, c.numero_inscription) == (2, "0698765432", "001")
    assert nombre(accueil, DocumentVersion) == 3      # récapitulatif v1 and v2, demande de pièces v1
