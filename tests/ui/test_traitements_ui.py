"""Traitements: list then apply the annulations as chef de bureau, relances through the runner with
progress and cancel, who sees what; and the background runner itself.

Set CYCLADES_CAPTURES to a folder to save the zone as PNG (docs/traitements.png comes from there)."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QProgressDialog, QPushButton, QTableView

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules.errors import DomainError
from cyclades_desktop.rules.inscriptions import EtatCandidature
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui import taches
from cyclades_desktop.ui.traitements.zone import ZoneTraitements
from tests.unit.test_echeances_service import APRES_CONFIRMATION, candidat, deposer_groupe, etat, relances

from .helpers import boites_ouvertes, par_nom

CAPTURES = os.environ.get("CYCLADES_CAPTURES")


@pytest.fixture
def synchrone(monkeypatch) -> None:
    monkeypatch.setenv(taches.ENV_SYNCHRONE, "1")


def lignes(table: QTableView) -> list[list[str]]:
    m = table.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def repondre(qtbot, titre: str, bouton: str) -> str:
    """Answer the non-blocking message box ``titre``; returns its text."""
    qtbot.waitUntil(lambda: any(b.accessibleName() == titre for b in boites_ouvertes()))
    boite = next(b for b in boites_ouvertes() if b.accessibleName() == titre)
    texte = boite.text()
    next(b for b in boite.buttons() if b.text().replace("&", "") == bouton).click()
    qtbot.waitUntil(lambda: not boite.isVisible())
    return texte


def test_chef_lists_then_applies_the_annulations(qtbot, fenetre, accueil: Contexte, clock, synchrone):
    seul = candidat(accueil, 0)
    en_regle = candidat(accueil, 1)
    deposer_groupe(accueil, en_regle, "CONFIRMATION")
    clock.instant = APRES_CONFIRMATION
    zone = fenetre.aller_a("traitements")
    assert isinstance(zone, ZoneTraitements)
    panneau = par_nom(zone, "Annuler les candidatures sans confirmation signée")
    assert par_nom(panneau, "Session", QComboBox).currentText() == "2025"
    appliquer = par_nom(panneau, "Appliquer…", QPushButton)
    assert not appliquer.isEnabled()
    # Keyboard path: Alt+H shows the list (Alt+L is the menu « Aller à »).
    par_nom(panneau, "Session", QComboBox).setFocus()
    qtbot.keyClick(panneau, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: par_nom(panneau, "Nombre de candidatures", QLabel).text() == "1 candidature à annuler.")
    table = par_nom(panneau, "Liste : Annuler les candidatures sans confirmation signée", QTableView)
    assert lignes(table)[0][1:4] == ["ARNAUD Léa", "001 - BACCALAURÉAT PROFESSIONNEL Aéronautique option "
                                     "Systèmes - session 2025", "CONFIRMATION"]
    assert lignes(table)[0][4] == "10/12/2024 17:00"
    assert appliquer.isEnabled()
    appliquer.click()
    texte = repondre(qtbot, "Annuler les candidatures", "Revenir à la liste")   # nothing happens
    assert texte.startswith("Annuler 1 candidature ?") and "« Annulée »" in texte
    assert etat(accueil, seul).etat == EtatCandidature.INSCRIT
    appliquer.click()
    repondre(qtbot, "Annuler les candidatures", "Appliquer")
    assert par_nom(panneau, "Résultat", QLabel).text() == "1 candidature annulée."
    assert par_nom(panneau, "Nombre de candidatures", QLabel).text() == "Aucune candidature à annuler."
    assert etat(accueil, seul).etat == EtatCandidature.ANNULEE
    assert etat(accueil, en_regle).etat == EtatCandidature.INSCRIT


def test_a_change_in_between_is_refused_and_shown(qtbot, fenetre, accueil: Contexte, chef: Contexte, clock,
                                                  synchrone):
    cid = candidat(accueil, 0)
    clock.instant = APRES_CONFIRMATION
    panneau = fenetre.aller_a("traitements").annulations
    par_nom(panneau, "Afficher la liste", QPushButton).click()
    inscriptions.desinscrire(chef, cid, row_version=etat(chef, cid).row_version, motif="Courrier du candidat")
    par_nom(panneau, "Appliquer…", QPushButton).click()
    repondre(qtbot, "Annuler les candidatures", "Appliquer")
    assert "a changé depuis l'affichage de la liste" in repondre(qtbot, "Traitement impossible", "OK")
    assert par_nom(panneau, "Résultat", QLabel).text() == "Rien n'a été appliqué."
    # Changing a filter empties the list, so an old list is never applied.
    assert panneau.modele.rowCount() == 1
    examen = par_nom(panneau, "Examen", QComboBox)
    examen.setCurrentIndex(examen.findData("CAP"))
    assert panneau.modele.rowCount() == 0
    assert par_nom(panneau, "Nombre de candidatures", QLabel).text().startswith("Les filtres ont changé")
    assert not par_nom(panneau, "Appliquer…", QPushButton).isEnabled()


def _espionner(panneau, interrompre_a: int | None = None) -> list[str]:
    """Record the progress dialog's label at each step; click « Interrompre » at step ``interrompre_a``."""
    vus: list[str] = []
    demarrer = functools.partial(taches.Executeur.demarrer, panneau.executeur)   # not an earlier spy

    def espion(tache):  # type: ignore[no-untyped-def]
        def pas(n: int, _total: int) -> None:
            dialogue = par_nom(panneau, "Relances de pièces justificatives", QProgressDialog)
            vus.append(dialogue.labelText())
            if n == interrompre_a:
                next(b for b in dialogue.findChildren(QPushButton) if "Interrompre" in b.text()).click()
        tache.progression.connect(pas)
        return demarrer(tache)

    panneau.executeur.demarrer = espion
    return vus


