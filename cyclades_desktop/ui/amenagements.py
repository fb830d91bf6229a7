"""« Aménagements d'épreuves » of one candidature (docs/domaine/organisation.md#amenagements), opened
from the candidature's card by a gestionnaire or the chef de bureau: the decision on the handicap
request, the measures granted (usual ones ticked, others typed), the extra time and the reason; saving
publishes the « Notification de mesures d'aménagements », which can be previewed before."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError
from ..rules.organisation import (
    LIBELLES_DECISIONS,
    MESURES_USUELLES,
    STATUTS_ACCORDES,
    TIERS_TEMPS,
    StatutAmenagement,
)
from ..rules.temps import format_date_heure
from ..services.noyau import Contexte
from ..services.organisation import SaisieDecision, VueDecision, amenagements
from .apercu_pdf import ApercuPdf, ouvrir_apercu
from .ecran import ajuster_a_l_ecran
from .formulaire import STYLE_AIDE, Formulaire, bouton_action, nommer, signaler

ORDRE_STATUTS = tuple(StatutAmenagement)
MAJORATION_TIERS_TEMPS = 33
NOTE_SANS_HANDICAP = ("Le candidat n'a pas déclaré de handicap sur cette candidature : la décision est "
                      "enregistrée à sa demande.")


class _Zone(QPlainTextEdit):
    """A few lines of text: the form gives every field its size hint as minimum height."""

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)       # Tab moves on, as in the other fields

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), 56)


class DialogueAmenagements(QDialog):
    enregistree = Signal(object)        # the VueDecision saved

    def __init__(self, ctx: Contexte, candidature_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.candidature_id = candidature_id
        self.vue: VueDecision = amenagements.lire(ctx, candidature_id)
        self.apercu: ApercuPdf | None = None
        self.setWindowTitle(f"Aménagements d'épreuves — {self.vue.intitule}")
        self.setAccessibleName("Aménagements d'épreuves")
        ajuster_a_l_ecran(self, 720, 640)

        titre = QLabel("Aménagements d'épreuves")
        titre.setObjectName("titre")
        sous_titre = QLabel(self.vue.intitule)
        sous_titre.setWordWrap(True)
        nommer(sous_titre, "Candidature")
        self.note = QLabel(NOTE_SANS_HANDICAP)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a4b00;")
        nommer(self.note, "Handicap non déclaré")
        self.note.setVisible(not self.vue.handicap)
        self.etat = QLabel()
        self.etat.setWordWrap(True)
        self.etat.setStyleSheet(STYLE_AIDE)
        nommer(self.etat, "Dernière décision")

        self.formulaire = Formulaire()
        self.statut = QComboBox()
        for statut in ORDRE_STATUTS:
            self.statut.addItem(statut.libelle, str(statut))
        self.formulaire.ajouter("statut", "Décision", self.statut, obligatoire=True)
        self.cases: dict[str, QCheckBox] = {}
        mesures = QWidget()
        box_mesures = QVBoxLayout(mesures)
        box_mesures.setContentsMargins(0, 0, 0, 0)
        box_mesures.setSpacing(2)
        for mesure in MESURES_USUELLES:
            case = QCheckBox(mesure)
            nommer(case, mesure)
            box_mesures.addWidget(case)
            self.cases[mesure] = case
        self.formulaire.ajouter("mesures", "Mesures accordées", mesures)
        self.autres = _Zone()
        self.formulaire.ajouter("autres_mesures", "Autres mesures (une par ligne)", self.autres)
        self.majoration = QSpinBox()
        self.majoration.setRange(0, 100)
        self.majoration.setSuffix(" %")
        self.majoration.setToolTip("33 % pour un tiers-temps : les durées de la convocation en tiennent compte.")
        self.formulaire.ajouter("majoration_temps", "Majoration du temps (%)", self.majoration)
        self.motif = _Zone()
        self.formulaire.ajouter("motif", "Motif", self.motif, aide="Obligatoire en cas de refus.")

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #1b6e2a; font-weight: 600;")
        nommer(self.message, "Message")
        self.bouton_enregistrer = bouton_action("&Enregistrer et publier la notification",
                                                "Enregistrer la décision et publier la notification (Alt+E)",
                                                self.enregistrer)
        self.bouton_apercu = bouton_action("A&perçu de la notification",
                                           "Voir la notification telle qu'elle sera publiée (Alt+P)", self.apercevoir)
        fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        bas = QHBoxLayout()
        bas.addWidget(self.bouton_apercu)
        bas.addStretch(1)
        bas.addWidget(self.bouton_enregistrer)
        bas.addWidget(fermer)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(sous_titre)
        box.addWidget(self.note)
        box.addWidget(self.etat)
        box.addWidget(self.formulaire, 1)
        box.addWidget(self.message)
        box.addLayout(bas)

        self.statut.currentIndexChanged.connect(lambda _i: self._selon_statut())
        self.cases[TIERS_TEMPS].toggled.connect(self._tiers_temps)
        self._remplir(self.vue)
        self.statut.setFocus()

    # --- fields ---------------------------------------------------------------------------------
    def _remplir(self, v: VueDecision) -> None:
        self.statut.setCurrentIndex(ORDRE_STATUTS.index(v.statut) if v.statut in ORDRE_STATUTS else 0)
        for mesure, case in self.cases.items():
            case.blockSignals(True)
            case.setChecked(mesure in v.mesures)
            case.blockSignals(False)
        self.autres.setPlainText("\n".join(v.autres))
        self.majoration.setValue(v.majoration_temps)
        self.motif.setPlainText(v.motif)
        if v.row_version:
            par = f" par {v.decide_par}" if v.decide_par else ""
            publie = (f" — notification version {v.notification_version} publiée dans « Mes documents »"
                      if v.notification_version else "")
            self.etat.setText(f"Dernière décision : {LIBELLES_DECISIONS[v.statut]} le "
                              f"{format_date_heure(v.decide_le)} (heure de Paris){par}{publie}.")
        else:
            self.etat.setText("Aucune décision enregistrée pour cette candidature.")
        self._selon_statut()

    def _selon_statut(self) -> None:
        accorde = self.statut.currentData() in STATUTS_ACCORDES
        for case in self.cases.values():
            case.setEnabled(accorde)
        self.autres.setEnabled(accorde)
        self.majoration.setEnabled(accorde)
        self.bouton_apercu.setEnabled(self.statut.currentData() != StatutAmenagement.DEMANDE)
        self.bouton_enregistrer.setText("&Enregistrer et publier la notification"
                                        if self.statut.currentData() != StatutAmenagement.DEMANDE
                                        else "&Enregistrer")

    def _tiers_temps(self, coche: bool) -> None:
        if coche and self.majoration.value() == 0:
            self.majoration.setValue(MAJORATION_TIERS_TEMPS)
        elif not coche and self.majoration.value() == MAJORATION_TIERS_TEMPS:
            self.majoration.setValue(0)

    def saisie(self) -> SaisieDecision:
        return SaisieDecision(
            statut=str(self.statut.currentData()),
            mesures=[m for m, case in self.cases.items() if case.isChecked()],
            autres_mesures=self.autres.toPlainText(), majoration_temps=self.majoration.value(),
            motif=self.motif.toPlainText())

    # --- actions --------------------------------------------------------------------------------
    def enregistrer(self) -> None:
        self.formulaire.effacer_erreurs()
        self.message.clear()
        try:
            vue = amenagements.enregistrer_decision(self.ctx, self.candidature_id, self.saisie(),
                                                    row_version=self.vue.row_version)
        except DomainError as exc:
            signaler(self, exc, self.formulaire, titre="Décision non enregistrée")
            return
        self.vue = vue
        self._remplir(vue)
        if vue.statut == "demande":
            self.message.setText("Demande enregistrée : en attente de décision.")
        else:
            self.message.setText(f"Décision enregistrée : notification version {vue.notification_version} publiée "
                                 "dans « Mes documents ». La convocation sera publiée à nouveau avec ces mesures.")
        self.enregistree.emit(vue)

    def apercevoir(self) -> ApercuPdf | None:
        self.formulaire.effacer_erreurs()
        try:
            nom, contenu = amenagements.apercu_notification(self.ctx, self.candidature_id, self.saisie())
        except DomainError as exc:
            signaler(self, exc, self.formulaire, titre="Aperçu impossible")
            return None
        self.apercu = ouvrir_apercu(self, "Notification de mesures d'aménagements", contenu, nom)
        return self.apercu
