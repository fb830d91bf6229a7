"""The reviewers' grid of pièces justificatives (pytest-qt, real SQLite): keyboard status entry with
the file shown beside the grid, bulk changes, filters, counts, and who may see it."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
)
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import Justificatif
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import PermissionDenied
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.justificatifs.controle import FiltrePieces
from cyclades_desktop.ui import taches
from cyclades_desktop.ui.pieces.zone import ZonePieces
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, par_nom, taper

AUJOURD_HUI = date(2024, 11, 10)      # the fixed clock, Paris time


def pdf(texte: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, texte)
    c.showPage()
    c.save()
    return buf.getvalue()


def png(largeur: int = 60, hauteur: int = 40) -> bytes:
    lignes = b"".join(b"\x00" + bytes((x * 4) % 256 for x in range(largeur)) for _ in range(hauteur))

    def bloc(nom: bytes, donnees: bytes) -> bytes:
        return struct.pack(">I", len(donnees)) + nom + donnees + struct.pack(">I", zlib.crc32(nom + donnees))

    return (b"\x89PNG\r\n\x1a\n" + bloc(b"IHDR", struct.pack(">IIBBBBB", largeur, hauteur, 8, 0, 0, 0, 0))
            + bloc(b"IDAT", zlib.compress(lignes)) + bloc(b"IEND", b""))


@pytest.fixture(autouse=True)
def comptage_synchrone(monkeypatch):
    # The runner's one synchronous mode: the counts (and any other task) are there before the click returns.
    monkeypatch.setenv(taches.ENV_SYNCHRONE, "1")


@pytest.fixture
def candidatures(gestionnaire) -> list[int]:
    """Three aéronautique candidatures (in the gestionnaire's portfolio), 5 pieces each; the first
    one's online pieces carry files, PDF and PNG."""
    with gestionnaire.lecture() as s:
        from cyclades_desktop.models import Portefeuille, Specialite
        filieres = s.get(Portefeuille, "MECANIQUE-AERONAUTIQUE").filieres
        assert s.get(Specialite, "BCP-25303").filiere in filieres
    ids = []
    gens = (("Ngmb-Dupont", "Jeanne"), ("Lefèvre", "Éloïse"), ("Martin", "Paul"))
    for i, (nom, prenoms) in enumerate(gens):
        compte = compte_actif(gestionnaire, email=f"c{i}@exemple.fr", nom=nom, prenoms=prenoms)
        d = inscriptions.demarrer(gestionnaire, compte, session_id(gestionnaire), "BCP")
        ids.append(inscriptions.enregistrer(gestionnaire, d, saisie_seed()).candidature_id)
    premiere = {x.piece_code: x.id for x in controle.grille(gestionnaire, FiltrePieces())
                if x.candidature_id == ids[0]}
    justificatifs.deposer(gestionnaire, premiere["ACQUIS"], "releve.pdf", pdf("Relevé de notes"))
    justificatifs.deposer(gestionnaire, premiere["CONFIRMATION"], "recapitulatif.pdf", pdf("Récapitulatif"))
    justificatifs.deposer(gestionnaire, premiere["IDENTITE"], "carte.png", png())
    justificatifs.deposer(gestionnaire, premiere["IDENTITE"], "carte-recto-verso.png", png(80, 50))
    return ids


@pytest.fixture
def fenetre_gestion(qtbot, db_url, clock, gestionnaire, candidatures) -> Iterator[object]:
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.ctx.db.dispose()


@pytest.fixture
def zone(qtbot, fenetre_gestion) -> ZonePieces:
    assert "Pièces justificatives" in fenetre_gestion.titres_zones()
    z = fenetre_gestion.aller_a("pieces")
    assert isinstance(z, ZonePieces)
    return z


def table_de(zone) -> QTableView:
    return par_nom(zone, "Liste des pièces", QTableView)


def selectionner(qtbot, zone, *rangees: int) -> QTableView:
    table = table_de(zone)
    table.clearSelection()
    table.selectRow(rangees[0])
    for r in rangees[1:]:
        table.selectionModel().select(zone.modele.index(r, 0), table.selectionModel().SelectionFlag.Select
                                      | table.selectionModel().SelectionFlag.Rows)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    return table


def en_base(ctx, justificatif_id: int) -> Justificatif:
    with ctx.lecture() as s:
        return s.get(Justificatif, justificatif_id)


def dialogue(nom: str) -> QDialog:
    trouves = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
               and w.accessibleName() == nom]
    assert trouves, nom
    return trouves[0]


