"""« Vérifier l'intégrité… » (Sauvegardes, chef de bureau): the base's own checks, then every deposited
file read again and compared with its SHA-256, in the background with a progress dialog that can be
interrupted; the result names each damaged or missing file and whose pièce it is."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ..services import sauvegardes
from ..services.noyau import Contexte
from .formulaire import nommer, signaler
from .taches import Executeur

TITRE = "Vérification de l'intégrité"
TITRE_RESULTAT = "Intégrité de la base et des pièces"
LIGNES_VISIBLES = 15    # the rest goes to « Afficher les détails… »: the box stays on the screen


def texte_rapport(r: sauvegardes.RapportIntegrite) -> tuple[str, str]:
    """The message and its details (every problem) for the result box."""
    relus = f"{r.fichiers_controles} fichier(s) déposé(s) sur {r.fichiers_total} relu(s) et comparé(s) à leur " \
            "empreinte SHA-256."
    if r.interrompu:
        tete = f"Contrôle interrompu : {relus} Les autres n'ont pas été contrôlés."
    elif r.correct:
        tete = f"Intégrité correcte : {relus}"
    else:
        tete = f"{len(r.problemes)} problème(s) trouvé(s) ; {relus}"
    lignes = r.problemes[:LIGNES_VISIBLES]
    reste = len(r.problemes) - len(lignes)
    texte = "\n\n".join([tete, *(["\n".join(lignes + ([f"… et {reste} autre(s)."] if reste > 0 else []))]
                                  if lignes else [])])
    return texte, "\n".join(r.problemes) if reste > 0 else ""


class ControleIntegrite(QObject):
    def __init__(self, parent: QWidget, ctx: Contexte, executeur: Executeur) -> None:
        super().__init__(parent)
        self.fenetre = parent
        self.ctx = ctx
        self.executeur = executeur
        self.dialogue: QProgressDialog | None = None
        self.boite: QMessageBox | None = None

    def lancer(self) -> None:
        ctx = self.ctx
        dialogue = QProgressDialog("Contrôle de la base…", "&Interrompre", 0, 0, self.fenetre)
        dialogue.setWindowTitle(TITRE)
        nommer(dialogue, TITRE)
        dialogue.setWindowModality(Qt.WindowModality.WindowModal)
        dialogue.setMinimumDuration(0)
        dialogue.setAutoClose(False)
        dialogue.setAutoReset(False)
        self.dialogue = dialogue
        tache = self.executeur.preparer(
            lambda t: sauvegardes.verifier_integrite(ctx, progression=t.signaler, annule=t.annule))
        dialogue.canceled.connect(tache.annuler)
        dialogue.canceled.connect(lambda: dialogue.setLabelText("Interruption après le fichier en cours…"))
        tache.progression.connect(self._progression)
        tache.resultat.connect(self._termine)
        tache.erreur.connect(self._echec)
        dialogue.open()
        self.executeur.demarrer(tache)

    def _progression(self, fait: int, total: int) -> None:
        if self.dialogue is not None and not self.dialogue.wasCanceled():
            self.dialogue.setMaximum(total)
            self.dialogue.setValue(fait)
            self.dialogue.setLabelText(f"Fichier déposé {fait} / {total} relu et comparé à son empreinte…")

    def _fermer(self) -> None:
        if self.dialogue is not None:
            self.dialogue.close()
            self.dialogue.deleteLater()
            self.dialogue = None

    def _termine(self, r: sauvegardes.RapportIntegrite) -> None:
        self._fermer()
        texte, details = texte_rapport(r)
        icone = QMessageBox.Icon.Information if r.correct else QMessageBox.Icon.Warning
        boite = QMessageBox(icone, TITRE_RESULTAT, texte, QMessageBox.StandardButton.Ok, self.fenetre)
        boite.setAccessibleName(TITRE_RESULTAT)
        boite.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if details:
            boite.setDetailedText(details)
        boite.setWindowModality(Qt.WindowModality.WindowModal)
        boite.open()
        self.boite = boite

    def _echec(self, exc: Exception) -> None:
        self._fermer()
        signaler(self.fenetre, exc, titre="Vérification impossible")
