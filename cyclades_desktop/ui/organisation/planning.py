"""Tab « Planning des épreuves »: the session's ponctual épreuves per spécialité with date, start
time (heure de Paris), duration and type; how many candidates need each and how many are seated."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...rules.codes_epreuves import nom_epreuve
from ...rules.organisation import TypeEpreuve, format_duree
from ...rules.temps import format_date, paris
from ...services import organisation
from ...services.noyau import Contexte
from ..champs import champ_date
from ..formulaire import supprimer_apres_confirmation
from ..referentiel.commun import (
    DialogueFormulaire,
    bouton,
    cle_courante,
    note,
    ouvrir,
    rangee,
    remplir,
    selectionner,
    tableau,
)
from .centres import LECTURE_SEULE


class DialogueCreneau(DialogueFormulaire):
    def __init__(self, parent: QWidget, ctx: Contexte, session_id: int, specialites: list[tuple[str, str]],
                 creneau: organisation.VueCreneau | None, specialite_id: str | None = None) -> None:
        super().__init__(parent, "Modifier l'épreuve du planning" if creneau else "Nouvelle épreuve au planning")
        self.ctx, self.session_id, self.creneau = ctx, session_id, creneau
        saisie = organisation.saisie_creneau(creneau) if creneau else organisation.SaisieCreneau(session_id, specialite_id or "")
        self.specialite = QComboBox()
        self.specialite.addItem("Choisissez…", "")
        for code, libelle in specialites:
            self.specialite.addItem(libelle, code)
        self.specialite.setCurrentIndex(max(0, self.specialite.findData(saisie.specialite_id)))
        self.epreuve = QComboBox()
        self.date = champ_date()
        self.date.setText(saisie.date)
        self.heure = QLineEdit(saisie.heure)
        self.heure.setPlaceholderText("hh:mm")
        self.duree = QLineEdit(saisie.duree)
        self.duree.setPlaceholderText("exemple : 90 ou 1:30")
        self.type = QComboBox()
        for type_ in TypeEpreuve:
            self.type.addItem(type_.libelle, str(type_))
        self.type.setCurrentIndex(max(0, self.type.findData(saisie.type)))
        self.specialite.currentIndexChanged.connect(lambda _i: self._epreuves(""))
        self._epreuves(saisie.epreuve_code)
        self.form.ajouter("specialite", "Spécialité", self.specialite, obligatoire=True)
        self.form.ajouter("epreuve", "Épreuve", self.epreuve, obligatoire=True)
        self.form.ajouter("date", "Date", self.date, obligatoire=True, aide="Au format jj/mm/aaaa : dans l'année de la session, après la clôture des inscriptions.")
        self.form.ajouter("heure", "Heure de début", self.heure, obligatoire=True,
                          aide="Heure de Paris, au format hh:mm.")
        self.form.ajouter("duree", "Durée", self.duree, obligatoire=True,
                          aide="En minutes ou au format h:mm (12 heures au maximum).")
        self.form.ajouter("type", "Type d'épreuve", self.type)

    def _epreuves(self, choisie: str) -> None:
        self.epreuve.clear()
        self.epreuve.addItem("Choisissez…", "")
        sp = self.specialite.currentData()
        if sp:
            for code, libelle in organisation.epreuves_planifiables(self.ctx, sp):
                self.epreuve.addItem(libelle, code)
        self.epreuve.setCurrentIndex(max(0, self.epreuve.findData(choisie)))

    def executer(self) -> object:
        saisie = organisation.SaisieCreneau(self.session_id, self.specialite.currentData() or "",
                                   self.epreuve.currentData() or "", self.date.text(), self.heure.text(),
                                   self.duree.text(), self.type.currentData())
        return organisation.enregistrer_creneau(self.ctx, saisie, self.creneau.id if self.creneau else None,
                                       self.creneau.row_version if self.creneau else None)


class OngletPlanning(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool, filtres: Callable[[], tuple[int | None, str | None]],
                 specialites: list[tuple[str, str]]) -> None:
        super().__init__()
        self.ctx, self.ecriture, self.filtres, self.specialites = ctx, ecriture, filtres, specialites
        self.creneaux: list[organisation.VueCreneau] = []
        self.table = tableau("Planning des épreuves", ["Date", "Heure (Paris)", "Durée", "Spécialité", "Épreuve",
                                                       "Type", "Candidats", "Affectés"], largeurs={3: 220, 4: 300})
        self.table.activated.connect(lambda _i: self.modifier())
        box = QVBoxLayout(self)
        if not ecriture:
            box.addWidget(note(LECTURE_SEULE))
        self.resume = QLabel()
        box.addWidget(self.resume)
        box.addWidget(self.table, 1)
        if ecriture:
            self.b_nouveau = bouton("&Nouvelle épreuve…", "Ctrl+Shift+N")
            self.b_nouveau.clicked.connect(self.nouveau)
            self.b_modifier = bouton("&Modifier l'épreuve…")
            self.b_modifier.clicked.connect(self.modifier)
            self.b_supprimer = bouton("&Retirer du planning")
            self.b_supprimer.clicked.connect(self.supprimer)
            box.addLayout(rangee(self.b_nouveau, self.b_modifier, self.b_supprimer))

    def charger(self, garder: int | None = None) -> None:
        session_id, specialite_id = self.filtres()
        garder = garder if garder is not None else cle_courante(self.table)  # type: ignore[assignment]
        self.creneaux = organisation.lister_creneaux(self.ctx, session_id, specialite_id) if session_id else []
        remplir(self.table, [[format_date(c.debut), f"{paris(c.debut):%H:%M}", format_duree(c.duree_minutes),
                              c.specialite, nom_epreuve(c.epreuve_code, c.intitule, " — "), c.libelle_type, str(c.candidats),
                              str(c.affectes)] for c in self.creneaux], [c.id for c in self.creneaux])
        self.resume.setText(f"{len(self.creneaux)} épreuve(s) au planning ; dates et heures en heure de Paris.")
        if self.creneaux:
            self.table.setCurrentCell(0, 0)
            if garder is not None:
                selectionner(self.table, garder)

    def courant(self) -> organisation.VueCreneau | None:
        cid = cle_courante(self.table)
        return next((c for c in self.creneaux if c.id == cid), None)

    def nouveau(self) -> DialogueCreneau | None:
        session_id, specialite_id = self.filtres()
        if not self.ecriture or session_id is None:
            return None
        return ouvrir(DialogueCreneau(self, self.ctx, session_id, self.specialites, None, specialite_id),  # type: ignore[return-value]
                      lambda cid: self.charger(cid))  # type: ignore[arg-type]

    def modifier(self) -> DialogueCreneau | None:
        c = self.courant()
        if not self.ecriture or c is None:
            return None
        return ouvrir(DialogueCreneau(self, self.ctx, c.session_id, self.specialites, c),  # type: ignore[return-value]
                      lambda cid: self.charger(cid))  # type: ignore[arg-type]

    def supprimer(self) -> None:
        c = self.courant()
        if c is None:
            return
        suite = f" Les {c.affectes} candidat(s) affecté(s) perdront leur place." if c.affectes else ""
        supprimer_apres_confirmation(
            self, "Retirer du planning", f"Retirer l'épreuve {nom_epreuve(c.epreuve_code, c.intitule, ' — ')} "
            f"({c.specialite}) du planning ?{suite}", lambda: organisation.supprimer_creneau(self.ctx, c.id),
            self.charger, oui="Retirer")
