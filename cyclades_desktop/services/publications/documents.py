"""Documents published for a candidature (docs/domaine/documents.md#versions): each type versioned,
the PDF kept with its version in the same transaction; and the récapitulatif's data taken from a
candidature."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...documents.donnees import (
    AcquisImprime,
    DonneesPieces,
    DonneesRecapitulatif,
    EnTeteBureau,
    GroupePiecesImprime,
    LigneEpreuveImprimee,
    PieceImprimee,
)
from ...models import (
    Bureau,
    Candidature,
    Categorie,
    CompteCandidat,
    Document,
    DocumentVersion,
    Domaine,
    Etablissement,
    Justificatif,
    Pays,
    Periode,
    SessionExamen,
    Specialite,
    TypeAcquis,
)
from ...rules import fichiers as regles_fichiers
from ...rules import inscriptions as regles
from ...rules import pieces as regles_pieces
from ...rules.comptes import PAYS_FRANCE
from ...rules.inscriptions import TITRES_DOCUMENTS, TypeDocument
from ...rules.temps import age_le, format_date_heure, paris
from ..noyau import Contexte, P, charger_ou_erreur, exiger
from ..referentiel import VueBureau, code_departement_affiche

CIVILITES = {"F": "MADAME", "M": "MONSIEUR"}


@dataclass(frozen=True)
class VersionPubliee:
    id: int
    numero: int
    publie_le: datetime
    nom_fichier: str
    taille: int

    @property
    def libelle(self) -> str:
        return f"Version n°{self.numero} mis à jour le {format_date_heure(self.publie_le)}"


@dataclass(frozen=True)
class DocumentPublie:
    type: str
    titre: str
    versions: tuple[VersionPubliee, ...]      # newest first

    @property
    def derniere(self) -> VersionPubliee:
        return self.versions[0]


def publier(s: Session, ctx: Contexte, candidature: Candidature, type_doc: str, contenu: bytes,
            nom_fichier: str) -> DocumentVersion:
    """A new version of one document, written in the caller's transaction."""
    doc = s.scalar(select(Document).where(Document.candidature_id == candidature.id, Document.type == type_doc))
    if doc is None:
        doc = Document(candidature_id=candidature.id, type=type_doc, titre=TITRES_DOCUMENTS[type_doc],
                       derniere_version=0)
        s.add(doc)
        s.flush()
    doc.derniere_version += 1
    version = DocumentVersion(document_id=doc.id, numero=doc.derniere_version, publie_le=ctx.clock.now(),
                              publie_par=ctx.agent.login if ctx.agent else "système", nom_fichier=nom_fichier,
                              taille=len(contenu), sha256=hashlib.sha256(contenu).hexdigest(), contenu=contenu)
    s.add(version)
    return version


def documents(ctx: Contexte, candidature_id: int) -> list[DocumentPublie]:
    exiger(ctx, P.COMPTES_LIRE)
    ordre = list(TITRES_DOCUMENTS)
    with ctx.lecture() as s:
        docs = list(s.scalars(select(Document).where(Document.candidature_id == candidature_id)
                              .options(selectinload(Document.versions))))
        out = [DocumentPublie(d.type, d.titre, tuple(
            VersionPubliee(v.id, v.numero, v.publie_le, v.nom_fichier, v.taille)
            for v in sorted(d.versions, key=lambda v: -v.numero))) for d in docs if d.versions]
    return sorted(out, key=lambda d: ordre.index(d.type) if d.type in ordre else len(ordre))


