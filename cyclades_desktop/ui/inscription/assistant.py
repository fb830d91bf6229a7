"""The registration wizard (docs/domaine/inscriptions.md#formulaire): nine pages, checked tab by tab
before Suivant, written in one transaction by Enregistrer; Quitter abandons after a confirmation.

Opened non-modal (``show()``) by the account screen: for a new candidature, for the modification of
a saved one (``demarrage.candidature_id`` set), or read only (``consultation=True``)."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget, QWizard

from ...rules import inscriptions as regles
from ...rules.epreuves import Resultat
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...services import inscriptions, referentiel
from ...services.inscriptions import Demarrage, Enregistrement, conflits
from ...services.inscriptions import lecture as inscriptions_lecture
from ...services.noyau import Contexte
from ...services.publications import documents as publications
from ..conflit import DialogueConflit, montrer_conflit
from ..ecran import ajuster_a_l_ecran
from ..formulaire import confirmer, informer, signaler
from .commun import PageOnglet
from .page_acquis import PageAcquis
from .page_epreuves import PageEpreuves
from .page_identification import PageIdentification
from .page_recapitulatif import PageRecapitulatif
from .pages_candidature import PageInformations, PageQualification
from .pages_textes import ENGAGEMENT_CONDITIONS, TEXTE_CONDITIONS, PageConditions, PageModalites, PageNumero

B = QWizard.WizardButton
ENREGISTRER, VISUALISER, MODIFIER = B.CustomButton1, B.CustomButton2, B.CustomButton3
BOUTONS = ((B.BackButton, "&Précédent"), (B.NextButton, "&Suivant"), (ENREGISTRER, "&Enregistrer"),
           (VISUALISER, "&Visualiser/imprimer"), (MODIFIER, "&Modifier"), (B.CancelButton, "&Quitter"))
# The application's blue default button must still look unavailable when it is (Suivant on tab 8).
STYLE_BOUTONS = ("QPushButton:default:disabled { background: #e4e7eb; color: #9aa1a9; "
                 "border: 1px solid #c9ced4; }")
TEXTE_ACCEPTER_CONDITIONS = ("Avant l'enregistrement, le candidat accepte les conditions d'inscription (onglet 8) :\n\n"
                             + "\n".join(TEXTE_CONDITIONS) + "\n\n"
                             + ENGAGEMENT_CONDITIONS.replace("En cochant cette case, je", "Je", 1))
QUITTER_SANS_ENREGISTRER = "Quitter sans enregistrer ? Les informations saisies seront perdues."


class AssistantInscription(QWizard):
    enregistre = Signal(object)       # the Enregistrement, after a successful save
    modifier_demande = Signal()       # consultation: the user asked to modify the candidature

    def __init__(self, ctx: Contexte, demarrage: Demarrage, saisie: regles.SaisieCandidature, *,
                 consultation: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.demarrage = demarrage
        self.consultation = consultation
        self.enregistrement: Enregistrement | None = None
        self._initiale = deepcopy(saisie)
        self._ouverture = deepcopy(saisie)   # the candidature as saved when opened: a refused save compares
        self.dialogue_conflit: DialogueConflit | None = None
        self._fermeture_acceptee = False
        self._confirmation: QMessageBox | None = None
        self.apercu: QWidget | None = None   # the last preview opened by Visualiser/imprimer
        self._saut = False                   # going through tabs by their headers: no check on the way
        self._vers_numero = False            # Enregistrer succeeded: straight to tab 9
        self.listes = inscriptions_lecture.listes(ctx, demarrage.domaine_code)
        pays = referentiel.pays(ctx)
        self.pays = [(p.nom, p.code) for p in pays]
        self.nationalites = [(p.nationalite, p.code) for p in pays]

        i = demarrage.identite
        self.setWindowTitle(f"Inscription – N° candidat {i.numero_candidat} – {demarrage.domaine} "
                            f"session {demarrage.session}")
        self.setAccessibleName("Formulaire d'inscription")
        self.page_aide = "inscription"      # F1 here opens resources/aide/inscription.md (ui/aide.py)
        self.setStyleSheet(STYLE_BOUTONS)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.HaveNextButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton3, consultation)
        ajuster_a_l_ecran(self, 1000, 720)
        self.setMinimumSize(860, 600)

        self.page_informations = PageInformations(self)
        self.page_numero = PageNumero(self)
        self.pages: list[PageOnglet] = [
            PageModalites(self), PageIdentification(self), self.page_informations, PageQualification(self),
            PageAcquis(self), PageEpreuves(self), PageRecapitulatif(self), PageConditions(self), self.page_numero]
        for p in self.pages:
            self.setPage(p.index, p)
            p.charger(saisie)
        self._reference = self.saisie_courante()

        for bouton, texte in BOUTONS:
            self.setButtonText(bouton, texte)
            self.button(bouton).setAccessibleName(texte.replace("&", ""))
        self.button(ENREGISTRER).setToolTip("Enregistrer la candidature (Ctrl+S)")
        self.button(VISUALISER).setToolTip("Voir et imprimer le récapitulatif de candidature")
        self.button(B.CancelButton).setToolTip("Fermer le formulaire (Échap)")
        for bouton in (B.BackButton, VISUALISER, MODIFIER, B.CancelButton):
            # Tab passing over them must not make them the default: Entrée stays « Suivant » (never goes back).
            self.button(bouton).setAutoDefault(False)
        disposition = [B.Stretch, B.BackButton, B.NextButton, ENREGISTRER, VISUALISER]
        if consultation:
            disposition.append(MODIFIER)
        self.setButtonLayout([*disposition, B.CancelButton])
        self.customButtonClicked.connect(self._bouton_clique)
        raccourci = QShortcut(QKeySequence("Ctrl+S"), self)
        raccourci.setContext(Qt.ShortcutContext.WindowShortcut)
        raccourci.activated.connect(self.enregistrer)
        # Once saved, Alt+1…Alt+9 go to a tab as a click on its header does.
        for index in range(len(self.pages)):
            saut = QShortcut(QKeySequence(f"Alt+{index + 1}"), self)
            saut.setContext(Qt.ShortcutContext.WindowShortcut)
            saut.activated.connect(lambda i=index: self.sauter_a(i))

        self.currentIdChanged.connect(self._page_changee)
        self.setStartId(regles.RECAPITULATIF if consultation else regles.MODALITES)

    # --- state ------------------------------------------------------------------------------
    def saisie_courante(self) -> regles.SaisieCandidature:
        """Everything on screen, whatever the tab."""
        s = deepcopy(self._initiale)
        for p in self.pages:
            p.collecter(s)
        return s

    def modifie(self) -> bool:
        return self.saisie_courante() != self._reference

    def saisie_en_cours(self) -> bool:
        """Answers typed and not saved: closing the application asks first (MainWindow.closeEvent)."""
        # After a save the reference is what was saved: only what changed since counts.
        return not self.consultation and not self._fermeture_acceptee and self.modifie()

    def calculer(self, s: regles.SaisieCandidature | None = None) -> Resultat | None:
        """The épreuves for the current answers (None until catégorie and spécialité are known)."""
        try:
            return inscriptions.calculer_epreuves(self.ctx, self.demarrage, s or self.saisie_courante())
        except DomainError:
            return None

    def bouton(self, texte: str) -> QAbstractButton:
        """A button of the wizard by its French text (« Enregistrer », « Modifier »…)."""
        return next(self.button(b) for b, t in BOUTONS if t.replace("&", "") == texte)

    # --- navigation -------------------------------------------------------------------------
    def nextId(self) -> int:
        courant = self.currentId()
        if self.consultation or courant in (-1, regles.NUMERO):
            return -1
        if self._vers_numero:
            return regles.NUMERO
        return courant + 1

    def valider_onglet(self, index: int) -> bool:
        """Suivant: the service checks this tab (and those before it); nothing is written."""
        if self.consultation or self._saut or self._vers_numero:
            return True
        s = self.saisie_courante()
        for p in self.pages[:index + 1]:
            p.effacer_erreurs()
        try:
            inscriptions.verifier_onglet(self.ctx, self.demarrage, s, index)
        except ValidationError as exc:
            self._montrer_erreurs(exc.errors)
            return False
        except DomainError as exc:
            signaler(self, exc, titre="Vérification impossible")
            return False
        return True

    def _montrer_erreurs(self, erreurs: dict[str, str]) -> None:
        par_onglet: dict[int, dict[str, str]] = {}
        for cle, message in erreurs.items():
            par_onglet.setdefault(regles.onglet_du_champ(cle), {})[cle] = message
        focus = QApplication.focusWidget()
        for p in self.pages[:regles.NUMERO]:
            if p.index != self.currentId():
                p.afficher_erreurs(par_onglet.get(p.index, {}))
        if focus is not None:   # a hidden page's form took the focus for its first error: give it back
            focus.setFocus()
        courant = self.currentPage()
        if isinstance(courant, PageOnglet):
            courant.afficher_erreurs(par_onglet.get(courant.index, {}))
        cible = min(par_onglet, default=self.currentId())
        if cible != self.currentId():
            # Leaving the page from inside its validatePage() would confuse QWizard: right after.
            QTimer.singleShot(0, lambda: self._aller_et_montrer(cible, par_onglet.get(cible, {})))

    def _aller_et_montrer(self, cible: int, erreurs: dict[str, str]) -> None:
        self.aller_a(cible)
        if self.currentId() == cible:
            self.pages[cible].afficher_erreurs(erreurs)

    def aller_a(self, cible: int) -> None:
        for _ in range(len(self.pages)):
            courant = self.currentId()
            if courant == cible:
                return
            if courant > cible:
                self.back()
            else:
                self.next()
            if self.currentId() == courant:   # a check refused to go on: its messages are shown
                return

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._masquer_titre_qt()

    def _page_changee(self, index: int) -> None:
        self._masquer_titre_qt()
        page = self.page(index)
        self.mettre_a_jour_boutons()
        if isinstance(page, PageOnglet):
            page.actualiser()
            page.ordonner_tabulation()
            focus = QApplication.focusWidget()
            if focus is None or not page.isAncestorOf(focus):
                premier = page.premier_champ()
                if premier is not None:
                    premier.setFocus(Qt.FocusReason.TabFocusReason)
                    if page.defilement is not None:
                        page.defilement.ensureWidgetVisible(premier)

    def boutons_tabulation(self) -> list[QWidget]:
        return [self.button(b) for b, _t in BOUTONS if self.button(b).isVisibleTo(self)]

    def mettre_a_jour_boutons(self) -> None:
        # A new candidature is saved from tabs 7-8, after every check on the way; a saved one from any
        # tab (Enregistrer checks everything again), as a phone number changes in a few clicks.
        onglets = range(regles.NUMERO) if self.navigation_libre() else (regles.RECAPITULATIF, regles.CONDITIONS)
        self.button(ENREGISTRER).setEnabled(not self.consultation and self.currentId() in onglets)
        for p in self.pages:
            p.actualiser_bandeau(self.navigation_libre())

    def navigation_libre(self) -> bool:
        """After the first save the tab headers lead straight to a tab (docs/domaine/inscriptions.md#formulaire)."""
        return not self.consultation and self.demarrage.candidature_id is not None

    def sauter_a(self, index: int) -> None:
        """A click on a tab's header (or Alt+its number): there at once, the tabs between not checked
        (Enregistrer checks them all). Tab 9 is only reached by saving."""
        if not self.navigation_libre() or index == self.currentId() or not 0 <= index < regles.NUMERO:
            return
        self._saut = True
        try:
            self.aller_a(index)
        finally:
            self._saut = False

    # --- buttons ----------------------------------------------------------------------------
    def _bouton_clique(self, quel: int) -> None:
        if quel == ENREGISTRER.value:
            self.enregistrer()
        elif quel == VISUALISER.value:
            self.visualiser()
        elif quel == MODIFIER.value:
            self.modifier_demande.emit()

    def enregistrer(self) -> None:
        if not self.button(ENREGISTRER).isEnabled():
            return
        conditions = self.pages[regles.CONDITIONS].case      # type: ignore[attr-defined]
        if self.currentId() != regles.CONDITIONS and not conditions.isChecked():
            # Saved from another tab: the candidate still accepts the conditions, here rather than on tab 8.
            self._confirmation = confirmer(
                self, "Conditions d'inscription", TEXTE_ACCEPTER_CONDITIONS,
                lambda: (conditions.setChecked(True), self.enregistrer()),
                oui="Le candidat &accepte : enregistrer", non="Annuler")
            return
        s = self.saisie_courante()
        for p in self.pages:
            p.effacer_erreurs()
        try:
            e = inscriptions.enregistrer(self.ctx, self.demarrage, s)
        except ValidationError as exc:
            self._montrer_erreurs(exc.errors)
            return
        except ConflictError as exc:
            self._montrer_conflit(exc, s)
            return
        except DomainError as exc:
            signaler(self, exc, titre="Enregistrement impossible")
            return
        self.enregistrement = e
        self.page_numero.afficher(e, modification=self.demarrage.candidature_id is not None)
        # From now on the form modifies the saved candidature: its new version in every header, and
        # the conditions to accept again at the next save.
        self.demarrage = replace(self.demarrage, candidature_id=e.candidature_id, version=e.version,
                                 numero_inscription=e.numero_inscription, row_version=e.row_version,
                                 etat=regles.EtatCandidature.INSCRIT)
        for p in self.pages:
            p.actualiser_en_tete(self.demarrage)
        self.pages[regles.CONDITIONS].case.setChecked(False)  # type: ignore[attr-defined]
        self._reference = self.saisie_courante()
        self._ouverture = deepcopy(self._reference)
        self._vers_numero = True
        try:
            self.next()
        finally:
            self._vers_numero = False
        self.mettre_a_jour_boutons()
        self.enregistre.emit(e)

    def _montrer_conflit(self, exc: ConflictError, mien: regles.SaisieCandidature) -> None:
        """Another workstation saved this candidature first: who, when, what; the input stays."""
        if self.demarrage.candidature_id is None:
            signaler(self, exc, titre="Enregistrement impossible")
            return
        try:
            conflit = conflits.conflit_candidature(self.ctx, self.demarrage, self._ouverture, mien,
                                                   mien_ouverture=self._reference)
        except DomainError as autre:
            signaler(self, autre, titre="Enregistrement impossible")
            return
        self.dialogue_conflit = montrer_conflit(
            self, conflit, reappliquer=lambda: self._recharger(conflit.frais, conflit.fusion),
            abandonner=lambda: self._recharger(conflit.frais, None))

    def _recharger(self, d: Demarrage, fusion: regles.SaisieCandidature | None) -> None:
        """The candidature as saved now, with the user's changes on top when re-applied; shown for
        review, saved only by the next Enregistrer (against the fresh row version)."""
        try:
            d_frais, frais = inscriptions.ouvrir(self.ctx, d.candidature_id)  # type: ignore[arg-type]
        except DomainError as exc:
            signaler(self, exc, titre="Rechargement impossible")
            return
        if d_frais.row_version != d.row_version:
            if fusion is not None:
                # Changed yet again since the dialog: compare anew rather than re-apply on a stale base.
                self._montrer_conflit(ConflictError("modifiée de nouveau"), self.saisie_courante())
                return
            d = d_frais
        self.demarrage = d
        for p in self.pages:
            p.actualiser_en_tete(d)      # the version saved on the other workstation
        self._ouverture = deepcopy(frais)
        self._initiale = deepcopy(fusion if fusion is not None else frais)
        for p in self.pages:
            p.effacer_erreurs()
            p.charger(self._initiale)
        # Compared with the saved candidature: re-applied changes still count as unsaved.
        self._reference = frais if fusion is not None else self.saisie_courante()

    def visualiser(self) -> None:
        """The draft récapitulatif before saving; the published version once saved."""
        # The published version when nothing changed since it was saved (or read); a draft otherwise.
        publie = self.consultation or (self.enregistrement is not None and not self.modifie())
        candidature_id = self.demarrage.candidature_id if publie else None
        i = self.demarrage.identite
        try:
            if candidature_id is not None:
                recap = next((d for d in publications.documents(self.ctx, candidature_id)
                              if d.type == regles.TypeDocument.RECAPITULATIF), None)
                if recap is None:
                    informer(self, "Visualiser/imprimer", "Le récapitulatif de cette candidature n'a pas "
                                                          "encore été produit.")
                    return
                nom, contenu = publications.contenu(self.ctx, recap.derniere.id)
                titre = f"Récapitulatif de candidature – version n° {recap.derniere.numero}"
            else:
                contenu = inscriptions.apercu_recapitulatif(self.ctx, self.demarrage, self.saisie_courante())
                nom = f"recapitulatif-{i.numero_candidat}-brouillon.pdf"
                titre = "Récapitulatif de candidature – brouillon, non enregistré"
        except DomainError as exc:
            signaler(self, exc, titre="Visualisation impossible")
            return
        from ..apercu_pdf import ouvrir_apercu  # the viewer loads QtPdf on first use only

        self.apercu = ouvrir_apercu(self, titre, contenu, nom)

    # --- leaving ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Quitter, Échap and the title bar's X: ask first when typed answers would be lost."""
        if self._fermeture_acceptee or self.consultation or not self.modifie():
            self._fermeture_acceptee = True
            super().reject()
            return
        if self._confirmation is not None and self._confirmation.isVisible():
            return
        self._confirmation = confirmer(self, "Quitter le formulaire", QUITTER_SANS_ENREGISTRER, self._quitter,
                                       oui="Quitter sans enregistrer", non="Continuer la saisie", destructif=True)

    def _quitter(self) -> None:
        self._fermeture_acceptee = True
        super().reject()

    def _masquer_titre_qt(self) -> None:
        """QWizard shows the page title above the page (a label it creates when first shown); our
        pages have their own header, strip and heading, so that label is collapsed."""
        for lab in self.findChildren(QLabel):
            if not any(p.isAncestorOf(lab) for p in self.pages):
                lab.setMaximumHeight(0)
