"""Structure of the référentiel shipped in resources/ (no Qt, no database)."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
REFERENTIEL = RESOURCES / "referentiel"
GEO = RESOURCES / "geo"

JSON_FILES = [
    "specialites.json",
    "regles.json",
    "pieces.json",
    "sources.json",
    "domaines.json",
    "sessions.json",
    "bureau.json",
    "filieres.json",
    "etablissements.json",
    "categories.json",
    "situations.json",
    "types_acquis.json",
]
UAI_RE = re.compile(r"^\d{7}[A-Z]$")
ISO_MINUTE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")


def load(name: str):
    return json.loads((REFERENTIEL / name).read_text(encoding="utf-8"))


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children") or [])


@pytest.fixture(scope="module")
def domaines() -> set[str]:
    return {d["code"] for d in load("domaines.json")}


@pytest.fixture(scope="module")
def specialites() -> list[dict]:
    return load("specialites.json")


@pytest.fixture(scope="module")
def codes_par_specialite(specialites) -> dict[str, set[str]]:
    return {s["id"]: {n["code"] for n in walk(s["epreuves"]) if n.get("code")} for s in specialites}


@pytest.mark.parametrize("name", JSON_FILES)
def test_json_files_load(name):
    data = load(name)
    assert data, f"{name} est vide"


@pytest.mark.parametrize("name", ["communes.csv", "departements.csv", "regions.csv", "README.md"])
def test_geo_files_present(name):
    assert (GEO / name).is_file()


def test_readme_referentiel_present():
    assert (REFERENTIEL / "README.md").is_file()


def test_domaines(domaines):
    assert domaines == {"BCP", "CAP", "BP", "MC", "CS"}
    rows = load("domaines.json")
    assert sorted(d["ordre"] for d in rows) == list(range(1, len(rows) + 1))
    for d in rows:
        assert d["libelle"] and d["libelle_majuscules"] == d["libelle"].upper()


def test_sessions_periodes(domaines):
    sessions = load("sessions.json")
    assert {s["annee"] for s in sessions} == {2024, 2025}
    for session in sessions:
        assert session["periodes"], session["libelle"]
        vus = set()
        for p in session["periodes"]:
            assert p["domaine"] in domaines
            assert p["domaine"] not in vus, f"période en double : {p['domaine']} {session['annee']}"
            vus.add(p["domaine"])
            assert ISO_MINUTE_RE.match(p["ouverture"]) and ISO_MINUTE_RE.match(p["cloture"])
            assert datetime.fromisoformat(p["ouverture"]) < datetime.fromisoformat(p["cloture"])
            assert p["source"]


def test_sessions_echeances(domaines):
    for session in load("sessions.json"):
        periodes = {p["domaine"]: p for p in session["periodes"]}
        for e in session["echeances"]:
            assert e["domaine"] in domaines
            assert e["domaine"] in periodes, f"échéance sans période : {e['domaine']} {session['annee']}"
            assert ISO_MINUTE_RE.match(e["date_limite"])
            assert e["regle"] in {"fixe", "semaine_apres_cloture"}
            assert e["consequence"] in {"annulee", "ecartee"}
            assert e["mode_depot"] in {"en ligne", "courrier", "autres modalités"}
            limite = datetime.fromisoformat(e["date_limite"])
            cloture = datetime.fromisoformat(periodes[e["domaine"]]["cloture"])
            assert limite > cloture
            if e["regle"] == "semaine_apres_cloture":
                assert (limite - cloture).days == 7 and limite.time() == cloture.time()


def test_session_2025_sans_mc():
    s2025 = next(s for s in load("sessions.json") if s["annee"] == 2025)
    assert "MC" not in {p["domaine"] for p in s2025["periodes"]}
    assert {e["domaine"] for e in s2025["echeances"] if e["code"] == "R408"} == {
        p["domaine"] for p in s2025["periodes"]
    }


def test_echeances_pieces_existent():
    pieces = {p["code"] for p in load("pieces.json")}
    for session in load("sessions.json"):
        for e in session["echeances"]:
            if e.get("piece"):
                assert e["piece"] in pieces


def test_bureau():
    bureau = load("bureau.json")
    for key in ("academie", "nom_service", "bureau", "code_postal", "ville", "telephone", "email", "site"):
        assert bureau[key], key
    assert bureau["adresse_lignes"]
    assert "@" in bureau["email"]
    assert re.fullmatch(r"\d{5}", bureau["code_postal"])


def test_categories(domaines):
    regles = {r["id"]: r for r in load("regles.json")}
    categories = load("categories.json")
    codes = [c["code"] for c in categories]
    assert len(codes) == len(set(codes))
    assert "133" in codes
    for c in categories:
        assert c["mode"] in {"ccf", "ponctuel"}, c["code"]
        assert c["famille"] in {
            "scolaire",
            "apprenti",
            "formation_continue",
            "enseignement_a_distance",
            "individuel",
        }
        assert isinstance(c["individuel"], bool)
        assert c["individuel"] == (c["famille"] == "individuel")
        assert set(c["domaines"]) <= domaines
        assert set(c["modes_par_domaine"]) == set(c["domaines"])
        for mode in c["modes_par_domaine"].values():
            assert mode in {"ccf", "ccf_integral", "ponctuel", "mixte"}
        # regle_mode must be a key of the domaine's *-CATEGORIES-MODES rule when one exists.
        connu = False
        for d in c["domaines"]:
            regle = regles.get(f"{d}-CATEGORIES-MODES")
            if regle is None:
                continue
            key = c.get("regle_mode_par_domaine", {}).get(d, c["regle_mode"])
            listes = [v for v in regle["parametres"].values() if isinstance(v, list)]
            if any(key in v for v in listes):
                connu = True
                mode = next(m for m, v in regle["parametres"].items() if isinstance(v, list) and key in v)
                assert c["modes_par_domaine"][d] == mode, (c["code"], d)
        assert connu, f"regle_mode inconnu de regles.json : {c['code']}"


def test_etablissements():
    etablissements = load("etablissements.json")
    uais = [e["uai"] for e in etablissements]
    assert len(uais) == len(set(uais)), "UAI en double"
    with (GEO / "departements.csv").open(encoding="utf-8") as f:
        departements = {row["code"] for row in csv.DictReader(f)}
    types = {e["type"] for e in etablissements}
    assert types <= {"etablissement", "individuels", "enseignement_distance"}
    assert {"etablissement", "individuels", "enseignement_distance"} <= types
    for e in etablissements:
        assert e["nom"]
        if e["type"] == "etablissement":
            assert UAI_RE.match(e["uai"]), e["uai"]
        if e["departement"] is not None:
            assert e["departement"] in departements, e["departement"]
    noms = {e["nom"] for e in etablissements}
    for nom in ("CFA CEVEDOM CAYENNE", "LP FERNAND LEGERE", "INDIVIDUELS 013", "INDIVIDUELS 035"):
        assert nom in noms


def test_filieres_couvrent_specialites(specialites):
    portefeuilles = load("filieres.json")
    codes = [p["code"] for p in portefeuilles]
    assert len(codes) == len(set(codes))
    couvertes = {f for p in portefeuilles for f in p["filieres_specialites"]}
    utilisees = {s["filiere"] for s in specialites if s.get("filiere")}
    manquantes = utilisees - couvertes
    assert not manquantes, f"filières sans portefeuille : {sorted(manquantes)}"
    assert couvertes <= utilisees, f"filières inconnues : {sorted(couvertes - utilisees)}"
    for p in portefeuilles:
        for typo in ("métrallerie", "administatifs", "Porteuille"):
            assert typo not in p["libelle"]


def test_situations():
    situations = load("situations.json")
    codes = [s["code"] for s in situations]
    assert len(codes) == len(set(codes))
    assert all(s["libelle"] for s in situations)


def test_types_acquis_dispenses(domaines, specialites, codes_par_specialite):
    data = load("types_acquis.json")
    assert {s["code"] for s in data["situations"]} >= {
        "MEME_DIPLOME",
        "AUTRE_SPECIALITE",
        "AUTRE_DIPLOME",
        "VAE",
    }
    assert set(data["sigles_diplome"]) == domaines
    domaine_de = {s["id"]: s["domaine"] for s in specialites}
    codes_par_domaine: dict[str, set[str]] = {}
    for sid, codes in codes_par_specialite.items():
        codes_par_domaine.setdefault(domaine_de[sid], set()).update(codes)

    titres = data["titres"]
    assert len({t["code"] for t in titres}) == len(titres)
    for t in titres:
        assert set(t["domaines"]) <= domaines, t["code"]
        assert t["depuis"] is None or isinstance(t["depuis"], int)
        for code in t["dispenses"]:
            assert any(code in codes_par_domaine.get(d, set()) for d in t["domaines"]), (t["code"], code)
        for sid, codes in t["dispenses_par_specialite"].items():
            assert domaine_de[sid] in t["domaines"], (t["code"], sid)
            for code in codes:
                assert code in codes_par_specialite[sid], (t["code"], sid, code)
        for cond in t.get("dispenses_conditionnelles", []):
            assert cond["condition"]
            for sid in cond["specialites"]:
                assert cond["code"] in codes_par_specialite[sid], (t["code"], sid, cond["code"])


def test_types_acquis_bts_comme_cyclades():
    titres = {t["code"]: t for t in load("types_acquis.json")["titres"]}
    bts = titres["BTS_DUT_DEUG_LICENCE"]
    assert bts["code_specialite"] == "00002" and bts["depuis"] == 1900
    assert bts["dispenses"] == ["E4", "E5-A", "E5-B", "E6", "E7"]
