"""Text normalisation shared by storage (search keys) and display."""

from __future__ import annotations

import re
import unicodedata

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
