"""The Référentiel area: everyone with REFERENTIEL_LIRE browses it, the chef de bureau edits it
(the services refuse anyone else whatever the screen shows)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ...services.noyau import Contexte, P, autorise
from .bureau import OngletBureau
from .listes import OngletCategories, OngletEtablissements
from .pieces import OngletPieces
from .sessions import OngletSessions
from .specialites import OngletSpecialites


class ZoneReferentiel(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        self.ecriture = autorise(ctx, P.REFERENTIEL_ECRIRE)
        titre = QLabel("Référentiel")
        titre.setObjectName("titre")
        self.onglets = QTabWidget()
        self.onglets.setAccessibleName("Onglets du référentiel")
        self.bureau = OngletBureau(ctx, self.ecriture)
        self.sessions = OngletSessions(ctx, self.ecriture)
        self.specialites = OngletSpecialites(ctx, self.ecriture)
        self.etablissements = OngletEtablissements(ctx)
        self.categories = OngletCategories(ctx)
        self.pieces = OngletPieces(ctx, self.ecriture)
        for onglet, libelle in ((self.bureau, "Bureau"), (self.sessions, "Sessions et périodes"),
                                (self.specialites, "Spécialités"), (self.etablissements, "Établissements"),
                                (self.categories, "Catégories"), (self.pieces, "Pièces justificatives")):
            onglet.setAccessibleName(libelle)
            self.onglets.addTab(onglet, libelle)
        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(self.onglets, 1)

    def aller_a(self, libelle: str) -> QWidget:
        """Show a tab by its label (keyboard users switch with Ctrl+Tab)."""
        for i in range(self.onglets.count()):
            if self.onglets.tabText(i) == libelle:
                self.onglets.setCurrentIndex(i)
                return self.onglets.widget(i)
        raise KeyError(libelle)
