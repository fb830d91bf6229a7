"""Reference data: domaines, sessions and periods, spécialités and their épreuves trees,
établissements, catégories, geography, the office's identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class Domaine(Base):
    __tablename__ = "domaine"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(120))
    libelle_majuscules: Mapped[str] = mapped_column(String(120))
    ordre: Mapped[int] = mapped_column(default=0)


class SessionExamen(Base):
    __tablename__ = "session_examen"
    id: Mapped[int] = mapped_column(primary_key=True)
    annee: Mapped[int]
    libelle: Mapped[str] = mapped_column(String(60), unique=True)
    type: Mapped[str] = mapped_column(String(20), default="normale")
    source: Mapped[str | None] = mapped_column(String(60))
    periodes: Mapped[list[Periode]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                   order_by="Periode.domaine_code")
    echeances: Mapped[list[Echeance]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                     order_by="(Echeance.domaine_code, Echeance.code)")


class Periode(Base):
    """Période d'inscription grand public for one domaine in one session."""

    __tablename__ = "periode"
    __table_args__ = (UniqueConstraint("session_id", "domaine_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id", ondelete="CASCADE"))
    domaine_code: Mapped[str] = mapped_column(ForeignKey("domaine.code"))
    ouverture: Mapped[datetime]
    cloture: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(60))
    session: Mapped[SessionExamen] = relationship(back_populates="periodes")


class Echeance(Base):
    """A deadline (return of the signed confirmation, R.408 attestation…) per domaine."""

    __tablename__ = "echeance"
    __table_args__ = (UniqueConstraint("session_id", "domaine_code", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_examen.id", ondelete="CASCADE"))
    domaine_code: Mapped[str] = mapped_column(ForeignKey("domaine.code"))
    code: Mapped[str] = mapped_column(String(40))
    libelle: Mapped[str] = mapped_column(String(300))
    mode_depot: Mapped[str | None] = mapped_column(String(60))
    date_limite: Mapped[datetime]
    regle: Mapped[str] = mapped_column(String(40), default="fixe")
    consequence: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(60))
    session: Mapped[SessionExamen] = relationship(back_populates="echeances")


class Portefeuille(Base):
    """A gestionnaire's portfolio of filières (the office's organigramme, docs/domaine/README.md#roles)."""

    __tablename__ = "portefeuille"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(300))
    filieres: Mapped[list[str]] = mapped_column(JSON, default=list)


class Specialite(Base):
    __tablename__ = "specialite"
    __table_args__ = (Index("ix_specialite_domaine_cle", "domaine_code", "cle"),)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    domaine_code: Mapped[str] = mapped_column(ForeignKey("domaine.code"))
    code: Mapped[str | None] = mapped_column(String(20))
    code_cfd: Mapped[str | None] = mapped_column(String(20))
    code_rncp: Mapped[str | None] = mapped_column(String(20))
    intitule: Mapped[str] = mapped_column(String(300))
    filiere: Mapped[str | None] = mapped_column(String(120))
    secteur_industriel: Mapped[bool] = mapped_column(default=False)
    r408_requis: Mapped[bool | None]
    texte_reference: Mapped[str | None] = mapped_column(Text)
    arbre_complet: Mapped[bool] = mapped_column(default=False)
    confiance: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    actif: Mapped[bool] = mapped_column(default=True)
    cle: Mapped[str] = mapped_column(String(300), default="")
    epreuves: Mapped[list[Epreuve]] = relationship(
        back_populates="specialite", cascade="all, delete-orphan", order_by="Epreuve.ordre")


class Epreuve(Base):
    """One node of a spécialité's épreuves tree (E1 → E1-A…)."""

    __tablename__ = "epreuve"
    __table_args__ = (UniqueConstraint("specialite_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    specialite_id: Mapped[str] = mapped_column(ForeignKey("specialite.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("epreuve.id", ondelete="CASCADE"))
    ordre: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(20))
    unite: Mapped[str | None] = mapped_column(String(20))
    intitule: Mapped[str] = mapped_column(String(300))
    coefficient: Mapped[float | None]
    nature: Mapped[str] = mapped_column(String(20), default="obligatoire")
    groupe: Mapped[int] = mapped_column(default=1)
    mode_ponctuel_type: Mapped[str | None] = mapped_column(String(120))
    duree: Mapped[str | None] = mapped_column(String(120))
    domaine_epreuve: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    specialite: Mapped[Specialite] = relationship(back_populates="epreuves")
    parent: Mapped[Epreuve | None] = relationship(remote_side="Epreuve.id", back_populates="enfants")
    enfants: Mapped[list[Epreuve]] = relationship(back_populates="parent", order_by="Epreuve.ordre")


