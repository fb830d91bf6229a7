"""Letters from the office's DOCX templates (docs/domaine/documents.md#courriers, forms/README.md): the
templates shipped in ``resources/modeles`` are copied once into the office's folder
(``paths.modeles_dir()``), which the office edits in Word; every letter is filled from the office's
copy as it is at that moment.

Each letter produced is audited (which template, which candidature). A template with unknown or broken
placeholders produces nothing and says which ones."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from ... import paths
from ...documents import docx_modeles
from ...documents.docx_modeles import Champs, Probleme
from ...models import Bureau, Candidature, CompteCandidat, Domaine
from ...rules.errors import DomainError, NotFound
from ...rules.inscriptions import LIBELLES_ETATS
from ...rules.temps import MOIS, format_date, paris
from ..comptes import examen_phrase
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from ..publications import documents as publications

EXTENSION = ".docx"

# The templates shipped with the program, with the title shown to the office.
MODELES_LIVRES: dict[str, str] = {
    "attestation_inscription.docx": "Attestation d'inscription",
    "courrier_relance.docx": "Relance de pièces justificatives",
}

# Certify a registration: refused for a candidature that is no longer active.
ATTESTATIONS = frozenset({"attestation_inscription.docx"})

# The fields a template may use (documented in forms/README.md, checked by « Vérifier »).
CHAMPS: dict[str, str] = {
    "date_du_jour": "date du jour en toutes lettres : 23 novembre 2026",
    "lieu_et_date": "ville du bureau et date : Aix-en-Provence, le 23 novembre 2026",
    "civilite": "Madame ou Monsieur",
    "destinataire": "civilité, NOM et prénoms : Madame NGMB-DUPONT Ngmb-Jeanne",
    "nom": "nom de famille (majuscules)",
    "nom_usage": "nom d'usage (vide s'il n'y en a pas)",
    "prenoms": "prénoms",
    "adresse": "adresse postale du candidat, sur plusieurs lignes",
    "date_naissance": "date de naissance : 06/05/2005",
    "lieu_naissance": "commune (département ou pays) de naissance : BUGARACH - 011",
    "email": "adresse mail du candidat",
    "numero_candidat": "N° candidat (11 chiffres)",
    "numero_inscription": "N° d'inscription : 001",
    "date_inscription": "date d'enregistrement de l'inscription : 10/11/2024",
    "etat": "état de la candidature : Inscrit, À compléter…",
    "examen": "examen : Baccalauréat professionnel",
    "examen_majuscules": "examen en majuscules : BACCALAURÉAT PROFESSIONNEL",
    "examen_article": "examen précédé de son article : au baccalauréat professionnel, à la mention complémentaire",
    "specialite": "spécialité et son code : Aéronautique option Systèmes (25303)",
    "session": "session : 2025",
    "categorie": "catégorie de candidat : SCOLAIRE BACPRO 1 AN (133)",
    "etablissement": "établissement de formation et son UAI",
    "classe": "classe (candidats inscrits par un établissement)",
    "forme_passage": "forme de passage : Globale, Progressive",
    "nombre_pieces": "nombre de pièces manquantes ou refusées",
    "bureau_academie": "académie : Académie d'Aix-Marseille",
    "bureau_service": "service : Division des examens et concours",
    "bureau_nom": "bureau : DIEC 3.05 — Bureau des examens professionnels",
    "bureau_adresse": "adresse postale du bureau, sur plusieurs lignes",
    "bureau_ville": "ville du bureau, sans « Cedex » : Aix-en-Provence",
    "bureau_telephone": "téléphone du bureau",
    "bureau_email": "adresse mail du bureau",
    "bureau_site": "site internet de l'académie",
    "agent": "prénom et nom de l'agent qui édite le courrier",
}
CHAMPS_PIECE: dict[str, str] = {
    "libelle": "intitulé de la pièce : Document justifiant l'identité",
    "statut": "situation : Non fournie, Non conforme, En attente d'une nouvelle PJ",
    "motif": "motif donné par le gestionnaire (vide sinon)",
    "modalite": "comment et quand la déposer : A déposer en ligne entre le … et le …",
}
CHAMPS_AUTORISES = Champs(frozenset(CHAMPS), {"piece": frozenset(CHAMPS_PIECE)})
CIVILITES = {"F": "Madame", "M": "Monsieur"}
_NOM_FICHIER = re.compile(r"^[\w .'()-]+\.docx$", re.UNICODE)


@dataclass(frozen=True)
class ModeleCourrier:
    fichier: str            # "courrier_relance.docx"
    titre: str              # "Relance de pièces justificatives"
    chemin: Path            # the office's copy
    livre: bool             # shipped with the program (can be restored)
    modifie: bool           # the office's copy differs from the shipped one


@dataclass(frozen=True)
class Courrier:
    modele: str
    titre: str
    nom_fichier: str        # proposed name: "courrier_relance-01000000016-001.docx"
    contenu: bytes


# --- the office's folder ------------------------------------------------------------------------------

def initialiser_modeles() -> Path:
    """Copy the shipped templates the office does not have yet (never overwrite its own)."""
    dossier = paths.modeles_dir()
    for fichier in MODELES_LIVRES:
        cible = dossier / fichier
        source = paths.modeles_livres_dir() / fichier
        if not cible.exists() and source.exists():
            shutil.copyfile(source, cible)
    return dossier


def _titre(fichier: str) -> str:
    return MODELES_LIVRES.get(fichier) or Path(fichier).stem.replace("_", " ").capitalize()


def _chemin(fichier: str) -> Path:
    if not _NOM_FICHIER.match(fichier) or "/" in fichier or "\\" in fichier or fichier.startswith("~$"):
        raise NotFound(f"Le modèle « {fichier} » n'existe pas.")
    chemin = initialiser_modeles() / fichier
    if not chemin.exists():
        raise NotFound(f"Le modèle « {fichier} » n'existe plus dans le dossier des modèles ({chemin.parent}).")
    return chemin


def modeles(ctx: Contexte) -> list[ModeleCourrier]:
    """The shipped templates first, then any other .docx the office added to its folder."""
    exiger(ctx, P.COURRIERS_PRODUIRE)
    dossier = initialiser_modeles()
    # « ~$… » files are Word's lock files while a template is open.
    autres = sorted(p.name for p in dossier.glob(f"*{EXTENSION}")
                    if p.name not in MODELES_LIVRES and not p.name.startswith("~$"))
    out = []
    for fichier in [f for f in MODELES_LIVRES if (dossier / f).exists()] + autres:
        chemin = dossier / fichier
        livre = paths.modeles_livres_dir() / fichier
        out.append(ModeleCourrier(fichier, _titre(fichier), chemin, livre.exists(),
                                  livre.exists() and livre.read_bytes() != chemin.read_bytes()))
    return out


def _lire(chemin: Path) -> bytes:
    try:
        return chemin.read_bytes()
    except OSError as exc:
        raise DomainError(f"Le modèle « {chemin.name} » ne peut pas être lu ({exc.strerror or exc}) : "
                          "est-il ouvert dans Word ? Fermez-le puis recommencez.") from exc


def verifier_modele(ctx: Contexte, fichier: str) -> list[Probleme]:
    """The unknown fields and broken placeholders of the office's copy (empty: usable)."""
    exiger(ctx, P.COURRIERS_PRODUIRE)
    return docx_modeles.analyser(_lire(_chemin(fichier)), CHAMPS_AUTORISES, fichier)


