"""Beside the grid, the current piece's file: a PDF in a QPdfView, a JPEG or PNG in a zoomable image
view, or « Aucun fichier déposé »; below it, the piece's earlier files. A reviewer goes through a
queue without opening a window."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QPointF, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...rules import pieces as regles
from ...rules.errors import DomainError
from ...rules.temps import format_date, format_date_heure
from ...services import justificatifs
from ...services.justificatifs import FichierVue, LignePiece, controle
from ...services.noyau import Contexte
from ..apercu_pdf import boutons_zoom, raccourcis_zoom, zoomer_pdf
from ..formulaire import nommer, signaler

ZOOM_PAS = 1.25
ZOOM_MIN, ZOOM_MAX = 0.1, 8.0
ROLE_FICHIER = Qt.ItemDataRole.UserRole + 1


class LibelleElide(QLabel):
    """One line, cut with « … » at the width it is given; the whole text in its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self._complet = ""
        self.setMinimumWidth(1)     # a long name is cut, it does not widen the viewer

    def definir(self, texte: str) -> None:
        self._complet = texte
        self.setToolTip(texte)
        self._couper()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._couper()

    def _couper(self) -> None:
        self.setText(self.fontMetrics().elidedText(self._complet, Qt.TextElideMode.ElideRight, self.width()))


def _taille(octets: int) -> str:
    return f"{octets / 1024:.0f} Ko" if octets < 1024 * 1024 else f"{octets / 1024 / 1024:.1f} Mo"


