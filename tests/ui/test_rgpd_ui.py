"""RGPD screens: the export from the account screen, « Conservation des données… » and « Purger les
données… » (list, confirmation, purge), and who sees them."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget
from sqlalchemy import func, select

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import Candidature, CompteCandidat
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.rgpd import export as rgpd
from tests.fabriques import compte_actif
from tests.unit.test_rgpd import _session_2024, compte_en_attente, inscrire

from .helpers import boites_ouvertes, capturer, par_nom


def boite(titre: str) -> QMessageBox:
    trouvees = [b for b in boites_ouvertes() if b.windowTitle() == titre]
    assert trouvees, [b.windowTitle() for b in boites_ouvertes()]
    return trouvees[-1]


def existe(ctx: Contexte, modele, ident: int) -> bool:  # type: ignore[no-untyped-def]
    with ctx.lecture() as s:
        return bool(s.scalar(select(func.count()).select_from(modele).where(modele.id == ident)))


def test_export_depuis_la_fiche_du_compte(qtbot, fenetre, chef: Contexte, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")
    cid = compte_actif(chef)
    numero = comptes.obtenir(chef, cid).numero_candidat
    fiche = fenetre.aller_a("candidats").ouvrir(cid)
    bouton = fiche.bouton_export_rgpd
    assert bouton.isVisibleTo(fiche) and bouton.text() == "E&xporter les données du candidat (RGPD)…"
    bouton.click()
    dialogue = par_nom(fiche, "Exporter les données du candidat", QFileDialog)
    assert dialogue.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialogue.selectedFiles()[0].endswith(f"donnees-candidat-{numero}.zip")
    cible = tmp_path / "export.zip"
    dialogue.selectFile(str(cible))
    dialogue.accept()
    assert "0 candidature(s), 0 document(s), 0 pièce(s)" in boite("Données exportées").text()
    assert f"N° {numero}" in boite("Données exportées").text()
    with zipfile.ZipFile(cible) as z:
        assert json.loads(z.read("identite.json"))["numero_candidat"] == numero
        assert "LISEZMOI.txt" in z.namelist()


def test_reglages_de_conservation(qtbot, fenetre, chef: Contexte):
    assert fenetre.action_conservation.isVisible() and fenetre.action_conservation.text() == \
        "&Conservation des données…"
    fenetre.action_conservation.trigger()
    dialogue = fenetre.dialogue_rgpd
    assert dialogue.isVisible() and dialogue.accessibleName() == "Conservation des données"
    heures = par_nom(dialogue, "Délai avant suppression d'un compte non activé (heures)", QLineEdit)
    annees = par_nom(dialogue, "Conservation des données après l'année de la session (années)", QLineEdit)
    assert (heures.text(), annees.text()) == ("48", "5")
    heures.setText("12")
    par_nom(dialogue, "Enregistrer", QPushButton).click()
    assert dialogue.isVisible()
    erreur = par_nom(dialogue, "Erreur : Délai avant suppression d'un compte non activé (heures)", QLabel)
    assert "entre 48 et 744" in erreur.text()
    heures.setText("72")
    annees.setText("6")
    par_nom(dialogue, "Enregistrer", QPushButton).click()
    assert not dialogue.isVisible()
    assert rgpd.lire_conservation(chef) == rgpd.Conservation(72, 6)


def test_purge_liste_puis_supprime_apres_confirmation(qtbot, fenetre, chef: Contexte, clock: FixedClock):
    attente = compte_en_attente(chef, "attente@exemple.fr", "Attente")
    ancien = compte_actif(chef, email="ancien@exemple.fr", nom="Ancien", prenoms="Candidat")
    cand = inscrire(chef, ancien)
    _session_2024(chef, cand)
    recent = compte_actif(chef, email="recent@exemple.fr", nom="Recent", prenoms="Candidate")
    cand_recente = inscrire(chef, recent)
    clock.instant = datetime(2030, 1, 6, 8, 0, tzinfo=UTC)

    fenetre.action_purge.trigger()
    dialogue = fenetre.dialogue_rgpd
    assert dialogue.isVisible() and dialogue.accessibleName() == "Purger les données"
    liste = par_nom(dialogue, "Données à supprimer", QTableWidget)
    lignes = dialogue.lignes_listees()
    numeros = {comptes.obtenir(chef, i).numero_candidat: i for i in (attente, ancien, recent)}
    inverse = {v: k for k, v in numeros.items()}
    assert ("Compte non activé", inverse[attente], "ATTENTE Paul", "créé le 10/11/2024 11:00") in lignes
    assert ("Session 2024", inverse[ancien], "Candidature 001", "") in lignes
    assert any(ligne[0] == "Compte sans candidature" and ligne[1] == inverse[ancien] for ligne in lignes)
    assert all(ligne[1] != inverse[recent] for ligne in lignes)
    assert liste.rowCount() == 3
    totaux = par_nom(dialogue, "Nombre d'éléments à supprimer", QTableWidget)
    comptes_totaux = {totaux.item(i, 0).text(): totaux.item(i, 1).text() for i in range(totaux.rowCount())}
    assert comptes_totaux["Candidatures"] == "1" and comptes_totaux["Comptes non activés"] == "1"
    assert "À supprimer" in par_nom(dialogue, "Résumé de la purge", QLabel).text()
    dialogue.resize(1000, 560)
    capturer(dialogue.grab(), "rgpd-purge.png")
    assert existe(chef, Candidature, cand)  # listing deleted nothing

    par_nom(dialogue, "Purger", QPushButton).click()
    confirmation = boite("Confirmer la purge")
    assert "supprimées définitivement" in confirmation.text()
    annuler = next(b for b in confirmation.buttons() if b.text() == "&Annuler")
    annuler.click()
    assert existe(chef, Candidature, cand)

    par_nom(dialogue, "Purger", QPushButton).click()
    confirmation = boite("Confirmer la purge")
    next(b for b in confirmation.buttons() if b.text() == "&Purger définitivement").click()
    assert "Purge effectuée : 2 compte(s) et 1 candidature(s)" in boite("Purge effectuée").text()
    assert not existe(chef, Candidature, cand) and not existe(chef, CompteCandidat, attente)
    assert existe(chef, Candidature, cand_recente)
    assert liste.rowCount() == 0 and not par_nom(dialogue, "Purger", QPushButton).isEnabled()


def test_menus_rgpd_reserves_au_chef(qtbot, db_url: str, clock: FixedClock, gestionnaire: Contexte):
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    try:
        assert not w.action_conservation.isVisible() and not w.action_purge.isVisible()
        assert w.ouvrir_purge() is None
        assert not any(isinstance(d, QDialog) and d.isVisible() for d in w.findChildren(QDialog))
    finally:
        w.ctx.db.dispose()
