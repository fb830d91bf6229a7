"""RGPD screens (chef de bureau): export of one candidate's data as a ZIP, the retention settings,
and the purge dialog that lists what will be deleted before anything is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError, ValidationError
from ..rules.temps import format_date, format_date_heure
from ..services import rgpd
from ..services.noyau import Contexte, P, autorise
from ..services.rgpd import PlanPurge
from .ecran import ajuster_a_l_ecran
from .formulaire import Formulaire, boutons_enregistrer, confirmer, informer, nommer, signaler
from .taches import Executeur

# --- export ------------------------------------------------------------------------------------------


def exporter_candidat(parent: QWidget, ctx: Contexte, compte_id: int, numero: str,
                      executeur: Executeur | None = None) -> QFileDialog:
    """« Exporter les données du candidat (RGPD)… »: a non-blocking save dialog, then the export in
    the background; the result (or the reason it failed) is told in a message."""
    dossier = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialogue = QFileDialog(parent, "Exporter les données du candidat",
                           str(Path(dossier) / f"donnees-candidat-{numero}.zip"), "Archives ZIP (*.zip)")
    nommer(dialogue, "Exporter les données du candidat")
    dialogue.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialogue.setDefaultSuffix("zip")
    execution = executeur or Executeur()

    def choisi(chemin: str) -> None:
        execution.lancer(
            lambda _t: rgpd.exporter_candidat(ctx, compte_id, chemin),
            resultat=lambda resume: informer(
                parent, "Données exportées",
                f"Les données du candidat N° {numero} ont été enregistrées dans {chemin} : {resume}.\n\n"
                "L'archive contient des données personnelles : remettez-la au candidat par un moyen sûr."),
            erreur=lambda exc: signaler(parent, exc, titre="Export impossible"))

    dialogue.fileSelected.connect(choisi)
    dialogue.open()
    return dialogue


# --- retention settings --------------------------------------------------------------------------------

HEURES = "Délai avant suppression d'un compte non activé (heures)"
ANNEES = "Conservation des données après l'année de la session (années)"


class DialogueConservation(QDialog):
    enregistre = Signal(object)

    def __init__(self, ctx: Contexte, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Conservation des données")
        nommer(self, "Conservation des données")
        self.setMinimumWidth(560)
        actuelle = rgpd.lire_conservation(ctx)
        intro = QLabel(
            "Durées au-delà desquelles les données personnelles sont supprimées par la purge (menu "
            "Paramètres › Purger les données… ou commande « cyclades-desktop-admin purger »). Le journal "
            "d'audit n'est jamais purgé.")
        intro.setWordWrap(True)
        f = self.formulaire = Formulaire()
        self.heures = f.ajouter("heures_comptes_non_actives", HEURES,
                                QLineEdit(str(actuelle.heures_comptes_non_actives)), obligatoire=True,
                                aide="48 heures au minimum : c'est le délai annoncé au candidat dans le mail "
                                     "d'activation.")
        self.annees = f.ajouter("annees_apres_session", ANNEES, QLineEdit(str(actuelle.annees_apres_session)),
                                obligatoire=True,
                                aide="5 ans par défaut : durée pendant laquelle un candidat peut demander à "
                                     "conserver le bénéfice de ses notes. Une session de 2024 est purgée à partir "
                                     "de 2030 avec 5 ans.")
        for champ in (self.heures, self.annees):
            champ.setMaximumWidth(120)
        boutons, _enregistrer, _annuler = boutons_enregistrer(self.enregistrer, self.reject,
                                                              texte_annuler="&Annuler")
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(f)
        box.addLayout(boutons)

    def enregistrer(self) -> None:
        self.formulaire.effacer_erreurs()
        try:
            nouvelle = rgpd.enregistrer_conservation(self.ctx, self.heures.text(), self.annees.text())
        except ValidationError as exc:
            signaler(self, exc, self.formulaire, "Enregistrement impossible")
            return
        except DomainError as exc:
            signaler(self, exc, titre="Enregistrement impossible")
            return
        self.enregistre.emit(nouvelle)
        self.accept()


# --- purge ---------------------------------------------------------------------------------------------


class DialoguePurge(QDialog):
    """The list first (what, for whom, how many), then « Purger… » with a confirmation."""

    purge = Signal(object)  # ResultatPurge

    def __init__(self, ctx: Contexte, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: PlanPurge | None = None
        self.setWindowTitle("Purger les données")
        nommer(self, "Purger les données")
        ajuster_a_l_ecran(self, 900, 560)
        self.regles = QLabel()
        self.regles.setWordWrap(True)
        nommer(self.regles, "Règles de conservation")
        self.resume = QLabel()
        self.resume.setWordWrap(True)
        self.resume.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        nommer(self.resume, "Résumé de la purge")
        self.totaux = QTableWidget(0, 2)
        nommer(self.totaux, "Nombre d'éléments à supprimer")
        self.totaux.setHorizontalHeaderLabels(["Données", "Nombre"])
        self.liste = QTableWidget(0, 4)
        nommer(self.liste, "Données à supprimer")
        self.liste.setHorizontalHeaderLabels(["Motif", "N° candidat", "Candidat ou candidature", "Date"])
        for table in (self.totaux, self.liste):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            table.setAlternatingRowColors(True)
            table.verticalHeader().setDefaultSectionSize(22)
        self.totaux.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.totaux.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.totaux.setFixedWidth(320)
        entetes = self.liste.horizontalHeader()
        for colonne in (0, 1, 2):
            entetes.setSectionResizeMode(colonne, QHeaderView.ResizeMode.ResizeToContents)
        entetes.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.bouton_purger = QPushButton("&Purger…")
        nommer(self.bouton_purger, "Purger")
        self.bouton_purger.clicked.connect(self.demander_purge)
        actualiser = QPushButton("Actuali&ser la liste")
        nommer(actualiser, "Actualiser la liste")
        actualiser.clicked.connect(self.charger)
        fermer = QPushButton("&Fermer")
        nommer(fermer, "Fermer")
        fermer.clicked.connect(self.reject)
        boutons = QHBoxLayout()
        boutons.addWidget(actualiser)
        boutons.addStretch(1)
        boutons.addWidget(self.bouton_purger)
        boutons.addWidget(fermer)
        milieu = QHBoxLayout()
        milieu.addWidget(self.totaux)
        milieu.addWidget(self.liste, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.regles)
        box.addWidget(self.resume)
        box.addLayout(milieu, 1)
        box.addLayout(boutons)
        for bouton in (actualiser, self.bouton_purger, fermer):
            bouton.setAutoDefault(False)  # Entrée never starts a purge
        self.charger()
        self.liste.setFocus()

    def charger(self) -> None:
        try:
            self.plan = rgpd.preparer_purge(self.ctx)
        except DomainError as exc:
            signaler(self, exc, titre="Préparation de la purge impossible")
            self.plan = None
            self.bouton_purger.setEnabled(False)
            return
        p = self.plan
        c = p.conservation
        self.regles.setText(
            f"Liste établie le {format_date_heure(p.prepare_le)} (heure de Paris). Comptes non activés après "
            f"{c.heures_comptes_non_actives} heures ; données des sessions conservées {c.annees_apres_session} "
            "an(s) après l'année de la session. Le journal d'audit est conservé.")
        self.resume.setText(p.resume)
        totaux = [("Comptes non activés", len(p.comptes_non_actives)),
                  ("Candidatures", len(p.candidatures)),
                  *((libelle.capitalize(), n) for libelle, n in p.totaux.items()),
                  ("Comptes sans candidature", len(p.comptes_sans_candidature))]
        self.totaux.setRowCount(len(totaux))
        for i, (libelle, n) in enumerate(totaux):
            self.totaux.setItem(i, 0, QTableWidgetItem(libelle))
            nombre = QTableWidgetItem(str(n))
            nombre.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.totaux.setItem(i, 1, nombre)
        lignes = [("Compte non activé", x.numero_candidat, x.nom, f"créé le {format_date_heure(x.cree_le)}")
                  for x in p.comptes_non_actives]
        lignes += [(f"Session {x.session}", x.numero_candidat, f"Candidature {x.numero_inscription}", "")
                   for x in p.candidatures]
        lignes += [("Compte sans candidature", x.numero_candidat, x.nom,
                    f"dernière activité le {format_date(x.derniere_activite)}")
                   for x in p.comptes_sans_candidature]
        self.liste.setRowCount(len(lignes))
        for i, ligne in enumerate(lignes):
            for j, texte in enumerate(ligne):
                item = QTableWidgetItem(texte)
                item.setToolTip(texte)
                self.liste.setItem(i, j, item)
        self.bouton_purger.setEnabled(not p.vide)

    def lignes_listees(self) -> list[tuple[str, ...]]:
        return [tuple(self.liste.item(i, j).text() for j in range(self.liste.columnCount()))
                for i in range(self.liste.rowCount())]

    def demander_purge(self) -> QWidget | None:
        if self.plan is None or self.plan.vide:
            return None
        return confirmer(
            self, "Confirmer la purge",
            f"{self.plan.resume}\n\nCes données seront supprimées définitivement, ainsi que les fichiers "
            "déposés qui ne servent plus à aucun dossier. Cette opération est enregistrée au journal d'audit.",
            self.purger, oui="&Purger définitivement", non="&Annuler", destructif=True)

    def purger(self) -> None:
        assert self.plan is not None
        try:
            resultat = rgpd.appliquer_purge(self.ctx, self.plan)
        except DomainError as exc:
            signaler(self, exc, titre="Purge non effectuée")
            self.charger()
            return
        self.purge.emit(resultat)
        informer(self, "Purge effectuée", resultat.message)
        self.charger()


# --- menu entries ----------------------------------------------------------------------------------------


def installer_menu(fenetre: QMainWindow) -> None:
    """« Paramètres › Conservation des données… » and « Purger les données… », for the chef only."""
    menu = getattr(fenetre, "menu_parametres", None)
    if menu is None:
        menu = fenetre.menu_parametres = fenetre.menuBar().addMenu("&Paramètres")  # type: ignore[attr-defined]
    conservation = QAction("&Conservation des données…", fenetre)
    purge = QAction("P&urger les données…", fenetre)
    menu.addSeparator()
    menu.addAction(conservation)
    menu.addAction(purge)
    fenetre.action_conservation = conservation  # type: ignore[attr-defined]
    fenetre.action_purge = purge  # type: ignore[attr-defined]

    def ouvrir(classe: type[QDialog]) -> QDialog | None:
        ctx = fenetre.ctx  # type: ignore[attr-defined]
        if not autorise(ctx, P.MAINTENANCE):
            return None
        try:
            dialogue = classe(ctx, fenetre)
        except DomainError as exc:
            signaler(fenetre, exc, titre=classe.__name__)
            return None
        dialogue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialogue.open()
        fenetre.dialogue_rgpd = dialogue  # type: ignore[attr-defined]
        return dialogue

    conservation.triggered.connect(lambda: ouvrir(DialogueConservation))
    purge.triggered.connect(lambda: ouvrir(DialoguePurge))
    fenetre.ouvrir_conservation = lambda: ouvrir(DialogueConservation)  # type: ignore[attr-defined]
    fenetre.ouvrir_purge = lambda: ouvrir(DialoguePurge)  # type: ignore[attr-defined]

    def visibilite(_agent: object) -> None:
        chef = autorise(fenetre.ctx, P.MAINTENANCE)  # type: ignore[attr-defined]
        conservation.setVisible(chef)
        purge.setVisible(chef)
        menu.menuAction().setVisible(any(a.isVisible() and not a.isSeparator() for a in menu.actions()))

    fenetre.agent_change.connect(visibilite)  # type: ignore[attr-defined]
    conservation.setVisible(False)
    purge.setVisible(False)
