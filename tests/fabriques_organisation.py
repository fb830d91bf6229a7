"""Exam organisation written straight with the ORM for the convocation and aménagement tests (the
organisation's own services are tested on their own): a centre at LP FERNAND LEGERE (Audincourt),
its rooms, créneaux of the session's timetable and candidates' seats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from cyclades_desktop.models import Affectation, CentreExamen, Creneau, Salle
from cyclades_desktop.rules.organisation import TypeEpreuve
from cyclades_desktop.rules.temps import depuis_paris
from cyclades_desktop.services.noyau.contexte import Contexte

UAI_CENTRE = "0250001R"       # LP FERNAND LEGERE, 6 RUE RENE GIRARDOT, 25404 AUDINCOURT CEDEX


def centre(ctx: Contexte, salles: tuple[str, ...] = ("B12",), uai: str = UAI_CENTRE) -> dict[str, int]:
    """A centre with its rooms; returns {room name: room id}."""
    with ctx.transaction() as s:
        c = s.scalar(select(CentreExamen).where(CentreExamen.etablissement_uai == uai))
        if c is None:
            c = CentreExamen(etablissement_uai=uai, departements=[])
            s.add(c)
            s.flush()
        for nom in salles:
            s.add(Salle(centre_id=c.id, nom=nom, capacite=30, specialites=[]))
        s.flush()
        return {x.nom: x.id for x in s.scalars(select(Salle).where(Salle.centre_id == c.id))}


def creneau(ctx: Contexte, session_id: int, epreuve_code: str, intitule: str, debut_paris: datetime,
            duree_minutes: int, *, specialite_id: str = "BCP-25303", type_: str = TypeEpreuve.ECRIT) -> int:
    """A créneau at a wall-clock Paris time."""
    with ctx.transaction() as s:
        c = Creneau(session_id=session_id, specialite_id=specialite_id, epreuve_code=epreuve_code,
                    intitule=intitule, debut=depuis_paris(debut_paris), duree_minutes=duree_minutes, type=type_,
                    modifie_le=ctx.clock.now())
        s.add(c)
        s.flush()
        return c.id


def affecter(ctx: Contexte, candidature_id: int, creneau_id: int, salle_id: int) -> int:
    with ctx.transaction() as s:
        a = Affectation(candidature_id=candidature_id, creneau_id=creneau_id, salle_id=salle_id,
                        modifie_le=ctx.clock.now())
        s.add(a)
        s.flush()
        return a.id


def deplacer_creneau(ctx: Contexte, creneau_id: int, debut_paris: datetime) -> None:
    """A timetable change, as the organisation screen records it (modifie_le set)."""
    with ctx.transaction() as s:
        c = s.get(Creneau, creneau_id)
        assert c is not None
        c.debut = depuis_paris(debut_paris)
        c.modifie_le = ctx.clock.now()
