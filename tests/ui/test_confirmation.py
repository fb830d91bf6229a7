"""Deleting after a confirmation: cancel does nothing, a refusal is shown and nothing refreshes,
success refreshes the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cyclades_desktop.rules.errors import DomainError
from cyclades_desktop.ui.formulaire import supprimer_apres_confirmation

from .helpers import boites_ouvertes


def bouton(boite, texte: str):  # type: ignore[no-untyped-def]
    return next(b for b in boite.buttons() if b.text() == texte)


def test_annuler_ne_fait_rien(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    appels: list[str] = []
    boite = supprimer_apres_confirmation(parent, "Supprimer la salle", "Supprimer la salle « B12 » ?",
                                         lambda: appels.append("action"), lambda: appels.append("puis"))
    assert "B12" in boite.text()
    bouton(boite, "Annuler").click()
    assert appels == []


def test_refus_affiche_et_rien_ne_se_rafraichit(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    rafraichi: list[bool] = []

    def refuser() -> None:
        raise DomainError("Des candidats sont affectés à cette salle.")

    boite = supprimer_apres_confirmation(parent, "Supprimer la salle", "Supprimer ?", refuser,
                                         lambda: rafraichi.append(True), titre_erreur="Suppression impossible")
    bouton(boite, "Supprimer").click()
    erreur = next(b for b in boites_ouvertes() if b.accessibleName() == "Suppression impossible")
    assert erreur.text() == "Des candidats sont affectés à cette salle."
    erreur.accept()
    assert rafraichi == []


def test_succes_rafraichit(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    appels: list[str] = []
    boite = supprimer_apres_confirmation(parent, "Retirer du planning", "Retirer ?",
                                         lambda: appels.append("action"), lambda: appels.append("puis"),
                                         oui="Retirer")
    bouton(boite, "Retirer").click()
    assert appels == ["action", "puis"] and not [b for b in boites_ouvertes() if b.accessibleName()
                                                 == "Action impossible"]
