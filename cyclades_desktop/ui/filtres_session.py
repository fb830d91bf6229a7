"""The Session / Examen (/ Spécialité) filters of the batch screens (Impressions, Traitements,
Publication des convocations): the référentiel's sessions, « Tous les examens » then each examen, and
the spécialités of the examen chosen. One object fills and names the combos and their labels; each
screen lays them out its own way (form rows or one line), so the screens keep their look.

    filtres = FiltresSession(ctx, self, session="&Session", examen="E&xamen")
    for libelle, combo in filtres.libelles:
        ligne.addWidget(libelle)
        ligne.addWidget(combo)
    session_id, domaine = filtres.session.currentData(), filtres.examen.currentData()"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from ..rules.errors import DomainError
from ..services import referentiel
from ..services.noyau import Contexte
from .formulaire import nommer, signaler

TOUS_LES_EXAMENS = "Tous les examens"
TOUTES_LES_SPECIALITES = "Toutes les spécialités"
TITRE_ERREUR = "Lecture du référentiel impossible"


class FiltresSession:
    """``session``, ``examen``, ``specialite``: each combo's label with its mnemonic (the accessible
    name is the label without « & » nor « : »); None leaves that filter out."""

    def __init__(self, ctx: Contexte, parent: QWidget, *, session: str | None = "&Session",
                 examen: str = "E&xamen", specialite: str | None = None) -> None:
        self.ctx = ctx
        self.parent = parent           # where a référentiel error is shown
        self.session, self.examen, self.specialite = QComboBox(), QComboBox(), QComboBox()
        self.libelles: list[tuple[QLabel, QComboBox]] = []
        for texte, combo in ((session, self.session), (examen, self.examen), (specialite, self.specialite)):
            if texte is not None:
                libelle = QLabel(texte)
                libelle.setBuddy(combo)
                nommer(combo, texte.replace("&", "").rstrip(" :"))
                self.libelles.append((libelle, combo))
        try:
            if session is not None:
                for se in referentiel.sessions(ctx):
                    self.session.addItem(se.libelle, se.id)
            self.examen.addItem(TOUS_LES_EXAMENS, None)
            for d in referentiel.domaines(ctx):
                self.examen.addItem(f"{d.libelle} ({d.code})", d.code)
        except DomainError as exc:
            signaler(parent, exc, titre=TITRE_ERREUR)
        if specialite is not None:
            self._remplir_specialites()
            # Connected once filled: adding the first examen already changes the current index.
            self.examen.currentIndexChanged.connect(self._remplir_specialites)

    def combos(self) -> list[QComboBox]:
        return [combo for _libelle, combo in self.libelles]

    def _remplir_specialites(self) -> None:
        self.specialite.clear()
        self.specialite.addItem(TOUTES_LES_SPECIALITES, None)
        domaine = self.examen.currentData()
        if domaine is None:
            return                          # hundreds of spécialités: chosen within one examen
        try:
            for sp in referentiel.specialites(self.ctx, domaine):
                self.specialite.addItem(f"{sp.intitule} ({sp.code})" if sp.code else sp.intitule, sp.id)
        except DomainError as exc:
            signaler(self.parent, exc, titre=TITRE_ERREUR)
