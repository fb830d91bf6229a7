"""Candidats area: find an account as you type, open it, create one at the counter.

The area is a stack of pages: the list (always there), and the account's detail or its form,
built afresh each time so that no state leaks from one candidate to the next."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...services.comptes import CompteCree
from ...services.noyau import Contexte
from ..ecran import memoriser_separateurs
from ..formulaire import BoutonImmediat, nommer, signaler
from ..tables import ROLE_ID, table_lecture
from .activation import DialogueCompteCree
from .fiche import FicheCompte, echeance_activation
from .formulaire_compte import FormulaireCompte, Listes, charger_listes
from .modele import ModeleComptes

DELAI_RECHERCHE_MS = 250   # long enough not to query on every keystroke, short enough to feel live
LARGEURS = (105, 150, 120, 160, 95, 230, 165)


class ZoneComptes(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        self._listes: Listes | None = None
        self.page: QWidget | None = None        # the detail or the form currently shown
        self.pile = QStackedWidget()
        self.pile.addWidget(self._construire_liste())
        QVBoxLayout(self).addWidget(self.pile)
        self.lancer()

    @property
    def listes(self) -> Listes:
        if self._listes is None:
            self._listes = charger_listes(self.ctx)
        return self._listes

    # --- the list ---------------------------------------------------------------------------
    def _construire_liste(self) -> QWidget:
        page = QWidget()
        self.page_liste = page
        titre = QLabel("Candidats")
        titre.setObjectName("titre")
        explication = QLabel("Comptes candidats : cherchez par N° candidat, adresse mail, identifiant ou nom "
                             "(le début suffit, accents et majuscules sont ignorés).")
        explication.setWordWrap(True)

        self.recherche = QLineEdit()
        nommer(self.recherche, "Rechercher un compte")
        self.recherche.setPlaceholderText("N° candidat, adresse mail, identifiant ou nom…")
        self.recherche.setClearButtonEnabled(True)
        etiquette = QLabel("&Rechercher un compte :")
        etiquette.setBuddy(self.recherche)
        self.minuteur = QTimer(self)
        self.minuteur.setSingleShot(True)
        self.minuteur.setInterval(DELAI_RECHERCHE_MS)
        self.minuteur.timeout.connect(self.lancer)
        self.recherche.textChanged.connect(lambda _t: self.minuteur.start())
        self.recherche.returnPressed.connect(self._lancer_et_aller_a_la_liste)
        vers_liste = QShortcut(QKeySequence(Qt.Key.Key_Down), self.recherche)
        vers_liste.setContext(Qt.ShortcutContext.WidgetShortcut)
        vers_liste.activated.connect(self._aller_a_la_liste)

        self.bouton_nouveau = BoutonImmediat("&Nouveau compte")
        self.bouton_nouveau.setToolTip("Créer un compte candidat (Ctrl+N)")
        self.bouton_nouveau.clicked.connect(self.nouveau)
        nouveau = QShortcut(QKeySequence.StandardKey.New, page)
        nouveau.activated.connect(self.nouveau)
        self.bouton_ouvrir = BoutonImmediat("&Ouvrir")
        self.bouton_ouvrir.setToolTip("Ouvrir le compte sélectionné (Entrée ou double-clic)")
        self.bouton_ouvrir.clicked.connect(self.ouvrir_selection)
        self.bouton_ouvrir.setEnabled(False)
        barre = QHBoxLayout()
        barre.addWidget(etiquette)
        barre.addWidget(self.recherche, 1)
        barre.addSpacing(12)
        barre.addWidget(self.bouton_ouvrir)
        barre.addWidget(self.bouton_nouveau)

        self.modele = ModeleComptes(self.ctx)
        self.modele.charge.connect(self._compter)
        self.modele.erreur.connect(lambda exc: signaler(self, exc, titre="Recherche impossible"))
        self.table = table_lecture("Liste des comptes candidats", self.modele, hauteur_ligne=26)
        entete = self.table.horizontalHeader()
        entete.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for colonne, largeur in enumerate(LARGEURS):
            self.table.setColumnWidth(colonne, largeur)
        entete.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)   # e-mails vary the most
        # activated: Enter on the current row, and double-click (the style's activation gesture).
        self.table.activated.connect(self._ouvrir_index)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.bouton_ouvrir.setEnabled(self.table.selectionModel().hasSelection()))

        self.compte_label = QLabel()
        nommer(self.compte_label, "Nombre de comptes")
        self.message = QLabel()
        nommer(self.message, "Message de la liste")
        self.message.setStyleSheet("color: #1b5e20; font-weight: 600;")
        bas = QHBoxLayout()
        bas.addWidget(self.compte_label, 1)
        bas.addWidget(self.message)

        box = QVBoxLayout(page)
        box.addWidget(titre)
        box.addWidget(explication)
        box.addLayout(barre)
        box.addWidget(self.table, 1)
        box.addLayout(bas)
        return page

    def rechercher(self, texte: str) -> None:
        """The main window's global search: show the list for ``texte`` at once."""
        self.recherche.setText(texte.strip())
        self._lancer_et_aller_a_la_liste()

    def filtrer(self, texte: str) -> None:
        """The main window's search box, as you type: the same search as this page's own field (same
        pause, same list). An account form stays open: what is typed there is never lost."""
        if not isinstance(self.page, FormulaireCompte):
            self.pile.setCurrentWidget(self.page_liste)
            self._retirer_page()
        if self.recherche.text() != texte:
            self.recherche.setText(texte)

    def lancer(self) -> None:
        self.minuteur.stop()
        selection = self._compte_selectionne()
        try:
            self.modele.charger(self.recherche.text())
        except DomainError as exc:
            signaler(self, exc, titre="Recherche impossible")
            return
        if selection is not None:
            self._selectionner(self.modele.ligne_de(selection))
        self.bouton_ouvrir.setEnabled(self.table.selectionModel().hasSelection())

    def _lancer_et_aller_a_la_liste(self) -> None:
        self.montrer_liste()
        self.lancer()
        if self.modele.rowCount():
            self._aller_a_la_liste()

    def _aller_a_la_liste(self) -> None:
        if self.modele.rowCount() and not self.table.selectionModel().hasSelection():
            self._selectionner(0)
        self.table.setFocus()

    def _selectionner(self, row: int) -> None:
        if row < 0:
            return
        index = self.modele.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _compte_selectionne(self) -> int | None:
        lignes = self.table.selectionModel().selectedRows()
        return int(lignes[0].data(ROLE_ID)) if lignes else None

    def _compter(self) -> None:
        n = self.modele.rowCount()
        texte = self.modele.texte.strip()
        if n == 0:
            self.compte_label.setText(f"Aucun compte ne correspond à « {texte} »." if texte
                                      else "Aucun compte candidat pour le moment.")
        elif self.modele.encore:
            self.compte_label.setText(f"{n} comptes affichés ; faites défiler la liste pour voir la suite.")
        elif texte:
            self.compte_label.setText(f"{n} compte{'s' if n > 1 else ''} trouvé{'s' if n > 1 else ''} "
                                      f"pour « {texte} ».")
        else:
            self.compte_label.setText(f"{n} compte{'s' if n > 1 else ''} candidat{'s' if n > 1 else ''}.")

    def montrer_liste(self) -> None:
        self.pile.setCurrentWidget(self.page_liste)
        self._retirer_page()
        # Back from an account, the keyboard resumes where the agent left the list.
        (self.table if self.table.selectionModel().hasSelection() else self.recherche).setFocus()

    # --- the detail and the form -------------------------------------------------------------
    def _afficher(self, page: QWidget) -> None:
        self._retirer_page()
        self.page = page
        self.pile.addWidget(page)
        self.pile.setCurrentWidget(page)
        self.message.clear()

    def _retirer_page(self) -> None:
        if self.page is not None:
            self.pile.removeWidget(self.page)
            self.page.deleteLater()   # later: we may be inside one of its own signals
            self.page = None

    def ouvrir_selection(self) -> None:
        compte_id = self._compte_selectionne()
        if compte_id is not None:
            self.ouvrir(compte_id)

    def _ouvrir_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ouvrir(int(index.data(ROLE_ID)))

    def ouvrir(self, compte_id: int) -> FicheCompte | None:
        try:
            fiche = FicheCompte(self.ctx, self.listes, compte_id)
        except DomainError as exc:
            signaler(self, exc, titre="Ouverture impossible")
            self.montrer_liste()
            self.lancer()
            return None
        fiche.retour.connect(self.montrer_liste)
        fiche.change.connect(self.lancer)
        fiche.modifier.connect(self.modifier)
        fiche.supprime.connect(self._supprime)
        self._afficher(fiche)
        memoriser_separateurs(fiche, "candidats/fiche")   # built afresh per account: restored each time
        # While pending, the likely next step at the counter is typing the activation code.
        (fiche.code if fiche.groupe_activation.isVisibleTo(fiche) else fiche.bouton_modifier).setFocus()
        return fiche

    def nouveau(self) -> None:
        form = FormulaireCompte(self.ctx, self.listes)
        form.enregistre.connect(self._enregistre)
        form.annule.connect(self.montrer_liste)
        self._afficher(form)
        form.sexe.setFocus()

    def modifier(self, compte_id: int) -> None:
        try:
            form = FormulaireCompte(self.ctx, self.listes, compte_id)
        except DomainError as exc:
            signaler(self, exc, titre="Modification impossible")
            return
        form.enregistre.connect(self._enregistre)
        form.annule.connect(lambda: self.ouvrir(compte_id))
        self._afficher(form)
        # A locked identity leaves the e-mail as the first thing the agent can change.
        (form.email if form.champs_libres is not None else form.sexe).setFocus()

    def _enregistre(self, compte_id: int, cree: CompteCree | None) -> None:
        self.lancer()
        fiche = self.ouvrir(compte_id)
        if fiche is None:
            return
        if cree is None:
            fiche.statut.setText("Modifications enregistrées.")
            return
        c = fiche.compte
        fiche.statut.setText(f"Compte créé : N° candidat {cree.numero_candidat}.")
        # What really became of the e-mail, and the code printed when it cannot be counted on.
        self.dialogue_cree = DialogueCompteCree(self, self.ctx, cree, c, echeance_activation(c))
        self.dialogue_cree.open()

    def _supprime(self, numero: str) -> None:
        self.montrer_liste()
        self.lancer()
        self.message.setText(f"Le compte N° {numero} a été supprimé.")
        self.recherche.setFocus()
