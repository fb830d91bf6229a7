"""One account at the counter: who it is, whether it is activated, what may be done with it, its
candidatures (« Mes inscriptions », docs/domaine/inscriptions.md#etats) and the messages the candidate
was sent (docs/domaine/courriels.md#messages)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...rules.comptes import DELAI_ACTIVATION, PAYS_FRANCE, EtatCompte
from ...rules.errors import DomainError, ValidationError
from ...rules.temps import format_date, format_date_heure
from ...services import comptes, courriels
from ...services.comptes import VueCompte
from ...services.noyau import Contexte
from ..formulaire import BoutonImmediat, Formulaire, confirmer, informer, nommer, signaler
from ..inscriptions.mes_inscriptions import MesInscriptions
from .activation import MESSAGE_REINITIALISATION, phrase_envoi, situation
from .formulaire_compte import Listes
from .modele import libelle_etat

STYLE_SUCCES = "color: #1b5e20; font-weight: 600;"
STYLE_ATTENTE = "color: #8a4b00; font-weight: 600;"
SEXES = {"F": "Madame", "M": "Monsieur"}


def echeance_activation(compte: VueCompte) -> str:
    return format_date_heure(compte.cree_le + DELAI_ACTIVATION)


class FicheCompte(QWidget):
    modifier = Signal(int)
    supprime = Signal(str)     # N° candidat of the deleted account
    change = Signal()          # the list must be reloaded (état, identity)
    retour = Signal()

    def __init__(self, ctx: Contexte, listes: Listes, compte_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.listes = listes
        self.compte_id = compte_id

        self.titre = QLabel()
        self.titre.setObjectName("titre")
        self.titre.setAccessibleName("Candidat")
        self.retour_bouton = QPushButton("← Re&tour à la liste")   # Alt+L: the menu « Aller à »
        self.retour_bouton.setToolTip("Revenir à la liste des comptes (Échap)")
        self.retour_bouton.clicked.connect(self.retour.emit)
        echap = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        echap.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        echap.activated.connect(self.retour.emit)
        haut = QHBoxLayout()
        haut.addWidget(self.titre, 1)
        haut.addWidget(self.retour_bouton)

        self.statut = QLabel()
        self.statut.setAccessibleName("Résultat de l'action")
        self.statut.setStyleSheet(STYLE_SUCCES)
        self.statut.setWordWrap(True)

        gauche = QVBoxLayout()
        gauche.addWidget(self._construire_identite())
        gauche.addLayout(self._construire_actions())
        gauche.addLayout(self._construire_actions_rgpd())
        gauche.addWidget(self._construire_activation())
        gauche.addStretch(1)
        colonne_gauche = QWidget()
        colonne_gauche.setLayout(gauche)
        self.inscriptions = MesInscriptions(ctx, compte_id)
        self.inscriptions.action_faite.connect(self._recharger)
        self.onglets = QTabWidget()
        nommer(self.onglets, "Candidatures et messages")
        self.onglets.addTab(self.inscriptions, "I&nscriptions")
        self.onglets.addTab(self._construire_messages(), "Messa&ges envoyés au candidat")
        separation = QSplitter()
        separation.addWidget(colonne_gauche)
        separation.addWidget(self.onglets)
        separation.setSizes([470, 560])
        separation.setChildrenCollapsible(False)

        box = QVBoxLayout(self)
        box.addLayout(haut)
        box.addWidget(self.statut)
        box.addWidget(separation, 1)
        self.charger()

    # --- construction -----------------------------------------------------------------------
    def _construire_identite(self) -> QGroupBox:
        groupe = QGroupBox("Identité")
        form = QFormLayout(groupe)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.valeurs: dict[str, QLabel] = {}
        for libelle in ("N° candidat", "État", "Sexe", "Nom de famille", "Nom d'usage", "Prénoms",
                        "Date de naissance", "Lieu de naissance", "Adresse mail", "Compte créé le",
                        "Candidatures"):
            valeur = QLabel()
            valeur.setWordWrap(True)
            valeur.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            nommer(valeur, libelle)
            self.valeurs[libelle] = valeur
            form.addRow(QLabel(f"{libelle} :"), valeur)
        return groupe

    def _construire_actions(self) -> QHBoxLayout:
        self.bouton_modifier = BoutonImmediat("&Modifier")
        self.bouton_modifier.setToolTip("Modifier l'état civil, l'adresse mail ou le mot de passe")
        self.bouton_modifier.clicked.connect(lambda: self.modifier.emit(self.compte_id))
        self.bouton_mdp = QPushButton("&Réinitialiser le mot de passe")
        self.bouton_mdp.setToolTip("Remplacer le mot de passe par un mot de passe provisoire à remettre "
                                   "au candidat")
        self.bouton_mdp.clicked.connect(self.demander_reinitialisation)
        self.bouton_supprimer = QPushButton("&Supprimer le compte")
        self.bouton_supprimer.setToolTip("Possible seulement tant qu'aucune candidature n'est attachée")
        self.bouton_supprimer.clicked.connect(self.demander_suppression)
        box = QHBoxLayout()
        box.addWidget(self.bouton_modifier)
        box.addWidget(self.bouton_mdp)
        box.addWidget(self.bouton_supprimer)
        box.addStretch(1)
        return box

    def _construire_actions_rgpd(self) -> QHBoxLayout:
        """Issue 6: the candidate's history (audit readers) and the RGPD export (chef)."""
        from ...services.noyau import P, autorise

        self.bouton_historique = QPushButton("&Historique…")
        self.bouton_historique.setToolTip("Qui a modifié quoi et quand sur ce compte et ses candidatures")
        self.bouton_historique.clicked.connect(self.ouvrir_historique)
        # Hidden only when not allowed: setVisible(True) on a button without a parent yet would show it as a
        # window of its own for an instant, and the main window would lose the keyboard focus.
        if not autorise(self.ctx, P.AUDIT_LIRE):
            self.bouton_historique.hide()
        self.bouton_export_rgpd = QPushButton("E&xporter les données du candidat (RGPD)…")
        self.bouton_export_rgpd.setToolTip("Toutes les données détenues sur ce candidat, dans une archive ZIP "
                                           "(droit d'accès, article 15 du RGPD)")
        self.bouton_export_rgpd.clicked.connect(self.exporter_rgpd)
        if not autorise(self.ctx, P.RGPD_EXPORTER):
            self.bouton_export_rgpd.hide()
        box = QHBoxLayout()
        box.addWidget(self.bouton_historique)
        box.addWidget(self.bouton_export_rgpd)
        box.addStretch(1)
        return box

    def ouvrir_historique(self) -> QWidget | None:
        from ..historique import ouvrir_historique

        c = self.compte
        self.dialogue_historique = ouvrir_historique(
            self, self.ctx, self.compte_id, f"{c.nom} {c.prenoms} (N° candidat {c.numero_candidat})")
        return self.dialogue_historique

    def exporter_rgpd(self) -> QWidget:
        from ..rgpd import exporter_candidat

        self.dialogue_export = exporter_candidat(self, self.ctx, self.compte_id, self.numero)
        return self.dialogue_export

    def _construire_activation(self) -> QGroupBox:
        self.groupe_activation = QGroupBox("Activation du compte")
        box = QVBoxLayout(self.groupe_activation)
        self.explication_activation = QLabel()
        self.explication_activation.setWordWrap(True)
        box.addWidget(self.explication_activation)
        self.f_activation = Formulaire()
        self.code = self.f_activation.ajouter("code_activation", "Code d'activation", QLineEdit(),
                                              aide="Le code reçu par le candidat dans le mail "
                                                   "«\u00a0[CYCLADES] Activer mon compte\u00a0».")
        self.code.returnPressed.connect(self.activer)
        box.addWidget(self.f_activation)
        # Alt+C, not Alt+A: « Ajouter une nouvelle candidature » answers Alt+A.
        self.bouton_activer = QPushButton("A&ctiver le compte")
        self.bouton_activer.clicked.connect(self.activer)
        ligne = QHBoxLayout()
        ligne.addStretch(1)
        ligne.addWidget(self.bouton_activer)
        box.addLayout(ligne)
        return self.groupe_activation

    def _construire_messages(self) -> QWidget:
        groupe = QWidget()
        box = QVBoxLayout(groupe)
        self.messages = QTableWidget(0, 3)
        nommer(self.messages, "Messages du candidat")
        self.messages.setHorizontalHeaderLabels(["Date (heure de Paris)", "Objet", "Envoi par mail"])
        self.messages.verticalHeader().setVisible(False)
        self.messages.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.messages.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.messages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.messages.setWordWrap(False)
        entete = self.messages.horizontalHeader()
        entete.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        entete.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        entete.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.messages.currentCellChanged.connect(lambda row, *_: self._montrer_message(row))
        self.corps = QPlainTextEdit()
        self.corps.setReadOnly(True)
        nommer(self.corps, "Contenu du message")
        self.corps.setPlaceholderText("Sélectionnez un message pour lire son contenu.")
        box.addWidget(self.messages, 1)
        lab = QLabel("C&ontenu du message :")   # Alt+M is « Modifier »
        lab.setBuddy(self.corps)
        box.addWidget(lab)
        box.addWidget(self.corps, 2)
        return groupe

    # --- loading ----------------------------------------------------------------------------
    def charger(self) -> None:
        """Read the account again (raises NotFound when it was deleted meanwhile)."""
        c = comptes.obtenir(self.ctx, self.compte_id)
        self.compte = c
        self.numero = c.numero_candidat
        a_candidature = comptes.a_des_candidatures(self.ctx, c.id)
        self.titre.setText(f"{c.nom} {c.prenoms}" + (f" (nom d'usage {c.nom_usage})" if c.nom_usage else ""))
        v = self.valeurs
        v["N° candidat"].setText(c.numero_candidat)
        actif = c.etat == EtatCompte.ACTIF
        etat = libelle_etat(c.etat)
        if actif and c.active_le:
            etat += f" depuis le {format_date_heure(c.active_le)} (heure de Paris)"
        elif not actif:
            etat += f" : à activer avant le {echeance_activation(c)} (heure de Paris)"
        v["État"].setText(etat)
        v["État"].setStyleSheet("" if actif else STYLE_ATTENTE)
        v["Sexe"].setText(SEXES.get(c.sexe, c.sexe))
        v["Nom de famille"].setText(c.nom)
        v["Nom d'usage"].setText(c.nom_usage or "—")
        v["Prénoms"].setText(c.prenoms)
        v["Date de naissance"].setText(format_date(c.date_naissance))
        v["Lieu de naissance"].setText(self._lieu(c))
        v["Adresse mail"].setText(c.email)
        v["Compte créé le"].setText(f"{format_date_heure(c.cree_le)} (heure de Paris)")
        v["Candidatures"].setText(
            "Au moins une candidature : l'état civil n'est plus corrigé que par un gestionnaire."
            if a_candidature else "Aucune candidature")
        self.groupe_activation.setVisible(not actif)
        self.explication_activation.setText(
            "Le candidat a reçu un code d'activation par mail. Saisissez-le pour activer le compte ; "
            f"sans activation avant le {echeance_activation(c)} (heure de Paris), le compte et ses "
            "informations seront effacés.")
        self._charger_messages()
        self.inscriptions.charger(actif)
        n = self.inscriptions.nombre_actives
        self.onglets.setTabText(0, f"I&nscriptions ({n})" if n else "I&nscriptions")
        self.onglets.setTabText(1, f"Messa&ges envoyés au candidat ({len(self._liste_messages)})")

    def _lieu(self, c: VueCompte) -> str:
        pays = self.listes.noms_pays.get(c.pays_naissance, c.pays_naissance)
        if c.pays_naissance != PAYS_FRANCE:
            return f"{c.commune_naissance} ({pays})"
        dep = self.listes.noms_departements.get(c.departement_naissance or "", c.departement_naissance or "")
        return f"{c.commune_naissance} ({dep}), France"

    def _charger_messages(self) -> None:
        self._liste_messages = comptes.messages(self.ctx, self.compte_id)
        # The e-mail's fate per message (the outbox); messages older than the outbox have none.
        self._envois = courriels.envois_du_compte(self.ctx, self.compte_id)
        self.messages.setRowCount(len(self._liste_messages))
        for row, m in enumerate(self._liste_messages):
            self.messages.setItem(row, 0, QTableWidgetItem(format_date_heure(m.cree_le)))
            self.messages.setItem(row, 1, QTableWidgetItem(m.objet))
            envoi = self._envois.get(m.id)
            etat = QTableWidgetItem(envoi.libelle_etat if envoi else "—")
            etat.setToolTip(envoi.texte_etat if envoi else "Message antérieur à l'envoi par mail")
            self.messages.setItem(row, 2, etat)
        self.corps.clear()
        self.messages.clearSelection()

    def _montrer_message(self, row: int) -> None:
        if 0 <= row < len(self._liste_messages):
            m = self._liste_messages[row]
            envoi = self._envois.get(m.id)
            suivi = f"{envoi.texte_etat}\n" if envoi else ""
            self.corps.setPlainText(f"Objet : {m.objet}\nÀ : {m.destinataire}\nEnvoyé le "
                                    f"{format_date_heure(m.cree_le)} (heure de Paris)\n{suivi}\n{m.corps}")
        else:
            self.corps.clear()

    def _recharger(self, statut: str) -> None:
        try:
            self.charger()
        except DomainError as exc:
            signaler(self, exc, titre="Compte introuvable")
            return
        self.statut.setText(statut)
        self.change.emit()

    # --- actions ----------------------------------------------------------------------------
    def activer(self) -> None:
        self.f_activation.effacer_erreurs()
        self.statut.clear()
        try:
            comptes.activer_compte(self.ctx, self.compte_id, self.code.text())
        except ValidationError as exc:
            signaler(self, exc, self.f_activation, "Activation impossible")
            return
        except DomainError as exc:
            signaler(self, exc, titre="Activation impossible")
            return
        self.code.clear()
        self._recharger("Le compte est activé : le candidat peut se connecter et s'inscrire.")

    def demander_reinitialisation(self) -> None:
        self.statut.clear()
        confirmer(
            self, "Réinitialiser le mot de passe",
            f"Le mot de passe du compte N° {self.numero} ({self.compte.nom} {self.compte.prenoms}) va être "
            "remplacé par un mot de passe provisoire, affiché une seule fois, à remettre au candidat.\n\n"
            "Son mot de passe actuel ne fonctionnera plus.",
            self.reinitialiser, oui="&Réinitialiser", destructif=True)

    def reinitialiser(self) -> None:
        try:
            compte, provisoire = comptes.reinitialiser_mot_de_passe(self.ctx, self.numero)
        except DomainError as exc:
            signaler(self, exc, titre="Réinitialisation impossible")
            return
        # Say what became of the message rather than « sent » (services/courriels).
        recus = comptes.messages(self.ctx, compte.id)
        envoi = phrase_envoi(situation(self.ctx, recus[0].id if recus else None), compte.email,
                             MESSAGE_REINITIALISATION)
        informer(
            self, "Mot de passe provisoire",
            f"Mot de passe provisoire du compte N° {compte.numero_candidat} :\n\n{provisoire}\n\n"
            "Remettez-le au candidat : il ne sera plus affiché. Il pourra le personnaliser à sa prochaine "
            f"connexion. {envoi}")
        self._recharger("Mot de passe réinitialisé.")

    def demander_suppression(self) -> None:
        self.statut.clear()
        confirmer(
            self, "Supprimer le compte",
            f"Le compte N° {self.numero} ({self.compte.nom} {self.compte.prenoms}) et ses messages vont être "
            "supprimés définitivement. Le N° candidat ne sera jamais réattribué.",
            self.supprimer, oui="&Supprimer", non="&Conserver", destructif=True)

    def supprimer(self) -> None:
        try:
            comptes.supprimer_compte(self.ctx, self.compte_id)
        except DomainError as exc:
            signaler(self, exc, titre="Suppression impossible")
            return
        self.supprime.emit(self.numero)
