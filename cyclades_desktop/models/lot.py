"""Batches (printing and the other long jobs that must survive a crash): what a batch must do,
element by element, so an interrupted batch resumes where it stopped and never does an element twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..rules.impressions import EtatLot
from .base import Base


class Lot(Base):
    __tablename__ = "lot"
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(40))            # convocations, recapitulatifs, papillons…
    parametres: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sortie: Mapped[str | None] = mapped_column(Text)         # merged PDF path or folder
    etat: Mapped[str] = mapped_column(String(20), default=EtatLot.EN_COURS)
    total: Mapped[int] = mapped_column(default=0)
    cree_le: Mapped[datetime]
    cree_par: Mapped[str] = mapped_column(String(120))
    termine_le: Mapped[datetime | None]


class LotElement(Base):
    __tablename__ = "lot_element"
    __table_args__ = (Index("ix_lot_element_lot_fait", "lot_id", "fait", "ordre"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="CASCADE"))
    ordre: Mapped[int]
    candidature_id: Mapped[int | None] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    cle: Mapped[str | None] = mapped_column(String(120))     # anything else the batch iterates over
    fait: Mapped[bool] = mapped_column(default=False)
    pages: Mapped[int] = mapped_column(default=0)
    erreur: Mapped[str | None] = mapped_column(Text)
