"""Widgets of the Épreuves tab and of the récapitulatif: the read-only tree of units, a facultative
with its « Inscrit » box and its language or destination, an exclusive option's choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ...rules import epreuves as moteur
from ...rules.codes_epreuves import code_affiche, nom_epreuve
from ..champs import ComboListe
from .champs import FormulaireLarge

# Languages offered for the facultative language épreuve (the usual ones first, then the others).
LANGUES = (
    "Anglais", "Allemand", "Espagnol", "Italien", "Portugais", "Arabe", "Chinois", "Russe", "Néerlandais",
    "Polonais", "Turc", "Vietnamien", "Hébreu", "Grec moderne", "Japonais", "Arménien", "Cambodgien",
    "Finnois", "Norvégien", "Suédois", "Danois", "Roumain", "Hongrois", "Tchèque", "Slovaque", "Slovène",
    "Croate", "Serbe", "Bulgare", "Albanais", "Macédonien", "Persan", "Lituanien", "Letton", "Estonien",
    "Coréen", "Tamoul", "Bambara", "Berbère", "Breton", "Basque", "Catalan", "Corse", "Créole", "Gallo",
    "Occitan", "Tahitien", "Langues mélanésiennes", "Langue des signes française",
)
LARGEUR_LIBELLES = 150
COLONNES = ("Épreuve", "Unité", "Position", "Mode d'évaluation")
STYLE_CADRE = "QFrame#facultative { border: 1px solid #d0d7de; border-radius: 6px; background: #fbfcfd; }"
COULEURS_POSITION = {moteur.INSCRIT: "#14532d", moteur.NON_INSCRIT: "#6b7280", moteur.DISPENSE: "#1f4e99",
                     moteur.BENEFICE: "#1f4e99"}


def libelle_ligne(x: moteur.LigneEpreuve) -> str:
    texte = nom_epreuve(x.code, x.intitule, " : ")
    return f"{texte} : {x.detail}" if x.detail else texte


def position_affichee(x: moteur.LigneEpreuve) -> str:
    if x.position == moteur.BENEFICE and x.note is not None:
        return f"Bénéfice {x.note:g}/20 ({x.annee_note})".replace(".", ",")
    return x.position


class ArbreEpreuves(QTreeWidget):
    """Units as a read-only tree, sub-units under their épreuve; sized to show every line."""

    def __init__(self, nom: str) -> None:
        super().__init__()
        self.setAccessibleName(nom)
        self.setColumnCount(len(COLONNES))
        self.setHeaderLabels(list(COLONNES))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setIndentation(18)
        h = self.header()
        h.setStretchLastSection(False)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, largeur in ((1, 60), (2, 140), (3, 210)):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(col, largeur)

    def remplir(self, lignes: Sequence[moteur.LigneEpreuve]) -> None:
        self.clear()
        pile: list[QTreeWidgetItem] = []
        for x in lignes:
            del pile[x.niveau:]
            item = QTreeWidgetItem([libelle_ligne(x), x.unite or "", position_affichee(x), x.mode or ""])
            item.setToolTip(0, libelle_ligne(x))
            if x.origine:
                item.setToolTip(2, f"Au titre de : {x.origine}")
            item.setForeground(2, _couleur(x.position))
            if x.niveau == 0:
                f = item.font(0)
                f.setBold(True)
                item.setFont(0, f)
            (pile[-1].addChild(item) if pile else self.addTopLevelItem(item))
            pile.append(item)
        self.expandAll()
        self.ajuster()

    def ajuster(self) -> None:
        lignes = 0
        iterateur = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while iterateur:
            item = iterateur.pop()
            lignes += 1
            iterateur.extend(item.child(i) for i in range(item.childCount()))
        hauteur_ligne = max(self.sizeHintForRow(0), self.fontMetrics().height() + 1) if lignes else 0
        self.setFixedHeight(self.header().sizeHint().height() + lignes * hauteur_ligne + 2 * self.frameWidth() + 2)


def _couleur(position: str) -> QBrush:
    return QBrush(QColor(COULEURS_POSITION.get(position, "#1f2937")))


class LigneFacultative(QFrame):
    """« EF1 : Langue vivante facultative »: the Inscrit box, then the language (or destination)."""

    change = Signal()

    def __init__(self, f: moteur.Facultative, unite: str | None, pays: Sequence[str]) -> None:
        super().__init__()
        self.code = f.code
        self.setObjectName("facultative")
        self.setStyleSheet(STYLE_CADRE)
        titre = QLabel(nom_epreuve(f.code, f.intitule, " : ") + (f" ({unite})" if unite else ""))
        titre.setStyleSheet("font-weight: 600; border: none; background: transparent;")
        self.form = FormulaireLarge()
        self.case = QCheckBox("Inscrit")
        self.form.ajouter("inscrit", "Inscription", self.case)
        # Each box says which épreuve it registers for (several facultatives share the page).
        self.case.setAccessibleName(f"Inscrit à l'épreuve {code_affiche(f.code) or f.intitule}")
        self.detail: QComboBox | None = None
        if f.detail == moteur.DETAIL_LANGUE:
            self.detail = QComboBox()
            self.detail.addItems(list(LANGUES))
            self.detail.setPlaceholderText("Sélectionnez une langue")
            self.detail.setCurrentIndex(-1)
            self.detail.setMaxVisibleItems(15)
            self.form.ajouter("detail", "Langue", self.detail)
            self.detail.currentIndexChanged.connect(lambda *_: self.change.emit())
        elif f.detail == moteur.DETAIL_DESTINATION:
            self.detail = ComboListe([(p, p) for p in pays], "Nom du pays")
            self.form.ajouter("detail", "Pays de destination", self.detail)
            self.detail.editTextChanged.connect(lambda *_: self.change.emit())
            self.detail.currentIndexChanged.connect(lambda *_: self.change.emit())
        if self.detail is not None:
            self.detail.setAccessibleDescription(nom_epreuve(f.code, f.intitule, " : "))
            self.detail.setMaximumWidth(320)
        for lab in self.form.libelles.values():
            lab.setMinimumWidth(LARGEUR_LIBELLES)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.etat = QLabel()
        self.etat.setStyleSheet("color: #444; border: none; background: transparent;")
        self.etat.setAccessibleName(f"Position de l'épreuve {code_affiche(f.code) or f.intitule}")
        lab = QLabel("Position")
        lab.setMinimumWidth(LARGEUR_LIBELLES)
        lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.layout_.addRow(lab, self.etat)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(2)
        box.addWidget(titre)
        box.addWidget(self.form)
        self.case.toggled.connect(self._bascule)
        self._bascule(False)
        self.change.connect(lambda: self.afficher_erreur(None))   # the answer changed: the message is stale

    def _bascule(self, coche: bool) -> None:
        if self.detail is not None:
            self.detail.setEnabled(coche)
        self.change.emit()

    def definir(self, detail: str | None) -> None:
        """None: not registered; otherwise registered, with that language or destination."""
        self.case.setChecked(detail is not None)
        if self.detail is None or detail is None:
            return
        if isinstance(self.detail, ComboListe):
            self.detail.choisir(detail)
        else:
            self.detail.setCurrentIndex(self.detail.findText(detail))

    def valeur(self) -> str | None:
        if not self.case.isChecked():
            return None
        if self.detail is None:
            return ""
        if isinstance(self.detail, ComboListe):
            return self.detail.valeur()
        return self.detail.currentText() if self.detail.currentIndex() >= 0 else ""

    def montrer(self, ligne: moteur.LigneEpreuve | None) -> None:
        if ligne is None:
            self.etat.setText("")
            return
        mode = f" – Mode d'évaluation : {ligne.mode}" if ligne.mode else ""
        self.etat.setText(f"{ligne.position}{mode}")

    def afficher_erreur(self, message: str | None) -> None:
        self.form.afficher_erreurs({("detail" if self.detail is not None else "inscrit"): message}
                                   if message else {})


class LigneOption(QFrame):
    """An épreuve sat through one option among several (BP Coiffure E3): « Option présentée »."""

    change = Signal()

    def __init__(self, code: str, intitule: str, options: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.code = code
        self.setObjectName("facultative")
        self.setStyleSheet(STYLE_CADRE)
        titre = QLabel(nom_epreuve(code, intitule, " : "))
        titre.setStyleSheet("font-weight: 600; border: none; background: transparent;")
        self.form = FormulaireLarge()
        self.combo = QComboBox()
        for c, lib in options:
            self.combo.addItem(nom_epreuve(c, lib, " : "), c)
        self.combo.setPlaceholderText("Sélectionnez une option")
        self.combo.setCurrentIndex(-1)
        self.form.ajouter("option", "Option présentée", self.combo, obligatoire=True)
        self.form.libelles["option"].setMinimumWidth(LARGEUR_LIBELLES)
        self.combo.setAccessibleDescription(nom_epreuve(code, intitule, " : "))
        self.combo.currentIndexChanged.connect(lambda *_: self.change.emit())
        self.change.connect(lambda: self.afficher_erreur(None))
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.addWidget(titre)
        box.addWidget(self.form)

    def definir(self, choisi: str | None) -> None:
        self.combo.setCurrentIndex(self.combo.findData(choisi) if choisi else -1)

    def valeur(self) -> str | None:
        v = self.combo.currentData()
        return None if v is None else str(v)

    def afficher_erreur(self, message: str | None) -> None:
        self.form.afficher_erreurs({"option": message} if message else {})
