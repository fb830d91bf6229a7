"""Candidats area, driven the way an agent at the counter uses it: by labels, typing and clicks."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QWidget,
)
from sqlalchemy import select

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import Candidature, CompteCandidat, SessionExamen
from cyclades_desktop.rules.comptes import MESSAGE_MOT_DE_PASSE, MESSAGE_SUPPRESSION_REFUSEE, SaisieCompte
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.comptes.candidats import MESSAGE_EMAIL_PRIS, CompteCree
from cyclades_desktop.services.noyau import securite
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import lecture as referentiel
from cyclades_desktop.ui.conflit import DialogueConflit

from .helpers import boites_ouvertes, choisir_dans_combo, choisir_dans_completer, par_nom, taper

MDP = "Guichet.2024"
ROQUETAILLADE = "Roquetaillade (ancienne commune, aujourd'hui Roquetaillade-et-Conilhac)"


# --- helpers -----------------------------------------------------------------------------------


def bouton(racine: QWidget, texte: str) -> QPushButton:
    """A button by its visible text (mnemonic '&' ignored), among those shown."""
    trouves = [b for b in racine.findChildren(QPushButton)
               if b.text().replace("&", "") == texte and b.isVisibleTo(racine)]
    assert trouves, f"aucun bouton « {texte} »"
    return trouves[0]


def boite(qtbot, titre: str) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.windowTitle() == titre for b in boites_ouvertes()))
    return next(b for b in boites_ouvertes() if b.windowTitle() == titre)


def repondre(boite_: QMessageBox, texte: str) -> None:
    next(b for b in boite_.buttons() if b.text().replace("&", "") == texte).click()


def erreur(racine: QWidget, libelle: str) -> str:
    lab = par_nom(racine, f"Erreur : {libelle}", QLabel)
    return lab.text() if lab.isVisibleTo(racine) else ""


def saisir(qtbot, zone: QWidget, valeurs: dict[str, str]) -> None:
    for libelle, valeur in valeurs.items():
        champ = par_nom(zone, libelle, QLineEdit)
        champ.clear()
        taper(qtbot, champ, valeur)


def identite(nom: str = "Lefèvre-Ngmb", prenoms: str = "Élodie Marie", email: str = "elodie.lefevre@exemple.fr",
             date: str = "30/05/1998") -> dict[str, str]:
    return {
        "Nom de famille": nom, "Confirmation du nom de naissance": nom, "Prénoms": prenoms,
        "Date de naissance": date, "Confirmation date de naissance": date,
        "Adresse mail": email, "Confirmation de l'adresse mail": email,
        "Mot de passe": MDP, "Confirmation du mot de passe": MDP,
    }


def remplir_lieu_france(qtbot, zone: QWidget, tape: str = "bug", commune: str = "Bugarach") -> None:
    choisir_dans_combo(qtbot, par_nom(zone, "Pays de naissance", QComboBox), "fran", "France (dont outre-mer)")
    choisir_dans_combo(qtbot, par_nom(zone, "Département, DOM ou COM de naissance", QComboBox), "aude",
                       "011 - AUDE")
    choisir_dans_completer(qtbot, par_nom(zone, "Commune de naissance", QLineEdit), tape, commune)


def nouveau_formulaire(zone: QWidget) -> None:
    bouton(zone, "Nouveau compte").click()
    assert par_nom(zone, "Nom de famille", QLineEdit).isVisible()


def creer_par_service(ctx: Contexte, nom: str, prenoms: str, email: str) -> CompteCree:
    bugarach = referentiel.rechercher_communes(ctx, "11", "Bugarach")[0]
    return comptes.creer_compte(ctx, SaisieCompte(
        sexe="F", nom=nom, nom_confirmation=nom, prenoms=prenoms, date_naissance="12/03/2001",
        date_naissance_confirmation="12/03/2001", pays_naissance="FR", departement_naissance="11",
        commune_naissance=str(bugarach.id), email=email, email_confirmation=email,
        mot_de_passe=MDP, mot_de_passe_confirmation=MDP))


def hash_stocke(ctx: Contexte, compte_id: int) -> str:
    """The stored password hash (the account's read model leaves it out)."""
    with ctx.lecture() as s:
        return s.get_one(CompteCandidat, compte_id).mot_de_passe_hash


def ajouter_candidature(ctx: Contexte, clock: FixedClock, compte_id: int) -> None:
    with ctx.db.session() as s:
        session_id = s.scalar(select(SessionExamen.id).limit(1))
        s.add(Candidature(compte_id=compte_id, session_id=session_id, domaine_code="BCP",
                          numero_inscription="001", cree_le=clock.now()))
        s.commit()


def chercher(qtbot, zone: QWidget, texte: str, lignes: int) -> QTableView:
    champ = par_nom(zone, "Rechercher un compte", QLineEdit)
    champ.clear()
    taper(qtbot, champ, texte)
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    qtbot.waitUntil(lambda: table.model().rowCount() == lignes and zone.modele.texte == texte)
    return table


def cellule(table: QTableView, row: int, colonne: str) -> str:
    m = table.model()
    col = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())].index(colonne)
    return m.index(row, col).data()


