"""Tab « Conflits »: people with two épreuves at overlapping times (across their candidatures),
to be solved before the convocations go out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...rules.temps import format_date_heure, paris
from ...services import organisation
from ...services.noyau import Contexte
from ..referentiel.commun import bouton, rangee, remplir, tableau


def _quand(e: organisation.EpreuveCandidat) -> str:
    return f"{format_date_heure(e.debut)}–{paris(e.fin):%H:%M}"


class OngletConflits(QWidget):
    def __init__(self, ctx: Contexte, filtres: Callable[[], tuple[int | None, str | None]]) -> None:
        super().__init__()
        self.ctx, self.filtres = ctx, filtres
        self.conflits: list[organisation.Conflit] = []
        self.bilan = QLabel()
        self.bilan.setObjectName("sous_titre")
        self.bilan.setAccessibleName("Nombre de conflits")
        self.table = tableau("Conflits d'horaires", [
            "N° candidat", "Nom", "Épreuve 1", "Horaire 1", "Candidature 1", "Épreuve 2", "Horaire 2",
            "Candidature 2"], largeurs={2: 220, 4: 200, 5: 220, 7: 200})
        self.b_actualiser = bouton("Act&ualiser", "F5")
        self.b_actualiser.clicked.connect(self.charger)
        box = QVBoxLayout(self)
        box.addLayout(rangee(self.bilan, self.b_actualiser))
        box.addWidget(QLabel("Une même personne (toutes candidatures confondues) convoquée à deux épreuves qui se "
                             "chevauchent : modifiez le planning avant l'envoi des convocations."))
        box.addWidget(self.table, 1)

    def charger(self) -> None:
        session_id, specialite_id = self.filtres()
        tous = organisation.conflits(self.ctx, session_id) if session_id else []
        if specialite_id:
            tous = [k for k in tous if specialite_id in (k.a.specialite_id, k.b.specialite_id)]
        self.conflits = tous
        n = len(tous)
        self.bilan.setText("Aucun conflit d'horaires" if not n else
                           f"{n} conflit{'s' if n > 1 else ''} d'horaires à résoudre")
        remplir(self.table, [[k.numero_candidat, k.nom, k.a.epreuve, _quand(k.a),
                              f"n° {k.a.numero_inscription} — {k.a.specialite}", k.b.epreuve, _quand(k.b),
                              f"n° {k.b.numero_inscription} — {k.b.specialite}"] for k in tous],
                [k.compte_id for k in tous])
