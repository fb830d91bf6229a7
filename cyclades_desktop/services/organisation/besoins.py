"""What seating shares: the seats a session needs, the rooms open to them, the bulk write of affectations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from ...models import Affectation, Candidature, CentreExamen, Creneau, EpreuveChoix, Etablissement, Salle
from ...rules.epreuves import INSCRIT, PONCTUEL
from ...rules.inscriptions import ETATS_ACTIFS

LOT = 500        # ids per IN (…) list: far under SQLite's and PostgreSQL's parameter limits


def filtre_besoins(q: Select, session_id: int) -> Select:  # type: ignore[type-arg]
    """``q`` limited to the session's needs: a candidature *needs* a créneau when it is active and its
    saved position on that créneau's épreuve is « Inscrit » in mode « Ponctuel »."""
    return q.join(EpreuveChoix, EpreuveChoix.candidature_id == Candidature.id).join(
        Creneau, and_(Creneau.session_id == Candidature.session_id,
                      Creneau.specialite_id == Candidature.specialite_id,
                      Creneau.epreuve_code == EpreuveChoix.code)).where(
        Candidature.session_id == session_id, Candidature.etat.in_(ETATS_ACTIFS),
        EpreuveChoix.position == INSCRIT, EpreuveChoix.mode == PONCTUEL)


def besoins_par_creneau(s: Session, session_id: int) -> dict[int, int]:
    q = filtre_besoins(select(Creneau.id, func.count(func.distinct(Candidature.id))).select_from(Candidature),
                       session_id).group_by(Creneau.id)
    return {cid: int(n) for cid, n in s.execute(q)}


@dataclass(frozen=True)
class SalleOuverte:
    id: int
    centre_id: int
    centre_nom: str
    nom: str
    specialites: tuple[str, ...]
    servis: tuple[str, ...]        # explicitly served départements
    departement: str               # the centre's own


def salles_actives(s: Session) -> list[SalleOuverte]:
    q = select(Salle.id, Salle.centre_id, Etablissement.nom, Salle.nom, Salle.specialites, CentreExamen.departements,
               Etablissement.departement).join(CentreExamen, CentreExamen.id == Salle.centre_id).join(
        Etablissement, Etablissement.uai == CentreExamen.etablissement_uai).where(CentreExamen.actif.is_(True))
    return [SalleOuverte(i, c, cn, n, tuple(sp or ()), tuple(dep or ()), d or "")
            for i, c, cn, n, sp, dep, d in s.execute(q)]


def admise(salle: SalleOuverte, specialite_id: str) -> bool:
    return not salle.specialites or specialite_id in salle.specialites


def ecrire_affectations(s: Session, maj: list[dict[str, object]], nouvelles: list[dict[str, object]]) -> None:
    """Core executemany on the session's connection (same transaction): the ORM's bulk path costs
    several times more per row for 100,000 rows."""
    table = Affectation.__table__
    conn = s.connection()
    if maj:
        cols = {k for m in maj for k in m} - {"id"}
        conn.execute(update(table).where(table.c.id == bindparam("b_id")).values(
            {c: bindparam(f"b_{c}") for c in cols}), [{f"b_{k}": v for k, v in m.items()} for m in maj])
    if nouvelles:
        # Straight to the driver's executemany: converting the same timestamp 100,000 times through
        # the column type costs more than the insert itself. The values are converted once here.
        date = table.c.modifie_le.type._cached_bind_processor(conn.dialect)   # the dialect-specific one
        marque = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        cols = ("candidature_id", "creneau_id", "salle_id", "manuelle", "modifie_le")
        sql = f"INSERT INTO affectation ({', '.join(cols)}) VALUES ({', '.join([marque] * len(cols))})"
        vues: dict[object, object] = {}
        lignes = []
        for n in nouvelles:
            m = n["modifie_le"]
            if m not in vues:
                vues[m] = date(m) if date else m
            lignes.append((n["candidature_id"], n["creneau_id"], n["salle_id"], bool(n["manuelle"]), vues[m]))
        conn.exec_driver_sql(sql, lignes)
