"""What the results area's modules share: the portfolio limit, the candidates' identity, the graded units
of a candidature (its spécialité's tree, its catégorie and options) and the deliberation rules of a
domaine read from the référentiel (the ``regle`` table, loaded from resources/referentiel/regles.json)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Candidature, Categorie, CompteCandidat, Epreuve, Portefeuille, Regle, Specialite
from ...rules.deliberation import ReglesDeliberation, Unite, regles_deliberation, unites_depuis_json
from ...rules.epreuves import Choix
from ...rules.errors import DomainError, PermissionDenied
from ...rules.inscriptions import EtatCandidature
from ..noyau import Contexte, P, autorise

# Only registered candidatures sit the exam: an annulled, écartée or withdrawn one has no grade.
ETATS_NOTES = (EtatCandidature.INSCRIT,)
MESSAGE_CONFLIT = ("{quoi} a été modifié{e} entre-temps sur un autre poste{qui} ; rien n'a été enregistré. "
                   "Rechargez puis refaites votre saisie.")


def conflit(quoi: str, *, feminin: bool = False, qui: str | None = None) -> str:
    return MESSAGE_CONFLIT.format(quoi=quoi, e="e" if feminin else "", qui=f" (par {qui})" if qui else "")


# --- portfolio --------------------------------------------------------------------------------------

def specialites_autorisees(s: Session, ctx: Contexte) -> set[str] | None:
    """The spécialités of the signed-in agent's portfolio; None when not limited (chef, batch jobs)."""
    if autorise(ctx, P.RESULTATS_TOUTES_SPECIALITES):
        return None
    codes = ctx.agent.portefeuilles if ctx.agent else ()
    filieres = {f for p in s.scalars(select(Portefeuille).where(Portefeuille.code.in_(codes)))
                for f in (p.filieres or [])} if codes else set()
    if not filieres:
        return set()
    return set(s.scalars(select(Specialite.id).where(Specialite.filiere.in_(filieres))))


def exiger_specialites(s: Session, ctx: Contexte, specialite_ids: Iterable[str | None]) -> None:
    """A gestionnaire acts on the spécialités of their portfolio only (docs/domaine/README.md#roles)."""
    autorisees = specialites_autorisees(s, ctx)
    if autorisees is None:
        return
    for sid in sorted({x or "" for x in specialite_ids}):
        if sid not in autorisees:
            sp = s.get(Specialite, sid) if sid else None
            nom = f"« {sp.intitule} »" if sp else "sans spécialité"
            raise PermissionDenied(f"La spécialité {nom} n'est pas dans votre portefeuille : seuls les "
                                   "gestionnaires de sa filière et le chef de bureau peuvent y intervenir. "
                                   "Rien n'a été enregistré.")


# --- identity -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identite:
    candidature_id: int
    numero_candidat: str
    nom: str
    prenoms: str
    specialite_id: str | None

    @property
    def libelle(self) -> str:
        return f"{self.nom} {self.prenoms} (N° {self.numero_candidat})"


def identites(s: Session, candidature_ids: Iterable[int]) -> dict[int, Identite]:
    ids = sorted(set(candidature_ids))
    out: dict[int, Identite] = {}
    for i in range(0, len(ids), 5000):
        q = (select(Candidature.id, CompteCandidat.numero_candidat, CompteCandidat.nom, CompteCandidat.nom_usage,
                    CompteCandidat.prenoms, Candidature.specialite_id)
             .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
             .where(Candidature.id.in_(ids[i:i + 5000])))
        for cid, numero, nom, usage, prenoms, sp in s.execute(q):
            out[cid] = Identite(cid, numero, (usage or nom).upper(), prenoms, sp)
    return out


# --- units and rules -------------------------------------------------------------------------------

def _arbre_json(epreuves: list[Epreuve]) -> list[dict[str, Any]]:
    """The tree in the référentiel's JSON shape, which rules.deliberation.unites_depuis_json reads."""
    par_parent: dict[int | None, list[Epreuve]] = {}
    for ep in sorted(epreuves, key=lambda x: (x.ordre, x.id)):
        par_parent.setdefault(ep.parent_id, []).append(ep)

    def noeud(ep: Epreuve) -> dict[str, Any]:
        d: dict[str, Any] = dict(ep.extra or {})
        d.update(code=ep.code, unite=ep.unite, intitule=ep.intitule, coefficient=ep.coefficient,
                 nature=ep.nature, groupe=ep.groupe, domaine_epreuve=ep.domaine_epreuve,
                 children=[noeud(e) for e in par_parent.get(ep.id, [])])
        return d

    return [noeud(ep) for ep in par_parent.get(None, [])]


