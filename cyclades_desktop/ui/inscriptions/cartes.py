"""One candidature as a card of « Mes inscriptions » (docs/domaine/inscriptions.md#etats): its number,
examen, spécialité, académie, établissement, session and state, with the actions possible on it (Mon
inscription, Mes documents, Mes justificatifs, Se désinscrire)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services.inscriptions import CarteInscription
from ..formulaire import nommer

BADGES = {
    "inscrit": "background: #e3f1e5; color: #1b5e20; border: 1px solid #9ccfa4;",
    "a_completer": "background: #fff1dc; color: #8a4b00; border: 1px solid #f0c27a;",
}
BADGE_INACTIF = "background: #eceff1; color: #555; border: 1px solid #c4cbd1;"
# The cards' own look, so that they read as cards even where the application's style is not applied.
# Narrower buttons than elsewhere: four actions must fit the account's half-width column.
FEUILLE_CARTES = """
QFrame#carte { background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0px; }
QFrame#carte:focus { border: 2px solid #1f5fbf; }
QFrame#carte[inactive="true"] { background: #f3f4f6; border-style: dashed; }
QFrame#carte[inactive="true"] QLabel { color: #6b7280; }
QLabel#carte_domaine { font-weight: 600; color: #1f3a5f; }
QFrame#carte QPushButton { padding: 5px 8px; }
QFrame#carte[inactive="true"] QLabel#carte_domaine { color: #6b7280; }
"""


def raison_refus_desinscription(carte: CarteInscription, *, ecrire: bool, office: bool) -> str:
    """Why « Désinscrire » is greyed on this card ("" when it is not)."""
    if carte.desinscriptible:
        return ""
    if not carte.active:
        return f"Cette candidature n'est plus active (« {carte.etat_libelle} »)."
    if not ecrire:
        return "Votre rôle ne permet pas de désinscrire un candidat."
    if not carte.individuel:
        return ("Seul un candidat individuel peut se désinscrire ; pour ce candidat, adressez-vous à un "
                "gestionnaire ou au chef de bureau.")
    if not carte.periode_ouverte and not office:
        return ("Les inscriptions sont closes : seul un gestionnaire ou le chef de bureau peut désinscrire "
                "le candidat.")
    return "La désinscription n'est pas possible."


class CarteCandidature(QFrame):
    consulter = Signal(object)       # the CarteInscription
    documents = Signal(object)
    justificatifs = Signal(object)
    desinscrire = Signal(object)
    amenagements = Signal(object)    # the office's decision on aménagements (gestionnaire, chef)
    courriers = Signal(object)       # a letter from the office's DOCX templates

    def __init__(self, carte: CarteInscription, refus_desinscription: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.carte = carte
        n = carte.numero_inscription
        self.setObjectName("carte")
        self.setProperty("inactive", not carte.active)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Candidature {n}")
        self.setAccessibleDescription(
            f"{carte.domaine} {carte.specialite}, session {carte.session}, {carte.etat_libelle}. "
            "Entrée : Consulter.")

        numero = QLabel(f"N° : {n}")
        numero.setStyleSheet("font-weight: 600;")
        nommer(numero, f"N° d'inscription {n}")
        self.badge = QLabel(carte.etat_libelle)
        nommer(self.badge, f"État {n}")
        self.badge.setStyleSheet(
            "padding: 2px 10px; border-radius: 9px; font-weight: 600; "
            + (BADGES.get(carte.etat, BADGE_INACTIF) if carte.active else BADGE_INACTIF))
        haut = QHBoxLayout()
        haut.addWidget(numero)
        haut.addStretch(1)
        haut.addWidget(self.badge)

        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(3)
        box.addLayout(haut)
        domaine = QLabel(carte.domaine)
        domaine.setObjectName("carte_domaine")
        domaine.setAccessibleName(f"Examen {n}")
        box.addWidget(domaine)
        for nom, texte in ((f"Spécialité {n}", carte.specialite or "Spécialité non choisie"),
                           (f"Académie {n}", carte.academie),
                           (f"Établissement {n}", f"Établissement : {carte.etablissement or '—'}"),
                           (f"Session {n}", f"Session {carte.session}")):
            lab = QLabel(texte)
            lab.setWordWrap(True)
            nommer(lab, nom)
            box.addWidget(lab)

        self.bouton_consulter = self._bouton("Consulter", n, self.consulter,
                                             "Consulter le récapitulatif ; Modifier depuis la consultation")
        self.bouton_documents = self._bouton("Documents", n, self.documents,
                                             "Récapitulatif et autres documents publiés, par version")
        self.bouton_justificatifs = self._bouton("Justificatifs", n, self.justificatifs,
                                                 "Pièces justificatives : ajouter les fichiers, valider le dépôt, "
                                                 "enregistrer la réception d'un courrier")
        self.bouton_desinscrire = self._bouton("Désinscrire", n, self.desinscrire,
                                               refus_desinscription or "Désinscrire le candidat de cet examen")
        self.bouton_desinscrire.setEnabled(not refus_desinscription)
        self.bouton_desinscrire.setAccessibleDescription(refus_desinscription)
        # Shown by the list only to those who may decide (gestionnaire, chef de bureau).
        self.bouton_amenagements = self._bouton("Aménagements…", n, self.amenagements,
                                                "Décision sur les aménagements d'épreuves (handicap) et "
                                                "notification au candidat")
        self.bouton_amenagements.setVisible(False)
        self.bouton_courriers = self._bouton("Courriers…", n, self.courriers,
                                             "Attestation d'inscription, relance de pièces… à partir des modèles "
                                             "du bureau (.docx)")
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 6, 0, 0)
        actions.addWidget(self.bouton_consulter)
        actions.addWidget(self.bouton_documents)
        actions.addWidget(self.bouton_justificatifs)
        actions.addStretch(1)
        actions.addWidget(self.bouton_desinscrire)
        box.addLayout(actions)
        # The office's own actions on a second row: the first one is full at half the window's width.
        bureau = QHBoxLayout()
        bureau.setContentsMargins(0, 2, 0, 0)
        bureau.addWidget(self.bouton_amenagements)
        bureau.addWidget(self.bouton_courriers)
        bureau.addStretch(1)
        box.addLayout(bureau)

    def _bouton(self, texte: str, numero: str, signal: Signal, aide: str) -> QPushButton:
        b = QPushButton(texte)
        nommer(b, f"{texte} {numero}")
        b.setToolTip(aide)
        b.setAutoDefault(False)
        b.clicked.connect(lambda: signal.emit(self.carte))
        return b

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.consulter.emit(self.carte)
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.consulter.emit(self.carte)
        super().mouseDoubleClickEvent(event)
