"""« Saisie par candidat » of a jury with the keyboard: Tab moves right across the units, Entrée down to the
next candidate, a dispensed unit is greyed with its reason, a bad grade is refused beside its cell, and a
blind second entry lists its discrepancy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QLabel, QLineEdit, QListWidget

from cyclades_desktop.rules.epreuves import DISPENSE
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services import resultats as res
from cyclades_desktop.ui.resultats.grille import GrilleNotes
from cyclades_desktop.ui.resultats.zone import ZoneResultats
from tests.fabriques_resultats import AERO, candidature
from tests.unit.test_resultats_deliberation import _jury

from .helpers import par_nom


@pytest.fixture(autouse=True)
def taches_synchrones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


@pytest.fixture
def gestion2(creer_agent):
    return creer_agent("gestion2", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])


@pytest.fixture
def jury(chef) -> dict[str, int]:
    ids = {"A": candidature(chef, 1, nom="Saisa"), "B": candidature(chef, 2, nom="Saisb", positions={"E1-B": DISPENSE})}
    _jury(chef, "BCP", [AERO], "Jury saisie")
    return ids


def ouvrir(qtbot, ctx) -> tuple[ZoneResultats, GrilleNotes]:
    zone = ZoneResultats(ctx)
    qtbot.addWidget(zone)
    zone.resize(1366, 700)
    zone.show()
    onglet = zone.aller_a("Saisie par candidat")
    grille = par_nom(onglet, "Notes des candidats", GrilleNotes)
    grille.setFocus()
    return zone, grille


def saisir(qtbot, grille: GrilleNotes, texte: str, touche: Qt.Key = Qt.Key.Key_Tab) -> None:
    qtbot.keyClicks(grille, texte[0])
    editeur = grille.focusWidget()
    assert isinstance(editeur, QLineEdit)
    qtbot.keyClicks(editeur, texte[1:])
    qtbot.keyClick(editeur, touche)
    qtbot.waitUntil(lambda: grille.state() != QAbstractItemView.State.EditingState)


def test_saisie_par_candidat_au_clavier(qtbot, gestionnaire, jury):
    zone, grille = ouvrir(qtbot, gestionnaire)
    entetes = [grille.horizontalHeaderItem(c).text() for c in range(grille.columnCount())]
    assert entetes[:4] == ["Candidat", "U11", "U12", "U2"]
    assert grille.horizontalHeaderItem(1).toolTip() == "U11 Mathématiques"
    assert [grille.item(r, 0).text()[:5] for r in range(2)] == ["SAISA", "SAISB"]
    assert (grille.currentRow(), grille.currentColumn()) == (0, 1)
    saisir(qtbot, grille, "12,5")                              # Tab: next unit
    assert (grille.currentRow(), grille.currentColumn()) == (0, 2)
    saisir(qtbot, grille, "9.5", Qt.Key.Key_Return)            # Entrée: next candidate, same unit…
    assert (grille.currentRow(), grille.currentColumn()) == (0, 2)   # …but B's U12 is dispensed: none below
    grille.setCurrentCell(1, 1)
    saisir(qtbot, grille, "25")
    statut = par_nom(zone, "Message de saisie", QLabel).text()
    assert statut.endswith("Une note est sur 20 : « 25 » dépasse 20.")
    assert (grille.currentRow(), grille.currentColumn()) == (1, 1)   # kept on the cell to correct it
    saisir(qtbot, grille, "14")
    assert (grille.currentRow(), grille.currentColumn()) == (1, 3)   # U12 skipped: dispensed
    grille.setCurrentCell(1, 2)
    assert "est dispensée pour ce candidat" in par_nom(zone, "Message de saisie", QLabel).text()
    a = {x.cle: x.note for x in res.notes_candidature(gestionnaire, jury["A"]).lignes}
    b = {x.cle: x.note for x in res.notes_candidature(gestionnaire, jury["B"]).lignes}
    assert (a["E1-A"], a["E1-B"], b["E1-A"], b["E1-B"]) == ("12,50", "9,50", "14,00", "")


def test_seconde_saisie_par_candidat_et_ecart(qtbot, gestionnaire, gestion2, jury):
    res.enregistrer_notes_candidature(gestionnaire, jury["A"], [res.SaisieNote("U11", "12"),
                                                                res.SaisieNote("U12", "8")])
    zone, grille = ouvrir(qtbot, gestion2)
    onglet = zone.aller_a("Saisie par candidat")
    par_nom(onglet, "Seconde saisie (à l'aveugle)", QCheckBox).setChecked(True)
    assert grille.item(0, 1).text() == "" and grille.item(0, 2).text() == ""
    saisir(qtbot, grille, "12")
    saisir(qtbot, grille, "8,5")
    ecarts = par_nom(onglet, "Écarts entre les deux saisies", QListWidget)
    assert [ecarts.item(i).text() for i in range(ecarts.count())] == [
        f"{grille.item(0, 0).text()}, U12 : première saisie 8,00 (gestion), seconde saisie 8,50 (gestion2)."]
