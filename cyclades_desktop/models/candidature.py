"""Candidatures (docs/domaine/inscriptions.md): one registration of one account to one examen,
with its declared acquis and the position of every épreuve, as saved at Enregistrer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.inscriptions import ETATS_ACTIFS, EtatCandidature
from .base import Base

# ETATS_ACTIFS written out literally: the index must stay exactly as the migrations created it.
_ACTIVE_SQL = text("etat IN ('a_completer', 'inscrit')")


class Candidature(Base):
    __tablename__ = "candidature"
    __table_args__ = (
        UniqueConstraint("compte_id", "numero_inscription"),
        # One active candidature per account, session and spécialité: a désinscription frees it.
        Index("uq_candidature_active", "compte_id", "session_id", "specialite_id", unique=True,
              sqlite_where=_ACTIVE_SQL, postgresql_where=_ACTIVE_SQL),
        Index("ix_candidature_session_domaine_etat", "session_id", "domaine_code", "etat"),
        # The reviewers' grid: the candidatures of a spécialité or a portfolio.
        Index("ix_candidature_specialite_etat", "specialite_id", "etat", "session_id", "domaine_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    compte_id: Mapped[int] = mapped_column(ForeignKey("compte_candidat.id", ondelete="RESTRICT"), index=True)
    numero_inscription: Mapped[str] = mapped_column(String(3))
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id"))
    domaine_code: Mapped[str] = mapped_column(ForeignKey("domaine.code"))
    specialite_id: Mapped[str | None] = mapped_column(ForeignKey("specialite.id"))
    etat: Mapped[str] = mapped_column(String(40), default=EtatCandidature.INSCRIT)
    version: Mapped[int] = mapped_column(default=1)
    cree_le: Mapped[datetime]
    inscrit_le: Mapped[datetime | None]
    modifie_le: Mapped[datetime | None]
    etat_le: Mapped[datetime | None]
    motif_etat: Mapped[str | None] = mapped_column(Text)
    hors_periode_motif: Mapped[str | None] = mapped_column(Text)
    # Informations candidature (tab 3)
    # Checked by the services: a foreign key here would force SQLite to rebuild the table on migration.
    categorie_code: Mapped[str | None] = mapped_column(String(20))
    situation_code: Mapped[str | None] = mapped_column(String(40))
    amenagement_duree: Mapped[bool | None]
    etablissement_uai: Mapped[str | None] = mapped_column(String(12), index=True)
    classe: Mapped[str | None] = mapped_column(String(40))
    ine: Mapped[str | None] = mapped_column(String(11))
    handicap: Mapped[bool | None]
    consentement_presse: Mapped[bool | None]
    consentement_collectivites: Mapped[bool | None]
    condition_acces: Mapped[str | None] = mapped_column(String(20))
    # Qualification présentée (tab 4)
    section_langue: Mapped[str | None] = mapped_column(String(40))
    forme_passage: Mapped[str | None] = mapped_column(String(20))
    derogation: Mapped[bool | None]
    forme_finale: Mapped[str | None] = mapped_column(String(20))
    vae: Mapped[bool | None]
    # Identification (tab 2): address and contacts as given for this candidature.
    adresse_pays: Mapped[str | None] = mapped_column(String(2))
    adresse_voie: Mapped[str | None] = mapped_column(String(120))
    adresse_complement1: Mapped[str | None] = mapped_column(String(120))
    adresse_complement2: Mapped[str | None] = mapped_column(String(120))
    adresse_complement3: Mapped[str | None] = mapped_column(String(120))
    code_postal: Mapped[str | None] = mapped_column(String(10))
    localite: Mapped[str | None] = mapped_column(String(120))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    nationalite: Mapped[str | None] = mapped_column(String(2))
    telephone_mobile: Mapped[str | None] = mapped_column(String(20))
    telephone_fixe: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    # The Épreuves tab's decisions (rules.epreuves.Choix as JSON).
    choix: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    row_version: Mapped[int] = mapped_column(default=1)
    acquis: Mapped[list[AcquisCandidature]] = relationship(
        cascade="all, delete-orphan", order_by="AcquisCandidature.ordre", passive_deletes=True)
    epreuves: Mapped[list[EpreuveChoix]] = relationship(
        cascade="all, delete-orphan", order_by="EpreuveChoix.ordre", passive_deletes=True)
    __mapper_args__ = {"version_id_col": row_version}

    @property
    def active(self) -> bool:
        return self.etat in ETATS_ACTIFS


class AcquisCandidature(Base):
    """A declared acquis (docs/domaine/inscriptions.md#acquis): a situation or a prior titre, year,
    académie, grades."""

    __tablename__ = "acquis_candidature"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(default=0)
    type_code: Mapped[str] = mapped_column(ForeignKey("type_acquis.code"))
    annee: Mapped[int | None]
    academie: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    dispenses: Mapped[list[str]] = mapped_column(JSON, default=list)


class EpreuveChoix(Base):
    """A candidature's position on one épreuve, as computed and saved (printed on the récapitulatif)."""

    __tablename__ = "epreuve_choix"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"), index=True)
    ordre: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    unite: Mapped[str | None] = mapped_column(String(20))
    intitule: Mapped[str] = mapped_column(String(300))
    niveau: Mapped[int] = mapped_column(default=0)
    nature: Mapped[str] = mapped_column(String(20))
    groupe: Mapped[int] = mapped_column(default=1)
    position: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[float | None]
    annee_note: Mapped[int | None]
