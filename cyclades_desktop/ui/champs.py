"""Input widgets shared by the account form and the registration wizard: searchable lists (pays,
département, spécialité), the commune field fed by the référentiel as you type, and password fields
with a show/hide action. Here, not under ui/comptes/: the wizard uses them, and the account screens
open the wizard."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPointF, QRectF, QStringListModel, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from ..rules.temps import normaliser_date
from ..rules.texte import cle_recherche

ROLE_CHOIX = Qt.ItemDataRole.UserRole + 1
MAX_SUGGESTIONS = 60


class ComboListe(QComboBox):
    """An editable combo over a fixed list of (libellé, code): the agent types any part of the
    libellé, accents and case ignored ("equa" finds « Équateur »), and picks it in the popup.

    The value is the code of the item whose libellé is exactly the text shown, so what is on screen
    and what is saved never disagree; free text that matches nothing is worth "" (the service then
    reports the field as missing)."""

    valeur_changee = Signal(str)

    def __init__(self, choix: Sequence[tuple[str, str]], indication: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        # Sized for typical entries, not for « Royaume-Uni de Grande-Bretagne et d'Irlande du Nord ».
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self._cles: list[tuple[str, str]] = []
        for libelle, code in choix:
            self.addItem(libelle, code)
            self._cles.append((libelle, cle_recherche(libelle)))
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText(indication)
        # Our own suggestion list: Qt's completer matches accents and case literally.
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        self.lineEdit().textEdited.connect(self._suggerer)
        self.currentIndexChanged.connect(self._verifier)
        self.editTextChanged.connect(self._verifier)
        self._valeur = ""

    def valeur(self) -> str:
        i = self.findText(self.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        return "" if i < 0 else str(self.itemData(i))

    def choisir(self, code: str) -> None:
        self.setCurrentIndex(self.findData(code))

    def _suggerer(self, texte: str) -> None:
        cle = cle_recherche(texte)
        if not cle:
            self._suggestions.setStringList([])
            return
        debut = [lib for lib, k in self._cles if k.startswith(cle)]
        dedans = [lib for lib, k in self._cles if cle in k and not k.startswith(cle)]
        self._suggestions.setStringList((debut + dedans)[:MAX_SUGGESTIONS])
        if debut or dedans:
            self.completer().complete()

    def _verifier(self, *_: object) -> None:
        v = self.valeur()
        if v != self._valeur:
            self._valeur = v
            self.valeur_changee.emit(v)


class ChampCommune(QLineEdit):
    """The birth commune, searched within the chosen département as the agent types (former
    communes included, shown with what they became). Only a choice made in the list counts: the
    row id is kept, and typing again forgets it."""

    choix_change = Signal(str)

    def __init__(self, chercher: Callable[[str, str], list[tuple[int, str]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chercher = chercher
        self._departement = ""
        self._commune_id = ""
        self._modele = QStandardItemModel(self)
        self._completer = QCompleter(self._modele, self)
        # The service already filtered (accent-insensitive, former communes): show its answer as is.
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._choisi)
        self._completer.activated[QModelIndex].connect(lambda _i: self.setCursorPosition(0))
        # Moving through the popup with the arrows writes the name in the field: it is a choice too.
        self._completer.highlighted[QModelIndex].connect(self._choisi)
        self.textEdited.connect(self._tape)
        self.set_departement("")

    @property
    def commune_id(self) -> str:
        return self._commune_id

    def set_departement(self, code: str) -> None:
        if code == self._departement and code:
            return
        self._departement = code
        self.clear()
        self._definir("")
        self._modele.clear()
        self.setEnabled(bool(code))
        self.setPlaceholderText("Début du nom…" if code else "Choisissez le département")

    def afficher_choix(self, departement: str, commune_id: int, libelle: str) -> None:
        """Show a stored birthplace (modification): the département first, then the commune."""
        self.set_departement(departement)
        self.setText(libelle)
        self.setCursorPosition(0)   # long labels of former communes: show how the name starts
        self._definir(str(commune_id))

    def _tape(self, texte: str) -> None:
        self._definir("")
        self._modele.clear()
        if not self._departement or not texte.strip():
            return
        for commune_id, libelle in self._chercher(self._departement, texte):
            item = QStandardItem(libelle)
            item.setData(commune_id, ROLE_CHOIX)
            self._modele.appendRow(item)
        if self._modele.rowCount():
            self._completer.complete()

    def _choisi(self, index: QModelIndex) -> None:
        valeur = index.data(ROLE_CHOIX)
        if valeur is not None:
            self._definir(str(valeur))

    def _definir(self, commune_id: str) -> None:
        self.setToolTip(self.text() if commune_id else "")
        if commune_id != self._commune_id:
            self._commune_id = commune_id
            self.choix_change.emit(commune_id)


def champ_date() -> QLineEdit:
    """A date typed « 14/03/1995 » or « 14031995 »: shown with its slashes once the field is left, so that
    what is on screen is what the checks read (rules.temps.normaliser_date)."""
    champ = QLineEdit()
    champ.setMaxLength(10)
    champ.setPlaceholderText("jj/mm/aaaa")
    champ.setToolTip("Date au format jj/mm/aaaa, ou ses huit chiffres : 14031995 pour le 14/03/1995.")

    def normaliser() -> None:
        if (texte := normaliser_date(champ.text())) != champ.text():
            champ.setText(texte)

    champ.editingFinished.connect(normaliser)
    return champ


def _icone_oeil(barre: bool) -> QIcon:
    """A small eye drawn once (no icon files in the package); struck through when it hides."""
    pix = QPixmap(32, 32)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#3a4a5c"), 2.4))
    contour = QPainterPath()
    contour.moveTo(3, 16)
    contour.quadTo(16, 3, 29, 16)
    contour.quadTo(16, 29, 3, 16)
    p.drawPath(contour)
    p.setBrush(QColor("#3a4a5c"))
    p.drawEllipse(QRectF(11.5, 11.5, 9, 9))
    if barre:
        p.setPen(QPen(QColor("#b00020"), 2.6))
        p.drawLine(QPointF(5, 27), QPointF(27, 5))
    p.end()
    return QIcon(pix)


class ChampMotDePasse(QLineEdit):
    """A masked field with an eye action (also Ctrl+Maj+V while in the field) that shows what was
    typed, to check it before saving, as the CYCLADES portal's eye icon does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.action_voir = QAction(_icone_oeil(False), "Afficher le mot de passe", self)
        self.action_voir.setCheckable(True)
        self.action_voir.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.action_voir.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.action_voir.toggled.connect(self._basculer)
        self.addAction(self.action_voir, QLineEdit.ActionPosition.TrailingPosition)
        self._basculer(False)

    def _basculer(self, visible: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password)
        texte = "Masquer le mot de passe" if visible else "Afficher le mot de passe"
        self.action_voir.setText(texte)
        self.action_voir.setToolTip(f"{texte} (Ctrl+Maj+V)")
        self.action_voir.setIcon(_icone_oeil(visible))
