"""« Mes inscriptions » at the counter: new candidature inside or outside the period, the cards,
« Mes documents » and the désinscription, driven through the account's detail."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import Candidature
from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services import inscriptions
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.inscriptions.enregistrement import CONFIRMATION_DESINSCRIPTION, MESSAGE_MOTIF
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.publications import documents as publications
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.comptes.fiche import FicheCompte
from cyclades_desktop.ui.inscription.pages_textes import ACCEPTER_CONDITIONS
from cyclades_desktop.ui.inscriptions.documents import MesDocuments
from cyclades_desktop.ui.inscriptions.nouvelle import NouvelleCandidature
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id

from .helpers import boites_ouvertes, capturer, par_nom, taper
from .test_comptes_ui import creer_par_service

PERIODE_BCP = ("Les inscriptions sont ouvertes du 04 novembre 2024 15:00 au 03 décembre 2024 17:00 "
               "(heure de Paris).")
SECONDE = "BCP-33007"     # Accompagnement, soins et services à la personne


# --- helpers -----------------------------------------------------------------------------------

@pytest.fixture
def ouvrir_fiche(qtbot, db_url: str, clock: FixedClock) -> Iterator[Callable[[str, int], FicheCompte]]:
    fenetres = []

    def ouvrir(login: str, compte_id: int) -> FicheCompte:
        w = create_main_window(db_url, clock=clock, user=login)
        qtbot.addWidget(w)
        w.show()
        fenetres.append(w)
        fiche = w.aller_a("candidats").ouvrir(compte_id)
        assert fiche is not None
        return fiche

    yield ouvrir
    for w in fenetres:
        w.ctx.db.dispose()
    for w in QApplication.topLevelWidgets():    # wizards, dialogs and previews opened by the test
        if shiboken6.isValid(w) and w.isVisible():
            w.close()


def inscrire(ctx: Contexte, compte_id: int, saisie=None) -> inscriptions.Enregistrement:  # type: ignore[no-untyped-def]
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie or saisie_seed())


def fenetres(classe: type) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if shiboken6.isValid(w) and w.isVisible() and isinstance(w, classe)]


def assistants() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if shiboken6.isValid(w) and w.isVisible() and type(w).__name__ == "AssistantInscription"]


def boite(qtbot, titre: str) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.windowTitle() == titre for b in boites_ouvertes()))
    return next(b for b in boites_ouvertes() if b.windowTitle() == titre)


def repondre(b: QMessageBox, texte: str) -> None:
    next(x for x in b.buttons() if x.text().replace("&", "") == texte).click()


def nouvelle(qtbot, fiche: FicheCompte) -> NouvelleCandidature:
    qtbot.mouseClick(par_nom(fiche, "Ajouter une nouvelle candidature", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(fenetres(NouvelleCandidature)))
    return fenetres(NouvelleCandidature)[0]


def choisir(combo: QComboBox, texte: str) -> None:
    index = combo.findText(texte)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)


def textes_cartes(fiche: FicheCompte) -> list[tuple[str, str, str]]:
    section = fiche.inscriptions
    return [(c.carte.numero_inscription, par_nom(section, f"Spécialité {c.carte.numero_inscription}", QLabel).text(),
             par_nom(section, f"État {c.carte.numero_inscription}", QLabel).text())
            for c in section.cartes if c.isVisibleTo(section)]


def etat(ctx: Contexte, candidature_id: int) -> tuple[str, str | None]:
    with ctx.lecture() as s:
        c = s.get(Candidature, candidature_id)
        return c.etat, c.motif_etat


# --- new candidature ---------------------------------------------------------------------------

def test_nouvelle_candidature_dans_la_periode(qtbot, ouvrir_fiche, accueil):
    compte = compte_actif(accueil)
    fiche = ouvrir_fiche("accueil", compte)
    dialogue = nouvelle(qtbot, fiche)
    assert not dialogue.isModal()
    assert par_nom(dialogue, "Examen", QComboBox).currentText() == "BACCALAURÉAT PROFESSIONNEL"
    assert par_nom(dialogue, "Session", QComboBox).currentText() == "2025"
    assert par_nom(dialogue, "Académie", QComboBox).currentText() == "ACADÉMIE D'AIX-MARSEILLE - (2025)"
    assert par_nom(dialogue, "Résumé de la sélection", QLabel).text() == \
        "Examen  ›  BACCALAURÉAT PROFESSIONNEL  ›  2025  ›  ACADÉMIE D'AIX-MARSEILLE - (2025)"
    assert par_nom(dialogue, "Période d'inscription", QLabel).text() == PERIODE_BCP
    assert not par_nom(dialogue, "Motif de l'inscription hors période", QLineEdit).isVisible()

    qtbot.mouseClick(par_nom(dialogue, "Démarrer l'inscription", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(assistants()))
    assert not dialogue.isVisible()


def test_agent_refuse_hors_periode(qtbot, ouvrir_fiche, accueil):
    compte = compte_actif(accueil)
    dialogue = nouvelle(qtbot, ouvrir_fiche("accueil", compte))
    choisir(par_nom(dialogue, "Examen", QComboBox), "CERTIFICAT D'APTITUDE PROFESSIONNELLE")
    assert par_nom(dialogue, "Session", QComboBox).currentText() == "2025"
    periode = par_nom(dialogue, "Période d'inscription", QLabel)
    assert periode.text() == "Les inscriptions sont closes depuis le 08/11/2024 17:00 (heure de Paris)."
    assert not par_nom(dialogue, "Motif de l'inscription hors période", QLineEdit).isVisible()
    qtbot.mouseClick(par_nom(dialogue, "Démarrer l'inscription", QPushButton), Qt.MouseButton.LeftButton)
    refus = boite(qtbot, "Inscription impossible")
    assert "closes" in refus.text() and "gestionnaire" in refus.text()
    refus.accept()
    assert dialogue.isVisible() and not assistants()


def test_gestionnaire_hors_periode_avec_motif(qtbot, ouvrir_fiche, gestionnaire, monkeypatch):
    appels = []
    demarrer = inscriptions.demarrer

    def espion(*args, **kwargs):  # type: ignore[no-untyped-def]
        appels.append(kwargs.get("motif"))
        return demarrer(*args, **kwargs)

    monkeypatch.setattr(inscriptions, "demarrer", espion)
    compte = compte_actif(gestionnaire)
    dialogue = nouvelle(qtbot, ouvrir_fiche("gestion", compte))
    choisir(par_nom(dialogue, "Examen", QComboBox), "CERTIFICAT D'APTITUDE PROFESSIONNELLE")
    motif = par_nom(dialogue, "Motif de l'inscription hors période", QLineEdit)
    assert motif.isVisible()
    demarrer_bouton = par_nom(dialogue, "Démarrer l'inscription", QPushButton)
    qtbot.mouseClick(demarrer_bouton, Qt.MouseButton.LeftButton)
    assert par_nom(dialogue, "Erreur : Motif de l'inscription hors période", QLabel).text() == MESSAGE_MOTIF
    assert not boites_ouvertes() and not assistants()
    taper(qtbot, motif, "Dossier déposé le 07/11, saisie retardée")
    qtbot.mouseClick(demarrer_bouton, Qt.MouseButton.LeftButton)
    assert appels == [None, "Dossier déposé le 07/11, saisie retardée"]
    qtbot.waitUntil(lambda: bool(assistants()))
    assert not dialogue.isVisible()
    assert assistants()[0].demarrage.motif_hors_periode == "Dossier déposé le 07/11, saisie retardée"
    assert assistants()[0].demarrage.domaine_code == "CAP"


def test_compte_non_active_ne_peut_pas_s_inscrire(qtbot, ouvrir_fiche, chef):
    cree = creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    fiche = ouvrir_fiche("chef", cree.id)
    assert not par_nom(fiche, "Ajouter une nouvelle candidature", QPushButton).isEnabled()
    assert par_nom(fiche, "Explication des inscriptions", QLabel).text().startswith("Le compte doit être activé")
    assert par_nom(fiche, "Aucune candidature", QLabel).isVisible()


# --- the cards ---------------------------------------------------------------------------------

def test_cartes_des_candidatures_actives_puis_inactives(qtbot, ouvrir_fiche, accueil):
    compte = compte_actif(accueil)
    inscrire(accueil, compte)
    deuxieme = inscrire(accueil, compte, saisie_individuel(specialite_id=SECONDE))
    fiche = ouvrir_fiche("accueil", compte)
    section = fiche.inscriptions
    assert fiche.onglets.tabText(0) == "I&nscriptions (2)"
    assert sorted(textes_cartes(fiche)) == [
        ("001", "Aéronautique option Systèmes", "Inscrit"),
        ("002", "Accompagnement, soins et services à la personne", "Inscrit")]
    assert par_nom(section, "Examen 001", QLabel).text() == "BACCALAURÉAT PROFESSIONNEL"
    assert par_nom(section, "Académie 001", QLabel).text() == "ACADÉMIE D'AIX-MARSEILLE"
    assert par_nom(section, "Établissement 001", QLabel).text() == \
        "Établissement : CFA CEVEDOM CAYENNE-CAYENNE CEDEX 2(9730538X)"
    assert par_nom(section, "Session 001", QLabel).text() == "Session 2025"
    for action in ("Consulter", "Documents", "Désinscrire"):
        assert par_nom(section, f"{action} 002", QPushButton).isVisible()
    assert "Au moins une candidature" in par_nom(fiche, "Candidatures", QLabel).text()

    # Keyboard: the cards and their buttons are on the Tab chain.
    fiche.window().activateWindow()
    qtbot.waitUntil(fiche.window().isActiveWindow)
    carte = section.carte("002")
    carte.setFocus()
    assert carte.hasFocus()
    qtbot.keyClick(carte, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is par_nom(section, "Consulter 002", QPushButton)

    inscriptions.desinscrire(accueil, deuxieme.candidature_id, row_version=deuxieme.row_version)
    fiche.charger()
    assert [n for n, *_ in textes_cartes(fiche)] == ["001"]
    inactives = par_nom(section, "Afficher aussi les candidatures inactives", QCheckBox)
    qtbot.mouseClick(inactives, Qt.MouseButton.LeftButton)
    assert sorted(textes_cartes(fiche)) == [
        ("001", "Aéronautique option Systèmes", "Inscrit"),
        ("002", "Accompagnement, soins et services à la personne", "Désinscrit par le candidat")]
    assert section.carte("002").property("inactive") is True
    assert not par_nom(section, "Désinscrire 002", QPushButton).isEnabled()
    inactives.click()
    assert [n for n, *_ in textes_cartes(fiche)] == ["001"]


# --- Mes documents ---------------------------------------------------------------------------------

def test_cartes_du_gestionnaire_tiennent_dans_la_fenetre(qtbot, ouvrir_fiche, accueil, gestionnaire):
    """The office's buttons (Aménagements, Courriers) are on their own row: the card never needs
    horizontal scrolling at the usual 1280 px and « Se désinscrire » stays visible."""
    compte = compte_actif(accueil)
    inscrire(accueil, compte)
    fiche = ouvrir_fiche("gestion", compte)
    fiche.window().resize(1280, 800)
    section = fiche.inscriptions
    for action in ("Consulter", "Documents", "Justificatifs", "Désinscrire", "Aménagements…",
                   "Courriers…"):
        assert par_nom(section, f"{action} 001", QPushButton).isVisible()
    qtbot.waitUntil(lambda: par_nom(section, "Candidatures").widget().width() > 0)
    assert not par_nom(section, "Candidatures").horizontalScrollBar().isVisible()
    navigation = par_nom(fiche.window(), "Navigation")      # « Organisation des examens » is not clipped
    assert not navigation.horizontalScrollBar().isVisible() and fiche.window().width() == 1280
    capturer(fiche.window().grab(), "mes-inscriptions.png")


def test_mes_documents_versions_et_apercu(qtbot, ouvrir_fiche, accueil, clock, tmp_path):
    compte = compte_actif(accueil)
    enr = inscrire(accueil, compte)
    clock.advance(hours=1)
    d, saisie = inscriptions.ouvrir(accueil, enr.candidature_id)
    saisie.conditions_acceptees = True
    saisie.telephone_fixe = "0491000000"
    inscriptions.enregistrer(accueil, inscriptions.preparer_modification(accueil, d), saisie)

    fiche = ouvrir_fiche("accueil", compte)
    qtbot.mouseClick(par_nom(fiche, "Documents 001", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(fenetres(MesDocuments)))
    docs = fenetres(MesDocuments)[0]
    assert not docs.isModal()
    assert docs.lignes() == [
        "Récapitulatif de votre candidature [PDF] : Version n°2 mis à jour le 10/11/2024 12:00",
        "Version n°1 mis à jour le 10/11/2024 11:00",
        "Demande pièces justificatives [PDF] : Version n°1 mis à jour le 10/11/2024 11:00"]
    liste = par_nom(docs, "Liste des documents publiés")
    docs.selectionner("Version n°1 mis à jour le 10/11/2024 11:00")
    liste.setFocus()
    qtbot.keyClick(liste, Qt.Key.Key_Return)                 # Entrée: open the selected version
    qtbot.waitUntil(lambda: bool(fenetres(ApercuPdf)))
    apercu = fenetres(ApercuPdf)[0]
    assert apercu.windowTitle() == "Récapitulatif de votre candidature — version n°1"
    assert apercu.nombre_pages() >= 1
    for nom in ("Ouvrir", "Imprimer…", "Enregistrer sous…", "Fermer"):
        assert par_nom(docs, nom, QPushButton).isEnabled()

    qtbot.mouseClick(par_nom(docs, "Imprimer…", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(fenetres(QPrintDialog)))
    fenetres(QPrintDialog)[0].reject()
    qtbot.mouseClick(par_nom(docs, "Enregistrer sous…", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(fenetres(QFileDialog)))
    cible = tmp_path / "recapitulatif-v1.pdf"
    enregistrement = fenetres(QFileDialog)[0]
    enregistrement.selectFile(str(cible))
    enregistrement.accept()
    qtbot.waitUntil(cible.exists)
    version_1 = publications.documents(accueil, enr.candidature_id)[0].versions[1]
    assert cible.read_bytes() == publications.contenu(accueil, version_1.id)[1]


# --- Se désinscrire ----------------------------------------------------------------------------

def test_candidat_individuel_se_desinscrit_au_guichet(qtbot, ouvrir_fiche, accueil):
    compte = compte_actif(accueil)
    enr = inscrire(accueil, compte, saisie_individuel())
    fiche = ouvrir_fiche("accueil", compte)
    bouton = par_nom(fiche, "Désinscrire 001", QPushButton)
    assert bouton.isEnabled()

    qtbot.mouseClick(bouton, Qt.MouseButton.LeftButton)
    confirmation = boite(qtbot, "Désinscrire le candidat")
    assert confirmation.text() == CONFIRMATION_DESINSCRIPTION
    assert [b.text().replace("&", "") for b in confirmation.buttons()] == ["OK", "Annuler"]
    assert confirmation.defaultButton().text().replace("&", "") == "Annuler"
    repondre(confirmation, "Annuler")
    assert etat(accueil, enr.candidature_id) == ("inscrit", None)
    assert [n for n, *_ in textes_cartes(fiche)] == ["001"]

    qtbot.mouseClick(par_nom(fiche, "Désinscrire 001", QPushButton), Qt.MouseButton.LeftButton)
    repondre(boite(qtbot, "Désinscrire le candidat"), "OK")
    qtbot.waitUntil(lambda: textes_cartes(fiche) == [])
    assert etat(accueil, enr.candidature_id)[0] == "desinscrit"
    assert par_nom(fiche, "Résultat de l'action", QLabel).text() == \
        "Candidature 001 désinscrite : un message de confirmation a été enregistré."
    assert comptes.messages(accueil, compte)[0].objet.startswith("Confirmation de désinscription : ")
    assert par_nom(fiche, "Messages du candidat").item(0, 1).text().startswith("Confirmation de désinscription")
    assert par_nom(fiche, "Aucune candidature", QLabel).isVisible()

    # A désinscription by mistake: a new candidature for the same spécialité is possible.
    nouvelle_enr = inscrire(accueil, compte, saisie_individuel())
    assert nouvelle_enr.numero_inscription == "002"


def test_agent_ne_desinscrit_pas_un_scolaire(qtbot, ouvrir_fiche, accueil):
    compte = compte_actif(accueil)
    enr = inscrire(accueil, compte)
    fiche = ouvrir_fiche("accueil", compte)
    bouton = par_nom(fiche, "Désinscrire 001", QPushButton)
    assert not bouton.isEnabled()
    assert "candidat individuel" in bouton.toolTip()
    assert bouton.accessibleDescription() == bouton.toolTip()
    # Were the screen to let it through, the service's refusal is shown.
    fiche.inscriptions.desinscrire(fiche.inscriptions.carte("001").carte)
    repondre(boite(qtbot, "Désinscrire le candidat"), "OK")
    refus = boite(qtbot, "Désinscription impossible")
    assert refus.text().startswith("Seul un candidat individuel peut se désinscrire")
    refus.accept()
    assert etat(accueil, enr.candidature_id) == ("inscrit", None)


def test_gestionnaire_desinscrit_un_scolaire_avec_motif(qtbot, ouvrir_fiche, gestionnaire):
    compte = compte_actif(gestionnaire)
    enr = inscrire(gestionnaire, compte)
    fiche = ouvrir_fiche("gestion", compte)
    qtbot.mouseClick(par_nom(fiche, "Désinscrire 001", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(w.accessibleName() == "Désinscrire le candidat" and not isinstance(w, QMessageBox)
                                for w in fenetres(QWidget)))
    dialogue = next(w for w in fenetres(QWidget) if w.accessibleName() == "Désinscrire le candidat")
    continuer = par_nom(dialogue, "Continuer", QPushButton)
    qtbot.mouseClick(continuer, Qt.MouseButton.LeftButton)
    assert par_nom(dialogue, "Erreur : Motif", QLabel).text() == MESSAGE_MOTIF
    assert not boites_ouvertes()
    taper(qtbot, par_nom(dialogue, "Motif", QLineEdit), "Abandon de la formation, courrier du lycée")
    qtbot.mouseClick(continuer, Qt.MouseButton.LeftButton)
    confirmation = boite(qtbot, "Désinscrire le candidat")
    assert confirmation.text() == CONFIRMATION_DESINSCRIPTION
    repondre(confirmation, "OK")
    qtbot.waitUntil(lambda: textes_cartes(fiche) == [])
    assert etat(gestionnaire, enr.candidature_id) == ("desinscrit", "Abandon de la formation, courrier du lycée")


# --- Mon inscription: consultation, then Modifier -----------------------------------------------

def test_modifier_apres_la_periode(qtbot, ouvrir_fiche, accueil, gestionnaire, clock):
    compte = compte_actif(accueil)
    enr = inscrire(accueil, compte)
    clock.advance(days=30)                     # 10/12/2024: BCP 2025 closed on 03/12
    fiche = ouvrir_fiche("accueil", compte)
    fiche.inscriptions.modifier(enr.candidature_id)
    refus = boite(qtbot, "Modification impossible")
    assert "closes" in refus.text()
    refus.accept()
    assert not assistants()

    fiche = ouvrir_fiche("gestion", compte)
    fiche.inscriptions.modifier(enr.candidature_id)
    qtbot.waitUntil(lambda: any(w.accessibleName() == "Modification hors période" for w in fenetres(QWidget)))
    dialogue = next(w for w in fenetres(QWidget) if w.accessibleName() == "Modification hors période")
    taper(qtbot, par_nom(dialogue, "Motif de la modification", QLineEdit), "Erreur de spécialité")
    qtbot.mouseClick(par_nom(dialogue, "Continuer", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(assistants()))
    edition = assistants()[0]
    assert not edition.consultation
    assert edition.demarrage.motif_hors_periode == "Erreur de spécialité"


def test_mon_inscription_consulter_puis_modifier(qtbot, ouvrir_fiche, accueil, clock):
    compte = compte_actif(accueil)
    inscrire(accueil, compte)
    fiche = ouvrir_fiche("accueil", compte)
    documents = fiche.inscriptions.ouvrir_documents(fiche.inscriptions.carte("001").carte)
    assert len(documents.lignes()) == 2     # récapitulatif and demande de pièces
    carte = fiche.inscriptions.carte("001")
    carte.setFocus()
    qtbot.keyClick(carte, Qt.Key.Key_Return)       # Entrée on a card: « Consulter »
    qtbot.waitUntil(lambda: bool(assistants()))
    consultation = assistants()[0]
    assert consultation.consultation and consultation.currentId() == regles.RECAPITULATIF

    clock.advance(hours=1)
    qtbot.mouseClick(consultation.bouton("Modifier"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [a.consultation for a in assistants()] == [False])
    edition = assistants()[0]
    assert edition.demarrage.candidature_id == carte.carte.id
    edition.aller_a(regles.CONDITIONS)
    assert edition.currentId() == regles.CONDITIONS
    par_nom(edition, ACCEPTER_CONDITIONS, QCheckBox).setChecked(True)
    qtbot.mouseClick(edition.bouton("Enregistrer"), Qt.MouseButton.LeftButton)
    statut = par_nom(fiche, "Résultat de l'action", QLabel)
    qtbot.waitUntil(lambda: statut.text().startswith("Candidature 001 enregistrée (version 2)"))
    assert documents.lignes()[0] == \
        "Récapitulatif de votre candidature [PDF] : Version n°2 mis à jour le 10/11/2024 12:00"
    assert par_nom(fiche, "Messages du candidat").item(0, 1).text().startswith("Modification d'inscription")
