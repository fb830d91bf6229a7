"""« Se désinscrire » (docs/domaine/inscriptions.md#desinscription): the portal's confirmation, OK /
Annuler with Annuler as default; when the office acts where the candidate could not (non-individual
candidate, period closed), the reason is asked first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ...rules.errors import DomainError
from ...services import inscriptions
from ...services.inscriptions import CarteInscription
from ...services.noyau import Contexte, P, autorise
from ..formulaire import signaler
from .motif import demander_motif

TITRE = "Désinscrire le candidat"


def confirmation(parent: QWidget, si_ok: Callable[[], None]) -> QMessageBox:
    boite = QMessageBox(QMessageBox.Icon.Warning, TITRE, inscriptions.CONFIRMATION_DESINSCRIPTION,
                        QMessageBox.StandardButton.NoButton, parent)
    boite.setAccessibleName(TITRE)
    # QMessageBox wraps long lines very narrowly: the portal's sentences read better on wider lines.
    boite.setStyleSheet("QLabel#qt_msgbox_label { min-width: 480px; }")
    ok = boite.addButton("&OK", QMessageBox.ButtonRole.AcceptRole)
    annuler = boite.addButton("&Annuler", QMessageBox.ButtonRole.RejectRole)
    # A désinscription cannot be undone: Entrée and Échap both keep the candidature.
    boite.setDefaultButton(annuler)
    boite.setEscapeButton(annuler)
    boite.setWindowModality(Qt.WindowModality.WindowModal)
    boite.finished.connect(lambda _c: si_ok() if boite.clickedButton() is ok else None)
    boite.open()
    return boite


def lancer(parent: QWidget, ctx: Contexte, carte: CarteInscription, fait: Callable[[], None]) -> QWidget:
    """Start the désinscription of ``carte``; ``fait`` runs once it is recorded. Returns the first
    dialog shown (the reason's, or the confirmation)."""

    def desinscrire(motif: str | None) -> None:
        try:
            inscriptions.desinscrire(ctx, carte.id, row_version=carte.row_version, motif=motif)
        except DomainError as exc:
            signaler(parent, exc, titre="Désinscription impossible")
            return
        fait()

    if (carte.individuel and carte.periode_ouverte) or not autorise(ctx, P.INSCRIPTIONS_HORS_PERIODE):
        # For the agent outside what the candidate may do, the service's refusal is the answer.
        return confirmation(parent, lambda: desinscrire(None))
    if not carte.individuel:
        pourquoi = ("Ce candidat n'est pas un candidat individuel : il ne peut pas se désinscrire lui-même, "
                    "seul le bureau peut le faire.")
    else:
        pourquoi = "Les inscriptions sont closes : le candidat ne peut plus se désinscrire lui-même."
    return demander_motif(
        parent, TITRE,
        f"Candidature n° {carte.numero_inscription} — {carte.domaine} {carte.specialite}, session "
        f"{carte.session}.\n\n{pourquoi} Indiquez le motif de la désinscription.",
        "Motif", lambda motif: _confirmer_avec(parent, desinscrire, motif))


def _confirmer_avec(parent: QWidget, desinscrire: Callable[[str | None], None], motif: str) -> None:
    confirmation(parent, lambda: desinscrire(motif))