def ouvrir_par_recherche(qtbot, zone: QWidget, texte: str) -> None:
    table = chercher(qtbot, zone, texte, 1)
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: par_nom(zone, "N° candidat", QLabel).isVisible())


# --- creation ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("tape", "commune", "lieu"), [
    ("bug", "Bugarach", "BUGARACH (011 - AUDE), France"),
    ("roquet", ROQUETAILLADE, "ROQUETAILLADE (011 - AUDE), France"),   # a former commune
])
def test_creer_un_compte_au_guichet(qtbot, fenetre, tape, commune, lieu):
    zone = fenetre.aller_a("candidats")
    nouveau_formulaire(zone)
    par_nom(zone, "Sexe", QComboBox).setCurrentIndex(par_nom(zone, "Sexe", QComboBox).findText("Madame"))
    saisir(qtbot, zone, identite())
    remplir_lieu_france(qtbot, zone, tape, commune)
    assert not par_nom(zone, "Ville de naissance (à l'étranger)", QLineEdit).isVisible()
    bouton(zone, "Enregistrer").click()

    info = boite(qtbot, "Compte créé")
    numero = re.search(r"N° candidat : (\d{11})", info.text()).group(1)
    assert re.search(r"Code d'activation : \S+", info.text())
    assert "Le compte est en cours de création." in info.text()
    assert "avant le 12/11/2024 11:00 (heure de Paris)" in info.text()
    assert "48 heures" in info.text()
    info.accept()

    # The new account's detail is open.
    assert par_nom(zone, "N° candidat", QLabel).text() == numero
    assert par_nom(zone, "État", QLabel).text().startswith("En attente d'activation")
    assert par_nom(zone, "Nom de famille", QLabel).text() == "LEFÈVRE-NGMB"
    assert par_nom(zone, "Lieu de naissance", QLabel).text() == lieu
    messages = par_nom(zone, "Messages du candidat")
    assert messages.item(0, 1).text() == "[CYCLADES] Activer mon compte"
    assert messages.item(0, 0).text() == "10/11/2024 11:00"
    messages.selectRow(0)
    assert "Votre code d'activation" in par_nom(zone, "Contenu du message").toPlainText()

    bouton(zone, "← Retour à la liste").click()
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    assert table.isVisible()
    assert cellule(table, 0, "N° candidat") == numero
    assert cellule(table, 0, "Prénoms") == "Élodie Marie"
    assert cellule(table, 0, "État") == "En attente d'activation"


def test_ne_en_pays_etranger(qtbot, fenetre, chef):
    zone = fenetre.aller_a("candidats")
    nouveau_formulaire(zone)
    par_nom(zone, "Sexe", QComboBox).setCurrentIndex(1)
    saisir(qtbot, zone, identite(nom="Smith", prenoms="John", email="john.smith@exemple.fr"))
    choisir_dans_combo(qtbot, par_nom(zone, "Pays de naissance", QComboBox), "royaume",
                       "Royaume-Uni")
    ville = par_nom(zone, "Ville de naissance (à l'étranger)", QLineEdit)
    assert ville.isVisible()
    assert not par_nom(zone, "Département, DOM ou COM de naissance", QComboBox).isVisible()
    bouton(zone, "Enregistrer").click()
    assert erreur(zone, "Ville de naissance (à l'étranger)") == "Indiquez la ville de naissance."
    assert comptes.compter(chef) == 0
    taper(qtbot, ville, "Londres")
    bouton(zone, "Enregistrer").click()
    boite(qtbot, "Compte créé").accept()
    assert par_nom(zone, "Lieu de naissance", QLabel).text() == "LONDRES (Royaume-Uni)"


