"""Exam organisation (docs/domaine/organisation.md), chef de bureau: centres d'examen and their rooms,
the session's timetable of ponctual épreuves. Gestionnaires may read. The automatic assignment of
candidates to rooms, manual moves, occupancy and clashes live in ``affectation``.

Rule for a créneau's date (documented for the office): the épreuve takes place within the
session's calendar year (``SessionExamen.annee``) and after the registration period of the
spécialité's domaine has closed (``Periode.cloture`` of that session), since the candidates are
only known then."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import (
    Affectation,
    CentreExamen,
    Creneau,
    Epreuve,
    Etablissement,
    Periode,
    Salle,
    SessionExamen,
    Specialite,
)
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.organisation import TYPES_EPREUVE, duree_minutes, lire_debut
from ...rules.referentiel import departements_saisis
from ...rules.temps import format_date, format_date_heure, paris
from ...rules.texte import espaces_normalises
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .capacite import Occupations, charger_occupations

OBLIGATOIRE = "Ce champ est obligatoire."
DUREE_MAX_MINUTES = 12 * 60
MESSAGE_CONFLIT = ("{quoi} a changé entre-temps sur un autre poste ; rien n'a été enregistré. "
                   "Rechargez la liste puis refaites votre modification.")
_DEPARTEMENT = re.compile(r"^(\d{2}|2A|2B|97\d|98\d)$")


# --- Reading -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VueSalle:
    id: int
    centre_id: int
    nom: str
    capacite: int
    specialites: tuple[str, ...]
    row_version: int
    affectations: int = 0


@dataclass(frozen=True)
class VueCentre:
    id: int
    uai: str
    nom: str
    ville: str
    departement: str                 # the établissement's own
    departements: tuple[str, ...]    # served (empty: its own)
    actif: bool
    row_version: int
    salles: tuple[VueSalle, ...] = field(default_factory=tuple)

    @property
    def libelle(self) -> str:
        return f"{self.nom} ({self.uai})"

    @property
    def departements_servis(self) -> tuple[str, ...]:
        return self.departements or ((self.departement,) if self.departement else ())

    @property
    def capacite(self) -> int:
        return sum(s.capacite for s in self.salles)


def lister_centres(ctx: Contexte) -> list[VueCentre]:
    exiger(ctx, P.ORGANISATION_LIRE)
    with ctx.lecture() as s:
        nb = dict(s.execute(select(Affectation.salle_id, func.count()).group_by(Affectation.salle_id)).all())
        rows = s.execute(select(CentreExamen, Etablissement).join(
            Etablissement, Etablissement.uai == CentreExamen.etablissement_uai).order_by(Etablissement.nom)).all()
        return [VueCentre(
            c.id, e.uai, e.nom, e.ville or "", e.departement or "", tuple(c.departements or ()), c.actif,
            c.row_version, tuple(VueSalle(x.id, c.id, x.nom, x.capacite, tuple(x.specialites or ()), x.row_version,
                                          int(nb.get(x.id, 0))) for x in c.salles))
            for c, e in rows]


def etablissements_possibles(ctx: Contexte, texte: str, limite: int = 30) -> list[tuple[str, str]]:
    """(uai, label) of établissements matching the text, for the search-as-you-type field."""
    from ..referentiel import rechercher_etablissements
    return [(e.uai, f"{e.nom} — {e.ville or e.departement or ''} ({e.uai})".replace(" —  (", " (")) for e in
            rechercher_etablissements(ctx, texte, limite)]


# --- Centres -------------------------------------------------------------------------------------

def _departements(texte: str | list[str] | tuple[str, ...], erreurs: dict[str, str]) -> list[str]:
    codes = departements_saisis(texte if isinstance(texte, str) else ", ".join(texte))
    if faux := [d for d in codes if not _DEPARTEMENT.match(d)]:
        erreurs["departements"] = f"Code de département inconnu : {faux[0]} (exemple : 04, 05, 13, 84)."
    return codes


def creer_centre(ctx: Contexte, uai: str, departements: str | list[str] = "") -> int:
    exiger(ctx, P.ORGANISATION_GERER)
    e: dict[str, str] = {}
    codes = _departements(departements, e)
    with ctx.transaction() as s:
        etab = s.get(Etablissement, (uai or "").strip()) if (uai or "").strip() else None
        if etab is None:
            e["etablissement"] = ("Choisissez l'établissement dans la liste (tapez son nom, sa ville ou son UAI)."
                                  if not uai else "Établissement inconnu du référentiel.")
        elif s.scalar(select(CentreExamen.id).where(CentreExamen.etablissement_uai == etab.uai)):
            e["etablissement"] = f"{etab.nom} est déjà un centre d'examen."
        if e:
            raise ValidationError(e)
        assert etab is not None
        c = CentreExamen(etablissement_uai=etab.uai, departements=codes, actif=True)
        s.add(c)
        s.flush()
        audit.enregistrer(s, ctx, "creation", "centre_examen", c.id, libelle=f"Centre d'examen {etab.nom}",
                          apres={"uai": etab.uai, "departements": codes})
        return c.id


def _centre(s: Session, centre_id: int) -> CentreExamen:
    return charger_ou_erreur(s, CentreExamen, centre_id,
                             "Ce centre d'examen n'existe plus : rechargez la liste.")


def modifier_centre(ctx: Contexte, centre_id: int, departements: str | list[str], actif: bool,
                    row_version: int) -> int:
    exiger(ctx, P.ORGANISATION_GERER)
    e: dict[str, str] = {}
    codes = _departements(departements, e)
    if e:
        raise ValidationError(e)
    message = MESSAGE_CONFLIT.format(quoi="Ce centre d'examen")
    with conflit_si_perime(message):
        with ctx.transaction() as s:
            c = _centre(s, centre_id)
            if c.row_version != row_version:
                raise ConflictError(message)
            avant = {"departements": list(c.departements or []), "actif": c.actif}
            c.departements, c.actif = codes, bool(actif)
            av, ap = audit.difference(avant, {"departements": codes, "actif": bool(actif)})
            if not ap:
                return c.row_version
            s.flush()
            audit.enregistrer(s, ctx, "modification", "centre_examen", c.id,
                              libelle=f"Centre d'examen {c.etablissement_uai}", avant=av, apres=ap)
            return c.row_version


def _refuser_si_affectations(s: Session, salle_ids: list[int], quoi: str) -> None:
    n = s.scalar(select(func.count()).select_from(Affectation).where(Affectation.salle_id.in_(salle_ids))) or 0
    if n:
        raise DomainError(f"{quoi} ne peut pas être supprimé{'e' if quoi.startswith('La') else ''} : "
                          f"{n} affectation{'s' if n > 1 else ''} de candidats y "
                          f"{'sont' if n > 1 else 'est'} enregistrée{'s' if n > 1 else ''}. "
                          "Déplacez d'abord ces candidats.")


def supprimer_centre(ctx: Contexte, centre_id: int) -> None:
    exiger(ctx, P.ORGANISATION_GERER)
    with ctx.transaction() as s:
        c = _centre(s, centre_id)
        _refuser_si_affectations(s, [x.id for x in c.salles], "Le centre d'examen")
        audit.enregistrer(s, ctx, "suppression", "centre_examen", c.id,
                          libelle=f"Centre d'examen {c.etablissement_uai}",
                          avant={"uai": c.etablissement_uai, "salles": [x.nom for x in c.salles]})
        s.delete(c)


# --- Salles --------------------------------------------------------------------------------------

def _valider_salle(s: Session, nom: str, capacite: int | str, specialites: list[str] | tuple[str, ...],
                   ) -> tuple[str, int, list[str]]:
    e: dict[str, str] = {}
    nom = espaces_normalises(nom)
    if not nom:
        e["nom"] = OBLIGATOIRE
    elif len(nom) > 80:
        e["nom"] = "80 caractères au maximum."
    cap = 0
    try:
        cap = int(str(capacite).strip())
        if cap <= 0:
            e["capacite"] = "La capacité est un nombre de places supérieur à 0."
        elif cap > 10_000:
            e["capacite"] = "Capacité trop grande (10 000 places au maximum)."
    except ValueError:
        e["capacite"] = "La capacité est un nombre de places (exemple : 30)." if str(capacite).strip() \
            else OBLIGATOIRE
    codes = [x for x in dict.fromkeys(specialites) if x]
    if codes:
        connus = set(s.scalars(select(Specialite.id).where(Specialite.id.in_(codes))))
        if inconnus := [x for x in codes if x not in connus]:
            e["specialites"] = f"Spécialité inconnue : {inconnus[0]}."
    if e:
        raise ValidationError(e)
    return nom, cap, codes


def _nom_pris(s: Session, centre_id: int, nom: str, sauf: int | None = None) -> None:
    q = select(Salle.id).where(Salle.centre_id == centre_id, func.lower(Salle.nom) == nom.lower())
    if sauf is not None:
        q = q.where(Salle.id != sauf)
    if s.scalar(q):
        raise ValidationError({"nom": f"Ce centre a déjà une salle « {nom} »."})


def ajouter_salle(ctx: Contexte, centre_id: int, nom: str, capacite: int | str,
                  specialites: list[str] | tuple[str, ...] = ()) -> int:
    exiger(ctx, P.ORGANISATION_GERER)
    with ctx.transaction() as s:
        c = _centre(s, centre_id)
        nom, cap, codes = _valider_salle(s, nom, capacite, specialites)
        _nom_pris(s, c.id, nom)
        x = Salle(centre_id=c.id, nom=nom, capacite=cap, specialites=codes)
        s.add(x)
        s.flush()
        audit.enregistrer(s, ctx, "creation", "salle", x.id, libelle=f"Salle {nom} ({c.etablissement_uai})",
                          apres={"nom": nom, "capacite": cap, "specialites": codes})
        return x.id


def modifier_salle(ctx: Contexte, salle_id: int, nom: str, capacite: int | str,
                   specialites: list[str] | tuple[str, ...], row_version: int) -> int:
    """A room's capacity cannot go below what is already assigned to it at one time, and its
    spécialités cannot exclude candidates already seated there."""
    exiger(ctx, P.ORGANISATION_GERER)
    message = MESSAGE_CONFLIT.format(quoi="Cette salle")
    with conflit_si_perime(message):
        with ctx.transaction() as s:
            x = charger_ou_erreur(s, Salle, salle_id, "Cette salle n'existe plus : rechargez la liste.")
            if x.row_version != row_version:
                raise ConflictError(message)
            nom, cap, codes = _valider_salle(s, nom, capacite, specialites)
            _nom_pris(s, x.centre_id, nom, sauf=x.id)
            occ = charger_occupations(s, salles=[x.id])
            pic, quand = occ.pic_salle(x.id)
            if pic > cap:
                raise ValidationError({"capacite": (
                    f"{pic} candidats sont déjà affectés dans cette salle le {format_date_heure(quand)} : "
                    f"la capacité ne peut pas descendre en dessous de {pic} places.")})
            if codes:
                autres = s.scalars(select(Creneau.specialite_id).join(Affectation, Affectation.creneau_id == Creneau.id)
                                   .where(Affectation.salle_id == x.id, Creneau.specialite_id.not_in(codes))
                                   .distinct()).all()
                if autres:
                    raise ValidationError({"specialites": (
                        f"Des candidats d'une autre spécialité ({', '.join(sorted(autres))}) sont affectés dans "
                        "cette salle : déplacez-les d'abord.")})
            avant = {"nom": x.nom, "capacite": x.capacite, "specialites": list(x.specialites or [])}
            x.nom, x.capacite, x.specialites = nom, cap, codes
            av, ap = audit.difference(avant, {"nom": nom, "capacite": cap, "specialites": codes})
            if not ap:
                return x.row_version
            s.flush()
            audit.enregistrer(s, ctx, "modification", "salle", x.id, libelle=f"Salle {nom}", avant=av, apres=ap)
            return x.row_version


def supprimer_salle(ctx: Contexte, salle_id: int) -> None:
    exiger(ctx, P.ORGANISATION_GERER)
    with ctx.transaction() as s:
        x = charger_ou_erreur(s, Salle, salle_id, "Cette salle n'existe plus : rechargez la liste.")
        _refuser_si_affectations(s, [x.id], f"La salle « {x.nom} »")
        audit.enregistrer(s, ctx, "suppression", "salle", x.id, libelle=f"Salle {x.nom}",
                          avant={"nom": x.nom, "capacite": x.capacite, "specialites": list(x.specialites or [])})
        s.delete(x)


# --- Timetable -----------------------------------------------------------------------------------

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
    return f"{e.unite or e.code} — {e.intitule}"


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
    e: dict[str, str] = {}
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
    message = MESSAGE_CONFLIT.format(quoi="Cette épreuve du planning")
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
    from .affectation import besoins_par_creneau
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
    "Occupations", "SaisieCreneau", "VueCentre", "VueCreneau", "VueSalle", "ajouter_salle", "creer_centre",
    "enregistrer_creneau", "epreuves_planifiables", "etablissements_possibles",
    "lister_centres", "lister_creneaux", "modifier_centre", "modifier_salle", "saisie_creneau",
    "supprimer_centre", "supprimer_creneau", "supprimer_salle",
]
