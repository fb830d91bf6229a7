"""Postal addresses typed on the Identification tab: the communes behind a French postal code, so
that « Localité » is filled from the code instead of being typed (read only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from ...models import Commune
from ...rules.texte import ECHAPPEMENT_LIKE, echapper_like
from ..noyau import Contexte

_CP = re.compile(r"\d{5}", re.ASCII)   # five ASCII digits, whole (fullmatch)
_SEPARATEURS = re.compile(r"[\s;,]+")


@dataclass(frozen=True)
class CommunePostale:
    code_insee: str
    nom: str


def communes_postales(ctx: Contexte, code_postal: str) -> list[CommunePostale]:
    """The current communes served by this postal code, by name. Marseille's arrondissements and
    former communes are left out: the post writes the current commune's name."""
    cp = (code_postal or "").strip()
    if not _CP.fullmatch(cp):
        return []
    with ctx.lecture() as s:
        rows = s.execute(select(Commune.code_insee, Commune.nom, Commune.codes_postaux)
                         .where(Commune.type == "commune-actuelle",
                                Commune.codes_postaux.contains(echapper_like(cp), escape=ECHAPPEMENT_LIKE))).all()
    trouvees = {(code, nom) for code, nom, codes in rows if cp in _SEPARATEURS.split(codes or "")}
    return [CommunePostale(code, nom) for code, nom in sorted(trouvees, key=lambda x: (x[1], x[0]))]


def communes_du_code_postal(ctx: Contexte, code_postal: str) -> list[str]:
    """The names only, as the « Localité » list shows them."""
    return [c.nom for c in communes_postales(ctx, code_postal)]