def test_gestionnaire_relances_with_progress_cancel_and_resume(qtbot, db_url, clock, accueil: Contexte,
                                                              gestionnaire: Contexte, synchrone):
    ids = [candidat(accueil, i) for i in range(3)]
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    w.show()
    assert "Traitements" in w.titres_zones()
    zone = w.aller_a("traitements")
    assert zone.onglets.currentWidget() is zone.relances
    # Annulations and écartements are the chef de bureau's.
    for panneau in (zone.annulations, zone.ecartements):
        assert not par_nom(panneau, "Afficher la liste", QPushButton).isEnabled()
        assert par_nom(panneau, "Accès", QLabel).text() == "Réservé au chef de bureau."
    panneau = zone.relances
    par_nom(panneau, "Afficher la liste", QPushButton).click()
    assert par_nom(panneau, "Nombre de candidatures", QLabel).text() == "3 dossiers incomplets à relancer."
    vus = _espionner(panneau, interrompre_a=2)
    par_nom(panneau, "Publier les relances…", QPushButton).click()
    assert repondre(qtbot, "Publier les relances", "Appliquer").startswith("Publier 3 relances")
    assert vus == ["Relance 1 / 3", "Relance 2 / 3"]
    assert par_nom(panneau, "Résultat", QLabel).text() == "2 relances publiées, 1 restante (interrompu)."
    assert [len(relances(accueil, c)) for c in ids] == [1, 1, 0]
    assert not [d for d in panneau.findChildren(QProgressDialog) if d.isVisible()]
    # Started again: finishes the rest without relancing anyone twice.
    vus = _espionner(panneau)
    par_nom(panneau, "Publier les relances…", QPushButton).click()
    repondre(qtbot, "Publier les relances", "Appliquer")
    assert vus == ["Relance 1 / 3", "Relance 2 / 3", "Relance 3 / 3"]
    assert par_nom(panneau, "Résultat", QLabel).text() == "1 relance publiée, 2 déjà faites ou sans objet."
    assert [len(relances(accueil, c)) for c in ids] == [1, 1, 1]
    w.ctx.db.dispose()


