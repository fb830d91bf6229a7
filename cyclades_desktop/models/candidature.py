"""Candidatures. The foundation only needs their existence (account locking, deletion refusal);
the registration issue extends this aggregate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Candidature(Base):
    __tablename__ = "candidature"
    __table_args__ = (UniqueConstraint("compte_id", "numero_inscription"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    compte_id: Mapped[int] = mapped_column(ForeignKey("compte_candidat.id", ondelete="RESTRICT"), index=True)
    numero_inscription: Mapped[str] = mapped_column(String(3))
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id"))
    domaine_code: Mapped[str] = mapped_column(ForeignKey("domaine.code"))
    specialite_id: Mapped[str | None] = mapped_column(ForeignKey("specialite.id"))
    etat: Mapped[str] = mapped_column(String(40), default="inscrit")
    version: Mapped[int] = mapped_column(default=1)
    cree_le: Mapped[datetime]
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
