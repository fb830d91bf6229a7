"""« Mes justificatifs » for one candidature (docs/domaine/justificatifs.md#groupes): the pieces
grouped by deposit mode and deadline; online pieces are added file by file then validated by group
(« J'ai fourni toutes mes pièces »), posted pieces get their reception date. The counter acts for the
candidate; every refusal comes from the services and is shown without changing anything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...rules import pieces as regles
from ...rules.errors import DomainError, ValidationError
from ...rules.fichiers import TEXTE_FORMATS
from ...rules.temps import format_date, format_date_heure, paris
from ...services import justificatifs
from ...services.justificatifs import FichierVue, GroupeVue, PieceVue
from ...services.noyau import Contexte
from ..apercu_pdf import ouvrir_apercu
from ..ecran import ajuster_a_l_ecran
from ..formulaire import STYLE_AIDE, bouton_action, confirmer, nommer, signaler
from ..taches import Executeur
from .justificatifs_dialogues import (
    BOUTON_VALIDER,
    ApercuImage,
    DialogueReception,
    choisir_fichier,
    ligne_fichier,
    ligne_statut,
    lire_fichier,
    nom_valider,
    refus_reception,
)

EXPLICATION_VALIDATION = (f"« {BOUTON_VALIDER} » confirme que le candidat a fourni toutes ses pièces : <b>elles ne "
                          "pourront plus être modifiées</b> et pourront être étudiées.")
NOTE_COURRIER = ("Ces pièces sont à retourner par courrier ou autres modalités. L'adresse de retour se trouve sur "
                 "la demande de pièces justificatives, consultable dans « Documents ».")
ROLE_FICHIER = Qt.ItemDataRole.UserRole + 1
FEUILLE = """
QFrame#groupe { background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; }
QLabel#groupe_titre { font-size: 14px; font-weight: 600; color: #1f3a5f; }
QLabel#piece_titre { font-weight: 600; }
QFrame#piece { border-top: 1px solid #e3e6ea; }
QPushButton#valider:enabled { background: #1f5fbf; color: white; border: 1px solid #1a4f9f; border-radius: 4px; }
"""
STYLE_COMMENTAIRE = "color: #8a4b00;"
STYLE_VALIDE = "color: #1b6e2a;"


class MesJustificatifs(QDialog):
    def __init__(self, ctx: Contexte, candidature_id: int, intitule: str, parent: QWidget | None = None,
                 executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Deposits are checked off the GUI thread: a hostile file may take seconds to refuse.
        self.executeur = executeur or Executeur()
        self.candidature_id = candidature_id
        self.setWindowTitle(f"Justificatifs — {intitule}")
        self.setAccessibleName("Justificatifs")
        ajuster_a_l_ecran(self, 900, 680)
        self.groupes: list[GroupeVue] = []
        self.fenetres: list[QWidget] = []       # previews and file dialogs opened from here
        self._pieces: dict[int, PieceVue] = {}
        self._ancien: QWidget | None = None       # the content being replaced, until Qt deletes it

        titre = QLabel("Pièces justificatives de la candidature")
        titre.setObjectName("titre")
        sous_titre = QLabel(intitule)
        sous_titre.setWordWrap(True)
        nommer(sous_titre, "Candidature")
        intro = QLabel("Les pièces sont présentées par mode de dépôt et par date limite de retour (heure de Paris).")
        intro.setStyleSheet(STYLE_AIDE)
        intro.setWordWrap(True)
        self.defilement = QScrollArea()
        self.defilement.setWidgetResizable(True)
        self.defilement.setFrameShape(QFrame.Shape.NoFrame)
        nommer(self.defilement, "Pièces justificatives")
        self.message = QLabel()
        nommer(self.message, "Message")
        self.message.setStyleSheet("color: #1b6e2a; font-weight: 600;")
        self.message.setWordWrap(True)
        self.verification = QProgressBar()
        self.verification.setRange(0, 0)          # busy: the check gives no steps
        self.verification.setMaximumWidth(160)
        self.verification.setVisible(False)
        nommer(self.verification, "Vérification du fichier")
        self._verifications = 0
        fermer = bouton_action("&Fermer", "Fermer (Échap)", self.close)
        bas = QHBoxLayout()
        bas.addWidget(self.message, 1)
        bas.addWidget(self.verification)
        bas.addWidget(fermer)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(sous_titre)
        box.addWidget(intro)
        box.addWidget(self.defilement, 1)
        box.addLayout(bas)
        self.recharger()

    # --- the list ---------------------------------------------------------------------------
    def recharger(self) -> None:
        """Read the pieces again and rebuild the groups, keeping the scroll position and focus."""
        focus = self.focusWidget()
        nom_focus = focus.accessibleName() if focus is not None and self.defilement.isAncestorOf(focus) else ""
        position = self.defilement.verticalScrollBar().value()
        try:
            self.groupes = justificatifs.mes_justificatifs(self.ctx, self.candidature_id)
        except DomainError as exc:
            signaler(self, exc, titre="Pièces indisponibles")
            self.groupes = []
        self._pieces = {p.id: p for g in self.groupes for p in g.pieces}
        contenu = QWidget()
        contenu.setStyleSheet(FEUILLE)
        box = QVBoxLayout(contenu)
        box.setContentsMargins(2, 2, 8, 2)
        box.setSpacing(12)
        if not self.groupes:
            vide = QLabel("Aucune pièce justificative n'est demandée pour cette candidature.")
            nommer(vide, "Aucune pièce")
            box.addWidget(vide)
        for numero, g in enumerate(self.groupes, start=1):
            box.addWidget(self._groupe(numero, g))
        box.addStretch(1)
        # The previous content goes later, not now: this may run inside one of its buttons' signals.
        self._ancien = self.defilement.takeWidget()
        if self._ancien is not None:
            self._ancien.deleteLater()
        self.defilement.setWidget(contenu)
        self.defilement.verticalScrollBar().setValue(position)
        cible = next((w for w in contenu.findChildren(QWidget) if nom_focus and w.accessibleName() == nom_focus
                      and w.isEnabled()), None)
        if cible is not None:
            cible.setFocus()

    def _groupe(self, numero: int, g: GroupeVue) -> QFrame:
        cadre = QFrame()
        cadre.setObjectName("groupe")
        cadre.setAccessibleName(g.titre)
        box = QVBoxLayout(cadre)
        box.setContentsMargins(14, 10, 14, 12)
        titre = QLabel(f"{numero}. {g.titre}")
        titre.setObjectName("groupe_titre")
        titre.setWordWrap(True)
        titre.setAccessibleName(f"Groupe {numero}")
        box.addWidget(titre)
        en_ligne = g.mode == regles.EN_LIGNE
        if en_ligne:
            box.addWidget(_aide(TEXTE_FORMATS))
        for p in g.pieces:
            box.addWidget(self._piece(p, en_ligne))
        if en_ligne:
            box.addWidget(_aide(EXPLICATION_VALIDATION, "color: #333;"))
            valider = bouton_action(BOUTON_VALIDER, g.raison or "Valider le dépôt de toutes les pièces de ce groupe",
                                    lambda: self.demander_validation(g.cle))
            nommer(valider, nom_valider(g))
            valider.setObjectName("valider")
            valider.setEnabled(g.peut_valider)
            valider.setAccessibleDescription(g.raison or "")
            ligne = QHBoxLayout()
            ligne.addWidget(valider)
            if g.raison and not g.valide:
                raison = _aide(g.raison)
                nommer(raison, f"Raison {nom_valider(g)}")
                ligne.addWidget(raison, 1)
            else:
                ligne.addStretch(1)
            box.addLayout(ligne)
        else:
            box.addWidget(_aide(NOTE_COURRIER))
        return cadre

    def _piece(self, p: PieceVue, en_ligne: bool) -> QFrame:
        cadre = QFrame()
        cadre.setObjectName("piece")
        cadre.setAccessibleName(f"Pièce {p.code}")
        grille = QGridLayout(cadre)
        grille.setContentsMargins(0, 8, 0, 0)
        grille.setColumnStretch(0, 1)
        titre = QLabel(f"► {p.code} : {p.libelle}")
        titre.setObjectName("piece_titre")
        titre.setWordWrap(True)
        titre.setAccessibleName(f"Libellé {p.code}")
        grille.addWidget(titre, 0, 0, 1, 2)
        gauche = QVBoxLayout()
        gauche.setSpacing(2)
        statut = QLabel(ligne_statut(p))
        nommer(statut, f"Statut {p.code}")
        statut.setVisible(bool(statut.text()))
        gauche.addWidget(statut)
        if p.commentaire:
            commentaire = QLabel(f"Commentaire du gestionnaire : {p.commentaire}")
            commentaire.setWordWrap(True)
            commentaire.setStyleSheet(STYLE_COMMENTAIRE)
            nommer(commentaire, f"Commentaire {p.code}")
            gauche.addWidget(commentaire)
        boutons = QHBoxLayout()
        boutons.setSpacing(6)
        if en_ligne:
            fichier = QLabel(ligne_fichier(p.fichier, p.valide_le))
            fichier.setWordWrap(True)
            fichier.setStyleSheet(STYLE_VALIDE if p.valide_le is not None else "")
            nommer(fichier, f"Fichier {p.code}")
            gauche.addWidget(fichier)
            voir = self._bouton("Voir", p, "Afficher le fichier déposé", lambda: self.voir_piece(p.id))
            voir.setVisible(p.fichier is not None)
            supprimer = self._bouton("Supprimer", p, p.raison or "Retirer ce fichier (il reste dans l'historique)",
                                     lambda: self.supprimer_fichier(p.id))
            supprimer.setVisible(p.fichier is not None and p.valide_le is None)
            supprimer.setEnabled(p.peut_deposer)
            ajouter = self._bouton("Ajouter…", p, p.raison or TEXTE_FORMATS, lambda: self.ajouter(p.id))
            ajouter.setEnabled(p.peut_deposer)
            for b in (voir, supprimer, ajouter):
                boutons.addWidget(b)
        else:
            refus = refus_reception(p)
            reception = self._bouton("Réception…", p, refus or "Enregistrer la date de réception du courrier "
                                     "(cachet de la poste)", lambda: self.demander_reception(p.id))
            reception.setEnabled(not refus)
            boutons.addWidget(reception)
        anciens = [f for f in p.historique if not f.actif]
        if anciens:
            gauche.addWidget(self._historique(p, anciens))
        grille.addLayout(gauche, 1, 0, Qt.AlignmentFlag.AlignTop)
        grille.addLayout(boutons, 1, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        return cadre

    def _bouton(self, texte: str, p: PieceVue, aide: str, action: Callable[[], object]) -> QPushButton:
        b = QPushButton(texte)
        nommer(b, f"{texte.rstrip('…')} {p.code}")
        b.setToolTip(aide)
        b.setAccessibleDescription(aide)
        b.setAutoDefault(False)
        b.clicked.connect(action)
        return b

    def _historique(self, p: PieceVue, anciens: list[FichierVue]) -> QWidget:
        """Files replaced or removed, newest first; Entrée or double-click opens one."""
        conteneur = QWidget()
        box = QVBoxLayout(conteneur)
        box.setContentsMargins(0, 4, 0, 0)
        bascule = QPushButton(f"Historique ({len(anciens)})")
        nommer(bascule, f"Historique {p.code}")
        bascule.setCheckable(True)
        bascule.setAutoDefault(False)
        bascule.setToolTip("Fichiers remplacés ou supprimés (ils restent consultables)")
        liste = QListWidget()
        nommer(liste, f"Anciens fichiers {p.code}")
        for f in anciens:
            item = QListWidgetItem(f"{f.nom} – Déposé le {format_date_heure(f.depose_le)} (heure/Paris) – "
                                   "remplacé ou supprimé")
            item.setData(ROLE_FICHIER, f.id)
            liste.addItem(item)
        liste.setMaximumHeight(liste.sizeHintForRow(0) * min(len(anciens), 4) + 8)
        liste.setVisible(False)
        liste.itemActivated.connect(lambda item: self.voir_fichier(item.data(ROLE_FICHIER)))
        bascule.toggled.connect(liste.setVisible)
        box.addWidget(bascule, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(liste)
        return conteneur

    def piece(self, code: str) -> PieceVue:
        return next(p for p in self._pieces.values() if p.code == code)

    def _garder(self, fenetre: QWidget) -> None:
        self.fenetres = [f for f in self.fenetres if shiboken6.isValid(f) and f.isVisible()] + [fenetre]

    def _refuser(self, exc: DomainError, titre: str) -> None:
        if isinstance(exc, ValidationError):     # a file refused: its reason, not the form's generic line
            exc = DomainError("\n".join(exc.errors.values()) or exc.message)
        self.message.clear()
        signaler(self, exc, titre=titre)

    def _fait(self, message: str) -> None:
        self.recharger()
        self.message.setText(message)

    # --- online deposits --------------------------------------------------------------------
    def ajouter(self, justificatif_id: int) -> QFileDialog:
        """« Ajouter… »: choose a file (non-blocking); the formats and the maximum size are shown."""
        p = self._pieces[justificatif_id]
        dialogue = choisir_fichier(self, p.code, p.libelle)
        dialogue.fileSelected.connect(
            lambda chemin: shiboken6.isValid(self) and self.deposer_fichier(justificatif_id, chemin))
        dialogue.open()
        self._garder(dialogue)
        return dialogue

    def deposer_fichier(self, justificatif_id: int, chemin: str) -> bool | None:
        """Deposit the file at ``chemin``: read, checked (in a child process, up to a few seconds)
        and stored by the background runner, « Vérification du fichier… » meanwhile; a refusal is
        shown and nothing is stored. True once deposited, False when refused, None while the
        check is still running (its outcome is shown when it arrives)."""
        nom = Path(chemin).name
        ctx = self.ctx
        depose: list[str] = []       # the name as stored (normalised), from the worker
        issue: list[bool] = []
        self._verifications += 1
        self.verification.setVisible(True)
        self.message.setText(f"Vérification du fichier « {nom} »…")

        def deposer(_tache: object) -> None:
            depose.append(justificatifs.deposer(ctx, justificatif_id, nom, lire_fichier(chemin)).nom)

        def fin(exc: Exception | None) -> None:
            issue.append(exc is None)
            if not shiboken6.isValid(self):      # closed meanwhile: nothing left to show
                return
            self._verifications -= 1
            self.verification.setVisible(self._verifications > 0)
            if exc is not None:
                self._refuser(exc if isinstance(exc, DomainError) else DomainError(
                    "La vérification du fichier a échoué ; rien n'a été enregistré."), "Dépôt refusé")
                return
            code = self._pieces[justificatif_id].code if justificatif_id in self._pieces else ""
            self._fait(f"{code} : « {depose[0]} » déposé. Cliquez sur « {BOUTON_VALIDER} » quand toutes les "
                       "pièces sont ajoutées.")

        self.executeur.lancer(deposer, resultat=lambda _valeur: fin(None), erreur=fin)
        return issue[0] if issue else None

    def supprimer_fichier(self, justificatif_id: int) -> bool:
        try:
            justificatifs.supprimer_fichier(self.ctx, justificatif_id)
        except DomainError as exc:
            self._refuser(exc, "Suppression impossible")
            return False
        code = self._pieces[justificatif_id].code if justificatif_id in self._pieces else ""
        self._fait(f"{code} : fichier supprimé (il reste consultable dans l'historique).")
        return True

    def demander_validation(self, cle: str) -> QDialog:
        g = next(g for g in self.groupes if g.cle == cle)
        return confirmer(self, BOUTON_VALIDER,
                         f"Le dépôt des pièces de ce groupe ({', '.join(p.code for p in g.pieces)}) va être validé : "
                         "elles ne pourront plus être modifiées et pourront être étudiées par le gestionnaire.",
                         lambda: shiboken6.isValid(self) and self.valider_groupe(cle), oui="Valider les pièces")

    def valider_groupe(self, cle: str) -> bool:
        try:
            n = justificatifs.valider_groupe(self.ctx, self.candidature_id, cle)
        except DomainError as exc:
            self._refuser(exc, "Validation impossible")
            return False
        self._fait(f"{n} pièce{'s validées' if n > 1 else ' validée'} : elles vont être étudiées par le "
                   "gestionnaire.")
        return True

    # --- viewing ------------------------------------------------------------------------------
    def voir_piece(self, justificatif_id: int) -> QWidget | None:
        try:
            lu = justificatifs.fichier_courant(self.ctx, justificatif_id)
            if lu is None:
                raise DomainError("Aucun fichier n'est déposé pour cette pièce.")
        except DomainError as exc:
            self._refuser(exc, "Fichier indisponible")
            return None
        code = self._pieces[justificatif_id].code if justificatif_id in self._pieces else ""
        return self._apercu(f"{code} — {lu[0].nom}", *lu)

    def voir_fichier(self, fichier_id: int) -> QWidget | None:
        """Any file of a piece's history."""
        try:
            vue, contenu = justificatifs.contenu_fichier(self.ctx, fichier_id)
        except DomainError as exc:
            self._refuser(exc, "Fichier indisponible")
            return None
        return self._apercu(f"{vue.nom} (ancien fichier)", vue, contenu)

    def _apercu(self, titre: str, vue: FichierVue, contenu: bytes) -> QWidget:
        if vue.type_mime == "application/pdf":
            fenetre: QWidget = ouvrir_apercu(self, titre, contenu, vue.nom)
        else:
            fenetre = ApercuImage(self, titre, contenu, vue.nom)
            fenetre.show()
            fenetre.raise_()
            fenetre.activateWindow()
        self._garder(fenetre)
        return fenetre

    # --- postal pieces ------------------------------------------------------------------------
    def demander_reception(self, justificatif_id: int) -> DialogueReception:
        p = self._pieces[justificatif_id]
        dialogue = DialogueReception(self, p.code, p.libelle, paris(self.ctx.clock.now()).date(),
                                     lambda d, cachet: self.enregistrer_reception(justificatif_id, d, cachet,
                                                                                  signaler_refus=False))
        dialogue.open()
        self._garder(dialogue)
        return dialogue

    def enregistrer_reception(self, justificatif_id: int, date_reception: date, date_cachet: date | None = None,
                              *, signaler_refus: bool = True) -> bool:
        """Record the date a posted piece arrived (and its postmark). From the « Réception… » form a
        refusal is shown under its field (the form raises it back); called directly, in a message box."""
        try:
            justificatifs.enregistrer_reception(self.ctx, justificatif_id, date_reception, date_cachet)
        except DomainError as exc:
            if not signaler_refus:
                raise
            self._refuser(exc, "Réception non enregistrée")
            return False
        code = self._pieces[justificatif_id].code if justificatif_id in self._pieces else ""
        self._fait(f"{code} : reçue le {format_date(date_reception)}.")
        return True


def _aide(texte: str, style: str = STYLE_AIDE) -> QLabel:
    lab = QLabel(texte)
    lab.setWordWrap(True)
    lab.setStyleSheet(style)
    return lab
