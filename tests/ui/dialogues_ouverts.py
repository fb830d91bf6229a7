"""The dialogs the chef opens from the menus, the areas and a candidate's account, opened as the screens
do: shared by the screen-size and the Alt-letter tests."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QMainWindow, QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cyclades_desktop.services import inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.amenagements import DialogueAmenagements
from cyclades_desktop.ui.apercu_pdf import ouvrir_apercu
from cyclades_desktop.ui.courriers import DialogueModeles
from cyclades_desktop.ui.courriers import ouvrir as ouvrir_courriers
from cyclades_desktop.ui.historique import DialogueHistorique
from cyclades_desktop.ui.impressions.zone import imprimer_selection
from cyclades_desktop.ui.inscription.assistant import AssistantInscription
from cyclades_desktop.ui.sauvegardes import DialogueParametresSauvegarde, DialogueSauvegardes
from tests.fabriques import compte_actif, saisie_seed, session_id


def inscrire(ctx: Contexte) -> tuple[int, int]:
    """(compte_id, candidature_id): the guide's candidate, registered."""
    compte = compte_actif(ctx)
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    return compte, inscriptions.enregistrer(ctx, d, saisie_seed()).candidature_id


def _pdf() -> bytes:
    tampon = BytesIO()
    c = canvas.Canvas(tampon, pagesize=A4)
    for page in (1, 2):
        c.drawString(72, 760, f"Récapitulatif de candidature — page {page}")
        c.showPage()
    c.save()
    return tampon.getvalue()


def assistant_modification(f: QMainWindow, cid: int) -> AssistantInscription:
    """The form of a saved candidature, opened for a modification: every tab holds valid answers."""
    ctx: Contexte = f.ctx  # type: ignore[attr-defined]
    d, saisie = inscriptions.ouvrir(ctx, cid)
    return AssistantInscription(ctx, inscriptions.preparer_modification(ctx, d), saisie, parent=f)


def _apercu(f: QMainWindow, _c: tuple[int, int]) -> QWidget:
    return ouvrir_apercu(f, "Récapitulatif de candidature", _pdf(), "recapitulatif.pdf")


def _impression(f: QMainWindow, c: tuple[int, int]) -> QWidget:
    dialogue = _apercu(f, c).imprimer()  # type: ignore[attr-defined]
    assert isinstance(dialogue, QPrintDialog)
    return dialogue


def _depuis_la_carte(action: str) -> Callable[[QMainWindow, tuple[int, int]], QWidget | None]:
    """A button of the candidature's card in the account's detail (« Documents », « Justificatifs »…)."""
    def ouvrir(f: QMainWindow, c: tuple[int, int]) -> QWidget | None:
        inscriptions_ = f.aller_a("candidats").ouvrir(c[0]).inscriptions  # type: ignore[attr-defined]
        return getattr(inscriptions_, action)(inscriptions_.cartes[0].carte)
    return ouvrir


DIALOGUES: dict[str, Callable[[QMainWindow, tuple[int, int]], QWidget | None]] = {
    "Nouvelle session": lambda f, _c: f.aller_a("referentiel").sessions.nouvelle_session(),  # type: ignore[attr-defined]
    "Nouvelle échéance": lambda f, _c: f.aller_a("referentiel").sessions.nouvelle_echeance(),  # type: ignore[attr-defined]
    "Nouvelle spécialité": lambda f, _c: f.aller_a("referentiel").specialites.nouvelle_specialite(),  # type: ignore[attr-defined]
    "Nouveau centre": lambda f, _c: f.aller_a("organisation").centres.nouveau_centre(),  # type: ignore[attr-defined]
    "Nouvelle épreuve au planning": lambda f, _c: f.aller_a("organisation").planning.nouveau(),  # type: ignore[attr-defined]
    "Aperçu avant impression": _apercu,
    "Imprimer": _impression,
    "Sauvegardes": lambda f, _c: DialogueSauvegardes(f, f.ctx),  # type: ignore[attr-defined]
    "Paramètres de sauvegarde": lambda f, _c: DialogueParametresSauvegarde(f, f.ctx),  # type: ignore[attr-defined]
    "Paramètres de messagerie": lambda f, _c: f.ouvrir_parametres_messagerie(),  # type: ignore[attr-defined]
    "Papillons de connexion": lambda f, _c: f.ouvrir_papillons(),  # type: ignore[attr-defined]
    "Conservation des données": lambda f, _c: f.ouvrir_conservation(),  # type: ignore[attr-defined]
    "Purger les données": lambda f, _c: f.ouvrir_purge(),  # type: ignore[attr-defined]
    "Aménagements": lambda f, c: DialogueAmenagements(f.ctx, c[1], f),  # type: ignore[attr-defined]
    "Courriers": lambda f, c: ouvrir_courriers(f.ctx, c[1], "Candidature n° 001", f),  # type: ignore[attr-defined]
    "Modèles de courriers": lambda f, _c: DialogueModeles(f.ctx, f),  # type: ignore[attr-defined]
    "Historique": lambda f, c: DialogueHistorique(f.ctx, c[0], "NGMB-DUPONT Ngmb-Jeanne", f),  # type: ignore[attr-defined]
    "Impression par lot": lambda f, c: imprimer_selection(f, f.ctx, [c[1]]),  # type: ignore[attr-defined]
    "Nouvelle candidature": lambda f, c: f.aller_a("candidats").ouvrir(c[0]).inscriptions.ajouter(),  # type: ignore[attr-defined]
    "Documents": _depuis_la_carte("ouvrir_documents"),
    "Justificatifs": _depuis_la_carte("ouvrir_justificatifs"),
}
