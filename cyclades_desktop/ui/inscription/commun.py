"""The frame of the nine pages: the candidate header and the tab strip shown at the top of each
page, the page base class (saisie in and out, errors, keyboard order), and what a page may use of
the wizard (Assistant)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ...rules import inscriptions as regles
from ..formulaire import STYLE_ERREUR, Formulaire
from .champs import STYLE_HORS_PERIODE, STYLE_NOTE, paragraphe

if TYPE_CHECKING:
    from ...rules.epreuves import Resultat
    from ...services.inscriptions import Demarrage, Enregistrement
    from ...services.inscriptions.lecture import ListesInscription
    from ...services.noyau import Contexte


class PageEtablissement(Protocol):
    """The tab whose établissement field the summary quotes (pages_candidature.PageInformations)."""

    @property
    def etablissement(self) -> QWidget: ...


class Assistant(Protocol):
    """What the pages use of the wizard that holds them (assistant.AssistantInscription). A protocol,
    not the class: the wizard imports its pages, so the pages must not import the wizard back."""

    @property
    def ctx(self) -> Contexte: ...
    @property
    def demarrage(self) -> Demarrage: ...
    @property
    def consultation(self) -> bool: ...
    @property
    def enregistrement(self) -> Enregistrement | None: ...
    @property
    def listes(self) -> ListesInscription: ...
    @property
    def pays(self) -> list[tuple[str, str]]: ...             # (nom, code)
    @property
    def nationalites(self) -> list[tuple[str, str]]: ...     # (nationalité, code)
    @property
    def page_informations(self) -> PageEtablissement: ...

    def saisie_courante(self) -> regles.SaisieCandidature: ...
    def calculer(self, s: regles.SaisieCandidature | None = None) -> Resultat | None: ...
    def valider_onglet(self, index: int) -> bool: ...
    def boutons_tabulation(self) -> list[QWidget]: ...
    def mettre_a_jour_boutons(self) -> None: ...
    def sauter_a(self, index: int) -> None: ...


# The portal's tab names (« 6 - Épreuves »: with its accent, as every capital of the interface).
TITRES = TITRES_PAGES = tuple(f"{i + 1} - {nom}" for i, nom in enumerate(regles.ONGLETS))

STYLE_ONGLET = "padding: 5px 4px; border-bottom: 3px solid #d0d7de; color: #56606b;"
STYLE_ONGLET_FAIT = "padding: 5px 4px; border-bottom: 3px solid #8aa9d6; color: #1f3a5f;"
STYLE_ONGLET_COURANT = ("padding: 5px 4px; border-bottom: 3px solid #1f5fbf; background: #e3edfb; "
                        "color: #0d2f66; font-weight: 700;")


def texte_examen(d: Demarrage) -> str:
    examen = f"{d.domaine} – session {d.session} – {d.academie}"
    if d.candidature_id is not None:
        examen += f" – inscription n° {d.numero_inscription}, version {d.version}"
    return examen


def en_tete(d: Demarrage) -> QWidget:
    """Who and what: N° candidat and name, examen, period, and the hors-période notice if any."""
    w = QWidget()
    grille = QGridLayout(w)
    grille.setContentsMargins(0, 0, 0, 0)
    grille.setVerticalSpacing(1)
    i = d.identite
    qui = QLabel(f"N° candidat : {i.numero_candidat} — {i.nom} {i.prenoms}")
    qui.setStyleSheet("font-weight: 600; font-size: 14px; color: #1f3a5f;")
    qui.setAccessibleName("Candidat")
    quoi = QLabel(texte_examen(d))
    quoi.setObjectName("examen")      # rewritten after each save (PageOnglet.actualiser_en_tete)
    quoi.setStyleSheet("font-weight: 600; color: #1f3a5f;")
    quoi.setAccessibleName("Examen")
    periode = QLabel(d.texte_periode)
    periode.setStyleSheet(STYLE_NOTE)
    periode.setAccessibleName("Période d'inscription")
    for lab in (qui, quoi, periode):
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    grille.addWidget(qui, 0, 0)
    grille.addWidget(quoi, 1, 0)
    grille.addWidget(periode, 2, 0)
    if d.motif_hors_periode:
        avis = paragraphe(f"Inscription hors période : {d.motif_hors_periode}", STYLE_HORS_PERIODE,
                          nom="Inscription hors période")
        grille.addWidget(avis, 3, 0)
    return w


class TitreOnglet(QLabel):
    """A tab's name in the strip; once the candidature is saved, a click goes to that tab."""

    def __init__(self, titre: str, index: int) -> None:
        super().__init__(titre)
        self.index = index
        self.aller: Callable[[int], None] | None = None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.aller is not None and event.button() == Qt.MouseButton.LeftButton:
            self.aller(self.index)
            return
        super().mouseReleaseEvent(event)


def bandeau_onglets(courant: int) -> QWidget:
    """The nine tab names, the current one highlighted, those behind it marked as done."""
    w = QFrame()
    w.setAccessibleName("Onglets de l'inscription")
    box = QHBoxLayout(w)
    box.setContentsMargins(0, 4, 0, 0)
    box.setSpacing(2)
    for i, titre in enumerate(TITRES):
        lab = TitreOnglet(titre, i)
        lab.setWordWrap(True)
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lab.setStyleSheet(STYLE_ONGLET_COURANT if i == courant else
                          STYLE_ONGLET_FAIT if i < courant else STYLE_ONGLET)
        lab.setAccessibleName(titre)
        if i == courant:
            lab.setAccessibleDescription("Onglet en cours")
        box.addWidget(lab, 1)
    return w


