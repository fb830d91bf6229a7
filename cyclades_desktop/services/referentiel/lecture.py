"""Reading the référentiel: lists for combo boxes, searches as you type, the office's identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, select
from sqlalchemy.orm import selectinload

from ...models import (
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
from ...rules.errors import NotFound
from ...rules.texte import (
    ECHAPPEMENT_LIKE,
    cle_recherche,
    echapper_like,
    mots_recherche,
    prefixe_suivant,
    texte_recherche,
)
from ..noyau import Contexte, charger_ou_erreur

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


# --- read models: what the screens and tools read, loaded inside the session -----------------------

@dataclass(frozen=True, slots=True)
class VueDomaine:
    code: str
    libelle: str


@dataclass(frozen=True, slots=True)
class VuePeriode:
    """A registration period; times as stored (aware UTC, naive UTC under SQLite)."""
    id: int
    domaine_code: str
    ouverture: datetime
    cloture: datetime


@dataclass(frozen=True, slots=True)
class VueEcheance:
    id: int
    domaine_code: str
    code: str
    libelle: str
    date_limite: datetime
    regle: str
    mode_depot: str | None
    consequence: str | None


@dataclass(frozen=True, slots=True)
class VueSession:
    id: int
    annee: int
    libelle: str
    type: str
    periodes: tuple[VuePeriode, ...]      # by domaine
    echeances: tuple[VueEcheance, ...]    # by domaine, then code


@dataclass(frozen=True, slots=True)
class VuePays:
    code: str
    nom: str
    nationalite: str


@dataclass(frozen=True, slots=True)
class VueDepartement:
    code: str
    nom: str


@dataclass(frozen=True, slots=True)
class VueEtablissement:
    uai: str
    nom: str
    ville: str | None
    code_postal: str | None
    departement: str | None
    academie: str | None
    telephone: str | None


@dataclass(frozen=True, slots=True)
class VueCategorie:
    code: str
    libelle: str
    famille: str
    mode: str
    domaines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VueSpecialite:
    """A spécialité's record, without its épreuves tree (``specialites.arbre_epreuves``)."""
    id: str
    domaine_code: str
    code: str | None
    intitule: str
    filiere: str | None
    secteur_industriel: bool
    arbre_complet: bool


@dataclass(frozen=True, slots=True)
class VueBureau:
    """The office's identity; ``row_version`` goes back to ``edition.modifier_bureau`` so that a
    change made meanwhile on another workstation is refused."""
    academie: str
    nom_service: str
    bureau: str
    adresse: str
    code_postal: str
    ville: str
    telephone: str
    email: str
    site: str
    departements: tuple[str, ...]
    row_version: int


def vue_session(se: SessionExamen) -> VueSession:
    """Also used by ``edition.lister_sessions``; periods and deadlines must be loaded."""
    return VueSession(
        se.id, se.annee, se.libelle, se.type,
        tuple(VuePeriode(p.id, p.domaine_code, p.ouverture, p.cloture) for p in se.periodes),
        tuple(VueEcheance(e.id, e.domaine_code, e.code, e.libelle, e.date_limite, e.regle, e.mode_depot,
                          e.consequence) for e in se.echeances))


def _vue_specialite(sp: Specialite) -> VueSpecialite:
    return VueSpecialite(sp.id, sp.domaine_code, sp.code, sp.intitule, sp.filiere, sp.secteur_industriel,
                         sp.arbre_complet)


def requete_sessions() -> Select[tuple[SessionExamen]]:
    """Newest first, with their periods and deadlines loaded."""
    return (select(SessionExamen)
            .options(selectinload(SessionExamen.periodes), selectinload(SessionExamen.echeances))
            .order_by(SessionExamen.annee.desc(), SessionExamen.libelle))


def domaines(ctx: Contexte) -> list[VueDomaine]:
    with ctx.lecture() as s:
        return [VueDomaine(d.code, d.libelle) for d in s.scalars(select(Domaine).order_by(Domaine.ordre))]


