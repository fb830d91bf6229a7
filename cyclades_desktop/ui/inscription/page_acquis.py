"""Tab 5 - Acquis: the situations giving dispenses or grades carried over, and the resulting list of
dispensed units, each of which can be unticked to sit it again (recomputed as the acquis change)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from ...rules import epreuves as moteur
from ...rules import inscriptions as regles
from ...rules.codes_epreuves import code_affiche, nom_epreuve
from ...rules.inscriptions import SaisieAcquis
from .acquis_blocs import Bloc, BlocNotes, BlocTitre, BlocVae, colonne, note_affichee
from .champs import STYLE_NOTE, montrer_contenu, paragraphe, section, vider
from .commun import Assistant, PageOnglet

INTRO = ("Si vous remplissez les conditions pour obtenir des reports de notes ou des dispenses sur certaines "
         "épreuves de votre spécialité, vous devez le déclarer ci-dessous.\nSinon veuillez cliquer sur le bouton "
         "« Suivant ».")
TEXTE_DISPENSES = ("Vous serez dispensé de passer les épreuves suivantes. Si vous souhaitez repasser une "
                   "épreuve, décochez les épreuves que vous souhaitez repasser.")
TEXTE_BENEFICES = ("Les notes suivantes seront conservées. Si vous souhaitez repasser une épreuve, décochez "
                   "les notes que vous ne souhaitez pas conserver.")
AUCUN = "Aucune dispense ni note conservée : toutes les épreuves de la spécialité seront présentées."
SANS_SPECIALITE = "Les dispenses s'afficheront une fois la catégorie et la spécialité choisies."


def unites(r: moteur.Resultat | None) -> list[tuple[str, str]]:
    """The graded units of the spécialité (grades are kept per unit, facultatives aside)."""
    if r is None:
        return []
    return [(x.code, f"{nom_epreuve(x.code, x.intitule, ' : ')} ({x.unite})") for x in r.lignes
            if x.unite and x.nature != "facultative" and x.groupe == 1]


class PageAcquis(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.ACQUIS)
        listes = assistant.listes
        self.corps.addWidget(paragraphe(INTRO))
        self.cases: dict[str, QCheckBox] = {}
        self.blocs_notes: dict[str, BlocNotes] = {}
        self.bloc_vae: BlocVae | None = None
        self.titres: list[BlocTitre] = []
        self.code_titres = ""
        for code, libelle, effet in listes.situations_acquis:
            case = QCheckBox(libelle)
            case.setAccessibleName(libelle)
            detail: QWidget
            if effet == "benefice":
                detail = self.blocs_notes[code] = BlocNotes(listes.academies)
                detail.change.connect(self._recalculer)
            elif code == "VAE":
                detail = self.bloc_vae = BlocVae(listes.academies)
                detail.change.connect(self._recalculer)
            else:
                self.code_titres = code
                self.titres = [BlocTitre(c, lib, depuis, listes.academies) for c, lib, depuis in listes.titres]
                for t in self.titres:
                    t.change.connect(self._recalculer)
                detail = colonne(self.titres)
            detail.setVisible(False)
            case.toggled.connect(detail.setVisible)
            case.toggled.connect(lambda _c: self._recalculer())
            self.cases[code] = case
            self.corps.addWidget(case)
            self.corps.addWidget(detail)
        self.corps.addWidget(section("Dispenses et notes conservées"))
        self.zone = QWidget()
        self.zone.setAccessibleName("Dispenses et notes conservées")
        self.zone_box = QVBoxLayout(self.zone)
        self.zone_box.setContentsMargins(0, 0, 0, 0)
        self.zone_box.setSpacing(3)
        self.corps.addWidget(self.zone)
        self.corps.addStretch(1)
        self.refus_dispenses: set[str] = set()
        self.refus_benefices: set[str] = set()
        self._possibles: tuple[set[str], set[str]] | None = None   # as last shown
        self._affiche: object = None
        self._porteurs: list[Bloc] = []
        self._charge = False

    # --- saisie -----------------------------------------------------------------------------
    def charger(self, s: regles.SaisieCandidature) -> None:
        self._charge = True
        try:
            # Loading again (a reload after a concurrent change) must not leave older acquis ticked.
            for case in [*self.cases.values(), *(t.case for t in self.titres)]:
                case.setChecked(False)
            titres = {t.code: t for t in self.titres}
            for a in s.acquis:
                if a.code in self.blocs_notes:
                    self.cases[a.code].setChecked(True)
                    self.blocs_notes[a.code].charger(a)
                elif a.code == "VAE" and self.bloc_vae is not None:
                    self.cases["VAE"].setChecked(True)
                    self.bloc_vae.charger(a)
                elif a.code in titres:
                    self.cases[self.code_titres].setChecked(True)
                    titres[a.code].charger(a)
            self.refus_dispenses = set(s.choix.dispenses_refusees)
            self.refus_benefices = set(s.choix.benefices_refuses)
        finally:
            self._charge = False

    def _lire(self) -> tuple[list[SaisieAcquis], list[Bloc]]:
        acquis: list[SaisieAcquis] = []
        porteurs: list[Bloc] = []
        for code, case in self.cases.items():
            if not case.isChecked():
                continue
            if code in self.blocs_notes:
                acquis.append(self.blocs_notes[code].lire(code))
                porteurs.append(self.blocs_notes[code])
            elif code == "VAE" and self.bloc_vae is not None:
                acquis.append(self.bloc_vae.lire(code))
                porteurs.append(self.bloc_vae)
            elif code == self.code_titres:
                for t in self.titres:
                    if t.case.isChecked():
                        acquis.append(t.lire())
                        porteurs.append(t.detail)
        return acquis, porteurs

    def collecter(self, s: regles.SaisieCandidature) -> None:
        s.acquis, self._porteurs = self._lire()
        dispenses, benefices = self.refus_dispenses, self.refus_benefices
        if self._possibles is not None:   # a refusal only stands for a unit still dispensed
            dispenses = dispenses & self._possibles[0]
            benefices = benefices & self._possibles[1]
        s.choix = replace(s.choix, dispenses_refusees=frozenset(dispenses), benefices_refuses=frozenset(benefices))

    # --- live recomputation -----------------------------------------------------------------
    def actualiser(self) -> None:
        r = self.assistant.calculer()
        u = unites(r)
        for bloc in self.blocs_notes.values():
            bloc.definir_unites(u)
        if self.bloc_vae is not None:
            self.bloc_vae.definir_unites(u)
        self._montrer(r)

    def _recalculer(self) -> None:
        if self._charge:
            return
        self._montrer(self.assistant.calculer())

    def _montrer(self, r: moteur.Resultat | None) -> None:
        if r is None:
            cle: object = None
        else:
            cle = (tuple(r.dispenses_possibles.items()), tuple(r.benefices_possibles.items()))
        if cle == self._affiche and self.zone_box.count():
            return
        self._affiche = cle
        vider(self.zone_box)
        if r is None:
            self.zone_box.addWidget(paragraphe(SANS_SPECIALITE, STYLE_NOTE))
            montrer_contenu(self.zone_box)
            return
        self._possibles = (set(r.dispenses_possibles), set(r.benefices_possibles))
        lignes = r.par_code()
        ordre = [x.code for x in r.lignes]

        def libelle(code: str) -> str:
            x = lignes.get(code)
            return nom_epreuve(code, x.intitule, " : ") if x else code_affiche(code)

        if r.dispenses_possibles:
            self.zone_box.addWidget(paragraphe(TEXTE_DISPENSES))
            for code in sorted(r.dispenses_possibles, key=ordre.index):
                self.zone_box.addWidget(self._case(libelle(code), code, self.refus_dispenses,
                                                   f"Dispense au titre de : {r.dispenses_possibles[code]}"))
        if r.benefices_possibles:
            self.zone_box.addWidget(paragraphe(TEXTE_BENEFICES))
            for code in sorted(r.benefices_possibles, key=ordre.index):
                note, annee = r.benefices_possibles[code]
                self.zone_box.addWidget(self._case(f"{libelle(code)} : {note_affichee(note)}/20 ({annee})", code,
                                                   self.refus_benefices, "Note conservée"))
        if not r.dispenses_possibles and not r.benefices_possibles:
            self.zone_box.addWidget(paragraphe(AUCUN, STYLE_NOTE))
        montrer_contenu(self.zone_box)
        self.ordonner_tabulation()

    def _case(self, texte: str, code: str, refus: set[str], info: str) -> QCheckBox:
        case = QCheckBox(texte)
        case.setAccessibleName(texte)
        case.setToolTip(info)
        case.setChecked(code not in refus)

        def bascule(coche: bool) -> None:
            if coche:
                refus.discard(code)
            else:
                refus.add(code)

        case.toggled.connect(bascule)
        return case

    # --- errors -----------------------------------------------------------------------------
    def erreurs_propres(self, erreurs: dict[str, str]) -> list[str]:
        par_bloc: dict[int, dict[str, str]] = {}
        orphelins: list[str] = []
        for cle, message in erreurs.items():
            morceaux = cle.split(".")
            if len(morceaux) == 3 and morceaux[0] == "acquis" and morceaux[1].isdigit() \
                    and int(morceaux[1]) < len(self._porteurs):
                par_bloc.setdefault(int(morceaux[1]), {})[morceaux[2]] = message
            else:
                orphelins.append(message)
        blocs: list[Bloc] = [*self.blocs_notes.values(), *(t.detail for t in self.titres)]
        if self.bloc_vae is not None:
            blocs.append(self.bloc_vae)
        for bloc in blocs:
            bloc.afficher_erreurs({})
        for i, part in par_bloc.items():
            orphelins.extend(self._porteurs[i].afficher_erreurs(part))
        return orphelins