def test_saisie_incorrecte_message_sous_le_champ_rien_n_est_cree(qtbot, fenetre, chef):
    creer_par_service(chef, "Dupont", "Jeanne", "Jeanne.Dupont@Exemple.fr")
    zone = fenetre.aller_a("candidats")
    nouveau_formulaire(zone)
    par_nom(zone, "Sexe", QComboBox).setCurrentIndex(0)
    valeurs = identite()
    valeurs["Confirmation du nom de naissance"] = "Lefebvre-Ngmb"
    valeurs["Date de naissance"] = valeurs["Confirmation date de naissance"] = "01/01/2030"
    valeurs["Mot de passe"] = valeurs["Confirmation du mot de passe"] = "motdepasse"
    saisir(qtbot, zone, valeurs)
    champ_commune = par_nom(zone, "Commune de naissance", QLineEdit)
    choisir_dans_combo(qtbot, par_nom(zone, "Département, DOM ou COM de naissance", QComboBox), "011",
                       "011 - AUDE")
    taper(qtbot, champ_commune, "Bugarach")    # typed, never chosen in the list
    bouton(zone, "Enregistrer").click()

    assert erreur(zone, "Confirmation du nom de naissance") == \
        "La confirmation ne correspond pas : nom de naissance."
    assert erreur(zone, "Date de naissance") == "La date de naissance ne peut pas être dans le futur."
    assert erreur(zone, "Mot de passe") == MESSAGE_MOT_DE_PASSE
    assert erreur(zone, "Commune de naissance") == "Choisissez la commune de naissance dans la liste."
    assert erreur(zone, "Adresse mail") == ""
    assert par_nom(zone, "Message du formulaire", QLabel).text().startswith("Certains champs sont incorrects")
    # What was typed is still there.
    assert par_nom(zone, "Confirmation du nom de naissance", QLineEdit).text() == "Lefebvre-Ngmb"
    assert par_nom(zone, "Date de naissance", QLineEdit).text() == "01/01/2030"
    assert par_nom(zone, "Mot de passe", QLineEdit).text() == "motdepasse"
    assert champ_commune.text() == "Bugarach"
    assert comptes.compter(chef) == 1

    # Corrected, but the e-mail already identifies another account (whatever its case).
    saisir(qtbot, zone, {"Confirmation du nom de naissance": "Lefèvre-Ngmb", "Date de naissance": "30/05/1998",
                         "Confirmation date de naissance": "30/05/1998", "Mot de passe": MDP,
                         "Confirmation du mot de passe": MDP, "Adresse mail": "jeanne.dupont@exemple.FR",
                         "Confirmation de l'adresse mail": "jeanne.dupont@exemple.FR"})
    champ_commune.clear()
    choisir_dans_completer(qtbot, champ_commune, "buga", "Bugarach")
    bouton(zone, "Enregistrer").click()
    assert erreur(zone, "Adresse mail") == MESSAGE_EMAIL_PRIS
    assert erreur(zone, "Mot de passe") == ""
    assert par_nom(zone, "Adresse mail", QLineEdit).text() == "jeanne.dupont@exemple.FR"
    assert comptes.compter(chef) == 1
    assert not [b for b in boites_ouvertes() if b.windowTitle() == "Compte créé"]


def test_mot_de_passe_visible_a_la_demande(qtbot, fenetre):
    zone = fenetre.aller_a("candidats")
    nouveau_formulaire(zone)
    champ = par_nom(zone, "Mot de passe", QLineEdit)
    assert champ.echoMode() == QLineEdit.EchoMode.Password
    voir = next(a for a in champ.actions() if a.text() == "Afficher le mot de passe")
    voir.trigger()
    assert champ.echoMode() == QLineEdit.EchoMode.Normal
    assert voir.text() == "Masquer le mot de passe"
    voir.trigger()
    assert champ.echoMode() == QLineEdit.EchoMode.Password


# --- list and search ---------------------------------------------------------------------------

