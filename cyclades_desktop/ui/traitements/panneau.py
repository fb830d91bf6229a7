"""What the three batch panels share: Session and Examen filters, « Afficher la liste » (the list and
its count), « Appliquer… » behind a non-blocking confirmation quoting the count, and a result line.
The work itself runs through the background runner; subclasses say which services to call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from ...rules.errors import DomainError
from ...services.justificatifs import LigneTraitement
from ...services.noyau import Contexte, P, autorise
from ..filtres_session import FiltresSession
from ..formulaire import STYLE_AIDE, confirmer, nommer, signaler
from ..tables import table_lecture
from ..taches import Executeur, Tache
from .modele import ModeleLignes


class PanneauTraitement(QWidget):
    TITRE = ""
    EXPLICATION = ""
    PERMISSION = P.MAINTENANCE
    REFUS = "Réservé au chef de bureau."
    COLONNE_PIECE = "Pièce"
    LARGEUR_PIECE = 120
    TITRE_CONFIRMATION = ""
    DESTRUCTIF = False     # Entrée must not confirm what cannot be undone (annulations, écartements)

    def __init__(self, ctx: Contexte, executeur: Executeur) -> None:
        super().__init__()
        self.ctx = ctx
        self.executeur = executeur
        self.tache: Tache | None = None
        self.autorise = autorise(ctx, self.PERMISSION)
        nommer(self, self.TITRE)
        titre = QLabel(self.TITRE)
        titre.setObjectName("sous_titre")
        explication = QLabel(self.EXPLICATION)
        explication.setWordWrap(True)
        self.refus = QLabel(self.REFUS)
        nommer(self.refus, "Accès")
        self.refus.setStyleSheet(STYLE_AIDE)
        self.refus.setVisible(not self.autorise)

        self.modele = ModeleLignes(self.COLONNE_PIECE)
        self.table = table_lecture(f"Liste : {self.TITRE}", self.modele)
        entete = self.table.horizontalHeader()
        # Fixed widths (no ResizeToContents: a list may hold thousands of rows); the candidature stretches.
        for colonne, largeur in ((0, 110), (1, 170), (3, self.LARGEUR_PIECE), (4, 230)):
            self.table.setColumnWidth(colonne, largeur)
        entete.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.compteur = QLabel("Choisissez la session et l'examen, puis affichez la liste.")
        nommer(self.compteur, "Nombre de candidatures")
        self.resultat = QLabel()
        nommer(self.resultat, "Résultat")
        self.resultat.setStyleSheet("font-weight: 600;")
        self.resultat.setWordWrap(True)
        self.resultat.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(explication)
        box.addWidget(self.refus)
        box.addLayout(self._construire_filtres())
        box.addWidget(self.table, 1)
        bas = QHBoxLayout()
        bas.addWidget(self.compteur, 1)
        self.bouton_appliquer = QPushButton(self.libelle_appliquer())
        nommer(self.bouton_appliquer, self.libelle_appliquer().replace("&", ""))
        self.bouton_appliquer.setAutoDefault(False)
        self.bouton_appliquer.clicked.connect(self.appliquer)
        bas.addWidget(self.bouton_appliquer)
        box.addLayout(bas)
        box.addWidget(self.resultat)
        self._etat_boutons()

    # --- to be provided by each panel ------------------------------------------------------------
    def libelle_appliquer(self) -> str:
        return "&Appliquer…"

    def lister(self, session_id: int, domaine: str | None) -> list[LigneTraitement]:
        raise NotImplementedError

    def texte_compte(self, n: int) -> str:
        raise NotImplementedError

    def texte_confirmation(self, n: int) -> str:
        raise NotImplementedError

    def executer(self, lignes: list[LigneTraitement]) -> None:
        """Start the work through ``self.executeur``; call ``self.fini`` when it is over."""
        raise NotImplementedError

    # --- construction ----------------------------------------------------------------------------
    def _construire_filtres(self) -> QHBoxLayout:
        ligne = QHBoxLayout()
        self.filtres_session = FiltresSession(self.ctx, self, session="&Session", examen="E&xamen")
        self.session, self.examen = self.filtres_session.session, self.filtres_session.examen
        for label, combo in self.filtres_session.libelles:
            combo.currentIndexChanged.connect(self._filtres_changes)
            ligne.addWidget(label)
            ligne.addWidget(combo)
            ligne.addSpacing(12)
        self.bouton_lister = QPushButton("Affic&her la liste")
        nommer(self.bouton_lister, "Afficher la liste")
        self.bouton_lister.setAutoDefault(False)
        self.bouton_lister.clicked.connect(self.afficher_liste)
        ligne.addWidget(self.bouton_lister)
        ligne.addStretch(1)
        return ligne

    # --- behaviour -------------------------------------------------------------------------------
    def _etat_boutons(self) -> None:
        libre = self.autorise and self.tache is None
        for w in (self.session, self.examen, self.bouton_lister):
            w.setEnabled(libre)
        self.bouton_appliquer.setEnabled(libre and bool(self.modele.lignes))

    def _filtres_changes(self) -> None:
        # A list shown for other filters must never be applied by mistake.
        if self.modele.lignes:
            self.modele.remplacer([])
            self.compteur.setText("Les filtres ont changé : affichez à nouveau la liste.")
        self._etat_boutons()

    def filtres(self) -> tuple[int | None, str | None]:
        return self.session.currentData(), self.examen.currentData()

    def afficher_liste(self) -> None:
        session_id, domaine = self.filtres()
        if session_id is None:
            return
        try:
            lignes = self.lister(session_id, domaine)
        except DomainError as exc:
            signaler(self, exc, titre="Liste impossible")
            return
        self.modele.remplacer(lignes)
        self.compteur.setText(self.texte_compte(len(lignes)))
        self._etat_boutons()
        self.table.setFocus()

    def appliquer(self) -> None:
        lignes = list(self.modele.lignes)
        if not lignes or self.tache is not None:
            return
        confirmer(self, self.TITRE_CONFIRMATION or self.TITRE, self.texte_confirmation(len(lignes)),
                  lambda: self._demarrer(lignes), oui="Appliquer", non="Revenir à la liste",
                  destructif=self.DESTRUCTIF)

    def _demarrer(self, lignes: list[LigneTraitement]) -> None:
        self.resultat.clear()
        self.executer(lignes)

    def occupe(self, tache: Tache) -> None:
        """The panel waits for ``tache``: filters and buttons are disabled until ``fini``. Call it
        before ``executeur.demarrer``: a synchronous task is over when that returns."""
        self.tache = tache
        self._etat_boutons()

    def fini(self, texte: str, exc: Exception | None = None) -> None:
        self.tache = None
        self.resultat.setText(texte)
        self._etat_boutons()
        if exc is not None:
            signaler(self, exc, titre="Traitement impossible")
