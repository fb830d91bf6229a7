"""Input pieces of the registration pages: Oui/Non radio groups, a field searched as you type, check
boxes with a long wrapped text, forms whose messages use the whole width, and small helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QMouseEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..formulaire import STYLE_AIDE, STYLE_ERREUR, Formulaire, nommer

# Alt+letter of the wizard's buttons: Précédent, Suivant, Enregistrer, Visualiser, Quitter, Modifier.
LETTRES_BOUTONS = frozenset("psevqm")
LARGEUR_MAX = 16777215   # QWIDGETSIZE_MAX: no maximum width set
OUI_NON: tuple[tuple[object, str], ...] = ((True, "Oui"), (False, "Non"))

STYLE_SECTION = "font-size: 14px; font-weight: 600; color: #1f3a5f; margin-top: 10px;"
STYLE_NOTE = "color: #444;"
STYLE_HORS_PERIODE = ("background: #fff0dc; border: 1px solid #e08a00; border-radius: 4px; padding: 6px; "
                      "color: #7a3d00; font-weight: 600;")
STYLE_ATTENTION = ("background: #fff4d6; border: 1px solid #e0c068; border-radius: 4px; padding: 8px; "
                   "color: #4a3b00;")


def section(titre: str) -> QLabel:
    lab = QLabel(f"► {titre}")
    lab.setStyleSheet(STYLE_SECTION)
    lab.setAccessibleName(titre)
    return lab


def paragraphe(texte: str, style: str = "", *, nom: str | None = None) -> QLabel:
    lab = QLabel(texte)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        lab.setStyleSheet(style)
    if nom:
        lab.setAccessibleName(nom)
    return lab


def vider(box: QLayout) -> None:
    while box.count():
        item = box.takeAt(0)
        if item.widget() is not None:
            item.widget().hide()
            item.widget().deleteLater()


def montrer_contenu(box: QLayout) -> None:
    """Widgets added to a shown layout appear on the next event loop turn; rebuilt parts appear
    at once, so that what follows (errors, focus) applies to widgets already shown."""
    for i in range(box.count()):
        w = box.itemAt(i).widget()
        if w is not None and not w.isVisible():
            w.show()


def poser_mnemoniques(formulaires: Iterable[Formulaire], prises: Iterable[str] = ()) -> None:
    """Give each field label an Alt+letter (its first free ASCII letter), avoiding the buttons'."""
    utilisees = set(LETTRES_BOUTONS) | {p.lower() for p in prises}
    for f in formulaires:
        for label in f.libelles.values():
            texte = label.text()
            for i, ch in enumerate(texte):
                c = ch.lower()
                if c.isascii() and c.isalpha() and c not in utilisees:
                    label.setText(f"{texte[:i]}&{texte[i:]}")
                    utilisees.add(c)
                    break


class FormulaireLarge(Formulaire):
    """A Formulaire whose field column is used whole, so that a message under a short list or a
    radio group wraps on the full width instead of being cut; the list keeps its own width."""

    def ajouter(self, cle: str, libelle: str, widget: QWidget, *, aide: str | None = None,
                obligatoire: bool = False) -> QWidget:
        super().ajouter(cle, libelle, widget, aide=aide, obligatoire=obligatoire)
        conteneur = widget.parentWidget()
        conteneur.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        if not isinstance(widget, QLineEdit) or widget.maximumWidth() < LARGEUR_MAX:
            conteneur.layout().setAlignment(widget, Qt.AlignmentFlag.AlignLeft)
        return widget


class Questions(Formulaire):
    """Long questions (consents, handicap): the question wraps above its answer across the whole
    width; a QFormLayout label would neither wrap nor widen."""

    def ajouter(self, cle: str, libelle: str, widget: QWidget, *, aide: str | None = None,
                obligatoire: bool = False) -> QWidget:
        nommer(widget, libelle)
        label = QLabel(f"{libelle} *" if obligatoire else libelle)
        label.setWordWrap(True)
        label.setBuddy(widget)
        bloc = QWidget()
        box = QVBoxLayout(bloc)
        box.setContentsMargins(0, 2, 0, 4)
        box.setSpacing(2)
        box.addWidget(label)
        box.addWidget(widget)
        if aide:
            box.addWidget(paragraphe(aide, STYLE_AIDE))
        erreur = paragraphe("", STYLE_ERREUR, nom=f"Erreur : {libelle}")
        erreur.setVisible(False)
        box.addWidget(erreur)
        self.layout_.addRow(bloc)
        self.champs[cle] = widget
        self.libelles[cle] = label
        self._erreurs[cle] = erreur
        self.suivre(cle, widget)
        return widget


