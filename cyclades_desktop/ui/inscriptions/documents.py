"""« Mes documents » for one candidature (docs/domaine/documents.md#versions): the published
documents, each with its versions newest first; any version can be read, printed or saved."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...services.noyau import Contexte
from ...services.publications import DocumentPublie, VersionPubliee
from ...services.publications import documents as publications
from ..apercu_pdf import ApercuPdf, enregistrer_sous, ouvrir_apercu
from ..ecran import ajuster_a_l_ecran
from ..formulaire import bouton_action, nommer, signaler
from .nouvelle import section

ROLE_VERSION = Qt.ItemDataRole.UserRole + 1


def libelle_document(doc: DocumentPublie) -> str:
    """« Récapitulatif de votre candidature [PDF] : Version n°2 mis à jour le 10/11/2024 11:00 »."""
    return f"{doc.titre} [PDF] : {doc.derniere.libelle}"


class MesDocuments(QDialog):
    def __init__(self, ctx: Contexte, candidature_id: int, intitule: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.candidature_id = candidature_id
        self.setWindowTitle(f"Documents — {intitule}")
        self.setAccessibleName("Documents")
        ajuster_a_l_ecran(self, 760, 380)
        self._versions: dict[int, tuple[DocumentPublie, VersionPubliee]] = {}
        self.apercus: list[ApercuPdf] = []

        titre = QLabel("Documents de la candidature")
        titre.setObjectName("titre")
        sous_titre = QLabel(intitule)
        sous_titre.setWordWrap(True)
        nommer(sous_titre, "Candidature")
        self.liste = QTreeWidget()
        nommer(self.liste, "Liste des documents publiés")
        self.liste.setHeaderHidden(True)
        self.liste.setColumnCount(1)
        self.liste.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.liste.setUniformRowHeights(True)
        self.liste.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        # Enter and double-click (the style's activation gesture) open the version.
        self.liste.itemActivated.connect(lambda *_: self.ouvrir())
        self.liste.currentItemChanged.connect(lambda *_: self._actualiser_boutons())
        etiquette = QLabel("Les versions précédentes d'un document sont listées sous sa dernière version.")
        etiquette.setStyleSheet("color: #555;")
        etiquette.setWordWrap(True)
        self.vide = QLabel("Aucun document n'a encore été publié pour cette candidature.")
        nommer(self.vide, "Aucun document")

        self.bouton_ouvrir = bouton_action("&Ouvrir", "Afficher la version sélectionnée (Entrée)", self.ouvrir)
        self.bouton_imprimer = bouton_action("&Imprimer…", "Imprimer la version sélectionnée (Ctrl+P)", self.imprimer)
        self.bouton_enregistrer = bouton_action("&Enregistrer sous…", "Enregistrer une copie de la version "
                                               "sélectionnée (Ctrl+S)", self.enregistrer)
        fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        for touches, action in ((QKeySequence.StandardKey.Print, self.imprimer),
                                (QKeySequence.StandardKey.Save, self.enregistrer)):
            QShortcut(QKeySequence(touches), self).activated.connect(action)
        boutons = QHBoxLayout()
        boutons.addWidget(self.bouton_ouvrir)
        boutons.addWidget(self.bouton_imprimer)
        boutons.addWidget(self.bouton_enregistrer)
        boutons.addStretch(1)
        boutons.addWidget(fermer)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(sous_titre)
        box.addWidget(section("Liste des documents publiés"))
        box.addWidget(self.liste, 1)
        box.addWidget(self.vide)
        box.addWidget(etiquette)
        box.addLayout(boutons)
        self.recharger()
        self.liste.setFocus()


    # --- the list ---------------------------------------------------------------------------
    def recharger(self) -> None:
        """Read the documents again (a modification publishes a new version of the récapitulatif)."""
        try:
            docs = publications.documents(self.ctx, self.candidature_id)
        except DomainError as exc:
            signaler(self, exc, titre="Documents indisponibles")
            docs = []
        self.liste.clear()
        self._versions.clear()
        for doc in docs:
            haut = QTreeWidgetItem([libelle_document(doc)])
            police = haut.font(0)
            police.setBold(True)
            haut.setFont(0, police)
            self._lier(haut, doc, doc.derniere)
            for v in doc.versions[1:]:
                self._lier(QTreeWidgetItem(haut, [v.libelle]), doc, v)
            self.liste.addTopLevelItem(haut)
            haut.setExpanded(True)
        self.liste.setVisible(bool(docs))
        self.vide.setVisible(not docs)
        if docs:
            self.liste.setCurrentItem(self.liste.topLevelItem(0))
        self._actualiser_boutons()

    def _lier(self, item: QTreeWidgetItem, doc: DocumentPublie, v: VersionPubliee) -> None:
        item.setData(0, ROLE_VERSION, v.id)
        item.setToolTip(0, f"{doc.titre} — {v.libelle} ({v.nom_fichier}, {max(1, v.taille // 1024)} Ko)")
        self._versions[v.id] = (doc, v)

    def lignes(self) -> list[str]:
        """The texts as shown, top to bottom (versions under their document)."""
        out = []
        for i in range(self.liste.topLevelItemCount()):
            haut = self.liste.topLevelItem(i)
            out.append(haut.text(0))
            out.extend(haut.child(j).text(0) for j in range(haut.childCount()))
        return out

    def selectionner(self, texte: str) -> None:
        trouves = self.liste.findItems(texte, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        if trouves:
            self.liste.setCurrentItem(trouves[0])

    def version_choisie(self) -> tuple[DocumentPublie, VersionPubliee] | None:
        item = self.liste.currentItem()
        return self._versions.get(item.data(0, ROLE_VERSION)) if item is not None else None

    def _actualiser_boutons(self) -> None:
        choisie = self.version_choisie() is not None
        for b in (self.bouton_ouvrir, self.bouton_imprimer, self.bouton_enregistrer):
            b.setEnabled(choisie)

    def _contenu(self) -> tuple[DocumentPublie, VersionPubliee, str, bytes] | None:
        choisie = self.version_choisie()
        if choisie is None:
            return None
        doc, v = choisie
        try:
            nom, contenu = publications.contenu(self.ctx, v.id)
        except DomainError as exc:
            signaler(self, exc, titre="Document indisponible")
            return None
        return doc, v, nom, contenu

    # --- actions ----------------------------------------------------------------------------
    def ouvrir(self) -> ApercuPdf | None:
        lu = self._contenu()
        if lu is None:
            return None
        doc, v, nom, contenu = lu
        apercu = ouvrir_apercu(self, f"{doc.titre} — version n°{v.numero}", contenu, nom)
        self.apercus = [a for a in self.apercus if shiboken6.isValid(a)] + [apercu]   # closed ones are deleted
        return apercu

    def imprimer(self) -> ApercuPdf | None:
        apercu = self.ouvrir()
        if apercu is not None:
            apercu.imprimer()
        return apercu

    def enregistrer(self) -> QFileDialog | None:
        lu = self._contenu()
        return enregistrer_sous(self, lu[3], lu[2]) if lu is not None else None