class Visionneuse(QWidget):
    def __init__(self, ctx: Contexte, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ligne: LignePiece | None = None
        self.fichier: FichierVue | None = None
        self._image = QImage()
        self._zoom: float | None = None          # None: fitted to the width
        self._octets = QByteArray()
        self._tampon: QBuffer | None = None

        self.piece = LibelleElide()
        nommer(self.piece, "Pièce affichée")
        self.piece.setStyleSheet("font-weight: 600;")
        self.entete = QLabel()
        nommer(self.entete, "Fichier affiché")
        self.entete.setWordWrap(True)
        self.entete.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.message = QLabel("Aucun fichier déposé")
        nommer(self.message, "Aucun fichier")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555; font-size: 15px;")

        self.document = QPdfDocument(self)
        self.vue_pdf = QPdfView()
        nommer(self.vue_pdf, "Aperçu du fichier")
        self.vue_pdf.setDocument(self.document)
        self.vue_pdf.setPageMode(QPdfView.PageMode.MultiPage)
        self.vue_pdf.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.image = QLabel()
        nommer(self.image, "Image du fichier")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.defilement = QScrollArea()
        self.defilement.setWidget(self.image)
        self.defilement.setWidgetResizable(True)
        self.defilement.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.defilement.viewport().installEventFilter(self)

        self.pile = QStackedWidget()
        for page in (self.message, self.vue_pdf, self.defilement):
            self.pile.addWidget(page)

        self.bouton_moins, self.bouton_plus, self.bouton_ajuster = boutons_zoom(
            self.zoom_arriere, self.zoom_avant, self.ajuster, largeur=30)
        # Shortcuts for the whole area: the keyboard stays in the grid while the reviewer reads.
        raccourcis_zoom(parent or self, self.zoom_arriere, self.zoom_avant, self.ajuster,
                        Qt.ShortcutContext.WidgetWithChildrenShortcut)
        outils = QHBoxLayout()
        outils.addWidget(self.entete, 1)
        for b in (self.bouton_moins, self.bouton_plus, self.bouton_ajuster):
            outils.addWidget(b)

        self.titre_historique = QLabel("&Historique des fichiers :")
        self.historique = QListWidget()
        nommer(self.historique, "Historique des fichiers")
        self.titre_historique.setBuddy(self.historique)
        self.historique.setToolTip("Entrée ou double-clic : afficher ce fichier")
        self.historique.setMaximumHeight(84)
        self.historique.itemActivated.connect(self._ouvrir_historique)

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.piece)
        box.addLayout(outils)
        box.addWidget(self.pile, 1)
        box.addWidget(self.titre_historique)
        box.addWidget(self.historique)
        self.afficher(None)

    # --- what is shown ------------------------------------------------------------------------
    def afficher(self, ligne: LignePiece | None) -> None:
        """The current file of ``ligne`` (None: nothing selected)."""
        self.ligne = ligne
        historique: list[FichierVue] = []
        courant = None
        if ligne is not None and ligne.a_fichier:
            try:
                courant = justificatifs.fichier_courant(self.ctx, ligne.id)
                historique = controle.historique(self.ctx, ligne.id)
            except DomainError as exc:
                self._vide(f"Le fichier ne peut pas être affiché.\n{exc.message}")
                signaler(self, exc, titre="Fichier illisible")
                return
        self._remplir_historique(historique)
        self._nommer_piece()
        if ligne is None:
            self._vide("Sélectionnez une pièce dans la liste : son fichier s'affiche ici.")
        elif courant is None:
            self._vide(self._sans_fichier(ligne))
        else:
            self._montrer(*courant)

    @staticmethod
    def _sans_fichier(ligne: LignePiece) -> str:
        if ligne.mode == regles.COURRIER:
            cachet = f" (cachet de la poste du {format_date(ligne.date_cachet)})" if ligne.date_cachet else ""
            recue = f"\nReçue le {format_date(ligne.date_reception)}{cachet}." if ligne.date_reception else ""
            return f"Aucun fichier déposé : pièce à envoyer par voie postale.{recue}"
        return "Aucun fichier déposé"

    def _vide(self, texte: str) -> None:
        self.fichier = None
        self.message.setText(texte)
        self.entete.clear()
        self.pile.setCurrentWidget(self.message)
        self._liberer()
        self._zooms_actifs(False)

    def _liberer(self) -> None:
        self.document.close()
        self._tampon = None
        self.image.clear()
        self._image = QImage()

    def _montrer(self, fichier: FichierVue, contenu: bytes) -> None:
        self.fichier = fichier
        etat = "" if fichier.actif else " — fichier remplacé"
        self.entete.setText(f"{fichier.nom} ({_taille(fichier.taille)}), déposé le "
                            f"{format_date_heure(fichier.depose_le)} (heure de Paris){etat}")
        self._liberer()
        if fichier.type_mime == "application/pdf":
            # QPdfDocument reads the device lazily: the buffer and its bytes live as long as the view.
            self._octets = QByteArray(contenu)
            self._tampon = QBuffer(self._octets, self)
            self._tampon.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.load(self._tampon)
            if self.document.status() == QPdfDocument.Status.Error or self.document.pageCount() == 0:
                self._vide("Ce PDF ne peut pas être affiché (document illisible).")
                return
            self.vue_pdf.pageNavigator().jump(0, QPointF(0, 0))   # a new file opens on its first page
            self.pile.setCurrentWidget(self.vue_pdf)
        else:
            self._image = QImage.fromData(contenu)
            if self._image.isNull():
                self._vide("Cette image ne peut pas être affichée (fichier illisible).")
                return
            self.pile.setCurrentWidget(self.defilement)
            self._mettre_a_l_echelle()
        self._zooms_actifs(True)

    def _nommer_piece(self) -> None:
        x = self.ligne
        self.piece.definir(f"{x.candidat} — {x.piece_libelle}" if x else "")

    def _remplir_historique(self, fichiers: list[FichierVue]) -> None:
        self.historique.clear()
        for f in fichiers:
            item = QListWidgetItem(f"{f.nom} — déposé le {format_date_heure(f.depose_le)} (heure de Paris)"
                                   + ("" if f.actif else " — remplacé"))
            item.setData(ROLE_FICHIER, f.id)
            self.historique.addItem(item)
        visible = len(fichiers) > 1    # the current file alone is already shown above
        self.historique.setVisible(visible)
        self.titre_historique.setVisible(visible)

    def _ouvrir_historique(self, item: QListWidgetItem) -> None:
        try:
            self._montrer(*justificatifs.contenu_fichier(self.ctx, int(item.data(ROLE_FICHIER))))
        except DomainError as exc:
            signaler(self, exc, titre="Fichier illisible")

    # --- zoom ---------------------------------------------------------------------------------
    def _zooms_actifs(self, actifs: bool) -> None:
        for b in (self.bouton_moins, self.bouton_plus, self.bouton_ajuster):
            b.setEnabled(actifs)

    def _facteur_ajuste(self) -> float:
        largeur = self.defilement.viewport().width() - 4
        return max(ZOOM_MIN, min(1.0, largeur / max(1, self._image.width())))

    def _mettre_a_l_echelle(self) -> None:
        if self._image.isNull():
            return
        facteur = self._facteur_ajuste() if self._zoom is None else self._zoom
        taille = self._image.size() * facteur
        self.image.setPixmap(QPixmap.fromImage(self._image.scaled(
            taille, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)))

    def _zoomer(self, facteur: float) -> None:
        if self.pile.currentWidget() is self.vue_pdf:
            zoomer_pdf(self.vue_pdf, self.document, facteur, minimum=ZOOM_MIN, maximum=ZOOM_MAX)
        elif not self._image.isNull():
            depart = self._facteur_ajuste() if self._zoom is None else self._zoom
            self._zoom = max(ZOOM_MIN, min(ZOOM_MAX, depart * facteur))
            self._mettre_a_l_echelle()

    def zoom_avant(self) -> None:
        self._zoomer(ZOOM_PAS)

    def zoom_arriere(self) -> None:
        self._zoomer(1 / ZOOM_PAS)

    def ajuster(self) -> None:
        self.vue_pdf.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._zoom = None
        self._mettre_a_l_echelle()

    def zoom_image(self) -> float:
        return self._facteur_ajuste() if self._zoom is None else self._zoom

    def eventFilter(self, objet: QObject, evenement: QEvent) -> bool:
        if evenement.type() == QEvent.Type.Resize and self._zoom is None:
            self._mettre_a_l_echelle()    # « fitted to the width » follows the splitter
        return super().eventFilter(objet, evenement)