class ChoixRadio(QWidget):
    """Radio buttons answering one question; the widget carries the question as accessible name
    (given by Formulaire.ajouter), each radio its own answer. None checked until answered."""

    valeur_changee = Signal(object)

    def __init__(self, options: Sequence[tuple[object, str]], *, vertical: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groupe = QButtonGroup(self)
        box = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        box.setContentsMargins(0, 2, 0, 2)
        box.setSpacing(4 if vertical else 24)
        self._valeurs: list[object] = []
        for i, (valeur, libelle) in enumerate(options):
            b = QRadioButton(libelle)
            b.setAccessibleName(libelle)
            self.groupe.addButton(b, i)
            box.addWidget(b)
            self._valeurs.append(valeur)
        if not vertical:
            box.addStretch(1)
        self.setFocusProxy(self.groupe.button(0))
        self.groupe.idToggled.connect(self._bascule)

    def boutons(self) -> list[QAbstractButton]:
        return self.groupe.buttons()

    def valeur(self) -> object | None:
        i = self.groupe.checkedId()
        return None if i < 0 else self._valeurs[i]

    def definir(self, valeur: object | None) -> None:
        if valeur is None or valeur not in self._valeurs:
            self.groupe.setExclusive(False)
            for b in self.groupe.buttons():
                b.setChecked(False)
            self.groupe.setExclusive(True)
            self.setFocusProxy(self.groupe.button(0))
            return
        self.groupe.button(self._valeurs.index(valeur)).setChecked(True)

    def _bascule(self, i: int, coche: bool) -> None:
        if coche:
            # Alt+letter on the question lands on the answer given, as Tab does.
            self.setFocusProxy(self.groupe.button(i))
            self.valeur_changee.emit(self._valeurs[i])


class ChampRecherche(QLineEdit):
    """A field searched as you type (établissement by name, UAI or town): only a line picked in the
    list counts; typing again forgets the choice."""

    choix_change = Signal(str)

    def __init__(self, chercher: Callable[[str], list[tuple[str, str]]], indication: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chercher = chercher
        self._code = ""
        self._modele = QStandardItemModel(self)
        self._completer = QCompleter(self._modele, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._choisi)
        self._completer.highlighted[QModelIndex].connect(self._choisi)
        self._completer.activated[QModelIndex].connect(lambda _i: self.setCursorPosition(0))
        self.textEdited.connect(self._tape)
        self.setPlaceholderText(indication)

    @property
    def code(self) -> str:
        return self._code

    def afficher(self, code: str, libelle: str) -> None:
        self.setText(libelle)
        self.setCursorPosition(0)
        self._definir(code)

    def _tape(self, texte: str) -> None:
        self._definir("")
        self._modele.clear()
        if not texte.strip():
            return
        for code, libelle in self._chercher(texte):
            item = QStandardItem(libelle)
            item.setData(code, Qt.ItemDataRole.UserRole + 1)
            self._modele.appendRow(item)
        if self._modele.rowCount():
            self._completer.complete()

    def _choisi(self, index: QModelIndex) -> None:
        code = index.data(Qt.ItemDataRole.UserRole + 1)
        if code is not None:
            # QLineEdit copies the completion only while it has the focus: the choice must show anyway.
            self.setText(str(index.data()))
            self._definir(str(code))

    def _definir(self, code: str) -> None:
        self.setToolTip(self.text() if code else "")
        if code != self._code:
            self._code = code
            self.choix_change.emit(code)


class CaseAcceptation(QWidget):
    """A check box whose long text wraps beside it, and its error line under it."""

    def __init__(self, texte: str, nom: str, *, court: bool = False) -> None:
        super().__init__()
        self.case = QCheckBox(texte if court else "")
        self.case.setAccessibleName(nom)
        self.case.setAccessibleDescription(texte.replace("&", ""))
        ligne = QHBoxLayout()
        ligne.setContentsMargins(0, 0, 0, 0)
        ligne.addWidget(self.case, 0, Qt.AlignmentFlag.AlignTop)
        if not court:
            self.libelle = LibelleCase(texte, self.case)
            ligne.addWidget(self.libelle, 1)
        else:
            ligne.addStretch(1)
        self.erreur = paragraphe("", STYLE_ERREUR, nom=f"Erreur : {nom}")
        self.erreur.setVisible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 6, 0, 0)
        box.addLayout(ligne)
        box.addWidget(self.erreur)

    def montrer_erreur(self, message: str | None) -> None:
        self.erreur.setText(message or "")
        self.erreur.setVisible(bool(message))
        if message:
            self.case.setFocus()


class LibelleCase(QLabel):
    """The wrapped text of a check box too long for one line: clicking it ticks the box too."""

    def __init__(self, texte: str, case: QAbstractButton) -> None:
        super().__init__(texte)
        self._case = case
        self.setWordWrap(True)
        self.setBuddy(case)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._case.isEnabled():
            self._case.toggle()
            self._case.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)
