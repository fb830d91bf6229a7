"""Reading the référentiel: lists for combo boxes, searches as you type, the office's identity."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from ..models import (
    Bureau,
    Categorie,
    Commune,
    Departement,
    Domaine,
    Etablissement,
    Pays,
    SessionExamen,
    Situation,
    Specialite,
)
from ..rules.texte import cle_recherche, prefixe_suivant
from .contexte import Contexte

LIBELLES_TYPES_COMMUNE = {
    "commune-deleguee": "ancienne commune, aujourd'hui",
    "commune-associee": "ancienne commune associée à",
    "arrondissement-municipal": "arrondissement de",
}


@dataclass(frozen=True)
class ChoixCommune:
    id: int
    code_insee: str
    nom: str
    libelle: str           # what the list shows, e.g. "Bugarach (11)" or "Saint-X (ancienne commune, aujourd'hui Y)"


def domaines(ctx: Contexte) -> list[Domaine]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Domaine).order_by(Domaine.ordre)))


def sessions(ctx: Contexte) -> list[SessionExamen]:
    with ctx.lecture() as s:
        return list(s.scalars(select(SessionExamen).options(
            selectinload(SessionExamen.periodes), selectinload(SessionExamen.echeances))
            .order_by(SessionExamen.annee.desc(), SessionExamen.libelle)))


def pays(ctx: Contexte) -> list[Pays]:
    """France first (the usual answer at the counter), then alphabetical."""
    with ctx.lecture() as s:
        return list(s.scalars(select(Pays).order_by(case((Pays.code == "FR", 0), else_=1), Pays.cle)))


def departements(ctx: Contexte) -> list[Departement]:
    with ctx.lecture() as s:
        deps = list(s.scalars(select(Departement)))
    return sorted(deps, key=lambda d: code_departement_affiche(d.code))


def code_departement_affiche(code: str) -> str:
    """CYCLADES shows three characters: '011 - AUDE', '02A - CORSE-DU-SUD', '971 - GUADELOUPE'."""
    return code.rjust(3, "0")


def libelle_departement(d: Departement) -> str:
    return f"{code_departement_affiche(d.code)} - {d.nom.upper()}"


def rechercher_communes(ctx: Contexte, departement: str, texte: str, limite: int = 30) -> list[ChoixCommune]:
    """Communes of one département whose name starts with ``texte`` (accents, case, hyphens ignored),
    former communes included."""
    key = cle_recherche(texte)
    with ctx.lecture() as s:
        q = select(Commune).where(Commune.departement == departement)
        if key:
            q = q.where(Commune.cle >= key, Commune.cle < prefixe_suivant(key))
        rows = list(s.scalars(q.order_by(Commune.cle, Commune.type).limit(limite)))
        parents = {c.code_insee: c.nom for c in s.scalars(select(Commune).where(
            Commune.code_insee.in_({r.commune_parente for r in rows if r.commune_parente}),
            Commune.type == "commune-actuelle"))}
    out = []
    for r in rows:
        libelle = r.nom
        if r.type in LIBELLES_TYPES_COMMUNE and r.commune_parente:
            libelle = f"{r.nom} ({LIBELLES_TYPES_COMMUNE[r.type]} {parents.get(r.commune_parente, r.commune_parente)})"
        out.append(ChoixCommune(r.id, r.code_insee, r.nom, libelle))
    return out


def commune(ctx: Contexte, commune_id: int) -> Commune | None:
    with ctx.lecture() as s:
        return s.get(Commune, commune_id)


def rechercher_etablissements(ctx: Contexte, texte: str, limite: int = 50) -> list[Etablissement]:
    """By name, UAI or town: any word of the text must appear in the establishment's key."""
    mots = cle_recherche(texte).split()
    with ctx.lecture() as s:
        q = select(Etablissement)
        for m in mots:
            q = q.where(Etablissement.cle.contains(m))
        return list(s.scalars(q.order_by(Etablissement.nom).limit(limite)))


def categories(ctx: Contexte) -> list[Categorie]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Categorie).order_by(Categorie.libelle)))


def situations(ctx: Contexte) -> list[Situation]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Situation).order_by(Situation.libelle)))


def specialites(ctx: Contexte, domaine: str | None = None) -> list[Specialite]:
    with ctx.lecture() as s:
        q = select(Specialite).order_by(Specialite.domaine_code, Specialite.intitule)
        if domaine:
            q = q.where(Specialite.domaine_code == domaine)
        return list(s.scalars(q))


def specialite(ctx: Contexte, specialite_id: str) -> Specialite | None:
    with ctx.lecture() as s:
        return s.scalar(select(Specialite).where(Specialite.id == specialite_id)
                        .options(selectinload(Specialite.epreuves)))


def bureau(ctx: Contexte) -> Bureau:
    with ctx.lecture() as s:
        b = s.get(Bureau, 1)
        if b is None:
            raise LookupError("identité du bureau absente")
        return b
