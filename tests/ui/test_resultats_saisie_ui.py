"""« Saisie des notes » driven by the keyboard: grades typed copy after copy (Entrée moves on), a bad
grade refused beside its cell with nothing written, a blind second entry by another operator with its
discrepancies listed, and a grade changed on another workstation meanwhile."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QLabel, QLineEdit, QListWidget

from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services import resultats as res
from cyclades_desktop.ui.resultats.grille import GrilleNotes
from cyclades_desktop.ui.resultats.zone import ZoneResultats
from tests import fabriques_organisation as org
from tests.fabriques import session_id
from tests.fabriques_resultats import candidature

from .helpers import boites_ouvertes, par_nom


@pytest.fixture(autouse=True)
def taches_synchrones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


@pytest.fixture
def gestion2(creer_agent):
    return creer_agent("gestion2", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])


@pytest.fixture
def lot(chef) -> res.VueLot:
    """E2 (written) with three candidates, numbered and gathered in one lot."""
    salles = org.centre(chef, ("A",))
    creneau = org.creneau(chef, session_id(chef), "E2", "Exploitation", datetime(2025, 6, 16, 8), 240)
    for i in range(3):
        org.affecter(chef, candidature(chef, i), creneau, salles["A"])
    res.generer_anonymats(chef, creneau)
    res.constituer_lots(chef, creneau, 10)
    return res.lister_lots(chef, creneau)[0]


def ouvrir(qtbot, ctx) -> tuple[ZoneResultats, GrilleNotes]:
    zone = ZoneResultats(ctx)
    qtbot.addWidget(zone)
    zone.resize(1366, 700)
    zone.show()
    grille = par_nom(zone, "Notes du lot", GrilleNotes)
    grille.setFocus()
    return zone, grille


def saisir(qtbot, grille: GrilleNotes, texte: str) -> None:
    """Type on the current cell as an operator would: the first key opens the editor."""
    qtbot.keyClicks(grille, texte[0])
    editeur = grille.focusWidget()
    assert isinstance(editeur, QLineEdit) and editeur.accessibleName().startswith("Note de Copie ")
    qtbot.keyClicks(editeur, texte[1:])
    qtbot.keyClick(editeur, Qt.Key.Key_Return)
    # Qt commits the editor's text on the next turn of the event loop.
    qtbot.waitUntil(lambda: grille.state() != QAbstractItemView.State.EditingState)


def notes(grille: GrilleNotes) -> list[str]:
    return [grille.item(r, 2).text() for r in range(grille.rowCount())]


def test_saisie_au_clavier_et_note_refusee_a_cote_de_la_cellule(qtbot, gestionnaire, lot):
    zone, grille = ouvrir(qtbot, gestionnaire)
    assert grille.rowCount() == 3 and (grille.currentRow(), grille.currentColumn()) == (0, 2)
    saisir(qtbot, grille, "12,5")
    assert grille.currentRow() == 1                     # Entrée moved to the next copy
    saisir(qtbot, grille, "21")
    statut = par_nom(zone, "Message de saisie", QLabel).text()
    assert "Une note est sur 20 : « 21 » dépasse 20." in statut
    assert grille.currentRow() == 1 and grille.item(1, 2).toolTip() == "Une note est sur 20 : « 21 » dépasse 20."
    saisir(qtbot, grille, "8.5")
    saisir(qtbot, grille, "abs")
    assert notes(grille) == ["12,50", "8,50", "ABS"]
    lignes = res.saisie_lot(gestionnaire, lot.id).lignes
    assert [x.note for x in lignes] == ["12,50", "8,50", "ABS"]        # written by the service, copy by copy
    assert grille.item(0, 3).text() == "gestion"


def test_di_refuse_par_le_service_rien_n_est_ecrit(qtbot, gestionnaire, lot):
    zone, grille = ouvrir(qtbot, gestionnaire)
    saisir(qtbot, grille, "di")
    assert "DI (dispensé) ne se saisit pas" in grille.item(0, 2).toolTip()
    assert "DI (dispensé) ne se saisit pas" in par_nom(zone, "Message de saisie", QLabel).text()
    assert [x.note for x in res.saisie_lot(gestionnaire, lot.id).lignes] == ["", "", ""]


def test_seconde_saisie_a_l_aveugle_et_ecarts(qtbot, gestionnaire, gestion2, lot):
    _zone, grille = ouvrir(qtbot, gestionnaire)
    for t in ("12", "8,5", "15"):
        saisir(qtbot, grille, t)
    zone, grille = ouvrir(qtbot, gestion2)
    seconde = par_nom(zone, "Seconde saisie (à l'aveugle)", QCheckBox)
    seconde.setChecked(True)
    assert notes(grille) == ["", "", ""]                    # the first grades are hidden
    assert grille.horizontalHeaderItem(2).text() == "Seconde saisie"
    for t in ("12", "5,8", "15"):
        saisir(qtbot, grille, t)
    ecarts = par_nom(zone, "Écarts entre les deux saisies", QListWidget)
    copie = res.saisie_lot(gestionnaire, lot.id).lignes[1].cle
    assert [ecarts.item(i).text() for i in range(ecarts.count())] == [
        f"{copie} : première saisie 8,50 (gestion), seconde saisie 5,80 (gestion2)."]


def test_note_modifiee_sur_un_autre_poste(qtbot, gestionnaire, chef, lot):
    zone, grille = ouvrir(qtbot, gestionnaire)
    premiere = res.saisie_lot(chef, lot.id).lignes[0]
    res.enregistrer_notes_lot(chef, lot.id, [res.SaisieNote(premiere.cle, "14")])      # another workstation
    saisir(qtbot, grille, "11")
    boites = [b for b in boites_ouvertes() if "sur un autre poste" in b.text()]     # not another test's
    assert boites and "a été modifiée entre-temps sur un autre poste (par chef)" in boites[-1].text()
    boites[-1].close()
    qtbot.waitUntil(lambda: grille.item(0, 2).text() == "14,00")        # reloaded: their grade, not ours
    assert "rien n'a été enregistré" in par_nom(zone, "Message de saisie", QLabel).text()
    assert res.saisie_lot(chef, lot.id).lignes[0].note == "14,00"
