"""Registrations (docs/domaine/inscriptions.md, documents.md): the states of a candidature and the documents
published for it, with their French names; the registration form's input, what each tab holds and
the checks that need nothing but the typed values. Checks against the référentiel live in the services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .comptes import MESSAGE_OBLIGATOIRE, PAYS_FRANCE
from .epreuves import Choix
from .temps import dans_le_delai, format_date_texte
from .texte import erreurs_caracteres, espaces_normalises


class EtatCandidature(StrEnum):
    """Stored in ``candidature.etat``. Only an active candidature holds its place: one per account,
    session and spécialité (the table's partial unique index spells the active ones out in SQL)."""

    A_COMPLETER = "a_completer"
    INSCRIT = "inscrit"
    DESINSCRIT = "desinscrit"
    ECARTEE = "ecartee"
    ANNULEE = "annulee"
    SUPPRIMEE = "supprimee"

    @property
    def libelle(self) -> str:
        return LIBELLES_ETATS[self]


ETATS_ACTIFS = (EtatCandidature.A_COMPLETER, EtatCandidature.INSCRIT)
# Keyed by the enum, read with the stored string too (a StrEnum member hashes as its value).
LIBELLES_ETATS: dict[str, str] = {
    EtatCandidature.A_COMPLETER: "À compléter",
    EtatCandidature.INSCRIT: "Inscrit",
    EtatCandidature.DESINSCRIT: "Désinscrit par le candidat",
    EtatCandidature.ECARTEE: "Écartée",
    EtatCandidature.ANNULEE: "Annulée",
    EtatCandidature.SUPPRIMEE: "Supprimée par le gestionnaire",
}


class TypeDocument(StrEnum):
    """Stored in ``document.type``: the documents published for a candidature, each one versioned."""

    RECAPITULATIF = "recapitulatif"
    DEMANDE_PIECES = "demande_pieces"
    RELANCE_PIECES = "relance_pieces"
    NOTIFICATION_AMENAGEMENTS = "notification_amenagements"
    CONVOCATION = "convocation"
    RELEVE_NOTES = "releve_notes"

    @property
    def libelle(self) -> str:
        """The title the candidate reads in « Mes documents »."""
        return TITRES_DOCUMENTS[self]


# In the order « Mes documents » lists them.
TITRES_DOCUMENTS: dict[str, str] = {
    TypeDocument.RECAPITULATIF: "Récapitulatif de votre candidature",
    TypeDocument.DEMANDE_PIECES: "Demande pièces justificatives",
    TypeDocument.RELANCE_PIECES: "Relance de pièces justificatives",
    TypeDocument.NOTIFICATION_AMENAGEMENTS: "Notification de mesures d'aménagements",
    TypeDocument.CONVOCATION: "Convocation aux épreuves",
    TypeDocument.RELEVE_NOTES: "Relevé de notes",
}


def periode_ouverte(ouverture: datetime, cloture: datetime, maintenant: datetime) -> bool:
    """Registrations are open from the opening instant through the whole minute of the closing one
    (« … 23:59 » is still open at 23:59:30), by the deadline rule of rules/temps.py."""
    return ouverture <= maintenant and dans_le_delai(maintenant, cloture)


def texte_periode(ouverture: datetime, cloture: datetime) -> str:
    return (f"Les inscriptions sont ouvertes du {format_date_texte(ouverture)} au {format_date_texte(cloture)} "
            "(heure de Paris).")


# The nine tabs, in the CYCLADES portal's order and with its names
# (docs/domaine/inscriptions.md#formulaire).
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

# Which tab shows each field's message (the wizard goes back to the first tab with an error).
ONGLET_DES_CHAMPS = {
    "modalites_acceptees": MODALITES,
    **{c: IDENTIFICATION for c in (
        "adresse_pays", "adresse_voie", "adresse_complement1", "adresse_complement2", "adresse_complement3",
        "code_postal", "localite", "nationalite", "telephone_mobile", "telephone_fixe")},
    **{c: INFORMATIONS for c in (
        "categorie_code", "situation_code", "amenagement_duree", "etablissement_uai", "classe", "ine",
        "handicap", "consentement_presse", "consentement_collectivites", "condition_acces")},
    **{c: QUALIFICATION for c in (
        "specialite_id", "section_langue", "forme_passage", "derogation", "forme_finale")},
    "conditions_acceptees": CONDITIONS,
}


def onglet_du_champ(cle: str) -> int:
    if cle.startswith("acquis"):
        return ACQUIS
    if cle in ONGLET_DES_CHAMPS:
        return ONGLET_DES_CHAMPS[cle]
    return EPREUVES


def departement_du_code_postal(cp: str) -> str:
    cp = (cp or "").strip()
    if cp.startswith("97") or cp.startswith("98"):
        return cp[:3]
    if cp.startswith("20"):
        return "2A" if cp < "20200" else "2B"
    return cp[:2]

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
# Where an acquis was obtained: the Acquis tab asks « Année : 2022 Académie : AIX-MARSEILLE ».
ACADEMIES = (
    "Aix-Marseille", "Amiens", "Besançon", "Bordeaux", "Clermont-Ferrand", "Corse", "Créteil", "Dijon",
    "Grenoble", "Guadeloupe", "Guyane", "La Réunion", "Lille", "Limoges", "Lyon", "Martinique", "Mayotte",
    "Montpellier", "Nancy-Metz", "Nantes", "Nice", "Normandie", "Orléans-Tours", "Paris", "Poitiers",
    "Reims", "Rennes", "Strasbourg", "Toulouse", "Versailles", "Nouvelle-Calédonie", "Polynésie française",
    "Saint-Pierre-et-Miquelon", "Wallis-et-Futuna", "Étranger",
)
MESSAGE_OUI_NON = "Répondez « Oui » ou « Non »."

# ASCII digits only (re.ASCII: « \d » would take « ０１２ » or « ٠١٢ »), matched whole with fullmatch.
_TEL_FR = re.compile(r"0[1-9]\d{8}", re.ASCII)
_TEL_INTER = re.compile(r"\+[1-9]\d{7,14}", re.ASCII)
_CP_FR = re.compile(r"\d{5}", re.ASCII)
_INE = re.compile(r"[0-9A-Z]{10}[A-Z]|\d{9}[A-Z]{2}", re.ASCII)
# The typed text fields of each tab, checked for refused characters (rules/texte.py).
_TEXTES_IDENTIFICATION = ("adresse_pays", "adresse_voie", "adresse_complement1", "adresse_complement2",
                          "adresse_complement3", "code_postal", "localite", "nationalite",
                          "telephone_mobile", "telephone_fixe")
_TEXTES_INFORMATIONS = ("categorie_code", "situation_code", "etablissement_uai", "classe", "ine",
                        "condition_acces")
_TEXTES_QUALIFICATION = ("specialite_id", "section_langue", "forme_passage", "forme_finale")
# The stored columns' lengths: PostgreSQL refuses a longer value with a raw error.
_LONGUEURS = {"adresse_voie": 120, "adresse_complement1": 120, "adresse_complement2": 120,
              "adresse_complement3": 120, "localite": 120, "classe": 40}


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
    if _TEL_FR.fullmatch(t) or _TEL_INTER.fullmatch(t):
        return None
    return ("Numéro invalide : 10 chiffres commençant par 0 (exemple : 0623456789) ou format "
            "international commençant par + (exemple : +33623456789).")


def telephone_affiche(texte: str | None) -> str:
    """'0123456789' -> '01 23 45 67 89' as printed on the récapitulatif."""
    t = telephone_normalise(texte)
    if _TEL_FR.fullmatch(t):
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
        elif not _CP_FR.fullmatch(cp):
            e["code_postal"] = "Le code postal comporte 5 chiffres (exemple : 29100)."
    elif len(cp) > 10:
        e["code_postal"] = "10 caractères au maximum."
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
    e.update(_longueurs(s, _TEXTES_IDENTIFICATION))
    e.update(_caracteres(s, _TEXTES_IDENTIFICATION))
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
    if ine and not _INE.fullmatch(ine):
        e["ine"] = "L'INE comporte 11 caractères (exemple : 088553495DY)."
    e.update(_longueurs(s, _TEXTES_INFORMATIONS))
    e.update(_caracteres(s, _TEXTES_INFORMATIONS))
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
    e.update(_caracteres(s, _TEXTES_QUALIFICATION))
    return e


def _longueurs(s: SaisieCandidature, champs: tuple[str, ...]) -> dict[str, str]:
    return {c: f"{_LONGUEURS[c]} caractères au maximum." for c in champs
            if c in _LONGUEURS and len(espaces_normalises(getattr(s, c))) > _LONGUEURS[c]}


def _caracteres(s: SaisieCandidature, champs: tuple[str, ...]) -> dict[str, str]:
    valeurs: dict[str, object] = {c: getattr(s, c) for c in champs}
    if "localite" in valeurs:  # the commune's code comes with the town picked in « Localité »
        valeurs["localite"] = [s.localite, s.commune_code]
    return erreurs_caracteres(valeurs)


def caracteres_interdits(s: SaisieCandidature) -> dict[str, str]:
    """Every typed value of the nine tabs holding a refused character, keyed as the tabs' errors
    (acquis by row): checked before any value is looked up in the database."""
    e = _caracteres(s, _TEXTES_IDENTIFICATION + _TEXTES_INFORMATIONS + _TEXTES_QUALIFICATION)
    for i, a in enumerate(s.acquis):
        e.update({f"acquis.{i}.{k}": m for k, m in erreurs_caracteres(
            {"code": a.code, "academie": a.academie, "notes": a.notes, "dispenses": a.dispenses}).items()})
    c = s.choix
    if m := erreurs_caracteres({"choix": [*c.dispenses_refusees, *c.benefices_refuses, *c.non_inscrits,
                                          *c.facultatives.keys(), *c.facultatives.values(),
                                          *c.options.keys(), *c.options.values()]}):
        e.update(m)
    return e