def sessions(ctx: Contexte) -> list[VueSession]:
    with ctx.lecture() as s:
        return [vue_session(se) for se in s.scalars(requete_sessions())]


def session_par_libelle(ctx: Contexte, libelle: str) -> int:
    """« 2025 » → the session's id (the command line names sessions as the office does)."""
    with ctx.lecture() as s:
        sid = s.scalar(select(SessionExamen.id).where(SessionExamen.libelle == libelle.strip()))
    if sid is None:
        raise NotFound(f"La session « {libelle} » n'existe pas dans le référentiel.")
    return int(sid)


def pays(ctx: Contexte) -> list[VuePays]:
    """France first (the usual answer at the counter), then alphabetical."""
    with ctx.lecture() as s:
        return [VuePays(p.code, p.nom, p.nationalite)
                for p in s.scalars(select(Pays).order_by(case((Pays.code == "FR", 0), else_=1), Pays.cle))]


def departements(ctx: Contexte) -> list[VueDepartement]:
    with ctx.lecture() as s:
        deps = [VueDepartement(d.code, d.nom) for d in s.scalars(select(Departement))]
    return sorted(deps, key=lambda d: code_departement_affiche(d.code))


def code_departement_affiche(code: str) -> str:
    """CYCLADES shows three characters: '011 - AUDE', '02A - CORSE-DU-SUD', '971 - GUADELOUPE'."""
    return code.rjust(3, "0")


def libelle_departement(d: VueDepartement) -> str:
    return f"{code_departement_affiche(d.code)} - {d.nom.upper()}"


def rechercher_communes(ctx: Contexte, departement: str, texte: str, limite: int = 30) -> list[ChoixCommune]:
    """Communes of one département whose name starts with ``texte`` (accents, case, hyphens ignored),
    former communes included."""
    key = cle_recherche(texte_recherche(texte))
    if not key and texte_recherche(texte):
        return []  # separators only (« _ », « - »): not every commune
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


def rechercher_etablissements(ctx: Contexte, texte: str, limite: int = 50) -> list[VueEtablissement]:
    """By name, UAI or town: each word of the text (the first few) must appear in the establishment's
    key, as typed (« % » is no wildcard); a text of separators only (« _ », « - ») finds none."""
    mots = mots_recherche(texte)
    if not mots and texte_recherche(texte):
        return []
    with ctx.lecture() as s:
        q = select(Etablissement)
        for m in mots:
            q = q.where(Etablissement.cle.contains(echapper_like(m), escape=ECHAPPEMENT_LIKE))
        return [VueEtablissement(e.uai, e.nom, e.ville, e.code_postal, e.departement, e.academie, e.telephone)
                for e in s.scalars(q.order_by(Etablissement.nom).limit(limite))]


def categories(ctx: Contexte) -> list[VueCategorie]:
    with ctx.lecture() as s:
        return [VueCategorie(c.code, c.libelle, c.famille, c.mode, tuple(c.domaines or ()))
                for c in s.scalars(select(Categorie).order_by(Categorie.libelle))]


def situations(ctx: Contexte) -> list[Situation]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Situation).order_by(Situation.libelle)))


def specialites(ctx: Contexte, domaine: str | None = None) -> list[VueSpecialite]:
    with ctx.lecture() as s:
        q = select(Specialite).order_by(Specialite.domaine_code, Specialite.intitule)
        if domaine:
            q = q.where(Specialite.domaine_code == domaine)
        return [_vue_specialite(sp) for sp in s.scalars(q)]


def specialite(ctx: Contexte, specialite_id: str) -> VueSpecialite | None:
    with ctx.lecture() as s:
        sp = s.get(Specialite, specialite_id)
        return _vue_specialite(sp) if sp is not None else None


def bureau(ctx: Contexte) -> VueBureau:
    with ctx.lecture() as s:
        b = charger_ou_erreur(s, Bureau, 1, "identité du bureau absente", erreur=LookupError)
        return VueBureau(b.academie, b.nom_service, b.bureau, b.adresse, b.code_postal, b.ville, b.telephone,
                         b.email, b.site, tuple(b.departements or ()), b.row_version)
