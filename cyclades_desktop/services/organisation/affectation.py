"""Automatic seating of a session's candidates (docs/domaine/organisation.md#affectation).

Everything is read with a few set-based queries and written with bulk statements: a session of
20,000 candidatures is seated in one transaction. Manual moves, the list of who sits where and room
occupancy are in ``placements``, clashes between a person's épreuves in ``conflits_horaires``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...models import Affectation, Candidature, CompteCandidat, Creneau, SessionExamen
from ...rules.errors import DomainError
from ...rules.organisation import TypeEpreuve, departement_candidat
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from .besoins import LOT, SalleOuverte, admise, ecrire_affectations, filtre_besoins, salles_actives
from .capacite import charger_occupations


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


def _ordre_salles(salles: list[SalleOuverte], departement: str | None, creneau: Creneau) -> list[SalleOuverte]:
    """Centres serving the candidate's département first, then those located in it, then any; in
    each, a workshop reserved for the spécialité first for a practical épreuve, a general room
    first otherwise (keeps workshops free); then by centre and room name, for stable results."""
    def rang(x: SalleOuverte) -> tuple[int, int, str, str, int]:
        if departement and departement in x.servis:
            tier = 0
        elif departement and departement == x.departement:
            tier = 1
        else:
            tier = 2
        atelier = bool(x.specialites)
        pref = 0 if atelier == (creneau.type == TypeEpreuve.PRATIQUE) else 1
        return tier, pref, x.centre_nom, x.nom, x.id
    return sorted((x for x in salles if admise(x, creneau.specialite_id)), key=rang)


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
        q = filtre_besoins(select(Candidature.id, Creneau.id, Candidature.code_postal, Candidature.commune_code,
                                  Candidature.adresse_pays).select_from(Candidature), session_id)
        besoins: set[tuple[int, int]] = set()
        departements: dict[int, str | None] = {}
        for cand, cren, cp, commune, pays in s.execute(q):
            besoins.add((cand, cren))
            if cand not in departements:
                departements[cand] = departement_candidat(cp, commune, pays)
        salles = salles_actives(s)
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
            elif not recommencer and salle_id in par_id and admise(par_id[salle_id], creneaux[cren].specialite_id):
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
        ecrire_affectations(s, maj, lignes_insert)
        r.creees, r.deplacees, r.supprimees = len(lignes_insert), len(maj), len(a_supprimer)
        r.sans_place = _sans_place(s, non_places, creneaux)
        audit.enregistrer(s, ctx, "affectation_automatique", "session", session_id,
                          libelle=f"Affectation automatique des candidats, session {session.libelle}",
                          apres={"creees": r.creees, "modifiees": r.deplacees, "supprimees": r.supprimees,
                                 "conservees": r.conservees, "manuelles": r.manuelles,
                                 "sans_place": len({x.candidature_id for x in r.sans_place}),
                                 "recommencer": recommencer})
    return r


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
