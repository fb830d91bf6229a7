"""« Mes justificatifs » at the counter (docs/domaine/justificatifs.md): real PDF and PNG files
deposited through the dialog, refusals, deletion, validation by group, the gestionnaire's review, the
deadline, and the reception date of a piece sent by post.

Accessible names worth knowing: per piece « Ajouter IDENTITE », « Supprimer IDENTITE », « Voir
IDENTITE », « Réception JDC », « Statut IDENTITE », « Fichier IDENTITE », « Commentaire IDENTITE »,
« Historique IDENTITE » (the toggle) and « Anciens fichiers IDENTITE » (the list); per online group
« Valider le dépôt des pièces (en ligne, 10/12/2024 17:00) ».

Set CYCLADES_CAPTURES to a folder to save the dialog as PNG (docs/mes-justificatifs.png)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QBuffer, QDate, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QFileDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
)
from reportlab.pdfgen import canvas

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import FichierJustificatif, Justificatif
from cyclades_desktop.rules import pieces as regles
from cyclades_desktop.rules.fichiers import MESSAGE_FORMAT_REFUSE, TEXTE_FORMATS
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import pieces as referentiel_pieces
from cyclades_desktop.storage.fichiers import depot_de
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.inscriptions.justificatifs import MesJustificatifs
from cyclades_desktop.ui.inscriptions.justificatifs_dialogues import ApercuImage, DialogueReception
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, par_nom

CAPTURES = os.environ.get("CYCLADES_CAPTURES")
EN_LIGNE = "Valider le dépôt des pièces (en ligne, 10/12/2024 17:00)"
TITRE_EN_LIGNE = ("A déposer en ligne entre le lundi 4 novembre 2024 et le mardi 10 décembre 2024 17:00 "
                  "(heure/Paris)")
TITRE_COURRIER = "A envoyer par voie postale au plus tard le mardi 10 décembre 2024 17:00 (heure/Paris)"


# --- files -------------------------------------------------------------------------------------

def pdf(dossier: Path, nom: str, texte: str = "Carte nationale d'identité") -> Path:
    tampon = io.BytesIO()
    c = canvas.Canvas(tampon)
    c.drawString(72, 720, texte)
    c.showPage()
    c.save()
    chemin = dossier / nom
    chemin.write_bytes(tampon.getvalue())
    return chemin


def png(dossier: Path, nom: str) -> Path:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#3d6aa8"))
    octets = QBuffer()
    octets.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(octets, "PNG")
    chemin = dossier / nom
    chemin.write_bytes(bytes(octets.data()))
    return chemin


# --- helpers -----------------------------------------------------------------------------------

@pytest.fixture
def ouvrir(qtbot, db_url: str, clock: FixedClock, monkeypatch) -> Iterator[Callable[[str, int], MesJustificatifs]]:
    """Open the account of ``compte_id`` as ``login`` and click « Mes justificatifs 001 » on its card."""
    # Deposits are checked by the background runner: synchronous here, so that each step's outcome
    # is there when the call returns (tests/ui/test_depot_verification_ui.py runs it for real).
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")
    fenetres = []

    def ouvrir_(login: str, compte_id: int) -> MesJustificatifs:
        w = create_main_window(db_url, clock=clock, user=login)
        qtbot.addWidget(w)
        w.show()
        fenetres.append(w)
        fiche = w.aller_a("candidats").ouvrir(compte_id)
        qtbot.mouseClick(par_nom(fiche, "Justificatifs 001", QPushButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(ouvertes(MesJustificatifs)))
        return ouvertes(MesJustificatifs)[0]

    yield ouvrir_
    for w in QApplication.topLevelWidgets():
        if shiboken6.isValid(w) and w.isVisible():
            w.close()
    for w in fenetres:
        w.ctx.db.dispose()


def ouvertes(classe: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets()
            if shiboken6.isValid(w) and w.isVisible() and isinstance(w, classe)]


def inscrire(ctx: Contexte) -> tuple[int, int]:
    compte = compte_actif(ctx)
    enr = inscriptions.enregistrer(ctx, inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP"), saisie_seed())
    return compte, enr.candidature_id


def jdc_par_courrier(chef: Contexte) -> None:
    """The chef de bureau asks for the JDC certificate by post (for candidatures saved afterwards)."""
    jdc = next(p for p in referentiel_pieces.lister(chef) if p.code == "JDC")
    referentiel_pieces.modifier_piece(chef, "JDC", jdc.libelle, jdc.condition_cle, regles.COURRIER, jdc.domaines)


def bouton(d: MesJustificatifs, nom: str) -> QPushButton:
    return par_nom(d, nom, QPushButton)


def texte(d: MesJustificatifs, nom: str) -> str:
    lab = par_nom(d, nom, QLabel)
    return lab.text() if lab.isVisibleTo(d) else ""


def boite(qtbot, titre: str) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.windowTitle() == titre for b in boites_ouvertes()))
    return next(b for b in boites_ouvertes() if b.windowTitle() == titre)


def fichiers(ctx: Contexte, candidature_id: int, code: str) -> list[tuple[str, bool]]:
    with ctx.lecture() as s:
        j = s.query(Justificatif).filter_by(candidature_id=candidature_id, piece_code=code).one()
        return [(f.nom_original, f.actif) for f in s.query(FichierJustificatif).filter_by(justificatif_id=j.id)
                .order_by(FichierJustificatif.id)]


def id_piece(d: MesJustificatifs, code: str) -> int:
    return d.piece(code).id


def deposer_tout(d: MesJustificatifs, dossier: Path) -> None:
    """A PDF for each piece of the group that closes on 10/12/2024."""
    for p in d.groupes[0].pieces:
        assert d.deposer_fichier(p.id, str(pdf(dossier, f"{p.code.lower()}.pdf", p.code)))


def valider(qtbot, d: MesJustificatifs) -> None:
    qtbot.mouseClick(bouton(d, EN_LIGNE), Qt.MouseButton.LeftButton)
    confirmation = boite(qtbot, "Valider le dépôt des pièces")
    assert "elles ne pourront plus être modifiées" in confirmation.text()
    next(b for b in confirmation.buttons() if b.text() == "Valider les pièces").click()


def capturer(d: MesJustificatifs) -> None:
    if not CAPTURES:
        return
    d.resize(960, 950)
    for _ in range(3):      # nested layouts settle over a few turns
        QApplication.processEvents()
    d.grab().save(str(Path(CAPTURES) / "mes-justificatifs.png"))


# --- deposits ----------------------------------------------------------------------------------

def test_deposer_un_pdf_par_le_dialogue_puis_un_png(qtbot, ouvrir, accueil, tmp_path):
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    assert not d.isModal()
    assert par_nom(d, TITRE_EN_LIGNE).isVisible()
    assert texte(d, "Libellé IDENTITE") == "► IDENTITE : Document justifiant l'identité"
    assert texte(d, "Fichier IDENTITE") == "Aucun fichier"
    assert texte(d, "Statut IDENTITE") == ""                       # not reviewed yet: no status (JUS-10)
    assert not bouton(d, "Voir IDENTITE").isVisible() and not bouton(d, "Supprimer IDENTITE").isVisible()
    valider_ = bouton(d, EN_LIGNE)
    assert not valider_.isEnabled()
    assert valider_.toolTip() == "Ajoutez d'abord un fichier pour : ACQUIS, CONFIRMATION, IDENTITE, JDC."

    # « Ajouter… »: a non-blocking file dialog that states the formats and the size accepted.
    qtbot.mouseClick(bouton(d, "Ajouter IDENTITE"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(QFileDialog)))
    choix = ouvertes(QFileDialog)[0]
    assert choix.accessibleName() == "Ajouter IDENTITE"
    assert TEXTE_FORMATS in par_nom(choix, "Formats acceptés", QLabel).text()
    choix.selectFile(str(pdf(tmp_path, "carte identité.pdf")))
    choix.accept()
    qtbot.waitUntil(lambda: texte(d, "Fichier IDENTITE").startswith("carte identité.pdf"))
    assert texte(d, "Fichier IDENTITE") == "carte identité.pdf – Déposé le 10/11/2024 11:00 (heure/Paris)"
    assert bouton(d, "Supprimer IDENTITE").isVisible() and bouton(d, "Ajouter IDENTITE").isEnabled()

    assert d.deposer_fichier(id_piece(d, "ACQUIS"), str(png(tmp_path, "releve.png")))
    assert texte(d, "Fichier ACQUIS") == "releve.png – Déposé le 10/11/2024 11:00 (heure/Paris)"
    assert "ACQUIS : « releve.png » déposé" in texte(d, "Message")
    assert fichiers(accueil, cid, "IDENTITE") == [("carte identité.pdf", True)]
    assert boites_ouvertes() == []

    qtbot.mouseClick(bouton(d, "Voir IDENTITE"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(ApercuPdf)))
    assert ouvertes(ApercuPdf)[0].nombre_pages() == 1
    qtbot.mouseClick(bouton(d, "Voir ACQUIS"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(ApercuImage)))
    image = ouvertes(ApercuImage)[0]
    assert image.windowTitle() == "ACQUIS — releve.png"
    assert (image.image.width(), image.image.height()) == (120, 80)
    assert par_nom(image, "Taille de l'image", QLabel).text() == "120 × 80 pixels"


def test_un_executable_renomme_en_pdf_est_refuse_rien_n_est_stocke(qtbot, ouvrir, accueil, tmp_path):
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    faux = tmp_path / "identite.pdf"
    faux.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program")
    assert not d.deposer_fichier(id_piece(d, "IDENTITE"), str(faux))
    refus = boite(qtbot, "Dépôt refusé")
    assert refus.text().startswith(MESSAGE_FORMAT_REFUSE)      # then what it is: a Windows program
    assert texte(d, "Fichier IDENTITE") == "Aucun fichier"
    assert fichiers(accueil, cid, "IDENTITE") == []
    assert depot_de(accueil.db).hashes() == []                     # not even written to the store
    refus.accept()


def test_supprimer_avant_validation_le_fichier_reste_dans_l_historique(qtbot, ouvrir, accueil, tmp_path):
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    d.deposer_fichier(id_piece(d, "IDENTITE"), str(pdf(tmp_path, "recto.pdf")))
    qtbot.mouseClick(bouton(d, "Supprimer IDENTITE"), Qt.MouseButton.LeftButton)
    assert texte(d, "Fichier IDENTITE") == "Aucun fichier"
    assert not bouton(d, "Supprimer IDENTITE").isVisible()
    assert fichiers(accueil, cid, "IDENTITE") == [("recto.pdf", False)]
    historique = bouton(d, "Historique IDENTITE")
    assert historique.text() == "Historique (1)"
    qtbot.mouseClick(historique, Qt.MouseButton.LeftButton)
    liste = par_nom(d, "Anciens fichiers IDENTITE", QListWidget)
    assert liste.isVisible()
    assert liste.item(0).text() == "recto.pdf – Déposé le 10/11/2024 11:00 (heure/Paris) – remplacé ou supprimé"
    liste.setCurrentRow(0)
    qtbot.keyClick(liste, Qt.Key.Key_Return)                       # Entrée opens the old file
    qtbot.waitUntil(lambda: bool(ouvertes(ApercuPdf)))
    assert ouvertes(ApercuPdf)[0].windowTitle() == "recto.pdf (ancien fichier)"


# --- validation and review -----------------------------------------------------------------------

def test_la_validation_verrouille_le_groupe(qtbot, ouvrir, accueil, clock, tmp_path):
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    deposer_tout(d, tmp_path)
    assert bouton(d, EN_LIGNE).isEnabled()
    clock.advance(minutes=2)
    valider(qtbot, d)
    qtbot.waitUntil(lambda: "Validé le" in texte(d, "Fichier IDENTITE"))
    assert texte(d, "Fichier IDENTITE") == ("identite.pdf – Déposé le 10/11/2024 11:00 (heure/Paris) – "
                                            "Validé le 10/11/2024 11:02 (heure/Paris)")
    assert texte(d, "Statut IDENTITE") == "Statut : En attente de contrôle"
    assert texte(d, "Message") == "4 pièces validées : elles vont être étudiées par le gestionnaire."
    ajouter = bouton(d, "Ajouter IDENTITE")
    assert not ajouter.isEnabled()
    assert ajouter.toolTip().startswith("Le groupe de pièces a été validé le 10/11/2024 11:02")
    assert not bouton(d, "Supprimer IDENTITE").isVisible()
    assert bouton(d, "Voir IDENTITE").isVisible()
    assert not bouton(d, EN_LIGNE).isEnabled()
    assert bouton(d, EN_LIGNE).toolTip() == "Toutes les pièces de ce groupe sont déjà validées."
    # The R.408 attestation has its own deadline: its group is still open.
    assert bouton(d, "Ajouter R408").isEnabled()
    # The service refuses a deposit on a validated piece even when the button is bypassed.
    assert not d.deposer_fichier(id_piece(d, "IDENTITE"), str(pdf(tmp_path, "autre.pdf")))
    assert "validé le 10/11/2024 11:02" in boite(qtbot, "Dépôt refusé").text()
    assert fichiers(accueil, cid, "IDENTITE") == [("identite.pdf", True)]


def test_non_conforme_puis_nouveau_depot_garde_l_ancien_fichier(qtbot, ouvrir, accueil, chef, gestionnaire,
                                                               clock, tmp_path):
    jdc_par_courrier(chef)
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    deposer_tout(d, tmp_path)
    valider(qtbot, d)
    qtbot.waitUntil(lambda: "Validé le" in texte(d, "Fichier ACQUIS"))
    justificatifs.changer_statut(gestionnaire, [id_piece(d, "ACQUIS")], regles.NON_CONFORME,
                                 commentaire="Document illisible")
    justificatifs.changer_statut(gestionnaire, [id_piece(d, "IDENTITE")], regles.CONFORME)
    d.recharger()
    assert texte(d, "Statut ACQUIS") == "Statut : Non conforme"
    assert texte(d, "Commentaire ACQUIS") == "Commentaire du gestionnaire : Document illisible"
    assert texte(d, "Statut IDENTITE") == "Statut : Conforme"
    assert bouton(d, "Ajouter ACQUIS").isEnabled() and not bouton(d, "Ajouter IDENTITE").isEnabled()

    clock.advance(hours=1)
    assert d.deposer_fichier(id_piece(d, "ACQUIS"), str(png(tmp_path, "releve-net.png")))
    assert texte(d, "Fichier ACQUIS") == "releve-net.png – Déposé le 10/11/2024 12:00 (heure/Paris)"
    assert fichiers(accueil, cid, "ACQUIS") == [("acquis.pdf", False), ("releve-net.png", True)]
    assert bouton(d, "Historique ACQUIS").text() == "Historique (1)"
    assert par_nom(d, "Anciens fichiers ACQUIS", QListWidget).item(0).text().startswith("acquis.pdf – Déposé le "
                                                                                       "10/11/2024 11:00")
    assert bouton(d, EN_LIGNE).isEnabled()                          # to be validated again (JUS-10)
    capturer(d)


def test_apres_la_date_limite_ajouter_est_grise_avec_la_raison(qtbot, ouvrir, accueil, clock, tmp_path):
    compte, cid = inscrire(accueil)
    clock.advance(days=31)                                          # 10/12/2024 17:00 is past
    d = ouvrir("accueil", compte)
    ajouter = bouton(d, "Ajouter IDENTITE")
    raison = "La date limite de dépôt est passée (10/12/2024 17:00, heure de Paris)."
    assert not ajouter.isEnabled() and ajouter.toolTip() == raison
    assert bouton(d, "Ajouter R408").isEnabled()                    # until 14/03/2025
    assert not d.deposer_fichier(id_piece(d, "IDENTITE"), str(pdf(tmp_path, "tard.pdf")))
    assert boite(qtbot, "Dépôt refusé").text() == raison
    assert fichiers(accueil, cid, "IDENTITE") == []


# --- postal pieces -------------------------------------------------------------------------------

def test_piece_par_courrier_date_de_reception(qtbot, ouvrir, accueil, chef):
    jdc_par_courrier(chef)
    compte, cid = inscrire(accueil)
    d = ouvrir("accueil", compte)
    assert par_nom(d, TITRE_COURRIER).isVisible()
    assert texte(d, "Statut JDC") == "Statut : En attente de contrôle"
    with pytest.raises(LookupError):
        bouton(d, "Ajouter JDC")
    qtbot.mouseClick(bouton(d, "Réception JDC"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ouvertes(DialogueReception)))
    form = ouvertes(DialogueReception)[0]
    champ = par_nom(form, "Date de réception", QDateEdit)
    assert champ.date() == QDate(2024, 11, 10)                      # today by default
    champ.setDate(QDate(2024, 11, 12))
    qtbot.mouseClick(par_nom(form, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    erreur = par_nom(form, "Erreur : Date de réception", QLabel)
    assert erreur.isVisible() and erreur.text() == "La date de réception ne peut pas être dans le futur."
    assert form.isVisible() and boites_ouvertes() == []
    champ.setDate(QDate(2024, 11, 8))
    qtbot.mouseClick(par_nom(form, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert texte(d, "Statut JDC") == "Statut : Reçue      Date de réception 08/11/2024"
    assert texte(d, "Message") == "JDC : reçue le 08/11/2024."
    vue = next(p for g in justificatifs.mes_justificatifs(accueil, cid) for p in g.pieces if p.code == "JDC")
    assert (vue.statut, vue.date_reception) == (regles.RECUE, date(2024, 11, 8))
