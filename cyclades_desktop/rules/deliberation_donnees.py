"""The plain data of the deliberation engine (rules/deliberation.py) and its loading from the référentiel.

Types the engine reads and returns (units, rule values, candidature, result) and two loaders of plain
data: ``regles_deliberation`` takes the list that regles.json holds (the caller reads the file) and
keeps one domaine's values; ``unites_depuis_json`` flattens a spécialité's épreuves tree
(specialites.json « epreuves ») into its graded units. Pure: no I/O. Example::

    regles = regles_deliberation(json.loads(texte_regles), "CAP")
    unites = unites_depuis_json(specialite["epreuves"], famille="apprenti")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from .codes_epreuves import code_affiche
from .epreuves import INSCRIT, NON_INSCRIT, NoeudEpreuve, noeuds_depuis_json
from .errors import DomainError

GENERAL = "general"
PROFESSIONNEL = "professionnel"
OBLIGATOIRE = "obligatoire"
FACULTATIVE = "facultative"

# Display only (regles.json is silent on rounding): two decimals, half up. Decisions never use it.
DECIMALES_AFFICHAGE = Decimal("0.01")
# BCP-FACULTATIVES gives « coefficient »: null and no other rule weighs the facultatives. The points above
# 10 are added to the total of points (BCP-ADMISSION « majorée des points au-dessus de 10 »), the divisor
# being the obligatory units' coefficients; they are weighted by this value UNTIL THE CHEF CONFIRMS IT.
COEFFICIENT_FACULTATIVES = Decimal(1)


class Marque(StrEnum):
    """What is entered instead of a grade: absent, absent justifié (from the liste d'émargement), dispensé."""

    ABS = "ABS"        # absent, not justified
    ABJ = "ABJ"        # absent, justified (e.g. a medical certificate)
    DI = "DI"          # dispensé: the unit leaves the average


Note = Decimal | Marque


class Decision(StrEnum):
    ADMIS = "Admis"
    AJOURNE = "Ajourné"
    AUTORISE_CONTROLE = "Autorisé à l'épreuve de contrôle"
    ADMIS_APRES_CONTROLE = "Admis après contrôle"
    UNITES_ACQUISES = "Unités acquises"            # forme progressive: units still to be presented
    DIFFEREE = "Délibération différée"              # an absence whose effect is to wait (PolitiqueAbsences)


class Mention(StrEnum):
    ASSEZ_BIEN = "Assez bien"
    BIEN = "Bien"
    TRES_BIEN = "Très bien"


class EffetAbsence(StrEnum):
    ZERO = "note zéro"
    ELIMINATOIRE = "pas de diplôme à cette session"
    NEUTRALISEE = "unité retirée du calcul"
    DIFFEREE = "délibération différée jusqu'à l'épreuve de remplacement"


@dataclass(frozen=True)
class PolitiqueAbsences:
    """Effect of an absence on the result. regles.json holds no rule on absences, so the chef of the exam
    office sets it per domaine. The defaults never award a diploma on a guess, TO BE CONFIRMED BY THE
    CHEF: an unjustified absence at an obligatory unit bars the diploma this session (the grade shows as
    0); a justified one defers the deliberation until the unit is sat. Facultatives are outside this
    policy: only their points above 10 count, so an absence there adds nothing."""

    injustifiee: EffetAbsence = EffetAbsence.ELIMINATOIRE
    justifiee: EffetAbsence = EffetAbsence.DIFFEREE

    def effet(self, marque: Marque) -> EffetAbsence:
        return self.injustifiee if marque is Marque.ABS else self.justifiee


@dataclass(frozen=True)
class Unite:
    """One graded unit of the candidate's exam, as the spécialité's tree gives it."""

    code: str                           # E1-A
    intitule: str
    coefficient: Decimal | None         # None: unknown (refused), or a facultative that has none of its own
    # professionnel | general, as specialites.json classes it: the perimeter of the « moyenne des unités
    # professionnelles » (CAP-ADMISSION, BCP-CONTROLE-ACCES) is the référentiel's, not the engine's.
    domaine_epreuve: str = GENERAL
    nature: str = OBLIGATOIRE           # obligatoire | facultative
    unite: str | None = None            # U11

    @property
    def facultative(self) -> bool:
        return self.nature == FACULTATIVE

    @property
    def professionnelle(self) -> bool:
        return self.domaine_epreuve == PROFESSIONNEL

    @property
    def libelle(self) -> str:
        return f"{self.unite or code_affiche(self.code)} {self.intitule}".strip()


@dataclass(frozen=True)
class BandeMention:
    mention: Mention
    minimum: Decimal
    maximum_exclu: Decimal | None


@dataclass(frozen=True)
class ReglesControle:
    """BCP-CONTROLE-ACCES and BCP-CONTROLE-MODALITES."""

    moyenne_min: Decimal
    moyenne_max_exclue: Decimal
    moyenne_professionnelle_min: Decimal
    nombre_sous_epreuves: int
    seuil_admission: Decimal
    mention_possible: bool


@dataclass(frozen=True)
class ReglesDeliberation:
    """The values of one domaine's rules, built from regles.json by ``regles_deliberation`` below."""

    domaine: str
    regle: str                                  # rule id cited in the explanations: BCP-ADMISSION…
    seuil_admission: Decimal
    seuil_ajournement: Decimal | None = None    # BCP-ADMISSION « seuil_ajournement_direct »
    seuil_professionnel: Decimal | None = None  # CAP-ADMISSION
    seuil_facultatives: Decimal | None = None   # only the points above it count; None: no facultative
    coefficient_facultatives: Decimal = COEFFICIENT_FACULTATIVES
    controle: ReglesControle | None = None
    mentions: tuple[BandeMention, ...] = ()
    regle_mentions: str = ""
    note_min_acquis: Decimal = Decimal(10)      # *-BENEFICE-NOTES « note_min »
    regle_acquis: str = ""
    absences: PolitiqueAbsences = field(default_factory=PolitiqueAbsences)
    # Progressive form, once every unit has a grade: regles.json gives no rule of its own, so the domaine's
    # admission rule applies to the whole set (units compensate as in the global form). True: every unit
    # must also be held (grade ≥ note_min_acquis). A setting TO BE CONFIRMED BY THE CHEF.
    progressive_toutes_acquises: bool = False


@dataclass(frozen=True)
class Candidature:
    """What the jury deliberates on. Codes are the units' codes (E1-A, EP1…)."""

    unites: tuple[Unite, ...]
    notes: Mapping[str, Note] = field(default_factory=dict)       # a Bénéfice's grade is the one kept
    positions: Mapping[str, str] = field(default_factory=dict)    # epreuves.py positions; see position()
    notes_controle: Mapping[str, Note] = field(default_factory=dict)  # re-assessed unit → oral's grade
    # The jury's points are added to the total of points, hence to the overall average only.
    points_jury: Decimal = Decimal(0)            # at the 1st group
    points_jury_controle: Decimal = Decimal(0)   # added after the épreuve de contrôle
    forme_progressive: bool = False
    # Progressive form: units held from earlier sessions (grade ≥ note_min_acquis), used for the units
    # Non inscrit this session; a unit sat again gives its held grade up.
    acquis_anterieurs: Mapping[str, Decimal] = field(default_factory=dict)

    def position(self, code: str) -> str:
        """The position given, else Inscrit; a facultative without position is Inscrit only when graded
        (pass the épreuves engine's positions so that a chosen facultative left ungraded is caught)."""
        if code in self.positions:
            return self.positions[code]
        facultative = any(u.code == code and u.facultative for u in self.unites)
        return NON_INSCRIT if facultative and code not in self.notes else INSCRIT


@dataclass(frozen=True)
class LigneNote:
    """One unit as the relevé de notes shows it."""

    unite: Unite
    position: str
    note: Note | None                 # entered, or kept (bénéfice, earlier session)
    note_controle: Note | None
    note_retenue: Decimal | None      # what the average uses (best of both after contrôle); None: not counted


@dataclass(frozen=True)
class UniteAcquise:
    code: str
    libelle: str
    note: Decimal
    origine: str                      # session | contrôle | bénéfice | session antérieure


@dataclass(frozen=True)
class Resultat:
    decision: Decision
    mention: Mention | None
    moyenne_generale: Decimal | None              # the one that decided (after contrôle when there was one)
    moyenne_professionnelle: Decimal | None
    moyenne_enseignement_general: Decimal | None
    moyenne_avant_jury: Decimal | None            # moyenne_generale without the jury's points
    points_jury: Decimal
    moyenne_premier_groupe: Decimal | None        # BCP: the 1st-group average, before contrôle
    points_facultatives: Decimal                  # already weighted, included in moyenne_generale
    lignes: tuple[LigneNote, ...]
    unites_acquises: tuple[UniteAcquise, ...]
    unites_a_presenter: tuple[str, ...]
    explications: tuple[str, ...]


def arrondi(moyenne: Decimal | None) -> Decimal | None:
    """The value shown and printed: two decimals, half up (display only)."""
    return None if moyenne is None else moyenne.quantize(DECIMALES_AFFICHAGE, rounding=ROUND_HALF_UP)


def fr(valeur: Decimal | None, seuil: Decimal | None = None) -> str:
    """French display of a grade or an average: « 9,50 ». Next to a threshold that the rounding would
    reach although the exact value is below it (9,995 against 10), four decimals truncated are shown."""
    if valeur is None:
        return "—"
    montre = valeur.quantize(DECIMALES_AFFICHAGE, rounding=ROUND_HALF_UP)
    if seuil is not None and valeur < seuil <= montre:
        montre = valeur.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    return f"{montre:f}".replace(".", ",")


# Which rule of regles.json holds each domaine's admission values.
REGLE_ADMISSION = {"BCP": "BCP-ADMISSION", "CAP": "CAP-ADMISSION", "BP": "BP-ADMISSION",
                   "MC": "MC-CS-ADMISSION", "CS": "MC-CS-ADMISSION"}
_MENTIONS = {"AB": Mention.ASSEZ_BIEN, "B": Mention.BIEN, "TB": Mention.TRES_BIEN}
_AU_DESSUS = re.compile(r"au_dessus_de_(\d+(?:\.\d+)?)$")


def _decimal_json(regle: str, parametres: Mapping[str, Any], *cles: str, requis: bool = True) -> Decimal | None:
    for cle in cles:
        if parametres.get(cle) is not None:
            return Decimal(str(parametres[cle]))
    if requis:
        raise DomainError(f"Référentiel des règles : la règle {regle} n'a pas de paramètre {' ou '.join(cles)}.")
    return None


def regles_deliberation(regles: Iterable[Mapping[str, Any]], domaine: str, *,
                        absences: PolitiqueAbsences | None = None,
                        coefficient_facultatives: Decimal | None = None) -> ReglesDeliberation:
    """One domaine's deliberation values, read from the list regles.json holds.

    ``absences`` and ``coefficient_facultatives`` are the settings regles.json does not give (see
    PolitiqueAbsences and COEFFICIENT_FACULTATIVES); a coefficient present in regles.json wins."""
    par_id = {str(r["id"]): r for r in regles}
    id_adm = REGLE_ADMISSION.get(domaine)
    if id_adm is None or id_adm not in par_id:
        raise DomainError(f"Aucune règle de délibération n'est connue pour le domaine {domaine}.")

    def du_domaine(categorie: str) -> list[Mapping[str, Any]]:
        return [r for r in par_id.values() if r.get("categorie") == categorie and domaine in r.get("domaines", ())]

    adm = par_id[id_adm].get("parametres") or {}
    seuil = _decimal_json(id_adm, adm, "seuil_admission_moyenne_generale", "seuil_moyenne_generale")
    assert seuil is not None
    texte_fac = adm.get("facultatives")
    trouve = _AU_DESSUS.search(str(texte_fac)) if texte_fac else None
    if texte_fac and trouve is None:
        raise DomainError(f"Référentiel des règles : {id_adm} « facultatives » non reconnu ({texte_fac}).")
    coef_fac = next((Decimal(str(r["parametres"]["coefficient"])) for r in du_domaine("facultatives")
                     if (r.get("parametres") or {}).get("coefficient") is not None), None)
    controle = None
    id_acces, id_modalites = f"{domaine}-CONTROLE-ACCES", f"{domaine}-CONTROLE-MODALITES"
    if du_domaine("epreuve_controle"):
        if id_acces not in par_id or id_modalites not in par_id:
            raise DomainError(f"Référentiel des règles : {id_acces} et {id_modalites} vont ensemble.")
        acces, mod = par_id[id_acces]["parametres"], par_id[id_modalites]["parametres"]
        if mod.get("regle_note") != "meilleure_note":
            raise DomainError(f"Référentiel des règles : {id_modalites} « regle_note » non reconnue "
                              f"({mod.get('regle_note')}) ; seule « meilleure_note » est appliquée.")
        controle = ReglesControle(
            _decimal_json(id_acces, acces, "moyenne_generale_min"),  # type: ignore[arg-type]
            _decimal_json(id_acces, acces, "moyenne_generale_max_exclue"),  # type: ignore[arg-type]
            _decimal_json(id_acces, acces, "moyenne_domaine_professionnel_min"),  # type: ignore[arg-type]
            int(mod.get("nombre_sous_epreuves") or 0),
            _decimal_json(id_modalites, mod, "seuil_admission"),  # type: ignore[arg-type]
            bool(mod.get("mention_possible")))
    id_mentions = f"{domaine}-MENTIONS"
    mentions = []
    for cle, (bas, haut) in (par_id.get(id_mentions, {}).get("parametres") or {}).items():
        if cle not in _MENTIONS:
            raise DomainError(f"Référentiel des règles : mention inconnue dans {id_mentions} ({cle}).")
        mentions.append(BandeMention(_MENTIONS[cle], Decimal(str(bas)),
                                     None if haut is None else Decimal(str(haut))))
    benefice = du_domaine("benefice_notes")
    if benefice:
        id_acquis = str(benefice[0]["id"])
        note_min = _decimal_json(id_acquis, benefice[0]["parametres"], "note_min")
    else:                                    # MC-CS-ADMISSION carries its own « benefice_note_min »
        id_acquis, note_min = id_adm, _decimal_json(id_adm, adm, "benefice_note_min")
    return ReglesDeliberation(
        domaine=domaine, regle=id_adm, seuil_admission=seuil,
        seuil_ajournement=_decimal_json(id_adm, adm, "seuil_ajournement_direct", requis=False),
        seuil_professionnel=_decimal_json(id_adm, adm, "seuil_moyenne_domaine_professionnel",
                                          "seuil_domaine_professionnel", requis=False),
        seuil_facultatives=Decimal(trouve.group(1)) if trouve else None,
        coefficient_facultatives=next(x for x in (coef_fac, coefficient_facultatives, COEFFICIENT_FACULTATIVES)
                                      if x is not None),
        controle=controle, mentions=tuple(sorted(mentions, key=lambda b: b.minimum)),
        regle_mentions=id_mentions if mentions else "", note_min_acquis=note_min,  # type: ignore[arg-type]
        regle_acquis=id_acquis, absences=absences or PolitiqueAbsences())


def unites_depuis_json(epreuves: Sequence[Mapping[str, Any]], *, famille: str | None = None,
                       options: Mapping[str, str] | None = None) -> tuple[Unite, ...]:
    """The graded units of a spécialité's tree (specialites.json « epreuves »), in the tree's order.

    A node is graded when it carries a unit (U11, CO1…) or has no children; its parts (E4-A, EC1A…) are
    not. Codes are those of the épreuves engine (NC1… for nodes without one). ``famille`` drops the units
    meant for other catégories (chef-d'œuvre: scolaires and apprentis); ``options`` gives the option
    sat under an exclusive parent (BP Coiffure E3). The épreuve de contrôle (groupe 2) is not a unit:
    its grades are entered against the units they re-assess."""
    out: list[Unite] = []

    def visiter(d: Mapping[str, Any], n: NoeudEpreuve) -> None:
        if n.groupe != 1 or (famille and n.categories_concernees and famille not in n.categories_concernees):
            return
        paires = list(zip(d.get("children") or (), n.enfants, strict=True))
        if n.choix_exclusif and paires:
            choisi = (options or {}).get(n.code)
            if choisi not in {e.code for _, e in paires}:
                raise DomainError(f"Choisissez l'option présentée pour l'épreuve {n.code}.")
            paires = [(de, e) for de, e in paires if e.code == choisi]
        if n.unite or not paires:
            coef = d.get("coefficient")
            out.append(Unite(n.code, n.intitule, None if coef is None else Decimal(str(coef)),
                             n.domaine_epreuve or GENERAL, n.nature, n.unite))
            return
        for de, e in paires:
            visiter(de, e)

    for d, n in zip(epreuves, noeuds_depuis_json(epreuves), strict=True):
        visiter(d, n)
    return tuple(out)
