"""The « Organisation des examens » zone driven by accessible names: a centre and its room, a
timetable entry refused then accepted, the automatic assignment with a full room, a refused move,
the clashes tab; and the gestionnaire's read-only view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.organisation import centres as org
from cyclades_desktop.services.organisation import planning
from tests.fabriques import compte_actif, saisie_individuel, session_id

from .helpers import boites_ouvertes, capturer, choisir_dans_completer, par_nom, taper


@pytest.fixture(autouse=True)
def taches_synchrones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


def dialogue(nom: str) -> QDialog:
    trouves = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible() and w.accessibleName().startswith(nom)]
    assert trouves, f"aucune fenêtre « {nom} » ouverte"
    return trouves[-1]


def cliquer(racine: QWidget, nom: str) -> None:
    b = par_nom(racine, nom, QPushButton)
    assert b.isVisible() and b.isEnabled(), nom
    b.click()


def lignes(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def choisir(combo: QComboBox, donnee: object) -> None:
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(donnee))
    assert combo.currentIndex() >= 0


def erreur(racine: QWidget, libelle: str) -> str:
    return par_nom(racine, f"Erreur : {libelle}", QLabel).text()


def inscrire(ctx: Contexte, n: int) -> int:
    compte = compte_actif(ctx, email=f"ui{n}@exemple.fr", nom=f"Eleve{chr(65 + n)}", prenoms="Test")
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie_individuel()).candidature_id


def test_organiser_une_session_de_bout_en_bout(qtbot, fenetre, accueil):
    for i in range(2):
        inscrire(accueil, i)
    zone = fenetre.aller_a("organisation")
    assert "Organisation des examens" in fenetre.titres_zones()

    # --- Centres et salles -----------------------------------------------------------------
    zone.aller_a("Centres et salles")
    cliquer(zone, "Nouveau centre")
    d = dialogue("Nouveau centre d'examen")
    choisir_dans_completer(qtbot, par_nom(d, "Établissement", QLineEdit), "chanzy",
                           "LYC CHANZY CHARLEVILLE MEZIERES — CHARLEVILLE MEZIERES (0080006N)")
    taper(qtbot, par_nom(d, "Départements desservis", QLineEdit), "13, 8")
    cliquer(d, "Enregistrer")
    qtbot.waitUntil(lambda: not d.isVisible())
    centres = par_nom(zone, "Centres d'examen", QTableWidget)
    assert lignes(centres)[0][:4] == ["LYC CHANZY CHARLEVILLE MEZIERES", "0080006N", "CHARLEVILLE MEZIERES",
                                      "13, 08"]
    cliquer(zone, "Nouvelle salle")
    d = dialogue("Nouvelle salle")
    taper(qtbot, par_nom(d, "Nom de la salle", QLineEdit), "Salle 1")
    taper(qtbot, par_nom(d, "Capacité", QLineEdit), "0")
    cliquer(d, "Enregistrer")
    assert d.isVisible() and erreur(d, "Capacité") == "La capacité est un nombre de places supérieur à 0."
    par_nom(d, "Capacité", QLineEdit).clear()
    taper(qtbot, par_nom(d, "Capacité", QLineEdit), "1")
    cliquer(d, "Enregistrer")
    qtbot.waitUntil(lambda: not d.isVisible())
    assert lignes(par_nom(zone, "Salles", QTableWidget)) == [["Salle 1", "1 place", "Toutes", "0"]]
    capturer(zone.grab(), "organisation-centres.png")

    # --- Planning -----------------------------------------------------------------------------
    zone.aller_a("Planning des épreuves")
    cliquer(zone, "Nouvelle épreuve")
    d = dialogue("Nouvelle épreuve au planning")
    choisir(par_nom(d, "Spécialité", QComboBox), "BCP-25303")
    epreuve = par_nom(d, "Épreuve", QComboBox)
    assert "U2 — Exploitation de la documentation technique" in [epreuve.itemText(i) for i in range(epreuve.count())]
    choisir(epreuve, "E2")
    taper(qtbot, par_nom(d, "Date", QLineEdit), "16/06/2026")
    taper(qtbot, par_nom(d, "Heure de début", QLineEdit), "08:00")
    taper(qtbot, par_nom(d, "Durée", QLineEdit), "0")
    cliquer(d, "Enregistrer")
    assert erreur(d, "Date").startswith("La date est en dehors de la session 2025")
    assert erreur(d, "Durée") == "La durée doit être supérieure à 0."
    for champ, valeur in (("Date", "16/06/2025"), ("Durée", "4:00")):
        par_nom(d, champ, QLineEdit).clear()
        taper(qtbot, par_nom(d, champ, QLineEdit), valeur)
    cliquer(d, "Enregistrer")
    qtbot.waitUntil(lambda: not d.isVisible())
    planning = par_nom(zone, "Planning des épreuves", QTableWidget)
    assert lignes(planning)[0][:3] == ["16/06/2025", "08:00", "4 h"]
    assert lignes(planning)[0][4:7] == ["E2 — Exploitation de la documentation technique", "Écrit", "2"]
    capturer(zone.grab(), "organisation-planning.png")

    # --- Affectations ----------------------------------------------------------------------------
    zone.aller_a("Affectations")
    qtbot.keyClick(par_nom(zone, "Affecter automatiquement", QPushButton), Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    bilan = par_nom(zone, "Bilan des affectations", QLabel)
    qtbot.waitUntil(lambda: "sans place" in bilan.text())
    assert "1 affectation(s) créée(s)" in bilan.text() and "1 candidat sans place : ELEVEB Test" in bilan.text()
    assert [ligne[3:] for ligne in lignes(par_nom(zone, "Occupation des salles", QTableWidget))] == [
        ["Salle 1", "1", "1 / 1 place"]]
    table = zone.affectations.table
    salles = [table.model().index(r, 5).data() for r in range(table.model().rowCount())]
    assert salles == ["Salle 1", "Sans place"]
    capturer(zone.grab(), "organisation-affectations.png")
    table.setFocus()
    table.selectRow(1)
    fenetre.activateWindow()              # shortcuts go to the active window
    qtbot.waitUntil(fenetre.isActiveWindow)
    qtbot.keyClick(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    # The shortcut clicks the button after its short press animation.
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) and w.isVisible() and w.accessibleName() == "Déplacer 1 candidat"
                                for w in QApplication.topLevelWidgets()))
    d = dialogue("Déplacer 1 candidat")
    assert par_nom(d, "Salle", QComboBox).currentText() == "Salle 1 — LYC CHANZY CHARLEVILLE MEZIERES : 1 / 1 place"
    cliquer(d, "Déplacer")
    qtbot.waitUntil(lambda: bool(boites_ouvertes()))
    assert "Capacité dépassée : la salle « Salle 1 »" in boites_ouvertes()[-1].text()
    boites_ouvertes()[-1].accept()
    d.reject()

    # --- Conflits ----------------------------------------------------------------------------------
    zone.aller_a("Conflits")
    assert par_nom(zone, "Nombre de conflits", QLabel).text() == "Aucun conflit d'horaires"


def test_conflits_tab_counts_people_with_overlapping_epreuves(qtbot, fenetre, accueil, chef):
    compte = compte_actif(accueil, email="double@exemple.fr", nom="Double", prenoms="Anne")
    for sp in ("BCP-25303", "BCP-31213"):
        d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
        inscriptions.enregistrer(accueil, d, saisie_individuel(specialite_id=sp))
    for sp, heure in (("BCP-25303", "08:00"), ("BCP-31213", "09:00")):
        planning.enregistrer_creneau(chef, planning.SaisieCreneau(session_id(chef), sp, "E2", "16/06/2025", heure,
                                                                  "120"))
    zone = fenetre.aller_a("organisation")
    zone.aller_a("Conflits")
    assert par_nom(zone, "Nombre de conflits", QLabel).text() == "1 conflit d'horaires à résoudre"
    ligne = lignes(par_nom(zone, "Conflits d'horaires", QTableWidget))[0]
    assert ligne[1] == "DOUBLE Anne" and ligne[3] == "16/06/2025 08:00–10:00" and ligne[6] == "16/06/2025 09:00–11:00"
    assert "Métiers du commerce" in ligne[7]


def test_gestionnaire_reads_without_editing(qtbot, db_url, clock, gestionnaire, chef):
    org.creer_centre(chef, "0080006N", "13")
    from cyclades_desktop.app import create_main_window
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    w.show()
    zone = w.aller_a("organisation")
    assert lignes(par_nom(zone, "Centres d'examen", QTableWidget))[0][1] == "0080006N"
    assert not [b for b in zone.findChildren(QPushButton) if b.accessibleName() == "Nouveau centre"]
    w.ctx.db.dispose()
