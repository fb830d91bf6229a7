"""Retention settings (``Parametre`` « conservation »): how long an unactivated account and a past
session's data are kept before the RGPD purge (services/rgpd_purge.py) deletes them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..rules.errors import ValidationError
from . import audit, parametres
from .contexte import Contexte
from .permissions import P, exiger

CLE_CONSERVATION = "conservation"
# DOMAIN.md §3 (004 §2.1): an account not activated within 48 h is deleted with its data. The setting
# may lengthen the delay, never shorten it: the activation mail promises 48 hours.
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


def lire_conservation_session(s: Session) -> Conservation:
    v = parametres.lire(s, CLE_CONSERVATION)
    return Conservation(int(v.get("heures_comptes_non_actives", HEURES_COMPTES_DEFAUT)),
                        int(v.get("annees_apres_session", ANNEES_SESSIONS_DEFAUT)))


def lire_conservation(ctx: Contexte) -> Conservation:
    exiger(ctx, P.MAINTENANCE)
    with ctx.lecture() as s:
        return lire_conservation_session(s)


def _entier(texte: object, cle: str, libelle: str, mini: int, maxi: int, erreurs: dict[str, str]) -> int:
    try:
        n = int(str(texte).strip())
    except ValueError:
        erreurs[cle] = f"{libelle} : saisissez un nombre entier."
        return 0
    if not mini <= n <= maxi:
        erreurs[cle] = f"{libelle} : saisissez un nombre entre {mini} et {maxi}."
    return n


def enregistrer_conservation(ctx: Contexte, heures: object, annees: object) -> Conservation:
    exiger(ctx, P.MAINTENANCE)
    erreurs: dict[str, str] = {}
    h = _entier(heures, "heures_comptes_non_actives", "Délai avant suppression d'un compte non activé (heures)",
                HEURES_COMPTES_MIN, HEURES_COMPTES_MAX, erreurs)
    a = _entier(annees, "annees_apres_session", "Conservation après la session (années)",
                ANNEES_SESSIONS_MIN, ANNEES_SESSIONS_MAX, erreurs)
    if erreurs:
        raise ValidationError(erreurs)
    nouvelle = Conservation(h, a)
    with ctx.transaction() as s:
        avant = lire_conservation_session(s)
        valeur = {"heures_comptes_non_actives": h, "annees_apres_session": a}
        parametres.ecrire(s, ctx, CLE_CONSERVATION, valeur)
        av, ap = audit.difference(avant.__dict__, valeur)
        audit.enregistrer(s, ctx, "modification", "parametre", CLE_CONSERVATION,
                          libelle="Durées de conservation des données", avant=av, apres=ap)
    return nouvelle
