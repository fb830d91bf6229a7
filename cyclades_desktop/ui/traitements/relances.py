"""« Relances de pièces justificatives »: for each incomplete dossier, a relance document and a
message, in the background with a cancellable progress dialog (« Relance n / N »). A cancelled batch
stops between two candidatures; started again, it skips those already relancées today."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from ...services.justificatifs import LigneTraitement, RapportRelance, echeances
from ...services.noyau import Contexte, P
from ..formulaire import informer, nommer
from .panneau import PanneauTraitement


class PanneauRelances(PanneauTraitement):
    TITRE = "Relances de pièces justificatives"
    EXPLICATION = ("Chaque candidature active dont une pièce manque, n'est pas validée ou a été refusée (non "
                   "conforme, nouvelle pièce demandée) reçoit une « Relance de pièces justificatives » dans "
                   "« Mes documents » et un message. Le traitement peut être interrompu : relancé le même jour, "
                   "il reprend sans relancer deux fois la même candidature.")
    PERMISSION = P.PIECES_CONTROLER
    REFUS = "Réservé aux gestionnaires et au chef de bureau."
    COLONNE_PIECE = "Pièces à fournir"
    LARGEUR_PIECE = 220
    TITRE_CONFIRMATION = "Publier les relances"

    dialogue: QProgressDialog | None = None

    def libelle_appliquer(self) -> str:
        return "P&ublier les relances…"

    def lister(self, session_id: int, domaine: str | None) -> list[LigneTraitement]:
        return echeances.dossiers_incomplets(self.ctx, session_id, domaine)

    def texte_compte(self, n: int) -> str:
        if n == 0:
            return "Aucun dossier incomplet."
        return f"{n} dossier{'s' if n > 1 else ''} incomplet{'s' if n > 1 else ''} à relancer."

    def texte_confirmation(self, n: int) -> str:
        return (f"Publier {n} relance{'s' if n > 1 else ''} de pièces justificatives ?\n\n"
                "Chaque candidat recevra le document dans « Mes documents » et un message. Vous pourrez "
                "interrompre le traitement : ce qui est fait reste fait.")

    def executer(self, lignes: list[LigneTraitement]) -> None:
        ids = [x.candidature_id for x in lignes]
        ctx: Contexte = self.ctx
        dialogue = QProgressDialog(self._libelle(0, len(ids)), "&Interrompre", 0, len(ids), self)
        dialogue.setWindowTitle(self.TITRE)
        nommer(dialogue, self.TITRE)
        # Modeless: the office goes on working elsewhere while the batch runs; this panel waits.
        dialogue.setWindowModality(Qt.WindowModality.NonModal)
        dialogue.setMinimumDuration(0)
        dialogue.setAutoClose(False)
        dialogue.setAutoReset(False)
        dialogue.setValue(0)
        self.dialogue = dialogue
        tache = self.executeur.preparer(
            lambda t: echeances.relancer(ctx, ids, progression=t.signaler, annule=t.annule))
        dialogue.canceled.connect(tache.annuler)
        dialogue.canceled.connect(lambda: self.resultat.setText("Interruption après la candidature en cours…"))
        tache.progression.connect(self._progression)
        tache.resultat.connect(self._termine)
        tache.erreur.connect(self._echec)
        self.occupe(tache)
        self.resultat.setText("Relances en cours…")
        dialogue.open()
        self.executeur.demarrer(tache)

    @staticmethod
    def _libelle(n: int, total: int) -> str:
        return f"Relance {n} / {total}"

    def _progression(self, n: int, total: int) -> None:
        if self.dialogue is not None and not self.dialogue.wasCanceled():
            self.dialogue.setLabelText(self._libelle(n, total))
            self.dialogue.setValue(n)

    def _fermer(self) -> None:
        if self.dialogue is not None:
            self.dialogue.close()
            self.dialogue.deleteLater()
            self.dialogue = None

    def _termine(self, rapport: RapportRelance) -> None:
        self._fermer()
        self.fini(echeances.texte_rapport(rapport))
        if rapport.erreurs:
            informer(self, "Relances en erreur", "Ces candidatures n'ont pas été relancées :\n\n"
                     + "\n".join(rapport.erreurs[:20])
                     + (f"\n… et {len(rapport.erreurs) - 20} autres." if len(rapport.erreurs) > 20 else ""))

    def _echec(self, exc: Exception) -> None:
        self._fermer()
        self.fini("Le traitement s'est arrêté : les relances déjà publiées restent publiées.", exc)
