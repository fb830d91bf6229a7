"""Spécialités and their épreuves trees (DOMAIN.md §2, data/referentiel/README.md): validation of
the resources JSON format, create-or-replace from a dict, and editing the tree node by node.

A replaced tree is merged by épreuve code rather than deleted and re-inserted: a unit keeps its
row (and id) while its code stays the same, so whatever refers to it later survives an import."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import Domaine, Epreuve, Specialite
from ..rules.errors import NotFound, ValidationError
from ..rules.texte import cle_recherche
from . import audit
from .chargement import specialite_depuis_json
from .contexte import Contexte
from .permissions import P, exiger

NATURES = {"obligatoire": "Obligatoire", "facultative": "Facultative"}
GROUPES = {1: "1er groupe", 2: "2nd groupe"}
DOMAINES_EPREUVE = {"professionnel": "Professionnel", "general": "Général"}
PROFONDEUR_MAX = 4          # E3 › E3-A › … : real trees have 3 levels
SEPARATEUR = " › "
CHAMPS_NOEUD = ("code", "unite", "intitule", "coefficient", "nature", "groupe", "mode_ponctuel_type", "duree",
                "domaine_epreuve", "note")
# Optional spécialité keys: absent from a file = left as they are; present (even null) = replaced.
CHAMPS_OPTIONNELS = ("code", "code_cfd", "code_rncp", "filiere", "secteur_industriel", "r408_requis",
                     "texte_reference", "arbre_complet", "confiance", "notes", "sources", "actif")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,79}$")
_CODE_SPECIALITE = re.compile(r"^\d{5}$")
_CODE_EPREUVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,19}$")
# The shipped data has 44-character durées and long "confiance" notes, beyond the String(40)/(60)
# columns (SQLite does not enforce them; PostgreSQL would): the limits follow the data, and
# widening the columns is a migration to make.
_LONGUEURS = {"unite": 20, "intitule": 300, "mode_ponctuel_type": 60, "duree": 80}


@dataclass(frozen=True)
class Probleme:
    """One input problem: the top-level field it belongs to, where in the tree, the French message."""

    champ: str
    chemin: tuple[str, ...]
    message: str

    def texte(self, racine: str) -> str:
        """'BCP-25303 › E3 › E3-A : le coefficient ne peut pas être négatif.'"""
        lieu = SEPARATEUR.join((racine, *self.chemin))
        return f"{lieu} : {self.message[:1].lower()}{self.message[1:]}"


# --- Validation (pure) ---------------------------------------------------------------------------

def _est_nombre(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def valider_noeud(n: dict[str, Any]) -> dict[str, str]:
    """Problems of one épreuve node as read from JSON (code may be absent: a placeholder is given)."""
    e: dict[str, str] = {}
    code = n.get("code")
    if code is not None and (not isinstance(code, str) or not _CODE_EPREUVE.match(code)):
        e["code"] = ("Code d'épreuve non valide : 20 caractères au maximum, lettres sans accents, chiffres, "
                     "tirets (exemple : E3-A).")
    intitule = n.get("intitule")
    if not isinstance(intitule, str) or not intitule.strip():
        e["intitule"] = "L'intitulé de l'épreuve est obligatoire."
    for cle, maxi in _LONGUEURS.items():
        v = n.get(cle)
        if cle in e or v is None:
            continue
        if not isinstance(v, str):
            e[cle] = f"Valeur non valide pour « {cle} » : texte attendu."
        elif len(v) > maxi:
            e[cle] = f"{maxi} caractères au maximum."
    coef = n.get("coefficient")
    if coef is not None:
        if not _est_nombre(coef):
            e["coefficient"] = "Le coefficient doit être un nombre (exemple : 1,5)."
        elif coef < 0:
            e["coefficient"] = "Le coefficient ne peut pas être négatif."
        elif coef > 100:
            e["coefficient"] = "Le coefficient ne peut pas dépasser 100."
    if n.get("nature") is not None and n.get("nature") not in NATURES:
        e["nature"] = "La nature doit être « obligatoire » ou « facultative »."
    groupe = n.get("groupe")
    if groupe is not None and (not _est_nombre(groupe) or groupe not in GROUPES):
        e["groupe"] = "Le groupe doit valoir 1 (1er groupe) ou 2 (2nd groupe)."
    if n.get("domaine_epreuve") is not None and n.get("domaine_epreuve") not in DOMAINES_EPREUVE:
        e["domaine_epreuve"] = "Le domaine de l'épreuve doit être « professionnel » ou « general »."
    if n.get("note") is not None and not isinstance(n.get("note"), str):
        e["note"] = "La note doit être un texte."
    if n.get("children") is not None and not isinstance(n.get("children"), list):
        e["children"] = "Les sous-épreuves (« children ») doivent former une liste."
    return e


def _valider_arbre(noeuds: object, chemin: tuple[str, ...], codes: dict[str, tuple[str, ...]],
                   compteur: list[int], out: list[Probleme], avertissements: list[str]) -> None:
    if not isinstance(noeuds, list):
        out.append(Probleme("epreuves", chemin, "Les épreuves doivent former une liste."))
        return
    for i, n in enumerate(noeuds, start=1):
        compteur[0] += 1  # same pre-order numbering as the loader's placeholder codes
        if not isinstance(n, dict):
            out.append(Probleme("epreuves", (*chemin, f"épreuve n°{i}"), "Chaque épreuve doit être un objet JSON."))
            continue
        code = n.get("code")
        nom = code if isinstance(code, str) and code else f"épreuve n°{i}"
        ici = (*chemin, nom)
        for message in valider_noeud(n).values():
            out.append(Probleme("epreuves", ici, message))
        if code is None:
            code = f"NC{compteur[0]}"
            avertissements.append(SEPARATEUR.join(ici) + f" : code absent, « {code} » attribué provisoirement.")
        if isinstance(code, str):
            if code in codes:
                ailleurs = SEPARATEUR.join(codes[code]) or "la racine"
                out.append(Probleme("epreuves", ici, f"Le code {code} est en double (déjà utilisé : {ailleurs})."))
            else:
                codes[code] = ici
        enfants = n.get("children")
        if isinstance(enfants, list) and enfants:
            if len(ici) >= PROFONDEUR_MAX:
                out.append(Probleme("epreuves", ici, f"Au plus {PROFONDEUR_MAX} niveaux d'épreuves."))
            else:
                _valider_arbre(enfants, ici, codes, compteur, out, avertissements)


def valider_specialite(data: object, domaines: set[str], existante: Specialite | None,
                       codes_pris: dict[tuple[str, str], str]) -> tuple[list[Probleme], list[str]]:
    """Problems and warnings of one spécialité dict. ``codes_pris`` maps (domaine, code) to the id
    of another spécialité already using that code."""
    if not isinstance(data, dict):
        return [Probleme("id", (), "Chaque spécialité doit être un objet JSON.")], []
    p: list[Probleme] = []
    avert: list[str] = []

    def err(champ: str, message: str) -> None:
        p.append(Probleme(champ, (), message))

    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        err("id", "L'identifiant de la spécialité est obligatoire (exemple : BCP-25303).")
    elif not _ID.match(ident):
        err("id", "Identifiant non valide : 80 caractères au maximum, lettres sans accents, chiffres, points et "
                  "tirets (exemple : BCP-25303).")
    domaine = data.get("domaine")
    if domaine not in domaines:
        err("domaine", f"Domaine inconnu : « {domaine} » (attendu : {', '.join(sorted(domaines))}).")
    elif existante is not None and existante.domaine_code != domaine:
        err("domaine", f"Le domaine d'une spécialité existante ne peut pas changer ({existante.domaine_code} → "
                       f"{domaine}) : créez une autre spécialité.")
    code = data.get("code")
    if code is not None and (not isinstance(code, str) or not _CODE_SPECIALITE.match(code)):
        err("code", "Le code de spécialité comporte 5 chiffres, entre guillemets (exemple : \"25303\").")
    elif code is not None and (autre := codes_pris.get((str(domaine), code))) and autre != ident:
        err("code", f"Le code {code} est déjà celui de la spécialité {autre}.")
    intitule = data.get("intitule")
    if not isinstance(intitule, str) or not intitule.strip():
        err("intitule", "L'intitulé de la spécialité est obligatoire.")
    elif len(intitule) > 300:
        err("intitule", "L'intitulé fait 300 caractères au maximum.")
    for cle, maxi in (("filiere", 120), ("code_cfd", 20), ("code_rncp", 20), ("confiance", 200),
                      ("texte_reference", 5000)):
        v = data.get(cle)
        if v is not None and (not isinstance(v, str) or len(v) > maxi):
            err(cle, f"« {cle} » : texte de {maxi} caractères au maximum attendu.")
    for cle in ("secteur_industriel", "arbre_complet", "actif"):
        if cle in data and not isinstance(data[cle], bool):
            err(cle, f"« {cle} » doit valoir true ou false.")
    if data.get("r408_requis") is not None and not isinstance(data["r408_requis"], bool):
        err("r408_requis", "« r408_requis » doit valoir true, false ou null.")
    for cle in ("notes", "sources"):
        v = data.get(cle)
        if v is not None and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
            err(cle, f"« {cle} » doit être une liste de textes.")
    if "epreuves" in data and data["epreuves"] is not None:
        _valider_arbre(data["epreuves"], (), {}, [0], p, avert)
    return p, avert


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
    """The resources format (data/referentiel/README.md), so an export can be imported back."""
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
        spec = s.get(Specialite, specialite_id)
        if spec is None:
            raise NotFound("Cette spécialité n'existe plus.")
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
        existante = s.get(Specialite, ident) if isinstance(ident, str) else None
        problemes, _ = valider_specialite(data, set(s.scalars(select(Domaine.code))), existante, codes_pris(s))
        if problemes:
            raise ValidationError(erreurs_par_champ(problemes, ident if isinstance(ident, str) else ""))
        return ecrire_specialite(s, ctx, data)


def codes_pris(s: Session) -> dict[tuple[str, str], str]:
    return {(d, c): i for i, d, c in s.execute(select(Specialite.id, Specialite.domaine_code, Specialite.code))
            if c}


def erreurs_par_champ(problemes: list[Probleme], racine: str) -> dict[str, str]:
    """Field → message for forms; tree problems are grouped under "epreuves" with their path."""
    e: dict[str, str] = {}
    arbre: list[str] = []
    for p in problemes:
        if p.champ == "epreuves":
            arbre.append(p.texte(racine or "Épreuves"))
        else:
            e.setdefault(p.champ, p.message)
    if arbre:
        e["epreuves"] = "\n".join(arbre[:10]) + ("\n…" if len(arbre) > 10 else "")
    return e