def test_recherche_pendant_la_frappe(qtbot, fenetre, chef):
    cree = creer_par_service(chef, "Lefèvre", "Élodie", "elodie.lefevre@exemple.fr")
    creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    creer_par_service(chef, "Lefort", "Paul", "paul.lefort@exemple.fr")
    zone = fenetre.aller_a("candidats")
    zone.lancer()
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    assert table.model().rowCount() == 3
    assert par_nom(zone, "Nombre de comptes", QLabel).text() == "3 comptes candidats."

    table = chercher(qtbot, zone, "lefe", 1)          # no accent, lower case, a prefix
    assert cellule(table, 0, "Nom") == "LEFÈVRE"
    assert cellule(table, 0, "Né(e) le") == "12/03/2001"
    assert par_nom(zone, "Nombre de comptes", QLabel).text() == "1 compte trouvé pour « lefe »."
    chercher(qtbot, zone, "lef", 2)
    table = chercher(qtbot, zone, cree.numero_candidat, 1)
    assert cellule(table, 0, "Adresse mail") == "elodie.lefevre@exemple.fr"
    chercher(qtbot, zone, "LEA.MARTIN@", 1)
    chercher(qtbot, zone, "zzz", 0)
    assert par_nom(zone, "Nombre de comptes", QLabel).text() == "Aucun compte ne correspond à « zzz »."

    # Double-click opens the account.
    table = chercher(qtbot, zone, "lefe", 1)
    rect = table.visualRect(table.model().index(0, 1))
    # A real double-click starts with a press: QTest's mouseDClick alone only sends the second one.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: par_nom(zone, "N° candidat", QLabel).isVisible())
    assert par_nom(zone, "N° candidat", QLabel).text() == cree.numero_candidat


def test_liste_par_pages(qtbot, fenetre, chef):
    for i, nom in enumerate(("Abel", "Bernard", "Caron", "Durand", "Etienne")):
        creer_par_service(chef, nom, "Test", f"t{i}@exemple.fr")
    zone = fenetre.aller_a("candidats")
    zone.modele.taille_page = 2
    zone.lancer()
    modele = zone.modele
    assert modele.rowCount() == 2 and modele.canFetchMore()
    assert "faites défiler" in par_nom(zone, "Nombre de comptes", QLabel).text()
    while modele.canFetchMore():
        modele.fetchMore()
    noms = [modele.index(r, 1).data() for r in range(modele.rowCount())]
    assert noms == ["ABEL", "BERNARD", "CARON", "DURAND", "ETIENNE"]
    assert par_nom(zone, "Nombre de comptes", QLabel).text() == "5 comptes candidats."


def test_recherche_globale_de_la_fenetre(qtbot, fenetre, chef):
    cree = creer_par_service(chef, "Lefèvre", "Élodie", "elodie.lefevre@exemple.fr")
    creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    fenetre.aller_a("referentiel")
    taper(qtbot, fenetre.recherche, cree.numero_candidat)
    qtbot.keyClick(fenetre.recherche, Qt.Key.Key_Return)
    zone = fenetre.zones["candidats"]
    assert fenetre.contenu.currentWidget() is zone
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    assert table.model().rowCount() == 1
    assert par_nom(zone, "Rechercher un compte", QLineEdit).text() == cree.numero_candidat
    assert table.hasFocus() and table.selectionModel().hasSelection()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: par_nom(zone, "N° candidat", QLabel).isVisible())
    assert par_nom(zone, "N° candidat", QLabel).text() == cree.numero_candidat


# --- the account's detail ------------------------------------------------------------------------

def test_activation_code_faux_puis_juste(qtbot, fenetre, chef):
    cree = creer_par_service(chef, "Lefèvre", "Élodie", "elodie.lefevre@exemple.fr")
    zone = fenetre.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "lefevre")
    code = par_nom(zone, "Code d'activation", QLineEdit)
    taper(qtbot, code, "FAUX-CODE")
    bouton(zone, "Activer le compte").click()
    assert erreur(zone, "Code d'activation") == "Code d'activation incorrect."
    assert code.text() == "FAUX-CODE"
    assert par_nom(zone, "État", QLabel).text().startswith("En attente d'activation")

    code.clear()
    taper(qtbot, code, cree.code_activation)
    qtbot.keyClick(code, Qt.Key.Key_Return)
    assert par_nom(zone, "État", QLabel).text() == "Actif depuis le 10/11/2024 11:00 (heure de Paris)"
    assert not code.isVisible()
    assert par_nom(zone, "Résultat de l'action", QLabel).text().startswith("Le compte est activé")
    bouton(zone, "← Retour à la liste").click()
    assert cellule(par_nom(zone, "Liste des comptes candidats", QTableView), 0, "État") == "Actif"


