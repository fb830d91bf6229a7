"""Editing a spécialité's épreuves tree by hand, one node at a time (several MC/CS trees ship
empty and are filled this way): add as a child or after a sibling, modify, remove with its
sub-units, move up or down. Each action is one transaction with its audit row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ...models import Epreuve, Specialite
from ...rules.codes_epreuves import code_affiche, est_provisoire
from ...rules.errors import DomainError, NotFound, ValidationError
from ...rules.referentiel import PROFONDEUR_MAX, valider_noeud
from ...rules.texte import erreurs_caracteres, espaces_normalises
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from .specialites import CHAMPS_NOEUD, NoeudEpreuve, enfants_par_parent, epreuves_de, noeud_json

_DECIMAL = re.compile(r"-?([0-9]{1,6}(\.[0-9]{0,6})?|\.[0-9]{1,6})")


@dataclass
class SaisieEpreuve:
    """One épreuve as typed in its form (strings)."""

    code: str = ""
    unite: str = ""
    intitule: str = ""
    coefficient: str = ""
    nature: str = "obligatoire"
    groupe: str = "1"
    mode_ponctuel_type: str = ""
    duree: str = ""
    domaine_epreuve: str = ""


def saisie_depuis_noeud(n: NoeudEpreuve) -> SaisieEpreuve:
    coef = "" if n.coefficient is None else f"{n.coefficient:g}".replace(".", ",")
    # A unit without an official code shows an empty code (its internal key is never shown).
    return SaisieEpreuve(code=code_affiche(n.code), unite=n.unite or "", intitule=n.intitule, coefficient=coef,
                         nature=n.nature, groupe=str(n.groupe), mode_ponctuel_type=n.mode_ponctuel_type or "",
                         duree=n.duree or "", domaine_epreuve=n.domaine_epreuve or "")


def _valeurs(saisie: SaisieEpreuve, code_actuel: str | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed strings → node values, with the form's own errors (code required, decimal comma). A unit
    without an official code (``code_actuel`` an internal key) keeps its key when the code stays empty."""
    e: dict[str, str] = {}
    coef: float | None = None
    brut = saisie.coefficient.strip().replace(",", ".")
    if brut:
        # Written in ASCII digits: float() would also read « nan », « inf », « １.５ » or « 1_5 ».
        if _DECIMAL.fullmatch(brut):
            coef = float(brut)
        else:
            e["coefficient"] = "Le coefficient doit être un nombre (exemple : 1,5)."
    groupe: object = int(saisie.groupe) if saisie.groupe.strip() in ("1", "2") else saisie.groupe
    v: dict[str, Any] = {
        "code": espaces_normalises(saisie.code).upper() or None, "unite": espaces_normalises(saisie.unite) or None,
        "intitule": espaces_normalises(saisie.intitule), "coefficient": coef, "nature": saisie.nature,
        "groupe": groupe, "mode_ponctuel_type": espaces_normalises(saisie.mode_ponctuel_type) or None,
        "duree": espaces_normalises(saisie.duree) or None, "domaine_epreuve": saisie.domaine_epreuve or None,
    }
    for cle, message in valider_noeud(v).items():
        e.setdefault(cle, message)
    if v["code"] is None and est_provisoire(code_actuel):
        v["code"] = code_actuel
    elif v["code"] is None:
        e["code"] = "Le code de l'épreuve est obligatoire (exemple : E3-A)."
    e.update(erreurs_caracteres(vars(saisie)))   # as typed: spaces are not normalised yet
    return v, e


def _code_libre(epreuves: list[Epreuve], code: str, sauf: int | None, e: dict[str, str]) -> None:
    if any(ep.code == code and ep.id != sauf for ep in epreuves) and "code" not in e:
        e["code"] = f"Le code {code} est déjà utilisé dans cette spécialité."


def _renumeroter(par_parent: dict[int | None, list[Epreuve]], parent: int | None = None,
                 compteur: list[int] | None = None) -> None:
    """Pre-order numbering, as the loader does: siblings keep the order of their lists."""
    compteur = compteur if compteur is not None else [0]
    for ep in par_parent.get(parent, []):
        compteur[0] += 1
        ep.ordre = compteur[0]
        _renumeroter(par_parent, ep.id, compteur)


def _profondeur(ep: Epreuve | None, par_id: dict[int, Epreuve]) -> int:
    n = 0
    while ep is not None:
        n += 1
        ep = par_id.get(ep.parent_id) if ep.parent_id is not None else None
    return n


def _noeud_audit(v: dict[str, Any]) -> dict[str, Any]:
    return {k: v.get(k) for k in CHAMPS_NOEUD if k != "note"}


def _specialite_ou_404(s: Session, specialite_id: str) -> Specialite:
    spec = charger_ou_erreur(s, Specialite, specialite_id, "Cette spécialité n'existe plus.")
    return spec


