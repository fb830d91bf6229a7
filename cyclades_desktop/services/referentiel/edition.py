"""Editing the référentiel (docs/domaine/referentiel.md), chef de bureau only: the office's identity
printed on documents, sessions with their registration periods and deadlines. Spécialités and their
épreuves trees live in ``specialites``, file imports in ``import_json``; both are
re-exported here so that screens and tools have one entry point."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Bureau, Candidature, Domaine, Echeance, Periode, SessionExamen
from ...rules.comptes import MESSAGE_OBLIGATOIRE
from ...rules.errors import ConflictError, DomainError, NotFound, ValidationError
from ...rules.referentiel import (
    CONSEQUENCES,
    MODES_DEPOT,
    REGLES_ECHEANCE,
    TYPES_SESSION,
    SaisieBureau,
    departements_saisis,
    lignes_adresse,
    normaliser_telephone,
    semaine_apres,
    valider_bureau,
)
from ...rules.temps import depuis_paris, format_date_heure, paris
from ...rules.texte import entier_ascii, espaces_normalises, verifier_caracteres
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .epreuves import SaisieEpreuve, ajouter_epreuve, deplacer_epreuve, modifier_epreuve, supprimer_epreuve
from .import_json import LigneImport, RapportImport, analyser_import, appliquer_import
from .lecture import VueBureau, VueSession, requete_sessions, vue_session
from .specialites import NoeudEpreuve, arbre_epreuves, enregistrer_specialite, exporter_specialite

__all__ = [
    "LigneImport", "NoeudEpreuve", "RapportImport", "SaisieBureau", "SaisieEpreuve", "ajouter_epreuve",
    "analyser_import", "appliquer_import", "arbre_epreuves", "creer_session", "deplacer_epreuve",
    "enregistrer_echeance", "enregistrer_periode", "enregistrer_specialite", "exporter_specialite",
    "modifier_bureau", "modifier_epreuve", "supprimer_echeance", "supprimer_epreuve", "supprimer_periode",
]

ANNEE_MIN, ANNEE_MAX = 2000, 2100

_CODE_ECHEANCE = re.compile(r"^[A-Z0-9_]{1,40}$")


# --- Bureau --------------------------------------------------------------------------------------

def saisie_bureau(b: VueBureau) -> SaisieBureau:
    return SaisieBureau(academie=b.academie, nom_service=b.nom_service, bureau=b.bureau, adresse=b.adresse,
                        code_postal=b.code_postal, ville=b.ville, telephone=b.telephone, email=b.email,
                        site=b.site, departements=", ".join(b.departements or []))


def _instantane_bureau(b: Bureau) -> dict[str, object]:
    return {"academie": b.academie, "nom_service": b.nom_service, "bureau": b.bureau, "adresse": b.adresse,
            "code_postal": b.code_postal, "ville": b.ville, "telephone": b.telephone, "email": b.email,
            "site": b.site, "departements": list(b.departements or [])}


MESSAGE_CONFLIT_BUREAU = ("L'identité du bureau a été modifiée entre-temps sur un autre poste ; rien n'a été "
                          "enregistré. Rechargez la fiche puis refaites votre modification.")


def modifier_bureau(ctx: Contexte, saisie: SaisieBureau, row_version: int) -> int:
    """Save the office identity; returns the new row version. A stale version is refused so that
    two workstations never overwrite each other silently."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    if errors := valider_bureau(saisie):
        raise ValidationError(errors)
    with conflit_si_perime(MESSAGE_CONFLIT_BUREAU):
        with ctx.transaction() as s:
            b = charger_ou_erreur(s, Bureau, 1, "L'identité du bureau est absente de la base.")
            if b.row_version != row_version:
                raise ConflictError(MESSAGE_CONFLIT_BUREAU)
            avant = _instantane_bureau(b)
            b.academie = espaces_normalises(saisie.academie)
            b.nom_service = espaces_normalises(saisie.nom_service)
            b.bureau = espaces_normalises(saisie.bureau)
            b.adresse = "\n".join(lignes_adresse(saisie.adresse))
            b.code_postal = saisie.code_postal.replace(" ", "")
            b.ville = espaces_normalises(saisie.ville)
            b.telephone = normaliser_telephone(saisie.telephone) or ""
            b.email = saisie.email.strip()
            b.site = saisie.site.strip()
            b.departements = departements_saisis(saisie.departements)
            av, ap = audit.difference(avant, _instantane_bureau(b))
            if not ap:
                return b.row_version  # nothing changed: no new version, no audit row
            s.flush()  # the versioned UPDATE: a concurrent writer makes it fail here
            audit.enregistrer(s, ctx, "modification", "bureau", 1, libelle="Identité du bureau", avant=av,
                              apres=ap)
            return b.row_version


