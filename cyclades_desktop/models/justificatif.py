"""Pièces justificatives of a candidature (docs/domaine/justificatifs.md) and the files deposited for
them. Files live in the content-addressed store; rows keep their SHA-256 and original name."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.pieces import StatutPiece
from .base import Base


class Justificatif(Base):
    """One piece required from one candidature."""

    __tablename__ = "justificatif"
    __table_args__ = (
        UniqueConstraint("candidature_id", "piece_code"),
        # The reviewers' grid: filtered by status and paged by deadline then id.
        Index("ix_justificatif_statut_echeance", "statut", "echeance", "id"),
        Index("ix_justificatif_echeance", "echeance", "id"),
        # Counts per status without reading the table (services/justificatifs/controle.py).
        Index("ix_justificatif_statut_requis", "statut", "requis", "echeance"),
        # The grid and its counts driven by a set of candidatures (a spécialité, a portfolio, a candidate).
        Index("ix_justificatif_candidature_statut", "candidature_id", "requis", "statut", "echeance"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    piece_code: Mapped[str] = mapped_column(String(60))
    libelle: Mapped[str] = mapped_column(Text)
    mode_depot: Mapped[str] = mapped_column(String(20))          # rules.pieces.ModeDepot
    ouverture: Mapped[datetime | None]
    echeance: Mapped[datetime]
    echeance_code: Mapped[str | None] = mapped_column(String(40))
    statut: Mapped[str] = mapped_column(String(30), default=StatutPiece.AUCUN)
    date_reception: Mapped[date | None] = mapped_column(Date)
    # « Le cachet de la poste faisant foi »: when recorded, it decides whether a posted piece was in time.
    date_cachet: Mapped[date | None] = mapped_column(Date)
    commentaire: Mapped[str | None] = mapped_column(Text)
    valide_le: Mapped[datetime | None]                          # « J'ai fourni toutes mes pièces »
    depose_le: Mapped[datetime | None]                          # the current file's deposit
    # No longer required after a modification: kept with its files, hidden from the candidate's list.
    requis: Mapped[bool] = mapped_column(default=True)
    revu_par: Mapped[str | None] = mapped_column(String(120))
    revu_le: Mapped[datetime | None]
    row_version: Mapped[int] = mapped_column(default=1)
    fichiers: Mapped[list[FichierJustificatif]] = relationship(
        cascade="all, delete-orphan", order_by="FichierJustificatif.id", passive_deletes=True)
    __mapper_args__ = {"version_id_col": row_version}


class FichierJustificatif(Base):
    """A deposited file. A replaced or deleted file stays in the history (actif = False)."""

    __tablename__ = "fichier_justificatif"
    id: Mapped[int] = mapped_column(primary_key=True)
    justificatif_id: Mapped[int] = mapped_column(ForeignKey("justificatif.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    nom_original: Mapped[str] = mapped_column(String(255))
    type_mime: Mapped[str] = mapped_column(String(60))
    taille: Mapped[int]
    depose_le: Mapped[datetime]
    depose_par: Mapped[str] = mapped_column(String(120))
    actif: Mapped[bool] = mapped_column(default=True)
    retire_le: Mapped[datetime | None]