def ajouter_epreuve(ctx: Contexte, specialite_id: str, saisie: SaisieEpreuve, *, parent_id: int | None = None,
                    apres_id: int | None = None) -> int:
    """Add one unit under ``parent_id`` (None: top level), after sibling ``apres_id`` or last."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    v, e = _valeurs(saisie)
    with ctx.transaction() as s:
        spec = _specialite_ou_404(s, specialite_id)
        epreuves = epreuves_de(s, specialite_id)
        par_id = {ep.id: ep for ep in epreuves}
        if parent_id is not None and parent_id not in par_id:
            raise NotFound("L'épreuve parente n'existe plus dans cette spécialité.")
        if parent_id is not None and _profondeur(par_id[parent_id], par_id) >= PROFONDEUR_MAX:
            raise DomainError(f"Au plus {PROFONDEUR_MAX} niveaux d'épreuves : ajoutez-la plus haut.")
        if v["code"]:
            _code_libre(epreuves, v["code"], None, e)
        if e:
            raise ValidationError(e)
        ep = Epreuve(specialite_id=spec.id, parent_id=parent_id, ordre=0, extra={},
                     **{k: v[k] for k in CHAMPS_NOEUD if k != "note"})
        s.add(ep)
        s.flush()
        par_parent = enfants_par_parent(epreuves)
        freres = par_parent.setdefault(parent_id, [])
        apres = next((i for i, f in enumerate(freres) if f.id == apres_id), None)
        freres.insert(len(freres) if apres is None else apres + 1, ep)
        _renumeroter(par_parent)
        lieu = f" sous {par_id[parent_id].code}" if parent_id is not None else ""
        audit.enregistrer(s, ctx, "ajout_epreuve", "specialite", spec.id,
                          libelle=f"Épreuve {_nom(ep)} ajoutée{lieu} : {spec.domaine_code} {spec.intitule}",
                          apres=_noeud_audit(v))
        return ep.id


def _nom(ep: Epreuve) -> str:
    """How the audit names a unit: its official code, else its intitulé (never an internal key)."""
    return code_affiche(ep.code) or ep.intitule


def _epreuve_ou_404(s: Session, epreuve_id: int) -> Epreuve:
    ep = charger_ou_erreur(s, Epreuve, epreuve_id,
                           "Cette épreuve n'existe plus (modifiée sur un autre poste ?).")
    return ep


def modifier_epreuve(ctx: Contexte, epreuve_id: int, saisie: SaisieEpreuve) -> None:
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    with ctx.transaction() as s:
        ep = _epreuve_ou_404(s, epreuve_id)
        v, e = _valeurs(saisie, ep.code)   # here: an empty code is allowed for a unit without one
        spec = _specialite_ou_404(s, ep.specialite_id)
        if v["code"]:
            _code_libre(epreuves_de(s, spec.id), v["code"], ep.id, e)
        if e:
            raise ValidationError(e)
        avant = {k: getattr(ep, k) for k in CHAMPS_NOEUD if k != "note"}
        for k, val in _noeud_audit(v).items():
            setattr(ep, k, val)
        av, ap = audit.difference(avant, _noeud_audit(v))
        if ap:
            audit.enregistrer(s, ctx, "modification_epreuve", "specialite", spec.id,
                              libelle=f"Épreuve {_nom(ep)} modifiée : {spec.domaine_code} {spec.intitule}",
                              avant=av, apres=ap)


def supprimer_epreuve(ctx: Contexte, epreuve_id: int) -> int:
    """Remove a unit with its sub-units; returns how many were removed."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    with ctx.transaction() as s:
        ep = _epreuve_ou_404(s, epreuve_id)
        spec = _specialite_ou_404(s, ep.specialite_id)
        par_parent = enfants_par_parent(epreuves_de(s, spec.id))
        sous_arbre: list[Epreuve] = []
        pile = [ep]
        while pile:
            x = pile.pop()
            sous_arbre.append(x)
            pile.extend(par_parent.get(x.id, []))
        avant = noeud_json(ep, enfants_par_parent(sous_arbre))
        par_parent[ep.parent_id] = [f for f in par_parent.get(ep.parent_id, []) if f.id != ep.id]
        _renumeroter(par_parent)
        s.flush()
        s.execute(delete(Epreuve).where(Epreuve.id.in_([x.id for x in sous_arbre])),
                  execution_options={"synchronize_session": "fetch"})
        audit.enregistrer(s, ctx, "suppression_epreuve", "specialite", spec.id,
                          libelle=f"Épreuve {_nom(ep)} supprimée ({len(sous_arbre)} unité(s)) : "
                                  f"{spec.domaine_code} {spec.intitule}",
                          avant=avant)
        return len(sous_arbre)


def deplacer_epreuve(ctx: Contexte, epreuve_id: int, sens: int) -> bool:
    """Move a unit up (-1) or down (+1) among its siblings; False when it is already at the end."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    if sens not in (-1, 1):
        raise ValueError(sens)
    with ctx.transaction() as s:
        ep = _epreuve_ou_404(s, epreuve_id)
        spec = _specialite_ou_404(s, ep.specialite_id)
        par_parent = enfants_par_parent(epreuves_de(s, spec.id))
        freres = par_parent[ep.parent_id]
        i = next(i for i, f in enumerate(freres) if f.id == ep.id)
        j = i + sens
        if not 0 <= j < len(freres):
            return False
        freres[i], freres[j] = freres[j], freres[i]
        _renumeroter(par_parent)
        audit.enregistrer(s, ctx, "deplacement_epreuve", "specialite", spec.id,
                          libelle=f"Épreuve {_nom(ep)} {'remontée' if sens < 0 else 'descendue'} : "
                                  f"{spec.domaine_code} {spec.intitule}",
                          avant={"position": i + 1}, apres={"position": j + 1})
        return True
