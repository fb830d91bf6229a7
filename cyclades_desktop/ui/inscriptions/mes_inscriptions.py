"""« Mes inscriptions » in the account's detail (docs/domaine/inscriptions.md#etats): the active
candidatures as cards, « Ajouter une nouvelle candidature », and from each card the form
(consultation, then Modifier), « Mes documents », « Mes justificatifs » and « Se désinscrire »."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...rules.inscriptions import ETATS_ACTIFS, SaisieCandidature
from ...services import inscriptions
from ...services.inscriptions import CarteInscription, Demarrage, Enregistrement
from ...services.inscriptions import lecture as inscriptions_lecture
from ...services.noyau import Contexte, P, autorise
from ..formulaire import STYLE_AIDE, BoutonImmediat, nommer, signaler
from . import desinscription
from .cartes import FEUILLE_CARTES, CarteCandidature, raison_refus_desinscription
from .documents import MesDocuments
from .justificatifs import MesJustificatifs
from .motif import demander_motif
from .nouvelle import NouvelleCandidature


class MesInscriptions(QWidget):
    action_faite = Signal(str)     # a status line for the account's detail, which then reloads

    def __init__(self, ctx: Contexte, compte_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.compte_id = compte_id
        self.ecrire = autorise(ctx, P.INSCRIPTIONS_ECRIRE)
        self.office = autorise(ctx, P.INSCRIPTIONS_HORS_PERIODE)
        self.cartes: list[CarteCandidature] = []
        self.fenetres: list[QWidget] = []          # wizards and dialogs opened from here, kept alive
        self.documents: dict[int, MesDocuments] = {}
        self.justificatifs: dict[int, MesJustificatifs] = {}
        self.compte_actif = False
        self.nombre_actives = 0

        self.bouton_ajouter = BoutonImmediat("&Ajouter une nouvelle candidature")
        nommer(self.bouton_ajouter, "Ajouter une nouvelle candidature")
        self.bouton_ajouter.setAutoDefault(False)
        self.bouton_ajouter.clicked.connect(self.ajouter)
        self.explication = QLabel()
        nommer(self.explication, "Explication des inscriptions")
        self.explication.setWordWrap(True)
        self.explication.setStyleSheet(STYLE_AIDE)
        self.inactives = QCheckBox("Afficher aussi les candidatures inacti&ves")
        nommer(self.inactives, "Afficher aussi les candidatures inactives")
        self.inactives.setToolTip("Désinscrites, annulées, écartées ou supprimées par le gestionnaire")
        self.inactives.toggled.connect(lambda _c: self.charger(self.compte_actif))
        haut = QHBoxLayout()
        haut.addWidget(self.bouton_ajouter)
        haut.addStretch(1)
        haut.addWidget(self.inactives)

        self.vide = QLabel()
        nommer(self.vide, "Aucune candidature")
        self.vide.setWordWrap(True)
        self.vide.setStyleSheet("color: #555; padding: 12px;")
        self.conteneur = QWidget()
        self.conteneur.setStyleSheet(FEUILLE_CARTES)
        self.liste = QVBoxLayout(self.conteneur)
        self.liste.setContentsMargins(2, 2, 8, 2)
        self.liste.setSpacing(10)
        self.liste.addStretch(1)
        defilement = QScrollArea()
        defilement.setWidgetResizable(True)
        defilement.setFrameShape(QFrame.Shape.NoFrame)
        defilement.setWidget(self.conteneur)
        nommer(defilement, "Candidatures")

        box = QVBoxLayout(self)
        box.addLayout(haut)
        box.addWidget(self.explication)
        box.addWidget(self.vide)
        box.addWidget(defilement, 1)

    # --- the cards ----------------------------------------------------------------------------
    def charger(self, compte_actif: bool) -> None:
        self.compte_actif = compte_actif
        avait_focus = self.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        if not compte_actif:
            raison = "Le compte doit être activé (code reçu par mail) avant toute inscription."
        elif not self.ecrire:
            raison = "Votre rôle ne permet pas d'inscrire un candidat."
        else:
            raison = ""
        self.bouton_ajouter.setEnabled(not raison)
        self.bouton_ajouter.setToolTip(raison or "Choisir l'examen et la session, puis remplir le formulaire")
        self.explication.setText(raison)
        self.explication.setVisible(bool(raison))
        try:
            lues = inscriptions_lecture.candidatures(self.ctx, self.compte_id,
                                                     actives_seulement=not self.inactives.isChecked())
        except DomainError as exc:
            signaler(self, exc, titre="Candidatures indisponibles")
            lues = []
        # Active ones first: they are what the counter acts on.
        lues.sort(key=lambda c: not c.active)
        for ancienne in self.cartes:
            self.liste.removeWidget(ancienne)
            ancienne.hide()
            ancienne.deleteLater()    # later: we may be inside one of its signals
        self.cartes = []
        for c in lues:
            carte = CarteCandidature(c, raison_refus_desinscription(c, ecrire=self.ecrire, office=self.office))
            carte.consulter.connect(self.consulter)
            carte.documents.connect(self.ouvrir_documents)
            carte.justificatifs.connect(self.ouvrir_justificatifs)
            carte.desinscrire.connect(self.desinscrire)
            carte.bouton_amenagements.setVisible(autorise(self.ctx, P.AMENAGEMENTS_DECIDER))
            carte.amenagements.connect(self.ouvrir_amenagements)
            carte.bouton_courriers.setVisible(autorise(self.ctx, P.COURRIERS_PRODUIRE))
            carte.courriers.connect(self.ouvrir_courriers)
            self.liste.insertWidget(self.liste.count() - 1, carte)
            carte.show()    # a layout shows a new child of a visible widget only later (queued)
            self.cartes.append(carte)
        actives = sum(c.active for c in lues)
        self.vide.setText("Aucune candidature active." + (
            "" if self.inactives.isChecked() else " Cochez « Afficher aussi les candidatures inactives » pour "
                                                 "voir les candidatures désinscrites, annulées ou écartées."))
        self.vide.setVisible(not lues)
        self.nombre_actives = actives
        if avait_focus:
            (self.cartes[0] if self.cartes else self.bouton_ajouter).setFocus()

    def carte(self, numero: str) -> CarteCandidature:
        return next(c for c in self.cartes if c.carte.numero_inscription == numero)

    def _garder(self, fenetre: QWidget) -> None:
        self.fenetres = [f for f in self.fenetres if shiboken6.isValid(f) and f.isVisible()] + [fenetre]

    def _vivant(self) -> bool:
        return shiboken6.isValid(self)

    # --- new candidature ----------------------------------------------------------------------
    def ajouter(self) -> NouvelleCandidature | None:
        try:
            dialogue = NouvelleCandidature(self.ctx, self.compte_id, self.window())
        except DomainError as exc:
            signaler(self, exc, titre="Inscription impossible")
            return None
        dialogue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialogue.demarre.connect(lambda d: self._vivant() and self._demarre(d))
        dialogue.show()
        self._garder(dialogue)
        return dialogue

    def _demarre(self, d: Demarrage) -> None:
        try:
            saisie = inscriptions.saisie_initiale(self.ctx, d)
        except DomainError as exc:
            signaler(self, exc, titre="Inscription impossible")
            return
        self.ouvrir_assistant(d, saisie)

    # --- the form: consultation, modification --------------------------------------------------
    def ouvrir_assistant(self, d: Demarrage, saisie: SaisieCandidature, *, consultation: bool = False
                         ) -> QDialog | None:
        try:
            from ..inscription.assistant import AssistantInscription
        except ImportError:
            signaler(self, DomainError("Le formulaire d'inscription n'est pas disponible dans cette version."),
                     titre="Formulaire indisponible")
            return None
        # Parented to the main window: going back to the list of accounts must not lose a form in progress.
        assistant = AssistantInscription(self.ctx, d, saisie, consultation=consultation, parent=self.window())
        assistant.enregistre.connect(lambda e: self._vivant() and self._enregistre(e))
        if consultation and d.candidature_id is not None:
            cid = d.candidature_id
            assistant.modifier_demande.connect(lambda: self._vivant() and self.modifier(cid, assistant))
        assistant.finished.connect(lambda _r: assistant.deleteLater())
        assistant.show()
        self._garder(assistant)
        return assistant

    def consulter(self, carte: CarteInscription) -> QDialog | None:
        """« Mon inscription »: the form on its Récapitulatif, read-only until Modifier."""
        try:
            d, saisie = inscriptions.ouvrir(self.ctx, carte.id)
        except DomainError as exc:
            signaler(self, exc, titre="Consultation impossible")
            return None
        return self.ouvrir_assistant(d, saisie, consultation=True)

    def modifier(self, candidature_id: int, consultation: QWidget | None = None) -> None:
        """Modifier, from the consultation: outside the period the office gives a reason first,
        the agent gets the service's refusal."""
        parent = consultation if consultation is not None and shiboken6.isValid(consultation) else self
        try:
            d, saisie = inscriptions.ouvrir(self.ctx, candidature_id)
            hors = inscriptions.hors_periode(self.ctx, d.session_id, d.domaine_code)
        except DomainError as exc:
            signaler(parent, exc, titre="Modification impossible")
            return
        if hors and self.office and d.etat in ETATS_ACTIFS:
            demander_motif(parent, "Modification hors période",
                           f"Les inscriptions sont closes pour {d.domaine} session {d.session}. La modification "
                           f"de la candidature n° {d.numero_inscription} est possible pour le bureau, en "
                           "indiquant le motif.",
                           "Motif de la modification", lambda motif: self._modifier(d, saisie, motif, consultation))
            return
        try:
            self._modifier(d, saisie, None, consultation)
        except DomainError as exc:
            signaler(parent, exc, titre="Modification impossible")

    def _modifier(self, d: Demarrage, saisie: SaisieCandidature, motif: str | None,
                  consultation: QWidget | None) -> None:
        prepare = inscriptions.preparer_modification(self.ctx, d, motif=motif)
        if consultation is not None and shiboken6.isValid(consultation):
            consultation.close()
        self.ouvrir_assistant(prepare, saisie)

    def _enregistre(self, e: Enregistrement) -> None:
        # A modification may publish a new récapitulatif and change the pieces required.
        for dialogue in [*self.documents.values(), *self.justificatifs.values()]:
            if shiboken6.isValid(dialogue):
                dialogue.recharger()
        self.action_faite.emit(
            f"Candidature {e.numero_inscription} enregistrée (version {e.version}) : le récapitulatif est "
            "disponible dans « Documents ».")

    # --- documents, désinscription -------------------------------------------------------------
    def ouvrir_documents(self, carte: CarteInscription) -> MesDocuments:
        dialogue = self.documents.get(carte.id)
        if dialogue is not None and shiboken6.isValid(dialogue):
            dialogue.recharger()
        else:
            dialogue = MesDocuments(self.ctx, carte.id, _intitule(carte), self.window())
            self.documents[carte.id] = dialogue
        dialogue.show()
        dialogue.raise_()
        dialogue.activateWindow()
        return dialogue

    def ouvrir_justificatifs(self, carte: CarteInscription) -> MesJustificatifs:
        dialogue = self.justificatifs.get(carte.id)
        if dialogue is not None and shiboken6.isValid(dialogue):
            dialogue.recharger()
        else:
            dialogue = MesJustificatifs(self.ctx, carte.id, _intitule(carte), self.window())
            self.justificatifs[carte.id] = dialogue
        dialogue.show()
        dialogue.raise_()
        dialogue.activateWindow()
        return dialogue

    def ouvrir_amenagements(self, carte: CarteInscription) -> QWidget:
        from ..amenagements import DialogueAmenagements

        dialogue = DialogueAmenagements(self.ctx, carte.id, self.window())
        self.fenetres.append(dialogue)
        # A new notification is published: an open « Mes documents » shows it.
        dialogue.enregistree.connect(lambda _v: self._recharger_documents(carte.id))
        dialogue.show()
        dialogue.raise_()
        dialogue.activateWindow()
        return dialogue

    def ouvrir_courriers(self, carte: CarteInscription) -> QWidget:
        from ..courriers import ouvrir

        dialogue = ouvrir(self.ctx, carte.id, _intitule(carte), self.window())
        self.fenetres.append(dialogue)
        return dialogue

    def _recharger_documents(self, candidature_id: int) -> None:
        documents = self.documents.get(candidature_id)
        if documents is not None and shiboken6.isValid(documents):
            documents.recharger()

    def desinscrire(self, carte: CarteInscription) -> QWidget:
        def fait() -> None:
            if self._vivant():
                self.action_faite.emit(f"Candidature {carte.numero_inscription} désinscrite : un message de "
                                       "confirmation a été enregistré.")
        return desinscription.lancer(self, self.ctx, carte, fait)


def _intitule(carte: CarteInscription) -> str:
    return f"Candidature n° {carte.numero_inscription} — {carte.domaine} {carte.specialite} — session {carte.session}"
