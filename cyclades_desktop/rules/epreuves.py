"""The épreuves engine (docs/domaine/inscriptions.md#epreuves).

From a spécialité's tree, the candidate's catégorie, the declared acquis and the candidate's choices,
compute every unit's position (Inscrit, Non inscrit, Dispense, Bénéfice) and mode (Ponctuel or
Contrôle en cours de formation). Pure: no database, no I/O; the services feed it plain values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .codes_epreuves import code_provisoire
from .texte import cle_recherche

INSCRIT = "Inscrit"
NON_INSCRIT = "Non inscrit"
DISPENSE = "Dispense"
BENEFICE = "Bénéfice"

PONCTUEL = "Ponctuel"
CCF = "Contrôle en cours de formation"

# What a facultative asks for when chosen: « EF1 Anglais », « EF2 Lettonie »
# (docs/domaine/inscriptions.md#facultatives).
DETAIL_LANGUE = "langue"
DETAIL_DESTINATION = "destination"

# regles.json BCP-CATEGORIES-MODES « toujours_ponctuel_sauf_ccf_integral »: matière names → words
# looked for in a unit's intitulé.
MOTS_MATIERES = {
    "Français": ("francais",),
    "HG-EMC": ("histoire geographie",),
    "PSE": ("prevention", "sante", "environnement"),
    "Économie-gestion/droit": ("economie",),
}


@dataclass(frozen=True)
class NoeudEpreuve:
    """One node of a spécialité's tree, as the référentiel holds it."""

    code: str
    intitule: str
    unite: str | None = None
    nature: str = "obligatoire"              # obligatoire | facultative
    groupe: int = 1
    domaine_epreuve: str | None = None       # professionnel | general
    categories_concernees: tuple[str, ...] = ()  # familles de catégorie; empty = every candidate
    choix_exclusif: bool = False             # the candidate sits one child only (BP Coiffure E3)
    modes: Mapping[str, str] = field(default_factory=dict)  # per catégorie mode: {"ccf": "ponctuel"}
    enfants: tuple[NoeudEpreuve, ...] = ()


@dataclass(frozen=True)
class Profil:
    """Who sits the exam, as far as the épreuves are concerned."""

    domaine: str
    famille: str                 # scolaire | apprenti | formation_continue | enseignement_a_distance | individuel
    mode: str                    # the catégorie's mode for this domaine: ccf | ponctuel | ccf_integral | mixte
    session_annee: int
    forme_finale: str = "globale"                # globale | progressive
    toujours_ponctuel: tuple[str, ...] = ()      # matières never in CCF except « CCF intégral »
    max_facultatives: int | None = None
    duree_benefice_ans: int = 5
    note_min_benefice: float = 10.0


@dataclass(frozen=True)
class Acquis:
    """A declared acquis, resolved for the spécialité presented."""

    code: str
    libelle: str
    effet: str                                   # dispense | benefice
    annee: int | None = None
    academie: str | None = None
    dispenses: tuple[str, ...] = ()              # units it dispenses (titres, VAE decision)
    notes: Mapping[str, float] = field(default_factory=dict)   # grades carried over (bénéfice)
    depuis: int | None = None                    # the titre counts only when obtained since this year
    general_seulement: bool = False              # another spécialité: only general units carry over