def retablir_modele(ctx: Contexte, fichier: str) -> None:
    """Put back the shipped template over the office's copy (audited)."""
    exiger(ctx, P.MODELES_GERER)
    source = paths.modeles_livres_dir() / fichier
    if fichier not in MODELES_LIVRES or not source.exists():
        raise DomainError(f"« {fichier} » n'est pas un modèle livré avec le programme : il n'y a pas de modèle "
                          "d'origine à rétablir.")
    cible = initialiser_modeles() / fichier
    with ctx.transaction() as s:
        audit.enregistrer(s, ctx, "retablissement", "modele_courrier", fichier,
                          libelle=f"Modèle « {_titre(fichier)} » rétabli tel que livré")
        try:
            shutil.copyfile(source, cible)
        except OSError as exc:   # the audit row rolls back with the failed copy
            raise DomainError(f"Le modèle « {fichier} » n'a pas pu être rétabli ({exc.strerror or exc}) : "
                              "est-il ouvert dans Word ? Fermez-le puis recommencez.") from exc


# --- the fields of one candidature ----------------------------------------------------------------------

def ville_sans_cedex(ville: str) -> str:
    """« Aix-en-Provence Cedex 1 » → « Aix-en-Provence » (for « Aix-en-Provence, le … »)."""
    return re.sub(r"\s+cedex\b.*$", "", ville.strip(), flags=re.IGNORECASE)


def date_en_lettres(instant: datetime) -> str:
    p = paris(instant)
    jour = "1er" if p.day == 1 else str(p.day)
    return f"{jour} {MOIS[p.month - 1]} {p.year}"


def valeurs_candidature(s: Session, ctx: Contexte, c: Candidature, compte: CompteCandidat
                        ) -> tuple[dict[str, str], dict[str, list[dict[str, str]]]]:
    now = ctx.clock.now()
    bureau = s.get(Bureau, 1)
    domaine = s.get(Domaine, c.domaine_code)
    assert bureau is not None and domaine is not None
    recap = publications.donnees_recapitulatif(s, c, compte, version=c.version, version_le=now,
                                               aujourd_hui=paris(now).date())
    pieces = publications.donnees_pieces(s, c, compte, relance=True, version=0, version_le=now)
    lignes_pieces = [{"libelle": p.libelle, "statut": p.statut or "Non fournie", "motif": p.commentaire or "",
                      "modalite": g.titre} for g in pieces.groupes for p in g.pieces]
    civilite = CIVILITES.get(compte.sexe, "Madame, Monsieur")
    ville = ville_sans_cedex(bureau.ville)
    valeurs = {
        "date_du_jour": date_en_lettres(now),
        "lieu_et_date": f"{ville}, le {date_en_lettres(now)}",
        "civilite": civilite,
        "destinataire": f"{civilite} {compte.nom.upper()} {compte.prenoms}",
        "nom": compte.nom.upper(), "nom_usage": compte.nom_usage or "", "prenoms": compte.prenoms,
        "adresse": "\n".join(recap.adresse), "date_naissance": format_date(compte.date_naissance),
        "lieu_naissance": recap.lieu_naissance, "email": c.email or compte.email,
        "numero_candidat": compte.numero_candidat, "numero_inscription": c.numero_inscription,
        "date_inscription": format_date(c.inscrit_le or c.cree_le),
        "etat": LIBELLES_ETATS.get(c.etat, c.etat), "examen": domaine.libelle,
        "examen_majuscules": domaine.libelle_majuscules, "examen_article": examen_phrase(domaine.libelle),
        "specialite": recap.specialite,
        "session": recap.session, "categorie": recap.categorie, "etablissement": recap.etablissement or "",
        "classe": c.classe or "", "forme_passage": recap.forme_passage, "nombre_pieces": str(len(lignes_pieces)),
        "bureau_academie": bureau.academie, "bureau_service": bureau.nom_service, "bureau_nom": bureau.bureau,
        "bureau_adresse": "\n".join([x.strip() for x in bureau.adresse.splitlines() if x.strip()]
                                    + [f"{bureau.code_postal} {bureau.ville}".strip()]),
        "bureau_ville": ville, "bureau_telephone": bureau.telephone, "bureau_email": bureau.email,
        "bureau_site": bureau.site, "agent": ctx.agent.nom_affiche if ctx.agent else "",
    }
    return valeurs, {"piece": lignes_pieces}


def nom_propose(ctx: Contexte, candidature_id: int, fichier: str) -> str:
    """« courrier_relance-01000000016-001.docx »: the name offered by « Enregistrer sous… »."""
    exiger(ctx, P.COURRIERS_PRODUIRE)
    with ctx.lecture() as s:
        c = s.get(Candidature, candidature_id)
        compte = s.get(CompteCandidat, c.compte_id) if c is not None else None
        if c is None or compte is None:
            raise NotFound("Cette candidature n'existe plus.")
        return _nom(fichier, compte, c)


def _nom(fichier: str, compte: CompteCandidat, c: Candidature) -> str:
    return f"{Path(fichier).stem}-{compte.numero_candidat}-{c.numero_inscription}{EXTENSION}"


def produire(ctx: Contexte, candidature_id: int, fichier: str) -> Courrier:
    """The letter for one candidature from the office's current copy of ``fichier`` (audited).
    Unknown or broken placeholders: :class:`docx_modeles.ModeleInvalide`, nothing produced or audited."""
    exiger(ctx, P.COURRIERS_PRODUIRE)
    contenu_modele = _lire(_chemin(fichier))
    with ctx.transaction() as s:
        c = charger_ou_erreur(s, Candidature, candidature_id, "Cette candidature n'existe plus.")
        compte = s.get(CompteCandidat, c.compte_id)
        assert compte is not None
        if fichier in ATTESTATIONS and not c.active:
            raise DomainError(f"Cette candidature n'est plus active (« {LIBELLES_ETATS.get(c.etat, c.etat)} ») : "
                              "une attestation d'inscription ne peut pas être délivrée.")
        valeurs, listes = valeurs_candidature(s, ctx, c, compte)
        contenu = docx_modeles.remplir(contenu_modele, CHAMPS_AUTORISES, valeurs, listes, fichier)
        titre = _titre(fichier)
        audit.enregistrer(s, ctx, "courrier", "candidature", c.id,
                          libelle=f"Courrier « {titre} » ({fichier}) — candidat {compte.numero_candidat}, "
                                  f"inscription n° {c.numero_inscription}",
                          apres={"modele": fichier, "taille": len(contenu)})
        return Courrier(fichier, titre, _nom(fichier, compte, c), contenu)
