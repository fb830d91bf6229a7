"""Showing a published PDF (récapitulatif, convocation…) at the counter: read it on screen, print it
for the candidate's signature, or save a copy. Never blocks the application. The zoom of a PDF view
(buttons, keys, « + » from « fit to width ») is here too, for the pièces file viewer as well.

    apercu = ouvrir_apercu(fenetre, "Récapitulatif", contenu, "recapitulatif.pdf")
    apercu.imprime.connect(lambda imprimante: ...)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError
from .ecran import ajuster_a_l_ecran, contenir_a_l_ouverture
from .formulaire import bouton_action, nommer, signaler
from .impression_pdf import TravailImpression, dialogue_progression

ZOOM_PAS = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0


def zoom_pleine_largeur(vue: QPdfView, document: QPdfDocument) -> float:
    """The zoom factor « fit width » shows, so that + and − start from what the user sees."""
    largeur_page = document.pagePointSize(0).width() * vue.logicalDpiX() / 72
    if largeur_page <= 0:
        return 1.0
    marges = vue.documentMargins().left() + vue.documentMargins().right()
    return (vue.viewport().width() - marges) / largeur_page


def zoomer_pdf(vue: QPdfView, document: QPdfDocument, facteur: float, *, minimum: float = ZOOM_MIN,
               maximum: float = ZOOM_MAX) -> None:
    """« + » or « − » on a PDF view (both PDF views: this preview and the pièces file viewer)."""
    # From « fit to width », zooming starts at the scale the page is shown at, not at 100 %.
    if vue.zoomMode() == QPdfView.ZoomMode.Custom:
        depart = vue.zoomFactor()
    else:
        depart = max(minimum, zoom_pleine_largeur(vue, document))
    vue.setZoomMode(QPdfView.ZoomMode.Custom)
    vue.setZoomFactor(max(minimum, min(maximum, depart * facteur)))


def boutons_zoom(arriere: Callable[[], None], avant: Callable[[], None], ajuster: Callable[[], None], *,
                 largeur: int) -> tuple[QToolButton, QToolButton, QToolButton]:
    """− + ↔, named for screen readers, their keys in the tooltip (see ``raccourcis_zoom``)."""
    boutons = []
    for texte, nom, touches, action in (("−", "Zoom arrière", "Ctrl+−", arriere),
                                        ("+", "Zoom avant", "Ctrl++", avant),
                                        ("↔", "Ajuster à la largeur", "Ctrl+0", ajuster)):
        b = QToolButton()
        b.setText(texte)
        nommer(b, nom)
        b.setToolTip(f"{nom} ({touches})")
        b.setMinimumWidth(largeur)
        b.clicked.connect(action)
        boutons.append(b)
    return boutons[0], boutons[1], boutons[2]


def raccourcis_zoom(cible: QWidget, arriere: Callable[[], None], avant: Callable[[], None],
                    ajuster: Callable[[], None], contexte: Qt.ShortcutContext | None = None) -> None:
    """Ctrl+− / Ctrl++ (or Ctrl+=) / Ctrl+0 on ``cible``; shortcuts apart from the buttons: a button's
    own shortcut would replace its Alt mnemonic."""
    for touches, action, nom in ((QKeySequence.StandardKey.ZoomIn, avant, "Zoom avant"),
                                 # « + » needs Shift on most keyboards
                                 (QKeySequence("Ctrl+="), avant, "Zoom avant"),
                                 (QKeySequence.StandardKey.ZoomOut, arriere, "Zoom arrière"),
                                 (QKeySequence("Ctrl+0"), ajuster, "Ajuster à la largeur")):
        raccourci = QShortcut(QKeySequence(touches), cible)
        raccourci.setWhatsThis(nom)      # named in « Aide › Raccourcis clavier »
        if contexte is not None:
            raccourci.setContext(contexte)
        raccourci.activated.connect(action)


def ecrire_fichier(chemin: str, contenu: bytes) -> None:
    """Write ``contenu`` to ``chemin``; a French DomainError when the disk or the rights refuse."""
    try:
        Path(chemin).write_bytes(contenu)
    except OSError as exc:
        raise DomainError(f"Le fichier « {chemin} » n'a pas pu être enregistré ({exc.strerror or exc}). "
                          "Vérifiez que le dossier existe et que vous avez le droit d'y écrire.") from exc


def enregistrer_sous(parent: QWidget, contenu: bytes, nom_fichier: str) -> QFileDialog:
    """« Enregistrer sous… »: a non-blocking file dialog; the bytes are written once a name is chosen."""
    dossier = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialogue = QFileDialog(parent, "Enregistrer le document sous", str(Path(dossier) / nom_fichier),
                           "Documents PDF (*.pdf)")
    dialogue.setAccessibleName("Enregistrer le document sous")
    dialogue.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialogue.setFileMode(QFileDialog.FileMode.AnyFile)
    dialogue.setDefaultSuffix("pdf")

    def choisi(chemin: str) -> None:
        try:
            ecrire_fichier(chemin, contenu)
        except DomainError as exc:
            signaler(parent, exc, titre="Enregistrement impossible")

    dialogue.fileSelected.connect(choisi)
    dialogue.open()
    return dialogue


class ApercuPdf(QDialog):
    # Emitted with the printer's name once every page went to it (a batch records it as printed).
    imprime = Signal(str)

    def __init__(self, parent: QWidget | None, titre: str, contenu: bytes, nom_fichier: str, *,
                 chemin: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ajuster_a_l_ecran(self, 900, 1000)
        self.contenu = contenu
        self.nom_fichier = nom_fichier
        self._dialogue: QDialog | None = None        # the print or save dialog being shown
        self.travail: TravailImpression | None = None  # the print run under way
        self.progression: QProgressDialog | None = None

        # QPdfDocument reads from the device lazily: the buffer and its bytes live as long as the dialog.
        self._octets = QByteArray(contenu)
        self._tampon = QBuffer(self._octets, self)
        self._tampon.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        # A batch's merged PDF (thousands of pages) is read from its file, never loaded in memory whole.
        self.chemin = chemin
        if chemin is not None:
            self.document.load(chemin)
        else:
            self.document.load(self._tampon)

        self.vue = QPdfView(self)
        nommer(self.vue, "Aperçu du document")
        self.vue.setDocument(self.document)
        self.vue.setPageMode(QPdfView.PageMode.MultiPage)
        self.vue.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.vue.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.vue.pageNavigator().currentPageChanged.connect(lambda _p: self._afficher_page())

        self.page = QLabel()
        nommer(self.page, "Numéro de page")
        self.bouton_zoom_moins, self.bouton_zoom_plus, self.bouton_largeur = boutons_zoom(
            self.zoom_arriere, self.zoom_avant, self.ajuster_largeur, largeur=32)
        self.bouton_imprimer = bouton_action("&Imprimer…", "Imprimer le document (Ctrl+P)", self.imprimer)
        self.bouton_enregistrer = bouton_action("&Enregistrer sous…", "Enregistrer une copie du document (Ctrl+S)",
                                               self.enregistrer)
        self.bouton_fermer = bouton_action("&Fermer", "Fermer l'aperçu (Échap)", self.close)
        # Shortcuts apart from the buttons: a button's own shortcut would replace its Alt mnemonic.
        for touches, action in ((QKeySequence.StandardKey.Print, self.imprimer),
                                (QKeySequence.StandardKey.Save, self.enregistrer)):
            QShortcut(QKeySequence(touches), self).activated.connect(action)
        raccourcis_zoom(self, self.zoom_arriere, self.zoom_avant, self.ajuster_largeur)

        barre = QHBoxLayout()
        barre.addWidget(self.bouton_zoom_moins)
        barre.addWidget(self.bouton_zoom_plus)
        barre.addWidget(self.bouton_largeur)
        barre.addSpacing(12)
        barre.addWidget(self.page)
        barre.addStretch(1)
        barre.addWidget(self.bouton_imprimer)
        barre.addWidget(self.bouton_enregistrer)
        barre.addWidget(self.bouton_fermer)
        box = QVBoxLayout(self)
        box.addLayout(barre)
        box.addWidget(self.vue, 1)
        self._afficher_page()
        self.vue.setFocus()

    # --- reading ----------------------------------------------------------------------------
    def nombre_pages(self) -> int:
        return self.document.pageCount()

    def _afficher_page(self) -> None:
        n = self.nombre_pages()
        if self.document.status() == QPdfDocument.Status.Error or n == 0:
            self.page.setText("Document illisible")
            return
        courante = self.vue.pageNavigator().currentPage() + 1
        self.page.setText(f"Page {min(courante, n)} / {n}")

    def zoom_avant(self) -> None:
        zoomer_pdf(self.vue, self.document, ZOOM_PAS)

    def zoom_arriere(self) -> None:
        zoomer_pdf(self.vue, self.document, 1 / ZOOM_PAS)

    def ajuster_largeur(self) -> None:
        self.vue.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # --- printing ---------------------------------------------------------------------------
    def imprimer(self) -> QPrintDialog | None:
        if self.travail is not None:         # Ctrl+P while printing: the run under way is shown
            if self.progression is not None:
                self.progression.raise_()
                self.progression.activateWindow()
            return None
        imprimante = QPrinter(QPrinter.PrinterMode.HighResolution)
        imprimante.setDocName(self.nom_fichier)
        dialogue = QPrintDialog(imprimante, self)
        dialogue.setAccessibleName("Imprimer")
        dialogue.setMinMax(1, max(1, self.nombre_pages()))
        dialogue.accepted.connect(lambda: self._imprimer_choisi(imprimante))
        self._dialogue = dialogue
        self._imprimante = imprimante      # the dialog only borrows it
        QDialog.open(dialogue)             # PySide's QPrintDialog.open() only knows (receiver, slot)
        contenir_a_l_ouverture(dialogue)   # centred on the preview, its buttons could fall below the screen
        return dialogue

    def _imprimer_choisi(self, imprimante: QPrinter) -> TravailImpression | None:
        """The print dialog accepted: the pages go out one per turn of the event loop behind
        « Impression : page n / N » (« Annuler » stops it); ``imprime`` only once every page was sent."""
        if self.travail is not None:
            return None
        try:
            travail = TravailImpression(self.document, imprimante, self)
            travail.commencer()
        except DomainError as exc:
            signaler(self, exc, titre="Impression impossible")
            return None
        self.travail = travail
        self._imprimante = imprimante       # the job paints on it until the end
        self.bouton_imprimer.setEnabled(False)
        travail.termine.connect(self._impression_terminee)
        travail.echoue.connect(self._impression_echouee)
        travail.annule.connect(self._impression_finie)
        travail.lancer()
        if not travail.fini:                 # a one-page job is already done: no progress dialog
            self.progression = dialogue_progression(self, travail)
            self.progression.show()
        return travail

    def _impression_finie(self) -> None:
        self.travail = None
        self.progression = None
        if shiboken6.isValid(self.bouton_imprimer):
            self.bouton_imprimer.setEnabled(True)

    def _impression_terminee(self, nom: str) -> None:
        self._impression_finie()
        self.imprime.emit(nom)

    def _impression_echouee(self, exc: DomainError) -> None:
        self._impression_finie()
        signaler(self, exc, titre="Impression impossible")

    def annuler_impression(self) -> None:
        if self.travail is not None:
            self.travail.annuler()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.annuler_impression()            # the document goes with the window: the run stops cleanly
        super().closeEvent(event)

    def done(self, resultat: int) -> None:
        self.annuler_impression()            # Échap closes without a close event
        super().done(resultat)

    def imprimer_vers(self, imprimante: QPrinter) -> None:
        """Every page (or the range chosen in the print dialog), fitted to the printable area, before
        returning (scripts and tests; the « Imprimer » button prints between events)."""
        TravailImpression(self.document, imprimante, self).terminer()

    # --- saving -----------------------------------------------------------------------------
    def enregistrer(self) -> QFileDialog:
        contenu = Path(self.chemin).read_bytes() if self.chemin is not None else self.contenu
        dialogue = enregistrer_sous(self, contenu, self.nom_fichier)
        self._dialogue = dialogue
        return dialogue

    def enregistrer_vers(self, chemin: str) -> None:
        ecrire_fichier(chemin, Path(self.chemin).read_bytes() if self.chemin is not None else self.contenu)


def ouvrir_apercu(parent: QWidget | None, titre: str, contenu: bytes, nom_fichier: str) -> ApercuPdf:
    apercu = ApercuPdf(parent, titre, contenu, nom_fichier)
    apercu.show()
    apercu.raise_()
    apercu.activateWindow()
    return apercu


def ouvrir_apercu_fichier(parent: QWidget | None, titre: str, chemin: str) -> ApercuPdf:
    """The preview of a PDF file on disk (a batch's merged PDF): read page by page from the file."""
    apercu = ApercuPdf(parent, titre, b"", Path(chemin).name, chemin=chemin)
    apercu.show()
    apercu.raise_()
    apercu.activateWindow()
    return apercu
