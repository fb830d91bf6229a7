"""The registration wizard (docs/domaine/inscriptions.md#formulaire), driven as an agent at the
counter does: by labels, typing, ticking and the wizard's buttons, on a real database.

Accessible names worth knowing (the others are the visible French labels):
- « J'accepte les conditions d'inscription »: the tab 8 box, whose visible text is the portal's whole
  engagement (« En cochant cette case, je m'engage… »), kept as its accessible description;
- « Inscrit à l'épreuve EF1 »: the « Inscrit » box of one facultative (several share the tab);
- « Note E1-A »: a grade field of the Acquis tab; radio groups carry their question, radios « Oui »/« Non ».

Set CYCLADES_CAPTURES to a folder to save the pages as PNG (docs/inscription-*.png come from there)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QTextBrowser

from cyclades_desktop.models import Candidature, DocumentVersion
from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.rules.epreuves import Choix
from cyclades_desktop.rules.inscriptions import EtatCandidature
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.inscription.assistant import AssistantInscription
from cyclades_desktop.ui.style import appliquer_style
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id

from .helpers import boites_ouvertes, choisir_dans_combo, choisir_dans_completer, par_nom
from .helpers_assistant import (
    AERONAUTIQUE,
    AUTRE_DIPLOME,
    BTS,
    CEVEDOM,
    CONDITIONS,
    DISPENSES,
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
    remplir_identification,
    repondre,
    saisir,
    suivant,
)


@pytest.fixture(autouse=True)
def style(qapp) -> None:
    appliquer_style(qapp)


# --- 1. the CYCLADES guide's scolaire candidate, every tab through the widgets ----------------

def test_inscription_complete_du_candidat_scolaire(qtbot, accueil):
    w = ouvrir(qtbot, accueil)
    assert w.windowTitle().startswith("Inscription – N° candidat ")
    assert [w.page(i).title() for i in range(9)] == [
        "1 - Modalités d'inscription", "2 - Identification", "3 - Informations candidature",
        "4 - Qualification présentée", "5 - Acquis", "6 - Épreuves", "7 - Récapitulatif",
        "8 - Conditions d'inscription", "9 - N° Inscription"]
    assert par_nom(w, "Examen", QLabel).text() == \
        "BACCALAURÉAT PROFESSIONNEL – session 2025 – Académie d'Aix-Marseille"
    assert par_nom(w, "Onglets de l'inscription").isVisible()
    for texte in ("Précédent", "Suivant", "Enregistrer", "Visualiser/imprimer", "Quitter"):
        assert bouton(w, texte).isVisible()
    capturer(w)

    # 1 - Modalités: Suivant refuses until the box is ticked.
    cliquer(qtbot, w, "Suivant")
    assert w.currentId() == regles.MODALITES
    assert erreur(w, MODALITES) == "Vous devez accepter les modalités d'inscription pour continuer."
    cocher(qtbot, w, MODALITES)
    suivant(qtbot, w)

    # 2 - Identification: the account's identity is greyed; the postal code fills the town.
    nom = par_nom(w, "Nom de famille", QLineEdit)
    assert nom.text() == "NGMB-DUPONT" and nom.isReadOnly()
    assert par_nom(w, "Commune de naissance", QLineEdit).text() == "BUGARACH"
    remplir_identification(qtbot, w, "12 avenue du Général de Gaulle", "97300", "Cayenne")
    capturer(w, "identification")
    suivant(qtbot, w)

    # 3 - Informations candidature
    choisir(w, "Catégorie du candidat", "SCOLAIRE BACPRO 1 AN (133)")
    assert not par_nom(w, "Vous vous présentez au titre de").isVisible()   # scolaire: no condition
    choisir(w, "Situation à l'inscription", "Élève ou étudiant")
    repondre(w, "Aménagement de la durée de formation", "Non")
    choisir_dans_completer(qtbot, par_nom(w, "Établissement", QLineEdit), "CEVEDOM", CEVEDOM)
    repondre(w, "Demande d'aménagement(s) d'épreuves au titre du handicap", "Non")
    repondre(w, "J'accepte la communication de mes résultats d'examen, en vue d'une publication par la "
                "presse ou sur les sites internet de sociétés de droit privé", "Non")
    repondre(w, "J'accepte la communication de mes résultats, de mon nom et de mon adresse aux "
                "collectivités territoriales en vue d'éventuelles félicitations", "Oui")
    suivant(qtbot, w)

    # 4 - Qualification présentée
    choisir_dans_combo(qtbot, par_nom(w, "Spécialité", QComboBox), "aero", AERONAUTIQUE)
    assert par_nom(w, "Forme de passage", QComboBox).currentText() == "Globale"
    assert not par_nom(w, "Forme de passage finale", QComboBox).isEnabled()
    suivant(qtbot, w)

    # 5 - Acquis: a BTS gives the guide's five dispenses, ticked.
    cocher(qtbot, w, AUTRE_DIPLOME)
    cocher(qtbot, w, BTS)
    saisir(qtbot, w, "Année", "2022")
    choisir(w, "Académie", "Aix-Marseille")
    qtbot.waitUntil(lambda: all(par_nom(w, d, QCheckBox).isVisible() for d in DISPENSES))
    assert all(par_nom(w, d, QCheckBox).isChecked() for d in DISPENSES)
    capturer(w, "acquis", en_bas=True)
    suivant(qtbot, w)

    # 6 - Épreuves: EF1 in English, EF2 in Latvia.
    assert not par_nom(w, "Aucun choix d'épreuve").isVisible()
    assert not par_nom(w, "Langue", QComboBox).isEnabled()
    cocher(qtbot, w, "Inscrit à l'épreuve EF1")
    choisir(w, "Langue", "Anglais")
    cocher(qtbot, w, "Inscrit à l'épreuve EF2")
    choisir_dans_combo(qtbot, par_nom(w, "Pays de destination", QComboBox), "letto", "Lettonie")
    qtbot.waitUntil(lambda: par_nom(w, "Position de l'épreuve EF1", QLabel).text()
                    == "Inscrit – Mode d'évaluation : Ponctuel")
    capturer(w, "epreuves", en_bas=True)
    suivant(qtbot, w)

    # 7 - Récapitulatif: nothing saved yet; Enregistrer is available from here.
    assert "pas encore enregistrée" in par_nom(w, "Attention", QLabel).text()
    recap = par_nom(w, "Récapitulatif", QTextBrowser).toPlainText()
    for attendu in ("E1-A - Mathématiques", "EF1 - Langue vivante facultative - Anglais", "Lettonie",
                    "Session normale 2nd groupe", "ECT - Épreuve de contrôle", CEVEDOM,
                    "BTS DUT DEUG LICENCE Toutes spécialités (depuis 1900)", "06 23 45 67 89"):
        assert attendu in recap, attendu
    assert bouton(w, "Enregistrer").isEnabled()
    assert nombre(accueil, Candidature) == 0

    # The draft récapitulatif can be previewed before saving.
    cliquer(qtbot, w, "Visualiser/imprimer")
    qtbot.waitUntil(lambda: isinstance(w.apercu, ApercuPdf) and w.apercu.isVisible())
    assert "brouillon" in w.apercu.windowTitle()
    assert w.apercu.nombre_pages() >= 1
    w.apercu.close()
    suivant(qtbot, w)

    # 8 - Conditions, then Enregistrer.
    assert not bouton(w, "Suivant").isEnabled()
    cocher(qtbot, w, CONDITIONS)
    with qtbot.waitSignal(w.enregistre) as signal:
        cliquer(qtbot, w, "Enregistrer")
    assert signal.args[0].numero_inscription == "001"

    # 9 - N° Inscription
    assert w.currentId() == regles.NUMERO
    texte = par_nom(w, "Numéro d'inscription", QLabel).text()
    for attendu in ("Votre inscription a bien été prise en compte le 10/11/2024 à 11:00.",
                    "Votre numéro d'inscription : <b>001</b>",
                    "fermeture du service fixée le : 03/12/2024 à 17:00", "Le récapitulatif de votre candidature",
                    "Tel : 04 42 91 72 87"):
        assert attendu in texte, attendu
    assert not bouton(w, "Précédent").isEnabled() and not bouton(w, "Enregistrer").isEnabled()
    capturer(w, "numero")
    c = candidature(accueil)
    assert (c.etat, c.version, c.numero_inscription) == (EtatCandidature.INSCRIT, 1, "001")
    assert (c.adresse_voie, c.code_postal, c.localite, c.telephone_mobile) == (
        "12 avenue du Général de Gaulle", "97300", "Cayenne", "0623456789")
    lignes = {e.code: e for e in c.epreuves}
    assert lignes["EF1"].detail == "Anglais" and lignes["EF2"].detail == "Lettonie"
    assert lignes["E4"].position == "Dispense"
    assert nombre(accueil, DocumentVersion) == 2      # récapitulatif and demande de pièces

    # After saving, Visualiser/imprimer shows the published version.
    cliquer(qtbot, w, "Visualiser/imprimer")
    qtbot.waitUntil(lambda: isinstance(w.apercu, ApercuPdf) and w.apercu.isVisible())
    assert "version n° 1" in w.apercu.windowTitle()
    w.apercu.close()
    cliquer(qtbot, w, "Quitter")            # saved: no question
    qtbot.waitUntil(lambda: not w.isVisible())
    assert not boites_ouvertes()


# --- 2. an individual candidate ----------------------------------------------------------------

def test_candidat_individuel_toutes_epreuves_en_ponctuel(qtbot, accueil):
    w = ouvrir(qtbot, accueil)
    aller_jusqu_a(qtbot, w, regles.IDENTIFICATION)
    remplir_identification(qtbot, w, "12 rue de la République", "13001", "Marseille")
    suivant(qtbot, w)
    choisir(w, "Catégorie du candidat", "INDIVIDUEL")
    condition = par_nom(w, "Vous vous présentez au titre de")
    assert condition.isVisible()
    choisir(w, "Situation à l'inscription", "Salarié")
    repondre(w, "Aménagement de la durée de formation", "Non")
    choisir_dans_completer(qtbot, par_nom(w, "Établissement", QLineEdit), "indiv013", "INDIVIDUELS 013 (INDIV013)")
    for question in ("Demande d'aménagement(s) d'épreuves au titre du handicap",
                     "J'accepte la communication de mes résultats d'examen, en vue d'une publication par la "
                     "presse ou sur les sites internet de sociétés de droit privé",
                     "J'accepte la communication de mes résultats, de mon nom et de mon adresse aux "
                     "collectivités territoriales en vue d'éventuelles félicitations"):
        repondre(w, question, "Non")
    cliquer(qtbot, w, "Suivant")              # the condition d'accès is required for an individual
    assert w.currentId() == regles.INFORMATIONS
    assert erreur(w, "Vous vous présentez au titre de").startswith("Indiquez à quel titre")
    repondre(w, "Vous vous présentez au titre de", regles.CONDITIONS_ACCES["experience"])
    suivant(qtbot, w)
    choisir_dans_combo(qtbot, par_nom(w, "Spécialité", QComboBox), "aero", AERONAUTIQUE)
    aller_jusqu_a(qtbot, w, regles.CONDITIONS)
    cocher(qtbot, w, CONDITIONS)
    with qtbot.waitSignal(w.enregistre):
        cliquer(qtbot, w, "Enregistrer")
    c = candidature(accueil)
    assert (c.categorie_code, c.condition_acces, c.localite) == ("INDIV", "experience", "Marseille")
    inscrites = [e for e in c.epreuves if e.position == "Inscrit" and e.mode]
    assert inscrites and {e.mode for e in inscrites} == {"Ponctuel"}
    assert {e.code for e in c.epreuves if e.nature == "facultative"} == {"EF1", "EF2"}
    assert all(e.position == "Non inscrit" for e in c.epreuves if e.nature == "facultative")


def test_acquis_notes_conservees_et_vae(qtbot, accueil):
    w = ouvrir(qtbot, accueil, saisie_seed(acquis=[], choix=Choix(), conditions_acceptees=False))
    aller_jusqu_a(qtbot, w, regles.ACQUIS)
    assert par_nom(w, "Dispenses et notes conservées").isVisible()
    deja = "Je me suis déjà présenté à ce BACPRO lors d'une session précédente et je n'ai pas obtenu le diplôme"
    cocher(qtbot, w, deja)
    saisir(qtbot, w, "Année", "2023")
    choisir(w, "Académie", "Nice")
    saisir(qtbot, w, "Note E2", "12,5")
    saisir(qtbot, w, "Note E6", "8")
    note = "E2 : Exploitation de la documentation technique : 12,5/20 (2023)"
    qtbot.waitUntil(lambda: par_nom(w, note, QCheckBox).isVisible())
    assert par_nom(w, note, QCheckBox).isChecked()
    cliquer(qtbot, w, "Suivant")        # 8/20 cannot be kept
    assert w.currentId() == regles.ACQUIS
    assert erreur(w, "Notes obtenues") == ("Seules les notes égales ou supérieures à 10/20 peuvent être "
                                           "conservées (E6).")
    par_nom(w, "Note E6", QLineEdit).clear()
    cocher(qtbot, w, note)              # sit E2 again after all
    cocher(qtbot, w, "J'ai des dispenses d'épreuve au titre de la validation des acquis de l'expérience")
    cocher(qtbot, w, "E7 : Éducation physique et sportive (U7)")
    qtbot.waitUntil(lambda: par_nom(w, "E7 : Éducation physique et sportive", QCheckBox).isVisible())
    s = w.saisie_courante()
    assert [(a.code, a.annee, a.academie, a.notes, a.dispenses) for a in s.acquis] == [
        ("MEME_DIPLOME", 2023, "Nice", {"E2": 12.5}, []), ("VAE", None, "", {}, ["E7"])]
    assert s.choix.benefices_refuses == frozenset({"E2"})
    suivant(qtbot, w)
    lignes = {x.code: x for x in w.calculer().lignes}
    assert (lignes["E2"].position, lignes["E7"].position) == ("Inscrit", "Dispense")


def test_option_au_choix_et_report_en_forme_progressive(qtbot, accueil):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BP")
    saisie = saisie_individuel(specialite_id="BP-33608", forme_passage="progressive", forme_finale="progressive",
                               conditions_acceptees=False)
    w = montrer(qtbot, AssistantInscription(accueil, d, saisie))
    aller_jusqu_a(qtbot, w, regles.EPREUVES)
    assert not par_nom(w, "Aucun choix d'épreuve").isVisible()
    cliquer(qtbot, w, "Suivant")
    assert w.currentId() == regles.EPREUVES
    assert erreur(w, "Option présentée") == "Choisissez l'option présentée pour l'épreuve E3."
    choisir(w, "Option présentée", "E3-B : Coupe homme et entretien du système pilo-facial")
    cocher(qtbot, w, "E6 : Expression française et ouverture sur le monde")
    capturer(w, "epreuves-options")
    aller_jusqu_a(qtbot, w, regles.CONDITIONS)
    cocher(qtbot, w, CONDITIONS)
    with qtbot.waitSignal(w.enregistre):
        cliquer(qtbot, w, "Enregistrer")
    positions = {e.code: e.position for e in candidature(accueil).epreuves}
    assert (positions["E3-A"], positions["E3-B"], positions["E6"]) == ("Non inscrit", "Inscrit", "Non inscrit")


def test_aucun_choix_d_epreuve(qtbot, accueil):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "CS")
    w = montrer(qtbot, AssistantInscription(accueil, d, saisie_individuel(specialite_id="CS-25308")))
    aller_jusqu_a(qtbot, w, regles.EPREUVES)
    assert par_nom(w, "Aucun choix d'épreuve", QLabel).isVisible()
    assert par_nom(w, "Aucun choix d'épreuve", QLabel).text() == \
        "Aucun choix d'épreuve n'est à faire : cliquez sur « Suivant »."
    assert not par_nom(w, "Épreuve(s) facultative(s)", QLabel).isVisible()
    suivant(qtbot, w)
