"""The « Organisation des examens » area: one session and spécialité filter on top of four tabs
(Centres et salles, Planning des épreuves, Affectations, Conflits, Publication des convocations). Gestionnaires read it; the
chef de bureau edits it (the services check again)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from ...services import referentiel
from ...services.noyau import Contexte, P, autorise
from ..formulaire import nommer
from ..referentiel.commun import rangee
from ..taches import Executeur
from .affectations import OngletAffectations
from .centres import OngletCentres
from .conflits import OngletConflits
from .planning import OngletPlanning
from .publication import OngletPublication


class ZoneOrganisation(QWidget):
    def __init__(self, ctx: Contexte, executeur: Executeur | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.ecriture = autorise(ctx, P.ORGANISATION_GERER)
        self.executeur = executeur or Executeur()
        titre = QLabel("Organisation des examens")
        titre.setObjectName("titre")
        self.session = nommer(QComboBox(), "Session")                   # type: ignore[assignment]
        sessions = referentiel.sessions(ctx)
        for se in sessions:
            self.session.addItem(se.libelle, se.id)
        # The most recent session is the one being organised.
        self.session.setCurrentIndex(max(0, self.session.findData(max((se.annee, se.id) for se in sessions)[1]))
                                     if sessions else -1)
        self.specialite = nommer(QComboBox(), "Spécialité")             # type: ignore[assignment]
        self.specialite.addItem("Toutes les spécialités", None)
        specialites = [(sp.id, f"{sp.domaine_code} {sp.code or ''} — {sp.intitule}")
                       for sp in referentiel.specialites(ctx)]
        for code, libelle in specialites:
            self.specialite.addItem(libelle, code)
        l_session, l_specialite = QLabel("&Session :"), QLabel("Spé&cialité :")
        l_session.setBuddy(self.session)
        l_specialite.setBuddy(self.specialite)

        self.centres = OngletCentres(ctx, self.ecriture)
        self.planning = OngletPlanning(ctx, self.ecriture, self.filtres, specialites)
        self.affectations = OngletAffectations(ctx, self.ecriture, self.filtres, self.executeur, self.actualiser)
        self.conflits = OngletConflits(ctx, self.filtres)
        self.publication = OngletPublication(ctx, self.filtres, self.executeur)
        self.onglets = QTabWidget()
        nommer(self.onglets, "Onglets de l'organisation")
        for onglet, libelle in ((self.centres, "Cen&tres et salles"), (self.planning, "Plannin&g des épreuves"),
                                (self.affectations, "&Affectations"), (self.conflits, "C&onflits"),
                                (self.publication, "Pu&blication des convocations")):
            onglet.setAccessibleName(libelle.replace("&", ""))
            self.onglets.addTab(onglet, libelle)
        self.session.currentIndexChanged.connect(lambda _i: self.actualiser())
        self.specialite.currentIndexChanged.connect(lambda _i: self.actualiser())
        self.onglets.currentChanged.connect(lambda _i: self.actualiser())
        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addLayout(rangee(l_session, self.session, l_specialite, self.specialite))
        box.addWidget(self.onglets, 1)
        self.actualiser()

    def filtres(self) -> tuple[int | None, str | None]:
        return self.session.currentData(), self.specialite.currentData()

    def actualiser(self) -> None:
        """Reload the tab on show (its data may have changed in another tab or workstation)."""
        onglet = self.onglets.currentWidget()
        if onglet is self.centres:
            self.centres.charger()
        elif onglet is self.planning:
            self.planning.charger()
        elif onglet is self.affectations:
            self.affectations.charger()
        elif onglet is self.conflits:
            self.conflits.charger()
        elif onglet is self.publication:
            self.publication.charger()

    def aller_a(self, libelle: str) -> QWidget:
        for i in range(self.onglets.count()):
            if self.onglets.tabText(i).replace("&", "") == libelle:
                self.onglets.setCurrentIndex(i)
                return self.onglets.widget(i)
        raise KeyError(libelle)