def test_suppression_refusee_quand_une_candidature_existe(qtbot, fenetre, chef, clock):
    garde = creer_par_service(chef, "Lefèvre", "Élodie", "elodie.lefevre@exemple.fr")
    ajouter_candidature(chef, clock, garde.id)
    zone = fenetre.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "lefevre")
    assert par_nom(zone, "Candidatures", QLabel).text().startswith("Au moins une candidature")
    bouton(zone, "Supprimer le compte").click()
    repondre(boite(qtbot, "Supprimer le compte"), "Supprimer")
    refus = boite(qtbot, "Suppression impossible")
    assert refus.text() == MESSAGE_SUPPRESSION_REFUSEE
    refus.accept()
    assert comptes.obtenir(chef, garde.id).numero_candidat == garde.numero_candidat
    assert par_nom(zone, "N° candidat", QLabel).isVisible()


def test_suppression_confirmee(qtbot, fenetre, chef):
    cree = creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    zone = fenetre.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "martin")
    bouton(zone, "Supprimer le compte").click()
    repondre(boite(qtbot, "Supprimer le compte"), "Conserver")    # changing one's mind keeps it
    assert comptes.compter(chef) == 1
    bouton(zone, "Supprimer le compte").click()
    repondre(boite(qtbot, "Supprimer le compte"), "Supprimer")
    assert par_nom(zone, "Message de la liste", QLabel).text() == \
        f"Le compte N° {cree.numero_candidat} a été supprimé."
    assert par_nom(zone, "Liste des comptes candidats", QTableView).model().rowCount() == 0
    assert comptes.compter(chef) == 0


def test_reinitialiser_le_mot_de_passe(qtbot, fenetre, chef):
    creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    zone = fenetre.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "martin")
    bouton(zone, "Réinitialiser le mot de passe").click()
    repondre(boite(qtbot, "Réinitialiser le mot de passe"), "Réinitialiser")
    info = boite(qtbot, "Mot de passe provisoire")
    provisoire = info.text().split("\n\n")[1]
    info.accept()
    stocke = hash_stocke(chef, comptes.rechercher(chef, "martin")[0].id)
    assert securite.verifier(stocke, provisoire)
    assert not securite.verifier(stocke, MDP)
    messages = par_nom(zone, "Messages du candidat")
    assert messages.item(0, 1).text() == "[CYCLADES] Réinitialisation de votre mot de passe"


# --- modification --------------------------------------------------------------------------------

def test_agent_d_accueil_identite_verrouillee_apres_candidature(qtbot, db_url, clock, chef, accueil):
    cree = creer_par_service(chef, "Lefèvre", "Élodie", "elodie.lefevre@exemple.fr")
    ajouter_candidature(chef, clock, cree.id)
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    w.show()
    zone = w.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "lefevre")
    bouton(zone, "Modifier").click()
    assert par_nom(zone, "Nom de famille", QLineEdit).isReadOnly()
    assert par_nom(zone, "Prénoms", QLineEdit).isReadOnly()
    assert par_nom(zone, "Date de naissance", QLineEdit).isReadOnly()
    assert not par_nom(zone, "Sexe", QComboBox).isEnabled()
    assert not par_nom(zone, "Pays de naissance", QComboBox).isEnabled()
    assert par_nom(zone, "Commune de naissance", QLineEdit).isReadOnly()
    assert par_nom(zone, "Information sur la modification", QLabel).text() == comptes.MESSAGE_VERROU
    assert not par_nom(zone, "Adresse mail", QLineEdit).isReadOnly()
    assert not par_nom(zone, "Motif de la correction", QLineEdit).isVisible()
    saisir(qtbot, zone, {"Adresse mail": "e.lefevre@exemple.fr",
                         "Confirmation de l'adresse mail": "e.lefevre@exemple.fr"})
    bouton(zone, "Enregistrer").click()
    assert par_nom(zone, "Adresse mail", QLabel).text() == "e.lefevre@exemple.fr"
    assert par_nom(zone, "Résultat de l'action", QLabel).text() == "Modifications enregistrées."
    w.ctx.db.dispose()


def test_gestionnaire_corrige_l_identite_avec_un_motif(qtbot, db_url, clock, chef, gestionnaire):
    cree = creer_par_service(chef, "Lefèvre", "Élodie", "elodie.lefevre@exemple.fr")
    ajouter_candidature(chef, clock, cree.id)
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    w.show()
    zone = w.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "lefevre")
    bouton(zone, "Modifier").click()
    assert not par_nom(zone, "Prénoms", QLineEdit).isReadOnly()
    motif = par_nom(zone, "Motif de la correction", QLineEdit)
    assert motif.isVisible()
    saisir(qtbot, zone, {"Prénoms": "Élodie Anne"})
    bouton(zone, "Enregistrer").click()
    assert erreur(zone, "Motif de la correction") == "Indiquez le motif de la correction d'identité."
    assert par_nom(zone, "Prénoms", QLineEdit).text() == "Élodie Anne"
    assert comptes.obtenir(chef, cree.id).prenoms == "Élodie"
    taper(qtbot, motif, "Erreur de saisie, pièce d'identité vérifiée")
    bouton(zone, "Enregistrer").click()
    assert par_nom(zone, "Prénoms", QLabel).text() == "Élodie Anne"
    w.ctx.db.dispose()


