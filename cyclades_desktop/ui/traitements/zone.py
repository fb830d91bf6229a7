"""Traitements: the office's batches on the deadlines (docs/domaine/justificatifs.md#echeances).
Gestionnaires see the zone for the relances; annulations and écartements are the chef de bureau's
(the services check again)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ...services.noyau import Contexte
from ..formulaire import nommer
from ..taches import Executeur
from .echeances import PanneauAnnulations, PanneauEcartements
from .panneau import PanneauTraitement
from .relances import PanneauRelances


class ZoneTraitements(QWidget):
    def __init__(self, ctx: Contexte, executeur: Executeur | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        titre = QLabel("Traitements")
        titre.setObjectName("titre")
        sous_titre = QLabel("Conséquences des dates limites et relances des dossiers incomplets. Affichez "
                            "toujours la liste avant d'appliquer un traitement.")
        sous_titre.setWordWrap(True)
        self.annulations = PanneauAnnulations(ctx, self.executeur)
        self.ecartements = PanneauEcartements(ctx, self.executeur)
        self.relances = PanneauRelances(ctx, self.executeur)
        self.onglets = QTabWidget()
        nommer(self.onglets, "Traitements")
        for panneau, onglet in ((self.annulations, "A&nnulations"), (self.ecartements, "É&cartements R.408"),
                                (self.relances, "&Relances")):
            index = self.onglets.addTab(panneau, onglet)
            self.onglets.setTabToolTip(index, panneau.TITRE)
        # A gestionnaire opens the zone for the relances: start there.
        if not self.annulations.autorise and self.relances.autorise:
            self.onglets.setCurrentWidget(self.relances)
        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(sous_titre)
        box.addWidget(self.onglets, 1)

    def panneaux(self) -> list[PanneauTraitement]:
        return [self.annulations, self.ecartements, self.relances]
