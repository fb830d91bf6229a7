"""Personnel: the chef de bureau creates and modifies staff accounts, their role and, for
gestionnaires, their portfolios of filières (003 organigramme). The table lists every account;
selecting one loads it in the form beside it, « Nouveau » empties the form for a creation."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError, ValidationError
from ...rules.personnel import Role
from ...services import personnel
from ...services.noyau import Contexte
from ...services.personnel import VueAgent, VuePortefeuille
from ..formulaire import BoutonImmediat, Formulaire, nommer, signaler
from ..tables import table_lecture
from .modele import ModeleAgents

AIDE_MDP_CREATION = ("10 à 64 caractères, dont une minuscule, une majuscule et un chiffre ou un "
                     "caractère spécial.")
AIDE_MDP_MODIFICATION = "Laissez vide pour conserver le mot de passe actuel. " + AIDE_MDP_CREATION
STYLE_SUCCES = "color: #1b5e20; font-weight: 600;"


def _mdp() -> QLineEdit:
    w = QLineEdit()
    w.setEchoMode(QLineEdit.EchoMode.Password)
    return w


class ZonePersonnel(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        self.agent_id: int | None = None       # None: the form creates a new account
        self.row_version: int | None = None    # version loaded, so a concurrent change is refused
        self._sans_chargement = False          # reselecting after a reload must not reset the form
        portefeuilles = personnel.lister_portefeuilles(ctx)

        titre = QLabel("Personnel")
        titre.setObjectName("titre")
        sous_titre = QLabel("Comptes des agents d'accueil, des gestionnaires et des chefs de bureau. "
                            "Sélectionnez un compte pour le modifier.")
        sous_titre.setWordWrap(True)

        self.modele = ModeleAgents({p.code: p.libelle for p in portefeuilles})
        self.table = table_lecture("Comptes du personnel", self.modele)
        self.table.setMinimumHeight(140)
        entete = self.table.horizontalHeader()
        entete.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for colonne, largeur in enumerate((120, 120, 110, 130, 0, 50)):
            self.table.setColumnWidth(colonne, largeur)
        entete.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        entete.setSectionResizeMode(6, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._ligne_choisie)

        self.form, self.form_role = self._construire_formulaires(portefeuilles)
        self.titre_form = QLabel()
        self.titre_form.setObjectName("sous_titre")
        self.message = QLabel()
        nommer(self.message, "Message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(STYLE_SUCCES)
        self.bouton_nouveau = BoutonImmediat("&Nouveau")
        nommer(self.bouton_nouveau, "Nouveau")
        self.bouton_nouveau.setToolTip("Vider le formulaire pour créer un compte (Alt+N)")
        self.bouton_nouveau.clicked.connect(self.nouveau)
        self.bouton_enregistrer = QPushButton("&Enregistrer")
        nommer(self.bouton_enregistrer, "Enregistrer")
        self.bouton_enregistrer.setToolTip("Enregistrer le compte (Alt+E ou Ctrl+S)")
        self.bouton_enregistrer.setDefault(True)
        self.bouton_enregistrer.clicked.connect(self.enregistrer)
        # Ctrl+S works anywhere in this zone, and only while it is the one shown.
        raccourci = QShortcut(QKeySequence.StandardKey.Save, self)
        raccourci.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        raccourci.activated.connect(self.enregistrer)

        boutons = QHBoxLayout()
        boutons.addWidget(self.message, 1)
        boutons.addWidget(self.bouton_nouveau)
        boutons.addWidget(self.bouton_enregistrer)
        colonnes = QHBoxLayout()
        colonnes.addWidget(self.form, 1)
        colonnes.addWidget(self.form_role, 1)
        panneau = QWidget()
        box_form = QVBoxLayout(panneau)
        box_form.setContentsMargins(0, 0, 8, 0)
        box_form.addWidget(self.titre_form)
        box_form.addLayout(colonnes)
        box_form.addLayout(boutons)
        # Table above, form below: every column of the table stays readable at 1280 pixels; the
        # form keeps the height it needs (error lines included) and the table takes the rest.
        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(sous_titre)
        box.addWidget(self.table, 1)
        box.addWidget(panneau)
        self.recharger()
        self.nouveau()

    # --- construction ------------------------------------------------------------------------
    def _construire_formulaires(self, portefeuilles: list[VuePortefeuille]) -> tuple[Formulaire, Formulaire]:
        """Two columns: identity and password on the left, role and portfolios on the right."""
        form = Formulaire()
        self.login = form.ajouter("login", "Identifiant", QLineEdit(), obligatoire=True,
                                  aide="Exemple : marie.curie")
        self.nom = form.ajouter("nom", "Nom", QLineEdit(), obligatoire=True)
        self.prenom = form.ajouter("prenom", "Prénom", QLineEdit(), obligatoire=True)
        self.email = form.ajouter("email", "Adresse mail", QLineEdit())
        self.telephone = form.ajouter("telephone", "Téléphone", QLineEdit())
        self.mdp = form.ajouter("mot_de_passe", "Mot de passe", _mdp(), aide=AIDE_MDP_CREATION)
        self.mdp2 = form.ajouter("mot_de_passe_confirmation", "Confirmation du mot de passe", _mdp())
        # The help line under « Mot de passe » changes between creation and modification.
        self.aide_mdp = form.champs["mot_de_passe"].parentWidget().findChildren(QLabel)[0]
        droite = Formulaire()
        self.role = QComboBox()
        for role in (Role.AGENT, Role.GESTIONNAIRE, Role.CHEF):
            self.role.addItem(role.libelle, str(role))
        droite.ajouter("role", "Rôle", self.role, obligatoire=True)
        self.role.currentIndexChanged.connect(self._role_change)
        self.portefeuilles = QListWidget()
        for p in portefeuilles:
            item = QListWidgetItem(p.libelle)
            item.setData(Qt.ItemDataRole.UserRole, p.code)
            item.setToolTip(p.code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.portefeuilles.addItem(item)
        # Long filière names wrap instead of hiding behind a horizontal scroll bar.
        self.portefeuilles.setWordWrap(True)
        self.portefeuilles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.portefeuilles.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.portefeuilles.setMinimumHeight(220)
        droite.ajouter("portefeuilles", "Portefeuilles", self.portefeuilles,
                     aide="Réservé aux gestionnaires. Espace coche ou décoche le portefeuille choisi.")
        self.actif = QCheckBox("Le compte peut se connecter")
        droite.ajouter("actif", "Compte actif", self.actif)
        for champ in (self.login, self.nom, self.prenom, self.email, self.telephone, self.mdp, self.mdp2):
            champ.returnPressed.connect(self.enregistrer)  # type: ignore[attr-defined]
        return form, droite

    # --- state ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        # Another workstation may have changed the list (or a sign-in its last connection).
        if not event.spontaneous():
            self.recharger()
        super().showEvent(event)

    def recharger(self) -> None:
        """Reload the table, keeping the selected account selected and the form untouched."""
        try:
            agents = personnel.lister_agents(self.ctx)
        except DomainError as exc:
            signaler(self, exc)
            return
        self._sans_chargement = True
        try:
            self.modele.remplacer(agents)
            self._selectionner(self.agent_id)
        finally:
            self._sans_chargement = False

    def _selectionner(self, agent_id: int | None) -> None:
        ligne = self.modele.ligne_de(agent_id) if agent_id is not None else None
        if ligne is None:
            self.table.clearSelection()
            self.table.selectionModel().setCurrentIndex(QModelIndex(),
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
            return
        self.table.selectRow(ligne)

    def _ligne_choisie(self, courant: QModelIndex, _precedent: QModelIndex) -> None:
        if self._sans_chargement or not courant.isValid():
            return
        self.charger(self.modele.agents[courant.row()])

    def _role_change(self) -> None:
        gestionnaire = self.role.currentData() == Role.GESTIONNAIRE
        self.portefeuilles.setEnabled(gestionnaire)

    def _definir_mode(self, creation: bool) -> None:
        # The password is required to create an account; on modification empty means unchanged.
        self.form.libelles["mot_de_passe"].setText("Mot de passe *" if creation else "Mot de passe")
        self.form.libelles["mot_de_passe_confirmation"].setText(
            "Confirmation du mot de passe *" if creation else "Confirmation du mot de passe")
        self.aide_mdp.setText(AIDE_MDP_CREATION if creation else AIDE_MDP_MODIFICATION)

    def nouveau(self) -> None:
        self.agent_id = None
        self.row_version = None
        self._sans_chargement = True
        try:
            self._selectionner(None)
        finally:
            self._sans_chargement = False
        for champ in (self.login, self.nom, self.prenom, self.email, self.telephone, self.mdp, self.mdp2):
            champ.clear()
        self.role.setCurrentIndex(0)
        self._cocher([])
        self.actif.setChecked(True)
        self.actif.setEnabled(False)  # a new account is active; deactivation is a modification
        self.titre_form.setText("Nouveau compte du personnel")
        self._definir_mode(creation=True)
        self._effacer_erreurs()
        self._role_change()
        self._depart = self.saisie()
        self.login.setFocus()

    def charger(self, agent: VueAgent) -> None:
        self.agent_id = agent.id
        self.row_version = agent.row_version
        self.login.setText(agent.login)
        self.nom.setText(agent.nom)
        self.prenom.setText(agent.prenom)
        self.email.setText(agent.email or "")
        self.telephone.setText(agent.telephone or "")
        self.role.setCurrentIndex(max(0, self.role.findData(agent.role)))
        self._cocher(list(agent.portefeuilles))
        self.actif.setEnabled(True)
        self.actif.setChecked(agent.actif)
        self.mdp.clear()
        self.mdp2.clear()
        self.titre_form.setText(f"Modification du compte « {agent.login} »")
        self._definir_mode(creation=False)
        self._effacer_erreurs()
        self.message.clear()
        self._role_change()
        self._depart = self.saisie()

    def saisie_en_cours(self) -> bool:
        """Typed and not saved: closing the application asks first (MainWindow.closeEvent)."""
        return self.saisie() != self._depart

    def _effacer_erreurs(self) -> None:
        self.form.effacer_erreurs()
        self.form_role.effacer_erreurs()

    def erreur(self, cle: str) -> str:
        """The message shown under a field, whichever column it is in."""
        return self.form.erreur(cle) or self.form_role.erreur(cle)

    def _signaler(self, exc: DomainError) -> None:
        """Field errors go under their field, in either column; everything typed stays."""
        if not isinstance(exc, ValidationError):
            signaler(self, exc, self.form, "Enregistrement impossible")
            return
        droite = {k: v for k, v in exc.errors.items() if k in self.form_role.champs}
        gauche = {k: v for k, v in exc.errors.items() if k not in droite}
        self.form_role.afficher_erreurs(droite)
        # Called last so the focus lands on the first wrong field of the left column if any.
        signaler(self, ValidationError(gauche, exc.message), self.form, "Enregistrement impossible")

    def _cocher(self, codes: list[str]) -> None:
        premier: QListWidgetItem | None = None
        for i in range(self.portefeuilles.count()):
            item = self.portefeuilles.item(i)
            coche = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if coche else Qt.CheckState.Unchecked)
            premier = premier or (item if coche else None)
        # The checked portfolios may sit below the visible part of the list: show the first one.
        if premier is not None:
            self.portefeuilles.scrollToItem(premier, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.portefeuilles.scrollToTop()

    def portefeuilles_coches(self) -> list[str]:
        items = (self.portefeuilles.item(i) for i in range(self.portefeuilles.count()))
        return [it.data(Qt.ItemDataRole.UserRole) for it in items
                if it.checkState() == Qt.CheckState.Checked]

    def saisie(self) -> personnel.SaisieAgent:
        gestionnaire = self.role.currentData() == Role.GESTIONNAIRE
        return personnel.SaisieAgent(
            login=self.login.text(), nom=self.nom.text(), prenom=self.prenom.text(), email=self.email.text(),
            telephone=self.telephone.text(), role=self.role.currentData(),
            portefeuilles=self.portefeuilles_coches() if gestionnaire else [],
            mot_de_passe=self.mdp.text(), mot_de_passe_confirmation=self.mdp2.text(),
            actif=self.actif.isChecked())

    def enregistrer(self) -> None:
        self.message.clear()
        saisie = self.saisie()
        creation = self.agent_id is None
        try:
            if self.agent_id is None:
                enregistre = personnel.creer_agent(self.ctx, saisie)
            else:
                enregistre = personnel.modifier_agent(self.ctx, self.agent_id, saisie, row_version=self.row_version)
        except DomainError as exc:
            self._signaler(exc)
            return
        self._effacer_erreurs()
        self.agent_id = enregistre.id
        self.recharger()
        ligne = self.modele.ligne_de(enregistre.id)
        if ligne is not None:
            self.charger(self.modele.agents[ligne])  # shows the values as stored (NOM in capitals…)
        verbe = "créé" if creation else "enregistré"
        self.message.setText(f"Compte « {enregistre.login} » {verbe}.")
        self.table.setFocus()
