"""« Courriers… » on a candidature card: choose a template, save the filled .docx, open it; « Modèles de
courriers »: open in Word, check, restore the shipped template."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QListWidget, QPushButton

from cyclades_desktop import paths
from cyclades_desktop.app import create_main_window
from cyclades_desktop.documents.docx_modeles import texte_du_document
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.courriers import DialogueCourriers, DialogueModeles
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, capturer, par_nom


@pytest.fixture
def modeles(tmp_path: Path, monkeypatch) -> Path:
    dossier = tmp_path / "modeles"
    monkeypatch.setenv(paths.ENV_MODELES_DIR, str(dossier))
    return dossier


@pytest.fixture
def ouvertures(monkeypatch) -> list[str]:
    """What the workstation was asked to open (Word is not there in tests)."""
    urls: list[str] = []

    def ouvrir(url: QUrl) -> bool:
        urls.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(ouvrir))
    return urls


@pytest.fixture
def dialogue(qtbot, db_url, clock, accueil: Contexte, chef: Contexte, modeles) -> Iterator[DialogueCourriers]:
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    inscriptions.enregistrer(accueil, d, saisie_seed())
    w = create_main_window(db_url, clock=clock, user="chef")
    qtbot.addWidget(w)
    w.show()
    fiche = w.aller_a("candidats").ouvrir(compte)
    carte = fiche.inscriptions.carte("001")
    bouton = par_nom(carte, "Courriers… 001", QPushButton)
    assert bouton.isVisible()
    bouton.click()
    dlg = next(f for f in fiche.inscriptions.fenetres if isinstance(f, DialogueCourriers))
    qtbot.waitExposed(dlg)
    yield dlg
    w.ctx.db.dispose()


def choisir(liste: QListWidget, debut: str) -> None:
    liste.setCurrentRow(next(i for i in range(liste.count()) if liste.item(i).text().startswith(debut)))


def test_save_a_relance_letter_and_open_it(qtbot, dialogue, tmp_path, ouvertures):
    liste = par_nom(dialogue, "Modèle", QListWidget)
    assert [liste.item(i).text() for i in range(liste.count())] == [
        "Attestation d'inscription (attestation_inscription.docx)",
        "Relance de pièces justificatives (courrier_relance.docx)"]
    choisir(liste, "Relance")
    assert par_nom(dialogue, "Ouvrir le courrier après l'enregistrement", QCheckBox).isChecked()
    fichier = dialogue.enregistrer()
    assert isinstance(fichier, QFileDialog) and fichier.selectedFiles()[0].endswith("courrier_relance-"
                                                                                  f"{_numero(dialogue)}-001.docx")
    cible = tmp_path / "relance.docx"
    fichier.fileSelected.emit(str(cible))
    texte = texte_du_document(cible.read_bytes())
    assert "Madame NGMB-DUPONT Ngmb-Jeanne" in texte and "Aéronautique option Systèmes (25303)" in texte
    assert len(Document(str(cible)).tables[0].rows) >= 2
    assert ouvertures == [str(cible)]
    assert par_nom(dialogue, "Résultat", QLabel).text() == (
        f"Courrier « Relance de pièces justificatives » enregistré : {cible}")


def test_broken_template_is_reported_and_nothing_written(qtbot, dialogue, modeles, tmp_path):
    chemin = modeles / "attestation_inscription.docx"
    doc = Document(str(chemin))
    doc.add_paragraph("Bonjour {{ nom_inconu }} et {{ prenoms")
    doc.save(str(chemin))
    choisir(par_nom(dialogue, "Modèle", QListWidget), "Attestation")
    assert dialogue.enregistrer() is None
    boite = next(b for b in boites_ouvertes() if b.accessibleName() == "Modèle à corriger")
    assert "{{ nom_inconu }}" in boite.text() and "{{ prenoms" in boite.text()
    assert "aucun courrier n'a été produit" in boite.text()
    boite.close()
    # Even if the template breaks between the check and the save, nothing is written.
    assert not dialogue.enregistrer_vers("attestation_inscription.docx", str(tmp_path / "a.docx"))
    assert not (tmp_path / "a.docx").exists()
    assert par_nom(dialogue, "Résultat", QLabel).text() == "Aucun courrier n'a été produit."


def test_templates_dialog_opens_checks_and_restores(qtbot, dialogue, modeles, ouvertures):
    modeles_dlg = dialogue.ouvrir_modeles()
    assert isinstance(modeles_dlg, DialogueModeles)
    qtbot.waitExposed(modeles_dlg)
    assert str(modeles) in par_nom(modeles_dlg, "Dossier des modèles", QLabel).text()
    liste = par_nom(modeles_dlg, "Modèles", QListWidget)
    choisir(liste, "Relance")
    qtbot.mouseClick(par_nom(modeles_dlg, "Ouvrir dans Word", QPushButton), _gauche())
    assert ouvertures == [str(modeles / "courrier_relance.docx")]

    # The office edits it « in Word » with a typo in a field.
    chemin = modeles / "courrier_relance.docx"
    doc = Document(str(chemin))
    doc.add_paragraph("Dossier suivi par {{ agnet }}.")
    doc.save(str(chemin))
    modeles_dlg.charger()
    assert liste.currentItem().text() == ("Relance de pièces justificatives (courrier_relance.docx) — modifié par "
                                          "le bureau")
    qtbot.mouseClick(par_nom(modeles_dlg, "Vérifier", QPushButton), _gauche())
    resultat = par_nom(modeles_dlg, "Résultat de la vérification", QLabel).text()
    assert "1 champ(s) à corriger" in resultat and "« {{ agnet }} » (champ inconnu, corps du courrier)" in resultat

    qtbot.mouseClick(par_nom(modeles_dlg, "Rétablir le modèle d'origine", QPushButton), _gauche())
    boite = next(b for b in boites_ouvertes() if b.accessibleName() == "Rétablir le modèle d'origine")
    assert "modifications faites par le bureau seront perdues" in boite.text()
    next(b for b in boite.buttons() if b.text() == "Rétablir").click()
    assert chemin.read_bytes() == (paths.modeles_livres_dir() / "courrier_relance.docx").read_bytes()
    assert liste.currentItem().text() == "Relance de pièces justificatives (courrier_relance.docx)"
    qtbot.mouseClick(par_nom(modeles_dlg, "Vérifier", QPushButton), _gauche())
    assert "aucun problème" in par_nom(modeles_dlg, "Résultat de la vérification", QLabel).text()
    capturer(dialogue.grab(), "courriers.png")
    capturer(modeles_dlg.grab(), "modeles-courriers.png")


def test_agent_produces_letters_but_does_not_manage_templates(qtbot, db_url, clock, accueil, modeles):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    enr = inscriptions.enregistrer(accueil, d, saisie_seed())
    dlg = DialogueCourriers(accueil, enr.candidature_id, "Candidature n° 001")
    qtbot.addWidget(dlg)
    dlg.show()
    assert not par_nom(dlg, "Modèles de courriers…", QPushButton).isVisible()
    _ = create_main_window  # the agent reaches it from the same card as the chef


def _numero(dialogue: DialogueCourriers) -> str:
    from cyclades_desktop.models import Candidature, CompteCandidat

    with dialogue.ctx.lecture() as s:
        c = s.get(Candidature, dialogue.candidature_id)
        return s.get(CompteCandidat, c.compte_id).numero_candidat


def _gauche():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    return Qt.MouseButton.LeftButton
