"""What the documents print: plain values prepared by the services, no database, no Qt.

The renderers (reportlab) take these and return PDF bytes, so a document can be rebuilt, tested
by its text and produced in batches by several processes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class EnTeteBureau:
    """The office's block printed on every document (docs/domaine/documents.md#entete)."""

    lignes: tuple[str, ...]          # "RECTORAT …", "DIVISION DES EXAMENS ET CONCOURS", address lines, "13621 AIX…"
    telephone: str = ""
    email: str = ""
    academie: str = ""               # "Académie d'Aix-Marseille"


@dataclass(frozen=True)
class LigneEpreuveImprimee:
    code: str                        # "E1-A"
    intitule: str                    # "Mathématiques"
    unite: str | None                # "U11"
    niveau: int                      # 0 for a top-level épreuve, 1 for E1-A, 2 for EC1BA…
    position: str                    # "Inscrit", "Dispense", "Bénéfice", "Non inscrit"
    mode: str | None                 # "Ponctuel", "Contrôle en cours de formation" or None (blank)
    detail: str | None = None        # the facultative's language or destination: "Anglais", "Lettonie"
    note: str | None = None          # a grade carried over: "12,5/20 (2023)"


@dataclass(frozen=True)
class AcquisImprime:
    titre: str                       # "BTS DUT DEUG LICENCE"
    specialite: str                  # "Toutes spécialités (00002)"
    annee: int | None = None
    academie: str | None = None
    type_droit: str = ""             # "Epreuves dispensées dans la spécialité présentée"


@dataclass(frozen=True)
class DonneesRecapitulatif:
    """Everything the « Récapitulatif de votre candidature » prints, in its order
    (docs/domaine/documents.md#recapitulatif)."""

    domaine: str                     # "BACCALAURÉAT PROFESSIONNEL"
    version: int
    version_le: datetime             # aware; printed in Paris time "1 du 11/12/2023 à 16:06"
    numero_candidat: str
    numero_inscription: str          # "005"
    session: str                     # "2025"
    bureau: EnTeteBureau
    civilite: str                    # "MADAME" / "MONSIEUR"
    nom: str                         # "NGMB-DUPONT"
    prenoms: str                     # "Ngmb-Jeanne"
    adresse: tuple[str, ...]         # ("reu", "97300 CAYENNE") (+ country when not France)
    nom_usage: str | None
    nationalite: str                 # "Française"
    date_naissance: date
    lieu_naissance: str              # "BUGARACH - 011"
    telephone_mobile: str | None     # already formatted "01 23 45 67 89"
    telephone_fixe: str | None
    email: str
    vae: bool
    ine: str | None
    etablissement: str | None        # "CFA CEVEDOM CAYENNE - CAYENNE CEDEX 2 (9730538X)"
    categorie: str                   # "SCOLAIRE BACPRO 1 AN (133)"
    handicap: bool
    cloture: datetime                # aware; "mercredi 13 décembre 2023 à 23:59" (Paris)
    specialite: str                  # "Aéronautique option Systèmes (25303)"
    forme_passage: str               # "Globale"
    forme_finale: str | None         # printed only when a dérogation changed it
    section_langue: str | None       # printed when not "Pas de section européenne"
    acquis: tuple[AcquisImprime, ...]
    epreuves_obligatoires: tuple[LigneEpreuveImprimee, ...]
    epreuves_facultatives: tuple[LigneEpreuveImprimee, ...]
    consentement_presse: bool
    consentement_collectivites: bool
    mineur: bool                     # minor on the day of printing: the legal representative signs too
    brouillon: bool = False          # not saved yet (Visualiser/imprimer before Enregistrer)
    amenagement_duree: bool = False
    derogation: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PieceImprimee:
    code: str                        # "IDENTITE"
    libelle: str                     # "Document justifiant l'identité"
    statut: str = ""                 # "Non conforme", "En attente d'une nouvelle PJ"… (relance only)
    commentaire: str | None = None   # the gestionnaire's reason (relance only)


@dataclass(frozen=True)
class GroupePiecesImprime:
    titre: str                       # "A déposer en ligne entre le mardi 4 novembre 2024 et le …"
    en_ligne: bool
    pieces: tuple[PieceImprimee, ...]


@dataclass(frozen=True)
class DonneesPieces:
    """« Demande de pièces justificatives » and « Relance de pièces justificatives »
    (docs/domaine/documents.md#demande-pieces)."""

    relance: bool                    # False: demande; True: relance (only the pieces still missing)
    domaine: str                     # "BACCALAURÉAT PROFESSIONNEL"
    specialite: str                  # "Aéronautique option Systèmes (25303)"
    version: int
    version_le: datetime
    numero_candidat: str
    numero_inscription: str
    session: str
    bureau: EnTeteBureau
    civilite: str
    nom: str
    prenoms: str
    adresse: tuple[str, ...]
    groupes: tuple[GroupePiecesImprime, ...]
    adresse_retour: tuple[str, ...]  # the office's postal address for pieces sent by post
    formats: str                     # "PDF, JPEG ou PNG, 5 Mo au maximum par fichier"
