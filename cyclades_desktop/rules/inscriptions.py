"""The registration form's input (seed 004 §3, DOMAIN.md §4): what each tab holds and the checks
that need nothing but the typed values. Checks against the référentiel live in the services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .comptes import MESSAGE_OBLIGATOIRE, PAYS_FRANCE
from .epreuves import Choix
from .texte import espaces_normalises

# The nine tabs, in the seed's order and with its names.
ONGLETS = (
    "Modalités d'inscription",
    "Identification",
    "Informations candidature",
    "Qualification présentée",
    "Acquis",
    "Épreuves",
    "Récapitulatif",
    "Conditions d'inscription",
    "N° Inscription",
)
MODALITES, IDENTIFICATION, INFORMATIONS, QUALIFICATION, ACQUIS, EPREUVES, RECAPITULATIF, CONDITIONS, \
    NUMERO = range(9)

SECTIONS_LANGUE = {
    "AUCUNE": "Pas de section européenne",
    "SE_ANGLAIS": "Section européenne anglais",
    "SE_ALLEMAND": "Section européenne allemand",
    "SE_ESPAGNOL": "Section européenne espagnol",
    "SE_ITALIEN": "Section européenne italien",
}
FORMES = {"globale": "Globale", "progressive": "Progressive"}
CONDITIONS_ACCES = {
    "preparation": "Préparation complète au diplôme (voie scolaire, apprentissage, enseignement à distance "
                   "ou formation continue)",
    "experience": "Au moins 3 ans d'expérience professionnelle dans un domaine en rapport avec le diplôme",
}
# Where an acquis was obtained (seed 004 §3: « Année : 2022 Académie : AIX-MARSEILLE »).
ACADEMIES = (
    "Aix-Marseille", "Amiens", "Besançon", "Bordeaux", "Clermont-Ferrand", "Corse", "Créteil", "Dijon",
    "Grenoble", "Guadeloupe", "Guyane", "La Réunion", "Lille", "Limoges", "Lyon", "Martinique", "Mayotte",
    "Montpellier", "Nancy-Metz", "Nantes", "Nice", "Normandie", "Orléans-Tours", "Paris", "Poitiers",
    "Reims", "Rennes", "Strasbourg", "Toulouse", "Versailles", "Nouvelle-Calédonie", "Polynésie française",
    "Saint-Pierre-et-Miquelon", "Wallis-et-Futuna", "Étranger",
)
MESSAGE_OUI_NON = "Répondez « Oui » ou « Non »."

_TEL_FR = re.compile(r"^0[1-9]\d{8}$")
_TEL_INTER = re.compile(r"^\+[1-9]\d{7,14}$")
_CP_FR = re.compile(r"^\d{5}$")
_INE = re.compile(r"^[0-9A-Z]{10}[A-Z]$|^\d{9}[A-Z]{2}$")


@dataclass
class SaisieAcquis:
    code: str                                      # a TypeAcquis code (situation or titre)
    annee: int | None = None
    academie: str = ""
    notes: dict[str, float] = field(default_factory=dict)     # bénéfice: unit code → grade
    dispenses: list[str] = field(default_factory=list)        # VAE: units of the jury's decision


@dataclass
class SaisieCandidature:
    """Everything typed in the nine tabs. Nothing is stored before Enregistrer."""

    # 1 Modalités
    modalites_acceptees: bool = False
    # 2 Identification (identity comes from the account, greyed)
    adresse_pays: str = PAYS_FRANCE
    adresse_voie: str = ""
    adresse_complement1: str = ""
    adresse_complement2: str = ""
    adresse_complement3: str = ""
    code_postal: str = ""
    localite: str = ""
    commune_code: str | None = None
    nationalite: str = ""
    telephone_mobile: str = ""
    telephone_fixe: str = ""
    # 3 Informations candidature
    categorie_code: str = ""
    situation_code: str = ""
    amenagement_duree: bool | None = None
    etablissement_uai: str = ""
    classe: str = ""
    ine: str = ""
    handicap: bool | None = None
    consentement_presse: bool | None = None
    consentement_collectivites: bool | None = None
    condition_acces: str = ""                      # BCP individuel: preparation | experience
    # 4 Qualification présentée
    specialite_id: str = ""
    section_langue: str = "AUCUNE"
    forme_passage: str = "globale"
    derogation: bool = False
    forme_finale: str = "globale"
    # 5 Acquis, 6 Épreuves
    acquis: list[SaisieAcquis] = field(default_factory=list)
    choix: Choix = field(default_factory=Choix)
    # 8 Conditions
    conditions_acceptees: bool = False

    @property
    def forme_retenue(self) -> str:
        return self.forme_finale if self.derogation else self.forme_passage


def telephone_normalise(texte: str | None) -> str:
    """'06 23.45-67 89' -> '0623456789'; '+33 6 …' keeps its plus sign."""
    t = re.sub(r"[\s.\-()]", "", texte or "")
    return t


def verifier_telephone(texte: str | None) -> str | None:
    t = telephone_normalise(texte)
    if not t:
        return None
    if _TEL_FR.match(t) or _TEL_INTER.match(t):
        return None
    return ("Numéro invalide : 10 chiffres commençant par 0 (exemple : 0623456789) ou format "
            "international commençant par + (exemple : +33623456789).")


def telephone_affiche(texte: str | None) -> str:
    """'0123456789' -> '01 23 45 67 89' as printed on the récapitulatif."""
    t = telephone_normalise(texte)
    if _TEL_FR.match(t):
        return " ".join(t[i:i + 2] for i in range(0, 10, 2))
    return t


def verifier_identification(s: SaisieCandidature) -> dict[str, str]:
    e: dict[str, str] = {}
    if not espaces_normalises(s.adresse_voie):
        e["adresse_voie"] = MESSAGE_OBLIGATOIRE
    if not s.adresse_pays:
        e["adresse_pays"] = MESSAGE_OBLIGATOIRE
    cp = (s.code_postal or "").strip()
    if s.adresse_pays == PAYS_FRANCE:
        if not cp:
            e["code_postal"] = MESSAGE_OBLIGATOIRE
        elif not _CP_FR.match(cp):
            e["code_postal"] = "Le code postal comporte 5 chiffres (exemple : 29100)."
    if not espaces_normalises(s.localite):
        e["localite"] = MESSAGE_OBLIGATOIRE
    if not s.nationalite:
        e["nationalite"] = "Sélectionnez une nationalité."
    for cle in ("telephone_mobile", "telephone_fixe"):
        msg = verifier_telephone(getattr(s, cle))
        if msg:
            e[cle] = msg
    if not telephone_normalise(s.telephone_mobile) and not telephone_normalise(s.telephone_fixe) \
            and "telephone_mobile" not in e:
        e["telephone_mobile"] = "Indiquez au moins un numéro de téléphone."
    return e


def verifier_informations(s: SaisieCandidature) -> dict[str, str]:
    e: dict[str, str] = {}
    if not s.categorie_code:
        e["categorie_code"] = "Sélectionnez une catégorie de candidat."
    if not s.situation_code:
        e["situation_code"] = "Sélectionnez votre situation à l'inscription."
    if not s.etablissement_uai:
        e["etablissement_uai"] = "Sélectionnez un établissement."
    for cle in ("amenagement_duree", "handicap", "consentement_presse", "consentement_collectivites"):
        if getattr(s, cle) is None:
            e[cle] = MESSAGE_OUI_NON
    ine = (s.ine or "").strip().upper()
    if ine and not _INE.match(ine):
        e["ine"] = "L'INE comporte 11 caractères (exemple : 088553495DY)."
    return e


def verifier_qualification(s: SaisieCandidature) -> dict[str, str]:
    e: dict[str, str] = {}
    if not s.specialite_id:
        e["specialite_id"] = "Sélectionnez la spécialité présentée."
    if s.section_langue not in SECTIONS_LANGUE:
        e["section_langue"] = "Sélectionnez une section de langue."
    if s.forme_passage not in FORMES:
        e["forme_passage"] = "Sélectionnez la forme de passage."
    if s.derogation and s.forme_finale not in FORMES:
        e["forme_finale"] = "Sélectionnez la forme de passage finale."
    return e
