"""Exam organisation: centres and rooms, the timetable, seating and room capacity, clashes, convocations and aménagements.

The names other layers and areas use; the modules behind them are the area's own."""

from ...rules.organisation import SaisieDecision
from .affectation import RapportAffectation, affecter_automatiquement
from .amenagements import VueDecision
from .centres import (
    VueCentre,
    VueSalle,
    ajouter_salle,
    creer_centre,
    etablissements_possibles,
    lister_centres,
    modifier_centre,
    modifier_salle,
    supprimer_centre,
    supprimer_salle,
)
from .conflits_horaires import Conflit, EpreuveCandidat, conflits
from .placements import (
    FiltreAffectations,
    LigneAffectation,
    deplacer,
    lister_affectations,
    occupation,
    salles_possibles,
)
from .planning import (
    SaisieCreneau,
    VueCreneau,
    enregistrer_creneau,
    epreuves_planifiables,
    lister_creneaux,
    saisie_creneau,
    supprimer_creneau,
)

__all__ = [
    "Conflit",
    "EpreuveCandidat",
    "FiltreAffectations",
    "LigneAffectation",
    "RapportAffectation",
    "SaisieCreneau",
    "SaisieDecision",
    "VueCentre",
    "VueCreneau",
    "VueDecision",
    "VueSalle",
    "affecter_automatiquement",
    "ajouter_salle",
    "conflits",
    "creer_centre",
    "deplacer",
    "enregistrer_creneau",
    "epreuves_planifiables",
    "etablissements_possibles",
    "lister_affectations",
    "lister_centres",
    "lister_creneaux",
    "modifier_centre",
    "modifier_salle",
    "occupation",
    "saisie_creneau",
    "salles_possibles",
    "supprimer_centre",
    "supprimer_creneau",
    "supprimer_salle",
]
