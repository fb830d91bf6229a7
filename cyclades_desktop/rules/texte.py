"""Text shared by storage (search keys), display and input checks: what a search uses of the typed
text, which characters a typed value may hold, digits as a person types them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping

_SEPARATORS = re.compile(r"[\s'’`\-_.]+")


def sans_accents(texte: str) -> str:
    decomposed = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace(
        "Œ", "OE"
    ).replace("æ", "ae").replace("Æ", "AE")


def cle_recherche(texte: str | None) -> str:
    """Accent-, case- and punctuation-insensitive key: 'Ngmb-Dupont' -> 'NGMB DUPONT'.

    Stored beside names so that a prefix search is an indexed range scan.
    """
    if not texte:
        return ""
    return _SEPARATORS.sub(" ", sans_accents(texte).upper()).strip()


def espaces_normalises(texte: str | None) -> str:
    return " ".join((texte or "").split())


def nom_majuscules(texte: str | None) -> str:
    """Family names are kept upper-case with their accents, as on CYCLADES documents."""
    return espaces_normalises(texte).upper()


def prenoms_normalises(texte: str | None) -> str:
    """'ngmb-jeanne  marie' -> 'Ngmb-Jeanne Marie' (each part capitalised, accents kept)."""
    def cap(part: str) -> str:
        return part[:1].upper() + part[1:].lower() if part else part

    mots = []
    for mot in espaces_normalises(texte).split(" "):
        mots.append("-".join(cap(p) for p in mot.split("-")))
    return " ".join(mots)


def prefixe_suivant(prefixe: str) -> str:
    """Upper bound for a prefix range scan: key >= prefix AND key < prefixe_suivant(prefix)."""
    return prefixe + "\uffff"


# --- What typed text may hold -------------------------------------------------------------------
# Characters a person cannot see or that reorder what is shown: C0 and C1 controls (NUL breaks
# PostgreSQL and cuts SQLite patterns short), format characters (bidi marks and overrides U+200E/F,
# U+202A–E, U+2066–9, zero-width U+200B–D, U+FEFF, soft hyphen…), lone surrogates and the line and
# paragraph separators U+2028/9. Two names that look the same must be the same name.
_CATEGORIES_INTERDITES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# A multi-line field (an address, free measures) keeps its line breaks and tabs.
_PERMIS_MULTILIGNE = frozenset("\t\n\r")
# A search uses at most this much of what was typed: a pasted page would build an SQL expression
# too large for SQLite and take seconds before failing.
LONGUEUR_RECHERCHE_MAX = 100
MOTS_RECHERCHE_MAX = 8
# The escape character of every LIKE pattern built from typed text (``escape=ECHAPPEMENT_LIKE``).
ECHAPPEMENT_LIKE = "\\"


def caractere_interdit(c: str, *, multiligne: bool = False) -> bool:
    if multiligne and c in _PERMIS_MULTILIGNE:
        return False
    return unicodedata.category(c) in _CATEGORIES_INTERDITES


def verifier_caracteres(texte: str | None, *, multiligne: bool = False) -> str | None:
    """The French message for a typed value holding an invisible or control character, else None."""
    for c in texte or "":
        if caractere_interdit(c, multiligne=multiligne):
            return ("Ce champ contient un caractère invisible ou de contrôle "
                    f"(U+{ord(c):04X}) : retapez le texte sans le copier-coller.")
    return None


def erreurs_caracteres(valeurs: Mapping[str, object], *, multilignes: Collection[str] = ()) -> dict[str, str]:
    """Field → message for each typed value (a text, or a list or mapping of texts) that holds a
    refused character. Non-text values are not this check's business."""
    e: dict[str, str] = {}
    for cle, valeur in valeurs.items():
        for t in _textes(valeur):
            if m := verifier_caracteres(t, multiligne=cle in multilignes):
                e[cle] = m
                break
    return e


def _textes(valeur: object, profondeur: int = 0) -> Iterator[str]:
    """The texts inside a value as read from a form or a JSON file (nested lists and mappings)."""
    if isinstance(valeur, str):
        yield valeur
    elif profondeur > 50:  # deeper than any real file: json.loads itself stops near 1,000
        return
    elif isinstance(valeur, Mapping):
        for k, v in valeur.items():
            yield from _textes(k, profondeur + 1)
            yield from _textes(v, profondeur + 1)
    elif isinstance(valeur, list | tuple | set | frozenset):
        for v in valeur:
            yield from _textes(v, profondeur + 1)


def sans_caracteres_interdits(texte: str | None) -> str:
    """The text with every refused character dropped; tabs and line breaks become spaces."""
    return "".join(" " if c in _PERMIS_MULTILIGNE else c for c in (texte or "")
                   if not caractere_interdit(c, multiligne=True))


def texte_recherche(texte: str | None) -> str:
    """What a search uses of the typed text: never an error, whatever was pasted (refused
    characters dropped, blanks collapsed, at most LONGUEUR_RECHERCHE_MAX characters)."""
    return espaces_normalises(sans_caracteres_interdits((texte or "")[:4 * LONGUEUR_RECHERCHE_MAX])
                              )[:LONGUEUR_RECHERCHE_MAX].strip()


def mots_recherche(texte: str | None) -> list[str]:
    """The words of a search by key (accents, case, punctuation ignored), the first
    MOTS_RECHERCHE_MAX only: each word is one more condition in the query."""
    return cle_recherche(texte_recherche(texte)).split()[:MOTS_RECHERCHE_MAX]


def echapper_like(texte: str) -> str:
    """Typed text as a literal inside a LIKE pattern (used with ``escape=ECHAPPEMENT_LIKE``): « % »
    and « _ » typed by someone match themselves, not every row."""
    return (texte.replace(ECHAPPEMENT_LIKE, ECHAPPEMENT_LIKE * 2).replace("%", ECHAPPEMENT_LIKE + "%")
            .replace("_", ECHAPPEMENT_LIKE + "_"))


# --- Digits as a person types them ----------------------------------------------------------------
# str.isdigit(), int() and the regex \d also take « １２３ », « ٣ » or « ² »: a postcode, a phone
# number or a port is made of the ten ASCII digits only.

def chiffres_ascii(texte: str | None) -> bool:
    """True for a non-empty text of ASCII digits only."""
    return texte is not None and texte.isascii() and texte.isdigit()


def entier_ascii(texte: object) -> int | None:
    """'587', ' 42 ', '-3' → the integer; None for anything else (« ５８７ », « 1_000 », « 4.0 », « +3 »)."""
    t = str(texte).strip(" \t\r\n")   # ASCII blanks only: str.strip() also drops controls such as \x1f
    corps = t[1:] if t[:1] == "-" else t
    if not chiffres_ascii(corps) or len(corps) > 18:
        return None
    return int(t)
