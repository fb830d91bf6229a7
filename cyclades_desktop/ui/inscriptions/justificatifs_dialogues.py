"""What « Mes justificatifs » is made of besides its list: the lines it writes (file, status), the
reading of a chosen file, an image viewer for deposited JPEG and PNG files and the « Réception… »
form of a piece sent by post. Neither window blocks the application."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QDate, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...rules import pieces as regles
from ...rules.errors import DomainError, ValidationError
from ...rules.fichiers import TAILLE_MAX, TEXTE_FORMATS
from ...rules.temps import format_date, format_date_heure
from ...services.justificatifs import FichierVue, GroupeVue, PieceVue
from ..apercu_pdf import enregistrer_sous
from ..champs import champ_date
from ..ecran import ajuster_a_l_ecran
from ..formulaire import Formulaire, bouton_action, boutons_enregistrer, nommer, signaler

# The portal's « J'ai fourni toutes mes pièces », said as the counter does it for the candidate.
BOUTON_VALIDER = "Valider le dépôt des pièces"
# A file far over the limit is refused without being read into memory.
LECTURE_MAX = 4 * TAILLE_MAX


def nom_valider(g: GroupeVue) -> str:
    """« Valider le dépôt des pièces (en ligne, 10/12/2024 17:00) »: one button per online group."""
    return f"{BOUTON_VALIDER} ({g.mode}, {format_date_heure(g.echeance)})"


def ligne_fichier(f: FichierVue | None, valide_le: datetime | None = None) -> str:
    """« identite.pdf – Déposé le 10/11/2024 11:00 (heure/Paris) – Validé le … (heure/Paris) »."""
    if f is None:
        return "Aucun fichier"
    texte = f"{f.nom} – Déposé le {format_date_heure(f.depose_le)} (heure/Paris)"
    if valide_le is not None:
        texte += f" – Validé le {format_date_heure(valide_le)} (heure/Paris)"
    return texte


def ligne_statut(p: PieceVue) -> str:
    """« Statut : Reçue      Date de réception 11/09/2023      Cachet de la poste 09/09/2023 »; nothing
    before the first review."""
    if p.statut == regles.AUCUN:
        return ""
    texte = f"Statut : {p.statut_libelle}"
    if p.date_reception is not None:
        texte += f"      Date de réception {format_date(p.date_reception)}"
    if p.date_cachet is not None:
        texte += f"      Cachet de la poste {format_date(p.date_cachet)}"
    return texte


def refus_reception(p: PieceVue) -> str:
    """Why « Réception… » is greyed: a piece already found conforme keeps the gestionnaire's status
    (recording a reception would set it back to « Reçue »)."""
    if p.statut == regles.CONFORME:
        return "Cette pièce a déjà été contrôlée et jugée conforme : rien à enregistrer."
    return ""


def choisir_fichier(parent: QWidget, code: str, libelle: str) -> QFileDialog:
    """« Ajouter… »: the file dialog, which states the formats and the size accepted; the caller
    connects ``fileSelected`` and opens it (non-blocking)."""
    dossier = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not Path(dossier).is_dir():      # else Qt takes the missing folder's name for a file name
        dossier = str(Path.home())
    dialogue = QFileDialog(parent, f"Ajouter {code} — {TEXTE_FORMATS}", dossier,
                           "Pièces justificatives (*.pdf *.jpg *.jpeg *.png);;Tous les fichiers (*)")
    dialogue.setAccessibleName(f"Ajouter {code}")
    # Qt's own dialog, so that the accepted formats can be written inside it.
    dialogue.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialogue.setFileMode(QFileDialog.FileMode.ExistingFile)
    for etiquette, texte in ((QFileDialog.DialogLabel.LookIn, "Dossier :"),
                             (QFileDialog.DialogLabel.FileName, "Nom du fichier :"),
                             (QFileDialog.DialogLabel.FileType, "Type de fichier :"),
                             (QFileDialog.DialogLabel.Accept, "&Ajouter"),
                             (QFileDialog.DialogLabel.Reject, "Annuler")):
        dialogue.setLabelText(etiquette, texte)
    dialogue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    formats = QLabel(f"{code} : {libelle}\n{TEXTE_FORMATS}")
    formats.setWordWrap(True)
    formats.setStyleSheet("font-weight: 600; color: #1f3a5f;")
    nommer(formats, "Formats acceptés")
    grille = dialogue.layout()
    if isinstance(grille, QGridLayout):
        grille.addWidget(formats, grille.rowCount(), 0, 1, grille.columnCount())
    return dialogue


def lire_fichier(chemin: str) -> bytes:
    """The bytes of the file chosen for a deposit; a French DomainError when it cannot be read."""
    nom = Path(chemin).name
    try:
        taille = Path(chemin).stat().st_size
        if taille > LECTURE_MAX:
            raise DomainError(f"Le fichier « {nom} » est trop volumineux ({taille // (1024 * 1024)} Mo) : la "
                              f"limite est de {TAILLE_MAX // (1024 * 1024)} Mo par fichier.")
        return Path(chemin).read_bytes()
    except OSError as exc:
        raise DomainError(f"Le fichier « {nom} » n'a pas pu être lu ({exc.strerror or exc}). Vérifiez qu'il "
                          "existe et qu'il n'est pas ouvert dans un autre programme.") from exc


class ApercuImage(QDialog):
    """A deposited image, fitted to the window (« Taille réelle » shows it pixel for pixel)."""

    def __init__(self, parent: QWidget | None, titre: str, contenu: bytes, nom_fichier: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ajuster_a_l_ecran(self, 900, 900)
        self.contenu = contenu
        self.nom_fichier = nom_fichier
        self.image = QPixmap()
        self.image.loadFromData(QByteArray(contenu))
        self.ajuste = True

        self.vue = QLabel()
        nommer(self.vue, "Aperçu de l'image")
        self.vue.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.defilement = QScrollArea()
        self.defilement.setWidget(self.vue)
        self.defilement.setWidgetResizable(True)
        self.defilement.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.defilement.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.taille = QLabel(f"{self.image.width()} × {self.image.height()} pixels" if not self.image.isNull()
                             else "Image illisible")
        nommer(self.taille, "Taille de l'image")
        self.bouton_taille = bouton_action("&Taille réelle", "Basculer entre la taille réelle et l'ajustement à "
                                           "la fenêtre (Ctrl+0)", self.basculer_taille)
        enregistrer = bouton_action("&Enregistrer sous…", "Enregistrer une copie du fichier (Ctrl+S)",
                                    self.enregistrer)
        fermer = bouton_action("&Fermer", "Fermer l'aperçu (Échap)", self.close)
        QShortcut(QKeySequence("Ctrl+0"), self).activated.connect(self.basculer_taille)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.enregistrer)
        barre = QHBoxLayout()
        barre.addWidget(self.taille)
        barre.addStretch(1)
        barre.addWidget(self.bouton_taille)
        barre.addWidget(enregistrer)
        barre.addWidget(fermer)
        box = QVBoxLayout(self)
        box.addLayout(barre)
        box.addWidget(self.defilement, 1)
        self._afficher()
        self.defilement.setFocus()

    def basculer_taille(self) -> None:
        self.ajuste = not self.ajuste
        self.bouton_taille.setText("&Ajuster à la fenêtre" if not self.ajuste else "&Taille réelle")
        self._afficher()

    def _afficher(self) -> None:
        if self.image.isNull():
            self.vue.setText("Cette image ne peut pas être affichée.")
            return
        if not self.ajuste:
            self.vue.setPixmap(self.image)
            return
        zone = self.defilement.viewport().size()
        self.vue.setPixmap(self.image.scaled(zone, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
                           if self.image.width() > zone.width() or self.image.height() > zone.height()
                           else self.image)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.ajuste:
            self._afficher()

    def enregistrer(self) -> QDialog:
        dialogue = enregistrer_sous(self, self.contenu, self.nom_fichier)
        # enregistrer_sous proposes PDFs; an image keeps its own extension.
        dialogue.setNameFilter("Images (*.png *.jpg *.jpeg)")
        dialogue.setDefaultSuffix(self.nom_fichier.rsplit(".", 1)[-1] if "." in self.nom_fichier else "png")
        return dialogue


LIBELLE_CACHET = "Date du cachet de la poste"


class DialogueReception(QDialog):
    """« Réception… »: the date a posted piece arrived and, when legible, its postmark, which counts
    for the deadline (docs/domaine/justificatifs.md#courrier). The dialog stays open with the error
    under its field when the input or the service refuses it."""

    def __init__(self, parent: QWidget, code: str, libelle: str, aujourd_hui: date,
                 enregistrer: Callable[[date, date | None], None]) -> None:
        super().__init__(parent)
        titre = f"Réception de la pièce {code}"
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._enregistrer = enregistrer
        piece = QLabel(f"{code} : {libelle}")
        piece.setWordWrap(True)
        self.form = Formulaire()
        self.date = QDateEdit(QDate(aujourd_hui.year, aujourd_hui.month, aujourd_hui.day))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.form.ajouter("date_reception", "Date de réception", self.date,
                          aide="Jour où le pli est arrivé au bureau ; par défaut, aujourd'hui.")
        self.cachet = champ_date()
        self.form.ajouter("date_cachet", LIBELLE_CACHET, self.cachet,
                          aide="Facultative, au format jj/mm/aaaa : si le cachet est lisible, c'est sa date qui "
                               "fait foi pour la date limite.")
        boutons, ok, annuler = boutons_enregistrer(
            self.valider, self.reject, annuler_a_gauche=True,
            aides=("Enregistrer la date de réception", "Fermer sans rien enregistrer (Échap)"))
        for b in (ok, annuler):
            b.setAutoDefault(False)     # Entrée saves wherever the focus is; Échap cancels
        box = QVBoxLayout(self)
        box.addWidget(piece)
        box.addWidget(self.form)
        box.addLayout(boutons)
        self.setMinimumWidth(460)
        self.date.setFocus()

    def valider(self) -> None:
        d = self.date.date()
        texte = self.cachet.text().strip()
        try:
            cachet = regles.lire_date(texte) if texte else None
            if texte and cachet is None:
                raise ValidationError({"date_cachet": regles.FORMAT_DATE})   # nothing is sent to the service
            self._enregistrer(date(d.year(), d.month(), d.day()), cachet)
        except DomainError as exc:
            signaler(self, exc, self.form, titre="Réception non enregistrée")
            return
        self.accept()
