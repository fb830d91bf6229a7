"""Published documents (docs/domaine/documents.md#versions): per candidature, each type versioned,
« Version n°N mis à jour le … ». The PDF bytes are kept in the database so that a version and
its content are written in the same transaction: no version without its file, on both engines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Base


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("candidature_id", "type"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))         # rules.inscriptions.TypeDocument
    titre: Mapped[str] = mapped_column(String(200))
    derniere_version: Mapped[int] = mapped_column(default=0)
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentVersion.numero",
        passive_deletes=True)


class DocumentVersion(Base):
    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "numero"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    numero: Mapped[int]
    publie_le: Mapped[datetime]
    publie_par: Mapped[str] = mapped_column(String(120))
    nom_fichier: Mapped[str] = mapped_column(String(200))
    taille: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: listing versions never loads the PDFs.
    contenu: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    document: Mapped[Document] = relationship(back_populates="versions")
