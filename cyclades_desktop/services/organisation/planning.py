"""The session's timetable of ponctual épreuves (créneaux), chef de bureau; gestionnaires may read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Affectation, Creneau, Epreuve, Periode, SessionExamen, Specialite
from ...rules.codes_epreuves import nom_epreuve
from ...rules.errors import ConflictError, ValidationError
from ...rules.organisation import TYPES_EPREUVE, duree_minutes, lire_debut
from ...rules.temps import format_date, format_date_heure, paris
from ...rules.texte import erreurs_caracteres
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .besoins import besoins_par_creneau
from .capacite import charger_occupations

OBLIGATOIRE = "Ce champ est obligatoire."
DUREE_MAX_MINUTES = 12 * 60
MESSAGE_CONFLIT = ("Cette épreuve du planning a changé entre-temps sur un autre poste ; rien n'a été "
                   "enregistré. Rechargez la liste puis refaites votre modification.")


@dataclass
class SaisieCreneau:
    """A timetable entry as typed: date dd/mm/yyyy, start hh:mm (heure de Paris), duration h:mm or
    minutes, type ecrit/oral/pratique."""

    session_id: int
    specialite_id: str = ""
    epreuve_code: str = ""
    date: str = ""
    heure: str = ""
    duree: str = ""
    type: str = "ecrit"


@dataclass(frozen=True)
class VueCreneau:
    id: int
    session_id: int
    specialite_id: str
    specialite: str
    epreuve_code: str
    intitule: str
    debut: datetime
    duree_minutes: int
    type: str
    row_version: int
    candidats: int = 0          # candidatures that need it (inscrit, ponctuel)
    affectes: int = 0

    @property
    def fin(self) -> datetime:
        return self.debut + timedelta(minutes=self.duree_minutes)

    @property
    def libelle_type(self) -> str:
        return TYPES_EPREUVE.get(self.type, self.type)


def libelle_epreuve(e: Epreuve) -> str:
    return nom_epreuve(e.unite or e.code, e.intitule, " — ")


def epreuves_planifiables(ctx: Contexte, specialite_id: str) -> list[tuple[str, str]]:
    """(code, « U2 — intitulé ») of a spécialité's référentiel épreuves, in the tree's order."""
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        tous = list(s.scalars(select(Epreuve).where(Epreuve.specialite_id == specialite_id)))
    par_parent: dict[int | None, list[Epreuve]] = {}
    for e in tous:
        par_parent.setdefault(e.parent_id, []).append(e)
    out: list[tuple[str, str]] = []

    def visiter(parent: int | None) -> None:
        for e in sorted(par_parent.get(parent, []), key=lambda x: (x.ordre, x.id)):
            out.append((e.code, libelle_epreuve(e)))
            visiter(e.id)
    visiter(None)
    return out


def _valider_creneau(s: Session, saisie: SaisieCreneau, sauf: int | None) -> tuple[datetime, int, str]:
    """Rule for a créneau's date (documented for the office): the épreuve takes place within the
    session's calendar year (``SessionExamen.annee``) and after the registration period of the
    spécialité's domaine has closed (``Periode.cloture`` of that session), since the candidates are
    only known then."""
    e: dict[str, str] = erreurs_caracteres({
        "specialite": saisie.specialite_id, "epreuve": saisie.epreuve_code, "date": saisie.date,
        "heure": saisie.heure, "duree": saisie.duree, "type": saisie.type})
    if e:  # before any look-up: PostgreSQL refuses a NUL
        raise ValidationError(e)
    session = charger_ou_erreur(s, SessionExamen, saisie.session_id, "Cette session n'existe plus.")
    sp = s.get(Specialite, saisie.specialite_id) if saisie.specialite_id else None
    if sp is None:
        e["specialite"] = OBLIGATOIRE if not saisie.specialite_id else "Spécialité inconnue."
    ep = None
    if sp is not None:
        if not saisie.epreuve_code:
            e["epreuve"] = OBLIGATOIRE
        else:
            ep = s.scalar(select(Epreuve).where(Epreuve.specialite_id == sp.id,
                                                Epreuve.code == saisie.epreuve_code))
            if ep is None:
                e["epreuve"] = "Cette épreuve n'appartient pas à la spécialité choisie."
            else:
                q = select(Creneau.id).where(Creneau.session_id == session.id, Creneau.specialite_id == sp.id,
                                             Creneau.epreuve_code == ep.code)
                if sauf is not None:
                    q = q.where(Creneau.id != sauf)
                if s.scalar(q):
                    e["epreuve"] = (f"L'épreuve {libelle_epreuve(ep)} est déjà au planning de la session "
                                    f"{session.libelle} pour cette spécialité.")
    debut = lire_debut(saisie.date, saisie.heure, e)
    if debut is not None:
        jour = paris(debut)
        if jour.year != session.annee:
            e["date"] = (f"La date est en dehors de la session {session.libelle} : choisissez une date de "
                         f"l'année {session.annee}.")
        elif sp is not None:
            cloture = s.scalar(select(Periode.cloture).where(Periode.session_id == session.id,
                                                             Periode.domaine_code == sp.domaine_code))
            if cloture is not None and debut <= cloture:
                e["date"] = (f"La date est en dehors de la session : les inscriptions {sp.domaine_code} "
                             f"ferment le {format_date_heure(cloture)} ; l'épreuve doit avoir lieu après.")
    minutes = duree_minutes(saisie.duree)
    if not saisie.duree.strip():
        e["duree"] = OBLIGATOIRE
    elif minutes is None:
        e["duree"] = "Durée en minutes ou au format h:mm (exemple : 90 ou 1:30)."
    elif minutes <= 0:
        e["duree"] = "La durée doit être supérieure à 0."
    elif minutes > DUREE_MAX_MINUTES:
        e["duree"] = "La durée ne peut pas dépasser 12 heures."
    if saisie.type not in TYPES_EPREUVE:
        e["type"] = "Choisissez Écrit, Oral ou Pratique."
    if e:
        raise ValidationError(e)
    assert debut is not None and minutes is not None
    return debut, minutes, ep.intitule if ep else ""


def _verifier_salles(s: Session, creneau: Creneau, debut: datetime, minutes: int) -> None:
    """Moving a créneau must not overbook a room shared with an overlapping créneau."""
    occ = charger_occupations(s)
    occ.deplacer_creneau(creneau.id, debut, minutes)
    for salle_id in occ.salles_du_creneau(creneau.id):
        pic, quand = occ.pic(salle_id, creneau.id)
        cap = occ.capacites[salle_id]
        if pic > cap:
            raise ValidationError({"heure": (
                f"Chevauchement dans la salle {occ.noms[salle_id]} : {pic} candidats y seraient "
                f"convoqués en même temps le {format_date_heure(quand)} pour {cap} places. Choisissez un "
                "autre horaire ou déplacez des candidats.")})


def _instantane(c: Creneau) -> dict[str, object]:
    return {"specialite_id": c.specialite_id, "epreuve_code": c.epreuve_code, "debut": format_date_heure(c.debut),
            "duree_minutes": c.duree_minutes, "type": c.type}


def enregistrer_creneau(ctx: Contexte, saisie: SaisieCreneau, creneau_id: int | None = None,
                        row_version: int | None = None) -> int:
    """Create (creneau_id None) or change a timetable entry; returns its id. Any change of the
    time, duration or type sets ``modifie_le`` so that convocations are republished."""
    exiger(ctx, P.ORGANISATION_GERER)
    message = MESSAGE_CONFLIT
    maintenant = ctx.clock.now()
    with conflit_si_perime(message):
        with ctx.transaction() as s:
            c = None
            if creneau_id is not None:
                c = charger_ou_erreur(s, Creneau, creneau_id,
                                      "Cette épreuve n'est plus au planning : rechargez la liste.")
                if row_version is not None and c.row_version != row_version:
                    raise ConflictError(message)
                if (saisie.specialite_id, saisie.epreuve_code) != (c.specialite_id, c.epreuve_code) and \
                        s.scalar(select(func.count()).select_from(Affectation)
                                 .where(Affectation.creneau_id == c.id)):
                    raise ValidationError({"epreuve": (
                        "Des candidats sont affectés à cette épreuve : on ne peut plus en changer la "
                        "spécialité ni l'épreuve (supprimez-la et créez-en une autre).")})
            debut, minutes, intitule = _valider_creneau(s, saisie, creneau_id)
            if c is None:
                c = Creneau(session_id=saisie.session_id, specialite_id=saisie.specialite_id,
                            epreuve_code=saisie.epreuve_code, intitule=intitule, debut=debut,
                            duree_minutes=minutes, type=saisie.type, modifie_le=maintenant)
                s.add(c)
                s.flush()
                audit.enregistrer(s, ctx, "creation", "creneau", c.id,
                                  libelle=f"Planning : {saisie.specialite_id} {saisie.epreuve_code}",
                                  apres=_instantane(c))
                return c.id
            avant = _instantane(c)
            if (debut, minutes) != (c.debut, c.duree_minutes):
                _verifier_salles(s, c, debut, minutes)
            c.specialite_id, c.epreuve_code, c.intitule = saisie.specialite_id, saisie.epreuve_code, intitule
            c.debut, c.duree_minutes, c.type = debut, minutes, saisie.type
            av, ap = audit.difference(avant, _instantane(c))
            if not ap:
                return c.id
            c.modifie_le = maintenant
            s.flush()
            audit.enregistrer(s, ctx, "modification", "creneau", c.id,
                              libelle=f"Planning : {c.specialite_id} {c.epreuve_code}", avant=av, apres=ap)
            return c.id


def supprimer_creneau(ctx: Contexte, creneau_id: int) -> int:
    """Remove a timetable entry and its affectations; returns how many candidates lost one."""
    exiger(ctx, P.ORGANISATION_GERER)
    with ctx.transaction() as s:
        c = charger_ou_erreur(s, Creneau, creneau_id,
                              "Cette épreuve n'est plus au planning : rechargez la liste.")
        n = s.scalar(select(func.count()).select_from(Affectation).where(Affectation.creneau_id == c.id)) or 0
        audit.enregistrer(s, ctx, "suppression", "creneau", c.id,
                          libelle=f"Planning : {c.specialite_id} {c.epreuve_code}",
                          avant={**_instantane(c), "affectations": n})
        s.delete(c)
        return int(n)


def lister_creneaux(ctx: Contexte, session_id: int, specialite_id: str | None = None) -> list[VueCreneau]:
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        q = select(Creneau, Specialite.intitule).join(Specialite, Specialite.id == Creneau.specialite_id).where(
            Creneau.session_id == session_id)
        if specialite_id:
            q = q.where(Creneau.specialite_id == specialite_id)
        rows = s.execute(q.order_by(Creneau.debut, Creneau.specialite_id, Creneau.epreuve_code)).all()
        besoins = besoins_par_creneau(s, session_id)
        affectes = dict(s.execute(select(Affectation.creneau_id, func.count()).join(
            Creneau, Creneau.id == Affectation.creneau_id).where(Creneau.session_id == session_id)
            .group_by(Affectation.creneau_id)).all())
    return [VueCreneau(c.id, c.session_id, c.specialite_id, intitule, c.epreuve_code, c.intitule, c.debut,
                       c.duree_minutes, c.type, c.row_version, besoins.get(c.id, 0), int(affectes.get(c.id, 0)))
            for c, intitule in rows]


def saisie_creneau(v: VueCreneau) -> SaisieCreneau:
    p = paris(v.debut)
    return SaisieCreneau(v.session_id, v.specialite_id, v.epreuve_code, format_date(v.debut), f"{p:%H:%M}",
                         f"{v.duree_minutes // 60}:{v.duree_minutes % 60:02d}", v.type)


__all__ = [
    "SaisieCreneau", "VueCreneau", "enregistrer_creneau", "epreuves_planifiables", "lister_creneaux",
    "saisie_creneau", "supprimer_creneau",
]
