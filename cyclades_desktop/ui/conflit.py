"""« Modifié sur un autre poste »: a save refused because another workstation saved first.

Shows who changed the record and when, what they changed (value when this workstation opened it,
value now, the user's value), and offers to reload the record with the user's own changes
re-applied for review (nothing is saved by this dialog) or to drop them. Non-blocking (open()).
Échap or closing the window chooses neither: the form stays as typed, Enregistrer asks again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.noyau.conflits import Conflit
from .ecran import ajuster_a_l_ecran

TITRE = "Modifié sur un autre poste"
REAPPLIQUER = "Recharger et réappliquer mes modifications"
ABANDONNER = "Abandonner mes modifications"
COLONNES = ("Champ", "À l'ouverture", "Maintenant", "Votre valeur")
FOND_COLLISION = QColor("#fde2e1")


class DialogueConflit(QDialog):
    def __init__(self, parent: QWidget, conflit: Conflit, *, reappliquer: Callable[[], None],
                 abandonner: Callable[[], None], suite: str | None = None) -> None:
        super().__init__(parent)
        self.conflit = conflit
        self.setWindowTitle(TITRE)
        self.setAccessibleName(TITRE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.WindowModal)   # the form stays visible, untouched

        self.explication = QLabel(
            f"{conflit.phrase}, pendant votre saisie. Votre enregistrement a été refusé : rien n'a été "
            "écrasé, et ce que vous avez saisi est conservé.")
        self.explication.setWordWrap(True)
        self.explication.setAccessibleName("Explication")

        self.table = QTableWidget(len(conflit.changements), len(COLONNES))
        self.table.setAccessibleName("Modifications faites sur l'autre poste")
        self.table.setHorizontalHeaderLabels(list(COLONNES))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for r, c in enumerate(conflit.changements):
            for col, valeur in enumerate((c.libelle, c.a_l_ouverture, c.maintenant, c.votre_valeur)):
                item = QTableWidgetItem(valeur)
                if c.collision:
                    item.setBackground(QBrush(FOND_COLLISION))
                    item.setToolTip("Modifié des deux côtés : la valeur de l'autre poste est conservée, "
                                    "la vôtre est rappelée ici.")
                self.table.setItem(r, col, item)
        if not conflit.changements:
            self.table.setVisible(False)

        lignes = []
        if conflit.reappliques:
            lignes.append("Vos modifications qui seront réappliquées : " + ", ".join(conflit.reappliques) + ".")
        if conflit.non_reappliques:
            lignes.append("Modifiées des deux côtés (en rouge) : la valeur de l'autre poste sera affichée ; "
                          "ressaisissez la vôtre si elle doit l'emporter : "
                          + ", ".join(conflit.non_reappliques) + ".")
        lignes.append("Après le rechargement, vérifiez le formulaire puis enregistrez à nouveau : rien n'est "
                      "enregistré sans vous.")
        self.suite = QLabel(suite or "\n".join(lignes))   # a screen may say what « réappliquer » does there
        self.suite.setWordWrap(True)
        self.suite.setAccessibleName("Ce qui sera réappliqué")

        boutons = QDialogButtonBox()
        self.bouton_reappliquer: QPushButton = boutons.addButton(
            "&" + REAPPLIQUER, QDialogButtonBox.ButtonRole.AcceptRole)
        self.bouton_reappliquer.setAccessibleName(REAPPLIQUER)
        self.bouton_reappliquer.setToolTip("Afficher la version actuelle avec vos modifications, à vérifier (Entrée)")
        self.bouton_reappliquer.setDefault(True)
        # Not the Échap button: dropping the user's input must be an explicit choice.
        self.bouton_abandonner: QPushButton = boutons.addButton(
            "A&bandonner mes modifications", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.bouton_abandonner.setAccessibleName(ABANDONNER)
        self.bouton_abandonner.setToolTip("Afficher la version actuelle et oublier votre saisie")
        self.bouton_abandonner.clicked.connect(self.abandonner)
        self._reappliquer, self._abandonner = reappliquer, abandonner
        boutons.accepted.connect(self.accept)

        box = QVBoxLayout(self)
        box.addWidget(self.explication)
        box.addWidget(self.table, 1)
        box.addWidget(self.suite)
        box.addWidget(boutons)
        self.setMinimumWidth(720)
        ajuster_a_l_ecran(self, 760, 220 + 30 * max(1, len(conflit.changements)))

    def accept(self) -> None:
        super().accept()
        self._reappliquer()

    def abandonner(self) -> None:
        super().reject()
        self._abandonner()


def montrer_conflit(parent: QWidget, conflit: Conflit, *, reappliquer: Callable[[], None],
                    abandonner: Callable[[], None], suite: str | None = None) -> DialogueConflit:
    dialogue = DialogueConflit(parent, conflit, reappliquer=reappliquer, abandonner=abandonner, suite=suite)
    dialogue.open()
    return dialogue
