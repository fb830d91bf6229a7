"""The worker side of batch printing: renders one chunk of a batch in a spawned
process and hands the bytes back; the main process alone writes outputs and marks elements done.

This module runs in processes started with ``spawn``: it must stay importable without Qt (nothing
from ``cyclades_desktop.ui``), and each process opens its own :class:`Database` from the URL, once.
Everything a chunk needs is loaded with a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ...models import Candidature, CompteCandidat, Document, DocumentVersion
from ...rules.inscriptions import TypeDocument
from ...storage.database import Database

CONVOCATIONS = "convocations"
RECAPITULATIFS = "recapitulatifs"
RELANCES = "relances"

# Stored documents: the batch prints the latest published version, as the candidate sees it.
TYPES_PUBLIES = {RECAPITULATIFS: TypeDocument.RECAPITULATIF, RELANCES: TypeDocument.RELANCE_PIECES}
PREFIXES = {CONVOCATIONS: "convocation", RECAPITULATIFS: "recapitulatif", RELANCES: "relance"}
ABSENTS = {
    RECAPITULATIFS: "Aucun récapitulatif publié pour cette candidature.",
    RELANCES: "Aucune relance de pièces justificatives publiée pour cette candidature.",
    CONVOCATIONS: "Aucune épreuve planifiée pour cette candidature : convocation impossible.",
}


@dataclass(frozen=True)
class ElementATraiter:
    id: int                    # LotElement.id
    ordre: int
    candidature_id: int


@dataclass
class ElementRendu:
    id: int
    ordre: int
    nom_fichier: str           # « convocation_<N° candidat>_<inscription>.pdf »
    pages: int = 0
    erreur: str | None = None
    contenu: bytes | None = None   # folder mode only


@dataclass
class MorceauRendu:
    premier: int                   # the chunk's first ordre: names its file, orders the merge
    elements: list[ElementRendu] = field(default_factory=list)
    fusion: bytes | None = None    # merged mode: the chunk's pages as one PDF


def nom_fichier(type_lot: str, numero_candidat: str, numero_inscription: str | None) -> str:
    return f"{PREFIXES[type_lot]}_{numero_candidat}_{numero_inscription or 'sans-numero'}.pdf"


_BASES: dict[str, Database] = {}


def _base(url: str) -> Database:
    # One engine per worker process for the whole batch, not one per chunk.
    if url not in _BASES:
        _BASES[url] = Database(url)
    return _BASES[url]


def rendre_morceau(url: str, type_lot: str, fusion: bool, elements: list[ElementATraiter]) -> MorceauRendu:
    """Render one chunk. A missing document is reported on its element; the chunk goes on."""
    db = _base(url)
    ids = [e.candidature_id for e in elements]
    with db.lecture() as s:
        numeros = {cid: (nc, ni) for cid, nc, ni in s.execute(
            select(Candidature.id, CompteCandidat.numero_candidat, Candidature.numero_inscription)
            .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id).where(Candidature.id.in_(ids)))}
        if type_lot in TYPES_PUBLIES:
            contenus = _versions_publiees(s, TYPES_PUBLIES[type_lot], ids)
            return _assembler(type_lot, fusion, elements, numeros, contenus)
        if type_lot == CONVOCATIONS:
            return _convocations(s, fusion, elements, numeros)
    raise ValueError(f"type de lot inconnu : {type_lot}")


def _versions_publiees(s: Session, type_doc: str, ids: list[int]) -> dict[int, bytes]:
    """The latest published version of ``type_doc`` for each candidature, in one query."""
    q = (select(Document.candidature_id, DocumentVersion.contenu)
         .join(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                     DocumentVersion.numero == Document.derniere_version))
         .where(Document.type == type_doc, Document.candidature_id.in_(ids)))
    return {cid: contenu for cid, contenu in s.execute(q)}


def _assembler(type_lot: str, fusion: bool, elements: list[ElementATraiter],
               numeros: dict[int, tuple[str, str | None]], contenus: dict[int, bytes]) -> MorceauRendu:
    from ...documents.fusion import FusionPdf, nombre_pages

    morceau = MorceauRendu(premier=elements[0].ordre)
    tampon = BytesIO()
    ecrivain = FusionPdf(tampon) if fusion else None
    for e in elements:
        numero = numeros.get(e.candidature_id)
        rendu = ElementRendu(e.id, e.ordre, nom_fichier(type_lot, *numero) if numero else "")
        morceau.elements.append(rendu)
        contenu = contenus.get(e.candidature_id)
        if numero is None:
            rendu.erreur = "Cette candidature n'existe plus."
        elif not contenu:
            rendu.erreur = ABSENTS[type_lot]
        else:
            try:
                if ecrivain is not None:
                    rendu.pages = ecrivain.ajouter(contenu)
                else:
                    rendu.pages, rendu.contenu = nombre_pages(contenu), contenu
            except Exception as exc:  # a damaged stored PDF: reported on its element, the batch goes on
                rendu.erreur = f"Le document enregistré est illisible ({type(exc).__name__})."
    if ecrivain is not None and ecrivain.pages:
        ecrivain.terminer()
        morceau.fusion = tampon.getvalue()
    return morceau


def _convocations(s: Session, fusion: bool, elements: list[ElementATraiter],
                  numeros: dict[int, tuple[str, str | None]]) -> MorceauRendu:
    """Rendered from the data (the latest published version's number, as the convocation service
    does), not from stored bytes: 20,000 convocations are drawn straight on the canvas."""
    # Imported here: the convocation renderer is only loaded by the processes that draw convocations.
    from ...documents import convocation
    from ...documents.page_directe import nouveau_canvas
    from ..organisation import contenu_convocations

    donnees = {d.candidature_id: d for d in contenu_convocations.donnees_convocations(
        s, [e.candidature_id for e in elements])}
    # One canvas for the chunk: the fonts are subset and embedded once per chunk, not once per
    # convocation (ten times cheaper); the folder mode then cuts the chunk into one file each.
    tampon = BytesIO()
    c = nouveau_canvas(tampon, titre="Convocations aux épreuves", auteur="")
    morceau = MorceauRendu(premier=elements[0].ordre)
    for e in elements:
        numero, d = numeros.get(e.candidature_id), donnees.get(e.candidature_id)
        rendu = ElementRendu(e.id, e.ordre, nom_fichier(CONVOCATIONS, *numero) if numero else "")
        morceau.elements.append(rendu)
        if numero is None or d is None:
            rendu.erreur = "Cette candidature n'existe plus." if numero is None else ABSENTS[CONVOCATIONS]
        else:
            rendu.pages = convocation.dessiner(c, d)
    if any(r.pages for r in morceau.elements):
        c.save()
        morceau.fusion = tampon.getvalue()
    if fusion or morceau.fusion is None:
        return morceau
    from ...documents.fusion import decouper

    rendus = [r for r in morceau.elements if r.pages]
    fichiers = decouper(morceau.fusion, [r.pages for r in rendus])
    morceau.fusion = None
    if fichiers is None:       # not expected from reportlab; the slow way still gives every file
        fichiers = [convocation.rendre(donnees[e.candidature_id]) for e, r in zip(elements, morceau.elements,
                                                                                   strict=True) if r.pages]
    for r, contenu in zip(rendus, fichiers, strict=True):
        r.contenu = contenu
    return morceau
