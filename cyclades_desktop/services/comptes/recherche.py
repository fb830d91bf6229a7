"""Searching candidate accounts: one keyset page by N° candidat, e-mail or name prefix (accents and
case ignored), whatever was typed (rules/texte.py: a search never fails)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from ...models import CompteCandidat
from ...rules import comptes as regles
from ...rules.texte import chiffres_ascii, cle_recherche, prefixe_suivant, texte_recherche
from ..noyau import Contexte, P, exiger


@dataclass(frozen=True)
class LigneCompte:
    id: int
    numero_candidat: str
    nom: str
    nom_usage: str | None
    prenoms: str
    date_naissance: date
    email: str
    etat: str
    cle: str


def rechercher(ctx: Contexte, texte: str = "", *, apres: LigneCompte | None = None,
               limite: int = 100) -> list[LigneCompte]:
    """One page of accounts, ordered for keyset paging. ``texte`` is a prefix of the N° candidat,
    the e-mail, the login or the name ("DUPONT", "dupont je", "Dupônt"), accents and case ignored."""
    exiger(ctx, P.COMPTES_LIRE)
    t = texte_recherche(texte)  # a search never fails: invisible characters dropped, length bounded
    cols = (CompteCandidat.id, CompteCandidat.numero_candidat, CompteCandidat.nom, CompteCandidat.nom_usage,
            CompteCandidat.prenoms, CompteCandidat.date_naissance, CompteCandidat.email, CompteCandidat.etat,
            CompteCandidat.cle)
    q = select(*cols)
    if chiffres_ascii(t):
        q = q.where(CompteCandidat.numero_candidat >= t, CompteCandidat.numero_candidat < prefixe_suivant(t))
        order = (CompteCandidat.numero_candidat, CompteCandidat.id)
        cursor = (apres.numero_candidat, apres.id) if apres else None
    elif "@" in t:
        e = regles.normaliser_email(t)
        q = q.where(CompteCandidat.email_normalise >= e, CompteCandidat.email_normalise < prefixe_suivant(e))
        order = (CompteCandidat.email_normalise, CompteCandidat.id)
        cursor = (regles.normaliser_email(apres.email), apres.id) if apres else None
    else:
        key = cle_recherche(t)
        if t and not key:
            return []  # separators only (« _ », « - »): not every account
        if key:
            q = q.where(CompteCandidat.cle >= key, CompteCandidat.cle < prefixe_suivant(key))
        order = (CompteCandidat.cle, CompteCandidat.id)
        cursor = (apres.cle, apres.id) if apres else None
    if cursor is not None:
        q = q.where(tuple_(*order) > tuple_(*cursor))
    q = q.order_by(*order).limit(limite)
    with ctx.lecture() as s:
        rows = [LigneCompte(*r) for r in s.execute(q)]
        if apres is None and t and not chiffres_ascii(t) and "@" not in t and len(rows) < limite - 1:
            # Kept short of a full page: a full page invites fetchMore, whose cursor (name order)
            # would not know where login / nom d'usage matches stand.
            rows += _extras(s, cols, t, {r.id for r in rows}, limite - 1 - len(rows))
    return rows


def _extras(s: Session, cols: tuple, t: str, seen: set[int], n: int) -> list[LigneCompte]:
    """On a short first page, also accounts found by login or nom d'usage."""
    key = cle_recherche(t)
    q = select(*cols).where(
        (CompteCandidat.login >= t.lower()) & (CompteCandidat.login < prefixe_suivant(t.lower()))
        | ((CompteCandidat.nom_usage_cle >= key) & (CompteCandidat.nom_usage_cle < prefixe_suivant(key)))
    ).limit(n + len(seen))
    return [LigneCompte(*r) for r in s.execute(q) if r[0] not in seen][:n]
