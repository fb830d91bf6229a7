"""« Délibération » driven by accessible names and the keyboard: a refusal naming the missing grades, the
candidates ranked by average, the jury's points on a row, the decisions, « Signer et clore » confirmed
(never by a reflex Entrée), the PV previewed, and a second deliberation refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from cyclades_desktop.services import resultats as res
from cyclades_desktop.ui.apercu_pdf import ApercuPdf
from cyclades_desktop.ui.resultats.zone import ZoneResultats
from tests.fabriques_resultats import AERO, candidature
from tests.unit.test_resultats_deliberation import _jury, _noter

from .helpers import boites_ouvertes, par_nom, taper


@pytest.fixture(autouse=True)
def taches_synchrones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


def lignes(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def cliquer(racine, nom: str) -> None:
    b = par_nom(racine, nom, QPushButton)
    assert b.isVisible() and b.isEnabled(), nom
    b.click()


def derniere_boite(racine: QWidget) -> QMessageBox:
    """The last message box this zone opened (a box left open by another test is not ours)."""
    def de_la_zone(w: QWidget | None) -> bool:
        while w is not None and w is not racine:
            w = w.parentWidget()
        return w is racine

    boites = [b for b in boites_ouvertes() if de_la_zone(b)]
    assert boites
    return boites[-1]


def test_deliberer_points_decisions_signer_clore_et_pv(qtbot, chef, gestionnaire):
    ids = {nom: candidature(chef, i, nom=f"Delib{nom}") for i, nom in enumerate("ABC")}
    jury = _jury(chef, "BCP", [AERO], "Jury écran")
    _noter(gestionnaire, ids["A"], AERO, "10", "5")
    _noter(gestionnaire, ids["B"], AERO, "14", "16")
    zone = ZoneResultats(gestionnaire)
    qtbot.addWidget(zone)
    zone.resize(1366, 700)
    zone.show()
    onglet = zone.aller_a("Délibération")
    assert par_nom(onglet, "Jury").currentData() == jury.id

    cliquer(onglet, "Délibérer")                       # C has no grade yet
    boite = derniere_boite(zone)
    assert boite.text().startswith("Délibération impossible : des notes manquent pour 1 candidat : DELIBC Test")
    boite.close()
    _noter(gestionnaire, ids["C"], AERO, "12", "12")
    cliquer(onglet, "Délibérer")
    table = par_nom(onglet, "Résultats du jury", QTableWidget)
    assert [(x[2], x[4], x[6], x[7]) for x in lignes(table)] == [
        ("DELIBB", "15,00", "Admis", "Bien"), ("DELIBC", "12,00", "Admis", "Assez bien"),
        ("DELIBA", "7,50", "Ajourné", "")]

    # Points on C's row with the keyboard: Entrée opens the dialog
    table.setFocus()
    table.setCurrentCell(1, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialogue = next(w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QDialog) and w.isVisible() and w.accessibleName() == "Points de jury")
    taper(qtbot, par_nom(dialogue, "Points", QLineEdit), "0,5")
    cliquer(dialogue, "Enregistrer")                  # no motif: refused under the field
    assert "Indiquez pourquoi le jury attribue ces points" in par_nom(dialogue, "Erreur : Motif").text()
    taper(qtbot, par_nom(dialogue, "Motif", QPlainTextEdit), "Progrès constatés")
    cliquer(dialogue, "Enregistrer")
    assert not dialogue.isVisible()
    assert (lignes(table)[1][2], lignes(table)[1][4], lignes(table)[1][5]) == ("DELIBC", "12,02", "0,50")  # 0,5 on 28 coeff.

    cliquer(onglet, "Enregistrer les décisions")
    assert {x[8] for x in lignes(table)} == {"Décidé par le jury"}
    cliquer(onglet, "Imprimer le PV")
    apercu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ApercuPdf) and w.isVisible())
    assert apercu.accessibleName() == "Procès-verbal de délibération" and apercu.contenu.startswith(b"%PDF")
    apercu.close()

    cliquer(onglet, "Signer et clore")
    boite = derniere_boite(zone)
    assert boite.defaultButton().text() == "Annuler"          # a reflex Entrée closes nothing
    next(b for b in boite.buttons() if b.text() == "Signer et clore").click()
    vue = res.deliberation_du_jury(chef, jury.id)
    assert vue.etat == "close" and vue.signee_par == "Claire PRÉSIDENT JURY ÉCRAN"
    assert "Procès-verbal signé par Claire PRÉSIDENT JURY ÉCRAN." in onglet.etat.text()
    for nom in ("Délibérer", "Points de jury", "Enregistrer les décisions", "Signer et clore"):
        assert not par_nom(onglet, nom, QPushButton).isEnabled(), nom
    onglet.lancer_deliberation()                                 # refused by the service if forced
    assert "une nouvelle délibération est refusée" in derniere_boite(zone).text()
