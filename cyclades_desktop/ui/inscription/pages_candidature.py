"""Tab 3 - Informations candidature (catégorie, situation, établissement, handicap, consents) and
tab 4 - Qualification présentée (spécialité, section de langue, forme de passage)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from ...rules import inscriptions as regles
from ...rules.errors import DomainError
from ...services import referentiel
from ..champs import ComboListe
from ..formulaire import Formulaire
from .champs import (
    OUI_NON,
    STYLE_NOTE,
    ChampRecherche,
    ChoixRadio,
    FormulaireLarge,
    Questions,
    paragraphe,
    poser_mnemoniques,
    section,
)
from .commun import Assistant, PageOnglet

INDICATION = "Sélectionnez une valeur"
HANDICAP = "Demande d'aménagement(s) d'épreuves au titre du handicap"
NOTE_HANDICAP = (
    "(1) Si vous pensez pouvoir bénéficier d'aménagements des conditions d'examen prévus par la "
    "réglementation pour les candidats présentant un handicap (code de l'éducation - articles D.351-27 à "
    "D.351-3), sélectionnez \"Oui\" et contactez au plus vite le service des examens de votre académie. Votre "
    "demande d'aménagements doit être faite avant la date de clôture des inscriptions à l'examen.")
PRESSE = ("J'accepte la communication de mes résultats d'examen, en vue d'une publication par la presse ou sur "
          "les sites internet de sociétés de droit privé")
COLLECTIVITES = ("J'accepte la communication de mes résultats, de mon nom et de mon adresse aux collectivités "
                 "territoriales en vue d'éventuelles félicitations")
CONDITION_ACCES = "Vous vous présentez au titre de"
LARGEUR_LIBELLES = 290


def combo(choix: Sequence[tuple[str, str]], indication: str = INDICATION) -> QComboBox:
    """A plain list of (code, libellé) with its « Sélectionnez… » placeholder, nothing chosen."""
    w = QComboBox()
    for code, libelle in choix:
        w.addItem(libelle, code)
    w.setPlaceholderText(indication)
    w.setCurrentIndex(-1)
    w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    w.setMinimumContentsLength(20)
    return w


def choisir(w: QComboBox, code: str) -> None:
    w.setCurrentIndex(w.findData(code) if code else -1)


def valeur(w: QComboBox) -> str:
    v = w.currentData()
    return "" if v is None else str(v)


def formulaire(*, au_dessus: bool = False) -> Formulaire:
    return Questions() if au_dessus else FormulaireLarge()


def aligner(formulaires: Sequence[Formulaire]) -> None:
    """Same label column in every section of a page."""
    for f in formulaires:
        if isinstance(f, Questions):
            continue
        for lab in f.libelles.values():
            lab.setMinimumWidth(LARGEUR_LIBELLES)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class PageInformations(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.INFORMATIONS)
        listes = assistant.listes
        f = self.f_type = formulaire()
        self.categorie = f.ajouter("categorie_code", "Catégorie du candidat", combo(listes.categories),
                                   obligatoire=True)
        self.situation = f.ajouter("situation_code", "Situation à l'inscription", combo(listes.situations),
                                   obligatoire=True)
        self.amenagement_duree = f.ajouter("amenagement_duree", "Aménagement de la durée de formation",
                                           ChoixRadio(OUI_NON), obligatoire=True)
        f = self.f_condition = formulaire(au_dessus=True)
        self.condition_acces = f.ajouter("condition_acces", CONDITION_ACCES,
                                         ChoixRadio(list(regles.CONDITIONS_ACCES.items()), vertical=True),
                                         obligatoire=True)
        f = self.f_etablissement = formulaire()
        self.etablissement = f.ajouter(
            "etablissement_uai", "Établissement", ChampRecherche(self._chercher, INDICATION), obligatoire=True,
            aide="Tapez une partie du nom, le code UAI ou la ville, puis choisissez dans la liste.")
        classe = QLineEdit()
        classe.setMaxLength(40)
        classe.setFixedWidth(220)
        self.classe = f.ajouter("classe", "Classe", classe)
        ine = QLineEdit()
        ine.setMaxLength(11)
        ine.setPlaceholderText("Exemple : 088553495DY")
        ine.setFixedWidth(220)
        self.ine = f.ajouter("ine", "Identifiant National (INE)", ine)
        f = self.f_handicap = formulaire(au_dessus=True)
        self.handicap = f.ajouter("handicap", HANDICAP, ChoixRadio(OUI_NON), obligatoire=True)
        f.libelles["handicap"].setText(f"{HANDICAP} (1) *")
        f = self.f_diffusion = formulaire(au_dessus=True)
        self.presse = f.ajouter("consentement_presse", PRESSE, ChoixRadio(OUI_NON), obligatoire=True)
        self.collectivites = f.ajouter("consentement_collectivites", COLLECTIVITES, ChoixRadio(OUI_NON),
                                       obligatoire=True)
        self.formulaires = [self.f_type, self.f_condition, self.f_etablissement, self.f_handicap,
                            self.f_diffusion]
        aligner(self.formulaires)
        poser_mnemoniques(self.formulaires)

        for titre, contenu in (("Type de candidature", (self.f_type, self.f_condition)),
                               ("Établissement du candidat", (self.f_etablissement,)),
                               ("Aménagement d'épreuve demandé au titre du handicap", (self.f_handicap,)),
                               ("Diffusion des résultats", (self.f_diffusion,))):
            self.corps.addWidget(section(titre))
            for w in contenu:
                self.corps.addWidget(w)
        self.corps.addWidget(paragraphe(NOTE_HANDICAP, STYLE_NOTE, nom="Note (1)"))
        self.corps.addStretch(1)
        self.categorie.currentIndexChanged.connect(self._categorie_change)
        self._categorie_change()

    def _chercher(self, texte: str) -> list[tuple[str, str]]:
        try:
            return [(e.uai, self.libelle_etablissement(e.uai, e.nom, e.ville))
                    for e in referentiel.rechercher_etablissements(self.assistant.ctx, texte)]
        except DomainError:
            return []

    @staticmethod
    def libelle_etablissement(uai: str, nom: str, ville: str | None) -> str:
        return f"{nom} - {ville} ({uai})" if ville else f"{nom} ({uai})"

    def individuel(self) -> bool:
        return (self.assistant.demarrage.domaine_code == "BCP"
                and valeur(self.categorie) in self.assistant.listes.individuels)

    def _categorie_change(self, *_: object) -> None:
        self.f_condition.setVisible(self.individuel())

    def charger(self, s: regles.SaisieCandidature) -> None:
        choisir(self.categorie, s.categorie_code)
        choisir(self.situation, s.situation_code)
        self.amenagement_duree.definir(s.amenagement_duree)
        self.condition_acces.definir(s.condition_acces or None)
        if s.etablissement_uai:
            trouves = [e for e in referentiel.rechercher_etablissements(self.assistant.ctx, s.etablissement_uai)
                       if e.uai == s.etablissement_uai]
            libelle = (self.libelle_etablissement(trouves[0].uai, trouves[0].nom, trouves[0].ville) if trouves
                       else s.etablissement_uai)
            self.etablissement.afficher(s.etablissement_uai, libelle)
        self.classe.setText(s.classe)
        self.ine.setText(s.ine)
        self.handicap.definir(s.handicap)
        self.presse.definir(s.consentement_presse)
        self.collectivites.definir(s.consentement_collectivites)

    def collecter(self, s: regles.SaisieCandidature) -> None:
        s.categorie_code = valeur(self.categorie)
        s.situation_code = valeur(self.situation)
        s.amenagement_duree = self.amenagement_duree.valeur()  # type: ignore[assignment]
        s.condition_acces = str(self.condition_acces.valeur() or "") if self.individuel() else ""
        s.etablissement_uai = self.etablissement.code
        s.classe = self.classe.text()
        s.ine = self.ine.text()
        s.handicap = self.handicap.valeur()  # type: ignore[assignment]
        s.consentement_presse = self.presse.valeur()  # type: ignore[assignment]
        s.consentement_collectivites = self.collectivites.valeur()  # type: ignore[assignment]

    def libelle_categorie(self) -> str:
        return self.categorie.currentText() if self.categorie.currentIndex() >= 0 else ""


class PageQualification(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.QUALIFICATION)
        f = self.f_specialite = formulaire()
        self.specialite = ComboListe([(libelle, code) for code, libelle in assistant.listes.specialites],
                                     INDICATION)
        self.specialite.setMinimumContentsLength(40)
        f.ajouter("specialite_id", "Spécialité", self.specialite, obligatoire=True,
                  aide="Tapez une partie de l'intitulé ou du code, ou ouvrez la liste.")
        f = self.f_enseignements = formulaire()
        self.section_langue = f.ajouter("section_langue", "Section de langue",
                                        combo([(k, v) for k, v in regles.SECTIONS_LANGUE.items()]))
        f = self.f_forme = formulaire()
        formes = list(regles.FORMES.items())
        self.forme = f.ajouter("forme_passage", "Forme de passage", combo(formes), obligatoire=True)
        self.derogation = f.ajouter("derogation", "Dérogation à la forme de passage", ChoixRadio(OUI_NON))
        self.forme_finale = f.ajouter("forme_finale", "Forme de passage finale", combo(formes),
                                      aide="Seulement en cas de dérogation.")
        self.formulaires = [self.f_specialite, self.f_enseignements, self.f_forme]
        aligner(self.formulaires)
        poser_mnemoniques(self.formulaires)

        self.corps.addWidget(section("Qualification présentée"))
        self.corps.addWidget(self.f_specialite)
        self.corps.addWidget(section("Enseignements"))
        self.corps.addWidget(paragraphe("Quels enseignements spécifiques valorisez-vous ?"))
        self.corps.addWidget(self.f_enseignements)
        self.corps.addWidget(section("Forme de passage"))
        self.corps.addWidget(self.f_forme)
        self.corps.addStretch(1)
        self.derogation.valeur_changee.connect(self._derogation_change)
        self.forme.currentIndexChanged.connect(self._derogation_change)

    def _derogation_change(self, *_: object) -> None:
        derogation = self.derogation.valeur() is True
        self.forme_finale.setEnabled(derogation)
        if not derogation:   # without a dérogation the final form is the form chosen
            self.forme_finale.setCurrentIndex(self.forme.currentIndex())

    def charger(self, s: regles.SaisieCandidature) -> None:
        if s.specialite_id:
            self.specialite.choisir(s.specialite_id)
        choisir(self.section_langue, s.section_langue)
        choisir(self.forme, s.forme_passage)
        self.derogation.definir(s.derogation)
        choisir(self.forme_finale, s.forme_finale)
        self._derogation_change()

    def collecter(self, s: regles.SaisieCandidature) -> None:
        s.specialite_id = self.specialite.valeur()
        s.section_langue = valeur(self.section_langue)
        s.forme_passage = valeur(self.forme)
        s.derogation = self.derogation.valeur() is True
        s.forme_finale = valeur(self.forme_finale) if s.derogation else s.forme_passage

    def libelle_specialite(self) -> str:
        code = self.specialite.valeur()
        return next((lib for c, lib in self.assistant.listes.specialites if c == code), "")
