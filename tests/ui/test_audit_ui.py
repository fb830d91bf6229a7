"""Journal d'audit: newest first, filters applied in SQL, the before/after detail of a row,
keyset paging, and who may open it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QLineEdit, QPushButton, QTableView, QTableWidget

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules import comptes as regles
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau import audit
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.personnel import agents as staff
from cyclades_desktop.ui.audit.zone import ZoneAudit

from .helpers import par_nom


def lignes(table: QTableView) -> list[list[str]]:
    m = table.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def entetes(table: QTableView) -> list[str]:
    m = table.model()
    return [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]


def detail(zone) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    t = par_nom(zone, "Valeurs avant et après", QTableWidget)
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]  # type: ignore[misc]


def choisir(zone, nom: str, texte: str) -> None:  # type: ignore[no-untyped-def]
    combo = par_nom(zone, nom, QComboBox)
    index = combo.findText(texte)
    assert index >= 0, f"« {texte} » absent de « {nom} »"
    combo.setCurrentIndex(index)


def selectionner(table: QTableView, row: int) -> None:
    table.setCurrentIndex(table.model().index(row, 0))


@pytest.fixture
def historique(chef: Contexte, creer_agent: Callable[..., Contexte], clock: FixedClock) -> dict[str, int]:
    """A small history, one operation per minute from 11:00 (Paris) on 10/11/2024."""
    ids: dict[str, int] = {}
    clock.advance(minutes=1)
    paul = creer_agent("paul.martin", Role.AGENT)
    assert paul.agent is not None
    ids["paul"] = paul.agent.id
    clock.advance(minutes=1)
    staff.modifier_agent(chef, paul.agent.id, staff.SaisieAgent(
        login="paul.martin", nom="PAUL.MARTIN", prenom="Test", role=Role.GESTIONNAIRE,
        portefeuilles=["MECANIQUE-AERONAUTIQUE"]))
    clock.advance(minutes=1)
    cree = comptes.creer_compte(chef, regles.SaisieCompte(
        sexe="F", nom="Lambert", nom_confirmation="Lambert", prenoms="Julie", date_naissance="06/05/2005",
        date_naissance_confirmation="06/05/2005", pays_naissance="BE", commune_naissance_etranger="Bruxelles",
        email="julie.lambert@mail.fr", email_confirmation="julie.lambert@mail.fr", mot_de_passe="Secret.2024",
        mot_de_passe_confirmation="Secret.2024"))
    ids["compte"] = cree.id
    clock.advance(minutes=1)
    with chef.transaction() as s:  # an operation with a motif, and one this screen has no label for
        audit.enregistrer(s, chef, "correction_identite", "compte", cree.id, libelle="Compte corrigé",
                          avant={"nom": "LAMBERT", "date_naissance": "2005-05-06"},
                          apres={"nom": "LAMBERT-DURAND", "date_naissance": "2005-05-07"},
                          motif="Acte de naissance présenté au guichet")
        audit.enregistrer(s, chef, "import_lot", "lot", "L-7", libelle="Import du lot L-7")
    return ids


def test_journal_du_plus_recent_au_plus_ancien_avec_libelles_francais(historique, fenetre):
    zone = fenetre.aller_a("audit")
    table = par_nom(zone, "Journal", QTableView)
    assert entetes(table) == ["Date et heure (heure de Paris)", "Agent", "Action", "Enregistrement", "Libellé"]
    vues = lignes(table)
    assert [ligne[2] for ligne in vues] == [
        "import_lot", "Correction d'identité", "Création", "Modification", "Création", "Création"]
    assert vues[0][0] == "10/11/2024 11:04:00" and vues[-1][0] == "10/11/2024 11:00:00"
    assert vues[3] == ["10/11/2024 11:02:00", "chef", "Modification",
                       f"Compte du personnel {historique['paul']}", "Compte du personnel paul.martin"]
    assert vues[0][3] == "lot L-7"  # a type this screen does not know is shown as stored
    assert par_nom(zone, "Nombre de lignes", QLabel).text() == "6 opérations."


def test_filtres_texte_type_action_et_dates(qtbot, historique, fenetre):
    zone = fenetre.aller_a("audit")
    table = par_nom(zone, "Journal", QTableView)
    recherche = par_nom(zone, "Rechercher", QLineEdit)
    qtbot.keyClicks(recherche, "paul")
    qtbot.keyClick(recherche, Qt.Key.Key_Return)
    assert [ligne[2] for ligne in lignes(table)] == ["Modification", "Création"]

    par_nom(zone, "Effacer les filtres", QPushButton).click()
    assert recherche.text() == "" and len(lignes(table)) == 6
    types = par_nom(zone, "Type d'enregistrement", QComboBox)
    assert [types.itemText(i) for i in range(types.count())] == [
        "Tous", "Compte du personnel", "Compte candidat", "lot"]
    choisir(zone, "Type d'enregistrement", "Compte candidat")
    assert [ligne[2] for ligne in lignes(table)] == ["Correction d'identité", "Création"]
    assert all(ligne[3] == f"Compte candidat {historique['compte']}" for ligne in lignes(table))

    choisir(zone, "Type d'enregistrement", "Tous")
    choisir(zone, "Action", "Création")
    assert [ligne[3].split()[0] for ligne in lignes(table)] == ["Compte", "Compte", "Compte"]
    assert {ligne[2] for ligne in lignes(table)} == {"Création"}

    choisir(zone, "Action", "Toutes")
    du = par_nom(zone, "Du", QDateEdit)
    au = par_nom(zone, "Au", QDateEdit)
    assert du.text() == "jj/mm/aaaa" and au.text() == "jj/mm/aaaa"  # empty: no bound
    du.setFocus()
    qtbot.keyClicks(du, "11/11/2024")
    assert du.date() == QDate(2024, 11, 11)
    assert lignes(table) == []
    assert par_nom(zone, "Nombre de lignes", QLabel).text() == "Aucune opération ne correspond à ces critères."
    qtbot.keyClicks(au, "09/11/2024")
    assert "postérieure" in par_nom(zone, "Erreur : Au", QLabel).text()
    du.lineEdit().selectAll()
    qtbot.keyClick(du, Qt.Key.Key_Delete)  # back to "no lower bound"
    assert du.text() == "jj/mm/aaaa" and lignes(table) == []
    au.lineEdit().selectAll()
    qtbot.keyClicks(au, "10/11/2024")
    assert len(lignes(table)) == 6 and not par_nom(zone, "Erreur : Au", QLabel).isVisibleTo(zone)


def test_detail_avant_apres_et_motif(historique, fenetre):
    zone = fenetre.aller_a("audit")
    table = par_nom(zone, "Journal", QTableView)
    motif = par_nom(zone, "Motif", QLabel)
    assert detail(zone) == [] and not motif.isVisibleTo(zone)

    selectionner(table, 3)  # the role change
    assert detail(zone) == [
        ("Rôle", "Agent d'accueil", "Gestionnaire"),
        ("Portefeuilles", "(vide)", "Filière mécanique aéronautique métallerie production"),
    ]
    assert "Modification — Compte du personnel" in par_nom(zone, "Résumé de l'opération", QLabel).text()
    assert not motif.isVisibleTo(zone)

    selectionner(table, 1)  # identity correction, recorded with its motif
    assert detail(zone) == [("Nom", "LAMBERT", "LAMBERT-DURAND"),
                            ("Date de naissance", "06/05/2005", "07/05/2005")]
    assert motif.isVisibleTo(zone) and motif.text() == "Motif : Acte de naissance présenté au guichet"

    selectionner(table, 5)  # a creation: nothing before, the stored values after
    creation = dict((champ, (avant, apres)) for champ, avant, apres in detail(zone))
    assert creation["Identifiant"] == ("", "chef") and creation["Rôle"] == ("", "Chef de bureau")
    assert creation["Compte actif"] == ("", "Oui") and creation["Adresse mail"] == ("", "(vide)")


def test_le_journal_est_relu_a_chaque_visite(creer_agent: Callable[..., Contexte], fenetre):
    zone = fenetre.aller_a("audit")
    table = par_nom(zone, "Journal", QTableView)
    assert len(lignes(table)) == 1
    fenetre.aller_a("personnel")
    creer_agent("lea.durand", Role.CHEF)
    fenetre.aller_a("audit")
    assert lignes(table)[0][4] == "Compte du personnel lea.durand"


def test_pages_suivantes_chargees_au_defilement(qtbot, chef: Contexte, creer_agent: Callable[..., Contexte],
                                                clock: FixedClock):
    for i in range(7):
        clock.advance(seconds=1)
        creer_agent(f"agent{i}", Role.AGENT)
    zone = ZoneAudit(chef, taille_page=3)
    qtbot.addWidget(zone)
    table = par_nom(zone, "Journal", QTableView)
    assert len(lignes(table)) == 3
    assert "3 premières opérations" in par_nom(zone, "Nombre de lignes", QLabel).text()
    modele = table.model()
    while modele.canFetchMore(QModelIndex()):
        modele.fetchMore(QModelIndex())
    vues = lignes(table)
    assert [ligne[4] for ligne in vues] == [f"Compte du personnel agent{i}" for i in reversed(range(7))] + [
        "Compte du personnel chef"]
    assert par_nom(zone, "Nombre de lignes", QLabel).text() == "8 opérations."


def test_un_gestionnaire_lit_le_journal_mais_ne_gere_pas_le_personnel(
        qtbot, db_url: str, clock: FixedClock, creer_agent: Callable[..., Contexte]):
    creer_agent("gestion", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    try:
        assert "Journal d'audit" in w.titres_zones()
        assert "Personnel" not in w.titres_zones()
        zone = w.aller_a("audit")
        assert len(lignes(par_nom(zone, "Journal", QTableView))) == 2
    finally:
        w.ctx.db.dispose()


def test_un_agent_d_accueil_n_a_pas_le_journal(qtbot, db_url: str, clock: FixedClock, accueil: Contexte):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    try:
        assert "Journal d'audit" not in w.titres_zones() and "Personnel" not in w.titres_zones()
    finally:
        w.ctx.db.dispose()


def test_date_facultative_au_clavier(qtbot, chef: Contexte):
    zone = ZoneAudit(chef)
    qtbot.addWidget(zone)
    du = zone.du
    du.setFocus()
    qtbot.keyClick(du, Qt.Key.Key_Up)  # from empty, the arrows start at today (Paris)
    assert du.valeur() == date(2024, 11, 10)
    du.lineEdit().selectAll()
    qtbot.keyClick(du, Qt.Key.Key_Backspace)
    assert du.valeur() is None
    qtbot.keyClicks(du, "31/12/2023")  # a 31st is not clamped while the month is still to be typed
    assert du.valeur() == date(2023, 12, 31)
    qtbot.keyClick(du, Qt.Key.Key_Delete)
    assert du.valeur() is None
    qtbot.keyClick(du, Qt.Key.Key_F4)  # the calendar opens from the keyboard, on today
    calendrier = du.calendarWidget()
    assert calendrier.isVisible() and du.valeur() == date(2024, 11, 10)
    qtbot.keyClick(calendrier.focusWidget() or calendrier, Qt.Key.Key_Left)
    qtbot.keyClick(calendrier.focusWidget() or calendrier, Qt.Key.Key_Return)
    assert not calendrier.isVisible() and du.valeur() == date(2024, 11, 9)
