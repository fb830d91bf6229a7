"""Invariants that must hold after any crash: what ``verifier-integrite`` and the
SIGKILL test check on both engines. Each returns French sentences, one per problem."""

from __future__ import annotations

import hashlib

from sqlalchemy import exists, func, select

from ...models import (
    Candidature,
    CompteCandidat,
    Document,
    DocumentVersion,
    EpreuveChoix,
    FichierJustificatif,
)
from ...rules.inscriptions import TypeDocument
from ...storage.fichiers import depot_de
from .contexte import Contexte

LIMITE = 50   # problems reported per kind: enough to act, never a flood


def _numero(c: Candidature, numero_candidat: str) -> str:
    return f"{numero_candidat}-{c.numero_inscription}"


def invariants(ctx: Contexte, *, versions_depuis: int = 0, presence_fichiers: bool = True) -> list[str]:
    """``versions_depuis``: check the bytes of document versions with a greater id only (versions are
    never rewritten, so a caller checking again and again need not re-read them all).
    ``presence_fichiers=False``: the caller hashes every stored file itself (verifier-integrite)."""
    problemes: list[str] = []
    with ctx.lecture() as s:
        base = select(Candidature, CompteCandidat.numero_candidat).join(
            CompteCandidat, CompteCandidat.id == Candidature.compte_id)
        # A candidature is written in one transaction with its épreuves and its récapitulatif.
        sans_epreuves = base.where(~exists().where(EpreuveChoix.candidature_id == Candidature.id)).limit(LIMITE)
        for c, num in s.execute(sans_epreuves):
            problemes.append(f"Candidature {_numero(c, num)} sans épreuves.")
        recap = (select(DocumentVersion.id).join(Document, Document.id == DocumentVersion.document_id)
                 .where(Document.candidature_id == Candidature.id, Document.type == TypeDocument.RECAPITULATIF))
        for c, num in s.execute(base.where(~recap.exists()).limit(LIMITE)):
            problemes.append(f"Candidature {_numero(c, num)} sans récapitulatif publié.")
        # The last version number of each document matches its versions.
        derniers = (select(Document.id, Document.derniere_version, func.max(DocumentVersion.numero),
                           func.count(DocumentVersion.id))
                    .outerjoin(DocumentVersion, DocumentVersion.document_id == Document.id)
                    .group_by(Document.id, Document.derniere_version))
        for doc_id, derniere, maxi, nombre in s.execute(derniers):
            if (maxi or 0) != derniere or nombre != derniere:
                problemes.append(f"Document {doc_id} : dernière version n° {derniere}, versions présentes "
                                 f"{nombre} (n° max {maxi or 0}).")
        # Each version's bytes match their recorded size and SHA-256 (read in batches, not all at once).
        q = select(DocumentVersion.id, DocumentVersion.taille, DocumentVersion.sha256, DocumentVersion.contenu)
        q = q.where(DocumentVersion.id > versions_depuis)
        for vid, taille, sha, contenu in s.execute(q.execution_options(yield_per=200)):
            contenu = bytes(contenu or b"")
            if len(contenu) != taille or hashlib.sha256(contenu).hexdigest() != sha:
                problemes.append(f"Version de document {vid} : contenu absent ou différent de son empreinte.")
        depot = depot_de(ctx.db)
        manquants = [h for h in s.scalars(select(FichierJustificatif.sha256).distinct())
                     if presence_fichiers and not depot.existe(h)]
    problemes += [f"Pièce déposée {h[:12]}… absente du dépôt des fichiers ({depot.racine})." for h in manquants]
    return problemes
