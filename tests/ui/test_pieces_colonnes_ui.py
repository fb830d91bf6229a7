"""The pièces grid on a 1366×768 laptop: no header cut at both ends (« épôt / réce »), the comment in view,
narrow columns elided with their full name in a tooltip, and the widths a reviewer sets kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

from cyclades_desktop.ui.colonnes import largeurs
from cyclades_desktop.ui.ecran import parametres
from cyclades_desktop.ui.pieces.modele import COLONNES
from cyclades_desktop.ui.pieces.zone import ZonePieces

from . import test_pieces_ui as grille_pieces
from .helpers import par_nom
from .parcours import HAUTEUR, LARGEUR, stabiliser

# The pièces screen's fixtures: three candidatures in the gestionnaire's portfolio, their window.
candidatures = grille_pieces.candidatures
comptage_synchrone = grille_pieces.comptage_synchrone
fenetre_gestion = grille_pieces.fenetre_gestion


def _texte_entier(entete: QHeaderView, colonne: int) -> bool:
    police = entete.font()
    police.setBold(True)        # most styles draw headers bold: measuring bold errs on the safe side
    marge = entete.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, entete)
    texte = entete.model().headerData(colonne, Qt.Orientation.Horizontal)
    return QFontMetrics(police).horizontalAdvance(texte) + 2 * marge <= entete.sectionSize(colonne)


def _grille(fenetre) -> QTableView:  # type: ignore[no-untyped-def]
    fenetre.resize(LARGEUR, HAUTEUR)
    zone = fenetre.aller_a("pieces")
    stabiliser()
    return par_nom(zone, "Liste des pièces", QTableView)


def test_a_1366_pixels_chaque_entete_est_entier_ou_abrege_avec_bulle(qtbot, fenetre_gestion):
    table = _grille(fenetre_gestion)
    entete = table.horizontalHeader()
    vue = table.viewport().width()
    assert 500 < vue < 900, vue           # the grid beside the file viewer
    en_vue = []
    for c in range(entete.count()):
        debut = entete.sectionViewportPosition(c)
        if debut >= vue:
            continue                       # after the others, reached by scrolling
        fin = debut + entete.sectionSize(c)
        assert fin <= vue, f"{COLONNES[c]} coupée par le bord de la liste ({debut}–{fin} > {vue})"
        en_vue.append(COLONNES[c])
        if not _texte_entier(entete, c):
            assert entete.textElideMode() == Qt.TextElideMode.ElideRight, COLONNES[c]
            assert COLONNES[c] in entete.model().headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert en_vue[:6] == ["Candidat", "N° candidat", "Pièce", "Statut", "Dépôt / réception", "Commentaire"]
    # The values that must stay whole do.
    mesure = table.fontMetrics()
    assert entete.sectionSize(1) >= mesure.horizontalAdvance("01000000016")
    assert entete.sectionSize(4) >= mesure.horizontalAdvance("10/11/2024 11:00")


def test_les_largeurs_choisies_sont_gardees(qtbot, fenetre_gestion):
    table = _grille(fenetre_gestion)
    entete = table.horizontalHeader()
    entete.resizeSection(5, 240)            # the reviewer widens « Commentaire »
    assert [int(x) for x in parametres().value("colonnes/pieces")][5] == 240
    fenetre_gestion.resize(LARGEUR - 200, HAUTEUR)
    stabiliser()
    assert entete.sectionSize(5) == 240     # kept, whatever the window does
    fenetre_gestion.zones["pieces"].lancer()   # the list read again (a filter changed)
    assert entete.sectionSize(5) == 240

    autre = ZonePieces(fenetre_gestion.ctx)   # the next day
    qtbot.addWidget(autre)
    assert par_nom(autre, "Liste des pièces", QTableView).horizontalHeader().sectionSize(5) == 240

    zone = fenetre_gestion.zones["pieces"]
    zone.colonnes.ajuster_action.trigger()  # « Ajuster les colonnes à la largeur »
    assert parametres().value("colonnes/pieces") is None
    assert entete.sectionSize(5) != 240
    ajustees = [entete.sectionSize(c) for c in range(entete.count())]
    zone.lancer()
    assert [entete.sectionSize(c) for c in range(entete.count())] == ajustees


def test_partage_de_la_largeur():
    mini, pref, poids, rangs = [100, 90, 80], [150, 90, 200], [1.0, 0.0, 3.0], [1, 1, 2]
    assert largeurs(1000, mini, pref, poids, rangs) == [150 + 140, 90, 200 + 420]   # room for all
    assert largeurs(300, mini, pref, poids, rangs) == [210, 90, 200]   # the first ones fill the list
    assert largeurs(200, mini, pref, poids, rangs) == [110, 90, 200]   # shrunk towards their minimum
    assert largeurs(100, mini, pref, poids, rangs) == [100, 90, 200]   # never below it: scrolling