def test_modification_concurrente_rechargee(qtbot, fenetre, chef):
    cree = creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    zone = fenetre.aller_a("candidats")
    ouvrir_par_recherche(qtbot, zone, "martin")
    bouton(zone, "Modifier").click()
    assert par_nom(zone, "Mot de passe", QLineEdit).text() == ""      # empty: password unchanged
    # Meanwhile another workstation changes the e-mail.
    compte = comptes.obtenir(chef, cree.id)
    autre = comptes.saisie_depuis_compte(compte, comptes.commune_du_compte(chef, compte).id)
    autre.email = autre.email_confirmation = "lea.martin@autre.fr"
    comptes.modifier_compte(chef, cree.id, autre, row_version=compte.row_version)

    saisir(qtbot, zone, {"Nom d'usage": "Durand"})
    bouton(zone, "Enregistrer").click()
    # « Modifié sur un autre poste »: who, when, and what the other workstation changed.
    qtbot.waitUntil(lambda: zone.findChild(DialogueConflit) is not None
                    and zone.findChild(DialogueConflit).isVisible())
    dialogue = zone.findChild(DialogueConflit)
    assert dialogue.windowTitle() == "Modifié sur un autre poste"
    explication = par_nom(dialogue, "Explication", QLabel).text()
    assert "par Carole DANO (chef) le 10/11/2024 11:00 (heure de Paris)" in explication
    table = par_nom(dialogue, "Modifications faites sur l'autre poste", QTableWidget)
    assert [[table.item(0, c).text() for c in range(4)]] == [
        ["Adresse mail", "lea.martin@exemple.fr", "lea.martin@autre.fr", "lea.martin@exemple.fr"]]
    assert par_nom(zone, "Nom d'usage", QLineEdit).text() == "Durand"     # the input is kept meanwhile
    par_nom(dialogue, "Recharger et réappliquer mes modifications", QPushButton).click()
    # The fresh account with the user's change on top, for review: nothing saved yet.
    assert par_nom(zone, "Adresse mail", QLineEdit).text() == "lea.martin@autre.fr"
    assert par_nom(zone, "Nom d'usage", QLineEdit).text() == "Durand"
    assert comptes.obtenir(chef, cree.id).nom_usage is None
    bouton(zone, "Enregistrer").click()
    assert par_nom(zone, "Nom d'usage", QLabel).text() == "DURAND"
    # Password fields left empty: the candidate's password did not change.
    assert securite.verifier(hash_stocke(chef, cree.id), MDP)


def test_parcours_au_clavier(qtbot, fenetre, chef):
    creer_par_service(chef, "Martin", "Léa", "lea.martin@exemple.fr")
    zone = fenetre.aller_a("candidats")
    fenetre.activateWindow()
    qtbot.waitUntil(lambda: fenetre.isActiveWindow())
    recherche = par_nom(zone, "Rechercher un compte", QLineEdit)
    recherche.setFocus()
    assert not bouton(zone, "Ouvrir").isEnabled()
    qtbot.keyClick(recherche, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)     # Ctrl+N: new account
    assert par_nom(zone, "Nom de famille", QLineEdit).isVisible()
    qtbot.keyClick(par_nom(zone, "Nom de famille", QLineEdit), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(recherche.isVisible)       # Alt+N: Annuler (a mnemonic animates the click)
    taper(qtbot, recherche, "mar")
    qtbot.keyClick(recherche, Qt.Key.Key_Return)            # Enter: search now, go to the first row
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    assert table.hasFocus() and bouton(zone, "Ouvrir").isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert par_nom(zone, "N° candidat", QLabel).isVisible()
    qtbot.keyClick(par_nom(zone, "Code d'activation", QLineEdit), Qt.Key.Key_Escape)   # Échap: back
    assert table.isVisible()
    # Ctrl+N belongs to this area only.
    fenetre.aller_a("referentiel")
    qtbot.keyClick(fenetre.recherche, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert zone.pile.currentWidget() is zone.page_liste