def compteur(zone, libelle: str) -> QPushButton:
    return next(b for b in zone.findChildren(QPushButton) if b.accessibleName().startswith(f"{libelle} : "))


def test_le_portefeuille_est_coche_et_les_fichiers_s_affichent(qtbot, zone, candidatures):
    assert par_nom(zone, "Mon portefeuille").isChecked()
    for nom in ("Session", "Examen", "Spécialité", "Filière", "Statut", "Échéance avant le", "Candidat",
                "Changer le statut", "Actualiser"):
        assert par_nom(zone, nom).isVisibleTo(zone), nom
    assert zone.modele.rowCount() == 15
    assert zone.modele.ligne(0).candidature_id == candidatures[0]
    vue = par_nom(zone, "Aperçu du fichier", QPdfView)
    assert vue.isVisibleTo(zone) and vue.document().pageCount() == 1     # the first row's PDF, at once
    assert "releve.pdf" in par_nom(zone, "Fichier affiché", QLabel).text()
    assert "(heure de Paris)" in par_nom(zone, "Fichier affiché", QLabel).text()


def test_au_clavier_conforme_puis_non_conforme_en_parcourant_la_file(qtbot, zone, gestionnaire):
    table = selectionner(qtbot, zone, 0)
    premiere, deuxieme, troisieme = (zone.modele.ligne(r) for r in range(3))
    qtbot.keyClick(table, Qt.Key.Key_C)
    assert en_base(gestionnaire, premiere.id).statut == rp.CONFORME
    assert en_base(gestionnaire, premiere.id).revu_par == "gestion"
    assert zone.modele.ligne(0).statut_libelle == "Conforme"
    # The queue moves on: the next piece is selected and its file shown.
    assert table.selectionModel().currentIndex().row() == 1
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    assert zone.visionneuse.ligne.id == deuxieme.id
    assert par_nom(zone, "Aperçu du fichier", QPdfView).document().pageCount() > 0
    assert "recapitulatif.pdf" in par_nom(zone, "Fichier affiché", QLabel).text()
    assert compteur(zone, "Conforme").text() == "Conforme : 1"

    qtbot.keyClick(table, Qt.Key.Key_N)
    boite = dialogue("Non conforme : commentaire")
    commentaire = par_nom(boite, "Commentaire", QComboBox)
    qtbot.waitUntil(lambda: commentaire.hasFocus() or commentaire.lineEdit().hasFocus())
    qtbot.keyClick(commentaire, Qt.Key.Key_Down)
    assert commentaire.currentText() == rp.MOTIFS_NON_CONFORMITE[0]
    qtbot.keyClick(commentaire.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not boite.isVisible())
    j = en_base(gestionnaire, deuxieme.id)
    assert (j.statut, j.commentaire) == (rp.NON_CONFORME, "Document illisible")
    assert zone.modele.index(1, 5).data() == "Document illisible"
    assert zone.modele.index(1, 3).data() == "Non conforme"
    # The next piece is the identity card: a PNG, shown as an image, with its earlier file listed.
    assert zone.visionneuse.ligne.id == troisieme.id
    image = par_nom(zone, "Image du fichier", QLabel)
    assert image.isVisibleTo(zone) and image.pixmap() is not None and not image.pixmap().isNull()
    assert par_nom(zone, "Historique des fichiers").count() == 2
    largeur = image.pixmap().width()
    par_nom(zone, "Zoom avant", QToolButton).click()
    assert image.pixmap().width() > largeur


