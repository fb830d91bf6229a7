"""Dialogs of the "Sessions et périodes" tab: new session, registration period, deadline."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from ...rules.referentiel import CONSEQUENCES, MODES_DEPOT, REGLES_ECHEANCE, TYPES_SESSION
from ...rules.temps import paris
from ...services.noyau import Contexte
from ...services.referentiel import VueDomaine, VueEcheance, VuePeriode, VueSession, edition
from .commun import DialogueFormulaire, champ_date_heure, depuis_champ, vers_champ

AIDE_PARIS = "Heure de Paris, au format jj/mm/aaaa hh:mm."


def combo_domaines(domaines: list[VueDomaine], choisi: str | None = None) -> QComboBox:
    c = QComboBox()
    for d in domaines:
        c.addItem(f"{d.code} — {d.libelle}", d.code)
    if choisi is not None:
        c.setCurrentIndex(max(0, c.findData(choisi)))
    return c


class DialogueSession(DialogueFormulaire):
    def __init__(self, parent: QWidget, ctx: Contexte) -> None:
        super().__init__(parent, "Nouvelle session")
        self.ctx = ctx
        self.annee = QSpinBox()
        self.annee.setRange(edition.ANNEE_MIN, edition.ANNEE_MAX)
        self.annee.setValue(paris(ctx.clock.now()).year + 1)
        self.libelle = QLineEdit()
        self.libelle.setPlaceholderText("exemple : 2026 ou NOVEMBRE 2025 VAE")
        self.type = QComboBox()
        for code, libelle in TYPES_SESSION.items():
            self.type.addItem(libelle, code)
        self.form.ajouter("annee", "Année", self.annee, obligatoire=True)
        self.form.ajouter("libelle", "Libellé", self.libelle, obligatoire=True)
        self.form.ajouter("type", "Type de session", self.type)

    def executer(self) -> object:
        return edition.creer_session(self.ctx, self.annee.value(), self.libelle.text(), self.type.currentData())


class DialoguePeriode(DialogueFormulaire):
    """Create or change the registration period of one domaine (Paris wall clock)."""

    def __init__(self, parent: QWidget, ctx: Contexte, session: VueSession, domaines: list[VueDomaine],
                 periode: VuePeriode | None) -> None:
        titre = (f"Période d'inscription {periode.domaine_code} — session {session.libelle}" if periode
                 else f"Nouvelle période d'inscription — session {session.libelle}")
        super().__init__(parent, titre)
        self.ctx, self.session = ctx, session
        self.domaine = combo_domaines(domaines, periode.domaine_code if periode else None)
        self.domaine.setEnabled(periode is None)
        self.ouverture = champ_date_heure()
        self.cloture = champ_date_heure()
        if periode is not None:
            vers_champ(self.ouverture, periode.ouverture)
            vers_champ(self.cloture, periode.cloture)
        else:  # the usual shape of a notice: opens at 15:00, closes a month later at 17:00
            jour = paris(ctx.clock.now()).replace(tzinfo=None, second=0, microsecond=0)
            vers_champ(self.ouverture, jour.replace(hour=15, minute=0))
            vers_champ(self.cloture, (jour + timedelta(days=30)).replace(hour=17, minute=0))
        self.form.ajouter("domaine", "Domaine", self.domaine, obligatoire=True)
        self.form.ajouter("ouverture", "Ouverture", self.ouverture, aide=AIDE_PARIS, obligatoire=True)
        self.form.ajouter("cloture", "Clôture", self.cloture, aide=AIDE_PARIS, obligatoire=True)

    def executer(self) -> object:
        return edition.enregistrer_periode(self.ctx, self.session.id, self.domaine.currentData(),
                                           depuis_champ(self.ouverture), depuis_champ(self.cloture))


class DialogueEcheance(DialogueFormulaire):
    def __init__(self, parent: QWidget, ctx: Contexte, session: VueSession, domaines: list[VueDomaine],
                 echeance: VueEcheance | None) -> None:
        titre = (f"Échéance {echeance.code} {echeance.domaine_code} — session {session.libelle}" if echeance
                 else f"Nouvelle échéance — session {session.libelle}")
        super().__init__(parent, titre)
        self.ctx, self.session = ctx, session
        self.domaine = combo_domaines(domaines, echeance.domaine_code if echeance else None)
        self.domaine.setEnabled(echeance is None)
        self.code = QLineEdit(echeance.code if echeance else "")
        self.code.setReadOnly(echeance is not None)
        self.code.setPlaceholderText("exemple : CONFIRMATION, R408")
        self.libelle = QLineEdit(echeance.libelle if echeance else "")
        self.regle = QComboBox()
        for code, libelle in REGLES_ECHEANCE.items():
            self.regle.addItem(libelle, code)
        self.date_limite = champ_date_heure()
        self.mode = QComboBox()
        self.mode.addItem("Non précisé", "")
        for code, libelle in MODES_DEPOT.items():
            self.mode.addItem(libelle, code)
        self.consequence = QComboBox()
        self.consequence.addItem("Aucune", "")
        for code, libelle in CONSEQUENCES.items():
            self.consequence.addItem(libelle, code)
        if echeance is not None:
            self.regle.setCurrentIndex(max(0, self.regle.findData(echeance.regle)))
            vers_champ(self.date_limite, echeance.date_limite)
            self.mode.setCurrentIndex(max(0, self.mode.findData(echeance.mode_depot or "")))
            self.consequence.setCurrentIndex(max(0, self.consequence.findData(echeance.consequence or "")))
        else:
            vers_champ(self.date_limite, paris(ctx.clock.now()).replace(tzinfo=None, hour=23, minute=59))
        self.regle.currentIndexChanged.connect(self._regle_changee)
        self.form.ajouter("domaine", "Domaine", self.domaine, obligatoire=True)
        self.form.ajouter("code", "Code", self.code, obligatoire=True)
        self.form.ajouter("libelle", "Libellé", self.libelle, obligatoire=True)
        self.form.ajouter("regle", "Règle", self.regle)
        self.form.ajouter("date_limite", "Date limite", self.date_limite, aide=AIDE_PARIS)
        self.form.ajouter("mode_depot", "Mode de dépôt", self.mode)
        self.form.ajouter("consequence", "Conséquence du retard", self.consequence)
        self._regle_changee()

    def _regle_changee(self) -> None:
        # The date follows the closing of the period: nothing to type.
        self.date_limite.setEnabled(self.regle.currentData() == "fixe")

    def executer(self) -> object:
        fixe = self.regle.currentData() == "fixe"
        date: datetime | None = depuis_champ(self.date_limite) if fixe else None
        return edition.enregistrer_echeance(
            self.ctx, self.session.id, self.domaine.currentData(), self.code.text(), self.libelle.text(), date,
            self.mode.currentData() or None, self.consequence.currentData() or None, regle=self.regle.currentData())
