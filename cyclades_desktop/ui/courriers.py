"""« Courriers… » for one candidature: choose a template, « Enregistrer sous… » a .docx filled from the
candidature (and open it), and « Modèles de courriers » where the office opens its templates in Word,
checks them and restores the shipped ones."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..documents.docx_modeles import ModeleInvalide
from ..rules.errors import DomainError
from ..services.impressions import courriers
from ..services.noyau import Contexte, P, autorise
from .apercu_pdf import ecrire_fichier
from .ecran import ajuster_a_l_ecran
from .formulaire import STYLE_AIDE, bouton_action, confirmer, nommer, signaler

ROLE_FICHIER = Qt.ItemDataRole.UserRole + 1


def ouvrir_fichier(parent: QWidget, chemin: Path) -> bool:
    """Open a file with the application the workstation associates with it (Word for .docx)."""
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(chemin))):
        signaler(parent, DomainError(f"Aucune application n'a pu ouvrir « {chemin} ». Ouvrez-le depuis "
                                     "l'explorateur de fichiers."), titre="Ouverture impossible")
        return False
    return True


def _liste_modeles(nom: str) -> QListWidget:
    liste = QListWidget()
    nommer(liste, nom)
    liste.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    liste.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
    return liste


def _remplir(liste: QListWidget, modeles: list[courriers.ModeleCourrier], garder: str | None) -> None:
    liste.clear()
    for m in modeles:
        texte = f"{m.titre} ({m.fichier})" + (" — modifié par le bureau" if m.modifie else "")
        item = QListWidgetItem(texte)
        item.setData(ROLE_FICHIER, m.fichier)
        liste.addItem(item)
    rang = next((i for i, m in enumerate(modeles) if m.fichier == garder), 0)
    if modeles:
        liste.setCurrentRow(rang)


class DialogueCourriers(QDialog):
    def __init__(self, ctx: Contexte, candidature_id: int, intitule: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.candidature_id = candidature_id
        self.setWindowTitle(f"Courriers — {intitule}")
        self.setAccessibleName("Courriers")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ajuster_a_l_ecran(self, 640, 400)
        self._dialogue: QWidget | None = None
        self.modeles_dialogue: DialogueModeles | None = None

        titre = QLabel("Courriers")
        titre.setObjectName("titre")
        sous_titre = QLabel(intitule)
        sous_titre.setWordWrap(True)
        nommer(sous_titre, "Candidature")
        aide = QLabel("Choisissez le modèle : le courrier est rempli avec les données de la candidature, à partir "
                      "du modèle du bureau tel qu'il est enregistré à cet instant.")
        aide.setWordWrap(True)
        aide.setStyleSheet(STYLE_AIDE)
        libelle = QLabel("&Modèle")
        self.liste = _liste_modeles("Modèle")
        libelle.setBuddy(self.liste)
        self.liste.itemActivated.connect(lambda _i: self.enregistrer())
        self.ouvrir_apres = QCheckBox("&Ouvrir le courrier après l'enregistrement")
        nommer(self.ouvrir_apres, "Ouvrir le courrier après l'enregistrement")
        self.ouvrir_apres.setChecked(True)
        self.resultat = QLabel()
        nommer(self.resultat, "Résultat")
        self.resultat.setWordWrap(True)
        self.resultat.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.bouton_enregistrer = bouton_action("&Enregistrer sous…", "Produire le courrier et l'enregistrer (.docx)",
                                                self.enregistrer)
        self.bouton_modeles = bouton_action("Modèles de &courriers…", "Ouvrir, vérifier ou rétablir les modèles",
                                            self.ouvrir_modeles)
        self.bouton_modeles.setVisible(autorise(ctx, P.MODELES_GERER))
        self.bouton_fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        bas = QHBoxLayout()
        bas.addWidget(self.bouton_modeles)
        bas.addStretch(1)
        bas.addWidget(self.bouton_enregistrer)
        bas.addWidget(self.bouton_fermer)
        box = QVBoxLayout(self)
        for w in (titre, sous_titre, aide, libelle):
            box.addWidget(w)
        box.addWidget(self.liste, 1)
        box.addWidget(self.ouvrir_apres)
        box.addWidget(self.resultat)
        box.addLayout(bas)
        self.charger()

    def charger(self) -> None:
        try:
            _remplir(self.liste, courriers.modeles(self.ctx), self.fichier())
        except DomainError as exc:
            signaler(self, exc)
        self.bouton_enregistrer.setEnabled(self.liste.count() > 0)

    def fichier(self) -> str | None:
        item = self.liste.currentItem()
        return str(item.data(ROLE_FICHIER)) if item is not None else None

    def enregistrer(self) -> QWidget | None:
        """Check the template first: a broken one is reported before any file name is asked for."""
        fichier = self.fichier()
        if fichier is None:
            return None
        try:
            problemes = courriers.verifier_modele(self.ctx, fichier)
            if problemes:
                raise ModeleInvalide(fichier, problemes)
            nom = courriers.nom_propose(self.ctx, self.candidature_id, fichier)
        except DomainError as exc:
            self.resultat.setText("Aucun courrier n'a été produit.")
            signaler(self, exc, titre="Modèle à corriger")
            return None
        dossier = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialogue = QFileDialog(self, "Enregistrer le courrier sous", str(Path(dossier) / nom),
                               "Documents Word (*.docx)")
        dialogue.setAccessibleName("Enregistrer le courrier sous")
        dialogue.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialogue.setDefaultSuffix("docx")
        dialogue.fileSelected.connect(lambda chemin: self.enregistrer_vers(fichier, chemin))
        dialogue.open()
        self._dialogue = dialogue
        return dialogue

    def enregistrer_vers(self, fichier: str, chemin: str) -> bool:
        """Produce the letter (audited) and write it; nothing is written when the template is refused."""
        try:
            courrier = courriers.produire(self.ctx, self.candidature_id, fichier)
            ecrire_fichier(chemin, courrier.contenu)
        except DomainError as exc:
            self.resultat.setText("Aucun courrier n'a été produit.")
            signaler(self, exc, titre="Courrier non produit")
            return False
        self.resultat.setText(f"Courrier « {courrier.titre} » enregistré : {chemin}")
        if self.ouvrir_apres.isChecked():
            ouvrir_fichier(self, Path(chemin))
        return True

    def ouvrir_modeles(self) -> DialogueModeles:
        self.modeles_dialogue = DialogueModeles(self.ctx, self)
        self.modeles_dialogue.finished.connect(lambda _r: self.charger())
        self.modeles_dialogue.show()
        return self.modeles_dialogue


class DialogueModeles(QDialog):
    def __init__(self, ctx: Contexte, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Modèles de courriers")
        self.setAccessibleName("Modèles de courriers")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ajuster_a_l_ecran(self, 720, 420)
        self._dialogue: QWidget | None = None

        titre = QLabel("Modèles de courriers")
        titre.setObjectName("titre")
        self.dossier = QLabel()
        nommer(self.dossier, "Dossier des modèles")
        self.dossier.setWordWrap(True)
        self.dossier.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        aide = QLabel("Modifiez un modèle dans Word puis enregistrez-le (même nom, format .docx) : le courrier "
                      "suivant l'utilise. Les champs s'écrivent {{ nom }} ; leur liste est dans forms/README.md. "
                      "« Vérifier » signale les champs inconnus ou mal écrits.")
        aide.setWordWrap(True)
        aide.setStyleSheet(STYLE_AIDE)
        libelle = QLabel("&Modèles")
        self.liste = _liste_modeles("Modèles")
        libelle.setBuddy(self.liste)
        self.liste.currentRowChanged.connect(lambda _r: self._etat_boutons())
        self.verification = QLabel()
        nommer(self.verification, "Résultat de la vérification")
        self.verification.setWordWrap(True)
        self.verification.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.bouton_ouvrir = bouton_action("&Ouvrir dans Word", "Modifier le modèle du bureau dans Word",
                                           self.ouvrir_dans_word)
        self.bouton_verifier = bouton_action("&Vérifier", "Chercher les champs inconnus ou mal écrits", self.verifier)
        self.bouton_retablir = bouton_action("&Rétablir le modèle d'origine",
                                             "Remplacer la copie du bureau par le modèle livré", self.retablir)
        self.bouton_fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        bas = QHBoxLayout()
        for b in (self.bouton_ouvrir, self.bouton_verifier, self.bouton_retablir):
            bas.addWidget(b)
        bas.addStretch(1)
        bas.addWidget(self.bouton_fermer)
        box = QVBoxLayout(self)
        for w in (titre, self.dossier, aide, libelle):
            box.addWidget(w)
        box.addWidget(self.liste, 1)
        box.addWidget(self.verification)
        box.addLayout(bas)
        self.charger()

    def charger(self) -> None:
        try:
            self._modeles = {m.fichier: m for m in courriers.modeles(self.ctx)}
            self.dossier.setText(f"Dossier des modèles du bureau : {courriers.initialiser_modeles()}")
            _remplir(self.liste, list(self._modeles.values()), self.fichier())
        except DomainError as exc:
            self._modeles = {}
            signaler(self, exc)
        self._etat_boutons()

    def fichier(self) -> str | None:
        item = self.liste.currentItem()
        return str(item.data(ROLE_FICHIER)) if item is not None else None

    def _etat_boutons(self) -> None:
        m = self._modeles.get(self.fichier() or "") if hasattr(self, "_modeles") else None
        for b in (self.bouton_ouvrir, self.bouton_verifier):
            b.setEnabled(m is not None)
        self.bouton_retablir.setEnabled(m is not None and m.livre and autorise(self.ctx, P.MODELES_GERER))

    def ouvrir_dans_word(self) -> bool:
        m = self._modeles.get(self.fichier() or "")
        return m is not None and ouvrir_fichier(self, m.chemin)

    def verifier(self) -> str:
        fichier = self.fichier()
        if fichier is None:
            return ""
        try:
            problemes = courriers.verifier_modele(self.ctx, fichier)
        except DomainError as exc:
            self.verification.setText(exc.message)
            return exc.message
        if problemes:
            texte = f"« {fichier} » : {len(problemes)} champ(s) à corriger avant de produire un courrier :\n" + \
                "\n".join(f"– {p}" for p in problemes)
            self.verification.setStyleSheet("color: #b00020;")
        else:
            texte = f"« {fichier} » : aucun problème, tous les champs sont connus."
            self.verification.setStyleSheet("color: #1b5e20;")
        self.verification.setText(texte)
        return texte

    def retablir(self) -> QWidget | None:
        fichier = self.fichier()
        if fichier is None:
            return None

        def faire() -> None:
            try:
                courriers.retablir_modele(self.ctx, fichier)
            except DomainError as exc:
                signaler(self, exc, titre="Modèle non rétabli")
                return
            self.verification.setStyleSheet("")
            self.verification.setText(f"« {fichier} » : modèle d'origine rétabli.")
            self.charger()

        self._dialogue = confirmer(
            self, "Rétablir le modèle d'origine",
            f"Le modèle « {fichier} » du bureau sera remplacé par le modèle livré avec le programme. "
            "Les modifications faites par le bureau seront perdues (fermez d'abord le modèle s'il est ouvert "
            "dans Word).", faire, oui="Rétablir", destructif=True)
        return self._dialogue


def ouvrir(ctx: Contexte, candidature_id: int, intitule: str, parent: QWidget | None = None) -> DialogueCourriers:
    dialogue = DialogueCourriers(ctx, candidature_id, intitule, parent)
    dialogue.show()
    dialogue.raise_()
    return dialogue
