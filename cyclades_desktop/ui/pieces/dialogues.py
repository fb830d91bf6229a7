"""What a status needs before it is set (docs/domaine/justificatifs.md#statuts): the reception date
of a piece marked Reçue, the comment the candidate will read for Non conforme and En attente d'une
nouvelle PJ. Small non-modal dialogs: Entrée validates, Échap cancels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...rules import pieces as regles
from ..formulaire import STYLE_ERREUR, nommer


def _pieces(n: int) -> str:
    return "la pièce sélectionnée" if n == 1 else f"les {n} pièces sélectionnées"


class _Dialogue(QDialog):
    def __init__(self, parent: QWidget, titre: str, explication: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.explication = QLabel(explication)
        self.explication.setWordWrap(True)
        self.erreur = QLabel()
        self.erreur.setStyleSheet(STYLE_ERREUR)
        self.erreur.setWordWrap(True)
        nommer(self.erreur, "Erreur")
        self.erreur.setVisible(False)
        self.boutons = QDialogButtonBox()
        self.valider = self.boutons.addButton("&Valider", QDialogButtonBox.ButtonRole.AcceptRole)
        self.valider.setToolTip("Enregistrer le statut (Entrée)")
        self.valider.setDefault(True)
        annuler = self.boutons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        annuler.setToolTip("Ne rien changer (Échap)")
        self.boutons.accepted.connect(self._valider)
        self.boutons.rejected.connect(self.reject)
        self.box = QVBoxLayout(self)
        self.box.addWidget(self.explication)

    def _finir(self) -> None:
        self.box.addWidget(self.erreur)
        self.box.addWidget(self.boutons)
        self.setMinimumWidth(460)

    def _valider(self) -> None:
        raise NotImplementedError

    def montrer_erreur(self, message: str) -> None:
        self.erreur.setText(message)
        self.erreur.setVisible(True)


class DialogueCommentaire(_Dialogue):
    """A reason from the catalogue, or typed: the candidate reads it
    (docs/domaine/justificatifs.md#statuts)."""

    def __init__(self, parent: QWidget, statut: str, n: int, valide: Callable[[str], None],
                 commentaire: str = "") -> None:
        libelle = regles.STATUTS[statut]
        super().__init__(parent, f"{libelle} : commentaire",
                         f"Statut « {libelle} » pour {_pieces(n)}. Le candidat lira ce commentaire ; "
                         "choisissez un motif ou écrivez-le.")
        self._valide = valide
        etiquette = QLabel("&Commentaire :")
        self.commentaire = QComboBox()
        nommer(self.commentaire, "Commentaire")
        self.commentaire.setEditable(True)
        self.commentaire.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.commentaire.addItems(list(regles.MOTIFS_NON_CONFORMITE))
        self.commentaire.setCurrentIndex(-1)
        self.commentaire.setEditText(commentaire)
        self.commentaire.lineEdit().setPlaceholderText("Motif de la demande…")
        self.commentaire.setToolTip("Flèches haut et bas ou Alt+Bas : motifs habituels ; ou saisissez le "
                                    "texte")
        etiquette.setBuddy(self.commentaire)
        self.box.addWidget(etiquette)
        self.box.addWidget(self.commentaire)
        self._finir()
        self.commentaire.setFocus()

    def texte(self) -> str:
        return self.commentaire.currentText().strip()

    def _valider(self) -> None:
        if not self.texte():
            self.montrer_erreur("Indiquez la raison : elle sera lue par le candidat.")
            self.commentaire.setFocus()
            return
        self.accept()
        self._valide(self.texte())


class DialogueReception(_Dialogue):
    """The date a posted piece arrived (the postmark counts for the deadline:
    docs/domaine/justificatifs.md#courrier)."""

    def __init__(self, parent: QWidget, n: int, aujourd_hui: date, valide: Callable[[date], None]) -> None:
        super().__init__(parent, "Reçue : date de réception",
                         f"Statut « Reçue » pour {_pieces(n)}. Les pièces qui ont déjà une date de réception "
                         "la gardent.")
        self._valide = valide
        self._aujourd_hui = QDate(aujourd_hui.year, aujourd_hui.month, aujourd_hui.day)
        etiquette = QLabel("&Date de réception :")
        self.date = QDateEdit(self._aujourd_hui)
        nommer(self.date, "Date de réception")
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(self._aujourd_hui)
        self.date.setToolTip("jj/mm/aaaa ; aujourd'hui par défaut ; Alt+Bas : calendrier")
        etiquette.setBuddy(self.date)
        self.box.addWidget(etiquette)
        self.box.addWidget(self.date)
        self._finir()
        self.date.setFocus()

    def valeur(self) -> date:
        return self.date.date().toPython()  # type: ignore[return-value]

    def _valider(self) -> None:
        self.accept()
        self._valide(self.valeur())
