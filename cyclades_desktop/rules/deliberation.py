"""The deliberation engine: from one candidature's grades to the jury's decision (docs/domaine/resultats.md).

Given the units of the candidate's exam (coefficient, professional or general, obligatory or facultative),
each unit's position (Inscrit, Dispense, Bénéfice, Non inscrit), the grades entered (a Decimal /20, or
ABS, ABJ, DI), the contrôle grades and the jury's points, compute the averages, the decision, the
mention, the units held and the lines that explain the decision. Pure: no database, no I/O. The rule
values come from regles.json and the units from the spécialité's tree, through the loaders of
rules/deliberation_donnees.py (whose types are re-exported here). Smallest use::

    regles = regles_deliberation(json.loads(texte_regles), "BP")
    unites = unites_depuis_json(specialite["epreuves"])
    r = deliberer(Candidature(unites, notes={"E1": Decimal("12.5"), ...}), regles)
    r.decision, r.mention, arrondi(r.moyenne_generale), r.explications

Exactness: every decision compares the exact total of points with « seuil × somme des coefficients »
(Decimal sums with the Inexact trap on), so no rounding ever decides; the averages of the result are
quotients to 28 significant digits, and ``arrondi`` gives the 2-decimal value shown (regles.json says
nothing about rounding)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Context, Decimal, Inexact, InvalidOperation, localcontext

from .deliberation_donnees import (
    COEFFICIENT_FACULTATIVES,
    BandeMention,
    Candidature,
    Decision,
    EffetAbsence,
    LigneNote,
    Marque,
    Mention,
    Note,
    PolitiqueAbsences,
    ReglesControle,
    ReglesDeliberation,
    Resultat,
    Unite,
    UniteAcquise,
    arrondi,
    fr,
    regles_deliberation,
    unites_depuis_json,
)
from .epreuves import BENEFICE, DISPENSE, INSCRIT, NON_INSCRIT
from .errors import DomainError

# Sums of grade × coefficient are exact: a 60-digit context that raises rather than rounds.
CONTEXTE_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
# Said after every effect that comes from a setting (PolitiqueAbsences…) rather than from regles.json.
A_CONFIRMER = "règle fixée par le bureau, à confirmer par le chef"


def _atteint(points: Decimal, coef: Decimal, seuil: Decimal) -> bool:
    """average ≥ seuil, decided on the exact total."""
    with localcontext(CONTEXTE_EXACT):
        return points >= seuil * coef


def _moyenne(points: Decimal, coef: Decimal) -> Decimal | None:
    if not coef:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return points / coef


@dataclass(frozen=True)
class _Totaux:
    points: Decimal
    coef: Decimal
    points_pro: Decimal
    coef_pro: Decimal


@dataclass(frozen=True)
class _Lecture:
    """The grades read and checked: what counts, what is held, what waits."""

    retenues: dict[str, Decimal]          # obligatory units counted → grade
    origines: dict[str, str]              # code → session | bénéfice | session antérieure | contrôle
    bonus: Decimal                        # facultatives' points, weighted
    a_presenter: tuple[Unite, ...]
    differees: tuple[Unite, ...]
    eliminatoires: tuple[Unite, ...]
    explications: tuple[str, ...]


def _n(valeur: Decimal | None) -> str:
    """A threshold or a coefficient in French, without useless zeros: « 10 », « 2,5 »."""
    return "—" if valeur is None else f"{valeur.normalize():f}".replace(".", ",")


def _liste(unites: list[Unite] | tuple[Unite, ...]) -> str:
    return ", ".join(u.libelle for u in unites)


def _decimal(valeur: object, quoi: str) -> Decimal:
    if isinstance(valeur, bool) or not isinstance(valeur, Decimal | int):
        raise TypeError(f"{quoi} : Decimal attendu, pas {type(valeur).__name__}")
    return Decimal(valeur)


def _note(valeur: object, u: Unite) -> Note:
    if isinstance(valeur, Marque):
        return valeur
    note = _decimal(valeur, f"note de {u.code}")
    if not note.is_finite() or not Decimal(0) <= note <= Decimal(20):
        raise DomainError(f"La note de l'unité {u.libelle} doit être comprise entre 0 et 20 (saisie : {valeur}).")
    return note


def _lire(c: Candidature, regles: ReglesDeliberation) -> _Lecture:
    codes = {u.code for u in c.unites}
    inconnus = sorted((set(c.notes) | set(c.positions) | set(c.notes_controle) | set(c.acquis_anterieurs)) - codes)
    if inconnus:
        raise DomainError(f"Unités inconnues pour cette candidature : {', '.join(inconnus)}.")
    for quoi, pts in (("points du jury", c.points_jury), ("points du jury après contrôle", c.points_jury_controle)):
        if _decimal(pts, quoi) < 0:
            raise DomainError("Les points du jury s'ajoutent au total : ils ne peuvent pas être négatifs.")
    if c.acquis_anterieurs and not c.forme_progressive:
        raise DomainError("Les unités acquises aux sessions antérieures ne comptent qu'en forme progressive ; "
                          "en forme globale, elles sont déclarées en bénéfice.")
    retenues: dict[str, Decimal] = {}
    origines: dict[str, str] = {}
    bonus = Decimal(0)
    manquantes, sans_coef, non_inscrites, dispensees = [], [], [], []
    a_presenter, differees, eliminatoires, zeros, neutralisees = [], [], [], [], []
    expl: list[str] = []
    for u in c.unites:
        pos = c.position(u.code)
        if pos not in (INSCRIT, NON_INSCRIT, DISPENSE, BENEFICE):
            raise DomainError(f"Position inconnue pour l'unité {u.libelle} : {pos}.")
        brute = c.notes.get(u.code)
        note = None if brute is None else _note(brute, u)
        if u.facultative:
            if pos in (NON_INSCRIT, DISPENSE) or note is Marque.DI:
                continue
            if note is None:
                manquantes.append(u)
                continue
            if regles.seuil_facultatives is None:
                raise DomainError(f"La règle {regles.regle} ne prévoit pas d'épreuve facultative ({u.libelle}).")
            if isinstance(note, Marque):     # only points above the threshold count: an absence adds none
                expl.append(f"{u.libelle} (facultative) : {note}, aucun point.")
                continue
            coef = u.coefficient if u.coefficient is not None else regles.coefficient_facultatives
            with localcontext(CONTEXTE_EXACT):
                points = max(Decimal(0), note - regles.seuil_facultatives) * coef
                bonus += points
            ajout = f"+{fr(points)} point(s) au total" if points else "aucun point"
            expl.append(f"{u.libelle} (facultative) : {fr(note)}, {ajout} (seuls les points au-dessus de "
                        f"{_n(regles.seuil_facultatives)} comptent, coefficient {_n(coef)} ; {regles.regle}).")
            continue
        if u.coefficient is None:
            sans_coef.append(u)
            continue
        if pos == DISPENSE or note is Marque.DI:
            if isinstance(note, Decimal):
                raise DomainError(f"L'unité {u.libelle} est dispensée : elle ne peut pas être notée.")
            dispensees.append(u)
            continue
        if pos == NON_INSCRIT:
            if not c.forme_progressive:
                non_inscrites.append(u)
            elif u.code in c.acquis_anterieurs:
                tenue = _note(c.acquis_anterieurs[u.code], u)
                if not isinstance(tenue, Decimal) or tenue < regles.note_min_acquis:
                    raise DomainError(f"L'unité {u.libelle} n'est pas acquise : seules les notes d'au moins "
                                      f"{_n(regles.note_min_acquis)} sont conservées ({regles.regle_acquis}).")
                retenues[u.code], origines[u.code] = tenue, "session antérieure"
            else:
                a_presenter.append(u)
            continue
        if note is None:
            manquantes.append(u)
            continue
        if pos == BENEFICE and not isinstance(note, Decimal):
            raise DomainError(f"L'unité {u.libelle} est en bénéfice : indiquez la note conservée.")
        if isinstance(note, Marque):
            effet = regles.absences.effet(note)
            if effet is EffetAbsence.DIFFEREE:
                differees.append(u)
            elif effet is EffetAbsence.NEUTRALISEE:
                neutralisees.append(u)
            else:                            # ZERO, and ELIMINATOIRE: the relevé shows 0 all the same
                retenues[u.code], origines[u.code] = Decimal(0), "session"
                (zeros if effet is EffetAbsence.ZERO else eliminatoires).append(u)
            continue
        if u.code in c.acquis_anterieurs:    # *-BENEFICE-NOTES: sitting the unit again gives up the kept grade
            expl.append(f"{u.libelle} présentée de nouveau : la note antérieure "
                        f"{fr(_decimal(c.acquis_anterieurs[u.code], u.code))} est abandonnée ({regles.regle_acquis}).")
        retenues[u.code], origines[u.code] = note, ("bénéfice" if pos == BENEFICE else "session")
    if manquantes:
        raise DomainError(f"Délibération impossible : note manquante pour {_liste(manquantes)}.")
    if sans_coef:
        raise DomainError("Délibération impossible : coefficient absent du référentiel de la spécialité pour "
                          f"{_liste(sans_coef)}.")
    if non_inscrites:
        raise DomainError(f"Délibération impossible : {_liste(non_inscrites)} non inscrite(s) ; en forme globale, "
                          "toutes les unités obligatoires sont présentées, dispensées ou en bénéfice.")
    if dispensees:
        expl.append(f"Unités dispensées, hors du calcul ({regles.regle}) : {_liste(dispensees)}.")
    if zeros:
        expl.append(f"Absence non justifiée à {_liste(zeros)} : {EffetAbsence.ZERO} ({A_CONFIRMER}).")
    if neutralisees:
        expl.append(f"Absence justifiée à {_liste(neutralisees)} : {EffetAbsence.NEUTRALISEE} ({A_CONFIRMER}).")
    return _Lecture(retenues, origines, bonus, tuple(a_presenter), tuple(differees), tuple(eliminatoires),
                    tuple(expl))


def _totaliser(retenues: Mapping[str, Decimal], unites: tuple[Unite, ...]) -> _Totaux:
    points = coef = points_pro = coef_pro = Decimal(0)
    with localcontext(CONTEXTE_EXACT):
        for u in unites:
            if u.code in retenues and u.coefficient is not None:
                points += retenues[u.code] * u.coefficient
                coef += u.coefficient
                if u.professionnelle:
                    points_pro += retenues[u.code] * u.coefficient
                    coef_pro += u.coefficient
    return _Totaux(points, coef, points_pro, coef_pro)


def deliberer(c: Candidature, regles: ReglesDeliberation) -> Resultat:
    """The jury's decision for one candidature. Raises DomainError when it cannot be deliberated
    (missing grades, unknown coefficient, inconsistent input), naming the units in French."""
    lu = _lire(c, regles)
    expl = list(lu.explications)
    if c.forme_progressive and lu.a_presenter:
        expl.append(f"Forme progressive : restent à présenter {_liste(lu.a_presenter)} ; le diplôme est "
                    "délivré quand toutes les unités sont présentées.")
        return _resultat(c, regles, lu, Decision.UNITES_ACQUISES, None, None, Decimal(0), expl)
    if c.forme_progressive:
        expl.append("Forme progressive : toutes les unités sont présentées, délibération sur l'ensemble.")
    if lu.differees:
        expl.append(f"Absence justifiée à {_liste(lu.differees)} : {EffetAbsence.DIFFEREE} ({A_CONFIRMER}).")
        return _resultat(c, regles, lu, Decision.DIFFEREE, None, None, Decimal(0), expl)
    t = _totaliser(lu.retenues, c.unites)
    if not t.coef:
        raise DomainError("Délibération impossible : aucune unité obligatoire n'est notée.")
    with localcontext(CONTEXTE_EXACT):
        points = t.points + lu.bonus + c.points_jury
    mg = _moyenne(points, t.coef)
    assert mg is not None
    expl.append(f"Moyenne générale : {fr(mg, regles.seuil_admission)}/20 ({fr(points)} points, somme des "
                f"coefficients {_n(t.coef)}).")
    if c.points_jury:
        expl.append(f"Points du jury : +{fr(c.points_jury)} ; moyenne avant "
                    f"{fr(_moyenne(points - c.points_jury, t.coef))}, après {fr(mg)}.")
    if lu.eliminatoires:
        expl.append(f"Absence non justifiée à {_liste(lu.eliminatoires)} : {EffetAbsence.ELIMINATOIRE}, la "
                    f"moyenne ci-dessus la compte 0 ({A_CONFIRMER}).")
        decision, mention = Decision.AJOURNE, None
    elif c.forme_progressive and regles.progressive_toutes_acquises and (non_acquises := [
            u for u in c.unites if lu.retenues.get(u.code, regles.note_min_acquis) < regles.note_min_acquis]):
        expl.append(f"Forme progressive : {_liste(non_acquises)} non acquise(s), toutes les unités doivent "
                    f"l'être ({A_CONFIRMER}).")
        decision, mention = Decision.AJOURNE, None
    else:
        decision, mention = _premier_groupe(t, points, regles, expl)
    if c.notes_controle and decision is not Decision.AUTORISE_CONTROLE:
        raise DomainError("Des notes de l'épreuve de contrôle sont saisies alors que le candidat n'y est pas "
                          f"autorisé (décision du 1er groupe : {decision}).")
    if c.notes_controle and regles.controle is not None:
        return _second_groupe(c, regles, lu, t, mg, expl)
    return _resultat(c, regles, lu, decision, mention, t, c.points_jury, expl,
                     premier=mg if regles.controle else None)


def _premier_groupe(t: _Totaux, points: Decimal, regles: ReglesDeliberation,
                    expl: list[str]) -> tuple[Decision, Mention | None]:
    seuil, ctl = regles.seuil_admission, regles.controle
    mg_ok = _atteint(points, t.coef, seuil)
    seuil_pro = regles.seuil_professionnel if ctl is None else ctl.moyenne_professionnelle_min
    pro_ok = True
    if seuil_pro is not None and (ctl is None or not mg_ok):
        if not t.coef_pro:
            raise DomainError("Délibération impossible : aucune unité professionnelle n'est notée, la condition "
                              "sur leur moyenne ne peut pas être vérifiée.")
        pro_ok = _atteint(t.points_pro, t.coef_pro, seuil_pro)
        expl.append(f"Moyenne des unités professionnelles : {fr(_moyenne(t.points_pro, t.coef_pro), seuil_pro)}/20 "
                    f"({'au moins' if pro_ok else 'moins de'} {_n(seuil_pro)}).")
    if mg_ok and pro_ok:
        quoi = "Moyenne générale et moyenne professionnelle" if ctl is None and seuil_pro else "Moyenne générale"
        expl.append(f"{quoi} d'au moins {_n(seuil)} : admis{' au 1er groupe' if ctl else ''} ({regles.regle}).")
        return Decision.ADMIS, _mention(points, t.coef, regles, expl)
    if ctl is None:
        if seuil_pro is not None:            # CAP-ADMISSION: both averages, and the livret is read first
            manque = " et ".join(x for x, ok in (("générale", mg_ok), ("professionnelle", pro_ok)) if not ok)
            expl.append(f"Moyenne {manque} sous {_n(seuil)} : ajourné ({regles.regle}) ; le jury examine le "
                        "livret avant d'ajourner.")
        else:
            expl.append(f"Moyenne générale sous {_n(seuil)} : ajourné ({regles.regle}).")
        return Decision.AJOURNE, None
    plancher = ctl.moyenne_min if regles.seuil_ajournement is None else max(ctl.moyenne_min, regles.seuil_ajournement)
    if not _atteint(points, t.coef, plancher):
        expl.append(f"Moyenne générale sous {_n(plancher)} : ajourné ({regles.regle}).")
        return Decision.AJOURNE, None
    if _atteint(points, t.coef, ctl.moyenne_max_exclue):
        expl.append(f"Moyenne générale d'au moins {_n(ctl.moyenne_max_exclue)} sans être admis : pas d'épreuve "
                    f"de contrôle, ajourné (BCP-CONTROLE-ACCES).")
        return Decision.AJOURNE, None
    if not pro_ok:
        expl.append(f"Moyenne professionnelle sous {_n(ctl.moyenne_professionnelle_min)} : pas d'épreuve de "
                    "contrôle, ajourné (BCP-CONTROLE-ACCES).")
        return Decision.AJOURNE, None
    # BCP-CONTROLE-ACCES: moyenne_min ≤ MG < moyenne_max_exclue and professional average ≥ its minimum.
    expl.append(f"Moyenne générale d'au moins {_n(ctl.moyenne_min)} et sous {_n(ctl.moyenne_max_exclue)}, moyenne "
                f"professionnelle d'au moins {_n(ctl.moyenne_professionnelle_min)} : autorisé à l'épreuve de "
                "contrôle (BCP-CONTROLE-ACCES).")
    return Decision.AUTORISE_CONTROLE, None


def _mention(points: Decimal, coef: Decimal, regles: ReglesDeliberation, expl: list[str]) -> Mention | None:
    # BCP-MENTIONS: bands [minimum, maximum[, decided on the exact total like every threshold.
    for b in regles.mentions:
        if _atteint(points, coef, b.minimum) and (b.maximum_exclu is None
                                                  or not _atteint(points, coef, b.maximum_exclu)):
            borne = f" et sous {_n(b.maximum_exclu)}" if b.maximum_exclu is not None else ""
            expl.append(f"Mention {b.mention} : moyenne d'au moins {_n(b.minimum)}{borne} ({regles.regle_mentions}).")
            return b.mention
    return None


def _second_groupe(c: Candidature, regles: ReglesDeliberation, lu: _Lecture, t1: _Totaux, mg1: Decimal,
                   expl: list[str]) -> Resultat:
    ctl = regles.controle
    assert ctl is not None
    if len(c.notes_controle) > ctl.nombre_sous_epreuves:
        raise DomainError(f"L'épreuve de contrôle compte {ctl.nombre_sous_epreuves} sous-épreuves : "
                          f"{len(c.notes_controle)} notes de contrôle sont saisies.")
    par_code = {u.code: u for u in c.unites}
    retenues, origines = dict(lu.retenues), dict(lu.origines)
    for code, brute in sorted(c.notes_controle.items()):
        u = par_code[code]
        if u.facultative or u.professionnelle or code not in lu.retenues:
            raise DomainError(f"L'unité {u.libelle} ne peut pas être réévaluée à l'épreuve de contrôle : seules "
                              "les unités générales obligatoires notées le peuvent (BCP-CONTROLE-ACCES).")
        note, premiere = _note(brute, u), lu.retenues[code]
        if isinstance(note, Marque):
            effet = regles.absences.effet(note)
            if effet in (EffetAbsence.ELIMINATOIRE, EffetAbsence.DIFFEREE):
                expl.append(f"{note} à l'épreuve de contrôle ({u.libelle}) : {effet} ({A_CONFIRMER}).")
                decision = Decision.AJOURNE if effet is EffetAbsence.ELIMINATOIRE else Decision.DIFFEREE
                return _resultat(c, regles, lu, decision, None, t1, c.points_jury, expl, premier=mg1)
            expl.append(f"{note} à l'épreuve de contrôle ({u.libelle}) : la note du 1er groupe ({fr(premiere)}) "
                        "reste retenue.")
            continue
        # BCP-CONTROLE-MODALITES « meilleure_note »: for each re-assessed unit the better grade is kept.
        if note > premiere:
            retenues[code], origines[code] = note, "contrôle"
        expl.append(f"{u.libelle} : 1er groupe {fr(premiere)}, contrôle {fr(note)} ; note "
                    f"{'du contrôle' if note > premiere else 'du 1er groupe'} retenue (BCP-CONTROLE-MODALITES).")
    lu2 = replace(lu, retenues=retenues, origines=origines)
    t = _totaliser(retenues, c.unites)
    with localcontext(CONTEXTE_EXACT):
        jury = c.points_jury + c.points_jury_controle
        points = t.points + lu.bonus + jury
    mg = _moyenne(points, t.coef)
    assert mg is not None
    expl.append(f"Moyenne générale après contrôle : {fr(mg, ctl.seuil_admission)}/20.")
    if c.points_jury_controle:
        expl.append(f"Points du jury après contrôle : +{fr(c.points_jury_controle)} ; moyenne avant "
                    f"{fr(_moyenne(points - c.points_jury_controle, t.coef))}, après {fr(mg)}.")
    if not _atteint(points, t.coef, ctl.seuil_admission):
        expl.append(f"Moyenne après contrôle sous {_n(ctl.seuil_admission)} : ajourné (BCP-CONTROLE-MODALITES).")
        return _resultat(c, regles, lu2, Decision.AJOURNE, None, t, jury, expl, premier=mg1)
    if ctl.mention_possible:
        mention = _mention(points, t.coef, regles, expl)
    else:
        mention = None
        expl.append(f"Moyenne après contrôle d'au moins {_n(ctl.seuil_admission)} : admis après contrôle, "
                    "sans mention (BCP-CONTROLE-MODALITES).")
    return _resultat(c, regles, lu2, Decision.ADMIS_APRES_CONTROLE, mention, t, jury, expl, premier=mg1)


def _resultat(c: Candidature, regles: ReglesDeliberation, lu: _Lecture, decision: Decision,
              mention: Mention | None, t: _Totaux | None, jury: Decimal, expl: list[str],
              premier: Decimal | None = None) -> Resultat:
    mg = avant = pro = gen = None
    if t is not None:
        mg = _moyenne(t.points + lu.bonus + jury, t.coef)
        avant = _moyenne(t.points + lu.bonus, t.coef)
        pro, gen = _moyenne(t.points_pro, t.coef_pro), _moyenne(t.points - t.points_pro, t.coef - t.coef_pro)
    else:
        jury = Decimal(0)
    par_code = {u.code: u for u in c.unites}
    acquises = tuple(UniteAcquise(code, par_code[code].libelle, note, lu.origines[code])
                     for code, note in lu.retenues.items() if note >= regles.note_min_acquis)
    if decision in (Decision.AJOURNE, Decision.UNITES_ACQUISES) and acquises:
        # *-BENEFICE-NOTES: grades at least note_min are kept (bénéfice) or attested (blocs de compétences).
        expl.append(f"Unités acquises (note d'au moins {_n(regles.note_min_acquis)} ; {regles.regle_acquis}) : "
                    + ", ".join(f"{a.libelle} ({fr(a.note)})" for a in acquises) + ".")
    lignes = []
    for u in c.unites:
        note = c.notes.get(u.code)
        if note is None and u.code in c.acquis_anterieurs and c.position(u.code) == NON_INSCRIT:
            note = c.acquis_anterieurs[u.code]
        retenue = lu.retenues.get(u.code)
        if u.facultative and isinstance(note, Decimal) and c.position(u.code) in (INSCRIT, BENEFICE):
            retenue = note
        lignes.append(LigneNote(u, c.position(u.code), note, c.notes_controle.get(u.code), retenue))
    return Resultat(decision, mention, mg, pro, gen, avant, jury, premier, lu.bonus, tuple(lignes), acquises,
                    tuple(u.code for u in lu.a_presenter), tuple(expl))


__all__ = ["BENEFICE", "COEFFICIENT_FACULTATIVES", "DISPENSE", "INSCRIT", "NON_INSCRIT", "BandeMention",
           "Candidature", "Decision", "EffetAbsence", "LigneNote", "Marque", "Mention", "Note",
           "PolitiqueAbsences", "ReglesControle", "ReglesDeliberation", "Resultat", "Unite", "UniteAcquise",
           "arrondi", "deliberer", "fr", "regles_deliberation", "unites_depuis_json"]
