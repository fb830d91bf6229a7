"""« Historique… » on the account screen: the candidate's audit rows newest first, what changed, the
filter by candidature, the CSV export; who may open it; « Vérifier l'intégrité du journal »."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPlainTextEdit, QPushButton, QTableView

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.historique import DialogueHistorique
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, capturer, par_nom


def lignes(table: QTableView) -> list[list[str]]:
    m = table.model()
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


@pytest.fixture
def candidat(chef: Contexte, clock: FixedClock) -> dict[str, int]:
    cid = compte_actif(chef)
    clock.advance(minutes=3)
    d = inscriptions.demarrer(chef, cid, session_id(chef), "BCP")
    cand = inscriptions.enregistrer(chef, d, saisie_seed()).candidature_id
    clock.advance(minutes=2)
    from tests.unit.test_rgpd import pdf, piece

    justificatifs.deposer(chef, piece(chef, cand, "IDENTITE"), "carte.pdf", pdf("carte"))
    clock.advance(minutes=1)
    justificatifs.changer_statut(chef, [piece(chef, cand, "IDENTITE")], "non_conforme",
                                 commentaire="Copie illisible")
    return {"compte": cid, "candidature": cand}


def ouvrir(fenetre, compte_id: int) -> DialogueHistorique:  # type: ignore[no-untyped-def]
    fiche = fenetre.aller_a("candidats").ouvrir(compte_id)
    bouton = fiche.bouton_historique
    assert bouton.isVisibleTo(fiche) and bouton.text() == "&Historique…"
    bouton.click()
    dialogue = fiche.dialogue_historique
    assert dialogue is not None and dialogue.isVisible()
    return dialogue


def test_historique_du_plus_recent_au_plus_ancien_avec_ce_qui_change(qtbot, fenetre, candidat, tmp_path: Path):
    dialogue = ouvrir(fenetre, candidat["compte"])
    table = par_nom(dialogue, "Historique", QTableView)
    assert [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Date (heure de Paris)", "Agent", "Action", "Objet", "Ce qui a changé"]
    vues = lignes(table)
    actions = [v[2] for v in vues]
    assert actions[-2:] == ["Activation du compte", "Création"]
    assert "Inscription" in actions and "Dépôt d'une pièce" in actions
    assert actions.index("Dépôt d'une pièce") < actions.index("Inscription")  # newest first
    activation = vues[actions.index("Activation du compte")]
    assert activation[0] == "10/11/2024 11:00" and activation[1] == "Carole DANO (chef)"
    assert activation[3].startswith("Compte candidat N° ") and activation[4] == "État : En attente d'activation → Actif"
    statut = vues[actions.index("Statut d'une pièce")]
    assert statut[4] == "Statut : (vide) → Non conforme ; Commentaire : (vide) → Copie illisible"
    depot = vues[actions.index("Dépôt d'une pièce")]
    assert depot[0] == "10/11/2024 11:05" and depot[3].startswith("Pièce : ")
    assert depot[4] == "IDENTITE : carte.pdf"  # no field-by-field values: the row's own label
    inscription = vues[actions.index("Inscription")]
    assert inscription[3].startswith("Candidature 001 — BCP ")
    n = len(vues)
    assert par_nom(dialogue, "Nombre d'opérations", QLabel).text() == f"{n} opérations."

    table.setCurrentIndex(table.model().index(actions.index("Activation du compte"), 0))
    detail = par_nom(dialogue, "Détail de l'opération", QPlainTextEdit).toPlainText()
    assert "Activation du compte — Compte candidat" in detail and "État : En attente d'activation → Actif" in detail
    table.setCurrentIndex(table.model().index(actions.index("Statut d'une pièce"), 0))
    dialogue.resize(1150, 560)
    capturer(dialogue.grab(), "historique-candidat.png")

    filtre = par_nom(dialogue, "Candidature", QComboBox)
    assert [filtre.itemText(i) for i in range(filtre.count())][0] == "Toutes (compte et candidatures)"
    filtre.setCurrentIndex(1)
    assert filtre.currentText().startswith("Candidature 001 — BCP ")
    filtrees = lignes(table)
    assert filtrees and len(filtrees) < n
    assert all(not v[3].startswith("Compte candidat") for v in filtrees)

    exporter = par_nom(dialogue, "Exporter", QPushButton)
    exporter.click()
    choix = dialogue.findChild(QFileDialog)
    assert choix is not None and choix.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    cible = tmp_path / "historique.csv"
    choix.selectFile(str(cible))
    choix.accept()
    with cible.open(encoding="utf-8-sig", newline="") as f:
        rangs = list(csv.reader(f, delimiter=";"))
    assert rangs[0] == ["Date (heure de Paris)", "Agent", "Action", "Objet", "Ce qui a changé", "Libellé"]
    assert [r[:5] for r in rangs[1:]] == filtrees
    assert any(b.windowTitle() == "Historique exporté" for b in boites_ouvertes())


def test_historique_reserve_aux_lecteurs_du_journal(qtbot, db_url: str, clock: FixedClock, chef: Contexte,
                                                    accueil: Contexte, gestionnaire: Contexte):
    cid = compte_actif(chef)
    for login, visible in (("accueil", False), ("gestion", True)):
        w = create_main_window(db_url, clock=clock, user=login)
        qtbot.addWidget(w)
        try:
            fiche = w.aller_a("candidats").ouvrir(cid)
            assert fiche.bouton_historique.isVisibleTo(fiche) is visible
            assert not fiche.bouton_export_rgpd.isVisibleTo(fiche)  # the RGPD export is the chef's
        finally:
            w.ctx.db.dispose()


def test_verifier_l_integrite_du_journal(qtbot, fenetre, candidat, monkeypatch, database):
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")
    zone = fenetre.aller_a("audit")
    par_nom(zone, "Vérifier l'intégrité du journal", QPushButton).click()
    boites = [b for b in boites_ouvertes() if b.windowTitle() == "Intégrité du journal"]
    assert boites and boites[-1].text().startswith("La chaîne d'audit est intacte")
    for b in boites:
        b.close()
    with database.engine.begin() as conn:
        if database.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER audit_no_update")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_no_change ON audit")
        conn.exec_driver_sql("UPDATE audit SET libelle = 'effacé' WHERE id = 3")
    par_nom(zone, "Vérifier l'intégrité du journal", QPushButton).click()
    boites = [b for b in boites_ouvertes() if b.windowTitle() == "Intégrité du journal"]
    assert boites and ("Journal altéré : la ligne n° 3 du 10/11/2024 ne correspond pas à son sceau"
                       in boites[-1].text())
    for b in boites:   # a box left open would be found by the next test's boites_ouvertes()
        b.close()
