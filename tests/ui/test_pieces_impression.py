"""« Imprimer… » in the reviewers' grid: the candidatures of the selected rows (once each) go to the
batch printing dialog, by the button or by Ctrl+P."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QRadioButton

from cyclades_desktop.ui.impressions.zone import DialogueImpression
from tests.ui.helpers import par_nom
from tests.ui.test_pieces_ui import (  # noqa: F401  (fixtures)
    candidatures,
    comptage_synchrone,
    fenetre_gestion,
    selectionner,
    zone,
)


def dialogue_ouvert() -> DialogueImpression:
    trouves = [w for w in QApplication.topLevelWidgets() if isinstance(w, DialogueImpression) and w.isVisible()]
    assert len(trouves) == 1
    assert trouves[0].accessibleName() == "Imprimer la sélection"
    return trouves[0]


def rangees_de(zone, candidature_id: int) -> list[int]:  # noqa: F811
    return [r for r in range(zone.modele.rowCount()) if zone.modele.ligne(r).candidature_id == candidature_id]


def test_ctrl_p_imprime_les_candidatures_des_lignes_choisies(qtbot, zone, candidatures):  # noqa: F811
    premiere, deuxieme, _troisieme = candidatures
    # Three rows of the first candidature and one of the second: two candidatures, once each.
    rangees = rangees_de(zone, deuxieme)[:1] + rangees_de(zone, premiere)[:3]
    table = selectionner(qtbot, zone, *rangees)
    assert zone.candidatures_selectionnees() == list(dict.fromkeys(zone.modele.ligne(r).candidature_id
                                                                   for r in sorted(rangees)))
    qtbot.keyClick(table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialogue = dialogue_ouvert()
    qtbot.addWidget(dialogue)
    portee = par_nom(dialogue, "Sélection courante", QRadioButton)
    assert portee.isChecked() and portee.text() == "Sélec&tion courante (2 candidatures)"
    assert sorted(dialogue.panneau.selection) == sorted([premiere, deuxieme])
    dialogue.close()


def test_le_bouton_imprimer_et_une_seule_piece(qtbot, zone, candidatures):  # noqa: F811
    bouton = par_nom(zone, "Imprimer…", QPushButton)
    assert bouton.isVisibleTo(zone) and bouton.isEnabled() and "Ctrl+P" in bouton.toolTip()
    selectionner(qtbot, zone, rangees_de(zone, candidatures[2])[0])
    qtbot.mouseClick(bouton, Qt.MouseButton.LeftButton)
    dialogue = dialogue_ouvert()
    qtbot.addWidget(dialogue)
    assert dialogue.panneau.selection == [candidatures[2]]
    assert par_nom(dialogue, "Sélection courante", QRadioButton).text() == "Sélec&tion courante (1 candidature)"
    dialogue.close()


def test_sans_selection_un_message(qtbot, zone):  # noqa: F811
    par_nom(zone, "Liste des pièces").clearSelection()
    assert zone.imprimer_selection() is None
    assert "Sélectionnez d'abord" in par_nom(zone, "Message de la liste", QLabel).text()