def test_echap_annule_et_un_commentaire_est_exige(qtbot, zone, gestionnaire):
    table = selectionner(qtbot, zone, 3)
    ligne = zone.modele.ligne(3)
    qtbot.keyClick(table, Qt.Key.Key_P)
    boite = dialogue("En attente d'une nouvelle PJ : commentaire")
    boite.valider.click()
    assert boite.isVisible() and "raison" in par_nom(boite, "Erreur", QLabel).text()
    qtbot.keyClick(boite, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not boite.isVisible())
    assert en_base(gestionnaire, ligne.id).statut == ligne.statut
    assert table.selectionModel().currentIndex().row() == 3      # nothing done, the queue did not move
    qtbot.keyClick(table, Qt.Key.Key_P)
    boite = dialogue("En attente d'une nouvelle PJ : commentaire")
    taper(qtbot, par_nom(boite, "Commentaire", QComboBox).lineEdit(), "Photo trop sombre")
    qtbot.keyClick(par_nom(boite, "Commentaire", QComboBox).lineEdit(), Qt.Key.Key_Return)
    j = en_base(gestionnaire, ligne.id)
    assert (j.statut, j.commentaire) == (rp.NOUVELLE_PJ, "Photo trop sombre")


def test_recue_en_masse_avec_la_date_du_jour(qtbot, zone, gestionnaire):
    selectionner(qtbot, zone, 4, 5, 6)
    lignes = [zone.modele.ligne(r) for r in (4, 5, 6)]
    bouton = par_nom(zone, "Changer le statut", QPushButton)
    action = next(a for a in bouton.menu().actions() if a.text() == "Reçue")
    assert action.shortcut().toString() == "R"
    action.trigger()
    boite = dialogue("Reçue : date de réception")
    assert "les 3 pièces sélectionnées" in boite.explication.text()
    champ = par_nom(boite, "Date de réception", QDateEdit)
    assert champ.date().toPython() == AUJOURD_HUI and champ.displayFormat() == "dd/MM/yyyy"
    qtbot.keyClick(champ, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not boite.isVisible())
    for x in lignes:
        j = en_base(gestionnaire, x.id)
        assert (j.statut, j.date_reception) == (rp.RECUE, AUJOURD_HUI)
    assert [zone.modele.ligne(r).statut for r in (4, 5, 6)] == [rp.RECUE] * 3
    assert zone.modele.index(4, 4).data() == "reçue le 10/11/2024"
    assert compteur(zone, "Reçue").text() == "Reçue : 3"
    assert "3 pièces enregistrées" in par_nom(zone, "Message de la liste", QLabel).text()
    # A piece already received keeps its date: R asks nothing.
    table = selectionner(qtbot, zone, 4)
    qtbot.keyClick(table, Qt.Key.Key_C)
    selectionner(qtbot, zone, 4)
    qtbot.keyClick(table, Qt.Key.Key_R)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    j = en_base(gestionnaire, lignes[0].id)
    assert (j.statut, j.date_reception) == (rp.RECUE, AUJOURD_HUI)
    # 0, from the numeric keypad too: back to no status.
    selectionner(qtbot, zone, 4)
    qtbot.keyClick(table, Qt.Key.Key_0, Qt.KeyboardModifier.KeypadModifier)
    assert en_base(gestionnaire, lignes[0].id).statut == rp.AUCUN


def test_conforme_en_masse_demande_confirmation(qtbot, zone, gestionnaire):
    table = selectionner(qtbot, zone, 0, 1)
    qtbot.keyClick(table, Qt.Key.Key_C)
    boite = next(b for b in boites_ouvertes() if b.accessibleName() == "Changer le statut")
    assert "Passer les 2 pièces" in boite.text()
    assert en_base(gestionnaire, zone.modele.ligne(0).id).statut == rp.AUCUN
    next(b for b in boite.buttons() if b.text().startswith("Passer 2 pièces")).click()
    assert {en_base(gestionnaire, zone.modele.ligne(r).id).statut for r in (0, 1)} == {rp.CONFORME}