# --- Sessions ------------------------------------------------------------------------------------

def creer_session(ctx: Contexte, annee: int | str, libelle: str, type: str = "normale") -> int:
    """A new exam session (e.g. 2026, or "NOVEMBRE 2025 VAE"); returns its id."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    e: dict[str, str] = {}
    an = entier_ascii(annee) or 0  # ASCII digits: int() would also read « ２０２６ »
    if not ANNEE_MIN <= an <= ANNEE_MAX:
        e["annee"] = f"Année sur 4 chiffres attendue, entre {ANNEE_MIN} et {ANNEE_MAX}."
    lib = espaces_normalises(libelle)
    if m := verifier_caracteres(libelle):
        e["libelle"] = m
    elif not lib:
        e["libelle"] = MESSAGE_OBLIGATOIRE
    elif len(lib) > 60:
        e["libelle"] = "60 caractères au maximum."
    if type not in TYPES_SESSION:
        e["type"] = "Choisissez le type de session (normale ou VAE)."
    if e:
        raise ValidationError(e)
    message_doublon = f"Une session « {lib} » existe déjà."
    with ctx.transaction() as s:
        if s.scalar(select(exists().where(func.lower(SessionExamen.libelle) == lib.lower()))):
            raise ValidationError({"libelle": message_doublon})
        session = SessionExamen(annee=an, libelle=lib, type=type)
        s.add(session)
        try:
            s.flush()
        except IntegrityError as exc:  # created on another workstation in the meantime
            raise ValidationError({"libelle": message_doublon}) from exc
        audit.enregistrer(s, ctx, "creation", "session", session.id, libelle=f"Session {lib}",
                          apres={"annee": an, "libelle": lib, "type": type})
        return session.id


def lister_sessions(ctx: Contexte) -> list[VueSession]:
    """Newest first, with their periods and deadlines."""
    exiger(ctx, P.REFERENTIEL_LIRE)
    with ctx.lecture() as s:
        return [vue_session(se) for se in s.scalars(requete_sessions())]


def _session(s: Session, session_id: int) -> SessionExamen:
    session = charger_ou_erreur(s, SessionExamen, session_id, "Cette session n'existe plus.")
    return session


def _domaines(s: Session) -> set[str]:
    return set(s.scalars(select(Domaine.code)))


def _heure_paris(valeur: datetime | None) -> datetime | None:
    """Screens pass Paris wall-clock values; an aware value is read in Paris time too."""
    if valeur is None:
        return None
    if valeur.tzinfo is not None:
        valeur = paris(valeur).replace(tzinfo=None)
    return valeur.replace(second=0, microsecond=0)


def _texte_heure(dt: datetime | None) -> str | None:
    return f"{format_date_heure(dt)} (heure de Paris)" if dt else None


def enregistrer_periode(ctx: Contexte, session_id: int, domaine: str, ouverture: datetime | None,
                        cloture: datetime | None) -> int:
    """Create or update the registration period of one domaine; times are Paris wall clock.
    Deadlines set to 'une semaine après la clôture' follow a new closing time."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    ouv, clo = _heure_paris(ouverture), _heure_paris(cloture)
    e: dict[str, str] = {}
    if ouv is None:
        e["ouverture"] = MESSAGE_OBLIGATOIRE
    if clo is None:
        e["cloture"] = MESSAGE_OBLIGATOIRE
    if ouv is not None and clo is not None and clo <= ouv:
        e["cloture"] = "La clôture doit être postérieure à l'ouverture."
    with ctx.transaction() as s:
        session = _session(s, session_id)
        if domaine not in _domaines(s):
            e["domaine"] = "Choisissez un domaine (BCP, CAP, BP, MC ou CS)."
        if e:
            raise ValidationError(e)
        assert ouv is not None and clo is not None
        periode = s.scalar(select(Periode).where(Periode.session_id == session_id,
                                                 Periode.domaine_code == domaine))
        nouvelle = periode is None
        avant = {} if periode is None else {"ouverture": _texte_heure(periode.ouverture),
                                            "cloture": _texte_heure(periode.cloture)}
        if periode is None:
            periode = Periode(session_id=session_id, domaine_code=domaine, ouverture=depuis_paris(ouv),
                              cloture=depuis_paris(clo))
            s.add(periode)
        else:
            periode.ouverture, periode.cloture = depuis_paris(ouv), depuis_paris(clo)
        s.flush()
        apres = {"ouverture": _texte_heure(periode.ouverture), "cloture": _texte_heure(periode.cloture)}
        av, ap = audit.difference(avant, apres)
        if ap:
            audit.enregistrer(s, ctx, "creation" if nouvelle else "modification", "periode", periode.id,
                              libelle=f"Période d'inscription {domaine}, session {session.libelle}",
                              avant=av or None, apres=ap)
        _suivre_cloture(s, ctx, session, domaine, periode.cloture)
        return periode.id


