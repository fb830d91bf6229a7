"""Exam days, grades and results (docs/domaine/resultats.md): presences from the liste d'émargement,
anonymat numbers and lots of copies, examiners and juries, the grades per unit with their double entry,
the deliberations and the versioned result of each candidature. Vocabularies: rules/resultats.py."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..rules.resultats import EtatDeliberation, EtatLot, StatutResultat
from .base import Base

# A grade /20 with two decimals (RES-7); averages keep four (truncated) so that a 9,9950 is never shown
# or stored as a 10 (rules.deliberation_donnees.fr).
NOTE = Numeric(4, 2)
MOYENNE = Numeric(7, 4)


class Presence(Base):
    """One candidate at one créneau, as the liste d'émargement says (RES-2)."""

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("candidature_id", "creneau_id"), Index("ix_presence_creneau", "creneau_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    creneau_id: Mapped[int] = mapped_column(ForeignKey("creneau.id", ondelete="CASCADE"))
    etat: Mapped[str] = mapped_column(String(20))
    justification: Mapped[str | None] = mapped_column(Text)
    saisi_par: Mapped[str] = mapped_column(String(120))
    saisi_le: Mapped[datetime]
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}


class Examinateur(Base):
    """A correcteur (written) or examinateur (oral, practical), possibly a jury's president (RES-6)."""

    __tablename__ = "examinateur"
    id: Mapped[int] = mapped_column(primary_key=True)
    nom: Mapped[str] = mapped_column(String(80))
    prenom: Mapped[str] = mapped_column(String(80))
    discipline: Mapped[str] = mapped_column(String(120), default="")
    # Checked by the services against the référentiel, like candidature.etablissement_uai.
    etablissement_uai: Mapped[str | None] = mapped_column(String(12))
    email: Mapped[str | None] = mapped_column(String(254))
    actif: Mapped[bool] = mapped_column(default=True)
    cle: Mapped[str] = mapped_column(String(210), default="", index=True)
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}


