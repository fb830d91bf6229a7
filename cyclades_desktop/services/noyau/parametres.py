"""Office settings kept in the ``parametre`` table (one JSON value per key: "smtp", retention, backups…).

Helpers that work inside the caller's transaction, so that a setting changes together with its audit
row. Secrets never go here: see ``services/courriels/secret.py`` for the SMTP password."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ...models import Parametre
from .contexte import SYSTEME, Contexte


def lire(s: Session, cle: str) -> dict[str, Any]:
    """The stored value, or an empty dict when the key was never written."""
    p = s.get(Parametre, cle)
    return dict(p.valeur or {}) if p is not None else {}


def lire_hors_transaction(ctx: Contexte, cle: str) -> dict[str, Any]:
    with ctx.lecture() as s:
        return lire(s, cle)


def ecrire(s: Session, ctx: Contexte, cle: str, valeur: dict[str, Any]) -> Parametre:
    """Replace the value (the row's version guards against two workstations saving at once)."""
    p = s.get(Parametre, cle)
    if p is None:
        p = Parametre(cle=cle)
        s.add(p)
    # A new dict, not an in-place change: the JSON column only notices reassignment.
    p.valeur = dict(valeur)
    p.modifie_le = ctx.clock.now()
    p.modifie_par = (ctx.agent or SYSTEME).login
    return p