def _suivre_cloture(s: Session, ctx: Contexte, session: SessionExamen, domaine: str, cloture: datetime) -> None:
    for ech in s.scalars(select(Echeance).where(Echeance.session_id == session.id,
                                                Echeance.domaine_code == domaine,
                                                Echeance.regle == "semaine_apres_cloture")):
        nouvelle = semaine_apres(cloture)
        if paris(ech.date_limite) == paris(nouvelle):
            continue
        avant = _texte_heure(ech.date_limite)
        ech.date_limite = nouvelle
        audit.enregistrer(s, ctx, "modification", "echeance", ech.id,
                          libelle=f"Échéance {ech.code} {domaine}, session {session.libelle} (suit la clôture)",
                          avant={"date_limite": avant}, apres={"date_limite": _texte_heure(nouvelle)})


def supprimer_periode(ctx: Contexte, session_id: int, domaine: str) -> None:
    """Refused once candidatures exist for it: their dates must stay readable; change them instead."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    with ctx.transaction() as s:
        session = _session(s, session_id)
        periode = s.scalar(select(Periode).where(Periode.session_id == session_id,
                                                 Periode.domaine_code == domaine))
        if periode is None:
            raise NotFound("Cette période d'inscription n'existe plus.")
        if s.scalar(select(exists().where(Candidature.session_id == session_id,
                                          Candidature.domaine_code == domaine))):
            raise DomainError("Des candidatures existent pour ce domaine et cette session : la période ne peut "
                              "pas être supprimée. Modifiez plutôt ses dates.")
        audit.enregistrer(s, ctx, "suppression", "periode", periode.id,
                          libelle=f"Période d'inscription {domaine}, session {session.libelle}",
                          avant={"ouverture": _texte_heure(periode.ouverture),
                                 "cloture": _texte_heure(periode.cloture)})
        s.delete(periode)


# --- Échéances -----------------------------------------------------------------------------------

def _instantane_echeance(ech: Echeance) -> dict[str, object]:
    return {"libelle": ech.libelle, "date_limite": _texte_heure(ech.date_limite), "mode_depot": ech.mode_depot,
            "regle": ech.regle, "consequence": ech.consequence}


def enregistrer_echeance(ctx: Contexte, session_id: int, domaine: str, code: str, libelle: str,
                         date_limite: datetime | None, mode_depot: str | None, consequence: str | None, *,
                         regle: str = "fixe") -> int:
    """Create or update one deadline (key: session, domaine, code). ``date_limite`` is Paris wall
    clock; with the rule 'semaine_apres_cloture' it is computed from the period's closing."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    code_n = (code or "").strip().upper()
    lib = espaces_normalises(libelle)
    mode = (mode_depot or "").strip() or None
    cons = (consequence or "").strip() or None
    limite = _heure_paris(date_limite)
    e: dict[str, str] = {}
    if not code_n:
        e["code"] = MESSAGE_OBLIGATOIRE
    elif not _CODE_ECHEANCE.match(code_n):
        e["code"] = "Lettres sans accents, chiffres et soulignés (exemple : CONFIRMATION, R408)."
    if m := verifier_caracteres(libelle):
        e["libelle"] = m
    elif not lib:
        e["libelle"] = MESSAGE_OBLIGATOIRE
    elif len(lib) > 300:
        e["libelle"] = "300 caractères au maximum."
    if mode is not None and mode not in MODES_DEPOT:
        e["mode_depot"] = "Choisissez un mode de dépôt : en ligne, courrier ou autres modalités."
    if cons is not None and cons not in CONSEQUENCES:
        e["consequence"] = "Choisissez la conséquence : candidature annulée ou écartée."
    if regle not in REGLES_ECHEANCE:
        e["regle"] = "Choisissez la règle : date fixe ou une semaine après la clôture."
    elif regle == "fixe" and limite is None:
        e["date_limite"] = MESSAGE_OBLIGATOIRE
    with ctx.transaction() as s:
        session = _session(s, session_id)
        if domaine not in _domaines(s):
            e["domaine"] = "Choisissez un domaine (BCP, CAP, BP, MC ou CS)."
        date_utc = depuis_paris(limite) if limite is not None else None
        if regle == "semaine_apres_cloture" and "domaine" not in e:
            periode = s.scalar(select(Periode).where(Periode.session_id == session_id,
                                                     Periode.domaine_code == domaine))
            if periode is None:
                e["regle"] = "Aucune période d'inscription pour ce domaine : enregistrez d'abord la période."
            else:
                date_utc = semaine_apres(periode.cloture)
        if e:
            raise ValidationError(e)
        assert date_utc is not None
        ech = s.scalar(select(Echeance).where(Echeance.session_id == session_id, Echeance.domaine_code == domaine,
                                              Echeance.code == code_n))
        nouvelle = ech is None
        avant = {} if ech is None else _instantane_echeance(ech)
        if ech is None:
            ech = Echeance(session_id=session_id, domaine_code=domaine, code=code_n, libelle=lib,
                           date_limite=date_utc)
            s.add(ech)
        ech.libelle, ech.date_limite, ech.mode_depot, ech.consequence, ech.regle = lib, date_utc, mode, cons, regle
        s.flush()
        av, ap = audit.difference(avant, _instantane_echeance(ech))
        if ap:
            audit.enregistrer(s, ctx, "creation" if nouvelle else "modification", "echeance", ech.id,
                              libelle=f"Échéance {code_n} {domaine}, session {session.libelle}",
                              avant=av or None, apres=ap)
        return ech.id


def supprimer_echeance(ctx: Contexte, echeance_id: int) -> None:
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    with ctx.transaction() as s:
        ech = charger_ou_erreur(s, Echeance, echeance_id, "Cette échéance n'existe plus.")
        session = _session(s, ech.session_id)
        audit.enregistrer(s, ctx, "suppression", "echeance", ech.id,
                          libelle=f"Échéance {ech.code} {ech.domaine_code}, session {session.libelle}",
                          avant=_instantane_echeance(ech))
        s.delete(ech)
