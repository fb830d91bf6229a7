"""Tab 6 - Épreuves: the units as the engine places them (read only), and the candidate's choices:
facultatives with their language or destination, exclusive options, units left for a later session
(forme progressive). Positions are recomputed as the choices change."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ...rules import epreuves as moteur
from ...rules import inscriptions as regles
from ...rules.codes_epreuves import nom_epreuve
from ..formulaire import STYLE_ERREUR
from .champs import STYLE_ATTENTION, STYLE_NOTE, montrer_contenu, paragraphe, section, vider
from .commun import Assistant, PageOnglet
from .epreuves_widgets import ArbreEpreuves, LigneFacultative, LigneOption

AUCUN_CHOIX = "Aucun choix d'épreuve n'est à faire : cliquez sur « Suivant »."
SANS_SPECIALITE = "Les épreuves s'afficheront une fois la catégorie et la spécialité choisies (onglets 3 et 4)."
TEXTE_FACULTATIVES = "Cochez « Inscrit » pour présenter une épreuve facultative, puis précisez votre choix."
TEXTE_REPORT = ("Forme progressive : cochez les épreuves que vous ne présenterez pas à cette session ; elles "
                "seront à présenter lors d'une session ultérieure.")
STYLE_SOUS_SECTION = "font-weight: 600; color: #1f3a5f; margin-top: 6px; margin-left: 12px;"


def sous_section(titre: str) -> QLabel:
    lab = QLabel(titre)
    lab.setStyleSheet(STYLE_SOUS_SECTION)
    lab.setAccessibleName(titre)
    return lab


def zone() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    box = QVBoxLayout(w)
    box.setContentsMargins(12, 0, 0, 0)
    box.setSpacing(6)
    return w, box


class PageEpreuves(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.EPREUVES)
        self.aucun = paragraphe(AUCUN_CHOIX, STYLE_ATTENTION, nom="Aucun choix d'épreuve")
        self.aucun.setVisible(False)
        self.corps.addWidget(self.aucun)
        self.sans_specialite = paragraphe(SANS_SPECIALITE, STYLE_NOTE)
        self.sans_specialite.setVisible(False)
        self.corps.addWidget(self.sans_specialite)
        self.corps.addWidget(section("Session normale 1er groupe"))
        self.corps.addWidget(sous_section("Épreuve(s) obligatoire(s)"))
        self.arbre = ArbreEpreuves("Épreuve(s) obligatoire(s)")
        self.corps.addWidget(self.arbre)
        self.zone_options, self.box_options = zone()
        self.corps.addWidget(self.zone_options)
        self.titre_fac = sous_section("Épreuve(s) facultative(s)")
        self.corps.addWidget(self.titre_fac)
        self.zone_fac, self.box_fac = zone()
        self.corps.addWidget(self.zone_fac)
        self.erreur_fac = paragraphe("", STYLE_ERREUR, nom="Erreur : Épreuve(s) facultative(s)")
        self.erreur_fac.setVisible(False)
        self.corps.addWidget(self.erreur_fac)
        self.zone_report, self.box_report = zone()
        self.corps.addWidget(self.zone_report)
        self.erreur_report = paragraphe("", STYLE_ERREUR, nom="Erreur : Report d'épreuves")
        self.erreur_report.setVisible(False)
        self.corps.addWidget(self.erreur_report)
        self.titre_groupe2 = section("Session normale 2nd groupe")
        self.corps.addWidget(self.titre_groupe2)
        self.titre_groupe2_oblig = sous_section("Épreuve(s) obligatoire(s)")
        self.corps.addWidget(self.titre_groupe2_oblig)
        self.arbre2 = ArbreEpreuves("Session normale 2nd groupe")
        self.corps.addWidget(self.arbre2)
        self.corps.addStretch(1)

        self.facultatives: dict[str, str] = {}
        self.options: dict[str, str] = {}
        self.non_inscrits: set[str] = set()
        self.lignes_fac: dict[str, LigneFacultative] = {}
        self.lignes_options: dict[str, LigneOption] = {}
        self.cases_report: dict[str, QCheckBox] = {}
        self._structures: dict[str, tuple[object, ...]] = {}
        self._lecture = False

    # --- saisie -----------------------------------------------------------------------------
    def charger(self, s: regles.SaisieCandidature) -> None:
        self.facultatives = dict(s.choix.facultatives)
        self.options = dict(s.choix.options)
        self.non_inscrits = set(s.choix.non_inscrits)
        self._lecture = True
        try:
            for code, ligne in self.lignes_fac.items():
                ligne.definir(self.facultatives.get(code))
            for code, lo in self.lignes_options.items():
                lo.definir(self.options.get(code))
            for code, case in self.cases_report.items():
                case.setChecked(code in self.non_inscrits)
        finally:
            self._lecture = False

    def _lire_widgets(self) -> None:
        if "fac" in self._structures:
            self.facultatives = {code: v for code, ligne in self.lignes_fac.items()
                                 if (v := ligne.valeur()) is not None}
        if "options" in self._structures:
            self.options = {code: v for code, lo in self.lignes_options.items() if (v := lo.valeur()) is not None}
        if "report" in self._structures:
            self.non_inscrits = {code for code, case in self.cases_report.items() if case.isChecked()}

    def collecter(self, s: regles.SaisieCandidature) -> None:
        self._lire_widgets()
        s.choix = replace(s.choix, facultatives=dict(self.facultatives), options=dict(self.options),
                          non_inscrits=frozenset(self.non_inscrits))

    # --- building from the engine's answer ---------------------------------------------------
    def actualiser(self) -> None:
        self._montrer(self.assistant.calculer())

    def _change(self) -> None:
        if self._lecture:
            return
        self._lire_widgets()
        self._montrer(self.assistant.calculer())

    def _montrer(self, r: moteur.Resultat | None) -> None:
        self.sans_specialite.setVisible(r is None)
        if r is None:
            self.arbre.remplir(())
            self.arbre2.remplir(())
            return
        self.aucun.setVisible(not r.a_choisir)
        self._construire(r)
        self.arbre.remplir([x for x in r.obligatoires(1)])
        groupe2 = r.obligatoires(2)
        self.arbre2.remplir(groupe2)
        for w in (self.titre_groupe2, self.titre_groupe2_oblig, self.arbre2):
            w.setVisible(bool(groupe2))
        par_code = r.par_code()
        for code, ligne in self.lignes_fac.items():
            ligne.montrer(par_code.get(code))

    def _construire(self, r: moteur.Resultat) -> None:
        self._lecture = True
        try:
            unites = {x.code: x.unite for x in r.lignes}
            fac = tuple((f.code, f.intitule, f.detail) for f in r.facultatives)
            if self._structures.get("fac") != fac:
                self._structures["fac"] = fac
                vider(self.box_fac)
                self.lignes_fac = {}
                if r.facultatives:
                    self.box_fac.addWidget(paragraphe(TEXTE_FACULTATIVES, STYLE_NOTE))
                pays = [nom for nom, code in self.assistant.pays if code != "FR"]
                for f in r.facultatives:
                    ligne = LigneFacultative(f, unites.get(f.code), pays)
                    ligne.definir(self.facultatives.get(f.code))
                    ligne.change.connect(self._change)
                    self.box_fac.addWidget(ligne)
                    self.lignes_fac[f.code] = ligne
            self.titre_fac.setVisible(bool(r.facultatives))
            self.zone_fac.setVisible(bool(r.facultatives))

            intitules = {x.code: x.intitule for x in r.lignes}
            options = tuple(r.options.items())
            if self._structures.get("options") != options:
                self._structures["options"] = options
                vider(self.box_options)
                self.lignes_options = {}
                if r.options:
                    self.box_options.addWidget(sous_section("Option(s) à choisir"))
                for code, choix in r.options.items():
                    lo = LigneOption(code, intitules.get(code, ""), choix)
                    lo.definir(self.options.get(code))
                    lo.change.connect(self._change)
                    self.box_options.addWidget(lo)
                    self.lignes_options[code] = lo
            self.zone_options.setVisible(bool(r.options))

            report = tuple(r.unites_reportables)
            if self._structures.get("report") != report:
                self._structures["report"] = report
                vider(self.box_report)
                self.cases_report = {}
                if report:
                    self.box_report.addWidget(sous_section("Report d'épreuves à une session ultérieure"))
                    self.box_report.addWidget(paragraphe(TEXTE_REPORT, STYLE_NOTE))
                for code in report:
                    texte = nom_epreuve(code, intitules.get(code, ""), " : ")
                    case = QCheckBox(texte)
                    case.setAccessibleName(texte)
                    case.setChecked(code in self.non_inscrits)
                    case.toggled.connect(lambda _c: self._change())
                    self.box_report.addWidget(case)
                    self.cases_report[code] = case
            self.zone_report.setVisible(bool(report))
            for box in (self.box_fac, self.box_options, self.box_report):
                montrer_contenu(box)
            self.ordonner_tabulation()
        finally:
            self._lecture = False

    def premier_champ(self) -> QWidget | None:
        """The first choice to make rather than the read-only tree above it."""
        choix = [*self.lignes_options.values(), *self.lignes_fac.values()]
        for ligne in choix:
            champ = ligne.combo if isinstance(ligne, LigneOption) else ligne.case
            if champ.isVisibleTo(self) and champ.isEnabled():
                return champ
        return super().premier_champ()

    # --- errors -----------------------------------------------------------------------------
    def erreurs_propres(self, erreurs: dict[str, str]) -> list[str]:
        reste = dict(erreurs)
        for code, ligne in self.lignes_fac.items():
            ligne.afficher_erreur(reste.pop(f"facultative.{code}", None))
        for code, lo in self.lignes_options.items():
            lo.afficher_erreur(reste.pop(f"option.{code}", None))
        for cle, lab in (("facultatives", self.erreur_fac), ("non_inscrits", self.erreur_report)):
            message = reste.pop(cle, None)
            lab.setText(message or "")
            lab.setVisible(bool(message))
        return list(reste.values())
