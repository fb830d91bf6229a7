"""What the Acquis tab reveals under a ticked situation: grades kept from an earlier session, a prior
titre with its year and académie, the units of a VAE decision."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...rules.inscriptions import SaisieAcquis
from ...rules.texte import chiffres_ascii
from .champs import STYLE_NOTE, FormulaireLarge

INDICATION_ACADEMIE = "Sélectionnez une académie"
RETRAIT = 26   # what a revealed detail is indented by, under its check box
Unites = Sequence[tuple[str, str]]   # (épreuve code, "E1-A : Mathématiques (U11)")


def annee_champ() -> QLineEdit:
    w = QLineEdit()
    w.setMaxLength(4)
    w.setValidator(QIntValidator(0, 9999, w))
    w.setPlaceholderText("aaaa")
    w.setMaximumWidth(90)
    return w


def academie_champ(academies: Sequence[str]) -> QComboBox:
    w = QComboBox()
    w.addItems(list(academies))
    w.setPlaceholderText(INDICATION_ACADEMIE)
    w.setCurrentIndex(-1)
    w.setMaximumWidth(260)
    return w


def lire_annee(w: QLineEdit) -> int | None:
    t = w.text().strip()
    return int(t) if chiffres_ascii(t) else None   # « ²⁰²² » passes isdigit() but not int()


def lire_note(texte: str) -> float | None:
    t = texte.strip().replace(",", ".")
    # ASCII digits only: float() would also read « nan », « １５ » or « 1_5 ».
    if not t or not t.isascii() or not chiffres_ascii(t.replace(".", "", 1)):
        return None
    return float(t)


def note_affichee(v: float) -> str:
    return f"{v:g}".replace(".", ",")


class Bloc(QWidget):
    """A revealed detail: its own small form, so its errors show next to its fields."""

    change = Signal()

    def __init__(self, academies: Sequence[str], *, annee_obligatoire: bool = True) -> None:
        super().__init__()
        self.f = FormulaireLarge()
        self.annee = self.f.ajouter("annee", "Année", annee_champ(), obligatoire=annee_obligatoire)
        self.academie = self.f.ajouter("academie", "Académie", academie_champ(academies),
                                       obligatoire=annee_obligatoire)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(RETRAIT, 0, 0, 6)
        self.box.addWidget(self.f)
        self.annee.textChanged.connect(lambda *_: self.change.emit())
        self.academie.currentIndexChanged.connect(lambda *_: self.change.emit())

    def charger(self, a: SaisieAcquis) -> None:
        self.annee.setText("" if a.annee is None else str(a.annee))
        self.academie.setCurrentIndex(self.academie.findText(a.academie) if a.academie else -1)

    def lire(self, code: str) -> SaisieAcquis:
        return SaisieAcquis(code, lire_annee(self.annee), self.academie.currentText())

    def afficher_erreurs(self, erreurs: dict[str, str]) -> list[str]:
        return self.f.afficher_erreurs(erreurs)


class BlocNotes(Bloc):
    """Already sat this diploma (or another spécialité): the year, the académie and the grades
    of at least 10/20 to keep, one field per unit."""

    def __init__(self, academies: Sequence[str]) -> None:
        super().__init__(academies)
        self.grille_widget = QWidget()
        self.grille = QGridLayout(self.grille_widget)
        self.grille.setContentsMargins(0, 0, 0, 0)
        self.grille.setHorizontalSpacing(10)
        self.f.ajouter("notes", "Notes obtenues", self.grille_widget, obligatoire=True,
                       aide="Indiquez les notes égales ou supérieures à 10/20 que vous souhaitez conserver "
                            "(exemple : 12,5).")
        self._notes: dict[str, float] = {}
        self._champs: dict[str, QLineEdit] = {}
        self._unites: list[tuple[str, str]] = []

    def definir_unites(self, unites: Unites) -> None:
        if list(unites) == self._unites:
            return
        self._notes = self.notes()
        self._unites = list(unites)
        while self.grille.count():
            item = self.grille.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._champs = {}
        valide = QRegularExpressionValidator(QRegularExpression(r"^\d{0,2}([.,]\d{0,2})?$"), self)
        par_colonne = (len(self._unites) + 1) // 2
        for i, (code, libelle) in enumerate(self._unites):
            ligne, col = i % par_colonne, 2 * (i // par_colonne)
            champ = QLineEdit(note_affichee(self._notes[code]) if code in self._notes else "")
            champ.setValidator(valide)
            champ.setMaxLength(5)
            champ.setFixedWidth(64)
            champ.setPlaceholderText("/20")
            champ.setAccessibleName(f"Note {code}")
            champ.setAccessibleDescription(libelle)
            champ.textChanged.connect(lambda *_: self.change.emit())
            lab = QLabel(libelle)
            lab.setBuddy(champ)
            lab.setToolTip(libelle)
            self.grille.addWidget(lab, ligne, col)
            self.grille.addWidget(champ, ligne, col + 1)
            self._champs[code] = champ
        if not self._unites:
            vide = QLabel("Choisissez d'abord la spécialité présentée (onglet 4).")
            vide.setStyleSheet(STYLE_NOTE)
            self.grille.addWidget(vide, 0, 0)

    def notes(self) -> dict[str, float]:
        if not self._champs:
            return dict(self._notes)
        out = {}
        for code, champ in self._champs.items():
            v = lire_note(champ.text())
            if v is not None:
                out[code] = v
        return out

    def charger(self, a: SaisieAcquis) -> None:
        super().charger(a)
        self._notes = dict(a.notes)
        for code, champ in self._champs.items():
            champ.setText(note_affichee(self._notes[code]) if code in self._notes else "")

    def lire(self, code: str) -> SaisieAcquis:
        a = super().lire(code)
        a.notes = self.notes()
        return a


class BlocVae(Bloc):
    """Dispenses granted by a VAE jury: tick the units of the decision."""

    def __init__(self, academies: Sequence[str]) -> None:
        super().__init__(academies, annee_obligatoire=False)
        self.liste = QWidget()
        self.grille = QGridLayout(self.liste)
        self.grille.setContentsMargins(0, 0, 0, 0)
        self.f.ajouter("dispenses", "Épreuves dispensées par le jury", self.liste, obligatoire=True)
        self._dispenses: list[str] = []
        self._cases: dict[str, QCheckBox] = {}
        self._unites: list[tuple[str, str]] = []

    def definir_unites(self, unites: Unites) -> None:
        if list(unites) == self._unites:
            return
        self._dispenses = self.dispenses()
        self._unites = list(unites)
        while self.grille.count():
            item = self.grille.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._cases = {}
        par_colonne = (len(self._unites) + 1) // 2
        for i, (code, libelle) in enumerate(self._unites):
            case = QCheckBox(libelle)
            case.setAccessibleName(libelle)
            case.setChecked(code in self._dispenses)
            case.toggled.connect(lambda *_: self.change.emit())
            self.grille.addWidget(case, i % par_colonne, i // par_colonne)
            self._cases[code] = case

    def dispenses(self) -> list[str]:
        if not self._cases:
            return list(self._dispenses)
        return [code for code, case in self._cases.items() if case.isChecked()]

    def charger(self, a: SaisieAcquis) -> None:
        super().charger(a)
        self._dispenses = list(a.dispenses)
        for code, case in self._cases.items():
            case.setChecked(code in self._dispenses)

    def lire(self, code: str) -> SaisieAcquis:
        a = super().lire(code)
        a.dispenses = self.dispenses()
        return a


class BlocTitre(QWidget):
    """A prior titre (« BTS DUT DEUG LICENCE Toutes spécialités (depuis 1900) »): ticked, it asks for
    the year and the académie where it was obtained."""

    change = Signal()

    def __init__(self, code: str, libelle: str, depuis: int | None, academies: Sequence[str]) -> None:
        super().__init__()
        self.code = code
        texte = f"{libelle} (depuis {depuis})" if depuis else libelle
        self.case = QCheckBox(texte)
        self.case.setAccessibleName(texte)
        self.detail = Bloc(academies)
        self.detail.setVisible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.case)
        box.addWidget(self.detail)
        self.case.toggled.connect(self.detail.setVisible)
        self.case.toggled.connect(lambda _c: self.change.emit())
        self.detail.change.connect(lambda *_: self.change.emit())

    def charger(self, a: SaisieAcquis) -> None:
        self.case.setChecked(True)
        self.detail.charger(a)

    def lire(self) -> SaisieAcquis:
        return self.detail.lire(self.code)


def colonne(widgets: Sequence[QWidget]) -> QWidget:
    w = QWidget()
    box = QVBoxLayout(w)
    box.setContentsMargins(RETRAIT, 0, 0, 4)
    box.setSpacing(2)
    for x in widgets:
        box.addWidget(x)
    box.setAlignment(Qt.AlignmentFlag.AlignTop)
    return w
