"""Exam organisation (docs/domaine/organisation.md): centres d'examen and their rooms, the session's
timetable of ponctual épreuves, and which room each candidate sits each épreuve in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.organisation import TypeEpreuve
from .base import Base


class CentreExamen(Base):
    """An établissement that hosts épreuves; its address is the établissement's."""

    __tablename__ = "centre_examen"
    id: Mapped[int] = mapped_column(primary_key=True)
    etablissement_uai: Mapped[str] = mapped_column(ForeignKey("etablissement.uai"), unique=True)
    # Départements whose candidates are sent here by the automatic assignment (empty: its own).
    departements: Mapped[list[str]] = mapped_column(JSON, default=list)
    actif: Mapped[bool] = mapped_column(default=True)
    row_version: Mapped[int] = mapped_column(default=1)
    salles: Mapped[list[Salle]] = relationship(
        back_populates="centre", cascade="all, delete-orphan", order_by="Salle.nom", passive_deletes=True)
    __mapper_args__ = {"version_id_col": row_version}


class Salle(Base):
    __tablename__ = "salle"
    __table_args__ = (UniqueConstraint("centre_id", "nom"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre_examen.id", ondelete="CASCADE"), index=True)
    nom: Mapped[str] = mapped_column(String(80))
    capacite: Mapped[int]
    # Specialités whose practical épreuves need this room (workshop); empty: any.
    specialites: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_version: Mapped[int] = mapped_column(default=1)
    centre: Mapped[CentreExamen] = relationship(back_populates="salles")
    __mapper_args__ = {"version_id_col": row_version}


class Creneau(Base):
    """One ponctual épreuve of a spécialité in the session's timetable."""

    __tablename__ = "creneau"
    __table_args__ = (
        UniqueConstraint("session_id", "specialite_id", "epreuve_code"),
        Index("ix_creneau_session_debut", "session_id", "debut"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id", ondelete="CASCADE"))
    specialite_id: Mapped[str] = mapped_column(ForeignKey("specialite.id"))
    epreuve_code: Mapped[str] = mapped_column(String(20))          # EpreuveChoix.code / Epreuve.code
    intitule: Mapped[str] = mapped_column(String(300))
    debut: Mapped[datetime]
    duree_minutes: Mapped[int]
    type: Mapped[str] = mapped_column(String(20), default=TypeEpreuve.ECRIT)
    modifie_le: Mapped[datetime | None]
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}


class Affectation(Base):
    """Where one candidature sits one créneau."""

    __tablename__ = "affectation"
    __table_args__ = (
        UniqueConstraint("candidature_id", "creneau_id"),
        Index("ix_affectation_salle_creneau", "salle_id", "creneau_id"),
        Index("ix_affectation_creneau", "creneau_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    creneau_id: Mapped[int] = mapped_column(ForeignKey("creneau.id", ondelete="CASCADE"))
    salle_id: Mapped[int] = mapped_column(ForeignKey("salle.id", ondelete="RESTRICT"))
    manuelle: Mapped[bool] = mapped_column(default=False)      # edited by hand: kept by a re-run
    modifie_le: Mapped[datetime]