class PageOnglet(QWizardPage):
    """One tab: header, strip, heading, then its content (scrolled when long). Pages copy their
    widgets into the SaisieCandidature (collecter) and back (charger); nothing else is kept."""

    def __init__(self, assistant: Assistant, index: int, *, defilement: bool = True) -> None:
        super().__init__()
        self.assistant = assistant
        self.index = index
        self.setTitle(TITRES[index])
        self.setAccessibleName(TITRES[index])
        self.formulaires: list[Formulaire] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        self.en_tete = en_tete(assistant.demarrage)
        box.addWidget(self.en_tete)
        self.bandeau = bandeau_onglets(index)
        box.addWidget(self.bandeau)
        titre = QLabel(TITRES_PAGES[index])
        titre.setObjectName("sous_titre")
        box.addWidget(titre)
        self.message = paragraphe("", STYLE_ERREUR, nom="Message de l'onglet")
        self.message.setVisible(False)
        box.addWidget(self.message)
        self.contenu = QWidget()
        self.corps = QVBoxLayout(self.contenu)
        self.corps.setContentsMargins(0, 0, 12, 8)
        self.corps.setSpacing(6)
        if defilement:
            self.defilement: QScrollArea | None = QScrollArea()
            self.defilement.setWidgetResizable(True)
            self.defilement.setFrameShape(QFrame.Shape.NoFrame)
            self.defilement.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.defilement.setWidget(self.contenu)
            self.defilement.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Tab goes to the inputs inside
            box.addWidget(self.defilement, 1)
        else:
            self.defilement = None
            box.addWidget(self.contenu, 1)

    # --- header and strip --------------------------------------------------------------------------
    def actualiser_en_tete(self, d: Demarrage) -> None:
        examen = self.en_tete.findChild(QLabel, "examen")
        if examen is not None:
            examen.setText(texte_examen(d))

    def actualiser_bandeau(self, libre: bool) -> None:
        """After the first save the other tabs' names lead to them (Alt+number from the keyboard)."""
        for lab in self.bandeau.findChildren(TitreOnglet):
            libre_ici = libre and lab.index != self.index and lab.index != regles.NUMERO
            lab.aller = self.assistant.sauter_a if libre_ici else None
            lab.setCursor(Qt.CursorShape.PointingHandCursor if libre_ici else Qt.CursorShape.ArrowCursor)
            lab.setToolTip(f"Aller à l'onglet « {TITRES_PAGES[lab.index]} » (Alt+{lab.index + 1})"
                           if libre_ici else "")

    # --- what each page provides ------------------------------------------------------------
    def charger(self, s: regles.SaisieCandidature) -> None:
        """Show the saisie's values (a new form or a saved candidature)."""

    def collecter(self, s: regles.SaisieCandidature) -> None:
        """Write what is on screen into the saisie."""

    def actualiser(self) -> None:
        """Called each time the page is shown: pages built from other tabs' answers rebuild here."""

    def afficher_erreurs(self, erreurs: dict[str, str]) -> None:
        orphelins: list[str] = []
        restant = dict(erreurs)
        for f in reversed(self.formulaires):   # the first form's focus wins
            part = {k: v for k, v in restant.items() if k in f.champs}
            f.afficher_erreurs(part)
            for k in part:
                restant.pop(k)
        orphelins.extend(self.erreurs_propres(restant))
        self.message.setText("\n".join(orphelins))
        self.message.setVisible(bool(orphelins))
        focus = self.focusWidget()
        if self.defilement is not None and focus is not None and self.defilement.isAncestorOf(focus):
            self.defilement.ensureWidgetVisible(focus)

    def erreurs_propres(self, erreurs: dict[str, str]) -> list[str]:
        """Errors shown by the page's own widgets; returns the messages left for the top line."""
        return list(erreurs.values())

    def effacer_erreurs(self) -> None:
        for f in self.formulaires:
            f.effacer_erreurs()
        self.erreurs_propres({})
        self.message.clear()
        self.message.setVisible(False)

    # --- keyboard ---------------------------------------------------------------------------
    def focalisables(self) -> list[QWidget]:
        """The page's inputs in reading order (layouts walked top to bottom, left to right)."""
        out: list[QWidget] = []

        def visiter(w: QWidget) -> None:
            if isinstance(w, QScrollArea):
                if w.widget() is not None:
                    visiter(w.widget())
                return
            if w is not self and w.focusPolicy().value & Qt.FocusPolicy.TabFocus.value:
                out.append(w)
                return
            if w.layout() is not None:
                parcourir(w.layout())

        def parcourir(box: QLayout) -> None:
            for i in range(box.count()):
                item = box.itemAt(i)
                if item.widget() is not None:
                    visiter(item.widget())
                elif item.layout() is not None:
                    parcourir(item.layout())

        visiter(self)
        return out

    def ordonner_tabulation(self) -> None:
        """Tab follows the screen; widgets rebuilt later (dispenses, facultatives) would otherwise
        come after the wizard's buttons."""
        chaine = self.focalisables() + self.assistant.boutons_tabulation()
        for avant, apres in zip(chaine, chaine[1:], strict=False):
            QWidget.setTabOrder(avant, apres)

    def premier_champ(self) -> QWidget | None:
        return next((w for w in self.focalisables() if w.isVisibleTo(self) and w.isEnabled()), None)

    # --- QWizardPage ------------------------------------------------------------------------
    def validatePage(self) -> bool:
        return self.assistant.valider_onglet(self.index)

    def cleanupPage(self) -> None:
        """Précédent keeps what was typed (QWizard would reset registered fields)."""
