"""One row read by its key or refused in French, and a save refused in French when another workstation
saved the same row first: what every area's services do the same way.

    with conflit_si_perime("Ce compte a été modifié entre-temps par un autre poste."), ctx.transaction() as s:
        compte = charger_ou_erreur(s, CompteCandidat, compte_id, "Ce compte candidat n'existe plus.")
        compte.email = email

``conflit_si_perime`` outside the transaction: the versioned UPDATE may run at its commit. Each call
site keeps its own message: it names what the user was looking at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ...rules.errors import ConflictError, NotFound

T = TypeVar("T")


def charger_ou_erreur(s: Session, modele: type[T], cle: Any, message: str,
                      erreur: type[Exception] = NotFound) -> T:
    """``s.get(modele, cle)``, or ``erreur(message)`` when there is no such row (any more)."""
    ligne = s.get(modele, cle)
    if ligne is None:
        raise erreur(message)
    return ligne


@contextmanager
def conflit_si_perime(message: str) -> Iterator[None]:
    """A versioned UPDATE that matched no row (the row version moved on: another workstation saved
    first) becomes ``ConflictError(message)``, which the screens turn into the concurrent-edit dialog."""
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError(message) from exc
