"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from .amenagement import DecisionAmenagement
from .audit import AuditEntry
from .base import Base
from .candidature import AcquisCandidature, Candidature, EpreuveChoix
from .compte import CompteCandidat, Sequence
from .courriel import EnvoiCourriel
from .document import Document, DocumentVersion
from .justificatif import FichierJustificatif, Justificatif
from .lot import Lot, LotElement
from .message import Message
from .organisation import Affectation, CentreExamen, Creneau, Salle
from .papillon import Papillon
from .parametre import Parametre
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
from .resultat import (
    Anonymat,
    Deliberation,
    Examinateur,
    Jury,
    LotCopies,
    MembreJury,
    NoteUnite,
    Presence,
    ResultatCandidature,
)
from .staff import Agent

__all__ = [
    "AcquisCandidature", "Affectation", "Agent", "AuditEntry", "Base", "Bureau", "Candidature", "Categorie",
    "CentreExamen", "Commune", "CompteCandidat", "Creneau", "DecisionAmenagement", "Departement", "Document",
    "DocumentVersion", "Domaine", "EnvoiCourriel", "EpreuveChoix", "Echeance", "Epreuve", "Etablissement",
    "FichierJustificatif", "Justificatif", "Lot", "LotElement", "Message", "Papillon", "Parametre", "Pays",
    "Periode", "PieceCatalogue", "Portefeuille", "Regle", "Salle", "Sequence", "SessionExamen", "Situation",
    "Source", "Specialite", "TypeAcquis",
    "Anonymat", "Deliberation", "Examinateur", "Jury", "LotCopies", "MembreJury", "NoteUnite", "Presence",
    "ResultatCandidature",
]