class Jury(Base):
    """A jury for a spécialité or a group of them, or for a whole domaine when ``specialites`` is empty."""

    __tablename__ = "jury"
    __table_args__ = (UniqueConstraint("session_id", "libelle"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id", ondelete="RESTRICT"))
    domaine_code: Mapped[str] = mapped_column(ForeignKey("domaine.code"))
    libelle: Mapped[str] = mapped_column(String(120))
    specialites: Mapped[list[str]] = mapped_column(JSON, default=list)
    president_id: Mapped[int] = mapped_column(ForeignKey("examinateur.id", ondelete="RESTRICT"))
    row_version: Mapped[int] = mapped_column(default=1)
    membres: Mapped[list[MembreJury]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                     order_by="MembreJury.id")
    __mapper_args__ = {"version_id_col": row_version}


class MembreJury(Base):
    __tablename__ = "jury_membre"
    __table_args__ = (UniqueConstraint("jury_id", "examinateur_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    jury_id: Mapped[int] = mapped_column(ForeignKey("jury.id", ondelete="CASCADE"))
    examinateur_id: Mapped[int] = mapped_column(ForeignKey("examinateur.id", ondelete="RESTRICT"), index=True)


class LotCopies(Base):
    """Anonymous copies of one written épreuve handed to one correcteur (RES-4)."""

    __tablename__ = "lot_copies"
    __table_args__ = (UniqueConstraint("session_id", "specialite_id", "epreuve_code", "numero"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id", ondelete="RESTRICT"))
    specialite_id: Mapped[str] = mapped_column(ForeignKey("specialite.id"))
    epreuve_code: Mapped[str] = mapped_column(String(20))
    numero: Mapped[int]                                   # 1, 2… per épreuve
    correcteur_id: Mapped[int | None] = mapped_column(ForeignKey("examinateur.id", ondelete="RESTRICT"))
    etat: Mapped[str] = mapped_column(String(20), default=EtatLot.A_CORRIGER)
    cree_le: Mapped[datetime]
    cree_par: Mapped[str] = mapped_column(String(120))
    leve_le: Mapped[datetime | None]
    leve_par: Mapped[str | None] = mapped_column(String(120))
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}


class Anonymat(Base):
    """The anonymat number of one candidature's copy of one épreuve: random, unique in the session (RES-4).
    The table of correspondence is this table: only the chef reads it with the candidates' names."""

    __tablename__ = "anonymat"
    __table_args__ = (
        UniqueConstraint("candidature_id", "epreuve_code"),
        Index("uq_anonymat_session_numero", "session_id", "numero", unique=True),
        Index("ix_anonymat_epreuve", "session_id", "specialite_id", "epreuve_code"),
        Index("ix_anonymat_lot", "lot_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id", ondelete="RESTRICT"))
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    specialite_id: Mapped[str] = mapped_column(ForeignKey("specialite.id"))
    epreuve_code: Mapped[str] = mapped_column(String(20))
    numero: Mapped[str] = mapped_column(String(12))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot_copies.id", ondelete="SET NULL"))
    cree_le: Mapped[datetime]


class NoteUnite(Base):
    """One candidature's grade for one unit: a value /20 or a mark (ABS, ABJ, DI), never both (RES-7).
    ``groupe`` 2 holds the épreuve de contrôle's grade against the unit it re-assesses (RES-10). The second
    entry, by another operator, is kept beside the first; they differ until someone settles it."""

    __tablename__ = "note_unite"
    __table_args__ = (
        UniqueConstraint("candidature_id", "unite_code", "groupe"),
        CheckConstraint("(valeur IS NULL) <> (marque IS NULL)", name="valeur_ou_marque"),
        CheckConstraint("valeur IS NULL OR (valeur >= 0 AND valeur <= 20)", name="note_sur_20"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    unite_code: Mapped[str] = mapped_column(String(20))                 # the engine's unit code (E1-A)
    groupe: Mapped[int] = mapped_column(default=1)
    valeur: Mapped[Decimal | None] = mapped_column(NOTE)
    marque: Mapped[str | None] = mapped_column(String(3))
    origine: Mapped[str] = mapped_column(String(20))
    verrouillee: Mapped[bool] = mapped_column(default=False)            # a bénéfice: not entered again
    annee_origine: Mapped[int | None]                                   # a bénéfice's session year
    saisie_par: Mapped[str] = mapped_column(String(120))
    saisie_le: Mapped[datetime]
    seconde_valeur: Mapped[Decimal | None] = mapped_column(NOTE)
    seconde_marque: Mapped[str | None] = mapped_column(String(3))
    seconde_par: Mapped[str | None] = mapped_column(String(120))
    seconde_le: Mapped[datetime | None]
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}


class Deliberation(Base):
    """A jury's deliberation, per tour (1st group; 2nd after the épreuve de contrôle). Closed once the
    president's signature of the procès-verbal is recorded; never deliberated again (RES-14)."""

    __tablename__ = "deliberation"
    __table_args__ = (UniqueConstraint("jury_id", "tour"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    jury_id: Mapped[int] = mapped_column(ForeignKey("jury.id", ondelete="RESTRICT"))
    tour: Mapped[int] = mapped_column(default=1)
    etat: Mapped[str] = mapped_column(String(20), default=EtatDeliberation.OUVERTE)
    ouverte_le: Mapped[datetime]
    ouverte_par: Mapped[str] = mapped_column(String(120))
    calculee_le: Mapped[datetime | None]
    decisions_le: Mapped[datetime | None]
    decisions_par: Mapped[str | None] = mapped_column(String(120))
    signee_le: Mapped[datetime | None]
    signee_par: Mapped[str | None] = mapped_column(String(200))        # the president, by name
    signature_saisie_par: Mapped[str | None] = mapped_column(String(120))
    close_le: Mapped[datetime | None]
    close_par: Mapped[str | None] = mapped_column(String(120))
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}


class ResultatCandidature(Base):
    """One version of a candidature's result. Version 1 comes from the 1st-group deliberation; the
    deliberation after contrôle and every later correction (chef, motif) add a version, the highest being
    the current one; none is ever rewritten once its deliberation is closed."""

    __tablename__ = "resultat"
    __table_args__ = (UniqueConstraint("candidature_id", "version"), Index("ix_resultat_deliberation", "deliberation_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    candidature_id: Mapped[int] = mapped_column(ForeignKey("candidature.id", ondelete="CASCADE"))
    deliberation_id: Mapped[int] = mapped_column(ForeignKey("deliberation.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(default=1)
    statut: Mapped[str] = mapped_column(String(20), default=StatutResultat.PROPOSE)
    decision: Mapped[str] = mapped_column(String(40))                    # rules.deliberation.Decision name
    mention: Mapped[str | None] = mapped_column(String(20))              # Mention name
    moyenne_generale: Mapped[Decimal | None] = mapped_column(MOYENNE)
    moyenne_professionnelle: Mapped[Decimal | None] = mapped_column(MOYENNE)
    moyenne_enseignement_general: Mapped[Decimal | None] = mapped_column(MOYENNE)
    moyenne_avant_jury: Mapped[Decimal | None] = mapped_column(MOYENNE)
    moyenne_premier_groupe: Mapped[Decimal | None] = mapped_column(MOYENNE)
    points_facultatives: Mapped[Decimal] = mapped_column(MOYENNE, default=Decimal(0))
    points_jury: Mapped[Decimal] = mapped_column(NOTE, default=Decimal(0))
    points_jury_par: Mapped[str | None] = mapped_column(String(120))
    points_jury_le: Mapped[datetime | None]
    points_jury_motif: Mapped[str | None] = mapped_column(Text)
    unites_acquises: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)   # code → "12.50"
    unites_a_presenter: Mapped[list[str]] = mapped_column(JSON, default=list)
    explications: Mapped[list[str]] = mapped_column(JSON, default=list)
    calcule_le: Mapped[datetime]
    decide_le: Mapped[datetime | None]
    decide_par: Mapped[str | None] = mapped_column(String(120))          # who recorded it
    au_nom_de: Mapped[str | None] = mapped_column(String(200))           # the jury's president
    corrige_le: Mapped[datetime | None]
    corrige_par: Mapped[str | None] = mapped_column(String(120))
    motif_correction: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
