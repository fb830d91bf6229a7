"""The deliberation engine on real spécialités (resources/referentiel), its rule values read from regles.json.

Units used (specialites.json), coefficient in brackets, P = professional, G = general:
- BCP-25303 Aéronautique, scolaire: U11 (1,5 G) U12 (1,5 G) U2 (4 P) U31–U34 (2 P each) U35 (1 G) U36 (1 G)
  U4 (2 G) U51 (2,5 G) U52 (2,5 G) U6 (1 G) U7 (1 G) CO1 (2 P); facultatives UF1, UF2.
  Sum 28 = 14 P + 14 G, so with every P unit at p and every G unit at g: MG = (14p + 14g) / 28 = (p + g) / 2.
- CAP-25524 Électricien, apprenti: UP1 (7 P) UP2 (4 P) UP3 (2 P) UG1 (3 G) UG2 (2 G) UG3 (1 G) CO (1 P); UF1.
  Sum 20 = 14 P + 6 G: MG = (14p + 6g) / 20.
- BP-22108 Boulanger: U10 (12 P) U20 (3 P) U30 (3 P) U41 (3 P) U42 (3 P) U50 (3 G) U60 (1 G); UF.
  Sum 28 = 24 P + 4 G.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from cyclades_desktop.rules.deliberation import (
    BENEFICE,
    DISPENSE,
    INSCRIT,
    NON_INSCRIT,
    Candidature,
    Decision,
    EffetAbsence,
    Marque,
    Mention,
    PolitiqueAbsences,
    Unite,
    arrondi,
    deliberer,
    fr,
    regles_deliberation,
    unites_depuis_json,
)
from cyclades_desktop.rules.errors import DomainError

D = Decimal
REFERENTIEL = Path(__file__).resolve().parents[2] / "resources" / "referentiel"
REGLES = json.loads((REFERENTIEL / "regles.json").read_text(encoding="utf-8"))
SPECIALITES = {s["id"]: s for s in json.loads((REFERENTIEL / "specialites.json").read_text(encoding="utf-8"))}


def unites(specialite: str, famille: str | None = None, options: dict[str, str] | None = None):
    return unites_depuis_json(SPECIALITES[specialite]["epreuves"], famille=famille, options=options)


AERO = unites("BCP-25303", "scolaire")
ELEC = unites("CAP-25524", "apprenti")
BOUL = unites("BP-22108")
BCP, CAP, BP = (regles_deliberation(REGLES, d) for d in ("BCP", "CAP", "BP"))


def notes(us, pro: str, gen: str, **par_unite: str | Marque) -> dict[str, Decimal | Marque]:
    """Every obligatory P unit at `pro`, every G unit at `gen`; keyword = unit (U11, CO1…) → exception."""
    out: dict[str, Decimal | Marque] = {u.code: D(pro if u.professionnelle else gen) for u in us if not u.facultative}
    par_code = {u.unite or u.code: u.code for u in us}
    for unite, v in par_unite.items():
        out[par_code[unite]] = v if isinstance(v, Marque) else D(v)
    return out


def code(us, unite: str) -> str:
    return next(u.code for u in us if (u.unite or u.code) == unite)


# ---------------------------------------------------------------- the référentiel drives the values
def test_rule_values_come_from_regles_json():
    assert (BCP.regle, BCP.seuil_admission, BCP.seuil_ajournement, BCP.seuil_facultatives) == (
        "BCP-ADMISSION", D(10), D(8), D(10))
    c = BCP.controle
    assert (c.moyenne_min, c.moyenne_max_exclue, c.moyenne_professionnelle_min, c.nombre_sous_epreuves,
            c.seuil_admission, c.mention_possible) == (D(8), D(10), D(10), 2, D(10), False)
    assert [(b.mention, b.minimum, b.maximum_exclu) for b in BCP.mentions] == [
        (Mention.ASSEZ_BIEN, D(12), D(14)), (Mention.BIEN, D(14), D(16)), (Mention.TRES_BIEN, D(16), None)]
    assert (CAP.seuil_professionnel, CAP.controle, CAP.mentions) == (D(10), None, ())
    assert (BP.seuil_professionnel, BP.seuil_facultatives) == (None, D(10))
    mc, cs = regles_deliberation(REGLES, "MC"), regles_deliberation(REGLES, "CS")
    assert (mc.regle, cs.regle, mc.seuil_facultatives, mc.regle_acquis) == (
        "MC-CS-ADMISSION", "MC-CS-ADMISSION", None, "MC-CS-ADMISSION")
    # Silent in regles.json, hence explicit settings with their documented defaults.
    assert (BCP.coefficient_facultatives, BCP.absences) == (
        D(1), PolitiqueAbsences(EffetAbsence.ELIMINATOIRE, EffetAbsence.DIFFEREE))


def test_changing_regles_json_changes_the_decision():
    # MG 7,99 (p 10, g 5,98): ajourné under « seuil_ajournement_direct » 8; with 7 it is a contrôle.
    modifiees = copy.deepcopy(REGLES)
    par_id = {r["id"]: r["parametres"] for r in modifiees}
    par_id["BCP-ADMISSION"]["seuil_ajournement_direct"] = par_id["BCP-CONTROLE-ACCES"]["moyenne_generale_min"] = 7
    c = Candidature(AERO, notes(AERO, "10", "5.98"))
    assert deliberer(c, BCP).decision is Decision.AJOURNE
    assert deliberer(c, regles_deliberation(modifiees, "BCP")).decision is Decision.AUTORISE_CONTROLE


def test_units_of_real_trees():
    assert [u.unite for u in AERO if u.facultative] == ["UF1", "UF2"]
    obligatoires = [u for u in AERO if not u.facultative]
    assert (sum(u.coefficient for u in obligatoires), sum(u.coefficient for u in obligatoires
                                                          if u.professionnelle)) == (D(28), D(14))
    individuel = unites("BCP-25303", "individuel")
    assert "CO1" not in {u.unite for u in individuel}      # chef-d'œuvre: scolaires and apprentis only
    assert [u.unite for u in ELEC] == ["UP1", "UP2", "UP3", "UG1", "UG2", "UG3", None, "UF1"]
    with pytest.raises(DomainError, match="Choisissez l'option présentée pour l'épreuve E3"):
        unites("BP-33608")
    coiffure = unites("BP-33608", options={"E3": "E3-B"})
    assert "E3-B" in {u.code for u in coiffure} and "E3-A" not in {u.code for u in coiffure}


# ---------------------------------------------------------------- BCP, 1st group
@pytest.mark.parametrize(("pro", "gen", "decision", "mention", "mg"), [
    # (p + g) / 2 each time.
    pytest.param("10", "10", Decision.ADMIS, None, "10", id="MG 10,00 admis"),
    pytest.param("10", "9.98", Decision.AUTORISE_CONTROLE, None, "9.99", id="MG 9,99 pro 10 controle"),
    pytest.param("10", "6", Decision.AUTORISE_CONTROLE, None, "8", id="MG 8,00 controle"),
    pytest.param("10", "5.98", Decision.AJOURNE, None, "7.99", id="MG 7,99 ajourne"),
    pytest.param("10", "8", Decision.AUTORISE_CONTROLE, None, "9", id="MG 9 pro 10,00 controle"),
    pytest.param("9.99", "8.01", Decision.AJOURNE, None, "9", id="MG 9 pro 9,99 ajourne"),
    pytest.param("12", "11.98", Decision.ADMIS, None, "11.99", id="MG 11,99 sans mention"),
    pytest.param("12", "12", Decision.ADMIS, Mention.ASSEZ_BIEN, "12", id="MG 12,00 AB"),
    pytest.param("14", "13.98", Decision.ADMIS, Mention.ASSEZ_BIEN, "13.99", id="MG 13,99 AB"),
    pytest.param("14", "14", Decision.ADMIS, Mention.BIEN, "14", id="MG 14,00 B"),
    pytest.param("16", "15.98", Decision.ADMIS, Mention.BIEN, "15.99", id="MG 15,99 B"),
    pytest.param("16", "16", Decision.ADMIS, Mention.TRES_BIEN, "16", id="MG 16,00 TB"),
])
def test_bcp_thresholds_and_mentions(pro, gen, decision, mention, mg):
    r = deliberer(Candidature(AERO, notes(AERO, pro, gen)), BCP)
    assert (r.decision, r.mention, r.moyenne_generale) == (decision, mention, D(mg))
    assert (r.moyenne_professionnelle, r.moyenne_enseignement_general) == (D(pro), D(gen))


def test_bcp_worked_example():
    n = notes(AERO, "0", "0", U11="12", U12="9", U2="11", U31="13", U32="12.5", U33="10", U34="14", U35="8",
              U36="11", U4="9.5", U51="10", U52="7", U6="15", U7="16", CO1="13")
    r = deliberer(Candidature(AERO, n), BCP)
    # points 18 + 13,5 + 44 + 26 + 25 + 20 + 28 + 8 + 11 + 19 + 25 + 17,5 + 15 + 16 + 26 = 312; 312 / 28 = 11,142857…
    # professional: 44 + 26 + 25 + 20 + 28 + 26 = 169, / 14 = 12,0714…; general: 143 / 14 = 10,2142…
    assert r.decision is Decision.ADMIS and r.mention is None
    assert (arrondi(r.moyenne_generale), arrondi(r.moyenne_professionnelle),
            arrondi(r.moyenne_enseignement_general)) == (D("11.14"), D("12.07"), D("10.21"))
    assert r.explications[0] == "Moyenne générale : 11,14/20 (312,00 points, somme des coefficients 28)."
    assert "admis au 1er groupe (BCP-ADMISSION)" in r.explications[-1]


@pytest.mark.parametrize(("uf1", "uf2", "mention", "bonus"), [
    # Base p 12, g 11,98: 168 + 167,72 = 335,72 points, MG 11,99.
    pytest.param("9", None, None, "0", id="facultative 9 adds nothing"),
    pytest.param("10", None, None, "0", id="facultative 10 adds nothing"),
    # 13 → 3 points above 10, coefficient 1: 338,72 / 28 = 12,097 → AB.
    pytest.param("13", None, Mention.ASSEZ_BIEN, "3", id="facultative 13 adds 3 points"),
    pytest.param("13", "10.5", Mention.ASSEZ_BIEN, "3.5", id="two facultatives add up"),
    pytest.param(Marque.ABS, None, None, "0", id="absent at a facultative adds nothing"),
])
def test_bcp_facultatives_points_above_10(uf1, uf2, mention, bonus):
    n = notes(AERO, "12", "11.98")
    n["EF1"] = uf1 if isinstance(uf1, Marque) else D(uf1)
    if uf2:
        n["EF2"] = D(uf2)
    r = deliberer(Candidature(AERO, n), BCP)
    assert (r.decision, r.mention, r.points_facultatives) == (Decision.ADMIS, mention, D(bonus))
    assert r.moyenne_generale == (D("335.72") + D(bonus)) / 28      # the divisor stays 28


def test_facultative_weight_is_a_setting():
    # Coefficient 2 (the chef's setting): 13 → 3 × 2 = 6 points; (335,72 + 6) / 28 = 12,204…
    regles = regles_deliberation(REGLES, "BCP", coefficient_facultatives=D(2))
    r = deliberer(Candidature(AERO, notes(AERO, "12", "11.98") | {"EF1": D(13)}), regles)
    assert r.points_facultatives == D(6) and r.moyenne_generale == D("341.72") / 28


def test_dispensed_units_leave_the_average():
    # BTS holder (the CYCLADES guide's example, tests/fabriques.py): U4, U51, U52, U6, U7 dispensed → sum of coefficients 28 − 9 = 19.
    # P units 10 → 140; U11 12 → 18; U12 11 → 16,5; U35 10; U36 9 → 193,5 / 19 = 10,184…  (÷ 28 would be 6,91)
    dispenses = {code(AERO, u): DISPENSE for u in ("U4", "U51", "U52", "U6", "U7")}
    n = {k: v for k, v in notes(AERO, "10", "0", U11="12", U12="11", U35="10", U36="9").items() if k not in dispenses}
    r = deliberer(Candidature(AERO, n, positions=dispenses), BCP)
    assert r.decision is Decision.ADMIS and r.moyenne_generale == D("193.5") / 19
    assert any("Unités dispensées, hors du calcul" in x and "U51 Français" in x for x in r.explications)
    par = {x.unite.code: x for x in r.lignes}
    assert (par["E5-A"].position, par["E5-A"].note_retenue) == (DISPENSE, None)
    # DI entered as a grade has the same effect.
    r_di = deliberer(Candidature(AERO, n | {k: Marque.DI for k in dispenses}), BCP)
    assert r_di.moyenne_generale == r.moyenne_generale


def test_benefice_counts_as_a_grade():
    # p 10, g 9,5, U51 kept at 14 from an earlier session: 140 + 11,5 × 9,5 + 2,5 × 14 = 284,25 / 28 = 10,15…
    # Without it (9,5 everywhere): 273 / 28 = 9,75 → contrôle.
    n = notes(AERO, "10", "9.5", U51="14")
    r = deliberer(Candidature(AERO, n, positions={"E5-A": BENEFICE}), BCP)
    assert r.decision is Decision.ADMIS and r.moyenne_generale == D("284.25") / 28
    assert ("E5-A", "bénéfice") in {(a.code, a.origine) for a in r.unites_acquises}
    assert deliberer(Candidature(AERO, notes(AERO, "10", "9.5")), BCP).decision is Decision.AUTORISE_CONTROLE


# ---------------------------------------------------------------- BCP, épreuve de contrôle
@pytest.mark.parametrize(("maths", "francais", "decision", "mg"), [
    # 1st group p 10, g 9 → 266 / 28 = 9,5. Re-assessed U11 (1,5) and U51 (2,5), best grade kept.
    # 266 + 1,5 × (15 − 9) + 2,5 × (13 − 9) = 285 → 10,178…
    pytest.param("15", "13", Decision.ADMIS_APRES_CONTROLE, "285", id="both better admis"),
    # U11 5 < 9: the 9 is kept; 266 + 2,5 × (16 − 9) = 283,5 → 10,125 (with the 5 it would be 277,5 → 9,91)
    pytest.param("5", "16", Decision.ADMIS_APRES_CONTROLE, "283.5", id="lower controle grade keeps the first"),
    # 266 + 1,5 × 1 + 2,5 × 1 = 270 → 9,64
    pytest.param("10", "10", Decision.AJOURNE, "270", id="still under 10 ajourne"),
    # Exactly 280: 266 + 1,5 × (13 − 9) + 2,5 × (12,2 − 9) = 266 + 6 + 8 = 280 → 10,00
    pytest.param("13", "12.2", Decision.ADMIS_APRES_CONTROLE, "280", id="exactly 10 after controle"),
])
def test_bcp_controle_best_of(maths, francais, decision, mg):
    c = Candidature(AERO, notes(AERO, "10", "9"), notes_controle={"E1-A": D(maths), "E5-A": D(francais)})
    r = deliberer(c, BCP)
    assert (r.decision, r.mention) == (decision, None)
    assert r.moyenne_generale == D(mg) / 28 and r.moyenne_premier_groupe == D("9.5")


def test_no_mention_after_controle():
    r = deliberer(Candidature(AERO, notes(AERO, "10", "9"), notes_controle={"E1-A": D(20), "E5-A": D(20)}), BCP)
    # 266 + 16,5 + 27,5 = 310 → 11,07; and mention_possible is false in BCP-CONTROLE-MODALITES.
    assert (r.decision, r.mention) == (Decision.ADMIS_APRES_CONTROLE, None)
    assert "sans mention (BCP-CONTROLE-MODALITES)" in r.explications[-1]
    retenues = {x.unite.code: x.note_retenue for x in r.lignes}
    assert (retenues["E1-A"], retenues["E5-A"], retenues["E2"]) == (D(20), D(20), D(10))


@pytest.mark.parametrize(("gen", "notes_controle", "message"), [
    pytest.param("9", {"E2": D(12)}, "ne peut pas être réévaluée", id="professional unit"),
    pytest.param("9", {"E1-A": D(12), "E1-B": D(12), "E5-A": D(12)}, "2 sous-épreuves", id="three orals"),
    pytest.param("12", {"E1-A": D(15)}, "n'y est pas autorisé", id="admitted at the 1st group"),
])
def test_controle_refusals(gen, notes_controle, message):
    with pytest.raises(DomainError, match=message):
        deliberer(Candidature(AERO, notes(AERO, "10", gen), notes_controle=notes_controle), BCP)


# ---------------------------------------------------------------- CAP
@pytest.mark.parametrize(("n", "decision", "mg"), [
    # (14p + 6g) / 20
    pytest.param(notes(ELEC, "10", "10"), Decision.ADMIS, "10", id="both 10,00 admis"),
    pytest.param(notes(ELEC, "10", "12"), Decision.ADMIS, "10.6", id="pro 10,00 admis"),
    # (139,86 + 72) / 20 = 10,593: the overall average is enough, the professional one is not.
    pytest.param(notes(ELEC, "9.99", "12"), Decision.AJOURNE, "10.593", id="pro 9,99 ajourne"),
    # 140 + 29,7 + 20 + 10,1 = 199,8 → 9,99 with professional average 10.
    pytest.param(notes(ELEC, "10", "0", UG1="9.9", UG2="10", UG3="10.1"), Decision.AJOURNE, "9.99",
                 id="MG 9,99 ajourne"),
    # Worked: 77 + 36 + 24 + 10 = 147 (pro 10,5); 24 + 18 + 14 = 56 (gen 9,33); 203 / 20 = 10,15
    pytest.param(notes(ELEC, "0", "0", UP1="11", UP2="9", UP3="12", CO="10", UG1="8", UG2="9", UG3="14"),
                 Decision.ADMIS, "10.15", id="worked example"),
    # 140 + 57 = 197 → 9,85; the facultative at 9 adds nothing, at 13 adds 3 → 200 → 10,00
    pytest.param(notes(ELEC, "10", "9.5") | {"EF1": D(9)}, Decision.AJOURNE, "9.85", id="facultative 9"),
    pytest.param(notes(ELEC, "10", "9.5") | {"EF1": D(13)}, Decision.ADMIS, "10", id="facultative 13"),
])
def test_cap_both_averages(n, decision, mg):
    r = deliberer(Candidature(ELEC, n), CAP)
    assert (r.decision, r.mention, r.moyenne_generale) == (decision, None, D(mg))
    if decision is Decision.AJOURNE:
        assert "le jury examine le livret avant d'ajourner" in r.explications[-2]


def test_cap_dispensed_general_units_and_professional_average_unchanged():
    # A CAP holder dispensed of UG1–UG3 (CAP-DISPENSES-DIPLOME): only the 14 professional coefficients count.
    # 7 × 10 + 4 × 11 + 2 × 9 + 1 × 8 = 140 → 10,00
    n = notes(ELEC, "0", "0", UP1="10", UP2="11", UP3="9", CO="8")
    disp = {code(ELEC, u): DISPENSE for u in ("UG1", "UG2", "UG3")}
    r = deliberer(Candidature(ELEC, {k: v for k, v in n.items() if k not in disp}, positions=disp), CAP)
    assert (r.decision, r.moyenne_generale, r.moyenne_professionnelle, r.moyenne_enseignement_general) == (
        Decision.ADMIS, D(10), D(10), None)


# ---------------------------------------------------------------- BP, MC / CS
@pytest.mark.parametrize(("par_unite", "positions", "decision", "mg"), [
    # 108 + 36 + 33 + 30 + 24 + 39 + 10 = 280 → 10,00; professional 231 / 24 = 9,625 but BP has no such threshold
    pytest.param(dict(U10="9", U20="12", U30="11", U41="10", U42="8", U50="13", U60="10"), {}, Decision.ADMIS,
                 "10", id="MG 10,00 admis"),
    # U60 9,72: 279,72 → 9,99
    pytest.param(dict(U10="9", U20="12", U30="11", U41="10", U42="8", U50="13", U60="9.72"), {}, Decision.AJOURNE,
                 "9.99", id="MG 9,99 ajourne"),
    # Bachelier dispensed of U50 and U60 (BP-DISPENSES-DIPLOME): 120 + 36 + 33 + 30 + 24 = 243 / 24 = 10,125
    pytest.param(dict(U10="10", U20="12", U30="11", U41="10", U42="8"), {"E5": DISPENSE, "E6": DISPENSE},
                 Decision.ADMIS, "10.125", id="dispensed excluded"),
])
def test_bp_weighted_average(par_unite, positions, decision, mg):
    n = {k: v for k, v in notes(BOUL, "0", "0", **par_unite).items() if k not in positions}
    r = deliberer(Candidature(BOUL, n, positions=positions), BP)
    assert (r.decision, r.mention, r.moyenne_generale) == (decision, None, D(mg))


def test_display_rounding_never_decides():
    # 279,86 / 28 = 9,995 exactly: shown 10,00 (2 decimals half up) but the decision is on 9,995.
    n = notes(BOUL, "0", "0", U10="9", U20="12", U30="11", U41="10", U42="8", U50="13", U60="9.86")
    r = deliberer(Candidature(BOUL, n), BP)
    assert (r.decision, r.moyenne_generale, arrondi(r.moyenne_generale)) == (Decision.AJOURNE, D("9.995"), D("10.00"))
    assert r.explications[0].startswith("Moyenne générale : 9,9950/20")     # never « 10,00 » next to a refusal
    assert (fr(D("9.995")), fr(D("12.345"))) == ("10,00", "12,35")


def test_mc_cs_average_and_no_facultative():
    mc = regles_deliberation(REGLES, "CS")
    us = (Unite("EP1", "Pratique", D(4), "professionnel", unite="U1"),
          Unite("EP2", "Technologie", D(2), "professionnel", unite="U2"),
          Unite("EG", "Gestion", D(1), unite="U3"))
    # 4 × 11 + 2 × 9 + 1 × 8 = 70 / 7 = 10 → admis; 4 × 11 + 2 × 9 + 1 × 7,93 = 69,93 → 9,99 → ajourné
    assert deliberer(Candidature(us, {"EP1": D(11), "EP2": D(9), "EG": D(8)}), mc).decision is Decision.ADMIS
    assert deliberer(Candidature(us, {"EP1": D(11), "EP2": D(9), "EG": D("7.93")}), mc).decision is Decision.AJOURNE
    avec_fac = us + (Unite("EF", "Langue", None, nature="facultative"),)
    with pytest.raises(DomainError, match="MC-CS-ADMISSION ne prévoit pas d'épreuve facultative"):
        deliberer(Candidature(avec_fac, {"EP1": D(11), "EP2": D(9), "EG": D(8), "EF": D(14)}), mc)


# ---------------------------------------------------------------- jury points
def test_jury_points_added_to_the_total_before_after():
    # p 10; U11, U12, U35, U36 at 9, the rest of G at 10: 140 + 13,5 + 13,5 + 9 + 9 + 20 + 25 + 25 + 10 + 10 = 275
    # → 9,82; + 5 points → 280 → 10,00 admis.
    n = notes(AERO, "10", "10", U11="9", U12="9", U35="9", U36="9")
    sans, avec = (deliberer(Candidature(AERO, n, points_jury=D(p)), BCP) for p in (0, 5))
    assert sans.decision is Decision.AUTORISE_CONTROLE and sans.moyenne_generale == D(275) / 28
    assert (avec.decision, avec.points_jury, avec.moyenne_avant_jury, avec.moyenne_generale) == (
        Decision.ADMIS, D(5), D(275) / 28, D(10))
    assert "Points du jury : +5,00 ; moyenne avant 9,82, après 10,00." in avec.explications
    with pytest.raises(DomainError, match="négatifs"):
        deliberer(Candidature(AERO, n, points_jury=D(-1)), BCP)


def test_jury_points_after_controle():
    # 266 + 1,5 × (12 − 9) + 2,5 × (11 − 9) = 275,5 → 9,84; + 4,5 points after contrôle → 280 → 10,00
    c = Candidature(AERO, notes(AERO, "10", "9"), notes_controle={"E1-A": D(12), "E5-A": D(11)},
                    points_jury_controle=D("4.5"))
    r = deliberer(c, BCP)
    assert (r.decision, r.moyenne_avant_jury, r.moyenne_generale) == (
        Decision.ADMIS_APRES_CONTROLE, D("275.5") / 28, D(10))


# ---------------------------------------------------------------- missing grades, absences
def test_missing_grades_refused_naming_the_units():
    n = notes(AERO, "12", "12")
    del n["E1-A"], n["E2"]
    with pytest.raises(DomainError) as e:
        deliberer(Candidature(AERO, n), BCP)
    assert e.value.message == ("Délibération impossible : note manquante pour U11 Mathématiques, "
                               "U2 Exploitation de la documentation technique.")


def test_chosen_facultative_without_grade_is_missing():
    with pytest.raises(DomainError, match="note manquante pour UF1 Langue vivante facultative"):
        deliberer(Candidature(AERO, notes(AERO, "12", "12"), positions={"EF1": INSCRIT}), BCP)


def test_unknown_coefficient_refused():
    melec = unites("BCP-25520", "scolaire")         # a partial tree: several coefficients are null
    n = {u.code: D(12) for u in melec if not u.facultative}
    with pytest.raises(DomainError) as e:
        deliberer(Candidature(melec, n), BCP)
    assert e.value.message == (
        "Délibération impossible : coefficient absent du référentiel de la spécialité pour U11 Mathématiques, "
        "U12 Physique-chimie, U2, Sous-épreuves professionnelles de la spécialité.")


@pytest.mark.parametrize(("politique", "marque", "decision", "mention", "mg"), [
    # Every unit 14, U7 (coefficient 1) absent.
    pytest.param(PolitiqueAbsences(), Marque.ABS, Decision.AJOURNE, None, "378", id="ABS default eliminatoire"),
    pytest.param(PolitiqueAbsences(), Marque.ABJ, Decision.DIFFEREE, None, None, id="ABJ default differee"),
    # 392 − 14 = 378 / 28 = 13,5 → AB
    pytest.param(PolitiqueAbsences(injustifiee=EffetAbsence.ZERO), Marque.ABS, Decision.ADMIS,
                 Mention.ASSEZ_BIEN, "378", id="ABS counted zero"),
    # U7 out of the calculation: 378 / 27 = 14 → B
    pytest.param(PolitiqueAbsences(justifiee=EffetAbsence.NEUTRALISEE), Marque.ABJ, Decision.ADMIS,
                 Mention.BIEN, "378/27", id="ABJ neutralised"),
])
def test_absences_follow_the_policy(politique, marque, decision, mention, mg):
    regles = replace(BCP, absences=politique)
    r = deliberer(Candidature(AERO, notes(AERO, "14", "14", U7=marque)), regles)
    assert (r.decision, r.mention) == (decision, mention)
    num, _, den = (mg or "").partition("/")
    assert r.moyenne_generale == (D(num) / D(den or 28) if mg else None)
    assert any("à confirmer par le chef" in x for x in r.explications)     # never a hidden guess


def test_absence_at_controle_keeps_the_first_grade_when_counted_zero():
    regles = replace(BCP, absences=PolitiqueAbsences(injustifiee=EffetAbsence.ZERO))
    # U51 absent at the oral: 9 kept; U11 15: 266 + 9 = 275 → 9,82 → ajourné
    r = deliberer(Candidature(AERO, notes(AERO, "10", "9"), notes_controle={"E1-A": D(15), "E5-A": Marque.ABS}),
                  regles)
    assert r.decision is Decision.AJOURNE and r.moyenne_generale == D(275) / 28
    # Default policy: an unjustified absence at the oral is eliminatory.
    r2 = deliberer(Candidature(AERO, notes(AERO, "10", "9"), notes_controle={"E5-A": Marque.ABS}), BCP)
    assert r2.decision is Decision.AJOURNE


# ---------------------------------------------------------------- forme progressive
def test_progressive_form_accumulates_units():
    tous = {u.code for u in BOUL if not u.facultative}
    # Session 1: U10 12, U20 11, U30 8; the rest left for later.
    s1 = Candidature(BOUL, {"E1": D(12), "E2": D(11), "E3": D(8)}, forme_progressive=True,
                     positions={c: NON_INSCRIT for c in tous - {"E1", "E2", "E3"}})
    r1 = deliberer(s1, BP)
    assert (r1.decision, r1.moyenne_generale) == (Decision.UNITES_ACQUISES, None)
    assert [(a.code, a.note, a.origine) for a in r1.unites_acquises] == [("E1", D(12), "session"),
                                                                          ("E2", D(11), "session")]
    assert r1.unites_a_presenter == ("E41", "E42", "E5", "E6")
    # Session 2: U10 and U20 held; U30 (8 not held) sat again at 9, the others now:
    # 12 × 12 + 3 × 11 + 3 × 9 + 3 × 10 + 3 × 11 + 3 × 12 + 1 × 10 = 144 + 33 + 27 + 30 + 33 + 36 + 10 = 313 → 11,18
    s2 = Candidature(BOUL, {"E3": D(9), "E41": D(10), "E42": D(11), "E5": D(12), "E6": D(10)},
                     positions={"E1": NON_INSCRIT, "E2": NON_INSCRIT}, forme_progressive=True,
                     acquis_anterieurs={"E1": D(12), "E2": D(11)})
    r2 = deliberer(s2, BP)
    assert (r2.decision, r2.moyenne_generale, r2.unites_a_presenter) == (Decision.ADMIS, D(313) / 28, ())
    assert ("E1", "session antérieure") in {(a.code, a.origine) for a in r2.unites_acquises}
    # The stricter reading, a setting for the chef: U30 at 9 is not held, so no diploma yet.
    r3 = deliberer(s2, replace(BP, progressive_toutes_acquises=True))
    assert r3.decision is Decision.AJOURNE and "U30 Sciences appliquées" in r3.explications[-2]


def test_progressive_form_refuses_a_held_unit_under_10_and_needs_the_flag():
    pos = {"E1": NON_INSCRIT}
    n = {c: D(12) for c in ("E2", "E3", "E41", "E42", "E5", "E6")}
    with pytest.raises(DomainError, match="n'est pas acquise"):
        deliberer(Candidature(BOUL, n, positions=pos, forme_progressive=True, acquis_anterieurs={"E1": D(9)}), BP)
    with pytest.raises(DomainError, match="qu'en forme progressive"):
        deliberer(Candidature(BOUL, n, positions=pos, acquis_anterieurs={"E1": D(12)}), BP)
    with pytest.raises(DomainError, match="non inscrite"):
        deliberer(Candidature(BOUL, n, positions=pos), BP)
    # Sitting a held unit again gives up its grade (BP-BENEFICE-NOTES): U10 9 counts, not the 12 held.
    # 12 × 9 + (5 × 3 + 1) × 12 = 108 + 192 = 300 → 10,71
    r = deliberer(Candidature(BOUL, n | {"E1": D(9)}, forme_progressive=True, acquis_anterieurs={"E1": D(12)}), BP)
    assert r.moyenne_generale == D(300) / 28 and "est abandonnée (BP-BENEFICE-NOTES)" in r.explications[0]


# ---------------------------------------------------------------- input checks
@pytest.mark.parametrize(("n", "erreur", "message"), [
    pytest.param({"E1": D(21)}, DomainError, "comprise entre 0 et 20", id="grade above 20"),
    pytest.param({"E1": 12.5}, TypeError, "Decimal attendu", id="float refused"),
    pytest.param({"XX": D(12)}, DomainError, "Unités inconnues", id="unknown unit"),
])
def test_input_checks(n, erreur, message):
    base = {c: D(12) for c in ("E1", "E2", "E3", "E41", "E42", "E5", "E6")}
    with pytest.raises(erreur, match=message):
        deliberer(Candidature(BOUL, base | n), BP)


def test_labels_are_french():
    assert [str(d) for d in Decision] == ["Admis", "Ajourné", "Autorisé à l'épreuve de contrôle",
                                          "Admis après contrôle", "Unités acquises", "Délibération différée"]
    assert [str(m) for m in Mention] == ["Assez bien", "Bien", "Très bien"]
