"""RGPD retention (services/rgpd): how long an unactivated account and a past session's data are kept
before the purge deletes them, the checks on the office's setting, and which sessions are past it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .errors import ValidationError
from .temps import paris
from .texte import entier_ascii

# An account not activated within 48 h is deleted with its data (docs/domaine/comptes.md#activation).
# The setting may lengthen the delay, never shorten it: the activation mail promises 48 hours.
HEURES_COMPTES_DEFAUT = 48
HEURES_COMPTES_MIN = 48
HEURES_COMPTES_MAX = 24 * 31
# A session's data is kept 5 full years after the session's year: grades of a failed exam can be
# carried over (« bénéfice de notes ») for five years, so the office must be able to certify them
# that long. To be confirmed with the académie's DPO and the rectorat's archive retention schedule.
ANNEES_SESSIONS_DEFAUT = 5
ANNEES_SESSIONS_MIN = 1
ANNEES_SESSIONS_MAX = 50


@dataclass(frozen=True)
class Conservation:
    heures_comptes_non_actives: int = HEURES_COMPTES_DEFAUT
    annees_apres_session: int = ANNEES_SESSIONS_DEFAUT


def entier_borne(texte: object, cle: str, libelle: str, mini: int, maxi: int, erreurs: dict[str, str]) -> int:
    """The typed whole number; a problem goes to ``erreurs[cle]`` with the field's French ``libelle``."""
    n = entier_ascii(texte)  # ASCII digits only: int() would also read « ４８ » or « 4_8 »
    if n is None:
        erreurs[cle] = f"{libelle} : saisissez un nombre entier."
        return 0
    if not mini <= n <= maxi:
        erreurs[cle] = f"{libelle} : saisissez un nombre entre {mini} et {maxi}."
    return n


def valider_conservation(heures: object, annees: object) -> Conservation:
    """The setting as typed (hours before an unactivated account goes, years kept after a session)."""
    erreurs: dict[str, str] = {}
    h = entier_borne(heures, "heures_comptes_non_actives", "Délai avant suppression d'un compte non activé (heures)",
                     HEURES_COMPTES_MIN, HEURES_COMPTES_MAX, erreurs)
    a = entier_borne(annees, "annees_apres_session", "Conservation après la session (années)",
                     ANNEES_SESSIONS_MIN, ANNEES_SESSIONS_MAX, erreurs)
    if erreurs:
        raise ValidationError(erreurs)
    return Conservation(h, a)


def limite_sessions(instant: datetime, c: Conservation) -> int:
    """Sessions of a year strictly below this are past their retention (year + years < this year)."""
    return paris(instant).year - c.annees_apres_session
