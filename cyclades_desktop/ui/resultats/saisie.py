"""« Saisie des notes » by lot of anonymous copies (docs/domaine/resultats.md#notes, #anonymat): session →
written épreuve → lot, one row per copy by its anonymat number. Each grade is saved as soon as it is typed
(per row, through the service: a copy's grade is never lost to a later mistake on another one). « Seconde
saisie » is blind: the first grades are hidden, and the discrepancies between the two are listed below."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListWidget, QSizePolicy, QVBoxLayout, QWidget

from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.organisation import TypeEpreuve
from ...services import organisation, referentiel, resultats
from ...services.noyau import Contexte
from ..formulaire import nommer, signaler
from ..referentiel.commun import STYLE_SUCCES, bouton, note, rangee
from .grille import Cellule, GrilleNotes

T = TypeVar("T")

AUCUN_LOT = "Aucun lot de copies pour cette épreuve : les lots se constituent après l'anonymat."
STYLE_STATUT = "color: #a4262c; font-weight: 600;"


def combo(nom: str) -> QComboBox:
    c = QComboBox()
    nommer(c, nom)
    c.setMinimumContentsLength(18)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    # Long épreuve and lot names take the row's spare width rather than being cut short.
    c.setSizePolicy(QSizePolicy.Policy.Expanding, c.sizePolicy().verticalPolicy())
    return c


def etiquette(texte: str, champ: QWidget) -> QLabel:
    lab = QLabel(texte)
    lab.setBuddy(champ)
    return lab


def sessions_recentes(ctx: Contexte, c: QComboBox) -> None:
    """Every session, the most recent chosen: it is the one whose results are being entered."""
    sessions = referentiel.sessions(ctx)
    for se in sessions:
        c.addItem(se.libelle, se.id)
    if sessions:
        c.setCurrentIndex(max(0, c.findData(max((se.annee, se.id) for se in sessions)[1])))


class OngletSaisie(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        self.lot_vu: resultats.VueLot | None = None
        self.session, self.epreuve, self.lot = combo("Session"), combo("Épreuve écrite"), combo("Lot de copies")
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
        self.grille = GrilleNotes("Notes du lot", self._enregistrer, self._statut)
        self.ecarts = QListWidget()
        nommer(self.ecarts, "Écarts entre les deux saisies")
        self.ecarts.setMaximumHeight(110)
        l_ecarts = etiquette("Éc&arts entre les deux saisies :", self.ecarts)
        l_grille = etiquette("No&tes du lot (Entrée ou Tab : copie suivante) :", self.grille)

        box = QVBoxLayout(self)
        box.addLayout(rangee(etiquette("&Session :", self.session), self.session,
                             etiquette("Ép&reuve écrite :", self.epreuve), self.epreuve,
                             etiquette("L&ot de copies :", self.lot), self.lot, etirer=False))
        box.addLayout(rangee(self.seconde, self.actualiser))
        box.addWidget(self.etat)
        box.addWidget(l_grille)
        box.addWidget(self.grille, 1)
        box.addWidget(self.statut)
        box.addWidget(l_ecarts)
        box.addWidget(self.ecarts)

        sessions_recentes(ctx, self.session)
        self.session.currentIndexChanged.connect(lambda _i: self.charger_epreuves())
        self.epreuve.currentIndexChanged.connect(lambda _i: self.charger_lots())
        self.lot.currentIndexChanged.connect(lambda _i: self.charger())
        self.seconde.toggled.connect(lambda _b: self.charger())
        self.actualiser.clicked.connect(self.charger_lots)
        self.charger_epreuves()

    # --- choices ---------------------------------------------------------------------------------
    def charger_epreuves(self) -> None:
        self.epreuve.blockSignals(True)
        self.epreuve.clear()
        sid = self.session.currentData()
        try:
            creneaux = organisation.lister_creneaux(self.ctx, sid) if sid is not None else []
        except DomainError as exc:
            signaler(self, exc)
            creneaux = []
        for c in creneaux:
            if c.type == TypeEpreuve.ECRIT:
                self.epreuve.addItem(f"{c.specialite} — {c.epreuve_code} {c.intitule}", c.id)
        self.epreuve.blockSignals(False)
        self.charger_lots()

    def charger_lots(self) -> None:
        garde = self.lot.currentData()
        self.lot.blockSignals(True)
        self.lot.clear()
        cid = self.epreuve.currentData()
        try:
            lots = resultats.lister_lots(self.ctx, cid) if cid is not None else []
        except DomainError as exc:
            signaler(self, exc)
            lots = []
        for x in lots:
            self.lot.addItem(self._libelle_lot(x, x.notees), x.id)
        if garde is not None and (i := self.lot.findData(garde)) >= 0:
            self.lot.setCurrentIndex(i)
        self.lot.blockSignals(False)
        self.charger()

    # --- the grid --------------------------------------------------------------------------------
    def charger(self) -> None:
        """(Re)read the lot: after a change of choice, a conflict, or « Actualiser »."""
        self.statut.setText("")
        lot_id = self.lot.currentData()
        if lot_id is None:
            self.grille.remplir(["Copie", "Note"], [])
            self.ecarts.clear()
            self.etat.setText(AUCUN_LOT if self.epreuve.currentData() is not None else
                              "Aucune épreuve écrite planifiée pour cette session.")
            return
        seconde = self.seconde.isChecked()
        try:
            vue = resultats.saisie_lot(self.ctx, lot_id, seconde=seconde)
            ecarts = resultats.ecarts_lot(self.ctx, lot_id)
        except DomainError as exc:
            signaler(self, exc)
            return
        self.lot_vu = vue.lot
        self._etat(vue.lot.notees)
        entete = "Seconde saisie" if seconde else "Note"
        self.grille.remplir(["Copie", "Candidat", entete, "Saisie par"], [
            [x.libelle, x.candidat or "(anonyme)", (x.seconde if seconde else x.note, self._cellule(lot_id, x)),
             (x.seconde_par if seconde else x.saisie_par)] for x in vue.lignes])
        self._ecarts(ecarts)
        self.grille.premiere_cellule()

    @staticmethod
    def _libelle_lot(x: resultats.VueLot, notees: int) -> str:
        correcteur = f", {x.correcteur}" if x.correcteur else ""
        return f"{x.libelle} ({notees}/{x.copies} notées{correcteur}) — {x.libelle_etat}"

    def _etat(self, notees: int) -> None:
        lot = self.lot_vu
        if lot is None:
            return
        quoi = "Seconde saisie : les premières notes sont masquées." if self.seconde.isChecked() else "Première saisie."
        self.etat.setText(f"{lot.libelle} — {lot.libelle_etat} — {notees}/{lot.copies} copies notées. {quoi}")
        if self.lot.currentIndex() >= 0 and not self.seconde.isChecked():
            self.lot.setItemText(self.lot.currentIndex(), self._libelle_lot(lot, notees))

    @staticmethod
    def _cellule(lot_id: int, x: resultats.LigneNote) -> Cellule:
        return Cellule(lot_id, x.cle, x.row_version, x.refus)

    def _ecarts(self, ecarts: tuple[object, ...]) -> None:
        self.ecarts.clear()
        for e in ecarts:
            self.ecarts.addItem(e.phrase)        # type: ignore[attr-defined]
        if not ecarts:
            self.ecarts.addItem("Aucun écart entre les deux saisies.")

    def _statut(self, message: str) -> None:
        self.statut.setStyleSheet(STYLE_STATUT)
        self.statut.setText(message)

    def _succes(self, message: str) -> None:
        self.statut.setStyleSheet(STYLE_SUCCES)      # a saved grade must not read as a refusal
        self.statut.setText(message)

    def _enregistrer(self, cellule: Cellule, texte: str) -> str | None:
        """One copy's grade, written at once; a refusal is returned for the cell, a conflict reloads."""
        assert isinstance(cellule.ligne, int)
        seconde = self.seconde.isChecked()
        rapport, refus = ecrire_une_note(self, self.grille, self.charger, self._statut, lambda: resultats.enregistrer_notes_lot(
            self.ctx, cellule.ligne, [resultats.SaisieNote(cellule.cle, texte, cellule.row_version)], seconde=seconde))
        if rapport is None:
            return refus
        ligne = next(x for x in rapport.lignes if x.cle == cellule.cle)
        for r in range(self.grille.rowCount()):
            c = next(iter(self.grille.colonnes_notes), -1)
            x = self.grille.cellule(r, c)
            if x is not None and x.cle == cellule.cle:
                self.grille.mettre_a_jour(r, c, ligne.seconde if seconde else ligne.note,
                                          self._cellule(cellule.ligne, ligne))
                par = self.grille.item(r, c + 1)
                if par is not None:
                    par.setText(ligne.seconde_par if seconde else ligne.saisie_par)
        self._succes(f"Copie {cellule.cle} : note enregistrée.")
        self._etat(sum(1 for x in rapport.lignes if x.note))
        if seconde:
            self._ecarts(resultats.ecarts_lot(self.ctx, cellule.ligne))
        return None

    def focus_initial(self) -> None:
        self.grille.setFocus(Qt.FocusReason.OtherFocusReason)


def ecrire_une_note(ecran: QWidget, grille: GrilleNotes, charger: Callable[[], None],
                    statut: Callable[[str], None], ecrire: Callable[[], T]) -> tuple[T | None, str | None]:
    """One grade written through the service: ``(report, None)``, or ``(None, refusal)`` for the cell. On a
    conflict another operator's grade is read again, never overwritten: the grid is reloaded once the
    editor has closed, not rebuilt under it."""
    try:
        return ecrire(), None
    except ValidationError as exc:
        return None, next(iter(exc.errors.values()), exc.message)
    except ConflictError as exc:
        signaler(ecran, exc, titre="Modifié sur un autre poste")
        message = exc.message
        grille.apres_edition = lambda: (charger(), statut(message))
        return None, message
    except DomainError as exc:
        return None, exc.message
