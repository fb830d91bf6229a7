"""First-start loading of the référentiel shipped in resources/ (one transaction, bulk inserts)."""

from __future__ import annotations

import csv
import gettext
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ...models import (
    Bureau,
    Categorie,
    Commune,
    Departement,
    Domaine,
    Echeance,
    Epreuve,
    Etablissement,
    Pays,
    Periode,
    PieceCatalogue,
    Portefeuille,
    Regle,
    Sequence,
    SessionExamen,
    Situation,
    Source,
    Specialite,
    TypeAcquis,
)
from ...paths import resources_dir
from ...rules.codes_epreuves import INTITULE_A_COMPLETER, code_provisoire
from ...rules.temps import depuis_paris
from ...rules.texte import cle_recherche
from ..noyau import Contexte

PREMIERE_SEQUENCE_NUMERO = 100_000_000  # N° candidat "0100000001x" onwards

# Masculine adjective, as CYCLADES prints it ("Nationalité : Français"); other countries fall back
# to "Ressortissant de <pays>".
NATIONALITES = {
    "FR": "Français", "DE": "Allemand", "DZ": "Algérien", "MA": "Marocain", "TN": "Tunisien", "PT": "Portugais",
    "ES": "Espagnol", "IT": "Italien", "BE": "Belge", "CH": "Suisse", "GB": "Britannique", "TR": "Turc",
    "SN": "Sénégalais", "ML": "Malien", "CI": "Ivoirien", "KM": "Comorien", "CM": "Camerounais",
    "RO": "Roumain", "PL": "Polonais", "CN": "Chinois", "VN": "Vietnamien", "HT": "Haïtien", "BR": "Brésilien",
    "US": "Américain", "CA": "Canadien", "RU": "Russe", "UA": "Ukrainien", "AF": "Afghan", "SY": "Syrien",
    "CG": "Congolais (Congo)", "CD": "Congolais (RDC)", "MG": "Malgache", "GN": "Guinéen", "MU": "Mauricien",
    "NL": "Néerlandais", "GR": "Grec", "IE": "Irlandais", "LU": "Luxembourgeois", "LB": "Libanais",
    "EG": "Égyptien", "AM": "Arménien", "GE": "Géorgien", "AL": "Albanais", "RS": "Serbe", "BG": "Bulgare",
    "MR": "Mauritanien", "BF": "Burkinabé", "BJ": "Béninois", "TG": "Togolais", "GA": "Gabonais",
    "SR": "Surinamais", "BO": "Bolivien", "CO": "Colombien", "PE": "Péruvien", "AR": "Argentin",
    "CL": "Chilien", "MX": "Mexicain", "JP": "Japonais", "IN": "Indien", "PK": "Pakistanais", "LK": "Sri-lankais",
    "BD": "Bangladais", "PH": "Philippin", "TH": "Thaïlandais", "KH": "Cambodgien", "LA": "Laotien",
    "IR": "Iranien", "IQ": "Irakien", "TD": "Tchadien", "SD": "Soudanais", "ER": "Érythréen", "ET": "Éthiopien",
    "SO": "Somalien", "NE": "Nigérien", "NG": "Nigérian", "GH": "Ghanéen", "CV": "Cap-verdien",
    "AT": "Autrichien", "SE": "Suédois", "NO": "Norvégien", "DK": "Danois", "FI": "Finlandais", "CZ": "Tchèque",
    "SK": "Slovaque", "HU": "Hongrois", "HR": "Croate", "SI": "Slovène", "BA": "Bosnien", "MD": "Moldave",
    "LT": "Lituanien", "LV": "Letton", "EE": "Estonien", "CY": "Chypriote", "MT": "Maltais",
}
FRANCE_LIBELLE = "France (dont outre-mer)"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _paris(value: str | None) -> datetime | None:
    return depuis_paris(datetime.fromisoformat(value)) if value else None


def referentiel_charge(ctx: Contexte) -> bool:
    with ctx.lecture() as s:
        return bool(s.scalar(select(func.count()).select_from(Domaine)))


def charger_si_vide(ctx: Contexte, resources: Path | None = None) -> bool:
    """Load everything in one transaction when the database has no référentiel yet."""
    if referentiel_charge(ctx):
        return False
    base = resources or resources_dir()
    with ctx.transaction() as s:
        if s.scalar(select(func.count()).select_from(Domaine)):
            return False  # another workstation was faster
        _charger(s, base)
    return True


