"""« Historique du candidat »: who did what and when on one account and everything attached to it,
newest first, with what changed; filtered by candidature; exported as CSV. Read from the audit trail
(gestionnaire and chef)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..rules.errors import DomainError
from ..services.noyau import Contexte, LigneHistorique, historique
from .ecran import ajuster_a_l_ecran
from .formulaire import informer, nommer, signaler
from .tables import Index, ModeleTable, table_lecture

COLONNES = ["Date (heure de Paris)", "Agent", "Action", "Objet", "Ce qui a changé"]


class ModeleHistorique(ModeleTable):
    COLONNES = COLONNES

    def __init__(self) -> None:
        super().__init__()
        self.lignes: list[LigneHistorique] = []

    def remplacer(self, lignes: list[LigneHistorique]) -> None:
        self.beginResetModel()
        self.lignes = lignes
        self.endResetModel()

    def _nombre_lignes(self) -> int:
        return len(self.lignes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        x = self.lignes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (x.date, x.qui, x.action, x.objet, x.ce_qui_change)[index.column()]
        return None


class DialogueHistorique(QDialog):
    def __init__(self, ctx: Contexte, compte_id: int, titre: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.compte_id = compte_id
        self.setWindowTitle(f"Historique — {titre}")
        nommer(self, "Historique du candidat")
        ajuster_a_l_ecran(self, 1100, 600)
        entete = QLabel(f"Opérations enregistrées au journal d'audit pour {titre}, les plus récentes en premier.")
        entete.setWordWrap(True)

        self.candidature = QComboBox()
        nommer(self.candidature, "Candidature")
        self.candidature.addItem("Toutes (compte et candidatures)", None)
        for c in historique.candidatures(ctx, compte_id):
            self.candidature.addItem(c.libelle, c.id)
        libelle = QLabel("&Candidature :")
        libelle.setBuddy(self.candidature)
        filtre = QHBoxLayout()
        filtre.addWidget(libelle)
        filtre.addWidget(self.candidature, 1)

        self.modele = ModeleHistorique()
        self.table = table_lecture("Historique", self.modele)
        entetes = self.table.horizontalHeader()
        for colonne, largeur in enumerate((165, 170, 190, 290)):
            self.table.setColumnWidth(colonne, largeur)
        entetes.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._detail)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(110)
        nommer(self.detail, "Détail de l'opération")
        self.detail.setPlaceholderText("Sélectionnez une ligne pour lire le détail de l'opération.")
        self.compteur = QLabel()
        nommer(self.compteur, "Nombre d'opérations")

        self.bouton_exporter = QPushButton("&Exporter…")
        nommer(self.bouton_exporter, "Exporter")
        self.bouton_exporter.setToolTip("Enregistrer les lignes affichées dans un fichier CSV")
        self.bouton_exporter.clicked.connect(self.exporter)
        fermer = QPushButton("&Fermer")
        nommer(fermer, "Fermer")
        fermer.clicked.connect(self.reject)
        boutons = QHBoxLayout()
        boutons.addWidget(self.compteur, 1)
        boutons.addWidget(self.bouton_exporter)
        boutons.addWidget(fermer)

        box = QVBoxLayout(self)
        box.addWidget(entete)
        box.addLayout(filtre)
        box.addWidget(self.table, 1)
        box.addWidget(self.detail)
        box.addLayout(boutons)
        self.candidature.currentIndexChanged.connect(self.charger)
        self.charger()
        self.table.setFocus()

    def charger(self) -> None:
        try:
            lignes = historique.historique_candidat(self.ctx, self.compte_id, self.candidature.currentData())
        except DomainError as exc:
            signaler(self, exc, titre="Lecture de l'historique impossible")
            lignes = []
        self.modele.remplacer(lignes)
        n = len(lignes)
        self.compteur.setText(f"{n} opération{'s' if n > 1 else ''}." if n else "Aucune opération enregistrée.")
        self.bouton_exporter.setEnabled(bool(n))
        self.detail.clear()

    def _detail(self, courant: QModelIndex, _precedent: QModelIndex) -> None:
        if not courant.isValid():
            self.detail.clear()
            return
        x = self.modele.lignes[courant.row()]
        texte = [f"{x.action} — {x.objet}", f"Par {x.qui} le {x.date} (heure de Paris)"]
        if x.libelle:
            texte.append(x.libelle)
        texte += [str(c) for c in x.changements]
        if x.motif:
            texte.append(f"Motif : {x.motif}")
        self.detail.setPlainText("\n".join(texte))

    def lignes_affichees(self) -> list[list[str]]:
        m = self.modele
        return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]

    def exporter(self) -> QFileDialog:
        dossier = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialogue = QFileDialog(self, "Exporter l'historique", str(Path(dossier) / f"historique-{self.compte_id}.csv"),
                               "Fichiers CSV (*.csv)")
        nommer(dialogue, "Exporter l'historique")
        dialogue.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialogue.setDefaultSuffix("csv")
        dialogue.fileSelected.connect(self.exporter_vers)
        dialogue.open()
        return dialogue

    def exporter_vers(self, chemin: str) -> None:
        try:
            historique.exporter_csv(self.modele.lignes, chemin)
        except OSError as exc:
            signaler(self, DomainError(f"Le fichier {chemin} n'a pas pu être écrit ({exc.strerror or exc})."),
                     titre="Export impossible")
            return
        informer(self, "Historique exporté", f"{len(self.modele.lignes)} ligne(s) enregistrée(s) dans {chemin}.")


def ouvrir_historique(parent: QWidget, ctx: Contexte, compte_id: int, titre: str) -> DialogueHistorique | None:
    try:
        dialogue = DialogueHistorique(ctx, compte_id, titre, parent)
    except DomainError as exc:
        signaler(parent, exc, titre="Historique indisponible")
        return None
    dialogue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialogue.open()
    return dialogue
