"""Batch printing (services/impressions): the states of a batch with their French
names. A batch stays « en cours » until every element is done, so that an interrupted one can resume."""

from __future__ import annotations

from enum import StrEnum


class EtatLot(StrEnum):
    """Stored in ``lot.etat``."""

    EN_COURS = "en_cours"
    TERMINE = "termine"
    ANNULE = "annule"          # abandoned by the office: never resumed

    @property
    def libelle(self) -> str:
        return LIBELLES_LOTS[self]


LIBELLES_LOTS: dict[str, str] = {EtatLot.EN_COURS: "En cours", EtatLot.TERMINE: "Terminé",
                                 EtatLot.ANNULE: "Abandonné"}
