"""Clashes: one person's épreuves overlapping in time, across their candidatures of a session."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ...models import (
    Affectation,
    Candidature,
    CentreExamen,
    CompteCandidat,
    Creneau,
    Etablissement,
    Salle,
    Specialite,
)
from ...rules.codes_epreuves import nom_epreuve
from ...rules.organisation import fin
from ..noyau import Contexte, P, exiger
from .besoins import LOT, filtre_besoins


@dataclass(frozen=True)
class EpreuveCandidat:
    candidature_id: int
    numero_inscription: str
    specialite_id: str
    specialite: str
    creneau_id: int
    epreuve: str
    debut: datetime
    fin: datetime
    salle: str                     # « Salle A (Lycée X) » or « sans place »


@dataclass(frozen=True)
class Conflit:
    compte_id: int
    numero_candidat: str
    nom: str
    a: EpreuveCandidat
    b: EpreuveCandidat


def conflits(ctx: Contexte, session_id: int) -> list[Conflit]:
    """Every person (account) with two scheduled épreuves overlapping in time, across all their
    active candidatures in the session (e.g. a CAP and a BP), seated or not."""
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        plages = {cid: (d, fin(d, m)) for cid, d, m in s.execute(
            select(Creneau.id, Creneau.debut, Creneau.duree_minutes).where(Creneau.session_id == session_id))}
        # Only créneaux that overlap another can clash: usually few, so the people to look at are few.
        ids = sorted(plages)
        paires = {(x, y) for i, x in enumerate(ids) for y in ids[i + 1:]
                  if plages[x][0] < plages[y][1] and plages[y][0] < plages[x][1]}
        if not paires:
            return []
        concernes = {c for p in paires for c in p}
        # Who needs what: three integers per row, grouped by person in memory; details are read
        # afterwards only for the clashing ones.
        par_compte: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for compte, cand, cren in s.execute(filtre_besoins(select(
                Candidature.compte_id, Candidature.id, Creneau.id).select_from(Candidature), session_id)):
            if cren in concernes:
                par_compte[compte].append((cand, cren))
        bruts: list[tuple[int, tuple[int, int], tuple[int, int]]] = []
        for compte, besoins in par_compte.items():
            if len(besoins) < 2:
                continue
            besoins.sort(key=lambda b: (plages[b[1]][0], b[1]))
            for i, x in enumerate(besoins):
                for y in besoins[i + 1:]:
                    if (min(x[1], y[1]), max(x[1], y[1])) in paires:
                        bruts.append((compte, x, y))
        if not bruts:
            return []
        cands = sorted({c for _k, x, y in bruts for c in (x[0], y[0])})
        infos: dict[int, tuple[str, str, str]] = {}
        places: dict[tuple[int, int], str] = {}
        for i in range(0, len(cands), LOT):
            lot = cands[i:i + LOT]
            for cid, ninsc, spid, sp in s.execute(select(
                    Candidature.id, Candidature.numero_inscription, Specialite.id, Specialite.intitule)
                    .join(Specialite, Specialite.id == Candidature.specialite_id).where(Candidature.id.in_(lot))):
                infos[cid] = (ninsc, spid, sp)
            for cid, cren, snom, cnom in s.execute(select(
                    Affectation.candidature_id, Affectation.creneau_id, Salle.nom, Etablissement.nom)
                    .join(Salle, Salle.id == Affectation.salle_id).join(CentreExamen, CentreExamen.id == Salle.centre_id)
                    .join(Etablissement, Etablissement.uai == CentreExamen.etablissement_uai)
                    .where(Affectation.candidature_id.in_(lot))):
                places[(cid, cren)] = f"{snom} ({cnom})"
        creneaux = {c.id: c for c in s.scalars(select(Creneau).where(Creneau.id.in_(concernes)))}

        def epreuve(b: tuple[int, int]) -> EpreuveCandidat:
            ninsc, spid, sp = infos[b[0]]
            c = creneaux[b[1]]
            return EpreuveCandidat(b[0], ninsc, spid, sp, c.id, nom_epreuve(c.epreuve_code, c.intitule, " "), *plages[c.id],
                                   places.get(b, "sans place"))
        trouves = [(compte, epreuve(x), epreuve(y)) for compte, x, y in bruts]
        comptes: dict[int, tuple[str, str]] = {}
        ids = sorted({t[0] for t in trouves})
        for i in range(0, len(ids), LOT):
            for cid, num, nom, prenoms in s.execute(
                    select(CompteCandidat.id, CompteCandidat.numero_candidat, CompteCandidat.nom,
                           CompteCandidat.prenoms).where(CompteCandidat.id.in_(ids[i:i + LOT]))):
                comptes[cid] = (num, f"{nom.upper()} {prenoms}")
    out = [Conflit(c, comptes[c][0], comptes[c][1], x, y) for c, x, y in trouves]
    return sorted(out, key=lambda k: (k.nom, k.numero_candidat, k.a.debut))
