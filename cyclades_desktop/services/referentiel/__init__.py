"""The référentiel: sessions, periods, deadlines, spécialités and their épreuves trees, pièces catalogue, the office's identity; reading, editing, JSON import, first-start loading.

The names other layers and areas use; the modules behind them are the area's own."""

from .adresses import CommunePostale
from .import_json import RapportImport, analyser_import, appliquer_import
from .lecture import (
    VueBureau,
    VueCategorie,
    VueDepartement,
    VueDomaine,
    VueEcheance,
    VueEtablissement,
    VuePays,
    VuePeriode,
    VueSession,
    VueSpecialite,
    bureau,
    categories,
    code_departement_affiche,
    departements,
    domaines,
    libelle_departement,
    pays,
    rechercher_communes,
    rechercher_etablissements,
    session_par_libelle,
    sessions,
    specialites,
)
from .pieces import PieceReferentiel

# The module ``specialites`` is shadowed here by the reading function of the same name: what the
# screens need from it is named one by one.
from .specialites import NoeudEpreuve, arbre_epreuves, enregistrer_specialite, exporter_specialite

__all__ = [
    "CommunePostale",
    "NoeudEpreuve",
    "PieceReferentiel",
    "RapportImport",
    "VueBureau",
    "VueCategorie",
    "VueDepartement",
    "VueDomaine",
    "VueEcheance",
    "VueEtablissement",
    "VuePays",
    "VuePeriode",
    "VueSession",
    "VueSpecialite",
    "analyser_import",
    "appliquer_import",
    "arbre_epreuves",
    "bureau",
    "categories",
    "code_departement_affiche",
    "departements",
    "domaines",
    "enregistrer_specialite",
    "exporter_specialite",
    "libelle_departement",
    "pays",
    "rechercher_communes",
    "rechercher_etablissements",
    "session_par_libelle",
    "sessions",
    "specialites",
]
