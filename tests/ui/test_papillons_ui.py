"""« Éditions › Papillons de connexion… »: the dialog lists an établissement's pupils, asks for
confirmation (the previous passwords stop working), then shows the slips in the PDF preview."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget

from cyclades_desktop.app import create_main_window
from cyclades_desktop.documents.pdf import normaliser_texte
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui import taches as ui_taches
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.papillons import AVERTISSEMENT, DialoguePapillons
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, capturer, par_nom, taper

LP = "0250001R"


@pytest.fixture
def synchrone(monkeypatch) -> None:
    monkeypatch.setenv(ui_taches.ENV_SYNCHRONE, "1")


def inscrire(ctx: Contexte, compte_id: int, **changes: object) -> None:
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), "BCP")
    inscriptions.enregistrer(ctx, d, saisie_seed(**changes))


@pytest.fixture
def eleves(accueil: Contexte) -> None:
    inscrire(accueil, compte_actif(accueil, email="pierre.dubois@lycee.fr", nom="Dubois", prenoms="Pierre"),
             etablissement_uai=LP, classe="37 B")
    inscrire(accueil, compte_actif(accueil, email="lea.martin@lycee.fr", nom="Martin", prenoms="Léa"),
             etablissement_uai=LP, classe="1 MELEC")
    inscrire(accueil, compte_actif(accueil, email="cfa@exemple.fr", nom="Zola", prenoms="Émile"),
             etablissement_uai="9730538X", classe="TBP")


def ouvrir_dialogue(qtbot, fenetre) -> DialoguePapillons:
    menu = fenetre.menu_editions
    assert menu.title().replace("&", "") == "Éditions"
    action = next(a for a in menu.actions() if a.text().replace("&", "") == "Papillons de connexion…")
    assert action.isVisible()
    action.trigger()
    dialogue = fenetre.dialogue_papillons
    qtbot.waitExposed(dialogue)
    return dialogue


def test_generate_for_one_establishment_after_confirmation(qtbot, fenetre, eleves, synchrone, chef, tmp_path):
    dialogue = ouvrir_dialogue(qtbot, fenetre)
    assert par_nom(dialogue, "Session", QComboBox).currentText() == "2025"
    etab = par_nom(dialogue, "Établissement", QComboBox)
    assert etab.currentText() == "Tous les établissements (3 candidatures)"
    assert par_nom(dialogue, "Nombre de papillons", QLabel).text() == "3 papillons à imprimer (2 établissements)"
    taper(qtbot, par_nom(dialogue, "Rechercher un établissement", QLineEdit), "fernand")
    assert etab.count() == 1 and etab.currentText().startswith("LP FERNAND LEGERE – AUDINCOURT CEDEX (0250001R)")
    table = par_nom(dialogue, "Candidats", QTableWidget)
    assert [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())] == [
        ("1 MELEC", "MARTIN"), ("37 B", "DUBOIS")]
    assert par_nom(dialogue, "Nombre de papillons", QLabel).text() == "2 papillons à imprimer"

    qtbot.mouseClick(par_nom(dialogue, "Générer et imprimer…", QPushButton), _gauche())
    boite = next(b for b in boites_ouvertes() if b.accessibleName() == "Générer les papillons de connexion")
    assert AVERTISSEMENT in boite.text() and "Les mots de passe précédents ne fonctionneront plus" in boite.text()
    assert "2 papillon(s)" in boite.text()
    next(b for b in boite.buttons() if b.text() == "Générer et imprimer").click()

    apercu = dialogue.apercu
    assert isinstance(apercu, ApercuPdf) and apercu.isVisible()
    assert apercu.windowTitle() == "Papillons de connexion — LP FERNAND LEGERE"
    assert apercu.nom_fichier == "papillons-2025-0250001R.pdf" and apercu.nombre_pages() == 1
    texte = normaliser_texte(PdfReader(BytesIO(apercu.contenu)).pages[0].extract_text())
    assert "Élève : MARTIN Léa" in texte and "ZOLA" not in texte
    mots = re.findall(r"Votre mot de passe \(\*\) : (\S+)", texte)
    assert comptes.verifier_connexion_candidat(chef, "pierre.dubois@lycee.fr", mots[1])
    assert "2 papillon(s) générés pour 1 établissement(s)" in par_nom(dialogue, "Résultat", QLabel).text()
    assert table.item(0, 8).text() == "10/11/2024 11:00"      # « Dernier papillon » now filled

    # One PDF per établissement into a folder.
    dialogue.enregistrer_vers(str(tmp_path))
    assert (tmp_path / "papillons-2025-0250001R.pdf").read_bytes().startswith(b"%PDF")
    info = next(b for b in boites_ouvertes() if b.accessibleName() == "Papillons enregistrés")
    assert "1 fichier(s) PDF enregistré(s)" in info.text()
    info.accept()
    apercu.close()


def test_cancel_in_confirmation_changes_nothing(qtbot, fenetre, eleves, synchrone, chef):
    dialogue = ouvrir_dialogue(qtbot, fenetre)
    boite = dialogue.generer()
    assert isinstance(boite, QMessageBox)
    next(b for b in boite.buttons() if b.text() == "Annuler").click()
    assert dialogue.apercu is None
    assert comptes.verifier_connexion_candidat(chef, "pierre.dubois@lycee.fr", "Secret.2024")


def test_agent_has_no_papillons_entry(qtbot, db_url, clock, accueil):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    w.show()
    assert not w.action_papillons.isVisible()
    assert w.ouvrir_papillons() is None
    w.ctx.db.dispose()


def test_screenshot(qtbot, fenetre, eleves, synchrone):
    dialogue = ouvrir_dialogue(qtbot, fenetre)
    dialogue.resize(1040, 520)
    capturer(dialogue.grab(), "papillons-dialogue.png")


def _gauche() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton

