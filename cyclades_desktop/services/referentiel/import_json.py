"""Importing spécialités from a JSON file (the resources format, one object or a list): first a
report that writes nothing, then, only when the report has no error, one transaction for all."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Domaine, Epreuve, Specialite
from ...rules.errors import DomainError
from ...rules.referentiel import SEPARATEUR, valider_specialite
from ...rules.texte import sans_caracteres_interdits, verifier_caracteres
from ..noyau import Contexte, P, audit, exiger
from .specialites import codes_pris, comparer, ecrire_specialite

TAILLE_MAX = 5 * 1024 * 1024
MESSAGE_REFUS = "L'import contient des erreurs : corrigez le fichier puis recommencez ; rien n'a été enregistré."


def _pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


@dataclass
class LigneImport:
    """What the file does to one spécialité."""

    id: str
    intitule: str
    domaine: str
    action: str                      # "creation" | "remplacement" | "modification" | "inchange"
    ajoutees: int = 0
    supprimees: int = 0
    modifiees: int = 0
    champs: list[str] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    @property
    def resume(self) -> str:
        """'Remplacement : 2 épreuves ajoutées, 1 supprimée, 3 modifiées'."""
        if self.erreurs:
            quoi = "Création" if self.action == "creation" else "Remplacement"
            return f"{quoi} impossible : {_pluriel(len(self.erreurs), 'erreur')}"
        if self.action == "creation":
            return f"Création : {_pluriel(self.ajoutees, 'épreuve')}"
        if self.action == "inchange":
            return "Remplacement : aucun changement"
        titre = "Remplacement" if self.action == "remplacement" else "Modification"
        parties = [f"{_pluriel(self.ajoutees, 'épreuve')} {'ajoutées' if self.ajoutees > 1 else 'ajoutée'}",
                   f"{self.supprimees} {'supprimées' if self.supprimees > 1 else 'supprimée'}",
                   f"{self.modifiees} {'modifiées' if self.modifiees > 1 else 'modifiée'}"]
        if self.champs:
            parties.append("fiche modifiée (" + ", ".join(self.champs) + ")")
        return f"{titre} : " + ", ".join(parties)


@dataclass
class RapportImport:
    nom_fichier: str = ""
    lignes: list[LigneImport] = field(default_factory=list)
    erreurs_generales: list[str] = field(default_factory=list)
    donnees: list[dict[str, Any]] = field(default_factory=list)   # the spécialités, as read

    @property
    def erreurs(self) -> list[str]:
        return self.erreurs_generales + [m for ligne in self.lignes for m in ligne.erreurs]

    @property
    def valide(self) -> bool:
        return not self.erreurs and bool(self.donnees)

    @property
    def creations(self) -> list[LigneImport]:
        return [ligne for ligne in self.lignes if ligne.action == "creation"]

    @property
    def remplacements(self) -> list[LigneImport]:
        return [ligne for ligne in self.lignes if ligne.action != "creation"]


def _lire(contenu: bytes) -> tuple[list[Any], str | None]:
    """The spécialités of the file, or one clear error for a file that is not what we expect."""
    if len(contenu) > TAILLE_MAX:
        return [], f"Le fichier dépasse {TAILLE_MAX // (1024 * 1024)} Mo : ce n'est pas un fichier de spécialités."
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "Le fichier n'est pas un texte encodé en UTF-8 : enregistrez-le en UTF-8 puis recommencez."
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as exc:
        return [], (f"Le fichier n'est pas un JSON valide : erreur de syntaxe ligne {exc.lineno}, colonne "
                    f"{exc.colno}. Vérifiez les virgules, guillemets et crochets.")
    except RecursionError:
        return [], "Le fichier est trop imbriqué pour être un fichier de spécialités."
    if isinstance(donnees, dict):
        donnees = [donnees]
    if not isinstance(donnees, list):
        return [], "Le fichier doit contenir une spécialité (objet JSON) ou une liste de spécialités."
    if not donnees:
        return [], "Le fichier ne contient aucune spécialité."
    return donnees, None


def _analyser(s: Session, items: list[Any]) -> list[LigneImport]:
    domaines = set(s.scalars(select(Domaine.code)))
    pris = codes_pris(s)
    vus: dict[str, int] = {}
    lignes = []
    for i, data in enumerate(items, start=1):
        ident = data.get("id") if isinstance(data, dict) else None
        # Named in the report without the characters it may not hold (they would garble the message).
        racine = (sans_caracteres_interdits(ident) if isinstance(ident, str) and ident.strip()
                  else f"Spécialité n°{i}")
        # An id with a NUL is refused below, never looked up (PostgreSQL refuses it).
        existante = s.get(Specialite, ident) if isinstance(ident, str) and not verifier_caracteres(ident) else None
        problemes, avertissements = valider_specialite(data, domaines, existante.domaine_code if existante else None,
                                                       pris)
        erreurs = [p.texte(racine) for p in problemes]
        if isinstance(ident, str) and ident in vus:
            erreurs.append(f"{racine} : la spécialité figure deux fois dans le fichier (n°{vus[ident]} et n°{i}).")
        elif isinstance(ident, str):
            vus[ident] = i
        if isinstance(data, dict) and isinstance(data.get("code"), str) and data.get("domaine") in domaines:
            pris.setdefault((data["domaine"], data["code"]), racine)   # two new ones with one code
        ligne = LigneImport(
            id=racine, intitule=str(data.get("intitule") or "") if isinstance(data, dict) else "",
            domaine=str(data.get("domaine") or "") if isinstance(data, dict) else "",
            action="creation" if existante is None else "remplacement", erreurs=erreurs,
            avertissements=[f"{racine}{SEPARATEUR}{a}" for a in avertissements])
        if not erreurs:
            assert isinstance(data, dict)
            anciennes = list(s.scalars(select(Epreuve).where(Epreuve.specialite_id == existante.id))) \
                if existante is not None else []
            ecarts = comparer(existante, anciennes, data)
            ligne.ajoutees, ligne.supprimees, ligne.modifiees = ecarts.ajoutees, ecarts.supprimees, ecarts.modifiees
            ligne.champs = ecarts.champs
            if existante is not None and "epreuves" not in data:
                ligne.action = "modification"
            if existante is not None and not (ecarts.champs or ecarts.ajoutees or ecarts.supprimees
                                              or ecarts.modifiees):
                ligne.action = "inchange"
        lignes.append(ligne)
    return lignes


def analyser_import(ctx: Contexte, contenu: bytes, nom_fichier: str = "") -> RapportImport:
    """Check a file and say what applying it would do. Writes nothing."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    rapport = RapportImport(nom_fichier=nom_fichier)
    items, erreur = _lire(contenu)
    if erreur:
        rapport.erreurs_generales.append(erreur)
        return rapport
    with ctx.lecture() as s:
        rapport.lignes = _analyser(s, items)
    rapport.donnees = items
    return rapport


def appliquer_import(ctx: Contexte, rapport: RapportImport) -> dict[str, int]:
    """Write every spécialité of an error-free report in one transaction, checked again against the
    database as it is now (another workstation may have changed it since the report)."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    if not rapport.valide:
        raise DomainError(MESSAGE_REFUS)
    motif = f"Import du fichier {rapport.nom_fichier}" if rapport.nom_fichier else "Import d'un fichier"
    compte: dict[str, int] = {}
    with ctx.transaction() as s:
        lignes = _analyser(s, rapport.donnees)
        if any(ligne.erreurs for ligne in lignes):
            raise DomainError(MESSAGE_REFUS + "\n" + "\n".join(m for ligne in lignes for m in ligne.erreurs))
        for data in rapport.donnees:
            action = ecrire_specialite(s, ctx, data, motif=motif)
            compte[action] = compte.get(action, 0) + 1
        audit.enregistrer(s, ctx, "import", "referentiel", rapport.nom_fichier or "fichier",
                          libelle=f"Import de {_pluriel(len(rapport.donnees), 'spécialité')}", motif=motif,
                          apres=compte)
    return compte
