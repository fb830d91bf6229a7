"""Spécialités and their épreuves trees (docs/domaine/referentiel.md#specialites): create-or-replace
from a dict in the resources JSON format (resources/referentiel/README.md, checked by
rules/referentiel.py), and editing the tree node by node.

A replaced tree is merged by épreuve code rather than deleted and re-inserted: a unit keeps its
row (and id) while its code stays the same, so whatever refers to it later survives an import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...models import Domaine, Epreuve, Specialite
from ...rules.errors import ValidationError
from ...rules.referentiel import erreurs_par_champ, valider_specialite
from ...rules.texte import cle_recherche, verifier_caracteres
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from .chargement import specialite_depuis_json

CHAMPS_NOEUD = ("code", "unite", "intitule", "coefficient", "nature", "groupe", "mode_ponctuel_type", "duree",
                "domaine_epreuve", "note")
# Optional spécialité keys: absent from a file = left as they are; present (even null) = replaced.
CHAMPS_OPTIONNELS = ("code", "code_cfd", "code_rncp", "filiere", "secteur_industriel", "r408_requis",
                     "texte_reference", "arbre_complet", "confiance", "notes", "sources", "actif")


# --- Reading and export --------------------------------------------------------------------------

@dataclass(frozen=True)
class NoeudEpreuve:
    """One épreuve as screens show it, with its children: plain values, no lazy loading."""

    id: int
    code: str
    unite: str | None
    intitule: str
    coefficient: float | None
    nature: str
    groupe: int
    mode_ponctuel_type: str | None
    duree: str | None
    domaine_epreuve: str | None
    note: str | None
    parent_id: int | None
    enfants: tuple[NoeudEpreuve, ...] = ()


def enfants_par_parent(epreuves: list[Epreuve]) -> dict[int | None, list[Epreuve]]:
    par_parent: dict[int | None, list[Epreuve]] = {}
    for ep in sorted(epreuves, key=lambda x: (x.ordre, x.id or 0)):
        par_parent.setdefault(ep.parent_id, []).append(ep)
    return par_parent


def _noeuds(par_parent: dict[int | None, list[Epreuve]], parent: int | None) -> tuple[NoeudEpreuve, ...]:
    return tuple(NoeudEpreuve(
        id=ep.id, code=ep.code, unite=ep.unite, intitule=ep.intitule, coefficient=ep.coefficient, nature=ep.nature,
        groupe=ep.groupe, mode_ponctuel_type=ep.mode_ponctuel_type, duree=ep.duree,
        domaine_epreuve=ep.domaine_epreuve, note=ep.note, parent_id=ep.parent_id,
        enfants=_noeuds(par_parent, ep.id)) for ep in par_parent.get(parent, []))


def epreuves_de(s: Session, specialite_id: str) -> list[Epreuve]:
    return list(s.scalars(select(Epreuve).where(Epreuve.specialite_id == specialite_id)))


def arbre_epreuves(ctx: Contexte, specialite_id: str) -> list[NoeudEpreuve]:
    exiger(ctx, P.REFERENTIEL_LIRE)
    with ctx.lecture() as s:
        return list(_noeuds(enfants_par_parent(epreuves_de(s, specialite_id)), None))


def noeud_json(ep: Epreuve, par_parent: dict[int | None, list[Epreuve]]) -> dict[str, Any]:
    n: dict[str, Any] = {k: getattr(ep, k) for k in CHAMPS_NOEUD if k != "note"}
    if ep.note is not None:
        n["note"] = ep.note
    n.update(ep.extra or {})
    n["children"] = [noeud_json(c, par_parent) for c in par_parent.get(ep.id, [])]
    return n


def specialite_en_json(spec: Specialite, epreuves: list[Epreuve]) -> dict[str, Any]:
    """The resources format (resources/referentiel/README.md), so an export can be imported back."""
    d: dict[str, Any] = {"id": spec.id, "domaine": spec.domaine_code, "intitule": spec.intitule}
    for cle in CHAMPS_OPTIONNELS:
        d[cle] = getattr(spec, cle)
    d["notes"], d["sources"] = list(spec.notes or []), list(spec.sources or [])
    par_parent = enfants_par_parent(epreuves)
    d["epreuves"] = [noeud_json(ep, par_parent) for ep in par_parent.get(None, [])]
    return d


def exporter_specialite(ctx: Contexte, specialite_id: str) -> dict[str, Any]:
    exiger(ctx, P.REFERENTIEL_LIRE)
    with ctx.lecture() as s:
        spec = charger_ou_erreur(s, Specialite, specialite_id, "Cette spécialité n'existe plus.")
        return specialite_en_json(spec, epreuves_de(s, specialite_id))


# --- Comparing trees -----------------------------------------------------------------------------

def _signatures(epreuves: list[Epreuve]) -> dict[str, tuple[Any, ...]]:
    """Code → everything that makes a unit what it is, its parent included."""
    code_de = {id(ep): ep.code for ep in epreuves}
    return {ep.code: (code_de.get(id(ep.parent)) if ep.parent is not None else None, ep.unite, ep.intitule,
                      None if ep.coefficient is None else float(ep.coefficient), ep.nature, ep.groupe,
                      ep.mode_ponctuel_type, ep.duree, ep.domaine_epreuve, ep.note, ep.extra or {})
            for ep in epreuves}


def _rangs(epreuves: list[Epreuve], signatures: dict[str, tuple[Any, ...]], gardes: set[str]) -> dict[str, int]:
    """Rank of each kept unit among its kept siblings: a unit does not count as moved because a
    sibling was added or removed before it."""
    rangs: dict[object, int] = {}
    out: dict[str, int] = {}
    for ep in sorted(epreuves, key=lambda x: x.ordre):
        if ep.code in gardes:
            parent = signatures[ep.code][0]
            out[ep.code] = rangs.get(parent, 0)
            rangs[parent] = out[ep.code] + 1
    return out


@dataclass
class Ecarts:
    ajoutees: int = 0
    supprimees: int = 0
    modifiees: int = 0
    champs: list[str] = field(default_factory=list)   # spécialité fields that change


def comparer(existante: Specialite | None, anciennes: list[Epreuve], data: dict[str, Any]) -> Ecarts:
    """What writing ``data`` (already valid) would change."""
    neuve = specialite_depuis_json(data)
    if existante is None:
        return Ecarts(ajoutees=len(neuve.epreuves))
    e = Ecarts()
    for cle in ("intitule", *CHAMPS_OPTIONNELS):
        if cle in data and getattr(neuve, cle) != getattr(existante, cle):
            e.champs.append(cle)
    if "epreuves" in data and data["epreuves"] is not None:
        nouvelles = list(neuve.epreuves)
        avant, apres = _signatures(anciennes), _signatures(nouvelles)
        communs = avant.keys() & apres.keys()
        rang_avant, rang_apres = _rangs(anciennes, avant, communs), _rangs(nouvelles, apres, communs)
        e.ajoutees = len(apres.keys() - avant.keys())
        e.supprimees = len(avant.keys() - apres.keys())
        e.modifiees = sum(1 for k in communs if avant[k] != apres[k] or rang_avant[k] != rang_apres[k])
    return e


# --- Writing -------------------------------------------------------------------------------------

def _copier(cible: Epreuve, source: Epreuve) -> None:
    for k in ("unite", "intitule", "coefficient", "nature", "groupe", "mode_ponctuel_type", "duree",
              "domaine_epreuve", "note", "extra", "ordre"):
        setattr(cible, k, getattr(source, k))


def ecrire_specialite(s: Session, ctx: Contexte, data: dict[str, Any], *, motif: str | None = None) -> str:
    """Create or replace one spécialité from a valid dict, with its audit row; returns the action."""
    neuve = specialite_depuis_json(data)   # transient: the loader's defaults and placeholder codes
    spec = s.get(Specialite, neuve.id)
    if spec is None:
        s.add(neuve)
        s.flush()
        audit.enregistrer(s, ctx, "creation", "specialite", neuve.id,
                          libelle=f"Spécialité {neuve.domaine_code} {neuve.intitule}", motif=motif,
                          apres=specialite_en_json(neuve, list(neuve.epreuves)))
        return "creation"
    anciennes = epreuves_de(s, spec.id)
    avant = specialite_en_json(spec, anciennes)
    ecarts = comparer(spec, anciennes, data)
    for cle in ecarts.champs:
        setattr(spec, cle, getattr(neuve, cle))
    spec.cle = cle_recherche(f"{spec.intitule} {spec.code or ''}")
    if "epreuves" in data and data["epreuves"] is not None:
        _fusionner(s, spec, anciennes, list(neuve.epreuves))
    if not (ecarts.champs or ecarts.ajoutees or ecarts.supprimees or ecarts.modifiees):
        return "inchange"
    s.flush()
    s.expire(spec, ["epreuves"])
    apres = specialite_en_json(spec, epreuves_de(s, spec.id))
    action = "remplacement" if "epreuves" in data else "modification"
    audit.enregistrer(s, ctx, action, "specialite", spec.id, libelle=f"Spécialité {spec.domaine_code} {spec.intitule}",
                      motif=motif, avant=avant, apres=apres)
    return action


def _fusionner(s: Session, spec: Specialite, anciennes: list[Epreuve], nouvelles: list[Epreuve]) -> None:
    """Merge by code: same code = same row updated; new codes inserted; missing codes deleted."""
    par_code = {ep.code: ep for ep in anciennes}
    gardees: dict[int, Epreuve] = {}      # id(transient) -> persistent row
    for t in sorted(nouvelles, key=lambda x: x.ordre):   # pre-order: parents come first
        ep = par_code.pop(t.code, None)
        if ep is None:
            ep = Epreuve(specialite_id=spec.id, code=t.code)
            s.add(ep)
        _copier(ep, t)
        ep.parent = gardees[id(t.parent)] if t.parent is not None else None
        gardees[id(t)] = ep
    s.flush()  # kept units now hang from their new parents before the others go
    if par_code:
        s.execute(delete(Epreuve).where(Epreuve.id.in_([ep.id for ep in par_code.values()])),
                  execution_options={"synchronize_session": "fetch"})


def enregistrer_specialite(ctx: Contexte, data: dict[str, Any]) -> str:
    """Create or replace a spécialité (and its épreuves tree when ``epreuves`` is given) from a dict
    in the resources format. Returns "creation", "remplacement", "modification" or "inchange"."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    with ctx.transaction() as s:
        ident = data.get("id") if isinstance(data, dict) else None
        # An id with a NUL is refused below, never looked up (PostgreSQL refuses it).
        existante = s.get(Specialite, ident) if isinstance(ident, str) and not verifier_caracteres(ident) else None
        problemes, _ = valider_specialite(data, set(s.scalars(select(Domaine.code))),
                                          existante.domaine_code if existante else None, codes_pris(s))
        if problemes:
            raise ValidationError(erreurs_par_champ(problemes, ident if isinstance(ident, str) else ""))
        return ecrire_specialite(s, ctx, data)


def codes_pris(s: Session) -> dict[tuple[str, str], str]:
    return {(d, c): i for i, d, c in s.execute(select(Specialite.id, Specialite.domaine_code, Specialite.code))
            if c}