class Regle(Base):
    __tablename__ = "regle"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    domaines: Mapped[list[str]] = mapped_column(JSON, default=list)
    categorie: Mapped[str] = mapped_column(String(60))
    resume: Mapped[str] = mapped_column(Text, default="")
    parametres: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    confiance: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)


class PieceCatalogue(Base):
    __tablename__ = "piece_catalogue"
    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    libelle: Mapped[str] = mapped_column(Text)
    condition: Mapped[str | None] = mapped_column(Text)
    condition_cle: Mapped[str] = mapped_column(String(60))
    mode_depot: Mapped[str | None] = mapped_column(String(60))
    domaines: Mapped[list[str]] = mapped_column(JSON, default=list)
    echeance: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)


class Source(Base):
    __tablename__ = "source"
    id: Mapped[str] = mapped_column(String(10), primary_key=True)
    titre: Mapped[str] = mapped_column(Text)
    url_ou_chemin: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(String(120))
    autorite: Mapped[str | None] = mapped_column(String(120))


class Etablissement(Base):
    __tablename__ = "etablissement"
    uai: Mapped[str] = mapped_column(String(12), primary_key=True)
    nom: Mapped[str] = mapped_column(String(200))
    adresse: Mapped[str | None] = mapped_column(String(300))
    code_postal: Mapped[str | None] = mapped_column(String(10))
    ville: Mapped[str | None] = mapped_column(String(120))
    departement: Mapped[str | None] = mapped_column(String(4))
    telephone: Mapped[str | None] = mapped_column(String(30))
    type: Mapped[str] = mapped_column(String(40), default="etablissement")
    academie: Mapped[str | None] = mapped_column(String(80))
    cle: Mapped[str] = mapped_column(String(400), default="", index=True)


class Categorie(Base):
    __tablename__ = "categorie"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(200))
    libelle_court: Mapped[str] = mapped_column(String(200))
    famille: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(20))
    regle_mode: Mapped[str | None] = mapped_column(String(80))
    individuel: Mapped[bool] = mapped_column(default=False)
    domaines: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The mode differs by domaine for some catégories (an apprentice is « mixte » in BP, CCF elsewhere).
    modes_par_domaine: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")


class Situation(Base):
    __tablename__ = "situation"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(200))


class TypeAcquis(Base):
    """A situation or prior title of the Acquis tab, with the units it dispenses
    (docs/domaine/referentiel.md#acquis)."""

    __tablename__ = "type_acquis"
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    genre: Mapped[str] = mapped_column(String(20), default="titre")  # situation | titre
    libelle: Mapped[str] = mapped_column(Text)
    depuis: Mapped[int | None]
    domaines: Mapped[list[str]] = mapped_column(JSON, default=list)
    dispenses: Mapped[list[str]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Pays(Base):
    __tablename__ = "pays"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    alpha3: Mapped[str] = mapped_column(String(3))
    nom: Mapped[str] = mapped_column(String(120))
    nationalite: Mapped[str] = mapped_column(String(120))
    cle: Mapped[str] = mapped_column(String(120), default="", index=True)


class Departement(Base):
    __tablename__ = "departement"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    nom: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(4))
    zone: Mapped[str] = mapped_column(String(10))


class Commune(Base):
    """Current communes, arrondissements and former (déléguées/associées) ones: people born
    before a merger give the former name."""

    __tablename__ = "commune"
    __table_args__ = (Index("ix_commune_dep_cle", "departement", "cle"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code_insee: Mapped[str] = mapped_column(String(5), index=True)
    nom: Mapped[str] = mapped_column(String(120))
    departement: Mapped[str] = mapped_column(String(3))
    codes_postaux: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(30))
    commune_parente: Mapped[str | None] = mapped_column(String(5))
    cle: Mapped[str] = mapped_column(String(120))


class Bureau(Base):
    """The office's identity printed on every document (one row, id = 1)."""

    __tablename__ = "bureau"
    id: Mapped[int] = mapped_column(primary_key=True)
    academie: Mapped[str] = mapped_column(String(120))
    nom_service: Mapped[str] = mapped_column(String(200))
    bureau: Mapped[str] = mapped_column(String(200), default="")
    adresse: Mapped[str] = mapped_column(Text, default="")
    code_postal: Mapped[str] = mapped_column(String(10), default="")
    ville: Mapped[str] = mapped_column(String(120), default="")
    telephone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    site: Mapped[str] = mapped_column(String(200), default="")
    # The académie's départements: an individual bac pro candidate must live in one
    # (docs/domaine/inscriptions.md#eligibilite).
    departements: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    row_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": row_version}
