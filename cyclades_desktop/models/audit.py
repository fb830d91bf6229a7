"""The audit trail: every write by staff, append-only (database triggers refuse UPDATE/DELETE)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditEntry(Base):
    __tablename__ = "audit"
    __table_args__ = (
        Index("ix_audit_entite", "entite", "entite_id"),
        Index("ix_audit_horodatage", "horodatage"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    horodatage: Mapped[datetime]
    # Login and name are copied so that the row stays readable if the staff account changes.
    agent_id: Mapped[int | None]
    agent_login: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(60))
    entite: Mapped[str] = mapped_column(String(60))
    entite_id: Mapped[str] = mapped_column(String(80))
    libelle: Mapped[str] = mapped_column(String(300), default="")
    avant: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    apres: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    motif: Mapped[str | None] = mapped_column(Text)
    # Tamper evidence over the previous row's hash and this row's content: HMAC-SHA256 under the office's
    # key (« h1:<key id>:<base64url> », 55 characters), or a bare SHA-256 for rows written before the key
    # (rules/audit.py; docs/domaine/rgpd.md#journal-audit).
    empreinte_precedente: Mapped[str | None] = mapped_column(String(64))
    empreinte: Mapped[str | None] = mapped_column(String(64))