@dataclass
class Referentiel:
    """The référentiel a batch needs, read once per transaction: épreuves trees, catégories, rules."""

    s: Session
    _arbres: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _unites: dict[tuple[str, str, tuple[tuple[str, str], ...]], tuple[Unite, ...] | DomainError] = \
        field(default_factory=dict)
    _familles: dict[str, str] | None = None
    _regles: dict[str, ReglesDeliberation] = field(default_factory=dict)
    _regles_json: list[dict[str, Any]] | None = None

    def famille(self, categorie_code: str | None) -> str:
        if self._familles is None:
            self._familles = {c.code: c.famille for c in self.s.scalars(select(Categorie))}
        return self._familles.get(categorie_code or "", "")

    def unites(self, specialite_id: str, famille: str, choix: dict[str, Any] | None) -> tuple[Unite, ...]:
        """The graded units for this candidate (raises DomainError, in French, when the tree cannot say)."""
        options = tuple(sorted(Choix.depuis_json(choix).options.items()))
        cle = (specialite_id, famille, options)
        if cle not in self._unites:
            if specialite_id not in self._arbres:
                self._arbres[specialite_id] = _arbre_json(list(self.s.scalars(
                    select(Epreuve).where(Epreuve.specialite_id == specialite_id))))
            try:
                self._unites[cle] = unites_depuis_json(self._arbres[specialite_id], famille=famille or None,
                                                       options=dict(options))
            except DomainError as exc:
                self._unites[cle] = exc
        r = self._unites[cle]
        if isinstance(r, DomainError):
            raise DomainError(r.message)
        return r

    def codes_notes_sous(self, specialite_id: str, code: str) -> tuple[str, ...]:
        """The graded units an épreuve of the timetable covers: itself when it carries a unit (or has no
        part), else its graded parts (E1 → E1-A, E1-B), as unites_depuis_json flattens the tree."""
        if specialite_id not in self._arbres:
            self._arbres[specialite_id] = _arbre_json(list(self.s.scalars(
                select(Epreuve).where(Epreuve.specialite_id == specialite_id))))

        def trouver(noeuds: list[dict[str, Any]]) -> dict[str, Any] | None:
            for n in noeuds:
                if n["code"] == code:
                    return n
                if (t := trouver(n["children"])) is not None:
                    return t
            return None

        def notes(n: dict[str, Any]) -> list[str]:
            if n.get("unite") or not n["children"]:
                return [n["code"]]
            return [c for e in n["children"] for c in notes(e)]

        n = trouver(self._arbres[specialite_id])
        return () if n is None else tuple(notes(n))

    def unites_candidature(self, c: Candidature) -> tuple[Unite, ...]:
        if not c.specialite_id:
            raise DomainError("Cette candidature n'a pas de spécialité : elle n'a pas d'unités à noter.")
        return self.unites(c.specialite_id, self.famille(c.categorie_code), c.choix)

    def regles(self, domaine: str) -> ReglesDeliberation:
        """The domaine's deliberation values (BCP-ADMISSION, CAP-ADMISSION… of regles.json)."""
        if domaine not in self._regles:
            if self._regles_json is None:
                self._regles_json = [{"id": r.id, "domaines": list(r.domaines or []), "categorie": r.categorie,
                                      "parametres": dict(r.parametres or {})} for r in self.s.scalars(select(Regle))]
            self._regles[domaine] = regles_deliberation(self._regles_json, domaine)
        return self._regles[domaine]

    def parametres_regle(self, regle_id: str) -> dict[str, Any]:
        r = self.s.get(Regle, regle_id)
        return dict(r.parametres or {}) if r else {}


def unite_par_code_ou_numero(unites: tuple[Unite, ...], texte: str) -> Unite | None:
    """A unit named by its code (E1-A) or its unit number (U11), whatever the case."""
    t = " ".join(texte.split()).upper()
    for u in unites:
        if u.code.upper() == t or (u.unite or "").upper() == t:
            return u
    return None