@dataclass(frozen=True)
class Choix:
    """What the candidate decided on the Acquis and Épreuves tabs."""

    dispenses_refusees: frozenset[str] = frozenset()     # dispensed units sat again (unticked)
    benefices_refuses: frozenset[str] = frozenset()      # grades given up
    facultatives: Mapping[str, str] = field(default_factory=dict)  # code → language/destination ("" if none)
    options: Mapping[str, str] = field(default_factory=dict)       # exclusive parent → chosen child
    non_inscrits: frozenset[str] = frozenset()           # progressive form: units left for later

    def vers_json(self) -> dict[str, object]:
        return {"dispenses_refusees": sorted(self.dispenses_refusees),
                "benefices_refuses": sorted(self.benefices_refuses),
                "facultatives": dict(sorted(self.facultatives.items())),
                "options": dict(sorted(self.options.items())),
                "non_inscrits": sorted(self.non_inscrits)}

    @classmethod
    def depuis_json(cls, d: Mapping[str, object] | None) -> Choix:
        d = d or {}
        return cls(dispenses_refusees=frozenset(d.get("dispenses_refusees", ()) or ()),  # type: ignore[arg-type]
                   benefices_refuses=frozenset(d.get("benefices_refuses", ()) or ()),  # type: ignore[arg-type]
                   facultatives=dict(d.get("facultatives", {}) or {}),  # type: ignore[arg-type]
                   options=dict(d.get("options", {}) or {}),  # type: ignore[arg-type]
                   non_inscrits=frozenset(d.get("non_inscrits", ()) or ()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class LigneEpreuve:
    code: str
    intitule: str
    unite: str | None
    niveau: int
    nature: str
    groupe: int
    position: str
    mode: str | None
    detail: str | None = None
    note: float | None = None
    annee_note: int | None = None
    origine: str | None = None        # the acquis behind a Dispense / Bénéfice


@dataclass(frozen=True)
class Facultative:
    code: str
    intitule: str
    detail: str | None                # DETAIL_LANGUE | DETAIL_DESTINATION | None


@dataclass(frozen=True)
class Resultat:
    lignes: tuple[LigneEpreuve, ...]
    erreurs: dict[str, str]
    dispenses_possibles: dict[str, str]          # unit code → acquis libellé
    benefices_possibles: dict[str, tuple[float, int]]   # unit code → (grade, year)
    facultatives: tuple[Facultative, ...]
    options: dict[str, tuple[tuple[str, str], ...]]     # exclusive parent → ((child code, intitulé), …)
    unites_reportables: tuple[str, ...]          # units a progressive candidate may leave for later

    @property
    def a_choisir(self) -> bool:
        """False when the Épreuves tab has nothing to decide (a message then says so:
        docs/domaine/inscriptions.md#epreuves)."""
        return bool(self.facultatives or self.options or self.unites_reportables)

    def obligatoires(self, groupe: int = 1) -> list[LigneEpreuve]:
        return [x for x in self.lignes if x.nature != "facultative" and x.groupe == groupe]

    def facultatives_lignes(self) -> list[LigneEpreuve]:
        return [x for x in self.lignes if x.nature == "facultative"]

    def par_code(self) -> dict[str, LigneEpreuve]:
        return {x.code: x for x in self.lignes}


def _cle(texte: str) -> str:
    return cle_recherche(texte).lower()


def genre_detail(noeud: NoeudEpreuve) -> str | None:
    cle = _cle(noeud.intitule)
    if "langue" in cle:
        return DETAIL_LANGUE
    if "mobilite" in cle:
        return DETAIL_DESTINATION
    return None


def _a_une_unite_dessous(n: NoeudEpreuve) -> bool:
    return any(e.unite or _a_une_unite_dessous(e) for e in n.enfants)


def _descendants(n: NoeudEpreuve) -> Iterable[NoeudEpreuve]:
    for e in n.enfants:
        yield e
        yield from _descendants(e)


def _concerne(n: NoeudEpreuve, famille: str) -> bool:
    return not n.categories_concernees or famille in n.categories_concernees


def _toujours_ponctuel(n: NoeudEpreuve, matieres: tuple[str, ...]) -> bool:
    cle = _cle(n.intitule)
    for matiere in matieres:
        mots = MOTS_MATIERES.get(matiere, (_cle(matiere),))
        if matiere == "PSE":
            if all(m in cle for m in mots):
                return True
        elif any(m in cle for m in mots):
            return True
    return False


def mode_evaluation(n: NoeudEpreuve, profil: Profil) -> str:
    """The mode of a unit for this candidate (regles.json *-CATEGORIES-MODES, BCP-FACULTATIVES)."""
    if n.groupe == 2:
        return PONCTUEL                       # the épreuve de contrôle is an oral in front of a jury
    if n.nature == "facultative" and genre_detail(n) == DETAIL_LANGUE:
        return PONCTUEL                       # facultative language: ponctual oral for everyone
    override = n.modes.get(profil.mode)
    if override:
        return CCF if override == "ccf" else PONCTUEL
    if profil.mode == "ccf_integral":
        return CCF
    if profil.mode == "ccf":
        return PONCTUEL if _toujours_ponctuel(n, profil.toujours_ponctuel) else CCF
    return PONCTUEL                           # ponctuel, and « mixte » unless a unit says otherwise


def dispenses_du_titre(titre: Mapping[str, Any], specialite_id: str) -> tuple[str, ...]:
    """The units a titre (types_acquis.json) dispenses in this spécialité: its list for the spécialité, else
    its default list, plus each conditional dispense of the spécialité whose condition (« si ») the titre
    meets (« comporte »): a baccalauréat always has a language exam, so it dispenses a CAP's language
    unit (docs/domaine/inscriptions.md#acquis). A titre that says nothing meets no condition."""
    codes = list((titre.get("dispenses_par_specialite") or {}).get(specialite_id, titre.get("dispenses") or ()))
    remplies = set(titre.get("comporte") or ())
    for cond in titre.get("dispenses_conditionnelles") or ():
        if (specialite_id in (cond.get("specialites") or ()) and cond.get("si") in remplies
                and cond.get("code") not in codes):
            codes.append(str(cond["code"]))
    return tuple(codes)


def _possibles(arbre: tuple[NoeudEpreuve, ...], profil: Profil, acquis: tuple[Acquis, ...],
               erreurs: dict[str, str]) -> tuple[dict[str, str], dict[str, tuple[float, int, str]]]:
    codes: dict[str, NoeudEpreuve] = {}
    for racine in arbre:
        codes[racine.code] = racine
        for d in _descendants(racine):
            codes[d.code] = d
    dispenses: dict[str, str] = {}
    benefices: dict[str, tuple[float, int, str]] = {}
    for i, a in enumerate(acquis):
        cle = f"acquis.{i}"
        if a.annee is not None:
            if a.annee > profil.session_annee:
                erreurs[f"{cle}.annee"] = "L'année ne peut pas être postérieure à la session présentée."
                continue
            if a.depuis is not None and a.annee < a.depuis:
                erreurs[f"{cle}.annee"] = f"Ce titre n'est pris en compte que s'il a été obtenu depuis {a.depuis}."
                continue
        if a.effet == "dispense":
            if not a.dispenses and a.code == "VAE":
                erreurs[f"{cle}.dispenses"] = ("Indiquez les épreuves dispensées par la décision du jury "
                                               "de validation des acquis de l'expérience.")
            for code in a.dispenses:
                if code not in codes:
                    if a.code == "VAE":
                        erreurs[f"{cle}.dispenses"] = f"L'épreuve {code} n'existe pas dans cette spécialité."
                    continue      # a titre's list covers several spécialités: units absent here are skipped
                dispenses.setdefault(code, a.libelle)
            continue
        # Bénéfice: grades ≥ 10 kept five years (regles.json *-BENEFICE-NOTES).
        if a.annee is None:
            erreurs[f"{cle}.annee"] = "Indiquez l'année de la session où ces notes ont été obtenues."
            continue
        if profil.session_annee - a.annee > profil.duree_benefice_ans:
            erreurs[f"{cle}.annee"] = (
                f"Les notes de la session {a.annee} ne sont plus conservées pour la session "
                f"{profil.session_annee} ({profil.duree_benefice_ans} ans au plus).")
            continue
        for code, note in a.notes.items():
            n = codes.get(code)
            if n is None:
                erreurs[f"{cle}.notes"] = f"L'épreuve {code} n'existe pas dans cette spécialité."
            elif not 0 <= note <= 20:
                erreurs[f"{cle}.notes"] = f"La note de l'épreuve {code} doit être comprise entre 0 et 20."
            elif note < profil.note_min_benefice:
                erreurs[f"{cle}.notes"] = (f"Seules les notes égales ou supérieures à "
                                           f"{profil.note_min_benefice:g}/20 peuvent être conservées ({code}).")
            elif a.general_seulement and n.domaine_epreuve != "general":
                erreurs[f"{cle}.notes"] = (f"Seules les notes des épreuves d'enseignement général sont "
                                           f"reportées d'une autre spécialité ({code}).")
            else:
                benefices[code] = (float(note), a.annee, a.libelle)
    return dispenses, benefices


def calculer(arbre: Iterable[NoeudEpreuve], profil: Profil, acquis: Iterable[Acquis] = (),
             choix: Choix | None = None) -> Resultat:
    """Every unit of the spécialité for this candidate, in the tree's order, with the errors found."""
    choix = choix or Choix()
    arbre = tuple(n for n in arbre if _concerne(n, profil.famille))
    acquis = tuple(acquis)
    erreurs: dict[str, str] = {}
    dispenses_possibles, benefices_possibles = _possibles(arbre, profil, acquis, erreurs)

    for code in sorted(choix.dispenses_refusees - set(dispenses_possibles)):
        erreurs["dispenses"] = f"L'épreuve {code} ne peut pas être dispensée : aucun acquis déclaré ne la dispense."
    dispenses = {c: o for c, o in dispenses_possibles.items() if c not in choix.dispenses_refusees}
    benefices = {c: v for c, v in benefices_possibles.items() if c not in choix.benefices_refuses}

    facultatives = tuple(Facultative(n.code, n.intitule, genre_detail(n)) for n in arbre
                         if n.nature == "facultative")
    fac_codes = {f.code: f for f in facultatives}
    for code, detail in choix.facultatives.items():
        f = fac_codes.get(code)
        if f is None:
            erreurs[f"facultative.{code}"] = f"L'épreuve facultative {code} n'existe pas dans cette spécialité."
        elif f.detail == DETAIL_LANGUE and not (detail or "").strip():
            erreurs[f"facultative.{code}"] = f"Indiquez la langue choisie pour l'épreuve {code}."
        elif f.detail == DETAIL_DESTINATION and not (detail or "").strip():
            erreurs[f"facultative.{code}"] = f"Indiquez le pays de destination pour l'épreuve {code}."
    if profil.max_facultatives is not None and len(choix.facultatives) > profil.max_facultatives:
        erreurs["facultatives"] = (f"Vous pouvez choisir au plus {profil.max_facultatives} épreuves "
                                   "facultatives.")

    options: dict[str, tuple[tuple[str, str], ...]] = {}
    reportables: list[str] = []
    lignes: list[LigneEpreuve] = []

    def visiter(n: NoeudEpreuve, niveau: int, herite: str | None, mode_parent: str | None,
                origine_parent: str | None) -> str:
        """Append n (and its subtree) and return its position."""
        index = len(lignes)
        lignes.append(None)  # type: ignore[arg-type]  # placeholder: a parent's position needs its children
        position = herite
        origine = origine_parent
        note: float | None = None
        annee: int | None = None
        detail: str | None = None
        if position is None and n.code in dispenses:
            position, origine = DISPENSE, dispenses[n.code]
        if position is None and n.code in benefices:
            note, annee, origine = benefices[n.code]
            position = BENEFICE
        if n.nature == "facultative" and niveau == 0 and position is None:
            if n.code in choix.facultatives:
                position = INSCRIT
                detail = (choix.facultatives.get(n.code) or "").strip() or None
            else:
                position = NON_INSCRIT
        if position is None and n.code in choix.non_inscrits:
            position = NON_INSCRIT
        regroupement = not n.unite and _a_une_unite_dessous(n)
        mode = mode_parent if mode_parent and not n.unite else None
        if not regroupement and mode is None:
            mode = mode_evaluation(n, profil)

        enfants = n.enfants if n.groupe == 1 else ()   # the contrôle's sub-oral is chosen at the exam
        enfants = tuple(e for e in enfants if _concerne(e, profil.famille))
        if n.choix_exclusif and enfants:
            options[n.code] = tuple((e.code, e.intitule) for e in enfants)
            choisi = choix.options.get(n.code)
            if position in (None, INSCRIT) and choisi not in {e.code for e in enfants}:
                erreurs[f"option.{n.code}"] = f"Choisissez l'option présentée pour l'épreuve {n.code}."
        positions = []
        for e in enfants:
            herite_enfant = position
            if herite_enfant is None and n.choix_exclusif and choix.options.get(n.code) != e.code:
                herite_enfant = NON_INSCRIT
            positions.append(visiter(e, niveau + 1, herite_enfant,
                                     mode if not regroupement else None, origine))
        if position is None:
            position = _position_parent(positions) if positions else INSCRIT
        if (profil.forme_finale == "progressive" and n.unite and n.nature != "facultative" and n.groupe == 1
                and herite is None and position in (INSCRIT, NON_INSCRIT)):
            reportables.append(n.code)
        if position != INSCRIT:
            mode = None                # the récapitulatif leaves the mode blank for a dispensed unit
        lignes[index] = LigneEpreuve(n.code, n.intitule, n.unite, niveau, n.nature, n.groupe, position, mode,
                                     detail, note, annee, origine if position in (DISPENSE, BENEFICE) else None)
        return position

    for racine in arbre:
        visiter(racine, 0, None, None, None)

    if choix.non_inscrits:
        if profil.forme_finale != "progressive":
            erreurs["non_inscrits"] = ("Seule la forme progressive permet de reporter des épreuves à une "
                                       "session ultérieure.")
        elif not any(x.position == INSCRIT and x.nature != "facultative" and x.groupe == 1 for x in lignes):
            erreurs["non_inscrits"] = "Inscrivez-vous au moins à une épreuve obligatoire."
    return Resultat(tuple(lignes), erreurs, dict(dispenses_possibles),
                    {c: (v[0], v[1]) for c, v in benefices_possibles.items()}, facultatives, options,
                    tuple(reportables))


def _position_parent(positions: list[str]) -> str:
    if INSCRIT in positions:
        return INSCRIT
    for p in (NON_INSCRIT, DISPENSE, BENEFICE):
        if all(x == p for x in positions):
            return p
    if DISPENSE in positions:
        return DISPENSE
    if BENEFICE in positions:
        return BENEFICE
    return NON_INSCRIT


def noeuds_depuis_json(noeuds: Iterable[Mapping[str, Any]], _compteur: list[int] | None = None
                       ) -> tuple[NoeudEpreuve, ...]:
    """Build the tree from the référentiel's JSON shape (specialites.json « epreuves »).

    Nodes without a code get the loader's internal key (NC1, NC2…: rules/codes_epreuves.py)."""
    compteur = _compteur if _compteur is not None else [0]
    out = []
    for d in noeuds:
        code = d.get("code")
        if not code:
            compteur[0] += 1
            code = code_provisoire(compteur[0])
        out.append(NoeudEpreuve(
            code=str(code), intitule=str(d.get("intitule") or ""), unite=d.get("unite") or None,
            nature=str(d.get("nature") or "obligatoire"), groupe=int(d.get("groupe") or 1),
            domaine_epreuve=d.get("domaine_epreuve"),
            categories_concernees=tuple(d.get("categories_concernees") or ()),
            choix_exclusif=bool(d.get("choix_exclusif")), modes=dict(d.get("modes") or {}),
            enfants=noeuds_depuis_json(d.get("children") or (), compteur)))
    return tuple(out)
