"""Office staff who sign in: agents d'accueil, gestionnaires, chefs de bureau."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Agent(Base):
    __tablename__ = "agent"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    nom: Mapped[str] = mapped_column(String(80))
    prenom: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    telephone: Mapped[str | None] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(20))            # rules.personnel.Role
    portefeuilles: Mapped[list[str]] = mapped_column(JSON, default=list)
    mot_de_passe_hash: Mapped[str] = mapped_column(String(200))
    actif: Mapped[bool] = mapped_column(default=True)
    cree_le: Mapped[datetime]
    derniere_connexion: Mapped[datetime | None]
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
