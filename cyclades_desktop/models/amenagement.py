"""Aménagements d'épreuves (docs/domaine/organisation.md#amenagements): the office's decision on a
candidate's handicap request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..rules.organisation import StatutAmenagement
from .base import Base


class DecisionAmenagement(Base):
    __tablename__ = "decision_amenagement"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"), unique=True)
    statut: Mapped[str] = mapped_column(String(20), default=StatutAmenagement.DEMANDE)
    # Measures granted, as French sentences (« Majoration d'un tiers du temps », …).
    mesures: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Extra time in percent applied to the durations printed on the convocation (0: none).
    majoration_temps: Mapped[int] = mapped_column(default=0)
    motif: Mapped[str | None] = mapped_column(Text)
    decide_le: Mapped[datetime | None]
    decide_par: Mapped[str | None] = mapped_column(String(120))
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
