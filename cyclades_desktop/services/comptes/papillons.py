"""Papillons de connexion (docs/domaine/organisation.md#papillons): for the pupils an établissement
registered, a login slip with a new password, printed per établissement in one batch.

The password exists in clear only in memory and on the PDF: the account keeps its Argon2 hash. The new
hashes, the ``Papillon`` rows and the audit rows are written in one transaction and the PDFs are built
before it commits, so a failure while building them (or a cancel) leaves every old password working."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...documents.papillon import DonneesPapillon, rendre_papillons
from ...models import (
    Bureau,
    Candidature,
    Categorie,
    CompteCandidat,
    Domaine,
    Etablissement,
    Papillon,
    Parametre,
    SessionExamen,
    Specialite,
)
from ...rules.comptes import EtatCompte
from ...rules.errors import DomainError
from ...rules.inscriptions import ETATS_ACTIFS
from ...rules.temps import format_date_heure
from ...rules.texte import cle_recherche, mots_recherche, texte_recherche
from ..noyau import Contexte, P, audit, exiger, securite

# The national candidate portal; an office may set its own in the « portail_candidat » setting.
URL_PORTAIL_DEFAUT = "https://exacyc.orion.education.fr/cyccandidat/portal/login"
PARAMETRE_PORTAIL = "portail_candidat"
MESSAGE_AUCUN = "Aucun candidat inscrit par un établissement n'a été trouvé pour cette sélection."
MESSAGE_ANNULE = "Génération annulée : aucun mot de passe n'a été changé."
# Argon2 releases the GIL: two threads hash twice as fast on the office's two cores.
FILS_HACHAGE = 2

Progression = Callable[[int, int], None]
Annulation = Callable[[], bool]


@dataclass(frozen=True)
class SessionProposee:
    id: int
    libelle: str


@dataclass(frozen=True)
class EtablissementPapillons:
    uai: str
    nom: str
    ville: str
    nombre: int                     # candidatures that get a slip

    @property
    def libelle(self) -> str:
        return f"{self.nom} – {self.ville} ({self.uai})" if self.ville else f"{self.nom} ({self.uai})"


@dataclass(frozen=True)
class LignePapillon:
    candidature_id: int
    compte_id: int
    uai: str
    etablissement: str
    classe: str
    nom: str
    prenoms: str
    numero_candidat: str
    numero_inscription: str
    specialite: str
    identifiant: str
    dernier_papillon: datetime | None


@dataclass(frozen=True)
class FichierPapillons:
    uai: str
    etablissement: str
    nom_fichier: str
    contenu: bytes
    nombre: int


@dataclass(frozen=True)
class LotPapillons:
    session: str
    fichiers: tuple[FichierPapillons, ...]   # one PDF per établissement, by name
    nombre_papillons: int
    nombre_comptes: int


# --- reading ------------------------------------------------------------------------------------

def sessions(ctx: Contexte) -> list[SessionProposee]:
    exiger(ctx, P.PAPILLONS_GENERER)
    with ctx.lecture() as s:
        return [SessionProposee(i, lib) for i, lib in s.execute(
            select(SessionExamen.id, SessionExamen.libelle).order_by(SessionExamen.annee.desc(),
                                                                    SessionExamen.libelle))]


def _requete(session_id: int, uai: str | None):  # type: ignore[no-untyped-def]
    """Candidatures of an établissement's pupils: an établissement and a non-individual catégorie
    (scolaires, apprentis, formation continue, enseignement à distance), still active."""
    q = (select(Candidature, CompteCandidat, Etablissement, Specialite, Domaine)
         .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
         .join(Categorie, Categorie.code == Candidature.categorie_code)
         .join(Etablissement, Etablissement.uai == Candidature.etablissement_uai)
         .join(Domaine, Domaine.code == Candidature.domaine_code)
         .outerjoin(Specialite, Specialite.id == Candidature.specialite_id)
         .where(Candidature.session_id == session_id, Candidature.etat.in_(ETATS_ACTIFS),
                Categorie.individuel.is_(False)))
    if uai:
        q = q.where(Candidature.etablissement_uai == uai)
    return q


def _cle_tri(ligne: tuple[Candidature, CompteCandidat, Etablissement, Specialite | None, Domaine]
             ) -> tuple[str, str, int, str, str, str]:
    c, compte, etab, _spec, _dom = ligne
    # By établissement, then class (pupils without a class last), then name.
    return (etab.nom, etab.uai, 0 if c.classe else 1, (c.classe or "").upper(), compte.cle, c.numero_inscription)


def etablissements(ctx: Contexte, session_id: int, texte: str = "") -> list[EtablissementPapillons]:
    """The établissements with pupils to print for, by name; ``texte`` filters on name, town or UAI."""
    exiger(ctx, P.PAPILLONS_GENERER)
    q = (select(Etablissement.uai, Etablissement.nom, Etablissement.ville, func.count(Candidature.id))
         .select_from(Candidature)
         .join(Categorie, Categorie.code == Candidature.categorie_code)
         .join(Etablissement, Etablissement.uai == Candidature.etablissement_uai)
         .where(Candidature.session_id == session_id, Candidature.etat.in_(ETATS_ACTIFS),
                Categorie.individuel.is_(False))
         .group_by(Etablissement.uai, Etablissement.nom, Etablissement.ville)
         .order_by(Etablissement.nom, Etablissement.uai))
    # As the établissement search: each typed word (the first few) in the name, town or UAI.
    mots = mots_recherche(texte)
    if not mots and texte_recherche(texte):
        return []
    with ctx.lecture() as s:
        out = [EtablissementPapillons(u, n, v or "", int(k)) for u, n, v, k in s.execute(q)]
    return [e for e in out if all(m in cle_recherche(f"{e.nom} {e.ville} {e.uai}") for m in mots)]


def lister(ctx: Contexte, session_id: int, uai: str | None = None) -> list[LignePapillon]:
    """The slips a generation would print, in print order, with when each was last printed."""
    exiger(ctx, P.PAPILLONS_GENERER)
    with ctx.lecture() as s:
        lignes = sorted(s.execute(_requete(session_id, uai)).all(), key=_cle_tri)  # type: ignore[arg-type]
        ids = [c.id for c, *_ in lignes]
        derniers = dict(s.execute(select(Papillon.candidature_id, func.max(Papillon.genere_le))
                                  .where(Papillon.candidature_id.in_(ids))
                                  .group_by(Papillon.candidature_id)).all()) if ids else {}
        return [LignePapillon(c.id, compte.id, etab.uai, etab.nom, c.classe or "", compte.nom, compte.prenoms,
                              compte.numero_candidat, c.numero_inscription, _specialite(spec),
                              identifiant(compte), derniers.get(c.id))
                for c, compte, etab, spec, _dom in lignes]


def identifiant(compte: CompteCandidat) -> str:
    """What the pupil types to sign in: the login when the account has one, else the e-mail (both
    accepted by ``comptes.trouver_par_identifiant``)."""
    return compte.login or compte.email


def url_portail(s: Session) -> str:
    p = s.get(Parametre, PARAMETRE_PORTAIL)
    url = (p.valeur or {}).get("url") if p is not None else None
    return str(url).strip() if url and str(url).strip() else URL_PORTAIL_DEFAUT


def _specialite(spec: Specialite | None) -> str:
    if spec is None:
        return "Spécialité non choisie"
    return f"{spec.intitule} ({spec.code})" if spec.code else spec.intitule


def examen_phrase(libelle: str) -> str:
    """« vous a inscrit au baccalauréat professionnel » / « à la mention complémentaire »."""
    bas = libelle[:1].lower() + libelle[1:]
    return f"à la {bas}" if bas.startswith("mention") else f"au {bas}"


def nom_fichier(session: str, uai: str) -> str:
    return f"papillons-{re.sub(r'[^A-Za-z0-9]+', '-', session).strip('-')}-{uai}.pdf"


# --- generating -----------------------------------------------------------------------------------

def generer(ctx: Contexte, session_id: int, uai: str | None = None, *, progression: Progression | None = None,
            annule: Annulation | None = None) -> LotPapillons:
    """New passwords for the pupils of one établissement (or of every établissement of the session),
    their slips as one PDF per établissement. The previous passwords stop working."""
    exiger(ctx, P.PAPILLONS_GENERER)
    signaler = progression or (lambda _f, _t: None)
    arreter = annule or (lambda: False)
    with ctx.transaction() as s:
        session = s.get(SessionExamen, session_id)
        bureau = s.get(Bureau, 1)
        if session is None or bureau is None:
            raise DomainError("Cette session n'existe plus.")
        lignes = sorted(s.execute(_requete(session_id, uai)).all(), key=_cle_tri)  # type: ignore[arg-type]
        if not lignes:
            raise DomainError(MESSAGE_AUCUN)
        comptes: dict[int, CompteCandidat] = {}
        for _c, compte, *_ in lignes:
            comptes.setdefault(compte.id, compte)
        # One password per account, even when a pupil has two candidatures in the session.
        mots = {cid: securite.mot_de_passe_provisoire() for cid in comptes}
        total = len(comptes) + len(lignes)
        fait = 0
        hashes: dict[int, str] = {}
        with ThreadPoolExecutor(max_workers=FILS_HACHAGE) as pool:
            for cid, h in zip(mots, pool.map(securite.hacher, mots.values()), strict=True):
                if arreter():
                    raise DomainError(MESSAGE_ANNULE)
                hashes[cid] = h
                fait += 1
                signaler(fait, total)
        now = ctx.clock.now()
        etats_avant = {cid: compte.etat for cid, compte in comptes.items()}
        for cid, compte in comptes.items():
            compte.mot_de_passe_hash = hashes[cid]
            compte.modifie_le = now
            # The slip is how the pupil gets in (no account to create): it activates it.
            if compte.etat != EtatCompte.ACTIF:
                compte.etat = EtatCompte.ACTIF
                compte.active_le = now
        url = url_portail(s)
        groupes: dict[str, list[DonneesPapillon]] = {}
        etabs: dict[str, Etablissement] = {}
        imprimes: dict[int, list[str]] = {}
        for c, compte, etab, spec, dom in lignes:
            s.add(Papillon(compte_id=compte.id, candidature_id=c.id, genere_le=now,
                           genere_par=ctx.agent.login if ctx.agent else "système"))
            etabs[etab.uai] = etab
            imprimes.setdefault(compte.id, []).append(c.numero_inscription)
            groupes.setdefault(etab.uai, []).append(DonneesPapillon(
                academie=bureau.academie, etablissement=etab.nom, uai=etab.uai,
                etablissement_adresse=tuple(x for x in (etab.adresse, " ".join(
                    y for y in (etab.code_postal, etab.ville) if y)) if x),
                etablissement_telephone=etab.telephone or "", nom=compte.nom, prenoms=compte.prenoms,
                date_naissance=compte.date_naissance, classe=c.classe or "", numero_candidat=compte.numero_candidat,
                numero_inscription=c.numero_inscription, examen=dom.libelle_majuscules,
                examen_phrase=examen_phrase(dom.libelle), specialite=_specialite(spec), session=session.libelle,
                url=url, identifiant=identifiant(compte), mot_de_passe=mots[compte.id]))
        for cid, compte in comptes.items():
            audit.enregistrer(
                s, ctx, "papillon_connexion", "compte", cid,
                libelle=f"Papillon de connexion : compte {compte.numero_candidat} "
                        f"(inscription n° {', '.join(imprimes[cid])}, session {session.libelle})",
                avant={"etat": etats_avant[cid]} if etats_avant[cid] != compte.etat else None,
                apres={"mot_de_passe": "régénéré (imprimé sur le papillon)", "etat": compte.etat,
                       "inscriptions": imprimes[cid]})
        fichiers = []
        for code, donnees in groupes.items():
            if arreter():
                raise DomainError(MESSAGE_ANNULE)
            etab = etabs[code]
            contenu = rendre_papillons(donnees, pied=f"Papillons de connexion – {etab.nom} ({code}) – session "
                                                     f"{session.libelle} – édités le {format_date_heure(now)}")
            fichiers.append(FichierPapillons(code, etab.nom, nom_fichier(session.libelle, code), contenu,
                                             len(donnees)))
            fait += len(donnees)
            signaler(fait, total)
        s.flush()
        # Committed only now: every PDF exists, so every new password has been printed somewhere.
        return LotPapillons(session.libelle, tuple(fichiers), len(lignes), len(comptes))


def fusionner(fichiers: Sequence[FichierPapillons]) -> bytes:
    """The établissements' PDFs one after the other (each starts on a new page): one preview, one print."""
    if len(fichiers) == 1:
        return fichiers[0].contenu
    from pypdf import PdfWriter

    sortie = PdfWriter()
    for f in fichiers:
        sortie.append(BytesIO(f.contenu))
    tampon = BytesIO()
    sortie.write(tampon)
    return tampon.getvalue()
