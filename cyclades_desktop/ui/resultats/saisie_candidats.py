"""« Saisie par candidat » (docs/domaine/resultats.md#notes): session → jury, one row per candidate and one
column per unit, for the grades not entered through a lot of anonymous copies (orals, practical épreuves,
CCF). A unit the candidate does not sit here (dispensed, bénéfice, anonymous copy…) is greyed, its reason
in the tooltip and on the status line. Each grade is saved as soon as it is typed; « Seconde saisie » is
blind, and the discrepancies between the two entries are listed under the grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QVBoxLayout, QWidget

from ...rules.errors import DomainError
from ...rules.resultats import Ecart
from ...services import resultats
from ...services.noyau import Contexte
from ..formulaire import nommer, signaler
from ..referentiel.commun import STYLE_SUCCES, bouton, note, rangee
from .grille import Cellule, GrilleNotes
from .saisie import STYLE_STATUT, combo, ecrire_une_note, etiquette, sessions_recentes

ABSENTE = "Cette unité n'existe pas dans la spécialité de ce candidat."


def _code_court(libelle: str) -> str:
    """« U11 Mathématiques » → « U11 », the header of its column (the whole title in the tooltip)."""
    return libelle.split(" ", 1)[0]


class OngletSaisieCandidats(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        self.codes: list[str] = []
        self.session, self.jury = combo("Session"), combo("Jury")
        self.seconde = QCheckBox("Seconde saisie (à l'a&veugle)")
        nommer(self.seconde, "Seconde saisie (à l'aveugle)")
        self.seconde.setToolTip("Un autre opérateur saisit à nouveau les notes sans voir les premières ; "
                                "les écarts sont listés sous la grille.")
        self.actualiser = bouton("Act&ualiser", QKeySequence.StandardKey.Refresh)
        self.etat = note("")
        self.statut = QLabel("")
        self.statut.setWordWrap(True)
        self.statut.setStyleSheet(STYLE_STATUT)
        nommer(self.statut, "Message de saisie")
        self.grille = GrilleNotes("Notes des candidats", self._enregistrer, self._statut)
        self.ecarts = QListWidget()
        nommer(self.ecarts, "Écarts entre les deux saisies")
        self.ecarts.setMaximumHeight(110)

        box = QVBoxLayout(self)
        box.addLayout(rangee(etiquette("&Session :", self.session), self.session,
                             etiquette("&Jury :", self.jury), self.jury, self.seconde, self.actualiser, etirer=False))
        box.addWidget(self.etat)
        box.addWidget(etiquette("No&tes des candidats (Tab : unité suivante ; Entrée : candidat suivant) :", self.grille))
        box.addWidget(self.grille, 1)
        box.addWidget(self.statut)
        box.addWidget(etiquette("Éc&arts entre les deux saisies :", self.ecarts))
        box.addWidget(self.ecarts)

        sessions_recentes(ctx, self.session)
        self.session.currentIndexChanged.connect(lambda _i: self.charger_jurys())
        self.jury.currentIndexChanged.connect(lambda _i: self.charger())
        self.seconde.toggled.connect(lambda _b: self.charger())
        self.actualiser.clicked.connect(self.charger)
        self.charger_jurys()

    def charger_jurys(self) -> None:
        self.jury.blockSignals(True)
        self.jury.clear()
        sid = self.session.currentData()
        try:
            jurys = resultats.lister_jurys(self.ctx, sid) if sid is not None else []
        except DomainError as exc:
            signaler(self, exc)
            jurys = []
        for j in jurys:
            self.jury.addItem(f"{j.libelle} ({j.candidatures} candidat{'s' if j.candidatures > 1 else ''})", j.id)
        self.jury.blockSignals(False)
        self.charger()

    def charger(self) -> None:
        self.statut.setText("")
        jury_id = self.jury.currentData()
        seconde = self.seconde.isChecked()
        try:
            vue = resultats.notes_jury(self.ctx, jury_id, seconde=seconde) if jury_id is not None else None
        except DomainError as exc:
            signaler(self, exc)
            vue = None
        if vue is None:
            self.grille.remplir(["Candidat"], [])
            self.ecarts.clear()
            self.etat.setText("Aucun jury pour cette session." if jury_id is None else "")
            return
        # Columns: every unit met in the jury, in the order of the trees (a jury may cover several spécialités).
        titres: dict[str, str] = {}
        for c in vue.candidats:
            for x in c.lignes:
                titres.setdefault(x.unite_code, x.libelle)
        self.codes = list(titres)
        lignes: list[list[str | tuple[str, Cellule]]] = []
        for c in vue.candidats:
            par_code = {x.unite_code: x for x in c.lignes}
            ligne: list[str | tuple[str, Cellule]] = [c.candidat]
            for code in self.codes:
                x = par_code.get(code)
                ligne.append((x.note, Cellule(c.candidature_id, code, x.row_version, x.refus)) if x is not None
                             else ("", Cellule(c.candidature_id, code, None, ABSENTE)))
            lignes.append(ligne)
        self.grille.remplir(["Candidat", *(_code_court(titres[k]) for k in self.codes)], lignes)
        for i, code in enumerate(self.codes, 1):
            if (entete := self.grille.horizontalHeaderItem(i)) is not None:
                entete.setToolTip(titres[code])
        quoi = "Seconde saisie : les premières notes sont masquées." if seconde else "Première saisie."
        n = len(vue.candidats)
        self.etat.setText(f"{n} candidat{'s' if n > 1 else ''}. {quoi} Une case grisée ne se saisit pas ici : "
                          "son motif s'affiche quand le curseur l'atteint.")
        self._ecarts(vue.ecarts)
        self.grille.premiere_cellule()

    def _statut(self, message: str) -> None:
        self.statut.setStyleSheet(STYLE_STATUT)
        self.statut.setText(message)

    def _ecarts(self, ecarts: tuple[Ecart, ...]) -> None:
        self.ecarts.clear()
        for e in ecarts:
            self.ecarts.addItem(e.phrase)
        if not ecarts:
            self.ecarts.addItem("Aucun écart entre les deux saisies.")

    def _enregistrer(self, cellule: Cellule, texte: str) -> str | None:
        assert isinstance(cellule.ligne, int)
        seconde = self.seconde.isChecked()
        rapport, refus = ecrire_une_note(self, self.grille, self.charger, self._statut, lambda: resultats.enregistrer_notes_candidature(
            self.ctx, cellule.ligne, [resultats.SaisieNote(cellule.cle, texte, cellule.row_version)], seconde=seconde))
        if rapport is None:
            return refus
        ligne = next(x for x in rapport.lignes if x.unite_code == cellule.cle)
        r, c = self.grille.currentRow(), self.codes.index(cellule.cle) + 1
        self.grille.mettre_a_jour(r, c, ligne.seconde if seconde else ligne.note,
                                  Cellule(cellule.ligne, cellule.cle, ligne.row_version, ligne.refus))
        self.statut.setStyleSheet(STYLE_SUCCES)      # a saved grade must not read as a refusal
        self.statut.setText(f"{self.grille.libelle_ligne(r)}, {_code_court(ligne.libelle)} : note enregistrée.")
        if seconde and self.jury.currentData() is not None:
            self._ecarts(resultats.notes_jury(self.ctx, self.jury.currentData()).ecarts)
        return None

    def focus_initial(self) -> None:
        self.grille.setFocus(Qt.FocusReason.OtherFocusReason)
