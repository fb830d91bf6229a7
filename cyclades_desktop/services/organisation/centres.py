"""Exam organisation (docs/domaine/organisation.md#centres), chef de bureau: centres d'examen and their
rooms. Gestionnaires may read. The session's timetable of ponctual épreuves lives in ``planning``; the
automatic assignment of candidates to rooms in ``affectation``, manual moves and occupancy in
``placements``, clashes in ``conflits_horaires``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Affectation, CentreExamen, Creneau, Etablissement, Salle, Specialite
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.referentiel import departements_saisis
from ...rules.temps import format_date_heure
from ...rules.texte import entier_ascii, erreurs_caracteres, espaces_normalises, verifier_caracteres
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .capacite import charger_occupations

OBLIGATOIRE = "Ce champ est obligatoire."
MESSAGE_CONFLIT = ("{quoi} a changé entre-temps sur un autre poste ; rien n'a été enregistré. "
                   "Rechargez la liste puis refaites votre modification.")
_DEPARTEMENT = re.compile(r"\d{2}|2A|2B|97\d|98\d", re.ASCII)   # whole (fullmatch), ASCII digits


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
    if faux := [d for d in codes if not _DEPARTEMENT.fullmatch(d)]:
        erreurs["departements"] = f"Code de département inconnu : {faux[0]} (exemple : 04, 05, 13, 84)."
    return codes


def creer_centre(ctx: Contexte, uai: str, departements: str | list[str] = "") -> int:
    exiger(ctx, P.ORGANISATION_GERER)
    e: dict[str, str] = {}
    codes = _departements(departements, e)
    if m := verifier_caracteres(uai):  # never looked up: PostgreSQL refuses a NUL
        raise ValidationError({"etablissement": m, **e})
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
    e: dict[str, str] = erreurs_caracteres({"nom": nom, "specialites": specialites})
    if e:  # the codes are looked up below: PostgreSQL refuses a NUL
        raise ValidationError(e)
    nom = espaces_normalises(nom)
    if not nom:
        e["nom"] = OBLIGATOIRE
    elif len(nom) > 80:
        e["nom"] = "80 caractères au maximum."
    lue = entier_ascii(capacite)  # ASCII digits: int() would also read « ３０ » or « 3_0 »
    cap = lue or 0
    if lue is None:
        e["capacite"] = "La capacité est un nombre de places (exemple : 30)." if str(capacite).strip() \
            else OBLIGATOIRE
    elif cap <= 0:
        e["capacite"] = "La capacité est un nombre de places supérieur à 0."
    elif cap > 10_000:
        e["capacite"] = "Capacité trop grande (10 000 places au maximum)."
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


__all__ = [
    "VueCentre", "VueSalle", "ajouter_salle", "creer_centre", "etablissements_possibles", "lister_centres",
    "modifier_centre", "modifier_salle", "supprimer_centre", "supprimer_salle",
]
