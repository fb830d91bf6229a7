"""« Imprimer un lot »: which documents, for whom (a session, an examen, a spécialité, or the selection
the screen was opened with), where (one merged PDF or a folder). « Lancer » creates the batch and runs
it in the background with a cancellable progress dialog; the window stays usable. At the end, a
summary with the errors, « Ouvrir le dossier » and the preview of the merged PDF, which prints it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...services import impressions
from ...services.impressions import RapportLot
from ...services.noyau import Contexte, P, autorise
from ..apercu_pdf import ApercuPdf, ouvrir_apercu_fichier
from ..filtres_session import FiltresSession
from ..formulaire import STYLE_AIDE, bouton_action, informer, nommer, signaler
from ..taches import Executeur, Tache

TITRE_PROGRESSION = "Impression par lot"


def libelle_progression(n: int, total: int) -> str:
    """« 1 250 / 20 000 documents »"""
    return f"{impressions.nombre(n)} / {impressions.nombre(total)} document{'s' if total > 1 else ''}"


class PanneauImpression(QWidget):
    """The batch form. ``selection``: candidature ids chosen on another screen (the reviewers' grid,
    a list): offered as the scope besides the whole session."""

    lot_fini = Signal(object)          # RapportLot, after each run (finished or interrupted)

    def __init__(self, ctx: Contexte, executeur: Executeur, selection: list[int] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.executeur = executeur
        self.selection = list(selection or [])
        self.tache: Tache | None = None
        self.dialogue: QProgressDialog | None = None
        self.apercu: ApercuPdf | None = None
        self.dernier: RapportLot | None = None
        self._choix: QFileDialog | None = None
        self.autorise = autorise(ctx, P.IMPRESSIONS)
        nommer(self, "Imprimer un lot")

        self.type = QComboBox()
        for cle, libelle in impressions.TYPES.items():
            self.type.addItem(libelle, cle)
        self.filtres_session = FiltresSession(ctx, self, session="&Session", examen="&Examen",
                                              specialite="Spé&cialité")
        self.session, self.examen, self.specialite = (self.filtres_session.session, self.filtres_session.examen,
                                                      self.filtres_session.specialite)

        self.portee_selection = QRadioButton(f"Sélec&tion courante ({impressions.nombre(len(self.selection))} "
                                             f"candidature{'s' if len(self.selection) > 1 else ''})")
        nommer(self.portee_selection, "Sélection courante")
        self.portee_session = QRadioButton("Session, e&xamen ou spécialité")
        nommer(self.portee_session, "Session, examen ou spécialité")
        self._portees = QButtonGroup(self)
        for b in (self.portee_selection, self.portee_session):
            self._portees.addButton(b)
        self.portee_selection.setVisible(bool(self.selection))
        (self.portee_selection if self.selection else self.portee_session).setChecked(True)

        self.mode_fichier = QRadioButton("Un seul fichier PDF")   # Alt+U, then ↑: every letter is taken here
        nommer(self.mode_fichier, "Un seul fichier PDF")
        self.mode_dossier = QRadioButton("&Un fichier par candidature dans un dossier")
        nommer(self.mode_dossier, "Un fichier par candidature dans un dossier")
        self._modes = QButtonGroup(self)
        for b in (self.mode_fichier, self.mode_dossier):
            self._modes.addButton(b)
        self.mode_fichier.setChecked(True)
        self.sortie = QLineEdit()
        self.sortie.setPlaceholderText("Chemin du fichier PDF ou du dossier")
        self.bouton_choisir = bouton_action("C&hoisir…", "Choisir le fichier ou le dossier de sortie",
                                            self.choisir_sortie)

        formulaire = QFormLayout()
        label_type = QLabel("Docu&ments")
        label_type.setBuddy(self.type)
        nommer(self.type, "Documents")
        formulaire.addRow(label_type, self.type)
        for label, champ in self.filtres_session.libelles:
            formulaire.addRow(label, champ)
        portee = QVBoxLayout()
        portee.addWidget(self.portee_selection)
        portee.addWidget(self.portee_session)
        formulaire.insertRow(1, "Pour :", portee)
        modes = QVBoxLayout()
        modes.addWidget(self.mode_fichier)
        modes.addWidget(self.mode_dossier)
        formulaire.addRow("Sortie :", modes)
        ligne = QHBoxLayout()
        ligne.addWidget(self.sortie, 1)
        ligne.addWidget(self.bouton_choisir)
        label_sortie = QLabel("Fichier &ou dossier de sortie")
        label_sortie.setBuddy(self.sortie)
        nommer(self.sortie, "Fichier ou dossier de sortie")
        formulaire.addRow(label_sortie, ligne)

        self.bouton_lancer = QPushButton("La&ncer")
        nommer(self.bouton_lancer, "Lancer")
        self.bouton_lancer.setToolTip("Créer le lot et produire les documents en arrière-plan")
        self.bouton_lancer.setAutoDefault(False)
        self.bouton_lancer.clicked.connect(self.lancer)
        self.resultat = QLabel()
        nommer(self.resultat, "Résultat")
        self.resultat.setWordWrap(True)
        self.resultat.setStyleSheet("font-weight: 600;")
        self.resultat.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bouton_dossier = bouton_action("Ou&vrir le dossier", "Ouvrir le dossier de sortie", self.ouvrir_dossier)
        self.bouton_apercu = bouton_action("&Aperçu et impression…", "Voir le PDF fusionné et l'imprimer",
                                           self.ouvrir_apercu)
        self.refus = QLabel("Réservé aux gestionnaires et au chef de bureau.")
        nommer(self.refus, "Accès")
        self.refus.setStyleSheet(STYLE_AIDE)
        self.refus.setVisible(not self.autorise)

        box = QVBoxLayout(self)
        box.addWidget(self.refus)
        box.addLayout(formulaire)
        bas = QHBoxLayout()
        bas.addWidget(self.bouton_lancer)
        bas.addStretch(1)
        bas.addWidget(self.bouton_dossier)
        bas.addWidget(self.bouton_apercu)
        box.addLayout(bas)
        box.addWidget(self.resultat)
        # Connected once every widget exists: the first setChecked above already toggles.
        self.portee_session.toggled.connect(self._etat)
        self.mode_dossier.toggled.connect(self._mode_change)
        self._etat()

    # --- behaviour -----------------------------------------------------------------------------------
    def _etat(self) -> None:
        libre = self.autorise and self.tache is None
        filtres = libre and self.portee_session.isChecked()
        for w in (self.session, self.examen, self.specialite):
            w.setEnabled(filtres)
        for w in (self.type, self.portee_selection, self.portee_session, self.mode_fichier, self.mode_dossier,
                  self.sortie, self.bouton_choisir, self.bouton_lancer):
            w.setEnabled(libre)
        r = self.dernier
        self.bouton_dossier.setEnabled(r is not None and r.faits > 0)
        self.bouton_apercu.setEnabled(r is not None and r.termine and r.mode == impressions.FICHIER_UNIQUE
                                      and r.pages > 0)

    def _mode_change(self) -> None:
        texte = self.sortie.text().strip()
        if texte:
            # Switching between file and folder keeps the place, not a name of the wrong kind.
            p = Path(texte)
            self.sortie.setText(str(p.parent if self.mode_dossier.isChecked() and p.suffix.lower() == ".pdf"
                                    else p))

    def mode(self) -> str:
        return impressions.DOSSIER if self.mode_dossier.isChecked() else impressions.FICHIER_UNIQUE

    def choisir_sortie(self) -> QFileDialog:
        depart = self.sortie.text().strip() or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        if self.mode() == impressions.DOSSIER:
            dialogue = QFileDialog(self, "Dossier de sortie", depart)
            dialogue.setFileMode(QFileDialog.FileMode.Directory)
            dialogue.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            nom = f"{self.type.currentData()}.pdf"
            dialogue = QFileDialog(self, "Fichier PDF de sortie", str(Path(depart) / nom)
                                   if Path(depart).is_dir() else depart, "Documents PDF (*.pdf)")
            dialogue.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialogue.setDefaultSuffix("pdf")
        dialogue.setAccessibleName(dialogue.windowTitle())
        dialogue.fileSelected.connect(self.sortie.setText)
        self._choix = dialogue
        dialogue.open()
        return dialogue

    def lancer(self) -> None:
        if self.tache is not None:
            return
        try:
            if self.portee_selection.isChecked() and self.selection:
                ids, perimetre = self.selection, f"sélection de {len(self.selection)} candidatures"
            else:
                session_id = self.session.currentData()
                if session_id is None:
                    raise DomainError("Choisissez une session.")
                ids = impressions.candidatures_du_perimetre(self.ctx, session_id, self.examen.currentData(),
                                                            self.specialite.currentData())
                perimetre = " – ".join(x.currentText() for x in (self.session, self.examen, self.specialite))
            lot_id = impressions.creer_lot(self.ctx, self.type.currentData(), ids, mode=self.mode(),
                                           sortie=self.sortie.text(), perimetre=perimetre)
        except DomainError as exc:
            signaler(self, exc, titre="Impression impossible")
            return
        self.executer_lot(lot_id)

    def executer_lot(self, lot_id: int) -> None:
        """Run (or resume) a batch in the background behind a cancellable progress dialog."""
        if self.tache is not None:
            return
        ctx = self.ctx
        dialogue = QProgressDialog("Préparation du lot…", "&Interrompre", 0, 0, self)
        dialogue.setWindowTitle(TITRE_PROGRESSION)
        nommer(dialogue, TITRE_PROGRESSION)
        # Modeless: the office goes on working while thousands of documents are produced.
        dialogue.setWindowModality(Qt.WindowModality.NonModal)
        dialogue.setMinimumDuration(0)
        dialogue.setAutoClose(False)
        dialogue.setAutoReset(False)
        self.dialogue = dialogue
        tache = self.executeur.preparer(
            lambda t: impressions.executer(ctx, lot_id, progression=t.signaler, annule=t.annule))
        dialogue.canceled.connect(tache.annuler)
        dialogue.canceled.connect(lambda: self.resultat.setText(
            "Interruption après le groupe de documents en cours…"))
        tache.progression.connect(self._progression)
        tache.resultat.connect(self._termine)
        tache.erreur.connect(lambda exc: self._echec(lot_id, exc))
        self.tache = tache
        self.dernier = None
        self.resultat.setText(f"Lot n° {lot_id} en cours…")
        self._etat()
        dialogue.open()
        self.executeur.demarrer(tache)

    def _progression(self, n: int, total: int) -> None:
        if self.dialogue is None or self.dialogue.wasCanceled():
            return
        self.dialogue.setMaximum(total)
        self.dialogue.setValue(n)
        # Every document done but not finished yet: the merged PDF is being put together.
        self.dialogue.setLabelText(libelle_progression(n, total) if n < total
                                   else f"{libelle_progression(n, total)} — finalisation…")

    def _fermer(self) -> None:
        if self.dialogue is not None:
            self.dialogue.close()
            self.dialogue.deleteLater()
            self.dialogue = None
        self.tache = None

    def _termine(self, r: RapportLot) -> None:
        self._fermer()
        self.dernier = r
        self.resultat.setText(impressions.texte_rapport(r))
        self._etat()
        if r.erreurs:
            informer(self, "Documents non produits", "Ces candidatures n'ont pas de document dans le lot :\n\n"
                     + "\n".join(r.erreurs[:20])
                     + (f"\n… et {len(r.erreurs) - 20} autres." if len(r.erreurs) > 20 else ""))
        self.lot_fini.emit(r)

    def _echec(self, lot_id: int, exc: Exception) -> None:
        self._fermer()
        self.resultat.setText(f"Le lot n° {lot_id} s'est arrêté : ce qui est fait reste fait, reprenez-le "
                              "depuis la liste des lots inachevés.")
        self._etat()
        signaler(self, exc, titre="Impression interrompue")
        self.lot_fini.emit(None)

    def ouvrir_dossier(self) -> None:
        r = self.dernier
        if r is None:
            return
        dossier = Path(r.sortie) if r.mode == impressions.DOSSIER else Path(r.sortie).parent
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(dossier))):
            informer(self, "Ouvrir le dossier", f"Les documents sont dans le dossier :\n{dossier}")

    def ouvrir_apercu(self) -> ApercuPdf | None:
        r = self.dernier
        if r is None or not r.termine or r.mode != impressions.FICHIER_UNIQUE:
            return None
        if not Path(r.sortie).is_file():
            signaler(self, DomainError(f"Le fichier « {r.sortie} » n'existe plus."), titre="Aperçu impossible")
            return None
        apercu = ouvrir_apercu_fichier(self, f"{impressions.TYPES[r.type]} — lot n° {r.lot_id}", r.sortie)
        apercu.imprime.connect(lambda imprimante, lot=r.lot_id: self._imprime(lot, imprimante))
        self.apercu = apercu
        return apercu

    def _imprime(self, lot_id: int, imprimante: str) -> None:
        try:
            impressions.marquer_imprime(self.ctx, lot_id, imprimante)
        except DomainError as exc:
            signaler(self, exc, titre="Enregistrement impossible")
            return
        self.resultat.setText(f"{self.resultat.text()} Imprimé sur « {imprimante} ».")
