"""What the registration wizard's tests share: its labels, and driving it as an agent at the counter does."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)
from sqlalchemy import func, select

from cyclades_desktop.models import Candidature
from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.inscription.assistant import AssistantInscription
from tests.fabriques import compte_actif, session_id

from .helpers import choisir_dans_combo, par_nom, taper

MODALITES = "J'ai lu et j'accepte les modalités d'inscription"
CONDITIONS = "J'accepte les conditions d'inscription"
AUTRE_DIPLOME = "J'ai obtenu un BACPRO d'une autre spécialité, ou obtenu un autre diplôme"
BTS = "BTS DUT DEUG LICENCE Toutes spécialités (depuis 1900)"
CEVEDOM = "CFA CEVEDOM CAYENNE - CAYENNE CEDEX 2 (9730538X)"
AERONAUTIQUE = "Aéronautique option Systèmes (25303)"
DISPENSES = ("E4 : Langue vivante", "E5-A : Français", "E5-B : Histoire-géographie et enseignement moral et civique",
             "E6 : Arts appliqués et cultures artistiques", "E7 : Éducation physique et sportive")
CAPTURES = os.environ.get("CYCLADES_CAPTURES")


def saisir(qtbot, w: QWidget, libelle: str, texte: str) -> QLineEdit:
    champ = par_nom(w, libelle, QLineEdit)
    champ.setFocus()
    champ.clear()
    taper(qtbot, champ, texte)
    return champ


def choisir(w: QWidget, libelle: str, valeur: str) -> None:
    """A plain list: pick the line shown as ``valeur``."""
    combo = par_nom(w, libelle, QComboBox)
    i = combo.findText(valeur)
    assert i >= 0, [combo.itemText(k) for k in range(combo.count())]
    combo.setCurrentIndex(i)


def repondre(w: QWidget, question: str, reponse: str) -> None:
    groupe = par_nom(w, question)
    par_nom(groupe, reponse, QRadioButton).click()


def cocher(qtbot, w: QWidget, libelle: str) -> QCheckBox:
    case = par_nom(w, libelle, QCheckBox)
    case.setFocus()
    qtbot.keyClick(case, Qt.Key.Key_Space)
    return case


def bouton(w: AssistantInscription, texte: str) -> QPushButton:
    return par_nom(w, texte, QPushButton)


def cliquer(qtbot, w: AssistantInscription, texte: str) -> None:
    b = bouton(w, texte)
    assert b.isVisible() and b.isEnabled(), texte
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)


def suivant(qtbot, w: AssistantInscription) -> None:
    depart = w.currentId()
    cliquer(qtbot, w, "Suivant")
    qtbot.waitUntil(lambda: w.currentId() == depart + 1)
    capturer(w)


def erreur(w: QWidget, libelle: str) -> str:
    lab = par_nom(w, f"Erreur : {libelle}", QLabel)
    return lab.text() if lab.isVisibleTo(w) else ""


def capturer(w: AssistantInscription, nom: str | None = None, *, en_bas: bool = False) -> None:
    if not CAPTURES:
        return
    for _ in range(3):   # nested layouts settle over a few turns
        QApplication.processEvents()
    if en_bas:           # where the choices just made show their effect
        barre = w.currentPage().defilement.verticalScrollBar()
        barre.setValue(barre.maximum())
        QApplication.processEvents()
    nom = nom or f"onglet-{w.currentId() + 1}"
    w.grab().save(str(Path(CAPTURES) / f"inscription-{nom}.png"))


def ouvrir(qtbot, ctx: Contexte, saisie: regles.SaisieCandidature | None = None) -> AssistantInscription:
    compte = compte_actif(ctx)
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    w = AssistantInscription(ctx, d, saisie if saisie is not None else inscriptions.saisie_initiale(ctx, d))
    return montrer(qtbot, w)


def montrer(qtbot, w: AssistantInscription) -> AssistantInscription:
    """Shown and active, as on a desk: completers only work in the window that has the focus."""
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def nombre(ctx: Contexte, modele: type) -> int:
    with ctx.lecture() as s:
        return int(s.scalar(select(func.count()).select_from(modele)))


def candidature(ctx: Contexte) -> Candidature:
    with ctx.lecture() as s:
        c = s.scalars(select(Candidature)).one()
        list(c.epreuves)
        return c


def remplir_identification(qtbot, w: AssistantInscription, voie: str, cp: str, localite: str) -> None:
    saisir(qtbot, w, "Numéro, rue, voie", voie)
    saisir(qtbot, w, "Code postal", cp)
    qtbot.waitUntil(lambda: par_nom(w, "Localité", QComboBox).currentText() == localite)
    choisir_dans_combo(qtbot, par_nom(w, "Nationalité", QComboBox), "fran", "Français")
    saisir(qtbot, w, "Téléphone personnel mobile", "06 23 45 67 89")


def aller_jusqu_a(qtbot, w: AssistantInscription, onglet: int) -> None:
    while w.currentId() < onglet:
        if w.currentId() == regles.MODALITES and not par_nom(w, MODALITES, QCheckBox).isChecked():
            cocher(qtbot, w, MODALITES)
        suivant(qtbot, w)
