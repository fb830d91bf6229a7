"""Forms whose fields carry their French label as accessible name and show their error right
under them (ARCHITECTURE.md, « Conventions »: bad input gets a clear French message next to the
field)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, SignalInstance
from PySide6.QtGui import QShortcutEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError, ValidationError

STYLE_ERREUR = "color: #b00020; font-weight: 600;"
STYLE_AIDE = "color: #555; font-size: 11px;"


def nommer(widget: QWidget, nom: str) -> QWidget:
    widget.setAccessibleName(nom)
    widget.setObjectName(nom)
    return widget


class Formulaire(QWidget):
    """A QFormLayout of fields keyed by the service's field names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.champs: dict[str, QWidget] = {}
        self.libelles: dict[str, QLabel] = {}
        self._erreurs: dict[str, QLabel] = {}

    def ajouter(self, cle: str, libelle: str, widget: QWidget, *, aide: str | None = None,
                obligatoire: bool = False) -> QWidget:
        nommer(widget, libelle)
        label = QLabel(f"{libelle} *" if obligatoire else libelle)
        label.setBuddy(widget)
        conteneur = QWidget()
        box = QVBoxLayout(conteneur)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        # Without this, a wrapped help or error line squeezes the input (QFormLayout ignores the
        # nested layout's height-for-width).
        box.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        widget.setMinimumHeight(widget.sizeHint().height())
        box.addWidget(widget)
        if aide:
            a = QLabel(aide)
            a.setStyleSheet(STYLE_AIDE)
            a.setWordWrap(True)
            box.addWidget(a)
        erreur = QLabel()
        erreur.setStyleSheet(STYLE_ERREUR)
        erreur.setWordWrap(True)
        erreur.setAccessibleName(f"Erreur : {libelle}")
        erreur.setVisible(False)
        box.addWidget(erreur)
        self.layout_.addRow(label, conteneur)
        self.champs[cle] = widget
        self.libelles[cle] = label
        self._erreurs[cle] = erreur
        self.suivre(cle, widget)
        return widget

    def suivre(self, cle: str, widget: QWidget) -> None:
        """A field's message goes as soon as the field changes: once the user acts on it, the message
        no longer describes what is on screen (a form subclass that builds its own rows calls this)."""
        for signal in signaux_de_changement(widget):
            signal.connect(lambda *_args, c=cle: self.effacer_erreur(c))

    def effacer_erreur(self, cle: str) -> None:
        lab = self._erreurs.get(cle)
        if lab is not None and not lab.isHidden():
            lab.clear()
            lab.setVisible(False)

    def ajouter_ligne(self, widget: QWidget) -> None:
        self.layout_.addRow(widget)

    def erreur(self, cle: str) -> str:
        lab = self._erreurs.get(cle)
        return lab.text() if lab is not None and not lab.isHidden() else ""

    def effacer_erreurs(self) -> None:
        for lab in self._erreurs.values():
            lab.clear()
            lab.setVisible(False)

    def afficher_erreurs(self, erreurs: dict[str, str]) -> list[str]:
        """Show each message under its field; returns the messages that have no field here."""
        self.effacer_erreurs()
        orphelins = []
        premier: QWidget | None = None
        for cle, message in erreurs.items():
            lab = self._erreurs.get(cle)
            if lab is None:
                orphelins.append(message)
                continue
            lab.setText(message)
            lab.setVisible(True)
            if premier is None:
                premier = self.champs[cle]
        if premier is not None:
            premier.setFocus()
        return orphelins

    def premier_champ(self) -> QWidget | None:
        """The first field the user can type in: hidden, disabled and read-only ones are skipped."""
        for w in self.champs.values():
            lecture_seule = isinstance(w, QLineEdit) and w.isReadOnly()
            if (w.isVisibleTo(self) and w.isEnabled() and not lecture_seule
                    and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
                return w
        return None

    def visible(self, cle: str, visible: bool) -> None:
        self.layout_.setRowVisible(self.champs[cle].parentWidget(), visible)


class BoutonImmediat(QPushButton):
    """A button whose Alt+letter (or shortcut) acts at once. QPushButton animates such a click for 100 ms,
    and what a fast typist enters meanwhile goes to the field left behind: the first letters meant for
    the form « Nouveau compte » opens ended up in the search box."""

    def event(self, e: QEvent) -> bool:
        if (e.type() == QEvent.Type.Shortcut and isinstance(e, QShortcutEvent) and not e.isAmbiguous()
                and self.isEnabled()):
            self.click()
            return True
        return super().event(e)


def signaux_de_changement(widget: QWidget) -> list[SignalInstance]:
    """The signals by which ``widget`` says its value changed (typed, chosen, checked…)."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QComboBox):
        return [widget.currentIndexChanged, widget.editTextChanged]
    if isinstance(widget, QAbstractButton):
        return [widget.toggled]
    if isinstance(widget, QDateTimeEdit):
        return [widget.dateTimeChanged]
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return [widget.valueChanged]
    if isinstance(widget, QListWidget):
        return [widget.itemChanged]
    # Our composite fields (Oui/Non radios, searched lists, communes) announce their own changes.
    signaux = (getattr(widget, nom, None) for nom in ("valeur_changee", "choix_change"))
    return [s for s in signaux if isinstance(s, SignalInstance)]


def bouton_action(texte_: str, aide: str, action: object) -> QPushButton:
    """A dialog button that never steals Entrée from the list it acts on."""
    b = BoutonImmediat(texte_)
    nommer(b, texte_.replace("&", ""))
    b.setToolTip(aide)
    b.setAutoDefault(False)
    b.clicked.connect(action)
    return b


def boutons_enregistrer(enregistrer: Callable[[], object], annuler: Callable[[], object], *,
                        texte: str = "&Enregistrer", texte_annuler: str = "Annuler",
                        annuler_a_gauche: bool = False,
                        aides: tuple[str, str] | None = None) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """A form dialog's bottom row: a stretch, then « Enregistrer » (the default button: Entrée saves)
    and « Annuler », each named by its label without the mnemonic; ``aides``: their tooltips.
    Returns (row, enregistrer, annuler)::

        rangee, self.bouton_enregistrer, _annuler = boutons_enregistrer(self.enregistrer, self.reject)
        box.addLayout(rangee)"""
    ok = QPushButton(texte)
    nommer(ok, texte.replace("&", ""))
    ok.setDefault(True)
    ok.clicked.connect(enregistrer)
    non = QPushButton(texte_annuler)
    nommer(non, texte_annuler.replace("&", ""))
    non.clicked.connect(annuler)
    if aides is not None:
        ok.setToolTip(aides[0])
        non.setToolTip(aides[1])
    rangee = QHBoxLayout()
    rangee.addStretch(1)
    for b in (non, ok) if annuler_a_gauche else (ok, non):
        rangee.addWidget(b)
    return rangee, ok, non


def texte(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return "" if data is None else str(data)
    if isinstance(widget, QAbstractButton):
        return "1" if widget.isChecked() else ""
    raise TypeError(type(widget))


def signaler(parent: QWidget, exc: Exception, formulaire: Formulaire | None = None,
             titre: str = "Action impossible") -> None:
    """Show a domain error the way users expect: next to fields when it concerns them, otherwise
    in a non-blocking message box. Never a traceback."""
    if isinstance(exc, ValidationError) and formulaire is not None:
        orphelins = formulaire.afficher_erreurs(exc.errors)
        if not orphelins:
            return
        message = "\n".join(orphelins)
    elif isinstance(exc, DomainError):
        message = exc.message
    else:
        message = "Une erreur inattendue s'est produite ; rien n'a été enregistré.\n" + type(exc).__name__
    boite = QMessageBox(QMessageBox.Icon.Warning, titre, message, QMessageBox.StandardButton.Ok, parent)
    boite.setAccessibleName(titre)
    boite.setWindowModality(Qt.WindowModality.WindowModal)
    boite.open()


def confirmer(parent: QWidget, titre: str, message: str, si_oui: object, *,
              oui: str = "Confirmer", non: str = "Annuler", destructif: bool = False) -> QMessageBox:
    """A non-blocking confirmation (no nested event loop): ``si_oui`` runs on acceptance. Échap answers
    ``non``; so does Entrée when the action is ``destructif`` (a deletion, a restore, losing input):
    a reflex Entrée must never destroy anything."""
    boite = QMessageBox(QMessageBox.Icon.Warning if destructif else QMessageBox.Icon.Question, titre, message,
                        QMessageBox.StandardButton.NoButton, parent)
    boite.setAccessibleName(titre)
    bouton_oui = boite.addButton(oui, QMessageBox.ButtonRole.AcceptRole)
    bouton_non = boite.addButton(non, QMessageBox.ButtonRole.RejectRole)
    boite.setDefaultButton(bouton_non if destructif else bouton_oui)
    boite.setEscapeButton(bouton_non)
    boite.setWindowModality(Qt.WindowModality.WindowModal)

    def fini(_code: int) -> None:
        if boite.clickedButton() is bouton_oui:
            si_oui()  # type: ignore[operator]

    boite.finished.connect(fini)
    boite.open()
    return boite


def supprimer_apres_confirmation(parent: QWidget, titre: str, message: str, action: Callable[[], object],
                                 puis: Callable[[], object], *, titre_erreur: str = "Action impossible",
                                 oui: str = "Supprimer") -> QMessageBox:
    """Ask, then run the service call; a refusal is shown (nothing changed), success refreshes."""
    def executer() -> None:
        try:
            action()
        except DomainError as exc:
            signaler(parent, exc, titre=titre_erreur)
            return
        puis()

    return confirmer(parent, titre, message, executer, oui=oui, destructif=True)


def informer(parent: QWidget, titre: str, message: str) -> QMessageBox:
    boite = QMessageBox(QMessageBox.Icon.Information, titre, message, QMessageBox.StandardButton.Ok, parent)
    boite.setAccessibleName(titre)
    boite.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    boite.setWindowModality(Qt.WindowModality.WindowModal)
    boite.open()
    return boite
