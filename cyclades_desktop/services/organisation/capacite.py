"""Room capacity over time: at any instant, the candidates seated in a room across all the
créneaux running then (whatever their session) must not exceed its capacity. Loaded in two
grouped queries, then computed in memory: a room sees few créneaux, so this stays cheap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Affectation, CentreExamen, Creneau, Etablissement, Salle
from ...rules.organisation import fin


@dataclass
class Occupations:
    creneaux: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)   # id → (début, fin)
    comptes: dict[int, dict[int, int]] = field(default_factory=dict)               # salle → créneau → n
    capacites: dict[int, int] = field(default_factory=dict)
    noms: dict[int, str] = field(default_factory=dict)                             # « Salle A (Lycée X) »

    def ajouter(self, salle_id: int, creneau_id: int, n: int) -> None:
        par = self.comptes.setdefault(salle_id, {})
        par[creneau_id] = par.get(creneau_id, 0) + n
        if par[creneau_id] <= 0:
            del par[creneau_id]

    def nombre(self, salle_id: int, creneau_id: int) -> int:
        return self.comptes.get(salle_id, {}).get(creneau_id, 0)

    def pic(self, salle_id: int, creneau_id: int) -> tuple[int, datetime]:
        """The most candidates in the room at one instant during the créneau, and that instant."""
        debut, fin_ = self.creneaux[creneau_id]
        chevauchants = [(self.creneaux[c], n) for c, n in self.comptes.get(salle_id, {}).items()
                        if self.creneaux[c][0] < fin_ and debut < self.creneaux[c][1]]
        instants = {debut} | {d for (d, _f), _n in chevauchants if debut < d < fin_}
        meilleur, quand = 0, debut
        for t in sorted(instants):
            charge = sum(n for (d, f), n in chevauchants if d <= t < f)
            if charge > meilleur:
                meilleur, quand = charge, t
        return meilleur, quand

    def libres(self, salle_id: int, creneau_id: int) -> int:
        return self.capacites.get(salle_id, 0) - self.pic(salle_id, creneau_id)[0]

    def pic_salle(self, salle_id: int) -> tuple[int, datetime | None]:
        meilleur: tuple[int, datetime | None] = (0, None)
        for c in self.comptes.get(salle_id, {}):
            p = self.pic(salle_id, c)
            if p[0] > meilleur[0]:
                meilleur = p
        return meilleur

    def deplacer_creneau(self, creneau_id: int, debut: datetime, minutes: int) -> None:
        self.creneaux[creneau_id] = (debut, fin(debut, minutes))

    def salles_du_creneau(self, creneau_id: int) -> list[int]:
        return [s for s, par in self.comptes.items() if creneau_id in par]


def charger_occupations(s: Session, *, salles: list[int] | None = None) -> Occupations:
    """Counts per (room, créneau) for the given rooms, or for every room (all sessions: a room used
    by two sessions at once is full all the same)."""
    occ = Occupations()
    occ.creneaux = {cid: (d, fin(d, m)) for cid, d, m in s.execute(
        select(Creneau.id, Creneau.debut, Creneau.duree_minutes))}
    q = select(Affectation.salle_id, Affectation.creneau_id, func.count()).group_by(
        Affectation.salle_id, Affectation.creneau_id)
    qs = select(Salle.id, Salle.capacite, Salle.nom, Etablissement.nom).join(
        CentreExamen, CentreExamen.id == Salle.centre_id).join(
        Etablissement, Etablissement.uai == CentreExamen.etablissement_uai)
    if salles is not None:
        q = q.where(Affectation.salle_id.in_(salles))
        qs = qs.where(Salle.id.in_(salles))
    for salle_id, creneau_id, n in s.execute(q):
        occ.comptes.setdefault(salle_id, {})[creneau_id] = int(n)
    for salle_id, cap, nom, etab in s.execute(qs):
        occ.capacites[salle_id] = cap
        occ.noms[salle_id] = f"{nom} ({etab})"
    return occ
