"""Showing a published PDF (récapitulatif, convocation…) at the counter: read it on screen, print it
for the candidate's signature, or save a copy. Never blocks the application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError
from .formulaire import bouton_action, nommer, signaler

# A full A4 page as an image costs 35 MB at 300 dpi but 560 MB at 1200 dpi (QPrinter's "high
# resolution"): 300 dpi is what office laser printers print text at anyway.
RESOLUTION_MAX = 300
ZOOM_PAS = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0


def zoom_pleine_largeur(vue: QPdfView, document: QPdfDocument) -> float:
    """The zoom factor « fit width » shows, so that + and − start from what the user sees."""
    largeur_page = document.pagePointSize(0).width() * vue.logicalDpiX() / 72
    if largeur_page <= 0:
        return 1.0
    marges = vue.documentMargins().left() + vue.documentMargins().right()
    return (vue.viewport().width() - marges) / largeur_page


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
    def __init__(self, parent: QWidget | None, titre: str, contenu: bytes, nom_fichier: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(900, 1000)
        self.contenu = contenu
        self.nom_fichier = nom_fichier
        self._dialogue: QDialog | None = None        # the print or save dialog being shown

        # QPdfDocument reads from the device lazily: the buffer and its bytes live as long as the dialog.
        self._octets = QByteArray(contenu)
        self._tampon = QBuffer(self._octets, self)
        self._tampon.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
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
        self.bouton_zoom_moins = self._outil("−", "Zoom arrière", "Ctrl+−", self.zoom_arriere)
        self.bouton_zoom_plus = self._outil("+", "Zoom avant", "Ctrl++", self.zoom_avant)
        self.bouton_largeur = self._outil("↔", "Ajuster à la largeur", "Ctrl+0", self.ajuster_largeur)
        self.bouton_imprimer = bouton_action("&Imprimer…", "Imprimer le document (Ctrl+P)", self.imprimer)
        self.bouton_enregistrer = bouton_action("&Enregistrer sous…", "Enregistrer une copie du document (Ctrl+S)",
                                               self.enregistrer)
        self.bouton_fermer = bouton_action("&Fermer", "Fermer l'aperçu (Échap)", self.close)
        # Shortcuts apart from the buttons: a button's own shortcut would replace its Alt mnemonic.
        for touches, action in ((QKeySequence.StandardKey.Print, self.imprimer),
                                (QKeySequence.StandardKey.Save, self.enregistrer),
                                (QKeySequence.StandardKey.ZoomIn, self.zoom_avant),
                                (QKeySequence("Ctrl+="), self.zoom_avant),   # « + » needs Shift on most keyboards
                                (QKeySequence.StandardKey.ZoomOut, self.zoom_arriere),
                                (QKeySequence("Ctrl+0"), self.ajuster_largeur)):
            QShortcut(QKeySequence(touches), self).activated.connect(action)

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

    def _outil(self, texte: str, nom: str, touches: str, action: object) -> QToolButton:
        b = QToolButton()
        b.setText(texte)
        nommer(b, nom)
        b.setToolTip(f"{nom} ({touches})")
        b.setMinimumWidth(32)
        b.clicked.connect(action)
        return b


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

    def _zoomer(self, facteur: float) -> None:
        # From « fit to width », zooming starts at the scale the page is shown at, not at 100 %.
        depart = self.vue.zoomFactor() if self.vue.zoomMode() == QPdfView.ZoomMode.Custom else self._zoom_affiche()
        self.vue.setZoomMode(QPdfView.ZoomMode.Custom)
        self.vue.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, depart * facteur)))

    def _zoom_affiche(self) -> float:
        return max(ZOOM_MIN, zoom_pleine_largeur(self.vue, self.document))

    def zoom_avant(self) -> None:
        self._zoomer(ZOOM_PAS)

    def zoom_arriere(self) -> None:
        self._zoomer(1 / ZOOM_PAS)

    def ajuster_largeur(self) -> None:
        self.vue.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # --- printing ---------------------------------------------------------------------------
    def imprimer(self) -> QPrintDialog:
        imprimante = QPrinter(QPrinter.PrinterMode.HighResolution)
        imprimante.setDocName(self.nom_fichier)
        dialogue = QPrintDialog(imprimante, self)
        dialogue.setAccessibleName("Imprimer")
        dialogue.setMinMax(1, max(1, self.nombre_pages()))
        dialogue.accepted.connect(lambda: self._imprimer_choisi(imprimante))
        self._dialogue = dialogue
        self._imprimante = imprimante      # the dialog only borrows it
        QDialog.open(dialogue)             # PySide's QPrintDialog.open() only knows (receiver, slot)
        return dialogue

    def _imprimer_choisi(self, imprimante: QPrinter) -> None:
        try:
            self.imprimer_vers(imprimante)
        except DomainError as exc:
            signaler(self, exc, titre="Impression impossible")

    def imprimer_vers(self, imprimante: QPrinter) -> None:
        """Every page (or the range chosen in the print dialog), fitted to the printable area."""
        n = self.nombre_pages()
        if n == 0:
            raise DomainError("Ce document est illisible : il ne peut pas être imprimé.")
        pages: range = range(n)
        if imprimante.printRange() == QPrinter.PrintRange.PageRange and imprimante.fromPage() > 0:
            pages = range(imprimante.fromPage() - 1, min(max(imprimante.toPage(), imprimante.fromPage()), n))
        nom = imprimante.printerName() or imprimante.outputFileName() or "l'imprimante"
        peintre = QPainter()
        if not peintre.begin(imprimante):
            raise DomainError(f"Impossible d'imprimer : « {nom} » ne répond pas ou n'est pas disponible. "
                              "Vérifiez qu'elle est allumée et reliée au poste, puis recommencez.")
        try:
            dpi = min(imprimante.resolution(), RESOLUTION_MAX)
            echelle = imprimante.resolution() / dpi
            zone = peintre.viewport()
            for rang, page in enumerate(pages):
                if rang and not imprimante.newPage():
                    raise DomainError(f"L'impression s'est interrompue à la page {page + 1} : vérifiez "
                                      f"« {nom} » (papier, bourrage) puis recommencez.")
                points = self.document.pagePointSize(page)
                taille = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = self.document.render(page, taille)
                cible = QSize(round(taille.width() * echelle), round(taille.height() * echelle))
                cible = cible.scaled(zone.size(), Qt.AspectRatioMode.KeepAspectRatio) \
                    if cible.width() > zone.width() or cible.height() > zone.height() else cible
                coin = QPoint((zone.width() - cible.width()) // 2, 0)
                peintre.drawImage(QRect(coin, cible), image)
        finally:
            peintre.end()
        if imprimante.printerState() == QPrinter.PrinterState.Error:
            raise DomainError(f"L'impression sur « {nom} » a échoué : vérifiez l'imprimante puis recommencez.")

    # --- saving -----------------------------------------------------------------------------
    def enregistrer(self) -> QFileDialog:
        dialogue = enregistrer_sous(self, self.contenu, self.nom_fichier)
        self._dialogue = dialogue
        return dialogue

    def enregistrer_vers(self, chemin: str) -> None:
        ecrire_fichier(chemin, self.contenu)


def ouvrir_apercu(parent: QWidget | None, titre: str, contenu: bytes, nom_fichier: str) -> ApercuPdf:
    apercu = ApercuPdf(parent, titre, contenu, nom_fichier)
    apercu.show()
    apercu.raise_()
    apercu.activateWindow()
    return apercu
