"""Pieces shared by the Référentiel tabs: named buttons and tables, Paris-time date-time fields,
and a non-blocking form dialog that keeps what was typed when the service refuses it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...rules.temps import paris
from ..formulaire import BoutonImmediat, Formulaire, boutons_enregistrer, signaler
from ..tables import configurer_lecture

LECTURE_SEULE = "Consultation seule : seul le chef de bureau peut modifier le référentiel."
STYLE_NOTE = "color: #555; font-style: italic;"
STYLE_SUCCES = "color: #1b6e2a; font-weight: 600;"
# Wall-clock values are held in a zone without DST so that Qt never shifts a typed time; the
# service reads them as Paris time.
_MUR = QTimeZone(QTimeZone.Initialization.UTC)


def bouton(texte: str, raccourci: str | QKeySequence.StandardKey | None = None) -> QPushButton:
    """A push button whose accessible name is its label without the mnemonic '&'."""
    b = BoutonImmediat(texte)
    nom = texte.replace("&", "")
    b.setAccessibleName(nom.rstrip("…").strip() if nom.endswith("…") else nom)
    if raccourci is not None:
        b.setShortcut(QKeySequence(raccourci))
        b.setToolTip(f"{nom} ({QKeySequence(raccourci).toString(QKeySequence.SequenceFormat.NativeText)})")
    return b


def rangee(*widgets: QWidget, etirer: bool = True) -> QHBoxLayout:
    box = QHBoxLayout()
    box.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        box.addWidget(w)
    if etirer:
        box.addStretch(1)
    return box


def note(texte: str, style: str = STYLE_NOTE) -> QLabel:
    lab = QLabel(texte)
    lab.setStyleSheet(style)
    lab.setWordWrap(True)
    return lab


def tableau(nom: str, colonnes: Sequence[str], *, etirer: int | None = None,
            largeurs: dict[int, int] | None = None) -> QTableWidget:
    """A read-only, row-selecting table named for screen readers and tests. ``etirer`` takes the
    spare width; ``largeurs`` fixes (user-resizable) widths of long columns, whose text is elided
    with the full value in the tooltip, so that they never collapse on a small screen."""
    t = QTableWidget(0, len(colonnes))
    t.setHorizontalHeaderLabels(list(colonnes))
    configurer_lecture(t, nom)
    entete = t.horizontalHeader()
    entete.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if etirer is not None:
        entete.setSectionResizeMode(etirer, QHeaderView.ResizeMode.Stretch)
    else:
        entete.setStretchLastSection(True)
    for c, largeur in (largeurs or {}).items():
        entete.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        entete.resizeSection(c, largeur)
    return t


def remplir(t: QTableWidget, lignes: Sequence[Sequence[str]], cles: Sequence[object] | None = None) -> None:
    """Replace the rows; ``cles`` is kept on each row's first cell (Qt.UserRole)."""
    t.setRowCount(0)
    t.setRowCount(len(lignes))
    for r, ligne in enumerate(lignes):
        for c, valeur in enumerate(ligne):
            item = QTableWidgetItem(valeur)
            item.setToolTip(valeur)
            if c == 0 and cles is not None:
                item.setData(Qt.ItemDataRole.UserRole, cles[r])
            t.setItem(r, c, item)


def cle_courante(t: QTableWidget) -> object | None:
    row = t.currentRow()
    item = t.item(row, 0) if row >= 0 else None
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def selectionner(t: QTableWidget, cle: object) -> None:
    for r in range(t.rowCount()):
        item = t.item(r, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == cle:
            t.setCurrentCell(r, 0)
            return


def champ_date_heure() -> QDateTimeEdit:
    e = QDateTimeEdit()
    e.setTimeZone(_MUR)
    e.setDisplayFormat("dd/MM/yyyy HH:mm")
    e.setCalendarPopup(True)
    return e


def vers_champ(e: QDateTimeEdit, valeur: datetime) -> None:
    """Show a stored instant (UTC) as Paris wall clock; a naive value is already wall clock."""
    p = paris(valeur) if valeur.tzinfo is not None else valeur
    e.setDateTime(QDateTime(QDate(p.year, p.month, p.day), QTime(p.hour, p.minute), _MUR))


def depuis_champ(e: QDateTimeEdit) -> datetime:
    """The Paris wall-clock value typed (naive), as the services expect it."""
    d, t = e.date(), e.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class DialogueFormulaire(QDialog):
    """A form in a window-modal dialog opened with open(): no nested event loop. Enregistrer runs
    ``executer()``; a refusal is shown next to the fields and the dialog stays open with what was
    typed; success emits ``enregistre`` with the service's result and closes."""

    enregistre = Signal(object)

    def __init__(self, parent: QWidget, titre: str, *, texte_bouton: str = "&Enregistrer") -> None:
        super().__init__(parent)
        self.setWindowTitle(titre)
        self.setAccessibleName(titre)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = Formulaire()
        boutons, self.bouton_enregistrer, self.bouton_annuler = boutons_enregistrer(
            self.enregistrer, self.reject, texte=texte_bouton, annuler_a_gauche=True)
        box = QVBoxLayout(self)
        box.addWidget(self.form)
        box.addStretch(1)
        box.addLayout(boutons)
        self.setMinimumWidth(520)
        self._focalise = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._focalise:
            return
        self._focalise = True
        # Fields were added after the buttons: without this, Tab and the first key start on
        # « Enregistrer » (the space bar saved an empty form).
        champs = [w for w in self.form.champs.values() if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        if champs:
            QWidget.setTabOrder(champs[-1], self.bouton_annuler)
            QWidget.setTabOrder(self.bouton_annuler, self.bouton_enregistrer)
        premier = self.form.premier_champ()
        if premier is not None:
            premier.setFocus(Qt.FocusReason.TabFocusReason)

    def executer(self) -> object:
        raise NotImplementedError

    def enregistrer(self) -> None:
        self.form.effacer_erreurs()
        try:
            resultat = self.executer()
        except DomainError as exc:
            signaler(self, exc, self.form)
            return
        self.enregistre.emit(resultat)
        self.accept()


def ouvrir(dialogue: DialogueFormulaire, apres: Callable[[object], None]) -> DialogueFormulaire:
    # Full-width fields keep each help line on one line (a narrow field wraps it under the next row).
    for champ in dialogue.form.champs.values():
        if isinstance(champ, QComboBox | QDateTimeEdit | QSpinBox):
            champ.setSizePolicy(QSizePolicy.Policy.Expanding, champ.sizePolicy().verticalPolicy())
        if isinstance(champ, QComboBox):
            # Sized by the dialog, not by its longest entry (a spécialité's name would widen the dialog
            # past the screen); the open list still shows whole names.
            champ.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            champ.setMinimumContentsLength(24)
    dialogue.enregistre.connect(apres)
    dialogue.open()
    return dialogue
