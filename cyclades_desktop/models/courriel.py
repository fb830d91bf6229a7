"""The e-mail outbox (docs/domaine/courriels.md#boite-envoi): one row per message to send, kept until
delivered or given up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..rules.courriels import EtatEnvoi
from .base import Base


class EnvoiCourriel(Base):
    __tablename__ = "envoi_courriel"
    __table_args__ = (Index("ix_envoi_etat_prochain", "etat", "prochain_essai"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), unique=True)
    etat: Mapped[str] = mapped_column(String(20), default=EtatEnvoi.A_ENVOYER)
    tentatives: Mapped[int] = mapped_column(default=0)
    prochain_essai: Mapped[datetime]
    derniere_erreur: Mapped[str | None] = mapped_column(Text)
    envoye_le: Mapped[datetime | None]
    cree_le: Mapped[datetime]
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
