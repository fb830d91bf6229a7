"""Messages sent to a candidate (docs/domaine/courriels.md#messages): kept with their date, readable again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_compte_date", "compte_id", "cree_le"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    compte_id: Mapped[int] = mapped_column(ForeignKey("compte_candidat.id", ondelete="CASCADE"))
    candidature_id: Mapped[int | None] = mapped_column(ForeignKey("candidature.id", ondelete="SET NULL"))
    objet: Mapped[str] = mapped_column(String(300))
    corps: Mapped[str] = mapped_column(Text)
    destinataire: Mapped[str] = mapped_column(String(254))
    cree_le: Mapped[datetime]
