"""« Ajouter une nouvelle candidature » (docs/domaine/inscriptions.md#periode): the examen chosen step
by step, the registration period shown before anything is typed, then « Démarrer l'inscription »."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError, ValidationError
from ...rules.temps import format_date_heure
from ...services import inscriptions, referentiel
from ...services.inscriptions import Offre
from ...services.noyau import Contexte, P, autorise
from ..formulaire import STYLE_AIDE, Formulaire, nommer, signaler

STYLE_OUVERT = "color: #1b5e20; font-weight: 600;"
STYLE_FERME = "color: #8a4b00; font-weight: 600;"
STYLE_SECTION = "font-size: 14px; font-weight: 600; color: #1f3a5f; margin-top: 8px;"


def texte_etat_periode(offre: Offre, maintenant: datetime) -> str:
    """The period line (docs/domaine/inscriptions.md#periode), or why it cannot be used now."""
    if offre.ouverte:
        return offre.texte
    if maintenant < offre.ouverture:
        return (f"Les inscriptions ne sont pas encore ouvertes : elles ouvrent le "
                f"{format_date_heure(offre.ouverture)} (heure de Paris).")
    return f"Les inscriptions sont closes depuis le {format_date_heure(offre.cloture)} (heure de Paris)."


def section(texte: str) -> QLabel:
    lab = QLabel(f"▸ {texte}")
    lab.setStyleSheet(STYLE_SECTION)
    return lab


class NouvelleCandidature(QDialog):
    demarre = Signal(object)       # the Demarrage: the caller opens the registration form

    def __init__(self, ctx: Contexte, compte_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.compte_id = compte_id
        self.setWindowTitle("Ajouter une nouvelle candidature")
        self.setAccessibleName("Ajouter une nouvelle candidature")
        self.setMinimumWidth(790)
        self.office = autorise(ctx, P.INSCRIPTIONS_HORS_PERIODE)
        self.offres = inscriptions.offres(ctx)
        self.academie = referentiel.bureau(ctx).academie.upper()

        titre = QLabel("Inscrire le candidat")
        titre.setObjectName("titre")
        self.formulaire = Formulaire()
        self.examen = self.formulaire.ajouter("examen", "Examen", QComboBox())
        self.session = self.formulaire.ajouter("session", "Session", QComboBox())
        self.academie_choix = self.formulaire.ajouter(
            "academie", "Académie", QComboBox(),
            aide="Le bureau n'inscrit qu'aux examens de son académie.")
        for combo in (self.examen, self.session, self.academie_choix):
            # Expanding, so that the form's column (and the help under it) takes the dialog's width.
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        domaines: dict[str, str] = {}
        for o in self.offres:
            domaines.setdefault(o.domaine_code, o.domaine)
        for code, libelle in domaines.items():
            self.examen.addItem(libelle, code)

        self.resume = QLabel()
        nommer(self.resume, "Résumé de la sélection")
        self.resume.setWordWrap(True)
        self.resume.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.periode = QLabel()
        nommer(self.periode, "Période d'inscription")
        self.periode.setWordWrap(True)
        self.consigne = QLabel()
        self.consigne.setWordWrap(True)
        self.consigne.setStyleSheet(STYLE_AIDE)
        nommer(self.consigne, "Consigne")

        self.formulaire_motif = Formulaire()
        self.motif = self.formulaire_motif.ajouter(
            "motif", "Motif de l'inscription hors période", QLineEdit(), obligatoire=True)

        boutons = QDialogButtonBox()
        self.bouton_demarrer = boutons.addButton("&Démarrer l'inscription", QDialogButtonBox.ButtonRole.AcceptRole)
        nommer(self.bouton_demarrer, "Démarrer l'inscription")
        self.bouton_demarrer.setDefault(True)
        annuler = boutons.addButton("&Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        nommer(annuler, "Annuler")
        boutons.accepted.connect(self.demarrer)
        boutons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(section("À quel examen, quelle session et dans quelle académie inscrire le candidat ?"))
        box.addWidget(self.formulaire)
        box.addWidget(section("Résumé de la sélection"))
        box.addWidget(self.resume)
        box.addWidget(section("Informations disponibles"))
        box.addWidget(self.periode)
        box.addWidget(self.consigne)
        box.addWidget(self.formulaire_motif)
        box.addStretch(1)
        box.addWidget(boutons)

        self.examen.currentIndexChanged.connect(lambda _i: self._remplir_sessions())
        self.session.currentIndexChanged.connect(lambda _i: self._actualiser())
        self._remplir_sessions()
        self.examen.setFocus()

    # --- the successive choices ----------------------------------------------------------------
    def _offres_du_domaine(self) -> list[Offre]:
        return [o for o in self.offres if o.domaine_code == self.examen.currentData()]

    def _remplir_sessions(self) -> None:
        offres = self._offres_du_domaine()
        self.session.blockSignals(True)
        self.session.clear()
        for o in offres:
            self.session.addItem(o.session, o.session_id)
        # The session open now is the one the counter almost always wants.
        ouverte = next((i for i, o in enumerate(offres) if o.ouverte), 0)
        self.session.setCurrentIndex(ouverte if offres else -1)
        self.session.blockSignals(False)
        self._actualiser()

    def offre(self) -> Offre | None:
        return next((o for o in self._offres_du_domaine() if o.session_id == self.session.currentData()), None)

    def choisir(self, domaine_code: str, session: str) -> None:
        """Select an examen and a session by their codes (the keyboard does the same through the lists)."""
        self.examen.setCurrentIndex(self.examen.findData(domaine_code))
        self.session.setCurrentIndex(self.session.findText(session))

    def _actualiser(self) -> None:
        o = self.offre()
        self.academie_choix.clear()
        self.formulaire_motif.effacer_erreurs()
        if o is None:
            self.resume.setText("Examen")
            self.periode.setText("Aucun service d'inscription n'est ouvert pour ce choix.")
            self.periode.setStyleSheet(STYLE_FERME)
            self.consigne.clear()
            self.formulaire_motif.setVisible(False)
            self.bouton_demarrer.setEnabled(False)
            return
        academie = f"{self.academie} - ({o.session})"
        self.academie_choix.addItem(academie)
        self.resume.setText(f"Examen  ›  {o.domaine}  ›  {o.session}  ›  {academie}")
        self.periode.setText(texte_etat_periode(o, self.ctx.clock.now()))
        self.periode.setStyleSheet(STYLE_OUVERT if o.ouverte else STYLE_FERME)
        if o.ouverte:
            self.consigne.clear()
        elif self.office:
            self.consigne.setText("En dehors de la période, un gestionnaire ou le chef de bureau peut inscrire "
                                  "le candidat en indiquant le motif.")
        else:
            self.consigne.setText("En dehors de la période, seul un gestionnaire ou le chef de bureau peut "
                                  "inscrire le candidat.")
        self.consigne.setVisible(bool(self.consigne.text()))
        self.formulaire_motif.setVisible(self.office and not o.ouverte)
        self.bouton_demarrer.setEnabled(True)

    # --- Démarrer l'inscription --------------------------------------------------------------
    def demarrer(self) -> None:
        o = self.offre()
        if o is None:
            return
        self.formulaire_motif.effacer_erreurs()
        motif = self.motif.text().strip() if self.formulaire_motif.isVisibleTo(self) else ""
        try:
            demarrage = inscriptions.demarrer(self.ctx, self.compte_id, o.session_id, o.domaine_code,
                                              motif=motif or None)
        except ValidationError as exc:
            if "motif" in exc.errors:
                self.formulaire_motif.setVisible(True)
            signaler(self, exc, self.formulaire_motif, "Inscription impossible")
            return
        except DomainError as exc:
            signaler(self, exc, titre="Inscription impossible")
            return
        self.demarre.emit(demarrage)
        self.accept()
