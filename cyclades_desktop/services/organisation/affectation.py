"""Seating candidates (docs/domaine/organisation.md#affectation): the automatic assignment of a
session, manual moves, the list of who sits where, room occupancy and clashes between a person's
épreuves.

A candidature *needs* a créneau when it is active and its saved position on that créneau's
épreuve is « Inscrit » in mode « Ponctuel ». Everything is read with a few set-based queries and
written with bulk statements: a session of 20,000 candidatures is seated in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, delete, func, literal, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from ...models import (
    Affectation,
    Candidature,
    CentreExamen,
    CompteCandidat,
    Creneau,
    EpreuveChoix,
    Etablissement,
    Salle,
    SessionExamen,
    Specialite,
)
from ...rules.epreuves import INSCRIT, PONCTUEL
from ...rules.errors import DomainError, NotFound
from ...rules.inscriptions import ETATS_ACTIFS
from ...rules.organisation import TypeEpreuve, departement_candidat, fin
from ...rules.temps import format_date_heure
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from .capacite import charger_occupations


def _places(n: int) -> str:
    return f"{n} place{'s' if n > 1 else ''}"


LOT = 500        # ids per IN (…) list: far under SQLite's and PostgreSQL's parameter limits


def _filtre_besoins(q: Select, session_id: int) -> Select:  # type: ignore[type-arg]
    return q.join(EpreuveChoix, EpreuveChoix.candidature_id == Candidature.id).join(
        Creneau, and_(Creneau.session_id == Candidature.session_id,
                      Creneau.specialite_id == Candidature.specialite_id,
                      Creneau.epreuve_code == EpreuveChoix.code)).where(
        Candidature.session_id == session_id, Candidature.etat.in_(ETATS_ACTIFS),
        EpreuveChoix.position == INSCRIT, EpreuveChoix.mode == PONCTUEL)


def besoins_par_creneau(s: Session, session_id: int) -> dict[int, int]:
    q = _filtre_besoins(select(Creneau.id, func.count(func.distinct(Candidature.id))).select_from(Candidature),
                        session_id).group_by(Creneau.id)
    return {cid: int(n) for cid, n in s.execute(q)}


# --- Automatic assignment ------------------------------------------------------------------------

@dataclass(frozen=True)
class SansPlace:
    candidature_id: int
    numero_candidat: str
    nom: str
    epreuve: str


@dataclass
class RapportAffectation:
    creees: int = 0
    deplacees: int = 0
    supprimees: int = 0
    conservees: int = 0            # kept as they were (manual ones and still-valid automatic ones)
    manuelles: int = 0
    sans_place: list[SansPlace] = field(default_factory=list)

    @property
    def texte(self) -> str:
        lignes = [f"{self.creees} affectation(s) créée(s), {self.deplacees} modifiée(s), {self.supprimees} "
                  f"supprimée(s), {self.conservees} conservée(s) dont {self.manuelles} manuelle(s)."]
        if self.sans_place:
            noms = sorted({f"{x.nom} ({x.numero_candidat})" for x in self.sans_place})
            n = len({x.candidature_id for x in self.sans_place})
            extrait = ", ".join(noms[:10]) + (f" et {len(noms) - 10} autre(s)" if len(noms) > 10 else "")
            lignes.append(f"{n} candidat{'s' if n > 1 else ''} sans place : {extrait}.")
        return "\n".join(lignes)


@dataclass(frozen=True)
class _Salle:
    id: int
    centre_id: int
    centre_nom: str
    nom: str
    specialites: tuple[str, ...]
    servis: tuple[str, ...]        # explicitly served départements
    departement: str               # the centre's own


def _salles_actives(s: Session) -> list[_Salle]:
    q = select(Salle.id, Salle.centre_id, Etablissement.nom, Salle.nom, Salle.specialites, CentreExamen.departements,
               Etablissement.departement).join(CentreExamen, CentreExamen.id == Salle.centre_id).join(
        Etablissement, Etablissement.uai == CentreExamen.etablissement_uai).where(CentreExamen.actif.is_(True))
    return [_Salle(i, c, cn, n, tuple(sp or ()), tuple(dep or ()), d or "") for i, c, cn, n, sp, dep, d in s.execute(q)]


def _admise(salle: _Salle, specialite_id: str) -> bool:
    return not salle.specialites or specialite_id in salle.specialites


def _ordre_salles(salles: list[_Salle], departement: str | None, creneau: Creneau) -> list[_Salle]:
    """Centres serving the candidate's département first, then those located in it, then any; in
    each, a workshop reserved for the spécialité first for a practical épreuve, a general room
    first otherwise (keeps workshops free); then by centre and room name, for stable results."""
    def rang(x: _Salle) -> tuple[int, int, str, str, int]:
        if departement and departement in x.servis:
            tier = 0
        elif departement and departement == x.departement:
            tier = 1
        else:
            tier = 2
        atelier = bool(x.specialites)
        pref = 0 if atelier == (creneau.type == TypeEpreuve.PRATIQUE) else 1
        return tier, pref, x.centre_nom, x.nom, x.id
    return sorted((x for x in salles if _admise(x, creneau.specialite_id)), key=rang)


def affecter_automatiquement(ctx: Contexte, session_id: int, *, recommencer: bool = False) -> RapportAffectation:
    """Seat every candidature that needs a créneau of the session. Manual affectations are kept;
    still-valid automatic ones too unless ``recommencer`` (then everyone not placed by hand is
    placed again, rows whose room does not change are left untouched). Affectations no longer
    needed are removed. One transaction, one audit row with the counts."""
    exiger(ctx, P.ORGANISATION_GERER)
    maintenant = ctx.clock.now()
    r = RapportAffectation()
    with ctx.transaction() as s:
        session = charger_ou_erreur(s, SessionExamen, session_id, "Cette session n'existe plus.")
        creneaux = {c.id: c for c in s.scalars(select(Creneau).where(Creneau.session_id == session_id))}
        if not creneaux:
            raise DomainError(f"Le planning de la session {session.libelle} est vide : ajoutez d'abord les "
                              "épreuves ponctuelles au planning.")
        q = _filtre_besoins(select(Candidature.id, Creneau.id, Candidature.code_postal, Candidature.commune_code,
                                   Candidature.adresse_pays).select_from(Candidature), session_id)
        besoins: set[tuple[int, int]] = set()
        departements: dict[int, str | None] = {}
        for cand, cren, cp, commune, pays in s.execute(q):
            besoins.add((cand, cren))
            if cand not in departements:
                departements[cand] = departement_candidat(cp, commune, pays)
        salles = _salles_actives(s)
        par_id = {x.id: x for x in salles}
        occ = charger_occupations(s)
        existantes = s.execute(select(Affectation.id, Affectation.candidature_id, Affectation.creneau_id,
                                      Affectation.salle_id, Affectation.manuelle)
                               .where(Affectation.creneau_id.in_(list(creneaux)))).all()
        a_supprimer: list[int] = []
        a_revoir: dict[tuple[int, int], tuple[int, int]] = {}     # (cand, cren) → (affectation id, ancienne salle)
        placees: set[tuple[int, int]] = set()
        for aid, cand, cren, salle_id, manuelle in existantes:
            cle = (cand, cren)
            if cle not in besoins:
                a_supprimer.append(aid)
                occ.ajouter(salle_id, cren, -1)
            elif manuelle:
                placees.add(cle)
                r.conservees += 1
                r.manuelles += 1
            elif not recommencer and salle_id in par_id and _admise(par_id[salle_id], creneaux[cren].specialite_id):
                placees.add(cle)
                r.conservees += 1
            else:
                a_revoir[cle] = (aid, salle_id)
                occ.ajouter(salle_id, cren, -1)
        a_placer: dict[int, list[int]] = defaultdict(list)
        for cand, cren in besoins - placees:
            a_placer[cren].append(cand)

        nouvelles: dict[tuple[int, int], int] = {}
        non_places: list[tuple[int, int]] = []
        for cren in sorted(a_placer, key=lambda c: (creneaux[c].debut, c)):
            c = creneaux[cren]
            groupes: dict[str | None, list[int]] = defaultdict(list)
            for cand in sorted(a_placer[cren]):
                groupes[departements.get(cand)].append(cand)
            libres: dict[int, int] = {}
            for dep, cands in sorted(groupes.items(), key=lambda g: (g[0] is None, g[0] or "")):
                reste = cands
                for x in _ordre_salles(salles, dep, c):
                    if not reste:
                        break
                    if x.id not in libres:
                        libres[x.id] = occ.libres(x.id, cren)
                    n = min(libres[x.id], len(reste))
                    if n <= 0:
                        continue
                    for cand in reste[:n]:
                        nouvelles[(cand, cren)] = x.id
                    libres[x.id] -= n
                    occ.ajouter(x.id, cren, n)
                    reste = reste[n:]
                non_places.extend((cand, cren) for cand in reste)

        # Write only the difference, so that unchanged seats keep their modifie_le (no needless
        # republication of convocations).
        lignes_insert = []
        maj = []
        for cle, salle_id in nouvelles.items():
            if cle in a_revoir:
                aid, ancienne = a_revoir.pop(cle)
                if ancienne == salle_id:
                    r.conservees += 1
                else:
                    maj.append({"id": aid, "salle_id": salle_id, "modifie_le": maintenant})
            else:
                lignes_insert.append({"candidature_id": cle[0], "creneau_id": cle[1], "salle_id": salle_id,
                                      "manuelle": False, "modifie_le": maintenant})
        a_supprimer.extend(aid for aid, _ancienne in a_revoir.values())   # re-examined and now without a seat
        for i in range(0, len(a_supprimer), LOT):
            s.execute(delete(Affectation).where(Affectation.id.in_(a_supprimer[i:i + LOT])))
        _ecrire(s, maj, lignes_insert)
        r.creees, r.deplacees, r.supprimees = len(lignes_insert), len(maj), len(a_supprimer)
        r.sans_place = _sans_place(s, non_places, creneaux)
        audit.enregistrer(s, ctx, "affectation_automatique", "session", session_id,
                          libelle=f"Affectation automatique des candidats, session {session.libelle}",
                          apres={"creees": r.creees, "modifiees": r.deplacees, "supprimees": r.supprimees,
                                 "conservees": r.conservees, "manuelles": r.manuelles,
                                 "sans_place": len({x.candidature_id for x in r.sans_place}),
                                 "recommencer": recommencer})
    return r


def _ecrire(s: Session, maj: list[dict[str, object]], nouvelles: list[dict[str, object]]) -> None:
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


def _sans_place(s: Session, cles: list[tuple[int, int]], creneaux: dict[int, Creneau]) -> list[SansPlace]:
    if not cles:
        return []
    ids = sorted({c for c, _ in cles})
    infos: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), LOT):
        for cid, num, nom, prenoms in s.execute(
                select(Candidature.id, CompteCandidat.numero_candidat, CompteCandidat.nom, CompteCandidat.prenoms)
                .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
                .where(Candidature.id.in_(ids[i:i + LOT]))):
            infos[cid] = (num, f"{nom.upper()} {prenoms}")
    return [SansPlace(cand, infos[cand][0], infos[cand][1], f"{creneaux[cren].epreuve_code} {creneaux[cren].intitule}")
            for cand, cren in sorted(cles, key=lambda k: (infos[k[0]][1], k[0], creneaux[k[1]].debut))]


# --- Manual moves --------------------------------------------------------------------------------

def deplacer(ctx: Contexte, cles: Iterable[tuple[int, int]], salle_id: int) -> int:
    """Seat the given (candidature, créneau) pairs in a room, by hand: the affectation becomes
    manual (kept by a re-run). Refused as a whole when the room would be over capacity at any
    instant, is reserved to another spécialité or belongs to an inactive centre."""
    exiger(ctx, P.ORGANISATION_GERER)
    cles = sorted(set(cles))
    if not cles:
        raise DomainError("Sélectionnez au moins un candidat à déplacer.")
    maintenant = ctx.clock.now()
    with ctx.transaction() as s:
        salle = charger_ou_erreur(s, Salle, salle_id, "Cette salle n'existe plus : rechargez la liste.")
        centre = s.get(CentreExamen, salle.centre_id)
        etab = s.get(Etablissement, centre.etablissement_uai) if centre else None
        nom_salle = f"« {salle.nom} » ({etab.nom if etab else ''})"
        if centre is None or not centre.actif:
            raise DomainError(f"La salle {nom_salle} appartient à un centre inactif.")
        creneaux = {c.id: c for c in s.scalars(select(Creneau).where(Creneau.id.in_({k[1] for k in cles})))}
        if len(creneaux) != len({k[1] for k in cles}):
            raise NotFound("Une épreuve n'est plus au planning : rechargez la liste.")
        for c in creneaux.values():
            if salle.specialites and c.specialite_id not in salle.specialites:
                raise DomainError(f"La salle {nom_salle} est réservée à d'autres spécialités "
                                  f"({', '.join(salle.specialites)}).")
        cands = {cid: (sess, sp, etat) for cid, sess, sp, etat in s.execute(
            select(Candidature.id, Candidature.session_id, Candidature.specialite_id, Candidature.etat)
            .where(Candidature.id.in_({k[0] for k in cles})))}
        for cand, cren in cles:
            sess, sp, etat = cands.get(cand, (None, None, None))
            c = creneaux[cren]
            if (sess, sp) != (c.session_id, c.specialite_id) or etat not in ETATS_ACTIFS:
                raise DomainError("Un candidat sélectionné n'est pas (ou plus) inscrit à cette épreuve : "
                                  "rechargez la liste.")
        existantes = {(cand, cren): (aid, sid) for aid, cand, cren, sid in s.execute(
            select(Affectation.id, Affectation.candidature_id, Affectation.creneau_id, Affectation.salle_id)
            .where(tuple_(Affectation.candidature_id, Affectation.creneau_id).in_(cles)))}
        occ = charger_occupations(s)
        arrivees: dict[int, int] = defaultdict(int)
        for cle in cles:
            if cle in existantes:
                _aid, sid = existantes[cle]
                if sid == salle.id:
                    continue
                occ.ajouter(sid, cle[1], -1)
            arrivees[cle[1]] += 1
        for cren, n in sorted(arrivees.items(), key=lambda x: creneaux[x[0]].debut):
            pic, quand = occ.pic(salle.id, cren)
            libres = salle.capacite - pic
            if n > libres:
                c = creneaux[cren]
                raise DomainError(
                    f"Capacité dépassée : la salle {nom_salle} compte {_places(salle.capacite)} et en a "
                    f"{max(libres, 0)} de libre{'s' if libres > 1 else ''} le {format_date_heure(quand)} "
                    f"(épreuve {c.epreuve_code} du {format_date_heure(c.debut)}) ; impossible d'y placer "
                    f"{n} candidat{'s' if n > 1 else ''}. Rien n'a été modifié.")
            occ.ajouter(salle.id, cren, n)
        maj = [{"id": existantes[k][0], "salle_id": salle.id, "manuelle": True, "modifie_le": maintenant}
               for k in cles if k in existantes]
        nouvelles = [{"candidature_id": k[0], "creneau_id": k[1], "salle_id": salle.id, "manuelle": True,
                      "modifie_le": maintenant} for k in cles if k not in existantes]
        _ecrire(s, maj, nouvelles)
        audit.enregistrer(s, ctx, "affectation_manuelle", "salle", salle.id,
                          libelle=f"{len(cles)} candidat(s) placé(s) dans la salle {salle.nom}",
                          apres={"candidats": len(cles), "salle": salle.nom,
                                 "candidatures": sorted({k[0] for k in cles})[:100]})
        return len(cles)


# --- Lists ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FiltreAffectations:
    session_id: int
    specialite_id: str | None = None
    creneau_id: int | None = None
    salle_id: int | None = None
    sans_place: bool = False
    texte: str = ""                # start of the name or the N° candidat


@dataclass(frozen=True)
class LigneAffectation:
    candidature_id: int
    creneau_id: int
    numero_candidat: str
    nom: str
    numero_inscription: str
    specialite_id: str
    epreuve: str
    debut: datetime
    duree_minutes: int
    salle_id: int | None
    salle: str
    centre: str
    manuelle: bool
    cle: tuple[object, ...]         # keyset position for the next page


def lister_affectations(ctx: Contexte, f: FiltreAffectations, *, apres: tuple[object, ...] | None = None,
                        limite: int = 200) -> list[LigneAffectation]:
    """Every (candidature, créneau) need of the session with its seat, if any, by épreuve then name;
    paged by keyset (``apres`` = the last row's ``cle``)."""
    exiger(ctx, P.ORGANISATION_LIRE)
    A = aliased(Affectation)
    ordre = (Creneau.debut, Creneau.id, CompteCandidat.nom, CompteCandidat.prenoms, Candidature.id)
    q = _filtre_besoins(select(
        Candidature.id, Creneau.id, CompteCandidat.numero_candidat, CompteCandidat.nom, CompteCandidat.prenoms,
        Candidature.numero_inscription, Creneau.specialite_id, Creneau.epreuve_code, Creneau.intitule,
        Creneau.debut, Creneau.duree_minutes, A.salle_id, Salle.nom, Etablissement.nom, A.manuelle,
    ).select_from(Candidature), f.session_id).join(
        CompteCandidat, CompteCandidat.id == Candidature.compte_id).outerjoin(
        A, and_(A.candidature_id == Candidature.id, A.creneau_id == Creneau.id)).outerjoin(
        Salle, Salle.id == A.salle_id).outerjoin(CentreExamen, CentreExamen.id == Salle.centre_id).outerjoin(
        Etablissement, Etablissement.uai == CentreExamen.etablissement_uai)
    if f.specialite_id:
        q = q.where(Creneau.specialite_id == f.specialite_id)
    if f.creneau_id:
        q = q.where(Creneau.id == f.creneau_id)
    if f.salle_id:
        q = q.where(A.salle_id == f.salle_id)
    if f.sans_place:
        q = q.where(A.id.is_(None))
    if t := f.texte.strip():
        q = q.where(CompteCandidat.numero_candidat.startswith(t) if t.isdigit()
                    else CompteCandidat.cle.startswith(_cle(t)))
    if apres is not None:
        q = q.where(tuple_(*ordre) > tuple_(*(literal(v, c.type) for v, c in zip(apres, ordre, strict=True))))
    out = []
    with ctx.lecture() as s:
        for (cand, cren, num, nom, prenoms, ninsc, sp, code, intitule, debut, duree, sid, snom, cnom,
             manuelle) in s.execute(q.order_by(*ordre).limit(limite)):
            out.append(LigneAffectation(cand, cren, num, f"{nom.upper()} {prenoms}", ninsc, sp, f"{code} {intitule}",
                                        debut, duree, sid, snom or "", cnom or "", bool(manuelle),
                                        (debut, cren, nom, prenoms, cand)))
    return out


def _cle(texte: str) -> str:
    from ...rules.texte import cle_recherche
    return cle_recherche(texte)


@dataclass(frozen=True)
class LigneOccupation:
    salle_id: int
    centre: str
    salle: str
    capacite: int
    creneau_id: int
    epreuve: str
    debut: datetime
    candidats: int                 # seated in this room for this créneau
    pic: int                       # the most at one instant during it, overlapping créneaux included

    @property
    def texte(self) -> str:
        return f"{self.pic} / {_places(self.capacite)}"


def occupation(ctx: Contexte, session_id: int, specialite_id: str | None = None) -> list[LigneOccupation]:
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        occ = charger_occupations(s)
        q = select(Affectation.salle_id, Affectation.creneau_id, Creneau.epreuve_code, Creneau.specialite_id,
                   Creneau.intitule, Creneau.debut, Salle.nom, Salle.capacite, Etablissement.nom,
                   func.count()).join(Creneau, Creneau.id == Affectation.creneau_id).join(
            Salle, Salle.id == Affectation.salle_id).join(CentreExamen, CentreExamen.id == Salle.centre_id).join(
            Etablissement, Etablissement.uai == CentreExamen.etablissement_uai).where(
            Creneau.session_id == session_id).group_by(
            Affectation.salle_id, Affectation.creneau_id, Creneau.epreuve_code, Creneau.specialite_id,
            Creneau.intitule, Creneau.debut, Salle.nom, Salle.capacite, Etablissement.nom)
        if specialite_id:
            q = q.where(Creneau.specialite_id == specialite_id)
        lignes = [LigneOccupation(sid, cnom, snom, cap, cren, f"{sp} {code} {intitule}", debut, int(n),
                                  occ.pic(sid, cren)[0])
                  for sid, cren, code, sp, intitule, debut, snom, cap, cnom, n in s.execute(q)]
    return sorted(lignes, key=lambda x: (x.debut, x.centre, x.salle))


# --- Clashes -------------------------------------------------------------------------------------

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
        for compte, cand, cren in s.execute(_filtre_besoins(select(
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
            return EpreuveCandidat(b[0], ninsc, spid, sp, c.id, f"{c.epreuve_code} {c.intitule}", *plages[c.id],
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


def salles_possibles(ctx: Contexte, creneau_id: int) -> list[tuple[int, str]]:
    """(room id, « Salle 1 — LYC X : 23 / 30 places ») of the rooms open to the créneau's spécialité,
    with their occupancy during it, for the move dialog."""
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        c = charger_ou_erreur(s, Creneau, creneau_id,
                              "Cette épreuve n'est plus au planning : rechargez la liste.")
        occ = charger_occupations(s)
        salles = sorted((x for x in _salles_actives(s) if _admise(x, c.specialite_id)),
                        key=lambda x: (x.centre_nom, x.nom))
        return [(x.id, f"{x.nom} — {x.centre_nom} : {occ.pic(x.id, c.id)[0]} / "
                f"{_places(occ.capacites.get(x.id, 0))}")
                for x in salles]