def _charger(s: Session, base: Path) -> None:
    ref = base / "referentiel"
    for d in _json(ref / "domaines.json"):
        s.add(Domaine(code=d["code"], libelle=d["libelle"], libelle_majuscules=d["libelle_majuscules"],
                      ordre=d.get("ordre", 0)))
    s.flush()
    for sess in _json(ref / "sessions.json"):
        se = SessionExamen(annee=sess["annee"], libelle=sess["libelle"], type=sess.get("type", "normale"),
                           source=sess.get("source"))
        for p in sess.get("periodes", []):
            se.periodes.append(Periode(domaine_code=p["domaine"], ouverture=_paris(p["ouverture"]),
                                       cloture=_paris(p["cloture"]), note=p.get("note"), source=p.get("source")))
        for e in sess.get("echeances", []):
            se.echeances.append(Echeance(
                domaine_code=e["domaine"], code=e["code"], libelle=e["libelle"], mode_depot=e.get("mode_depot"),
                date_limite=_paris(e["date_limite"]), regle=e.get("regle", "fixe"),
                consequence=e.get("consequence"), source=e.get("source")))
        s.add(se)
    b = _json(ref / "bureau.json")
    s.add(Bureau(id=1, academie=b["academie"], nom_service=b["nom_service"], bureau=b.get("bureau", ""),
                 adresse="\n".join(b.get("adresse_lignes", [])), code_postal=b.get("code_postal", ""),
                 ville=b.get("ville", ""), telephone=b.get("telephone", ""), email=b.get("email", ""),
                 site=b.get("site", ""), departements=list(b.get("departements", []))))
    for f in _json(ref / "filieres.json"):
        s.add(Portefeuille(code=f["code"], libelle=f["libelle"], filieres=f.get("filieres_specialites", [])))
    for sp in _json(ref / "specialites.json"):
        s.add(specialite_depuis_json(sp))
    for r in _json(ref / "regles.json"):
        s.add(Regle(id=r["id"], domaines=r.get("domaines", []), categorie=r.get("categorie", ""),
                    resume=r.get("resume", ""), parametres=r.get("parametres", {}), sources=r.get("sources", []),
                    confiance=r.get("confiance"), note=r.get("note")))
    for p in _json(ref / "pieces.json"):
        s.add(PieceCatalogue(code=p["code"], libelle=p["libelle"], condition=p.get("condition"),
                             condition_cle=p["condition_cle"], mode_depot=p.get("mode_depot"),
                             domaines=p.get("domaines", []), echeance=p.get("echeance"), note=p.get("note"),
                             sources=p.get("sources", [])))
    for src in _json(ref / "sources.json"):
        s.add(Source(id=src["id"], titre=src["titre"], url_ou_chemin=src.get("url_ou_chemin"),
                     type=src.get("type"), autorite=src.get("autorite")))
    for e in _json(ref / "etablissements.json"):
        s.add(Etablissement(uai=e["uai"], nom=e["nom"], adresse=e.get("adresse"), code_postal=e.get("code_postal"),
                            ville=e.get("ville"), departement=e.get("departement"), telephone=e.get("telephone"),
                            type=e.get("type", "etablissement"), academie=e.get("academie"),
                            cle=cle_recherche(f"{e['nom']} {e['uai']} {e.get('ville') or ''}")))
    for c in _json(ref / "categories.json"):
        s.add(Categorie(code=c["code"], libelle=c["libelle"], libelle_court=c.get("libelle_court", c["libelle"]),
                        famille=c["famille"], mode=c["mode"], regle_mode=c.get("regle_mode"),
                        individuel=bool(c.get("individuel")), domaines=c.get("domaines", []),
                        modes_par_domaine=c.get("modes_par_domaine", {})))
    for st in _json(ref / "situations.json"):
        s.add(Situation(code=st["code"], libelle=st["libelle"]))
    acquis = _json(ref / "types_acquis.json")
    for sit in acquis.get("situations", []):
        extra = {k: v for k, v in sit.items() if k not in ("code", "libelle")}
        s.add(TypeAcquis(code=sit["code"], genre="situation", libelle=sit["libelle"], depuis=None,
                         domaines=sit.get("domaines", []), dispenses=[], extra=extra))
    for t in acquis.get("titres", []):
        libelle = " ".join(x for x in (t.get("titre"), t.get("specialite")) if x)
        extra = {k: v for k, v in t.items() if k not in ("code", "depuis", "domaines", "dispenses")}
        s.add(TypeAcquis(code=t["code"], genre="titre", libelle=libelle, depuis=t.get("depuis"),
                         domaines=t.get("domaines", []), dispenses=t.get("dispenses", []), extra=extra))
    s.add(Sequence(nom="numero_candidat", valeur=PREMIERE_SEQUENCE_NUMERO))
    s.flush()
    _charger_geo(s, base / "geo")


