"""How an épreuve is named to people: screens, documents and messages (docs/domaine/referentiel.md).

Some units of the référentiel have no official code (not found in the texts). The loader gives them a
placeholder (NC1, NC2…, numbered in the tree's order) so that every unit keeps a stable key for the
épreuves and deliberation engines and for the positions saved with a candidature. That key is internal:
what people read is the unit's real code, or no code at all. Likewise an intitulé the référentiel does
not know is stored as a placeholder, and printed as nothing."""

from __future__ import annotations

import re

PREFIXE_PROVISOIRE = "NC"
_PROVISOIRE = re.compile(rf"{PREFIXE_PROVISOIRE}\d+")
INTITULE_A_COMPLETER = "(intitulé à compléter)"


def code_provisoire(rang: int) -> str:
    """The internal key of the ``rang``-th node (pre-order, from 1) of a tree when it has no code."""
    return f"{PREFIXE_PROVISOIRE}{rang}"


def est_provisoire(code: str | None) -> bool:
    return bool(code) and _PROVISOIRE.fullmatch(code or "") is not None


def code_affiche(code: str | None) -> str:
    """The code people may read: the official one, or "" for a placeholder."""
    return "" if not code or est_provisoire(code) else code


def intitule_affiche(intitule: str | None) -> str:
    return "" if not intitule or intitule == INTITULE_A_COMPLETER else intitule


def nom_epreuve(code: str | None, intitule: str | None, separateur: str = " - ") -> str:
    """« E1-A - Mathématiques », « Prévention-santé-environnement » (no official code), « E2 » (no
    known intitulé): never a placeholder, never a dangling separator."""
    parties = [p for p in (code_affiche(code), intitule_affiche(intitule)) if p]
    return separateur.join(parties)


def titre_epreuve(code: str | None, unite: str | None, intitule: str | None) -> str:
    """« E1-A (U11) – Mathématiques », as convocations and exam-day documents write it; « UP3 – … » or
    the intitulé alone when the unit has no official code."""
    c = code_affiche(code)
    tete = f"{c} ({unite})" if c and unite else (c or unite or "")
    return " – ".join(p for p in (tete, intitule_affiche(intitule)) if p)
