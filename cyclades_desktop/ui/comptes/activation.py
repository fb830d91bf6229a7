"""What the counter tells the candidate once an account is created: the activation code, what really
became of the e-mail carrying it (sent, waiting in the outbox, no mail server), and the code printed
for the candidate when the e-mail cannot be counted on (docs/domaine/comptes.md#activation)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ...rules.courriels import SituationEnvoi
from ...rules.errors import DomainError
from ...services import comptes, courriels
from ...services.comptes import CompteCree, VueCompte
from ...services.noyau import Contexte
from ..formulaire import nommer, signaler

MESSAGE_CODE = "Le message contenant le code d'activation"
MESSAGE_REINITIALISATION = "Le message l'informant de la réinitialisation"
# One sentence per situation: « sent » only when the server accepted it (services/courriels).
PHRASES = {
    SituationEnvoi.ENVOYE: "{message} lui a été envoyé par mail à l'adresse {email}.",
    SituationEnvoi.AUTOMATIQUE: "{message} est dans la boîte d'envoi : il partira automatiquement à l'adresse "
                                "{email} dans les prochaines minutes.",
    SituationEnvoi.EN_ATTENTE: "{message} attend dans la boîte d'envoi : il ne partira à l'adresse {email} "
                               "que lorsqu'il sera envoyé depuis la « Boîte d'envoi ».",
    SituationEnvoi.ECHEC: "{message} n'a pas pu être envoyé à l'adresse {email} (détail dans la « Boîte "
                          "d'envoi »).",
    SituationEnvoi.NON_CONFIGURE: "Aucune messagerie n'est paramétrée : {message_minuscule} reste dans la "
                                  "boîte d'envoi et n'est pas envoyé à l'adresse {email}.",
}


def phrase_envoi(situation: SituationEnvoi, email: str, message: str = MESSAGE_CODE) -> str:
    return PHRASES[situation].format(message=message, message_minuscule=message[0].lower() + message[1:],
                                     email=email)


def situation(ctx: Contexte, message_id: int | None) -> SituationEnvoi:
    """The message's situation; when it cannot be read, the cautious answer (not sent)."""
    if message_id is None:
        return SituationEnvoi.EN_ATTENTE
    try:
        return courriels.situation_message(ctx, message_id)
    except DomainError:
        return SituationEnvoi.EN_ATTENTE


def texte_compte_cree(cree: CompteCree, compte: VueCompte, quand: SituationEnvoi, echeance: str) -> str:
    remettre = ("" if quand == SituationEnvoi.ENVOYE else
                " Remettez-lui le code imprimé (« Imprimer le code »), ou dictez-le-lui.")
    return ("Le compte est en cours de création.\n\n"
            f"N° candidat : {cree.numero_candidat}\n"
            f"Code d'activation : {cree.code_activation}\n\n"
            "L'inscription du candidat sera possible seulement lorsque son compte sera activé. "
            f"{phrase_envoi(quand, compte.email)}{remettre} Saisissez le code dans « Activer le compte » dès "
            "qu'il vous le communique.\n\n"
            f"Le compte doit être activé dans les 48 heures, avant le {echeance} (heure de Paris). Passé ce "
            "délai, ses informations seront effacées et il faudra recommencer la création du compte.")


class DialogueCompteCree(QMessageBox):
    """Window-modal, not blocking: the agent may print the code (the box stays open), then close."""

    def __init__(self, parent: QWidget, ctx: Contexte, cree: CompteCree, compte: VueCompte, echeance: str) -> None:
        self.situation = situation(ctx, cree.message_id)
        super().__init__(QMessageBox.Icon.Information, "Compte créé",
                         texte_compte_cree(cree, compte, self.situation, echeance), QMessageBox.StandardButton.NoButton,
                         parent)
        self.ctx = ctx
        self.cree = cree
        self.apercu: QWidget | None = None
        self.setAccessibleName("Compte créé")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bouton_imprimer = self.addButton("&Imprimer le code…", QMessageBox.ButtonRole.ActionRole)
        nommer(self.bouton_imprimer, "Imprimer le code")
        self.bouton_imprimer.setToolTip("Voir et imprimer le code d'activation pour le candidat")
        self.bouton_fermer = self.addButton("&Fermer", QMessageBox.ButtonRole.AcceptRole)
        nommer(self.bouton_fermer, "Fermer")
        self.setEscapeButton(self.bouton_fermer)
        # Printing is the likely next step when the e-mail will not reach the candidate now.
        self.setDefaultButton(self.bouton_fermer if self.situation == SituationEnvoi.ENVOYE
                              else self.bouton_imprimer)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def done(self, resultat: int) -> None:
        if self.clickedButton() is self.bouton_imprimer:
            self.imprimer()      # QMessageBox closes on any button: this one keeps it open
            return
        super().done(resultat)

    def imprimer(self) -> QWidget | None:
        try:
            contenu = comptes.fiche_code_activation(self.ctx, self.cree.id, self.cree.code_activation)
        except DomainError as exc:
            signaler(self, exc, titre="Impression impossible")
            return None
        from ..apercu_pdf import ouvrir_apercu  # QtPdf loads on first use only

        self.apercu = ouvrir_apercu(self, "Code d'activation", contenu,
                                    f"code-activation-{self.cree.numero_candidat}.pdf")
        return self.apercu