def test_filtres_statut_candidat_et_compteurs(qtbot, zone, gestionnaire, candidatures):
    ids = [zone.modele.ligne(r).id for r in range(3)]
    justificatifs.changer_statut(gestionnaire, ids[:2], rp.CONFORME)
    justificatifs.changer_statut(gestionnaire, ids[2:], rp.NON_CONFORME, commentaire="Document périmé")
    par_nom(zone, "Actualiser", QPushButton).click()
    statut = par_nom(zone, "Statut", QComboBox)
    statut.setCurrentIndex(statut.findText("Conforme"))
    assert zone.modele.rowCount() == 2
    assert {zone.modele.ligne(r).id for r in range(2)} == set(ids[:2])
    assert compteur(zone, "Conforme").isChecked()
    # The counters say what the database holds (the status filter aside).
    with gestionnaire.lecture() as s:
        q = select(Justificatif.statut, func.count()).group_by(Justificatif.statut)
        en_base_ = dict(s.execute(q).all())
    for code, libelle in rp.STATUTS.items():
        assert compteur(zone, libelle).text() == f"{libelle} : {en_base_.get(code, 0)}", libelle
    assert compteur(zone, "Toutes").text() == "Toutes : 15"
    compteur(zone, "Non conforme").click()
    assert statut.currentText() == "Non conforme" and zone.modele.rowCount() == 1
    compteur(zone, "Toutes").click()
    assert statut.currentData() is None and zone.modele.rowCount() == 15

    numero = next(zone.modele.ligne(r).numero_candidat for r in range(15)
                  if zone.modele.ligne(r).candidature_id == candidatures[1])
    champ = par_nom(zone, "Candidat", QLineEdit)
    taper(qtbot, champ, numero)
    qtbot.keyClick(champ, Qt.Key.Key_Return)
    assert zone.modele.rowCount() == 5
    assert {zone.modele.ligne(r).candidature_id for r in range(5)} == {candidatures[1]}
    assert compteur(zone, "Toutes").text() == "Toutes : 5"
    champ.clear()
    taper(qtbot, champ, "lefev")
    qtbot.waitUntil(lambda: zone.modele.rowCount() == 5, timeout=3000)    # search as you type
    assert zone.modele.ligne(0).candidat == "LEFÈVRE Éloïse"


def test_les_compteurs_sont_comptes_en_arriere_plan(qtbot, zone, monkeypatch):
    monkeypatch.setattr(zone.compteur.executeur, "synchrone", False)
    par_nom(zone, "Actualiser", QPushButton).click()
    assert compteur(zone, "Toutes").text() == "Toutes : …"     # the grid did not wait for the count
    qtbot.waitUntil(lambda: compteur(zone, "Toutes").text() == "Toutes : 15", timeout=10_000)
    zone.compteur.attendre()


def test_l_agent_d_accueil_ne_voit_pas_la_zone(qtbot, db_url, clock, accueil):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    assert "Pièces justificatives" not in w.titres_zones()
    with pytest.raises(PermissionDenied):
        controle.grille(accueil, FiltrePieces())
    with pytest.raises(PermissionDenied):
        controle.compter_par_statut(accueil, FiltrePieces())
    with pytest.raises(PermissionDenied):
        justificatifs.changer_statut(accueil, [1], rp.CONFORME)
    w.ctx.db.dispose()


def test_le_gestionnaire_arrive_sur_le_controle_des_pieces(db_url, clock, gestionnaire, qtbot):
    from cyclades_desktop.app import create_main_window

    fenetre = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(fenetre)
    assert fenetre.navigation.currentItem().text() == "Pièces justificatives"
    accueil = create_main_window(db_url, clock=clock, user="chef")
    qtbot.addWidget(accueil)
    assert accueil.navigation.currentItem().text() == "Candidats"
