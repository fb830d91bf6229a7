"""Retention settings (``Parametre`` « conservation »), stored and read: how long an unactivated account
and a past session's data are kept (rules/rgpd.py) before the RGPD purge (purge.py) deletes them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ...rules.rgpd import ANNEES_SESSIONS_DEFAUT, HEURES_COMPTES_DEFAUT, Conservation, valider_conservation
from ..noyau import Contexte, P, audit, exiger, parametres

CLE_CONSERVATION = "conservation"


def lire_conservation_session(s: Session) -> Conservation:
    v = parametres.lire(s, CLE_CONSERVATION)
    return Conservation(int(v.get("heures_comptes_non_actives", HEURES_COMPTES_DEFAUT)),
                        int(v.get("annees_apres_session", ANNEES_SESSIONS_DEFAUT)))


def lire_conservation(ctx: Contexte) -> Conservation:
    exiger(ctx, P.MAINTENANCE)
    with ctx.lecture() as s:
        return lire_conservation_session(s)


def enregistrer_conservation(ctx: Contexte, heures: object, annees: object) -> Conservation:
    exiger(ctx, P.MAINTENANCE)
    nouvelle = valider_conservation(heures, annees)
    h, a = nouvelle.heures_comptes_non_actives, nouvelle.annees_apres_session
    with ctx.transaction() as s:
        avant = lire_conservation_session(s)
        valeur = {"heures_comptes_non_actives": h, "annees_apres_session": a}
        parametres.ecrire(s, ctx, CLE_CONSERVATION, valeur)
        av, ap = audit.difference(avant.__dict__, valeur)
        audit.enregistrer(s, ctx, "modification", "parametre", CLE_CONSERVATION,
                          libelle="Durées de conservation des données", avant=av, apres=ap)
    return nouvelle
