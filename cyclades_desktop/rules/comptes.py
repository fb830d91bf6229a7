"""Candidate account rules (docs/domaine/comptes.md): the account's states and their French names,
checks on typed values, nothing stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .temps import normaliser_date
from .texte import chiffres_ascii, erreurs_caracteres, espaces_normalises, verifier_caracteres


class EtatCompte(StrEnum):
    """Stored in ``compte_candidat.etat``: an account becomes active once its activation code is given."""

    EN_ATTENTE = "en_attente"
    ACTIF = "actif"

    @property
    def libelle(self) -> str:
        return LIBELLES_ETATS_COMPTE[self]


LIBELLES_ETATS_COMPTE: dict[str, str] = {
    EtatCompte.EN_ATTENTE: "En attente d'activation",
    EtatCompte.ACTIF: "Actif",
}

MESSAGE_MOT_DE_PASSE = (
    "Le mot de passe doit comporter au moins 8 caractères (20 caractères au maximum), "
    "ainsi qu'une minuscule, une majuscule et un caractère spécial."
)
MESSAGE_SUPPRESSION_REFUSEE = (
    "Le compte ne peut pas être supprimé car une ou plusieurs candidatures y sont attachées"
)
MESSAGE_OBLIGATOIRE = "Ce champ est obligatoire."
PAYS_FRANCE = "FR"
DATE_MIN = date(1900, 1, 1)
# An account's activation code is valid 48 hours (docs/domaine/comptes.md#activation).
DELAI_ACTIVATION = timedelta(hours=48)

# Deliberately simple: one @, no spaces, dots only between the words of the local part, domain
# labels neither starting nor ending with a hyphen, a TLD of letters. Full RFC 5322 accepts things
# no office would want as an identifier (« ".a."@x.fr »). ASCII only, matched whole (fullmatch:
# « $ » would let a final line break through).
_EMAIL = re.compile(r"[A-Za-z0-9_%+\-']+(?:\.[A-Za-z0-9_%+\-']+)*"
                    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}", re.ASCII)
_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", re.ASCII)
_NOM = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ' \-]+")
MESSAGE_CARACTERE_MOT_DE_PASSE = (
    "Le mot de passe ne peut pas contenir de caractère invisible ou de contrôle.")


def verifier_mot_de_passe(mot_de_passe: str) -> str | None:
    if not mot_de_passe:
        return MESSAGE_OBLIGATOIRE
    if verifier_caracteres(mot_de_passe):
        return MESSAGE_CARACTERE_MOT_DE_PASSE
    ok = (
        8 <= len(mot_de_passe) <= 20
        and any(c.islower() for c in mot_de_passe)
        and any(c.isupper() for c in mot_de_passe)
        # The special character is one a person sees: a punctuation mark or a symbol.
        and any(not c.isalnum() and c.isprintable() for c in mot_de_passe)
        and not any(c.isspace() for c in mot_de_passe)
    )
    return None if ok else MESSAGE_MOT_DE_PASSE


def activation_expiree(cree_le: datetime, maintenant: datetime) -> bool:
    """Past the 48 hours, the code is refused: the account waits for the purge and is made again."""
    return maintenant - cree_le > DELAI_ACTIVATION


def normaliser_email(email: str | None) -> str:
    """The identifier: one account per address regardless of case or surrounding spaces."""
    return (email or "").strip().lower()


def verifier_email(email: str | None) -> str | None:
    e = (email or "").strip()
    if not e:
        return MESSAGE_OBLIGATOIRE
    if len(e) > 254 or len(e.partition("@")[0]) > 64 or not _EMAIL.fullmatch(e):
        return "L'adresse mail n'est pas valide (exemple : nom.prenom@domaine.fr)."
    return None


def verifier_double_saisie(valeur: str, confirmation: str, libelle: str, *, casse: bool = True) -> str | None:
    a, b = espaces_normalises(valeur), espaces_normalises(confirmation)
    if not casse:
        a, b = a.lower(), b.lower()
    if not b:
        return MESSAGE_OBLIGATOIRE
    if a != b:
        return f"La confirmation ne correspond pas : {libelle}."
    return None


def parser_date(texte: str | None) -> date | None:
    """'30/05/1998' (or '30051998') -> date; None when the text is not a real dd/mm/yyyy date."""
    m = _DATE.fullmatch(normaliser_date(texte))
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def verifier_date_naissance(texte: str | None, aujourd_hui: date) -> str | None:
    if not (texte or "").strip():
        return MESSAGE_OBLIGATOIRE
    d = parser_date(texte)
    if d is None:
        return "La date doit être une date réelle au format jj/mm/aaaa (exemple : 30/05/1998)."
    if d > aujourd_hui:
        return "La date de naissance ne peut pas être dans le futur."
    if d < DATE_MIN:
        return "La date de naissance ne peut pas être antérieure au 01/01/1900."
    return None


def verifier_nom(texte: str | None, *, obligatoire: bool = True) -> str | None:
    if m := verifier_caracteres(texte):  # as typed: split() would turn some controls into spaces
        return m
    t = espaces_normalises(texte)
    if not t:
        return MESSAGE_OBLIGATOIRE if obligatoire else None
    if len(t) > 80:
        return "80 caractères au maximum."
    if not _NOM.fullmatch(t):
        return "Seuls les lettres, espaces, apostrophes et traits d'union sont acceptés."
    if not any(c.isalpha() for c in t):
        return "Ce champ doit contenir au moins une lettre."
    return None


# --- N° candidat -----------------------------------------------------------------------------

def cle_luhn(digits: str) -> int:
    """The Luhn check digit: catches any single mistyped digit and most swaps of two neighbours."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def numero_candidat(sequence: int) -> str:
    """11 digits: a 10-digit sequence and a Luhn check digit that catches a mistyped digit."""
    if not 0 < sequence < 10**10:
        raise ValueError("séquence hors limites")
    base = f"{sequence:010d}"
    return base + str(cle_luhn(base))