def specialite_depuis_json(sp: dict[str, Any]) -> Specialite:
    spec = Specialite(
        id=sp["id"], domaine_code=sp["domaine"], code=sp.get("code"), code_cfd=sp.get("code_cfd"),
        code_rncp=sp.get("code_rncp"), intitule=sp["intitule"], filiere=sp.get("filiere"),
        secteur_industriel=bool(sp.get("secteur_industriel")), r408_requis=sp.get("r408_requis"),
        texte_reference=sp.get("texte_reference"), arbre_complet=bool(sp.get("arbre_complet")),
        confiance=sp.get("confiance"), notes=list(sp.get("notes") or []), sources=list(sp.get("sources") or []),
        actif=sp.get("actif", True), cle=cle_recherche(f"{sp['intitule']} {sp.get('code') or ''}"),
    )
    compteur = [0]

    def add(node: dict[str, Any], parent: Epreuve | None) -> None:
        compteur[0] += 1
        known = {"code", "unite", "intitule", "coefficient", "nature", "groupe", "mode_ponctuel_type", "duree",
                 "domaine_epreuve", "note", "children"}
        ep = Epreuve(
            # Some trees lack a code (not found in the texts): an internal key keeps units distinct; it is
            # never shown (rules/codes_epreuves.py).
            code=node.get("code") or code_provisoire(compteur[0]), unite=node.get("unite"),
            intitule=node.get("intitule") or INTITULE_A_COMPLETER,
            coefficient=node.get("coefficient"), nature=node.get("nature") or "obligatoire",
            groupe=int(node.get("groupe") or 1), mode_ponctuel_type=node.get("mode_ponctuel_type"),
            duree=node.get("duree"), domaine_epreuve=node.get("domaine_epreuve"), note=node.get("note"),
            ordre=compteur[0], extra={k: v for k, v in node.items() if k not in known},
        )
        spec.epreuves.append(ep)
        if parent is not None:
            ep.parent = parent
        for child in node.get("children") or []:
            add(child, ep)

    for node in sp.get("epreuves") or []:
        add(node, None)
    return spec


def _charger_geo(s: Session, geo: Path) -> None:
    import pycountry  # only needed on first start; keeps ordinary start-ups light

    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    pays = []
    for c in pycountry.countries:
        nom = FRANCE_LIBELLE if c.alpha_2 == "FR" else fr.gettext(c.name)
        nat = NATIONALITES.get(c.alpha_2, f"Ressortissant de : {nom}")
        pays.append({"code": c.alpha_2, "alpha3": c.alpha_3, "nom": nom, "nationalite": nat,
                     "cle": cle_recherche(nom)})
    s.execute(insert(Pays), pays)
    with (geo / "departements.csv").open(encoding="utf-8") as f:
        s.execute(insert(Departement), [
            {"code": r["code"], "nom": r["nom"], "region": r["region"] or None, "zone": r["zone"]}
            for r in csv.DictReader(f)])
    rows: list[dict[str, Any]] = []
    actuelles: set[tuple[str, str]] = set()
    with (geo / "communes.csv").open(encoding="utf-8") as f:
        reader = list(csv.DictReader(f))
    for r in reader:
        if r["type"] == "commune-actuelle":
            actuelles.add((r["code_insee"], r["nom"]))
    for r in reader:
        # A chef-lieu commune déléguée often repeats its parent's code and name: keep one row.
        if r["type"] != "commune-actuelle" and (r["code_insee"], r["nom"]) in actuelles:
            continue
        rows.append({"code_insee": r["code_insee"], "nom": r["nom"], "departement": r["departement"],
                     "codes_postaux": r["codes_postaux"], "type": r["type"],
                     "commune_parente": r["commune_parente"] or None, "cle": cle_recherche(r["nom"])})
    s.execute(insert(Commune), rows)
