"""What the registration screens read: a candidate's candidatures as cards (« Mes inscriptions »,
docs/domaine/inscriptions.md#etats) and the lists the nine tabs offer for one examen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ...models import (
    Bureau,
    Candidature,
    Categorie,
    Domaine,
    Etablissement,
    Periode,
    SessionExamen,
    Situation,
    Specialite,
    TypeAcquis,
)
from ...rules.inscriptions import ACADEMIES, ETATS_ACTIFS, LIBELLES_ETATS, periode_ouverte
from ..noyau import Contexte, P, autorise, exiger


@dataclass(frozen=True)
class CarteInscription:
    id: int
    numero_inscription: str
    domaine: str                   # "BACCALAURÉAT PROFESSIONNEL"
    specialite: str
    academie: str                  # "ACADÉMIE D'AIX-MARSEILLE"
    etablissement: str             # "CFA CEVEDOM CAYENNE-CAYENNE CEDEX 2(9730538X)"
    session: str
    etat: str
    etat_libelle: str              # "Inscrit", "À compléter", "Désinscrit par le candidat"…
    version: int
    row_version: int
    individuel: bool
    periode_ouverte: bool
    cloture: datetime | None
    modifiable: bool               # by the signed-in person, now
    desinscriptible: bool

    @property
    def active(self) -> bool:
        return self.etat in ETATS_ACTIFS


def candidatures(ctx: Contexte, compte_id: int, *, actives_seulement: bool = True) -> list[CarteInscription]:
    """The account's candidatures, newest first; « Mes inscriptions » shows the active ones only."""
    exiger(ctx, P.COMPTES_LIRE)
    now = ctx.clock.now()
    office = autorise(ctx, P.INSCRIPTIONS_HORS_PERIODE)
    ecrire = autorise(ctx, P.INSCRIPTIONS_ECRIRE)
    with ctx.lecture() as s:
        q = (select(Candidature, Domaine, SessionExamen, Specialite, Etablissement, Categorie, Periode)
             .join(Domaine, Candidature.domaine_code == Domaine.code)
             .join(SessionExamen, Candidature.session_id == SessionExamen.id)
             .outerjoin(Specialite, Candidature.specialite_id == Specialite.id)
             .outerjoin(Etablissement, Candidature.etablissement_uai == Etablissement.uai)
             .outerjoin(Categorie, Candidature.categorie_code == Categorie.code)
             .outerjoin(Periode, (Periode.session_id == Candidature.session_id)
                        & (Periode.domaine_code == Candidature.domaine_code))
             .where(Candidature.compte_id == compte_id).order_by(Candidature.numero_inscription.desc()))
        if actives_seulement:
            q = q.where(Candidature.etat.in_(ETATS_ACTIFS))
        rows = s.execute(q).all()
        bureau = s.get(Bureau, 1)
    academie = (bureau.academie if bureau else "").upper()
    out = []
    for c, dom, se, spec, etab, cat, per in rows:
        ouverte = per is not None and periode_ouverte(per.ouverture, per.cloture, now)
        active = c.etat in ETATS_ACTIFS
        individuel = bool(cat and cat.individuel)
        out.append(CarteInscription(
            c.id, c.numero_inscription, dom.libelle_majuscules, spec.intitule if spec else "", academie,
            _etablissement(etab), se.libelle, c.etat,
            LIBELLES_ETATS.get(c.etat, c.etat), c.version, c.row_version, individuel, ouverte,
            per.cloture if per else None,
            modifiable=active and ecrire and (ouverte or office),
            desinscriptible=active and ecrire and ((individuel and ouverte) or office)))
    return out


def _etablissement(etab: Etablissement | None) -> str:
    """As on the portal's card: « LP FERNAND LEGERE-AUDINCOURT CEDEX(0250001R) »."""
    if etab is None:
        return ""
    return f"{etab.nom}-{etab.ville}({etab.uai})" if etab.ville else f"{etab.nom} ({etab.uai})"


@dataclass(frozen=True)
class ListesInscription:
    categories: list[tuple[str, str]]           # (code, libellé)
    situations: list[tuple[str, str]]
    specialites: list[tuple[str, str]]          # (id, "Aéronautique option Systèmes (25303)")
    situations_acquis: list[tuple[str, str, str]]   # (code, libellé with the diploma's sigle, effet)
    titres: list[tuple[str, str, int | None]]   # (code, "BTS DUT DEUG LICENCE Toutes spécialités", depuis)
    academies: list[str]
    individuels: frozenset[str]                 # catégorie codes of individual candidates


def listes(ctx: Contexte, domaine: str) -> ListesInscription:
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        cats = [c for c in s.scalars(select(Categorie).order_by(Categorie.libelle)) if domaine in (c.domaines or [])]
        sits = list(s.scalars(select(Situation).order_by(Situation.code)))
        specs = list(s.scalars(select(Specialite).where(Specialite.domaine_code == domaine,
                                                        Specialite.actif.is_(True))
                               .order_by(Specialite.intitule)))
        types = [t for t in s.scalars(select(TypeAcquis).order_by(TypeAcquis.code)) if domaine in (t.domaines or [])]
    sigle = {"BCP": "BACPRO"}.get(domaine, domaine)
    situations_acquis = sorted(
        ((t.code, t.libelle.replace("{diplome}", sigle), (t.extra or {}).get("effet", "dispense"))
         for t in types if t.genre == "situation"),
        key=lambda x: next((t.extra or {}).get("ordre", 0) for t in types if t.code == x[0]))
    titres = [(t.code, t.libelle, t.depuis) for t in types if t.genre == "titre"]
    return ListesInscription(
        [(c.code, c.libelle_court) for c in cats], [(x.code, x.libelle) for x in sits],
        [(x.id, f"{x.intitule} ({x.code})" if x.code else x.intitule) for x in specs],
        situations_acquis, titres, list(ACADEMIES), frozenset(c.code for c in cats if c.individuel))
