"""Personnel zone: the chef de bureau creates and modifies staff accounts through the form,
found by accessible names as a user or a screen reader would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListWidget, QPushButton, QTableView

from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.personnel import agents as staff
from tests.conftest import MOT_DE_PASSE_AGENT

from .helpers import boites_ouvertes, par_nom

MECANIQUE = "Filière mécanique aéronautique métallerie production"
ELECTRICITE = "Filière électricité chimie métiers de la mode maintenance industrielle"


def lignes(table: QTableView) -> list[list[str]]:
    m = table.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def entetes(table: QTableView) -> list[str]:
    m = table.model()
    return [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]


def ligne_de(table: QTableView, login: str) -> list[str]:
    return next(ligne for ligne in lignes(table) if ligne[0] == login)


def erreur(zone, libelle: str) -> str:  # type: ignore[no-untyped-def]
    label = par_nom(zone, f"Erreur : {libelle}", QLabel)
    return label.text() if label.isVisibleTo(zone) else ""


def saisir(zone, libelle: str, texte: str) -> None:  # type: ignore[no-untyped-def]
    champ = par_nom(zone, libelle, QLineEdit)
    champ.clear()
    champ.insert(texte)


def choisir_role(zone, libelle: str) -> None:  # type: ignore[no-untyped-def]
    combo = par_nom(zone, "Rôle", QComboBox)
    combo.setCurrentIndex(combo.findText(libelle))


def cocher(qtbot, zone, *libelles: str) -> None:  # type: ignore[no-untyped-def]
    """Check portfolios the keyboard way: move to the item, press Espace."""
    liste = par_nom(zone, "Portefeuilles", QListWidget)
    for libelle in libelles:
        (item,) = liste.findItems(libelle, Qt.MatchFlag.MatchExactly)
        liste.setCurrentItem(item)
        qtbot.keyClick(liste.viewport(), Qt.Key.Key_Space)
        assert item.checkState() == Qt.CheckState.Checked


def selectionner(zone, login: str) -> None:  # type: ignore[no-untyped-def]
    table = par_nom(zone, "Comptes du personnel", QTableView)
    row = [ligne[0] for ligne in lignes(table)].index(login)
    table.setCurrentIndex(table.model().index(row, 0))


def test_le_chef_cree_un_gestionnaire_avec_deux_portefeuilles(qtbot, fenetre):
    zone = fenetre.aller_a("personnel")
    table = par_nom(zone, "Comptes du personnel", QTableView)
    assert entetes(table) == ["Identifiant", "Nom", "Prénom", "Rôle", "Portefeuilles", "Actif",
                              "Dernière connexion (heure de Paris)"]
    assert [ligne[0] for ligne in lignes(table)] == ["chef"]

    par_nom(zone, "Nouveau", QPushButton).click()
    saisir(zone, "Identifiant", "Marie.Curie")
    saisir(zone, "Nom", "Curie")
    saisir(zone, "Prénom", "marie")
    saisir(zone, "Adresse mail", "marie.curie@ac-exemple.fr")
    saisir(zone, "Téléphone", "05 90 21 00 00")
    portefeuilles = par_nom(zone, "Portefeuilles", QListWidget)
    assert not portefeuilles.isEnabled()  # an agent d'accueil has no portfolio
    choisir_role(zone, "Gestionnaire")
    assert portefeuilles.isEnabled()
    cocher(qtbot, zone, MECANIQUE, ELECTRICITE)
    assert par_nom(zone, "Compte actif", QCheckBox).isChecked()
    saisir(zone, "Mot de passe", MOT_DE_PASSE_AGENT)
    saisir(zone, "Confirmation du mot de passe", MOT_DE_PASSE_AGENT)
    par_nom(zone, "Enregistrer", QPushButton).click()

    assert boites_ouvertes() == []
    assert par_nom(zone, "Message", QLabel).text() == "Compte « marie.curie » créé."
    ligne = ligne_de(table, "marie.curie")
    assert ligne[1:4] == ["CURIE", "Marie", "Gestionnaire"]
    assert "mécanique aéronautique" in ligne[4] and "électricité chimie" in ligne[4]
    assert ligne[5:] == ["Oui", "Jamais"]
    # The form now shows the stored account, ready for a modification.
    assert par_nom(zone, "Nom", QLineEdit).text() == "CURIE"
    assert par_nom(zone, "Mot de passe", QLineEdit).text() == ""
    connecte = staff.connecter(fenetre.ctx.avec_agent(None), "marie.curie", MOT_DE_PASSE_AGENT)
    assert set(connecte.portefeuilles) == {"MECANIQUE-AERONAUTIQUE", "ELECTRICITE-MODE-MAINTENANCE"}


def test_mot_de_passe_faible_puis_identifiant_pris_signales_sous_les_champs(fenetre):
    zone = fenetre.aller_a("personnel")
    table = par_nom(zone, "Comptes du personnel", QTableView)
    par_nom(zone, "Nouveau", QPushButton).click()
    saisir(zone, "Identifiant", "chef")
    saisir(zone, "Nom", "Dupont")
    saisir(zone, "Prénom", "Jean")
    saisir(zone, "Mot de passe", "court")
    saisir(zone, "Confirmation du mot de passe", "court")
    par_nom(zone, "Enregistrer", QPushButton).click()
    assert "10 à 64 caractères" in erreur(zone, "Mot de passe")
    assert erreur(zone, "Identifiant") == ""
    assert par_nom(zone, "Identifiant", QLineEdit).text() == "chef"  # what was typed stays
    assert par_nom(zone, "Mot de passe", QLineEdit).text() == "court"
    assert len(lignes(table)) == 1

    saisir(zone, "Mot de passe", MOT_DE_PASSE_AGENT)
    saisir(zone, "Confirmation du mot de passe", MOT_DE_PASSE_AGENT)
    par_nom(zone, "Enregistrer", QPushButton).click()
    assert erreur(zone, "Identifiant") == "Cet identifiant est déjà utilisé."
    assert erreur(zone, "Mot de passe") == ""
    assert par_nom(zone, "Nom", QLineEdit).text() == "Dupont"
    assert len(lignes(table)) == 1 and ligne_de(table, "chef")[1] == "DANO"  # nothing created nor changed
    assert boites_ouvertes() == []


def test_confirmation_differente_signalee_sous_la_confirmation(fenetre):
    zone = fenetre.aller_a("personnel")
    saisir(zone, "Identifiant", "paul.martin")
    saisir(zone, "Nom", "Martin")
    saisir(zone, "Prénom", "Paul")
    saisir(zone, "Mot de passe", MOT_DE_PASSE_AGENT)
    saisir(zone, "Confirmation du mot de passe", "Bureau-DEC-2025")
    par_nom(zone, "Enregistrer", QPushButton).click()
    assert erreur(zone, "Confirmation du mot de passe").startswith("La confirmation ne correspond pas")
    assert len(staff.lister_agents(fenetre.ctx)) == 1


def test_modifier_le_role_est_enregistre_et_audite(qtbot, creer_agent: Callable[..., Contexte], fenetre):
    creer_agent("paul.martin", Role.AGENT)
    zone = fenetre.aller_a("personnel")  # the list is read again when the zone is shown
    table = par_nom(zone, "Comptes du personnel", QTableView)
    selectionner(zone, "paul.martin")
    assert par_nom(zone, "Identifiant", QLineEdit).text() == "paul.martin"
    assert par_nom(zone, "Rôle", QComboBox).currentText() == "Agent d'accueil"
    choisir_role(zone, "Gestionnaire")
    cocher(qtbot, zone, MECANIQUE)
    # Empty password fields on a modification keep the current password.
    par_nom(zone, "Enregistrer", QPushButton).click()
    assert par_nom(zone, "Message", QLabel).text() == "Compte « paul.martin » enregistré."
    assert ligne_de(table, "paul.martin")[3:5] == ["Gestionnaire", "mécanique aéronautique métallerie production"]
    assert staff.connecter(fenetre.ctx.avec_agent(None), "paul.martin", MOT_DE_PASSE_AGENT).role == "gestionnaire"

    journal = fenetre.aller_a("audit")
    table_audit = par_nom(journal, "Journal", QTableView)
    premiere = lignes(table_audit)[1]  # [0] is paul.martin's sign-in just above
    assert premiere[1:] == ["chef", "Modification", f"Compte du personnel {ligne_id(zone, 'paul.martin')}",
                            "Compte du personnel paul.martin"]


def ligne_id(zone, login: str) -> int:  # type: ignore[no-untyped-def]
    return next(a.id for a in zone.modele.agents if a.login == login)


def test_le_chef_ne_peut_pas_retirer_son_propre_role(fenetre):
    zone = fenetre.aller_a("personnel")
    selectionner(zone, "chef")
    choisir_role(zone, "Agent d'accueil")
    par_nom(zone, "Enregistrer", QPushButton).click()
    assert erreur(zone, "Rôle") == "Vous ne pouvez pas retirer votre propre rôle de chef de bureau."
    assert par_nom(zone, "Rôle", QComboBox).currentText() == "Agent d'accueil"  # the choice stays on screen
    assert ligne_de(par_nom(zone, "Comptes du personnel", QTableView), "chef")[3] == "Chef de bureau"


def test_desactiver_un_compte_au_clavier(qtbot, creer_agent: Callable[..., Contexte], fenetre):
    creer_agent("paul.martin", Role.AGENT)
    zone = fenetre.aller_a("personnel")
    fenetre.activateWindow()
    qtbot.waitActive(fenetre)  # shortcuts only reach the active window
    selectionner(zone, "paul.martin")
    actif = par_nom(zone, "Compte actif", QCheckBox)
    actif.setFocus()
    qtbot.keyClick(actif, Qt.Key.Key_Space)
    assert not actif.isChecked()
    qtbot.keyClick(actif, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S: Enregistrer
    assert ligne_de(par_nom(zone, "Comptes du personnel", QTableView), "paul.martin")[5] == "Non"
    # « Nouveau » (Alt+N) empties the form for a creation. A button answers its mnemonic with an
    # animated click (Qt's own short timer), hence waiting for the outcome rather than a delay.
    table = par_nom(zone, "Comptes du personnel", QTableView)
    qtbot.keyClick(table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: par_nom(zone, "Identifiant", QLineEdit).text() == "", timeout=2000)
    assert par_nom(zone, "Identifiant", QLineEdit).hasFocus()
    assert not table.selectionModel().hasSelection()