def test_relances_in_the_background_keep_the_window_responsive(qtbot, fenetre, accueil: Contexte):
    ids = [candidat(accueil, i) for i in range(2)]
    zone = fenetre.aller_a("traitements")
    assert not zone.executeur.synchrone
    panneau = zone.relances
    par_nom(panneau, "Afficher la liste", QPushButton).click()
    par_nom(panneau, "Publier les relances…", QPushButton).click()
    repondre(qtbot, "Publier les relances", "Appliquer")
    assert not par_nom(panneau, "Afficher la liste", QPushButton).isEnabled()     # busy meanwhile
    qtbot.waitUntil(lambda: par_nom(panneau, "Résultat", QLabel).text() == "2 relances publiées.", timeout=20_000)
    assert par_nom(panneau, "Afficher la liste", QPushButton).isEnabled()
    assert [len(relances(accueil, c)) for c in ids] == [1, 1]
    qtbot.waitUntil(lambda: taches.en_cours() == 0)       # released on the next turn of the event loop


def test_the_list_as_the_chef_sees_it(qtbot, fenetre, accueil: Contexte, clock, synchrone):
    ids = [candidat(accueil, i) for i in range(6)]
    deposer_groupe(accueil, ids[2], "CONFIRMATION")
    clock.instant = APRES_CONFIRMATION
    fenetre.resize(1280, 640)
    panneau = fenetre.aller_a("traitements").annulations
    par_nom(panneau, "Afficher la liste", QPushButton).click()
    assert par_nom(panneau, "Nombre de candidatures", QLabel).text() == "5 candidatures à annuler."
    assert [x[1] for x in lignes(panneau.table)] == ["ARNAUD Léa", "BERNARD Léa", "DURAND Léa", "ETIENNE Léa",
                                                     "FABRE Léa"]
    panneau.table.selectRow(0)
    if CAPTURES:
        qtbot.wait(50)
        fenetre.grab().save(str(Path(CAPTURES) / "traitements.png"))


def test_agent_d_accueil_does_not_see_the_zone(qtbot, db_url, clock, accueil: Contexte, chef: Contexte):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    assert "Traitements" not in w.titres_zones()
    w.ctx.db.dispose()


# --- the runner ----------------------------------------------------------------------------------

def test_runner_delivers_progress_and_result_in_the_gui_thread(qtbot):
    principal = threading.current_thread()
    fils: list[threading.Thread] = []
    recus: list[tuple[int, int, bool]] = []

    def travail(t: taches.Tache) -> str:
        fils.append(threading.current_thread())
        for i in range(3):
            t.signaler(i + 1, 3)
        return "fini"

    executeur = taches.Executeur(synchrone=False)
    tache = executeur.preparer(travail)
    tache.progression.connect(lambda n, total: recus.append((n, total, threading.current_thread() is principal)))
    with qtbot.waitSignal(tache.resultat, timeout=10_000) as attente:
        executeur.demarrer(tache)
    assert attente.args == ["fini"]
    assert fils and fils[0] is not principal
    assert recus == [(1, 3, True), (2, 3, True), (3, 3, True)]


def test_runner_hands_errors_back_and_can_be_cancelled(qtbot):
    executeur = taches.Executeur(synchrone=False)
    erreurs: list[Exception] = []
    tache = executeur.lancer(lambda _t: (_ for _ in ()).throw(DomainError("Base occupée")), erreur=erreurs.append)
    qtbot.waitUntil(lambda: bool(erreurs))
    assert erreurs[0].message == "Base occupée"
    depart = threading.Event()

    def longue(t: taches.Tache) -> int:
        depart.set()
        n = 0
        while not t.annule():
            n += 1
            depart.wait(0.001)
        return n

    tache = executeur.preparer(longue)
    with qtbot.waitSignal(tache.resultat, timeout=10_000):
        executeur.demarrer(tache)
        assert depart.wait(5)
        tache.annuler()
    assert executeur.attendre()


def test_synchronous_runner_for_tests(monkeypatch):
    monkeypatch.setenv(taches.ENV_SYNCHRONE, "oui")
    executeur = taches.Executeur()
    assert executeur.synchrone
    recus: list[object] = []
    executeur.lancer(lambda t: (t.signaler(1, 1), 42)[1], progression=lambda n, t: recus.append((n, t)),
                     resultat=recus.append)
    assert recus == [(1, 1), 42]
