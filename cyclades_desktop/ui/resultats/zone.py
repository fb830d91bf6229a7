"""The « Résultats » area (docs/domaine/resultats.md): grade entry by lot of anonymous copies or candidate by
candidate, then the juries' deliberation.
Gestionnaires (their portfolio) and the chef de bureau; the services check again."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ...services.noyau import Contexte
from ..formulaire import nommer
from ..taches import Executeur
from .deliberation import OngletDeliberation
from .saisie import OngletSaisie
from .saisie_candidats import OngletSaisieCandidats


class ZoneResultats(QWidget):
    def __init__(self, ctx: Contexte, executeur: Executeur | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        titre = QLabel("Résultats")
        titre.setObjectName("titre")
        self.saisie = OngletSaisie(ctx)
        self.candidats = OngletSaisieCandidats(ctx)
        self.deliberation = OngletDeliberation(ctx, self.executeur)
        self.onglets = QTabWidget()
        nommer(self.onglets, "Onglets des résultats")
        for onglet, libelle in ((self.saisie, "Saisi&e par lot"), (self.candidats, "Saisie par ca&ndidat"),
                                 (self.deliberation, "Déli&bération")):
            onglet.setAccessibleName(libelle.replace("&", ""))
            self.onglets.addTab(onglet, libelle)
        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(self.onglets, 1)
        # Each tab reads again when shown: another tab or workstation may have changed its data.
        self.onglets.currentChanged.connect(lambda _i: self.actualiser())

    def actualiser(self) -> None:
        if self.onglets.currentWidget() is self.deliberation:
            self.deliberation.charger()
        elif self.onglets.currentWidget() is self.candidats:
            self.candidats.charger()
        else:
            self.saisie.charger_lots()

    def aller_a(self, libelle: str) -> QWidget:
        for i in range(self.onglets.count()):
            if self.onglets.tabText(i).replace("&", "") == libelle:
                self.onglets.setCurrentIndex(i)
                return self.onglets.widget(i)
        raise KeyError(libelle)
