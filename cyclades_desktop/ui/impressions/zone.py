"""« Impressions »: print batches for a session (convocations, récapitulatifs, relances) and the
batches left unfinished (cancelled, or the program closed), to resume or abandon. Other screens open
:class:`DialogueImpression` with their selection of candidatures."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...rules.errors import DomainError
from ...rules.temps import format_date_heure
from ...services import impressions
from ...services.noyau import Contexte
from ..formulaire import bouton_action, confirmer, nommer, signaler
from ..taches import Executeur
from .panneau import PanneauImpression


class ZoneImpressions(QWidget):
    def __init__(self, ctx: Contexte, executeur: Executeur | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        titre = QLabel("Impressions")
        titre.setObjectName("titre")
        aide = QLabel("Produisez en une fois les documents d'une session : un seul PDF à imprimer, ou un fichier "
                      "par candidature dans un dossier. Un lot interrompu reprend là où il s'est arrêté.")
        aide.setWordWrap(True)
        self.panneau = PanneauImpression(ctx, self.executeur)
        self.panneau.lot_fini.connect(lambda _r: self.actualiser())

        sous_titre = QLabel("Lots inachevés")
        sous_titre.setObjectName("sous_titre")
        self.lots = QListWidget()
        nommer(self.lots, "Lots inachevés")
        self.lots.currentRowChanged.connect(lambda _i: self._etat())
        self.lots.itemActivated.connect(lambda _i: self.reprendre())
        self.bouton_reprendre = bouton_action("&Reprendre", "Reprendre le lot choisi là où il s'est arrêté",
                                              self.reprendre)
        self.bouton_abandonner = bouton_action("A&bandonner…", "Abandonner le lot choisi", self.abandonner)
        self.bouton_actualiser = bouton_action("Ac&tualiser", "Actualiser la liste des lots inachevés",
                                               self.actualiser)
        boutons = QHBoxLayout()
        boutons.addWidget(self.bouton_reprendre)
        boutons.addWidget(self.bouton_abandonner)
        boutons.addStretch(1)
        boutons.addWidget(self.bouton_actualiser)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(aide)
        box.addWidget(self.panneau)
        box.addSpacing(12)
        box.addWidget(sous_titre)
        box.addWidget(self.lots, 1)
        box.addLayout(boutons)
        self.actualiser()

    def actualiser(self) -> None:
        self.lots.clear()
        if not self.panneau.autorise:
            self._etat()
            return
        try:
            lots = impressions.lots_inacheves(self.ctx)
        except DomainError as exc:
            signaler(self, exc, titre="Lecture des lots impossible")
            lots = []
        for lot in lots:
            item = QListWidgetItem(f"{lot.libelle} — créé le {format_date_heure(lot.cree_le)} par {lot.cree_par}"
                                   f" — {lot.sortie}")
            item.setData(Qt.ItemDataRole.UserRole, lot.id)
            self.lots.addItem(item)
        if lots:
            self.lots.setCurrentRow(0)
        self._etat()

    def _lot_choisi(self) -> int | None:
        item = self.lots.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _etat(self) -> None:
        choisi = self._lot_choisi() is not None and self.panneau.tache is None
        self.bouton_reprendre.setEnabled(choisi)
        self.bouton_abandonner.setEnabled(choisi)

    def reprendre(self) -> None:
        lot_id = self._lot_choisi()
        if lot_id is not None:
            self.panneau.executer_lot(lot_id)
            self._etat()

    def abandonner(self) -> None:
        lot_id = self._lot_choisi()
        if lot_id is None:
            return

        def oui() -> None:
            try:
                impressions.abandonner(self.ctx, lot_id)
            except DomainError as exc:
                signaler(self, exc, titre="Abandon impossible")
            self.actualiser()

        confirmer(self, "Abandonner le lot", f"Abandonner le lot n° {lot_id} ? Les documents déjà écrits dans "
                  "un dossier y restent ; un PDF fusionné inachevé n'est pas produit.", oui,
                  oui="Abandonner", non="Garder le lot", destructif=True)


class DialogueImpression(QDialog):
    """The batch form for a selection made on another screen (non-blocking: ``open()``)."""

    def __init__(self, parent: QWidget | None, ctx: Contexte, candidature_ids: list[int],
                 executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Imprimer la sélection")
        nommer(self, "Imprimer la sélection")
        self.panneau = PanneauImpression(ctx, executeur or Executeur(), candidature_ids)
        fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        box = QVBoxLayout(self)
        box.addWidget(self.panneau)
        bas = QHBoxLayout()
        bas.addStretch(1)
        bas.addWidget(fermer)
        box.addLayout(bas)


def imprimer_selection(parent: QWidget | None, ctx: Contexte, candidature_ids: list[int]) -> DialogueImpression:
    dialogue = DialogueImpression(parent, ctx, candidature_ids)
    dialogue.open()
    return dialogue
