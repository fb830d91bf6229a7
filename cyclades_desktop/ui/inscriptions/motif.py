"""A small non-blocking dialog asking the reason the office gives when it acts outside the rules
open to the candidate (after the period, for a non-individual candidate); the reason is audited."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QLineEdit, QVBoxLayout, QWidget

from ...rules.errors import DomainError, ValidationError
from ...services.inscriptions import MESSAGE_MOTIF
from ..formulaire import Formulaire, nommer, signaler


class DialogueMotif(QDialog):
    """``action(motif)`` runs on OK; a ValidationError on « motif » keeps the dialog open with the
    message under the field, any other refusal is shown and closes it."""

    def __init__(self, parent: QWidget, titre: str, explication: str, libelle: str,
                 action: Callable[[str], None], *, valider: str = "&Continuer") -> None:
        super().__init__(parent)
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.action = action
        self.titre = titre
        self.setMinimumWidth(560)
        texte = QLabel(explication)
        texte.setWordWrap(True)
        nommer(texte, "Explication")
        self.formulaire = Formulaire()
        self.motif = self.formulaire.ajouter("motif", libelle, QLineEdit(), obligatoire=True)
        self.motif.setMinimumWidth(380)
        boutons = QDialogButtonBox()
        self.bouton_ok = boutons.addButton(valider, QDialogButtonBox.ButtonRole.AcceptRole)
        nommer(self.bouton_ok, valider.replace("&", ""))
        annuler = boutons.addButton("&Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        nommer(annuler, "Annuler")
        self.bouton_ok.setDefault(True)
        boutons.accepted.connect(self.valider)
        boutons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(texte)
        box.addWidget(self.formulaire)
        box.addWidget(boutons)
        # Wrapped labels: let the dialog grow to their height rather than clip them.
        box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.motif.setFocus()

    def _erreur(self, message: str) -> None:
        self.formulaire.afficher_erreurs({"motif": message})
        self.adjustSize()

    def valider(self) -> None:
        motif = self.motif.text().strip()
        if not motif:
            self._erreur(MESSAGE_MOTIF)
            return
        try:
            self.action(motif)
        except ValidationError as exc:
            if "motif" in exc.errors:
                self._erreur(exc.errors["motif"])
                return
            signaler(self.parentWidget(), exc, titre=self.titre)
        except DomainError as exc:
            signaler(self.parentWidget(), exc, titre=self.titre)
        self.accept()


def demander_motif(parent: QWidget, titre: str, explication: str, libelle: str,
                   action: Callable[[str], None], *, valider: str = "&Continuer") -> DialogueMotif:
    dialogue = DialogueMotif(parent, titre, explication, libelle, action, valider=valider)
    dialogue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialogue.open()
    return dialogue
