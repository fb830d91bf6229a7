"""Office settings kept in the database (SMTP server without its password, retention, backups)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Parametre(Base):
    __tablename__ = "parametre"
    cle: Mapped[str] = mapped_column(String(60), primary_key=True)
    valeur: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    modifie_le: Mapped[datetime | None]
    modifie_par: Mapped[str | None] = mapped_column(String(120))
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
