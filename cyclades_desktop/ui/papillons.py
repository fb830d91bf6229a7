"""« Papillons de connexion » (docs/domaine/organisation.md#papillons): choose a session and an
établissement (or all of them), see the pupils who will get a slip, then « Générer et imprimer » behind
a confirmation that the previous passwords stop working. The generation runs in the background; the
result opens in the PDF preview (print, save) and can also be written as one PDF per établissement
into a folder."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError
from ..rules.temps import format_date_heure
from ..services.comptes import LotPapillons, papillons
from ..services.noyau import Contexte
from .apercu_pdf import ApercuPdf, ecrire_fichier, ouvrir_apercu
from .ecran import ajuster_a_l_ecran
from .formulaire import STYLE_AIDE, bouton_action, confirmer, informer, nommer, signaler
from .taches import Executeur, Tache

TOUS = "Tous les établissements"
COLONNES = ("Établissement", "Classe", "Nom", "Prénoms", "N° candidat", "Inscription", "Spécialité",
            "Identifiant", "Dernier papillon")
AVERTISSEMENT = "Les mots de passe précédents ne fonctionneront plus."


class DialoguePapillons(QDialog):
    def __init__(self, ctx: Contexte, parent: QWidget | None = None, executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        self.setWindowTitle("Papillons de connexion")
        self.setAccessibleName("Papillons de connexion")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ajuster_a_l_ecran(self, 1040, 620)
        self.lot: LotPapillons | None = None
        self.apercu: ApercuPdf | None = None
        self.tache: Tache | None = None
        self._dialogue: QWidget | None = None

        titre = QLabel("Papillons de connexion")
        titre.setObjectName("titre")
        explication = QLabel(
            "Pour les élèves et apprentis inscrits par un établissement : un papillon par candidature avec "
            "l'identifiant de connexion et un nouveau mot de passe, trois par page A4, triés par classe puis "
            "par nom. Le mot de passe n'est imprimé qu'une fois : il n'est conservé nulle part en clair.")
        explication.setWordWrap(True)
        explication.setStyleSheet(STYLE_AIDE)

        self.session = QComboBox()
        nommer(self.session, "Session")
        self.recherche = QLineEdit()
        nommer(self.recherche, "Rechercher un établissement")
        self.recherche.setPlaceholderText("Nom, ville ou UAI…")
        self.recherche.setClearButtonEnabled(True)
        self.etablissement = QComboBox()
        nommer(self.etablissement, "Établissement")
        self.etablissement.setMinimumWidth(460)
        formulaire = QFormLayout()
        for libelle, champ in (("&Session", self.session), ("&Rechercher un établissement", self.recherche),
                               ("É&tablissement", self.etablissement)):
            lab = QLabel(libelle)
            lab.setBuddy(champ)
            formulaire.addRow(lab, champ)

        self.table = QTableWidget(0, len(COLONNES))
        nommer(self.table, "Candidats")
        self.table.setHorizontalHeaderLabels(COLONNES)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        for colonne, largeur in ((0, 170), (1, 70), (2, 110), (3, 100), (4, 100), (5, 75), (7, 150), (8, 120)):
            self.table.setColumnWidth(colonne, largeur)
        self.compteur = QLabel()
        nommer(self.compteur, "Nombre de papillons")
        self.compteur.setStyleSheet("font-weight: 600;")
        self.resultat = QLabel()
        nommer(self.resultat, "Résultat")
        self.resultat.setWordWrap(True)

        self.bouton_generer = bouton_action("&Générer et imprimer…", "Nouveaux mots de passe et papillons (Ctrl+G)",
                                            self.generer)
        self.bouton_dossier = bouton_action(
            "Enregistrer &par établissement…", "Un fichier PDF par établissement dans un dossier", self.enregistrer_dossier)
        self.bouton_dossier.setEnabled(False)
        self.bouton_fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        QShortcut(QKeySequence("Ctrl+G"), self).activated.connect(self.generer)

        bas = QHBoxLayout()
        bas.addWidget(self.compteur, 1)
        bas.addWidget(self.bouton_generer)
        bas.addWidget(self.bouton_dossier)
        bas.addWidget(self.bouton_fermer)
        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(explication)
        box.addLayout(formulaire)
        box.addWidget(self.table, 1)
        box.addLayout(bas)
        box.addWidget(self.resultat)

        try:
            for s in papillons.sessions(ctx):
                self.session.addItem(s.libelle, s.id)
        except DomainError as exc:
            signaler(self, exc)
        self.session.currentIndexChanged.connect(lambda _i: self.charger_etablissements())
        self.recherche.textChanged.connect(lambda _t: self.charger_etablissements())
        self.etablissement.currentIndexChanged.connect(lambda _i: self.charger_liste())
        self.charger_etablissements()

    # --- selection -------------------------------------------------------------------------------
    def session_id(self) -> int | None:
        data = self.session.currentData()
        return int(data) if data is not None else None

    def uai(self) -> str | None:
        data = self.etablissement.currentData()
        return str(data) if data else None

    def charger_etablissements(self) -> None:
        sid = self.session_id()
        garde = self.uai()
        self.etablissement.blockSignals(True)
        self.etablissement.clear()
        try:
            trouves = papillons.etablissements(self.ctx, sid, self.recherche.text()) if sid is not None else []
        except DomainError as exc:
            trouves = []
            signaler(self, exc)
        total = sum(e.nombre for e in trouves)
        if not self.recherche.text().strip():
            self.etablissement.addItem(f"{TOUS} ({total} candidature{'s' if total > 1 else ''})", "")
        for e in trouves:
            self.etablissement.addItem(f"{e.libelle} — {e.nombre}", e.uai)
        index = self.etablissement.findData(garde) if garde else -1
        self.etablissement.setCurrentIndex(max(index, 0))
        self.etablissement.blockSignals(False)
        self.charger_liste()

    def charger_liste(self) -> None:
        sid = self.session_id()
        self.table.setRowCount(0)
        lignes = []
        if sid is not None and self.etablissement.count():
            try:
                lignes = papillons.lister(self.ctx, sid, self.uai())
            except DomainError as exc:
                signaler(self, exc)
        self.table.setRowCount(len(lignes))
        for r, x in enumerate(lignes):
            valeurs = (x.etablissement, x.classe, x.nom, x.prenoms, x.numero_candidat, x.numero_inscription,
                       x.specialite, x.identifiant,
                       format_date_heure(x.dernier_papillon) if x.dernier_papillon else "jamais")
            for c, v in enumerate(valeurs):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.setColumnHidden(0, self.uai() is not None)
        etabs = len({x.uai for x in lignes})
        self.compteur.setText(
            f"{len(lignes)} papillon{'s' if len(lignes) > 1 else ''} à imprimer"
            + (f" ({etabs} établissements)" if etabs > 1 else ""))
        self.bouton_generer.setEnabled(bool(lignes))
        self._lignes = lignes

    def nombre(self) -> int:
        return self.table.rowCount()

    # --- generating ------------------------------------------------------------------------------
    def generer(self) -> QWidget | None:
        sid = self.session_id()
        if sid is None or not self.nombre() or not self.bouton_generer.isEnabled():
            return None
        comptes = len({x.compte_id for x in self._lignes})
        cible = self.etablissement.currentText().rsplit(" — ", 1)[0] if self.uai() else TOUS.lower()
        message = (f"{self.nombre()} papillon(s) de connexion vont être imprimés ({cible}, session "
                   f"{self.session.currentText()}) avec un nouveau mot de passe pour {comptes} compte(s).\n\n"
                   f"{AVERTISSEMENT} Distribuez les nouveaux papillons aux élèves.")
        self._dialogue = confirmer(self, "Générer les papillons de connexion", message,
                                   lambda: self._lancer(sid, self.uai()), oui="Générer et imprimer",
                                   destructif=True)   # the passwords in use stop working
        return self._dialogue

    def _lancer(self, session_id: int, uai: str | None) -> None:
        self.resultat.clear()
        self.bouton_generer.setEnabled(False)
        progres = QProgressDialog("Génération des mots de passe et des papillons…", "Annuler", 0, self.nombre(), self)
        progres.setWindowTitle("Papillons de connexion")
        progres.setAccessibleName("Génération des papillons")
        progres.setWindowModality(Qt.WindowModality.WindowModal)
        progres.setMinimumDuration(300)
        self.progres = progres
        tache = self.executeur.preparer(lambda t: papillons.generer(
            self.ctx, session_id, uai, progression=t.signaler, annule=t.annule))
        tache.progression.connect(lambda fait, total: self._vivant() and self._avancer(fait, total))
        tache.resultat.connect(lambda lot: self._vivant() and self._termine(lot))
        tache.erreur.connect(lambda exc: self._vivant() and self._echec(exc))
        progres.canceled.connect(tache.annuler)
        self.tache = tache
        self.executeur.demarrer(tache)

    def _vivant(self) -> bool:
        return shiboken6.isValid(self)

    def _avancer(self, fait: int, total: int) -> None:
        self.progres.setMaximum(total)
        self.progres.setValue(fait)

    def _fin_progression(self) -> None:
        self.progres.reset()
        self.progres.close()
        self.bouton_generer.setEnabled(True)

    def _echec(self, exc: Exception) -> None:
        self._fin_progression()
        signaler(self, exc, titre="Papillons non générés")

    def _termine(self, lot: LotPapillons) -> None:
        self._fin_progression()
        self.lot = lot
        self.bouton_dossier.setEnabled(True)
        n = len(lot.fichiers)
        self.resultat.setText(
            f"{lot.nombre_papillons} papillon(s) générés pour {n} établissement(s), session {lot.session} : "
            "imprimez-les depuis l'aperçu. Les mots de passe ne seront plus affichés après la fermeture.")
        self.charger_liste()
        nom = lot.fichiers[0].nom_fichier if n == 1 else f"papillons-{lot.session}.pdf"
        titre = (f"Papillons de connexion — {lot.fichiers[0].etablissement}" if n == 1
                 else f"Papillons de connexion — {n} établissements")
        # Parented to the main window: the preview stays open (for printing) once this dialog is closed.
        self.apercu = ouvrir_apercu(self.parentWidget() or self, titre, papillons.fusionner(lot.fichiers), nom)

    def enregistrer_dossier(self) -> QFileDialog | None:
        if self.lot is None:
            return None
        dossier = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialogue = QFileDialog(self, "Dossier où enregistrer les papillons", dossier)
        dialogue.setAccessibleName("Dossier où enregistrer les papillons")
        dialogue.setFileMode(QFileDialog.FileMode.Directory)
        dialogue.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialogue.fileSelected.connect(self.enregistrer_vers)
        dialogue.open()
        self._dialogue = dialogue
        return dialogue

    def enregistrer_vers(self, dossier: str) -> None:
        if self.lot is None:
            return
        try:
            for f in self.lot.fichiers:
                ecrire_fichier(str(Path(dossier) / f.nom_fichier), f.contenu)
        except DomainError as exc:
            signaler(self, exc, titre="Enregistrement impossible")
            return
        informer(self, "Papillons enregistrés",
                 f"{len(self.lot.fichiers)} fichier(s) PDF enregistré(s) dans « {dossier} ».")

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.lot = None      # the passwords in clear go with the dialog
        super().closeEvent(event)


def ouvrir(ctx: Contexte, parent: QWidget | None = None) -> DialoguePapillons:
    dialogue = DialoguePapillons(ctx, parent)
    dialogue.show()
    dialogue.raise_()
    dialogue.activateWindow()
    return dialogue
