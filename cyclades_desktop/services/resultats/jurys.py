"""Examinateurs and juries (docs/domaine/resultats.md#jurys, RES-6): correcteurs for the written
épreuves, examinateurs for the orals and the practical ones; one jury per spécialité or group of
spécialités (or a whole domaine), with a president who signs the procès-verbal. Chef de bureau."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ...models import (
    Candidature,
    Deliberation,
    Domaine,
    Etablissement,
    Examinateur,
    Jury,
    MembreJury,
    SessionExamen,
    Specialite,
)
from ...rules.comptes import verifier_email
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.texte import (
    cle_recherche,
    erreurs_caracteres,
    espaces_normalises,
    nom_majuscules,
    prenoms_normalises,
)
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .commun import ETATS_NOTES, conflit

OBLIGATOIRE = "Ce champ est obligatoire."


@dataclass
class SaisieExaminateur:
    nom: str = ""
    prenom: str = ""
    discipline: str = ""
    etablissement_uai: str = ""
    email: str = ""
    actif: bool = True


@dataclass(frozen=True)
class VueExaminateur:
    id: int
    nom: str
    prenom: str
    discipline: str
    etablissement_uai: str
    etablissement: str
    email: str
    actif: bool
    row_version: int

    @property
    def libelle(self) -> str:
        quoi = ", ".join(x for x in (self.discipline, self.etablissement) if x)
        return f"{self.prenom} {self.nom}" + (f" ({quoi})" if quoi else "")


def _vue_examinateur(s: Session, e: Examinateur) -> VueExaminateur:
    etab = s.get(Etablissement, e.etablissement_uai) if e.etablissement_uai else None
    return VueExaminateur(e.id, e.nom, e.prenom, e.discipline, e.etablissement_uai or "", etab.nom if etab else "",
                          e.email or "", e.actif, e.row_version)


def _valider_examinateur(s: Session, x: SaisieExaminateur) -> dict[str, Any]:
    e = erreurs_caracteres(vars(x))
    valeurs = {"nom": nom_majuscules(x.nom), "prenom": prenoms_normalises(x.prenom),
               "discipline": espaces_normalises(x.discipline), "etablissement_uai": x.etablissement_uai.strip().upper(),
               "email": x.email.strip(), "actif": bool(x.actif)}
    for cle, n in (("nom", 80), ("prenom", 80), ("discipline", 120)):
        if cle != "discipline" and not valeurs[cle]:
            e.setdefault(cle, OBLIGATOIRE)
        elif len(valeurs[cle]) > n:
            e.setdefault(cle, f"{n} caractères au maximum.")
    if valeurs["email"] and (m := verifier_email(valeurs["email"])):
        e.setdefault("email", m)
    if valeurs["etablissement_uai"] and "etablissement_uai" not in e and \
            s.get(Etablissement, valeurs["etablissement_uai"]) is None:
        e["etablissement_uai"] = "Établissement inconnu du référentiel (UAI de 8 caractères, exemple : 0250001R)."
    if e:
        raise ValidationError(e)
    valeurs["cle"] = cle_recherche(f"{valeurs['nom']} {valeurs['prenom']}")
    valeurs["etablissement_uai"] = valeurs["etablissement_uai"] or None
    valeurs["email"] = valeurs["email"] or None
    return valeurs


def creer_examinateur(ctx: Contexte, saisie: SaisieExaminateur) -> VueExaminateur:
    exiger(ctx, P.JURYS_GERER)
    with ctx.transaction() as s:
        valeurs = _valider_examinateur(s, saisie)
        e = Examinateur(**valeurs)
        s.add(e)
        s.flush()
        audit.enregistrer(s, ctx, "creation", "examinateur", e.id, libelle=f"Examinateur {e.prenom} {e.nom}",
                          apres={k: v for k, v in valeurs.items() if k != "cle"})
        return _vue_examinateur(s, e)


def modifier_examinateur(ctx: Contexte, examinateur_id: int, saisie: SaisieExaminateur,
                         row_version: int) -> VueExaminateur:
    exiger(ctx, P.JURYS_GERER)
    message = conflit("Cet examinateur")
    with conflit_si_perime(message), ctx.transaction() as s:
        e = charger_ou_erreur(s, Examinateur, examinateur_id, "Cet examinateur n'existe plus : rechargez la liste.")
        if e.row_version != row_version:
            raise ConflictError(message)
        valeurs = _valider_examinateur(s, saisie)
        avant = {k: getattr(e, k) for k in valeurs if k != "cle"}
        for k, v in valeurs.items():
            setattr(e, k, v)
        av, ap = audit.difference(avant, {k: v for k, v in valeurs.items() if k != "cle"})
        s.flush()
        if ap:
            audit.enregistrer(s, ctx, "modification", "examinateur", e.id, libelle=f"Examinateur {e.prenom} {e.nom}",
                              avant=av, apres=ap)
        return _vue_examinateur(s, e)


def lister_examinateurs(ctx: Contexte, texte: str = "", *, actifs_seulement: bool = False) -> list[VueExaminateur]:
    exiger(ctx, P.RESULTATS_LIRE)
    q = select(Examinateur).order_by(Examinateur.cle, Examinateur.id)
    if cle := cle_recherche(texte):
        q = q.where(Examinateur.cle.contains(cle, autoescape=True))
    if actifs_seulement:
        q = q.where(Examinateur.actif)
    with ctx.lecture() as s:
        return [_vue_examinateur(s, e) for e in s.scalars(q)]


# --- juries ----------------------------------------------------------------------------------------

@dataclass
class SaisieJury:
    session_id: int
    domaine: str
    libelle: str = ""
    specialites: list[str] = field(default_factory=list)     # empty: every spécialité of the domaine
    president_id: int | None = None
    membres: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class VueJury:
    id: int
    session_id: int
    domaine: str
    libelle: str
    specialites: tuple[str, ...]
    president_id: int
    president: str
    membres: tuple[VueExaminateur, ...]
    candidatures: int
    row_version: int


def filtre_candidatures(jury: Jury) -> list[ColumnElement[bool]]:
    """The candidatures a jury deliberates on: registered in its session, domaine and spécialités."""
    f = [Candidature.session_id == jury.session_id, Candidature.domaine_code == jury.domaine_code,
         Candidature.etat.in_(ETATS_NOTES)]
    if jury.specialites:
        f.append(Candidature.specialite_id.in_(list(jury.specialites)))
    return f


def vue_jury(s: Session, j: Jury) -> VueJury:
    president = charger_ou_erreur(s, Examinateur, j.president_id, "Le président de ce jury n'existe plus.")
    membres = [charger_ou_erreur(s, Examinateur, m.examinateur_id, "Un membre de ce jury n'existe plus.")
               for m in j.membres]
    n = s.scalar(select(func.count()).select_from(Candidature).where(*filtre_candidatures(j))) or 0
    return VueJury(j.id, j.session_id, j.domaine_code, j.libelle, tuple(j.specialites or ()), j.president_id,
                   f"{president.prenom} {president.nom}", tuple(_vue_examinateur(s, m) for m in membres), int(n),
                   j.row_version)


def _valider_jury(s: Session, x: SaisieJury, sauf: int | None) -> tuple[str, list[str], list[int]]:
    e = erreurs_caracteres({"libelle": x.libelle, "specialites": x.specialites})
    libelle = espaces_normalises(x.libelle)
    if not libelle:
        e.setdefault("libelle", OBLIGATOIRE)
    elif len(libelle) > 120:
        e.setdefault("libelle", "120 caractères au maximum.")
    if s.get(SessionExamen, x.session_id) is None:
        e["session"] = "Cette session n'existe plus."
    if s.get(Domaine, x.domaine) is None:
        e["domaine"] = "Choisissez le domaine du jury."
    specialites = sorted(set(x.specialites))
    connues = {sp.id: sp.domaine_code for sp in s.scalars(select(Specialite).where(Specialite.id.in_(specialites)))}
    if faux := [sid for sid in specialites if connues.get(sid) != x.domaine]:
        e["specialites"] = f"Spécialité inconnue dans ce domaine : {faux[0]}."
    membres = list(dict.fromkeys(x.membres))
    personnes = {i: ex for i in [*membres, x.president_id or 0] if (ex := s.get(Examinateur, i)) is not None}
    if x.president_id is None or x.president_id not in personnes:
        e["president"] = "Choisissez le président du jury parmi les examinateurs."
    elif not personnes[x.president_id].actif:
        e["president"] = "Cet examinateur est inactif : il ne peut pas présider un jury."
    if inconnus := [i for i in membres if i not in personnes]:
        e["membres"] = f"Examinateur inconnu (n° {inconnus[0]}) : rechargez la liste."
    if e:
        raise ValidationError(e)
    if libelle and s.scalar(select(Jury.id).where(Jury.session_id == x.session_id, Jury.libelle == libelle,
                                                  Jury.id != (sauf or 0))):
        raise ValidationError({"libelle": f"Un jury « {libelle} » existe déjà pour cette session."})
    # A candidature is deliberated by one jury only.
    for autre in s.scalars(select(Jury).where(Jury.session_id == x.session_id, Jury.domaine_code == x.domaine,
                                              Jury.id != (sauf or 0))):
        communes = set(specialites) & set(autre.specialites or ()) if specialites and autre.specialites else None
        if communes is None or communes:
            quoi = (f"La spécialité {sorted(communes)[0]} est déjà confiée" if communes
                    else f"Le domaine {x.domaine} est déjà confié, en tout ou partie,")
            raise ValidationError({"specialites": f"{quoi} au jury « {autre.libelle} » de cette session."})
    return libelle, specialites, [m for m in membres if m != x.president_id]


def _etat(j: Jury) -> dict[str, Any]:
    return {"libelle": j.libelle, "domaine": j.domaine_code, "specialites": list(j.specialites or []),
            "president_id": j.president_id, "membres": [m.examinateur_id for m in j.membres]}


def creer_jury(ctx: Contexte, saisie: SaisieJury) -> VueJury:
    exiger(ctx, P.JURYS_GERER)
    with ctx.transaction() as s:
        libelle, specialites, membres = _valider_jury(s, saisie, None)
        j = Jury(session_id=saisie.session_id, domaine_code=saisie.domaine, libelle=libelle, specialites=specialites,
                 president_id=saisie.president_id, membres=[MembreJury(examinateur_id=m) for m in membres])
        s.add(j)
        s.flush()
        audit.enregistrer(s, ctx, "creation", "jury", j.id, libelle=f"Jury « {libelle} »", apres=_etat(j))
        return vue_jury(s, j)


def modifier_jury(ctx: Contexte, jury_id: int, saisie: SaisieJury, row_version: int) -> VueJury:
    """Change a jury's composition, until it has deliberated."""
    exiger(ctx, P.JURYS_GERER)
    message = conflit("Ce jury")
    with conflit_si_perime(message), ctx.transaction() as s:
        j = charger_ou_erreur(s, Jury, jury_id, "Ce jury n'existe plus : rechargez la liste.")
        if j.row_version != row_version:
            raise ConflictError(message)
        if s.scalar(select(Deliberation.id).where(Deliberation.jury_id == j.id)):
            raise DomainError(f"Le jury « {j.libelle} » a déjà délibéré : sa composition ne change plus.")
        libelle, specialites, membres = _valider_jury(s, saisie, j.id)
        avant = _etat(j)
        j.libelle, j.domaine_code, j.specialites, j.president_id = libelle, saisie.domaine, specialites, \
            saisie.president_id
        gardes = {m.examinateur_id: m for m in j.membres}
        j.membres = [gardes.get(m) or MembreJury(examinateur_id=m) for m in membres]
        s.flush()
        av, ap = audit.difference(avant, _etat(j))
        if ap:
            audit.enregistrer(s, ctx, "modification", "jury", j.id, libelle=f"Jury « {libelle} »", avant=av, apres=ap)
        return vue_jury(s, j)


def lister_jurys(ctx: Contexte, session_id: int) -> list[VueJury]:
    exiger(ctx, P.RESULTATS_LIRE)
    with ctx.lecture() as s:
        return [vue_jury(s, j) for j in s.scalars(select(Jury).where(Jury.session_id == session_id)
                                                  .order_by(Jury.domaine_code, Jury.libelle))]
