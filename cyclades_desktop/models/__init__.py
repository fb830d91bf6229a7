"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from .audit import AuditEntry
from .base import Base
from .candidature import AcquisCandidature, Candidature, EpreuveChoix
from .compte import CompteCandidat, Sequence
from .document import Document, DocumentVersion
from .justificatif import FichierJustificatif, Justificatif
from .message import Message
from .referentiel import (
    Bureau,
    Categorie,
    Commune,
    Departement,
    Domaine,
    Echeance,
    Epreuve,
    Etablissement,
    Pays,
    Periode,
    PieceCatalogue,
    Portefeuille,
    Regle,
    SessionExamen,
    Situation,
    Source,
    Specialite,
    TypeAcquis,
)
from .staff import Agent

__all__ = [
    "AcquisCandidature", "Agent", "AuditEntry", "Base", "Bureau", "Candidature", "Categorie", "Commune", "CompteCandidat",
    "Departement", "Document", "DocumentVersion", "Domaine", "EpreuveChoix", "Echeance", "Epreuve", "Etablissement", "FichierJustificatif", "Justificatif", "Message", "Pays", "Periode",
    "PieceCatalogue", "Portefeuille", "Regle", "Sequence", "SessionExamen", "Situation", "Source",
    "Specialite", "TypeAcquis",
]