def contenu(ctx: Contexte, version_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of one published version."""
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        v = charger_ou_erreur(s, DocumentVersion, version_id, "Ce document n'existe plus.")
        return v.nom_fichier, v.contenu


def nom_fichier(type_doc: str, numero_candidat: str, numero_inscription: str, version: int) -> str:
    return f"{type_doc}-{numero_candidat}-{numero_inscription}-v{version}.pdf"


# --- the récapitulatif's data -------------------------------------------------------------------

def _adresse(s: Session, c: Candidature) -> tuple[str, ...]:
    lignes = [x for x in (c.adresse_voie, c.adresse_complement1, c.adresse_complement2,
                          c.adresse_complement3) if x]
    lignes.append(" ".join(x for x in (c.code_postal, (c.localite or "").upper()) if x))
    if c.adresse_pays and c.adresse_pays != PAYS_FRANCE:
        pays = s.get(Pays, c.adresse_pays)
        lignes.append((pays.nom if pays else c.adresse_pays).upper())
    return tuple(lignes)


def _lieu_naissance(s: Session, compte: CompteCandidat) -> str:
    if compte.pays_naissance == PAYS_FRANCE:
        dep = code_departement_affiche(compte.departement_naissance or "")
        return f"{compte.commune_naissance.upper()} - {dep}"
    pays = s.get(Pays, compte.pays_naissance)
    return f"{compte.commune_naissance.upper()} - {(pays.nom if pays else compte.pays_naissance).upper()}"


def en_tete_bureau(b: Bureau | VueBureau) -> EnTeteBureau:
    # Documents built in a transaction pass the row; the screens pass ``referentiel.bureau``.
    lignes = [x.upper() for x in b.adresse.splitlines() if x.strip()]
    lignes[1:1] = [b.nom_service.upper()] + ([b.bureau.upper()] if b.bureau else [])
    lignes.append(f"{b.code_postal} {b.ville.upper()}".strip())
    return EnTeteBureau(lignes=tuple(lignes), telephone=b.telephone, email=b.email, academie=b.academie)


def _acquis_imprimes(s: Session, c: Candidature) -> tuple[AcquisImprime, ...]:
    out = []
    for a in c.acquis:
        t = s.get(TypeAcquis, a.type_code)
        extra = (t.extra if t else None) or {}
        if t is not None and t.genre == "titre":
            spec = extra.get("specialite") or ""
            if extra.get("code_specialite"):
                spec = f"{spec} ({extra['code_specialite']})"
            out.append(AcquisImprime(extra.get("titre") or t.libelle, spec, a.annee, a.academie,
                                     "Epreuves dispensées dans la spécialité présentée"))
        elif a.type_code == "VAE":
            out.append(AcquisImprime("Validation des acquis de l'expérience", "Épreuves : " + ", ".join(a.dispenses),
                                     a.annee, a.academie, "Epreuves dispensées au titre de la VAE"))
        else:
            notes = ", ".join(f"{k} : {_note(v)}" for k, v in sorted(a.notes.items()))
            titre = "Déjà présenté à ce diplôme" if a.type_code == "MEME_DIPLOME" else \
                "Déjà présenté à une autre spécialité de ce diplôme"
            out.append(AcquisImprime(titre, f"Notes conservées : {notes}", a.annee, a.academie,
                                     "Bénéfice des notes égales ou supérieures à 10/20"))
    return tuple(out)


def _note(v: float) -> str:
    return f"{v:g}".replace(".", ",") + "/20"


def donnees_recapitulatif(s: Session, c: Candidature, compte: CompteCandidat, *, version: int,
                          version_le: datetime, aujourd_hui: date, brouillon: bool = False
                          ) -> DonneesRecapitulatif:
    bureau = s.get(Bureau, 1)
    session = s.get(SessionExamen, c.session_id)
    domaine = s.get(Domaine, c.domaine_code)
    periode = s.scalar(select(Periode).where(Periode.session_id == c.session_id,
                                             Periode.domaine_code == c.domaine_code))
    categorie = s.get(Categorie, c.categorie_code) if c.categorie_code else None
    etab = s.get(Etablissement, c.etablissement_uai) if c.etablissement_uai else None
    spec = s.get(Specialite, c.specialite_id) if c.specialite_id else None
    nat = s.get(Pays, c.nationalite) if c.nationalite else None
    lignes = [LigneEpreuveImprimee(
        e.code, e.intitule, e.unite, e.niveau, e.position, e.mode, e.detail,
        f"{_note(e.note)} ({e.annee_note})" if e.note is not None else None)
        for e in c.epreuves if e.groupe == 1]
    assert bureau is not None and session is not None and domaine is not None
    return DonneesRecapitulatif(
        domaine=domaine.libelle_majuscules, version=version, version_le=version_le,
        numero_candidat=compte.numero_candidat, numero_inscription=c.numero_inscription or "—",
        session=session.libelle, bureau=en_tete_bureau(bureau),
        civilite=CIVILITES.get(compte.sexe, ""), nom=compte.nom, prenoms=compte.prenoms,
        adresse=_adresse(s, c), nom_usage=compte.nom_usage, nationalite=nat.nationalite if nat else "",
        date_naissance=compte.date_naissance, lieu_naissance=_lieu_naissance(s, compte),
        telephone_mobile=regles.telephone_affiche(c.telephone_mobile) or None,
        telephone_fixe=regles.telephone_affiche(c.telephone_fixe) or None, email=c.email or compte.email,
        vae=bool(c.vae), ine=c.ine or None,
        etablissement=f"{etab.nom} - {etab.ville} ({etab.uai})" if etab and etab.ville else
        (f"{etab.nom} ({etab.uai})" if etab else None),
        categorie=categorie.libelle_court if categorie else "", handicap=bool(c.handicap),
        cloture=periode.cloture if periode else paris(version_le),
        specialite=f"{spec.intitule} ({spec.code})" if spec and spec.code else (spec.intitule if spec else ""),
        forme_passage=regles.FORMES.get(c.forme_passage or "globale", "Globale"),
        forme_finale=regles.FORMES.get(c.forme_finale or "") if c.derogation else None,
        section_langue=regles.SECTIONS_LANGUE.get(c.section_langue or "") if c.section_langue not in
        (None, "AUCUNE") else None,
        acquis=_acquis_imprimes(s, c),
        epreuves_obligatoires=tuple(x for x, e in zip(lignes, [e for e in c.epreuves if e.groupe == 1],
                                                      strict=True) if e.nature != "facultative"),
        epreuves_facultatives=tuple(x for x, e in zip(lignes, [e for e in c.epreuves if e.groupe == 1],
                                                      strict=True) if e.nature == "facultative"),
        consentement_presse=bool(c.consentement_presse),
        consentement_collectivites=bool(c.consentement_collectivites),
        mineur=age_le(compte.date_naissance, aujourd_hui) < 18, brouillon=brouillon,
        amenagement_duree=bool(c.amenagement_duree), derogation=bool(c.derogation))


def recapitulatif_pdf(donnees: DonneesRecapitulatif) -> bytes:
    from ...documents.recapitulatif import rendre_recapitulatif  # reportlab loads on first document only

    return rendre_recapitulatif(donnees)


def publier_recapitulatif(s: Session, ctx: Contexte, c: Candidature, compte: CompteCandidat) -> DocumentVersion:
    now = ctx.clock.now()
    d = donnees_recapitulatif(s, c, compte, version=c.version, version_le=now, aujourd_hui=paris(now).date())
    return publier(s, ctx, c, TypeDocument.RECAPITULATIF, recapitulatif_pdf(d),
                   nom_fichier("recapitulatif", compte.numero_candidat, c.numero_inscription, c.version))


# --- « Demande » and « Relance de pièces justificatives » ------------------------------------------

def donnees_pieces(s: Session, c: Candidature, compte: CompteCandidat, *, relance: bool, version: int,
                   version_le: datetime) -> DonneesPieces:
    """The pieces still required, grouped by mode and deadline; a relance lists only what is missing or
    refused (no file yet, Non conforme, En attente d'une nouvelle PJ)."""
    bureau = s.get(Bureau, 1)
    session = s.get(SessionExamen, c.session_id)
    domaine = s.get(Domaine, c.domaine_code)
    spec = s.get(Specialite, c.specialite_id) if c.specialite_id else None
    assert bureau is not None and session is not None and domaine is not None
    js = list(s.scalars(select(Justificatif).where(Justificatif.candidature_id == c.id,
                                                   Justificatif.requis.is_(True))
                        .order_by(Justificatif.mode_depot.desc(), Justificatif.echeance, Justificatif.id)))
    if relance:
        js = [j for j in js if a_relancer(j)]
    groupes: dict[tuple[str, datetime], list[Justificatif]] = {}
    for j in js:
        groupes.setdefault((j.mode_depot, j.echeance), []).append(j)
    entete = en_tete_bureau(bureau)
    return DonneesPieces(
        relance=relance, domaine=domaine.libelle_majuscules,
        specialite=f"{spec.intitule} ({spec.code})" if spec and spec.code else (spec.intitule if spec else ""),
        version=version, version_le=version_le, numero_candidat=compte.numero_candidat,
        numero_inscription=c.numero_inscription, session=session.libelle, bureau=entete,
        civilite=CIVILITES.get(compte.sexe, ""), nom=compte.nom, prenoms=compte.prenoms, adresse=_adresse(s, c),
        groupes=tuple(GroupePiecesImprime(
            regles_pieces.libelle_groupe(mode, g[0].ouverture, echeance), mode == regles_pieces.EN_LIGNE,
            tuple(PieceImprimee(j.piece_code, j.libelle,
                                regles_pieces.STATUTS[j.statut] if relance and j.statut in regles_pieces.A_REDEPOSER
                                else "", j.commentaire if relance else None) for j in g))
            for (mode, echeance), g in groupes.items()),
        adresse_retour=entete.lignes,
        formats=f"{regles_fichiers.FORMATS}, {regles_fichiers.TAILLE_MAX // (1024 * 1024)} Mo au maximum par fichier")


def a_relancer(j: Justificatif) -> bool:
    """Missing or refused: what a relance asks for again. A posted piece counts only when received in
    time, by its postmark when there is one (docs/domaine/justificatifs.md#courrier)."""
    if j.statut in regles_pieces.A_REDEPOSER:
        return True
    if j.mode_depot == regles_pieces.EN_LIGNE:
        return j.valide_le is None
    return j.statut != regles_pieces.CONFORME and not regles_pieces.recue_a_temps(j.date_reception, j.date_cachet,
                                                                                  j.echeance)


def _version_suivante(s: Session, c: Candidature, type_doc: str) -> int:
    doc = s.scalar(select(Document).where(Document.candidature_id == c.id, Document.type == type_doc))
    return (doc.derniere_version if doc else 0) + 1


def publier_pieces(s: Session, ctx: Contexte, c: Candidature, compte: CompteCandidat, *,
                   relance: bool) -> DocumentVersion:
    from ...documents.pieces import rendre_demande_pieces, rendre_relance_pieces

    type_doc = TypeDocument.RELANCE_PIECES if relance else TypeDocument.DEMANDE_PIECES
    version = _version_suivante(s, c, type_doc)
    d = donnees_pieces(s, c, compte, relance=relance, version=version, version_le=ctx.clock.now())
    contenu_pdf = rendre_relance_pieces(d) if relance else rendre_demande_pieces(d)
    return publier(s, ctx, c, type_doc, contenu_pdf,
                   nom_fichier(type_doc.replace("_", "-"), compte.numero_candidat, c.numero_inscription, version))
