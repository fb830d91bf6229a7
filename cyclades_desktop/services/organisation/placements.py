"""Manual seating: moves by hand, the list of who sits where, room occupancy, the rooms open to a créneau."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, func, literal, select, tuple_
from sqlalchemy.orm import aliased

from ...models import Affectation, Candidature, CentreExamen, CompteCandidat, Creneau, Etablissement, Salle
from ...rules.codes_epreuves import nom_epreuve
from ...rules.errors import DomainError, NotFound
from ...rules.inscriptions import ETATS_ACTIFS
from ...rules.temps import format_date_heure
from ...rules.texte import ECHAPPEMENT_LIKE, chiffres_ascii, cle_recherche, echapper_like, texte_recherche
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from .besoins import admise, ecrire_affectations, filtre_besoins, salles_actives
from .capacite import charger_occupations


def _places(n: int) -> str:
    return f"{n} place{'s' if n > 1 else ''}"


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
        ecrire_affectations(s, maj, nouvelles)
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
    q = filtre_besoins(select(
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
    if t := texte_recherche(f.texte):
        # Typed « % » or « _ » match themselves; a text with no letter or digit matches nobody.
        prefixe = t if chiffres_ascii(t) else cle_recherche(t)
        colonne = CompteCandidat.numero_candidat if chiffres_ascii(t) else CompteCandidat.cle
        q = q.where(colonne.startswith(echapper_like(prefixe), escape=ECHAPPEMENT_LIKE) if prefixe else false())
    if apres is not None:
        q = q.where(tuple_(*ordre) > tuple_(*(literal(v, c.type) for v, c in zip(apres, ordre, strict=True))))
    out = []
    with ctx.lecture() as s:
        for (cand, cren, num, nom, prenoms, ninsc, sp, code, intitule, debut, duree, sid, snom, cnom,
             manuelle) in s.execute(q.order_by(*ordre).limit(limite)):
            out.append(LigneAffectation(cand, cren, num, f"{nom.upper()} {prenoms}", ninsc, sp, nom_epreuve(code, intitule, " "),
                                        debut, duree, sid, snom or "", cnom or "", bool(manuelle),
                                        (debut, cren, nom, prenoms, cand)))
    return out


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
        lignes = [LigneOccupation(sid, cnom, snom, cap, cren, f"{sp} {nom_epreuve(code, intitule, ' ')}", debut, int(n),
                                  occ.pic(sid, cren)[0])
                  for sid, cren, code, sp, intitule, debut, snom, cap, cnom, n in s.execute(q)]
    return sorted(lignes, key=lambda x: (x.debut, x.centre, x.salle))


def salles_possibles(ctx: Contexte, creneau_id: int) -> list[tuple[int, str]]:
    """(room id, « Salle 1 — LYC X : 23 / 30 places ») of the rooms open to the créneau's spécialité,
    with their occupancy during it, for the move dialog."""
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        c = charger_ou_erreur(s, Creneau, creneau_id,
                              "Cette épreuve n'est plus au planning : rechargez la liste.")
        occ = charger_occupations(s)
        salles = sorted((x for x in salles_actives(s) if admise(x, c.specialite_id)),
                        key=lambda x: (x.centre_nom, x.nom))
        return [(x.id, f"{x.nom} — {x.centre_nom} : {occ.pic(x.id, c.id)[0]} / "
                f"{_places(occ.capacites.get(x.id, 0))}")
                for x in salles]
