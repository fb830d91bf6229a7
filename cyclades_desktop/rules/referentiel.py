"""The référentiel (services/referentiel): the vocabularies of sessions, deadlines and épreuves with
their French names, and the checks that need nothing but the typed values: the office's identity
printed on documents, a spécialité and its épreuves tree in the resources JSON format. Checks against
what is stored (codes already taken, a session's périodes) live in the services."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .codes_epreuves import code_provisoire
from .comptes import MESSAGE_OBLIGATOIRE, verifier_email
from .temps import depuis_paris, paris
from .texte import chiffres_ascii, erreurs_caracteres, espaces_normalises

# Stored values → French names: sessions, deadlines (échéances) and épreuves of the référentiel.
TYPES_SESSION = {"normale": "Normale", "vae": "VAE"}
MODES_DEPOT = {"en ligne": "En ligne", "courrier": "Courrier", "autres modalités": "Autres modalités"}
CONSEQUENCES = {"annulee": "Candidature annulée", "ecartee": "Candidature écartée"}
REGLES_ECHEANCE = {"fixe": "Date fixe", "semaine_apres_cloture": "Une semaine après la clôture"}
NATURES = {"obligatoire": "Obligatoire", "facultative": "Facultative"}
GROUPES = {1: "1er groupe", 2: "2nd groupe"}
DOMAINES_EPREUVE = {"professionnel": "Professionnel", "general": "Général"}
PROFONDEUR_MAX = 4          # E3 › E3-A › … : real trees have 3 levels
SEPARATEUR = " › "
LIGNES_ADRESSE_MAX = 5

# ASCII only (re.ASCII: « \d » would take « ０ » or « ٠ ») and matched whole (fullmatch: « $ » lets a
# final line break through).
_CODE_POSTAL = re.compile(r"\d{5}", re.ASCII)
_TELEPHONE = re.compile(r"0[1-9]\d{8}", re.ASCII)
_SITE = re.compile(r"(https?://)?[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(/\S*)?", re.ASCII)
_DEPARTEMENT = re.compile(r"\d{2}|2A|2B|97\d|98\d", re.ASCII)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,79}", re.ASCII)
_CODE_SPECIALITE = re.compile(r"\d{5}", re.ASCII)
_CODE_EPREUVE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_]{0,19}", re.ASCII)
# The shipped data has 44-character durées and long "confiance" notes, beyond the String(40)/(60)
# columns (SQLite does not enforce them; PostgreSQL would): the limits follow the data, and
# widening the columns is a migration to make.
_LONGUEURS = {"unite": 20, "intitule": 300, "mode_ponctuel_type": 60, "duree": 80}


# --- Bureau --------------------------------------------------------------------------------------

@dataclass
class SaisieBureau:
    """The office identity as typed in the form (strings), before any check."""

    academie: str = ""
    nom_service: str = ""
    bureau: str = ""
    adresse: str = ""          # several lines
    code_postal: str = ""
    ville: str = ""
    telephone: str = ""
    email: str = ""
    site: str = ""
    departements: str = ""     # "04, 05, 13, 84"


def departements_saisis(texte: str) -> list[str]:
    """'4, 05 13;84' -> ['04', '05', '13', '84'] (order kept, duplicates dropped)."""
    out: list[str] = []
    for brut in re.split(r"[\s,;]+", (texte or "").upper()):
        if brut:
            code = brut.zfill(2) if chiffres_ascii(brut) and len(brut) == 1 else brut
            if code not in out:
                out.append(code)
    return out


def normaliser_telephone(texte: str) -> str | None:
    """'04.42.91.72.87', '+33 4 42 91 72 87' -> '04 42 91 72 87'; None when not a French number."""
    brut = re.sub(r"[\s.\-]", "", texte or "").replace("(0)", "")
    if brut.startswith("+33"):
        brut = "0" + brut[3:]
    elif brut.startswith("0033"):
        brut = "0" + brut[4:]
    if not _TELEPHONE.fullmatch(brut):
        return None
    return " ".join(brut[i:i + 2] for i in range(0, 10, 2))


def lignes_adresse(texte: str) -> list[str]:
    return [espaces_normalises(ligne) for ligne in (texte or "").splitlines() if ligne.strip()]


def valider_bureau(s: SaisieBureau) -> dict[str, str]:
    e: dict[str, str] = {}
    for cle, maxi in (("academie", 120), ("nom_service", 200), ("ville", 120)):
        valeur = espaces_normalises(getattr(s, cle))
        if not valeur:
            e[cle] = MESSAGE_OBLIGATOIRE
        elif len(valeur) > maxi:
            e[cle] = f"{maxi} caractères au maximum."
    if len(espaces_normalises(s.bureau)) > 200:
        e["bureau"] = "200 caractères au maximum."
    lignes = lignes_adresse(s.adresse)
    if not lignes:
        e["adresse"] = MESSAGE_OBLIGATOIRE
    elif len(lignes) > LIGNES_ADRESSE_MAX:
        e["adresse"] = f"L'adresse tient en {LIGNES_ADRESSE_MAX} lignes au maximum."
    elif any(len(ligne) > 80 for ligne in lignes):
        e["adresse"] = "Chaque ligne de l'adresse fait 80 caractères au maximum."
    cp = (s.code_postal or "").replace(" ", "")
    if not cp:
        e["code_postal"] = MESSAGE_OBLIGATOIRE
    elif not _CODE_POSTAL.fullmatch(cp):
        e["code_postal"] = "Le code postal comporte 5 chiffres (exemple : 13621)."
    if not (s.telephone or "").strip():
        e["telephone"] = MESSAGE_OBLIGATOIRE
    elif normaliser_telephone(s.telephone) is None:
        e["telephone"] = "Numéro de téléphone français attendu : 10 chiffres (exemple : 04 42 91 72 87)."
    if m := verifier_email(s.email):
        e["email"] = m
    site = (s.site or "").strip()
    if site and (len(site) > 200 or not _SITE.fullmatch(site)):
        e["site"] = "Adresse de site non valide (exemple : www.ac-aix-marseille.fr)."
    if faux := [d for d in departements_saisis(s.departements) if not _DEPARTEMENT.fullmatch(d)]:
        e["departements"] = f"Code de département inconnu : {faux[0]} (exemple : 04, 05, 13, 84)."
    e.update(erreurs_caracteres(vars(s), multilignes=("adresse",)))
    return e


# --- Sessions ------------------------------------------------------------------------------------

def semaine_apres(cloture: datetime) -> datetime:
    """'Une semaine après la clôture', at the same Paris wall-clock time even across a DST change."""
    return depuis_paris(paris(cloture).replace(tzinfo=None) + timedelta(days=7))


# --- Spécialités and their épreuves trees ----------------------------------------------------------

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


def _est_nombre(v: object) -> bool:
    # NaN and the infinities pass every comparison test below and would be stored as nothing.
    # (math.isfinite() on a 400-digit integer would overflow: integers are finite anyway.)
    return not isinstance(v, bool) and (isinstance(v, int) or (isinstance(v, float) and math.isfinite(v)))


def valider_noeud(n: dict[str, Any]) -> dict[str, str]:
    """Problems of one épreuve node as read from JSON (code may be absent: a placeholder is given)."""
    e: dict[str, str] = {}
    code = n.get("code")
    if code is not None and (not isinstance(code, str) or not _CODE_EPREUVE.fullmatch(code)):
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
    e.update(erreurs_caracteres({k: v for k, v in n.items() if k != "children" and k not in e},
                                multilignes=("note",)))
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
            code = code_provisoire(compteur[0])
            avertissements.append(SEPARATEUR.join(ici) + " : code absent, l'épreuve sera affichée sans code.")
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


def valider_specialite(data: object, domaines: set[str], domaine_existant: str | None,
                       codes_pris: dict[tuple[str, str], str]) -> tuple[list[Probleme], list[str]]:
    """Problems and warnings of one spécialité dict. ``domaine_existant``: the domaine of the stored
    spécialité with that id (None for a new one); ``codes_pris`` maps (domaine, code) to the id of
    another spécialité already using that code."""
    if not isinstance(data, dict):
        return [Probleme("id", (), "Chaque spécialité doit être un objet JSON.")], []
    p: list[Probleme] = []
    avert: list[str] = []

    def err(champ: str, message: str) -> None:
        p.append(Probleme(champ, (), message))

    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        err("id", "L'identifiant de la spécialité est obligatoire (exemple : BCP-25303).")
    elif not _ID.fullmatch(ident):
        err("id", "Identifiant non valide : 80 caractères au maximum, lettres sans accents, chiffres, points et "
                  "tirets (exemple : BCP-25303).")
    domaine = data.get("domaine")
    if domaine not in domaines:
        err("domaine", f"Domaine inconnu : « {domaine} » (attendu : {', '.join(sorted(domaines))}).")
    elif domaine_existant is not None and domaine_existant != domaine:
        err("domaine", f"Le domaine d'une spécialité existante ne peut pas changer ({domaine_existant} → "
                       f"{domaine}) : créez une autre spécialité.")
    code = data.get("code")
    if code is not None and (not isinstance(code, str) or not _CODE_SPECIALITE.fullmatch(code)):
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
    deja = {x.champ for x in p}
    for cle, message in erreurs_caracteres({k: v for k, v in data.items() if k != "epreuves" and k not in deja},
                                           multilignes=("texte_reference", "notes")).items():
        err(cle if isinstance(cle, str) else "id", message)
    if "epreuves" in data and data["epreuves"] is not None:
        _valider_arbre(data["epreuves"], (), {}, [0], p, avert)
    return p, avert


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
