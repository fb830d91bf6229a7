"""Comptes candidats (docs/domaine/comptes.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..rules.comptes import EtatCompte
from .base import Base


class CompteCandidat(Base):
    __tablename__ = "compte_candidat"
    __table_args__ = (
        # Keyset paging and prefix search by "NOM PRENOMS": (cle, id) > (?, ?) on one index.
        Index("ix_compte_cle", "cle", "id"),
        Index("ix_compte_usage", "nom_usage_cle"),
        Index("ix_compte_etat_cree", "etat", "cree_le"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    numero_candidat: Mapped[str] = mapped_column(String(11), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    # The identifier: unique whatever the case (a constraint, so two counters can't both win).
    email_normalise: Mapped[str] = mapped_column(String(254), unique=True)
    login: Mapped[str | None] = mapped_column(String(120), unique=True)
    sexe: Mapped[str] = mapped_column(String(1))
    nom: Mapped[str] = mapped_column(String(80))
    nom_usage: Mapped[str | None] = mapped_column(String(80))
    prenoms: Mapped[str] = mapped_column(String(120))
    date_naissance: Mapped[date] = mapped_column(Date)
    pays_naissance: Mapped[str] = mapped_column(ForeignKey("pays.code"))
    departement_naissance: Mapped[str | None] = mapped_column(String(3))
    commune_naissance_code: Mapped[str | None] = mapped_column(String(5))
    commune_naissance: Mapped[str] = mapped_column(String(120))
    mot_de_passe_hash: Mapped[str] = mapped_column(String(200))
    etat: Mapped[str] = mapped_column(String(20), default=EtatCompte.EN_ATTENTE)
    code_activation_hash: Mapped[str | None] = mapped_column(String(200))
    cree_le: Mapped[datetime]
    active_le: Mapped[datetime | None]
    modifie_le: Mapped[datetime | None]
    cle: Mapped[str] = mapped_column(String(210))
    nom_usage_cle: Mapped[str | None] = mapped_column(String(80))
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}

    @property
    def actif(self) -> bool:
        return self.etat == EtatCompte.ACTIF


class Sequence(Base):
    """Counters that must never go back (N° candidat): a number once given is never reused,
    even after the account is deleted."""

    __tablename__ = "sequence"
    nom: Mapped[str] = mapped_column(String(40), primary_key=True)
    valeur: Mapped[int] = mapped_column(default=0)
