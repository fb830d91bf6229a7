"""The épreuves engine on real spécialités of several domaines (resources/referentiel)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cyclades_desktop.rules.epreuves import (
    BENEFICE,
    CCF,
    DISPENSE,
    INSCRIT,
    NON_INSCRIT,
    PONCTUEL,
    Acquis,
    Choix,
    Profil,
    calculer,
    noeuds_depuis_json,
)

REFERENTIEL = Path(__file__).resolve().parents[2] / "resources" / "referentiel"
TOUJOURS_PONCTUEL = ("Français", "HG-EMC", "PSE", "Économie-gestion/droit")


def arbre(specialite_id: str):
    for s in json.loads((REFERENTIEL / "specialites.json").read_text(encoding="utf-8")):
        if s["id"] == specialite_id:
            return noeuds_depuis_json(s["epreuves"])
    raise KeyError(specialite_id)


def titre(code: str, specialite_id: str) -> Acquis:
    data = json.loads((REFERENTIEL / "types_acquis.json").read_text(encoding="utf-8"))
    t = next(x for x in data["titres"] if x["code"] == code)
    dispenses = t.get("dispenses_par_specialite", {}).get(specialite_id, t["dispenses"])
    return Acquis(code=code, libelle=t["titre"], effet="dispense", annee=2022, academie="Aix-Marseille",
                  dispenses=tuple(dispenses), depuis=t.get("depuis"))


SCOLAIRE_BCP = Profil(domaine="BCP", famille="scolaire", mode="ccf", session_annee=2024,
                      toujours_ponctuel=TOUJOURS_PONCTUEL, max_facultatives=2)
INDIVIDUEL_BCP = Profil(domaine="BCP", famille="individuel", mode="ponctuel", session_annee=2025,
                        forme_finale="globale", max_facultatives=2)

# The CYCLADES guide's printed example (docs/domaine/documents.md#recapitulatif): code, unit,
# position, mode (None = blank).
SEED = [
    ("E1", None, INSCRIT, None), ("E1-A", "U11", INSCRIT, CCF), ("E1-B", "U12", INSCRIT, CCF),
    ("E2", "U2", INSCRIT, PONCTUEL), ("E3", None, INSCRIT, None),
    ("E3-A", "U31", INSCRIT, CCF), ("E3-B", "U32", INSCRIT, CCF), ("E3-C", "U33", INSCRIT, CCF),
    ("E3-D", "U34", INSCRIT, CCF), ("E3-E", "U35", INSCRIT, PONCTUEL), ("E3-F", "U36", INSCRIT, PONCTUEL),
    ("E4", "U4", DISPENSE, None), ("E4-A", None, DISPENSE, None), ("E4-B", None, DISPENSE, None),
    ("E5", None, DISPENSE, None), ("E5-A", "U51", DISPENSE, None), ("E5-B", "U52", DISPENSE, None),
    ("E6", "U6", DISPENSE, None), ("E7", "U7", DISPENSE, None),
    ("EC1", "CO1", INSCRIT, CCF), ("EC1A", None, INSCRIT, CCF), ("EC1B", None, INSCRIT, CCF),
    ("EC1BA", None, INSCRIT, CCF), ("EC1BB", None, INSCRIT, CCF),
]


def test_seed_example_units_positions_and_modes():
    r = calculer(arbre("BCP-25303"), SCOLAIRE_BCP, [titre("BTS_DUT_DEUG_LICENCE", "BCP-25303")],
                 Choix(facultatives={"EF1": "Anglais", "EF2": "Lettonie"}))
    assert r.erreurs == {}
    assert [(x.code, x.unite, x.position, x.mode) for x in r.obligatoires()] == SEED
    fac = [(x.code, x.unite, x.position, x.mode, x.detail) for x in r.facultatives_lignes()]
    assert fac == [("EF1", "UF1", INSCRIT, PONCTUEL, "Anglais"), ("EF2", "UF2", INSCRIT, CCF, "Lettonie")]
    assert [(x.code, x.position, x.mode) for x in r.obligatoires(groupe=2)] == [("ECT", INSCRIT, PONCTUEL)]
    niveaux = {x.code: x.niveau for x in r.lignes}
    assert (niveaux["E1"], niveaux["E1-A"], niveaux["EC1B"], niveaux["EC1BA"]) == (0, 1, 1, 2)
    assert r.par_code()["E5-A"].origine == "BTS DUT DEUG LICENCE"


def test_unticked_dispense_is_sat_again_with_its_mode():
    r = calculer(arbre("BCP-25303"), SCOLAIRE_BCP, [titre("BTS_DUT_DEUG_LICENCE", "BCP-25303")],
                 Choix(dispenses_refusees=frozenset({"E4"})))
    par = r.par_code()
    assert (par["E4"].position, par["E4"].mode) == (INSCRIT, CCF)
    assert par["E4-A"].position == INSCRIT and par["E5-A"].position == DISPENSE
    # French stays ponctual even for a scolaire (regles.json BCP-CATEGORIES-MODES).
    r2 = calculer(arbre("BCP-25303"), SCOLAIRE_BCP, [titre("BTS_DUT_DEUG_LICENCE", "BCP-25303")],
                  Choix(dispenses_refusees=frozenset({"E5-A"})))
    assert (r2.par_code()["E5-A"].mode, r2.par_code()["E5"].position) == (PONCTUEL, INSCRIT)


def test_individual_candidate_sits_everything_ponctual_without_chef_doeuvre():
    r = calculer(arbre("BCP-25303"), INDIVIDUEL_BCP)
    codes = [x.code for x in r.lignes]
    assert "EC1" not in codes and "EC1A" not in codes
    units = [x for x in r.obligatoires() if x.unite]
    assert units and all(x.mode == PONCTUEL and x.position == INSCRIT for x in units)
    assert [x.position for x in r.facultatives_lignes()] == [NON_INSCRIT, NON_INSCRIT]
    assert r.a_choisir


def test_mcv_other_bcp_dispenses_its_own_codes():
    sp = "BCP-31213"
    r = calculer(arbre(sp), INDIVIDUEL_BCP, [titre("BCP_AUTRES_SPECIALITES", sp)])
    par = r.par_code()
    assert par["E1-B"].position == DISPENSE and par["E3-E"].position == DISPENSE
    assert par["E1-A"].position == INSCRIT          # économie-droit is not dispensed by that titre
    assert set(r.dispenses_possibles) == {"E1-B", "E3-E"}


def test_titre_obtained_before_its_since_year_is_refused():
    sp = "BCP-31213"
    a = titre("BCP_AUTRES_SPECIALITES", sp)
    ancien = Acquis(a.code, a.libelle, "dispense", annee=2015, dispenses=a.dispenses, depuis=a.depuis)
    r = calculer(arbre(sp), INDIVIDUEL_BCP, [ancien])
    assert "2019" in r.erreurs["acquis.0.annee"]
    assert all(x.position != DISPENSE for x in r.lignes)


def test_cap_patissier_individual_and_dispenses_of_a_cap_holder():
    profil = Profil(domaine="CAP", famille="individuel", mode="ponctuel", session_annee=2025,
                    max_facultatives=2)
    sp = "CAP-22141"
    r = calculer(arbre(sp), profil, [titre("CAP_DIPLOME_NIVEAU_EGAL", sp)],
                 Choix(facultatives={"EF": ""}))
    assert r.erreurs == {}
    par = r.par_code()
    assert "CO" not in par                                  # chef-d'œuvre: scolaires and apprentis only
    assert [par[c].position for c in ("EG1", "EG2", "EG3")] == [DISPENSE] * 3
    assert (par["EP1"].position, par["EP1"].mode) == (INSCRIT, PONCTUEL)
    assert (par["EF"].position, par["EF"].detail) == (INSCRIT, None)   # arts appliqués: nothing to specify


def test_cap_electricien_apprentice_in_ccf():
    profil = Profil(domaine="CAP", famille="apprenti", mode="ccf", session_annee=2025)
    r = calculer(arbre("CAP-25524"), profil)
    par = r.par_code()
    assert (par["EP1"].mode, par["EG3"].mode, par["CO"].mode) == (CCF, CCF, CCF)
    assert par["EF1"].position == NON_INSCRIT


def test_bp_coiffure_exclusive_option_must_be_chosen():
    profil = Profil(domaine="BP", famille="apprenti", mode="mixte", session_annee=2025)
    sp = arbre("BP-33608")
    sans = calculer(sp, profil)
    assert "option.E3" in sans.erreurs
    assert sans.options["E3"] == (("E3-A", "Coiffure événementielle"),
                                  ("E3-B", "Coupe homme et entretien du système pilo-facial"))
    r = calculer(sp, profil, choix=Choix(options={"E3": "E3-B"}))
    assert r.erreurs == {}
    par = r.par_code()
    assert (par["E3-A"].position, par["E3-B"].position, par["E3"].position) == (NON_INSCRIT, INSCRIT, INSCRIT)
    assert par["E1"].mode == PONCTUEL


def test_bp_boulanger_bachelor_dispenses_and_language_facultative():
    profil = Profil(domaine="BP", famille="formation_continue", mode="ponctuel", session_annee=2025)
    sp = "BP-22108"
    a = titre("BP_BACHELIER", sp)
    r = calculer(arbre(sp), profil, [a], Choix(facultatives={"EF": "Espagnol"}))
    par = r.par_code()
    assert (par["E5"].position, par["E6"].position) == (DISPENSE, DISPENSE)
    assert (par["EF"].position, par["EF"].detail, par["EF"].mode) == (INSCRIT, "Espagnol", PONCTUEL)


def test_facultative_needs_its_language_or_destination():
    r = calculer(arbre("BCP-25303"), SCOLAIRE_BCP, choix=Choix(facultatives={"EF1": " ", "EF2": ""}))
    assert r.erreurs["facultative.EF1"] == "Indiquez la langue choisie pour l'épreuve EF1."
    assert r.erreurs["facultative.EF2"] == "Indiquez le pays de destination pour l'épreuve EF2."


def test_at_most_two_facultatives_in_bac_pro():
    profil = Profil(domaine="BCP", famille="scolaire", mode="ccf", session_annee=2025, max_facultatives=1)
    r = calculer(arbre("BCP-25303"), profil, choix=Choix(facultatives={"EF1": "Anglais", "EF2": "Italie"}))
    assert "au plus 1" in r.erreurs["facultatives"]


def test_dispense_without_an_acquis_is_refused():
    r = calculer(arbre("BCP-25303"), SCOLAIRE_BCP, choix=Choix(dispenses_refusees=frozenset({"E2"})))
    assert "aucun acquis" in r.erreurs["dispenses"]
    vae = Acquis("VAE", "Validation des acquis de l'expérience", "dispense", annee=2024)
    r2 = calculer(arbre("BCP-25303"), SCOLAIRE_BCP, [vae])
    assert "décision du jury" in r2.erreurs["acquis.0.dispenses"]
    r3 = calculer(arbre("BCP-25303"), SCOLAIRE_BCP,
                  [Acquis("VAE", "VAE", "dispense", annee=2024, dispenses=("E9",))])
    assert "E9" in r3.erreurs["acquis.0.dispenses"]


@pytest.mark.parametrize(("annee", "erreur"), [(2019, "ne sont plus conservées"), (2020, None)])
def test_grades_carried_over_five_years(annee, erreur):
    a = Acquis("MEME_DIPLOME", "Déjà présenté", "benefice", annee=annee, notes={"E2": 12.5, "E6": 10})
    r = calculer(arbre("BCP-25303"), INDIVIDUEL_BCP, [a])
    if erreur:
        assert erreur in r.erreurs["acquis.0.annee"]
        assert r.par_code()["E2"].position == INSCRIT
    else:
        assert r.erreurs == {}
        e2 = r.par_code()["E2"]
        assert (e2.position, e2.note, e2.annee_note, e2.mode) == (BENEFICE, 12.5, 2020, None)
        renonce = calculer(arbre("BCP-25303"), INDIVIDUEL_BCP, [a], Choix(benefices_refuses=frozenset({"E2"})))
        assert renonce.par_code()["E2"].position == INSCRIT


def test_grades_below_ten_or_from_another_speciality_professional_unit_are_refused():
    bas = Acquis("MEME_DIPLOME", "Déjà présenté", "benefice", annee=2023, notes={"E2": 8})
    assert "10/20" in calculer(arbre("BCP-25303"), INDIVIDUEL_BCP, [bas]).erreurs["acquis.0.notes"]
    autre = Acquis("AUTRE_SPECIALITE", "Autre spécialité", "benefice", annee=2023, notes={"E2": 14},
                   general_seulement=True)
    assert "enseignement général" in calculer(arbre("BCP-25303"), INDIVIDUEL_BCP, [autre]).erreurs["acquis.0.notes"]
    ok = Acquis("AUTRE_SPECIALITE", "Autre spécialité", "benefice", annee=2023, notes={"E6": 14},
                general_seulement=True)
    assert calculer(arbre("BCP-25303"), INDIVIDUEL_BCP, [ok]).par_code()["E6"].position == BENEFICE


def test_progressive_form_defers_units_and_globale_refuses_it():
    progressive = Profil(domaine="BCP", famille="individuel", mode="ponctuel", session_annee=2025,
                         forme_finale="progressive")
    r = calculer(arbre("BCP-25303"), progressive, choix=Choix(non_inscrits=frozenset({"E2", "E6"})))
    assert r.erreurs == {}
    assert "E2" in r.unites_reportables and "E1-A" in r.unites_reportables
    assert (r.par_code()["E2"].position, r.par_code()["E6"].position) == (NON_INSCRIT, NON_INSCRIT)
    globale = calculer(arbre("BCP-25303"), INDIVIDUEL_BCP, choix=Choix(non_inscrits=frozenset({"E2"})))
    assert "forme progressive" in globale.erreurs["non_inscrits"]
    assert globale.unites_reportables == ()


def test_nothing_to_choose_for_a_speciality_without_facultatives():
    profil = Profil(domaine="CAP", famille="individuel", mode="ponctuel", session_annee=2025)
    r = calculer(arbre("CAP-33205"), profil)
    assert not r.a_choisir and r.erreurs == {}


def test_choix_round_trips_through_json():
    c = Choix(dispenses_refusees=frozenset({"E4"}), facultatives={"EF1": "Anglais"}, options={"E3": "E3-A"},
              non_inscrits=frozenset({"E2"}), benefices_refuses=frozenset({"E6"}))
    assert Choix.depuis_json(json.loads(json.dumps(c.vers_json()))) == c