def numero_candidat_valide(numero: str | None) -> bool:
    n = (numero or "").strip()
    return len(n) == 11 and chiffres_ascii(n) and cle_luhn(n[:10]) == int(n[10])


# --- The whole form --------------------------------------------------------------------------

@dataclass
class SaisieCompte:
    """What the account form holds, as typed (strings), before any check."""

    sexe: str = ""                      # "M" / "F"
    nom: str = ""
    nom_confirmation: str = ""
    nom_usage: str = ""
    prenoms: str = ""
    date_naissance: str = ""
    date_naissance_confirmation: str = ""
    pays_naissance: str = ""            # ISO alpha-2
    departement_naissance: str = ""     # code when born in France
    commune_naissance: str = ""         # id of the commune row (current or former) when born in France
    commune_naissance_etranger: str = ""  # town typed when born abroad
    email: str = ""
    email_confirmation: str = ""
    mot_de_passe: str = ""
    mot_de_passe_confirmation: str = ""


IDENTITE = ("sexe", "nom", "nom_usage", "prenoms", "date_naissance", "pays_naissance",
            "departement_naissance", "commune_naissance", "commune_naissance_etranger")


def valider_saisie_compte(
    s: SaisieCompte, aujourd_hui: date | datetime, *, avec_mot_de_passe: bool = True,
    champs: tuple[str, ...] | None = None,
) -> dict[str, str]:
    """Every problem of the form, keyed by field. ``champs`` limits the check to editable fields."""
    if isinstance(aujourd_hui, datetime):
        aujourd_hui = aujourd_hui.date()
    e: dict[str, str] = {}

    def want(name: str) -> bool:
        return champs is None or name in champs

    # A refused character is named whatever else the field gets wrong (its message wins below).
    interdits = erreurs_caracteres({n: v for n, v in vars(s).items() if want(n.removesuffix("_confirmation"))
                                    and (avec_mot_de_passe or not n.startswith("mot_de_passe"))})
    if want("sexe") and s.sexe not in ("M", "F"):
        e["sexe"] = "Choisissez le sexe."
    if want("nom"):
        if m := verifier_nom(s.nom):
            e["nom"] = m
        elif m := verifier_double_saisie(s.nom, s.nom_confirmation, "nom de naissance", casse=False):
            e["nom_confirmation"] = m
    if want("nom_usage") and (m := verifier_nom(s.nom_usage, obligatoire=False)):
        e["nom_usage"] = m
    if want("prenoms") and (m := verifier_nom(s.prenoms)):
        e["prenoms"] = m
    if want("date_naissance"):
        if m := verifier_date_naissance(s.date_naissance, aujourd_hui):
            e["date_naissance"] = m
        elif not (s.date_naissance_confirmation or "").strip():
            e["date_naissance_confirmation"] = MESSAGE_OBLIGATOIRE
        elif parser_date(s.date_naissance_confirmation) != parser_date(s.date_naissance):
            e["date_naissance_confirmation"] = "La confirmation ne correspond pas : date de naissance."
    if want("pays_naissance"):
        if not s.pays_naissance:
            e["pays_naissance"] = "Choisissez le pays de naissance."
        elif s.pays_naissance == PAYS_FRANCE:
            if not s.departement_naissance:
                e["departement_naissance"] = "Choisissez le département, DOM ou COM de naissance."
            if not s.commune_naissance:
                e["commune_naissance"] = "Choisissez la commune de naissance dans la liste."
        elif not espaces_normalises(s.commune_naissance_etranger):
            e["commune_naissance_etranger"] = "Indiquez la ville de naissance."
        elif len(espaces_normalises(s.commune_naissance_etranger)) > 120:
            e["commune_naissance_etranger"] = "120 caractères au maximum."
    if want("email"):
        if m := verifier_email(s.email):
            e["email"] = m
        elif normaliser_email(s.email_confirmation) == "":
            e["email_confirmation"] = MESSAGE_OBLIGATOIRE
        elif normaliser_email(s.email) != normaliser_email(s.email_confirmation):
            e["email_confirmation"] = "La confirmation ne correspond pas : adresse mail."
    if avec_mot_de_passe and want("mot_de_passe"):
        if m := verifier_mot_de_passe(s.mot_de_passe):
            e["mot_de_passe"] = m
        elif s.mot_de_passe != s.mot_de_passe_confirmation:
            e["mot_de_passe_confirmation"] = (
                MESSAGE_OBLIGATOIRE if not s.mot_de_passe_confirmation
                else "La confirmation ne correspond pas : mot de passe."
            )
    e.update(interdits)
    return e
