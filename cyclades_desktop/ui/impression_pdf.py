"""Printing a PDF to a QPrinter page by page, between events: a batch's merged PDF of 20,000 pages
goes to the printer while the window stays usable, behind « Impression : page n / N » and
« Annuler ». QPainter on a QPrinter must stay in the GUI thread: each turn of the event loop renders
one page (QPdfDocument.render) and paints it, then gives the hand back (a zero-interval timer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from ..rules.errors import DomainError
from ..services.impressions import nombre
from .formulaire import nommer

# A full A4 page as an image costs 35 MB at 300 dpi but 560 MB at 1200 dpi (QPrinter's "high
# resolution"): 300 dpi is what office laser printers print text at anyway.
RESOLUTION_MAX = 300
TITRE_PROGRESSION = "Impression en cours"


def libelle_page(n: int, total: int) -> str:
    """« Impression : page 1 250 / 20 000 »"""
    return f"Impression : page {nombre(n)} / {nombre(total)}"


def nom_imprimante(imprimante: QPrinter) -> str:
    return imprimante.printerName() or imprimante.outputFileName() or "l'imprimante"


def pages_choisies(imprimante: QPrinter, n: int) -> range:
    """Every page, or the range chosen in the print dialog (1-based there)."""
    if imprimante.printRange() == QPrinter.PrintRange.PageRange and imprimante.fromPage() > 0:
        return range(imprimante.fromPage() - 1, min(max(imprimante.toPage(), imprimante.fromPage()), n))
    return range(n)


class TravailImpression(QObject):
    """One print run. :meth:`commencer` opens the printer (a DomainError when it refuses),
    :meth:`etape` sends the next page; :meth:`lancer` pumps the steps from a zero-interval timer.
    Exactly one of ``termine`` (every page sent), ``echoue`` or ``annule`` is emitted at the end."""

    progression = Signal(int, int)       # pages sent, pages to send
    termine = Signal(str)                # the printer's name (or output file)
    echoue = Signal(object)              # DomainError
    annule = Signal()

    def __init__(self, document: QPdfDocument, imprimante: QPrinter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.imprimante = imprimante
        n = document.pageCount()
        if n == 0 or document.status() == QPdfDocument.Status.Error:
            raise DomainError("Ce document est illisible : il ne peut pas être imprimé.")
        self.pages = pages_choisies(imprimante, n)
        self.total = len(self.pages)
        self.faites = 0
        self.nom = nom_imprimante(imprimante)
        self.peintre = QPainter()
        self.fini = False
        self._minuteur = QTimer(self)
        self._minuteur.setInterval(0)
        self._minuteur.timeout.connect(self._tour)

    @property
    def en_cours(self) -> bool:
        return self.peintre.isActive()

    def commencer(self) -> None:
        if not self.peintre.begin(self.imprimante):
            self.fini = True
            raise DomainError(f"Impossible d'imprimer : « {self.nom} » ne répond pas ou n'est pas disponible. "
                              "Vérifiez qu'elle est allumée et reliée au poste, puis recommencez.")
        dpi = min(self.imprimante.resolution(), RESOLUTION_MAX)
        self._dpi = dpi
        self._echelle = self.imprimante.resolution() / dpi
        self._zone = self.peintre.viewport()

    def etape(self) -> bool:
        """Render and paint the next page; False once every page was sent (or the run stopped)."""
        if self.fini:
            return False
        page = self.pages[self.faites]
        if self.faites and not self.imprimante.newPage():
            self._arreter()
            raise DomainError(f"Impossible d'imprimer : « {self.nom} » s'est arrêtée à la page {self.faites + 1}"
                              f" / {self.total}. Vérifiez-la (papier, bourrage) puis recommencez ; rien n'est "
                              "noté comme imprimé.")
        points = self.document.pagePointSize(page)
        taille = QSize(round(points.width() * self._dpi / 72), round(points.height() * self._dpi / 72))
        image = self.document.render(page, taille)
        zone = self._zone
        cible = QSize(round(taille.width() * self._echelle), round(taille.height() * self._echelle))
        if cible.width() > zone.width() or cible.height() > zone.height():
            cible = cible.scaled(zone.size(), Qt.AspectRatioMode.KeepAspectRatio)
        self.peintre.drawImage(QRect(QPoint((zone.width() - cible.width()) // 2, 0), cible), image)
        self.faites += 1
        self.progression.emit(self.faites, self.total)
        if self.faites < self.total:
            return True
        self.fini = True
        self.peintre.end()
        if self.imprimante.printerState() == QPrinter.PrinterState.Error:
            raise DomainError(f"Impossible d'imprimer : l'impression sur « {self.nom} » a échoué. Vérifiez "
                              "l'imprimante puis recommencez.")
        return False

    def terminer(self) -> None:
        """Every remaining page at once (scripts and tests; the screens use :meth:`lancer`)."""
        if not self.en_cours and not self.fini:
            self.commencer()
        while self.etape():
            pass

    # --- driven by the event loop ------------------------------------------------------------------
    def lancer(self) -> None:
        """After :meth:`commencer`: the first page now (a one-page job ends here), the rest one page per
        turn of the event loop."""
        self._tour()
        if not self.fini:
            self._minuteur.start()

    def _tour(self) -> None:
        try:
            encore = self.etape()
        except DomainError as exc:
            self._minuteur.stop()
            self.echoue.emit(exc)
            return
        except Exception as exc:     # a rendering crash: the run stops, nothing is recorded as printed
            self._arreter()
            self._minuteur.stop()
            self.echoue.emit(DomainError(f"Impossible d'imprimer : erreur inattendue ({type(exc).__name__}) ; "
                                         "rien n'est noté comme imprimé."))
            return
        if not encore:
            self._minuteur.stop()
            self.termine.emit(self.nom)

    def annuler(self) -> None:
        """Stop between two pages: the print job is aborted (a PDF file half written is removed)."""
        if self.fini:
            return
        self._minuteur.stop()
        self._arreter()
        self.annule.emit()

    def _arreter(self) -> None:
        self.fini = True
        avorte = self.imprimante.abort() if self.peintre.isActive() else False
        if self.peintre.isActive():
            self.peintre.end()
        fichier = self.imprimante.outputFileName()
        if not avorte and fichier and self.faites < self.total:
            Path(fichier).unlink(missing_ok=True)


def dialogue_progression(parent: QWidget, travail: TravailImpression) -> QProgressDialog:
    """« Impression : page n / N » with « Annuler »; modeless, so the window stays usable meanwhile."""
    dialogue = QProgressDialog(libelle_page(travail.faites, travail.total), "&Annuler", 0, travail.total, parent)
    dialogue.setWindowTitle(TITRE_PROGRESSION)
    nommer(dialogue, TITRE_PROGRESSION)
    dialogue.setWindowModality(Qt.WindowModality.NonModal)
    dialogue.setMinimumDuration(0)
    dialogue.setAutoClose(False)
    dialogue.setAutoReset(False)
    dialogue.setMinimumWidth(360)
    dialogue.setValue(travail.faites)
    annuler = QPushButton("&Annuler")
    nommer(annuler, "Annuler")
    annuler.setToolTip("Arrêter l'impression (Échap) : rien n'est noté comme imprimé")
    dialogue.setCancelButton(annuler)

    def avance(n: int, total: int) -> None:
        dialogue.setValue(n)
        dialogue.setLabelText(libelle_page(n, total))

    travail.progression.connect(avance)
    dialogue.canceled.connect(travail.annuler)
    dialogue.rejected.connect(travail.annuler)   # Échap hides the dialog without « canceled »
    for fin in (travail.termine, travail.echoue, travail.annule):
        fin.connect(lambda *_: fermer(dialogue))
    return dialogue


def fermer(dialogue: QProgressDialog) -> None:
    dialogue.blockSignals(True)          # closing must not emit « canceled » on a finished run
    dialogue.close()
    dialogue.deleteLater()
