"""Papillons de connexion (docs/domaine/organisation.md#papillons): when a login slip was printed for
an établissement's candidate. The password itself is only printed; the account keeps its hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Papillon(Base):
    __tablename__ = "papillon"
    id: Mapped[int] = mapped_column(primary_key=True)
    compte_id: Mapped[int] = mapped_column(ForeignKey("compte_candidat.id", ondelete="CASCADE"), index=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    genere_le: Mapped[datetime]
    genere_par: Mapped[str] = mapped_column(String(120))
