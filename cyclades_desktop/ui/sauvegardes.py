"""Fichier ▸ Sauvegarder maintenant… / Restaurer une sauvegarde… / Paramètres de sauvegarde… (chef de
bureau), and the daily backup the application runs by itself on a SQLite workstation."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError
from ..rules.sauvegardes import texte_incomplete, texte_manquants
from ..services import sauvegardes
from ..services.noyau import SYSTEME, Contexte, P, autorise, exiger
from .controle_integrite import ControleIntegrite
from .ecran import ajuster_a_l_ecran
from .formulaire import Formulaire, bouton_action, boutons_enregistrer, confirmer, informer, nommer, signaler
from .taches import Executeur

VERIFICATION_MS = 10 * 60 * 1000   # the application looks every 10 minutes whether the hour has passed


def _taille(octets: int) -> str:
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


class DialogueSauvegardes(QDialog):
    """The existing backups (date, size, schema revision), « Sauvegarder maintenant », « Restaurer »."""

    restauree = Signal(object)   # the RapportRestauration: the application must close

    def __init__(self, parent: QWidget | None, ctx: Contexte, executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        self.setWindowTitle("Sauvegardes")
        self.setAccessibleName("Sauvegardes")
        ajuster_a_l_ecran(self, 760, 420)
        box = QVBoxLayout(self)
        ligne = QHBoxLayout()
        libelle = QLabel("&Dossier des sauvegardes :")
        self.dossier = QLineEdit(str(sauvegardes.dossier_effectif(ctx)))
        nommer(self.dossier, "Dossier des sauvegardes")
        libelle.setBuddy(self.dossier)
        self.dossier.editingFinished.connect(self.actualiser)
        ligne.addWidget(libelle)
        ligne.addWidget(self.dossier, 1)
        ligne.addWidget(bouton_action("&Parcourir…", "Choisir un autre dossier", self._parcourir))
        box.addLayout(ligne)
        self.table = QTableWidget(0, 5)
        nommer(self.table, "Sauvegardes existantes")
        self.table.setHorizontalHeaderLabels(["Date (heure de Paris)", "Taille", "Révision du schéma", "Type", "État"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for colonne in (1, 2, 3, 4):
            self.table.horizontalHeader().setSectionResizeMode(colonne, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        box.addWidget(self.table, 1)
        self.progression = QProgressBar()
        nommer(self.progression, "Progression")
        self.progression.setVisible(False)
        box.addWidget(self.progression)
        self.message = QLabel()
        self.message.setAccessibleName("Résultat")
        self.message.setWordWrap(True)
        box.addWidget(self.message)
        boutons = QHBoxLayout()
        self.bouton_sauvegarder = bouton_action("&Sauvegarder maintenant", "Faire une sauvegarde complète "
                                                "(base et pièces déposées)", self.sauvegarder)
        self.bouton_restaurer = bouton_action("&Restaurer la sauvegarde sélectionnée…", "Remplacer la base par "
                                              "cette sauvegarde (le programme se fermera)", self.demander_restauration)
        self.controle = ControleIntegrite(self, ctx, self.executeur)
        self.bouton_verifier = bouton_action("&Vérifier l'intégrité…", "Relire la base et chaque pièce déposée, "
                                             "et les comparer à leur empreinte SHA-256", self.controle.lancer)
        fermer = QPushButton("&Fermer")
        nommer(fermer, "Fermer")
        fermer.clicked.connect(self.close)
        for b in (self.bouton_sauvegarder, self.bouton_restaurer, self.bouton_verifier):
            boutons.addWidget(b)
        boutons.addStretch(1)
        boutons.addWidget(fermer)
        box.addLayout(boutons)
        self.liste: list[sauvegardes.Sauvegarde] = []
        self.actualiser()

    def _parcourir(self) -> None:
        dialogue = QFileDialog(self, "Dossier des sauvegardes", self.dossier.text())
        dialogue.setFileMode(QFileDialog.FileMode.Directory)
        dialogue.fileSelected.connect(lambda d: (self.dossier.setText(d), self.actualiser()))
        dialogue.open()

    def actualiser(self) -> None:
        try:
            self.liste = sauvegardes.lister_sauvegardes(self.ctx, self.dossier.text())
        except DomainError as exc:
            signaler(self, exc)
            return
        self.table.setRowCount(len(self.liste))
        for i, s in enumerate(self.liste):
            valeurs = [s.libelle.removesuffix(" (heure de Paris)"), _taille(s.taille), s.revision,
                       "quotidienne" if s.quotidienne else "manuelle", _etat(s)]
            for j, v in enumerate(valeurs):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, str(s.chemin))
                if s.erreur or s.incomplete:
                    item.setToolTip(s.erreur or texte_incomplete(s.libelle, s.fichiers_omis))
                if j == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        if self.liste:
            self.table.selectRow(0)
        self.bouton_restaurer.setEnabled(bool(self.liste))

    def _occupe(self, occupe: bool) -> None:
        self.bouton_sauvegarder.setEnabled(not occupe)
        self.bouton_restaurer.setEnabled(not occupe and bool(self.liste))
        self.bouton_verifier.setEnabled(not occupe)
        self.progression.setVisible(occupe)
        self.progression.setRange(0, 0)   # busy until the first file count arrives

    def sauvegarder(self) -> None:
        ctx, dossier = self.ctx, self.dossier.text()
        self._occupe(True)
        self.message.setText("Sauvegarde en cours…")
        tache = self.executeur.preparer(lambda t: sauvegardes.sauvegarder(ctx, dossier, progression=t.signaler))
        tache.progression.connect(lambda fait, total: (self.progression.setRange(0, total),
                                                       self.progression.setValue(fait)))
        tache.resultat.connect(self._sauvegardee)
        tache.erreur.connect(self._echec)
        self.executeur.demarrer(tache)

    def _sauvegardee(self, s: sauvegardes.Sauvegarde) -> None:
        self._occupe(False)
        texte = f"Sauvegarde faite : {s.chemin.name} ({_taille(s.taille)}, {s.nb_fichiers} fichier(s))."
        incomplete = [texte_incomplete(s.libelle, s.fichiers_omis)] if s.incomplete else []
        self.message.setText("\n".join([texte, *incomplete, *s.avertissements]))
        self.actualiser()

    def _echec(self, exc: Exception, titre: str = "Sauvegarde impossible") -> None:
        self._occupe(False)
        self.message.setText("")
        signaler(self, exc, titre=titre)

    def selection(self) -> sauvegardes.Sauvegarde | None:
        ligne = self.table.currentRow()
        return self.liste[ligne] if 0 <= ligne < len(self.liste) else None

    def demander_restauration(self) -> None:
        s = self.selection()
        if s is None:
            return
        try:
            exiger(self.ctx, P.SAUVEGARDES)
            if s.erreur:       # unreadable or invalid manifest: said at once, nothing to confirm
                raise DomainError(s.erreur)
        except DomainError as exc:
            signaler(self, exc, titre="Restauration impossible")
            return
        incomplete = ("\n\nCette sauvegarde est INCOMPLÈTE : des pièces déposées y manquent (détail à l'étape "
                      "suivante).") if s.incomplete else ""
        confirmer(self, "Restaurer une sauvegarde",
                  f"La base actuelle va être remplacée par la sauvegarde du {s.libelle} (schéma {s.revision}).\n\n"
                  "Fermez d'abord Cyclades Desktop sur les autres postes. La base actuelle sera conservée à côté "
                  f"(« avant-restauration »). Le programme se fermera ensuite : relancez-le.{incomplete}",
                  lambda: self._confirmer_incomplete(s) if s.incomplete else self.restaurer(s), oui="Restaurer",
                  destructif=True)

    def _confirmer_incomplete(self, s: sauvegardes.Sauvegarde) -> None:
        """The second confirmation an incomplete backup needs, naming the files it lacks; Entrée and
        Échap answer « Annuler »."""
        confirmer(self, "Restaurer une sauvegarde incomplète",
                  f"{texte_incomplete(s.libelle, s.fichiers_omis)}\n\nRestaurer quand même cette sauvegarde "
                  "incomplète ?", lambda: self.restaurer(s, accepter_incomplete=True),
                  oui="Restaurer quand même", destructif=True)

    def restaurer(self, s: sauvegardes.Sauvegarde, *, accepter_incomplete: bool = False) -> None:
        ctx = self.ctx
        url = ctx.db.url.render_as_string(hide_password=False)
        self._occupe(True)
        self.message.setText("Vérification et restauration en cours…")
        ctx.db.dispose()   # no connection of ours may stay open on the base being replaced

        def travail(t):  # type: ignore[no-untyped-def]
            return sauvegardes.restaurer(url, s.chemin, clock=ctx.clock, agent=ctx.agent, progression=t.signaler,
                                         accepter_incomplete=accepter_incomplete)
        tache = self.executeur.preparer(travail)
        tache.resultat.connect(self._restauree)
        tache.erreur.connect(lambda exc: (self._echec(exc, "Restauration impossible"), self.actualiser()))
        self.executeur.demarrer(tache)

    def _restauree(self, rapport: sauvegardes.RapportRestauration) -> None:
        self._occupe(False)
        self.message.setText("Restauration terminée.")
        self.restauree.emit(rapport)


class DialogueParametresSauvegarde(QDialog):
    def __init__(self, parent: QWidget | None, ctx: Contexte) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Paramètres de sauvegarde")
        self.setAccessibleName("Paramètres de sauvegarde")
        p = sauvegardes.parametres(ctx)
        box = QVBoxLayout(self)
        self.formulaire = Formulaire()
        self.dossier = QLineEdit(p.dossier)
        self.dossier.setPlaceholderText(str(sauvegardes.dossier_par_defaut(ctx.db)))
        self.formulaire.ajouter("dossier", "Dossier des sauvegardes", self.dossier,
                                aide="Vide : le dossier « sauvegardes » à côté de la base. Choisissez de préférence "
                                     "un autre disque ou un partage réseau.")
        self.heure = QTimeEdit(QTime.fromString(p.heure, "HH:mm"))
        self.heure.setDisplayFormat("HH:mm")
        self.formulaire.ajouter("heure", "Heure de la sauvegarde quotidienne", self.heure,
                                aide="Heure de Paris ; la sauvegarde se fait dès que cette heure est passée.")
        self.quotidiennes = QSpinBox()
        self.quotidiennes.setRange(1, 365)
        self.quotidiennes.setValue(p.quotidiennes)
        self.formulaire.ajouter("quotidiennes", "Sauvegardes quotidiennes conservées", self.quotidiennes)
        self.hebdomadaires = QSpinBox()
        self.hebdomadaires.setRange(0, 520)
        self.hebdomadaires.setValue(p.hebdomadaires)
        self.formulaire.ajouter("hebdomadaires", "Sauvegardes hebdomadaires conservées", self.hebdomadaires)
        self.automatique = QCheckBox("Activée")
        self.automatique.setChecked(p.automatique)
        self.formulaire.ajouter("automatique", "Sauvegarde quotidienne automatique par ce poste", self.automatique,
                                aide="Sinon, utilisez une tâche planifiée : cyclades-desktop-admin sauvegarder "
                                     "--quotidienne")
        box.addWidget(self.formulaire)
        boutons, _enregistrer, _annuler = boutons_enregistrer(self.enregistrer, self.reject)
        box.addLayout(boutons)

    def enregistrer(self) -> None:
        p = sauvegardes.ParametresSauvegarde(
            dossier=self.dossier.text().strip(), heure=self.heure.time().toString("HH:mm"),
            quotidiennes=self.quotidiennes.value(), hebdomadaires=self.hebdomadaires.value(),
            automatique=self.automatique.isChecked())
        try:
            sauvegardes.enregistrer_parametres(self.ctx, p)
        except DomainError as exc:
            signaler(self, exc, self.formulaire)
            return
        self.accept()


class SauvegardeAutomatique(QObject):
    """The daily backup of a SQLite workstation: at start-up and every 10 minutes, once the configured
    hour has passed, in the background. A failure is shown in the status bar and tried again later."""

    def __init__(self, fenetre: QMainWindow, executeur: Executeur | None = None) -> None:
        super().__init__(fenetre)
        self.fenetre = fenetre
        self.executeur = executeur or Executeur()
        self.en_cours = False
        self.minuterie = QTimer(self)
        self.minuterie.setInterval(VERIFICATION_MS)
        self.minuterie.timeout.connect(self.verifier)
        self.minuterie.start()
        QTimer.singleShot(0, self.verifier)

    def verifier(self) -> None:
        ctx: Contexte = self.fenetre.ctx.avec_agent(SYSTEME)  # type: ignore[attr-defined]
        if self.en_cours or not ctx.db.is_sqlite:
            return   # PostgreSQL: the server's scheduled task (cyclades-desktop-admin) backs up
        try:
            if not sauvegardes.parametres(ctx).automatique:
                return
        except DomainError:
            return
        self.en_cours = True
        tache = self.executeur.preparer(lambda _t: sauvegardes.sauvegarde_quotidienne(ctx, forcer_heure=False))
        tache.resultat.connect(self._faite)
        tache.erreur.connect(self._echec)
        tache.terminee.connect(lambda: setattr(self, "en_cours", False))
        self.executeur.demarrer(tache)

    def _faite(self, s: sauvegardes.Sauvegarde | None) -> None:
        if s is not None and s.incomplete:   # stays shown: pièces are missing from it
            self.fenetre.statusBar().showMessage(f"Sauvegarde quotidienne INCOMPLÈTE ({len(s.fichiers_omis)} "
                                                 f"fichier(s) endommagé(s) ou absent(s)) : {s.chemin}")
        elif s is not None:
            self.fenetre.statusBar().showMessage(f"Sauvegarde quotidienne faite : {s.chemin}", 15_000)

    def _echec(self, exc: Exception) -> None:
        message = exc.message if isinstance(exc, DomainError) else "erreur inattendue"
        self.fenetre.statusBar().showMessage(f"Sauvegarde quotidienne impossible : {message}")


def installer(fenetre: QMainWindow, menu: QMenu, *, avant: QAction) -> None:
    """Add the three Fichier entries (enabled for the chef de bureau) and the automatic backup."""
    actions = []
    for texte, raccourci, ouvrir in (
        ("&Sauvegarder maintenant…", "Ctrl+Shift+S", lambda: _ouvrir_sauvegardes(fenetre)),
        ("&Restaurer une sauvegarde…", None, lambda: _ouvrir_sauvegardes(fenetre, restaurer=True)),
        ("&Paramètres de sauvegarde…", None, lambda: DialogueParametresSauvegarde(fenetre, fenetre.ctx).open()),  # type: ignore[attr-defined]
    ):
        action = QAction(texte, fenetre)
        if raccourci:
            action.setShortcut(QKeySequence(raccourci))
        action.triggered.connect(ouvrir)
        menu.insertAction(avant, action)
        actions.append(action)
    menu.insertSeparator(avant)

    def selon_agent(_agent: object) -> None:
        permis = autorise(fenetre.ctx, P.SAUVEGARDES)  # type: ignore[attr-defined]
        for a in actions:
            a.setEnabled(permis)
    selon_agent(None)
    fenetre.agent_change.connect(selon_agent)  # type: ignore[attr-defined]
    fenetre.actions_sauvegarde = actions  # type: ignore[attr-defined]
    fenetre.sauvegarde_automatique = SauvegardeAutomatique(fenetre)  # type: ignore[attr-defined]


def _etat(s: sauvegardes.Sauvegarde) -> str:
    if s.erreur:
        return "illisible"
    if s.incomplete:
        n = len(s.fichiers_omis)
        return f"incomplète ({n} fichier{'s' if n > 1 else ''} manquant{'s' if n > 1 else ''})"
    return "complète"


def _ouvrir_sauvegardes(fenetre: QMainWindow, *, restaurer: bool = False) -> DialogueSauvegardes:
    dialogue = DialogueSauvegardes(fenetre, fenetre.ctx)  # type: ignore[attr-defined]
    dialogue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialogue.restauree.connect(lambda r: _apres_restauration(fenetre, dialogue, r))
    fenetre.dialogue_sauvegardes = dialogue  # type: ignore[attr-defined]
    dialogue.open()
    if restaurer:
        dialogue.table.setFocus()
        dialogue.message.setText("Choisissez la sauvegarde à restaurer, puis « Restaurer la sauvegarde "
                                 "sélectionnée… ».")
    else:
        dialogue.bouton_sauvegarder.setFocus()
    return dialogue


def _apres_restauration(fenetre: QMainWindow, dialogue: QDialog, r: sauvegardes.RapportRestauration) -> None:
    """The open screens hold data of the replaced base: the application closes and asks for a restart."""
    avant = f"\n\nLa base d'avant la restauration est conservée : {r.copie_avant}" if r.copie_avant else ""
    if r.fichiers_manquants:
        avant += f"\n\n{texte_manquants(r.fichiers_manquants)}"
    dialogue.close()
    boite = informer(fenetre, "Restauration terminée",
                     f"La sauvegarde du {r.sauvegarde.libelle} a été restaurée.{avant}\n\n"
                     "Cyclades Desktop va se fermer : relancez-le pour continuer.")
    boite.finished.connect(fenetre.close)
    fenetre.restauration_faite = r  # type: ignore[attr-defined]
    for zone in list(getattr(fenetre, "zones", {}).values()):
        zone.setEnabled(False)


__all__ = ["DialogueSauvegardes", "DialogueParametresSauvegarde", "SauvegardeAutomatique", "installer"]
