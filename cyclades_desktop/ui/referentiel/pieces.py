"""Tab "Pièces justificatives": the catalogue from which each candidature's pieces are derived
(docs/domaine/referentiel.md#catalogue-pieces), each condition in clear French; the chef de bureau
edits it, the others read it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...services import referentiel
from ...services.noyau import Contexte
from ...services.referentiel import PieceReferentiel
from ...services.referentiel import pieces as catalogue
from ..formulaire import Formulaire, confirmer, nommer, signaler
from .commun import (
    LECTURE_SEULE,
    STYLE_SUCCES,
    bouton,
    cle_courante,
    note,
    rangee,
    remplir,
    selectionner,
    tableau,
)

NOTE = ("Les pièces demandées à une candidature découlent de ce catalogue : la pièce est demandée quand sa "
        "condition est remplie et que le domaine de la candidature est coché. Une modification s'applique aux "
        "candidatures enregistrées ensuite (nouvelle candidature ou modification) ; les pièces déjà demandées "
        "gardent leur libellé, leur mode de dépôt et leur date limite.")


def texte_mode(p: PieceReferentiel) -> str:
    mode = catalogue.MODES[p.mode_depot]
    # The shipped catalogue has a few modes written out (« en ligne (application académique dédiée) »)
    # or left empty: show what the candidature gets, and what was written.
    if p.mode_depot_brut and p.mode_depot_brut != p.mode_depot:
        return f"{mode} ({p.mode_depot_brut})"
    return mode if p.mode_depot_brut else f"{mode} (non précisé)"


class OngletPieces(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool) -> None:
        super().__init__()
        self.ctx = ctx
        self.ecriture = ecriture
        self.pieces: dict[str, PieceReferentiel] = {}
        self.courante: PieceReferentiel | None = None       # None: a new piece is being typed

        self.table = tableau("Catalogue des pièces justificatives",
                             ["Code", "Libellé", "Condition", "Mode de dépôt", "Domaines", "Candidatures"],
                             etirer=1, largeurs={0: 190, 2: 240, 3: 120})
        self.table.currentCellChanged.connect(lambda *_: self._afficher())

        self.form = Formulaire()
        self.code = QLineEdit()
        self.form.ajouter("code", "Code", self.code, aide="Lettres sans accents, chiffres et soulignés.",
                          obligatoire=ecriture)
        self.libelle = QPlainTextEdit()
        self.libelle.setTabChangesFocus(True)
        self.form.ajouter("libelle", "Libellé", self.libelle, obligatoire=ecriture)
        self.libelle.setFixedHeight(self.libelle.fontMetrics().lineSpacing() * 3 + 14)
        self.condition = QComboBox()
        for cle, texte in catalogue.CONDITIONS.items():
            self.condition.addItem(texte, cle)
            self.condition.setItemData(self.condition.count() - 1, f"Clé : {cle}", Qt.ItemDataRole.ToolTipRole)
        self.form.ajouter("condition_cle", "Condition", self.condition, obligatoire=ecriture)
        self.mode = QComboBox()
        for cle, texte in catalogue.MODES.items():
            self.mode.addItem(texte, cle)
        self.form.ajouter("mode_depot", "Mode de dépôt", self.mode, obligatoire=ecriture)
        self.cases: dict[str, QCheckBox] = {}
        domaines = QWidget()
        ligne = QHBoxLayout(domaines)
        ligne.setContentsMargins(0, 0, 0, 0)
        for d in referentiel.domaines(ctx):
            case = QCheckBox(d.code)
            nommer(case, f"Domaine {d.code}")
            case.setToolTip(d.libelle)
            self.cases[d.code] = case
            ligne.addWidget(case)
        ligne.addStretch(1)
        self.form.ajouter("domaines", "Domaines", domaines, obligatoire=ecriture)
        for combo in (self.condition, self.mode):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, combo.sizePolicy().verticalPolicy())
        self.form.layout_.setContentsMargins(0, 0, 0, 0)

        self.bouton_enregistrer = bouton("&Enregistrer", QKeySequence.StandardKey.Save)
        self.bouton_enregistrer.setDefault(True)
        self.bouton_enregistrer.clicked.connect(self.enregistrer)
        self.bouton_nouvelle = bouton("&Nouvelle pièce")
        self.bouton_nouvelle.setToolTip("Vider le formulaire pour ajouter une pièce au catalogue")
        self.bouton_nouvelle.clicked.connect(self.nouvelle)
        self.bouton_supprimer = bouton("&Supprimer la pièce")
        self.bouton_supprimer.setToolTip("Seulement une pièce qui n'a encore été demandée à aucune candidature")
        self.bouton_supprimer.clicked.connect(self.demander_suppression)
        self.message = QLabel()
        nommer(self.message, "Message")
        self.message.setStyleSheet(STYLE_SUCCES)
        self.message.setWordWrap(True)
        self.titre_form = QLabel()
        self.titre_form.setObjectName("sous_titre")
        self.titre_form.setAccessibleName("Pièce affichée")

        box = QVBoxLayout(self)
        box.addWidget(note(NOTE))
        if not ecriture:
            box.addWidget(note(LECTURE_SEULE))
        box.addWidget(self.table, 1)
        box.addWidget(self.titre_form)
        box.addWidget(self.form)
        if ecriture:
            box.addLayout(rangee(self.bouton_enregistrer, self.bouton_nouvelle, self.bouton_supprimer))
            box.addWidget(self.message)
        else:
            self.code.setReadOnly(True)
            self.libelle.setReadOnly(True)
            for w in (self.condition, self.mode, *self.cases.values()):
                w.setEnabled(False)
        self.charger()

    # --- the table ------------------------------------------------------------------------------
    def charger(self, code: str | None = None) -> None:
        code = code or (self.courante.code if self.courante else None)
        try:
            lues = catalogue.lister(self.ctx)
        except DomainError as exc:
            signaler(self, exc, titre="Catalogue indisponible")
            lues = []
        self.pieces = {p.code: p for p in lues}
        remplir(self.table, [[p.code, p.libelle, p.condition_libelle, texte_mode(p), ", ".join(p.domaines),
                              str(p.utilisations)] for p in lues], [p.code for p in lues])
        if code in self.pieces:
            selectionner(self.table, code)
        elif lues:
            self.table.setCurrentCell(0, 0)
        self._afficher()

    def selectionner(self, code: str) -> None:
        selectionner(self.table, code)

    def _afficher(self) -> None:
        cle = cle_courante(self.table)
        p = self.pieces.get(str(cle)) if cle is not None else None
        if p is None:
            return
        self.courante = p
        self.form.effacer_erreurs()
        self.message.clear()
        self.titre_form.setText(f"Pièce {p.code}")
        self.code.setText(p.code)
        self.code.setReadOnly(True)
        self.libelle.setPlainText(p.libelle)
        self._choisir_condition(p.condition_cle)
        self.mode.setCurrentIndex(self.mode.findData(p.mode_depot))
        for code, case in self.cases.items():
            case.setChecked(code in p.domaines)
        self.bouton_supprimer.setEnabled(True)

    def _choisir_condition(self, cle: str) -> None:
        # A key the rules do not know (a typo in an imported catalogue) is shown as such, so that the
        # chef sees it and picks a real condition; saving it as is is refused.
        for i in range(self.condition.count() - 1, -1, -1):
            if self.condition.itemData(i) not in catalogue.CONDITIONS:
                self.condition.removeItem(i)
        if cle not in catalogue.CONDITIONS:
            self.condition.insertItem(0, catalogue.libelle_condition(cle), cle)
        self.condition.setCurrentIndex(self.condition.findData(cle))

    # --- editing --------------------------------------------------------------------------------
    def nouvelle(self) -> None:
        self.courante = None
        self.table.clearSelection()
        self.form.effacer_erreurs()
        self.message.clear()
        self.titre_form.setText("Nouvelle pièce")
        self.code.clear()
        self.code.setReadOnly(False)
        self.libelle.clear()
        self._choisir_condition("always")
        self.mode.setCurrentIndex(0)
        for case in self.cases.values():
            case.setChecked(True)
        self.bouton_supprimer.setEnabled(False)
        self.code.setFocus()

    def enregistrer(self) -> PieceReferentiel | None:
        self.message.clear()
        self.form.effacer_erreurs()
        valeurs = (self.libelle.toPlainText(), str(self.condition.currentData()), str(self.mode.currentData()),
                   [code for code, case in self.cases.items() if case.isChecked()])
        try:
            if self.courante is None:
                p = catalogue.ajouter_piece(self.ctx, self.code.text(), *valeurs)
            else:
                p = catalogue.modifier_piece(self.ctx, self.courante.code, *valeurs, attendu=self.courante)
        except DomainError as exc:
            signaler(self, exc, self.form)
            return None
        self.courante = p
        self.charger(p.code)
        self.message.setText(f"Pièce {p.code} enregistrée : elle s'applique aux candidatures enregistrées à partir "
                             "de maintenant.")
        return p

    def demander_suppression(self) -> None:
        p = self.courante
        if p is None:
            return
        confirmer(self, "Supprimer la pièce", f"Supprimer la pièce {p.code} du catalogue ? Elle ne sera plus "
                  "demandée aux candidatures enregistrées ensuite.", lambda: self.supprimer(p.code),
                  oui="Supprimer", destructif=True)

    def supprimer(self, code: str) -> bool:
        try:
            catalogue.supprimer_piece(self.ctx, code)
        except DomainError as exc:
            signaler(self, exc, titre="Suppression impossible")
            return False
        self.courante = None
        self.charger()
        self.message.setText(f"Pièce {code} supprimée du catalogue.")
        return True
