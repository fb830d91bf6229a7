"""Pièces justificatives: the gestionnaire's main screen (docs/domaine/justificatifs.md). Every piece
across candidatures, filtered in SQL and paged by keyset; the counts per status; a status set from
the keyboard (0 A R C N P) on the selection; the current piece's file shown beside the grid, so that
a reviewer goes through a queue without opening a window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QItemSelectionModel, QKeyCombination, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...rules import pieces as regles
from ...rules.errors import ConflictError, DomainError
from ...rules.personnel import Role
from ...rules.temps import depuis_paris, paris
from ...services import justificatifs, referentiel
from ...services.justificatifs import FiltrePieces, LignePiece, conflits, controle
from ...services.noyau import Contexte, P, autorise
from ..audit.filtres import DateFacultative
from ..colonnes import LargeursColonnes
from ..conflit import montrer_conflit
from ..formulaire import confirmer, nommer, signaler
from ..impressions.zone import imprimer_selection
from ..tables import configurer_lecture
from .compteurs import Compteur, Compteurs, nombre
from .dialogues import DialogueCommentaire, DialogueReception
from .modele import PRIORITES, ModelePieces
from .visionneuse import Visionneuse

DELAI_RECHERCHE_MS = 250   # typing pauses this long before the search runs (Entrée runs it at once)
AIDE_TOUCHES = ("Touches, dans la liste : 0 (aucun) · A en attente de contrôle · R reçue · C conforme · "
                "N non conforme · P en attente d'une nouvelle PJ")


class ZonePieces(QWidget):
    def __init__(self, ctx: Contexte, taille_page: int = controle.TAILLE_PAGE) -> None:
        super().__init__()
        self.ctx = ctx
        self._dialogue: QWidget | None = None
        titre = QLabel("Pièces justificatives")
        titre.setObjectName("titre")
        self.compteurs = Compteurs()
        self.compteurs.choisi.connect(self._choisir_statut)
        self.compteur = Compteur(self)
        self.compteur.pret.connect(self.compteurs.afficher)
        self.compteur.echec.connect(lambda exc: signaler(self, exc, titre="Comptage impossible"))

        self.modele = ModelePieces(ctx, taille_page)
        self.modele.charge.connect(self._resumer)
        self.modele.erreur.connect(lambda exc: signaler(self, exc, titre="Liste incomplète"))
        self.table = self._construire_table()
        self.visionneuse = Visionneuse(ctx, self)
        self.message = QLabel()
        nommer(self.message, "Message de la liste")
        self.message.setStyleSheet("color: #1b5e20; font-weight: 600;")
        self.resume = QLabel()
        nommer(self.resume, "Nombre de pièces")

        liste = QWidget()
        gauche = QVBoxLayout(liste)
        gauche.setContentsMargins(0, 0, 0, 0)
        etiquette = QLabel("Liste de&s pièces")
        etiquette.setBuddy(self.table)
        etiquette.setToolTip(AIDE_TOUCHES)
        haut = QHBoxLayout()
        haut.addWidget(etiquette)
        haut.addStretch(1)
        haut.addWidget(self.bouton_statut)
        haut.addWidget(self._construire_impression())
        gauche.addLayout(haut)
        gauche.addWidget(self.table, 1)
        gauche.addWidget(self.resume)
        gauche.addWidget(self.message)
        self.separation = QSplitter(Qt.Orientation.Horizontal)
        self.separation.addWidget(liste)
        self.separation.addWidget(self.visionneuse)
        self.separation.setStretchFactor(0, 3)
        self.separation.setStretchFactor(1, 2)
        self.separation.setChildrenCollapsible(False)
        self.separation.setSizes([600, 440])

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addLayout(self._construire_filtres())
        box.addWidget(self.compteurs)
        box.addWidget(self.separation, 1)
        actualiser = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        actualiser.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        actualiser.activated.connect(self.lancer)
        self.lancer()

    # --- building -----------------------------------------------------------------------------
    def _construire_filtres(self) -> QGridLayout:
        self.session = QComboBox()
        self.session.addItem("Toutes", None)
        for s in referentiel.sessions(self.ctx):
            self.session.addItem(s.libelle, s.id)
        self.domaine = QComboBox()
        self.domaine.addItem("Tous", None)
        for d in referentiel.domaines(self.ctx):
            self.domaine.addItem(f"{d.code} – {d.libelle}", d.code)
        self.specialite = QComboBox()
        self._remplir_specialites()
        self.filiere = QComboBox()
        self.filiere.addItem("Toutes", None)
        for f in controle.filieres(self.ctx):
            self.filiere.addItem(f, f)
        self.statut = QComboBox()
        self.statut.addItem("Tous", None)
        for code, libelle in regles.STATUTS.items():
            self.statut.addItem(libelle, code)
        self.echeance = DateFacultative(lambda: paris(self.ctx.clock.now()).date())
        self.echeance.setToolTip("Pièces dont la date limite tombe au plus tard ce jour-là (heure de "
                                 "Paris) ; Suppr : effacer ; F4 : calendrier")
        self.candidat = QLineEdit()
        self.candidat.setPlaceholderText("N° candidat ou nom…")
        self.candidat.setClearButtonEnabled(True)
        self.candidat.setToolTip("Début du N° candidat ou du nom (accents et majuscules ignorés) ; Entrée : "
                                 "chercher tout de suite")
        agent = self.ctx.agent
        self.portefeuille = QCheckBox("Mon p&ortefeuille")
        nommer(self.portefeuille, "Mon portefeuille")
        if agent is not None and agent.portefeuilles:
            self.portefeuille.setToolTip("Seulement les spécialités des filières de votre portefeuille")
            self.portefeuille.setChecked(agent.role == Role.GESTIONNAIRE)
        else:
            self.portefeuille.setEnabled(False)
            self.portefeuille.setToolTip("Aucun portefeuille de filières ne vous est attribué.")
        self.bouton_actualiser = QPushButton("Ac&tualiser")
        nommer(self.bouton_actualiser, "Actualiser")
        self.bouton_actualiser.setToolTip("Relire la liste et les compteurs (F5)")
        self.bouton_actualiser.setAutoDefault(False)
        self.bouton_actualiser.clicked.connect(self.lancer)

        grille = QGridLayout()
        grille.setHorizontalSpacing(8)
        champs = (("S&ession", self.session), ("E&xamen", self.domaine), ("Spéci&alité", self.specialite),
                  ("Filiè&re", self.filiere), ("Stat&ut", self.statut), ("É&chéance avant le", self.echeance),
                  ("Ca&ndidat", self.candidat))
        for i, (libelle, champ) in enumerate(champs):
            nommer(champ, libelle.replace("&", ""))
            if isinstance(champ, QComboBox):
                # Long spécialité names must not widen the screen: the list opens wide enough.
                champ.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                champ.setMinimumContentsLength(11 if champ is self.specialite else 8)
            etiquette = QLabel(libelle + " :")
            etiquette.setBuddy(champ)
            ligne, colonne = divmod(i, 4)
            grille.addWidget(etiquette, ligne, colonne * 2, Qt.AlignmentFlag.AlignRight)
            grille.addWidget(champ, ligne, colonne * 2 + 1)
        options = QHBoxLayout()
        options.addWidget(self.portefeuille)
        options.addStretch(1)
        options.addWidget(self.bouton_actualiser)
        grille.addLayout(options, 1, 7)
        for colonne in (1, 3, 5, 7):
            grille.setColumnStretch(colonne, 1)

        self.minuteur = QTimer(self)
        self.minuteur.setSingleShot(True)
        self.minuteur.setInterval(DELAI_RECHERCHE_MS)
        self.minuteur.timeout.connect(self.lancer)
        for combo in (self.session, self.specialite, self.filiere, self.statut):
            combo.currentIndexChanged.connect(lambda _i: self.lancer())
        self.domaine.currentIndexChanged.connect(self._domaine_change)
        self.portefeuille.toggled.connect(lambda _c: self.lancer())
        self.echeance.dateChanged.connect(lambda _d: self.minuteur.start())
        self.candidat.textChanged.connect(lambda _t: self.minuteur.start())
        self.candidat.returnPressed.connect(self.lancer)
        return grille

    def _remplir_specialites(self) -> None:
        self.specialite.blockSignals(True)
        self.specialite.clear()
        self.specialite.addItem("Toutes", None)
        for sp in referentiel.specialites(self.ctx, self.domaine.currentData()):
            self.specialite.addItem(f"{sp.intitule} ({sp.code or sp.id})", sp.id)
        self.specialite.blockSignals(False)

    def _domaine_change(self) -> None:
        self._remplir_specialites()
        self.lancer()

    def _construire_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.modele)
        configurer_lecture(table, "Liste des pièces")
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setToolTip(AIDE_TOUCHES)
        table.verticalHeader().setDefaultSectionSize(24)
        # Fitted to the list's width by priority, elided with tooltips, the user's widths remembered.
        self.colonnes = LargeursColonnes(table, "pieces", PRIORITES)
        table.selectionModel().currentRowChanged.connect(self._ligne_courante)

        self.actions_statut: dict[str, QAction] = {}
        self.menu_statut = QMenu(self)
        for touche, statut in regles.TOUCHES.items():
            action = QAction(regles.STATUTS[statut], table)
            touches = [QKeySequence(touche)]
            if touche.isdigit():
                # On an AZERTY keyboard the digit row needs Shift; the numeric keypad works too.
                touches += [QKeySequence(f"Shift+{touche}"), QKeySequence(QKeyCombination(
                    Qt.KeyboardModifier.KeypadModifier, Qt.Key(ord(touche))))]
            action.setShortcuts(touches)
            # Only while the list has the focus: the same letters are typed in the filters.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, s=statut: self.demander_statut(s))
            table.addAction(action)
            self.menu_statut.addAction(action)
            self.actions_statut[statut] = action
        self.bouton_statut = QPushButton("Chan&ger le statut")
        nommer(self.bouton_statut, "Changer le statut")
        self.bouton_statut.setToolTip("Statut des pièces sélectionnées (Alt+G) ; " + AIDE_TOUCHES)
        self.bouton_statut.setAutoDefault(False)
        self.bouton_statut.setMenu(self.menu_statut)
        return table

    # --- filters and loading ----------------------------------------------------------------
    def filtre(self) -> FiltrePieces:
        jour = self.echeance.valeur()
        return FiltrePieces(
            session_id=self.session.currentData(), domaine=self.domaine.currentData(),
            specialite_id=self.specialite.currentData(), filiere=self.filiere.currentData(),
            mon_portefeuille=self.portefeuille.isEnabled() and self.portefeuille.isChecked(),
            statut=self.statut.currentData(),
            echeance_avant=depuis_paris(datetime(jour.year, jour.month, jour.day) + timedelta(days=1))
            if jour else None,
            candidat=self.candidat.text().strip())

    def lancer(self) -> None:
        """The first page of the grid for the filters shown, then the counts (on a worker thread)."""
        self.minuteur.stop()
        courante = self._ligne_selectionnee()
        filtre = self.filtre()
        try:
            self.modele.charger(filtre)
        except DomainError as exc:
            signaler(self, exc, titre="Liste impossible")
            return
        self.compteurs.marquer(filtre.statut)
        self._compter()
        rangee = self.modele.rangee_de(courante.id) if courante else -1
        if rangee >= 0 or self.modele.rowCount():
            self._aller_a(max(rangee, 0))
        else:
            self.visionneuse.afficher(None)

    def _compter(self) -> None:
        filtre = self.filtre()
        self.compteurs.afficher(None)
        self.compteur.demander(lambda: controle.compter_par_statut(self.ctx, filtre))

    def _choisir_statut(self, statut: str | None) -> None:
        index = self.statut.findData(statut)
        if index == self.statut.currentIndex() and statut is not None:
            index = 0     # a second click on the same counter shows every status again
        self.statut.setCurrentIndex(index)
        self.compteurs.marquer(self.statut.currentData())

    def _resumer(self) -> None:
        n = self.modele.rowCount()
        suite = " ; faites défiler la liste pour voir la suite" if self.modele.encore else ""
        self.resume.setText("Aucune pièce ne correspond à ces critères." if n == 0 else
                            f"{nombre(n)} pièce{'s' if n > 1 else ''} affichée{'s' if n > 1 else ''}{suite}.")

    # --- selection and the viewer -----------------------------------------------------------------
    def _lignes_selectionnees(self) -> list[LignePiece]:
        rangees = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.modele.ligne(r) for r in rangees]

    def _ligne_selectionnee(self) -> LignePiece | None:
        courant = self.table.selectionModel().currentIndex()
        return self.modele.ligne(courant.row()) if courant.isValid() else None

    def _ligne_courante(self, courant: QModelIndex, _precedent: QModelIndex) -> None:
        self.visionneuse.afficher(self.modele.ligne(courant.row()) if courant.isValid() else None)

    def _aller_a(self, rangee: int) -> None:
        if rangee >= self.modele.rowCount() and self.modele.canFetchMore():
            self.modele.fetchMore()
        if not 0 <= rangee < self.modele.rowCount():
            return
        index = self.modele.index(rangee, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    # --- statuses ------------------------------------------------------------------------------
    def demander_statut(self, statut: str) -> None:
        """What the key or the menu asks: the date or the comment first when the status needs it."""
        lignes = self._lignes_selectionnees()
        if not lignes:
            self.message.setText("Sélectionnez d'abord une ou plusieurs pièces dans la liste.")
            return
        n = len(lignes)
        if statut == regles.RECUE and any(x.date_reception is None for x in lignes):
            self._montrer(DialogueReception(self, n, paris(self.ctx.clock.now()).date(),
                                            lambda jour: self.appliquer(lignes, statut, date_reception=jour)))
        elif statut in regles.A_REDEPOSER:
            deja = lignes[0].commentaire if n == 1 and lignes[0].statut == statut else ""
            self._montrer(DialogueCommentaire(self, statut, n, lambda c: self.appliquer(lignes, statut, c),
                                              deja or ""))
        elif n > 1:
            libelle = regles.STATUTS[statut]
            boite = confirmer(self, "Changer le statut",
                              f"Passer les {n} pièces sélectionnées au statut « {libelle} » ?",
                              lambda: self.appliquer(lignes, statut), oui=f"Passer {n} pièces à « {libelle} »")
            boite.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._dialogue = boite
        else:
            self.appliquer(lignes, statut)

    def _montrer(self, dialogue: QWidget) -> None:
        self._dialogue = dialogue
        dialogue.finished.connect(lambda _r: self.table.setFocus())  # type: ignore[attr-defined]
        dialogue.show()
        dialogue.raise_()
        dialogue.activateWindow()

    def appliquer(self, lignes: list[LignePiece], statut: str, commentaire: str | None = None, *,
                  date_reception: date | None = None) -> bool:
        """One service call per reception date (a piece already received keeps its date), then the
        rows and counts afresh; after a single piece, the next one is selected (the review queue)."""
        lots: dict[date | None, list[LignePiece]] = {}
        for x in lignes:
            jour = (x.date_reception or date_reception) if statut == regles.RECUE else None
            lots.setdefault(jour, []).append(x)
        faites: list[LignePiece] = []
        try:
            for jour, lot in lots.items():
                justificatifs.changer_statut(
                    self.ctx, [x.id for x in lot], statut, commentaire=commentaire, date_reception=jour,
                    row_versions={x.id: x.row_version for x in lot})
                faites += lot
        except ConflictError as exc:
            restantes = [x for x in lignes if x not in faites]
            self._montrer_conflit(exc, restantes, statut, commentaire, date_reception)
            self._rafraichir(lignes)
            if faites:
                self._compter()
            return False
        except DomainError as exc:
            signaler(self, exc, titre="Statut non enregistré")
            self._rafraichir(lignes)
            if faites:
                self._compter()
            return False
        self._rafraichir(lignes)
        if self.compteur.occupe:
            self._compter()    # the count under way may predate this change
        else:
            self.compteurs.ajuster([x.statut for x in lignes], statut)
        n = len(lignes)
        self.message.setText(f"{regles.STATUTS[statut]} : {n} pièce{'s' if n > 1 else ''} enregistrée"
                             f"{'s' if n > 1 else ''}.")
        if n == 1:
            self._aller_a(self.modele.rangee_de(lignes[0].id) + 1)
        self.table.setFocus()
        return True

    def _montrer_conflit(self, exc: ConflictError, lignes: list[LignePiece], statut: str,
                         commentaire: str | None, date_reception: date | None) -> None:
        """Another reviewer changed a piece meanwhile: who, when, what; then the status is asked
        again on the fresh rows (never applied silently)."""
        try:
            perimees = [x for x in lignes if controle.ligne(self.ctx, x.id).row_version != x.row_version]
            conflit = (conflits.conflit_piece(self.ctx, perimees[0],
                                              conflits.SaisiePiece(statut, commentaire, date_reception))
                       if perimees else None)
        except DomainError as autre:
            signaler(self, autre, titre="Statut non enregistré")
            return
        if conflit is None:
            signaler(self, exc, titre="Statut non enregistré")
            return
        ids = [x.id for x in lignes]
        libelle = regles.STATUTS[statut]
        autres = len(perimees) - 1
        suite = (f"« Recharger et réappliquer » affiche {'les pièces' if len(ids) > 1 else 'la pièce'} à jour "
                 f"puis vous redemande de confirmer le statut « {libelle} » : rien n'est enregistré sans vous."
                 + (f"\n{autres} autre{'s' if autres > 1 else ''} pièce{'s' if autres > 1 else ''} de la sélection "
                    f"{'ont' if autres > 1 else 'a'} aussi été modifiée{'s' if autres > 1 else ''}." if autres else ""))
        self._dialogue = montrer_conflit(
            self, conflit, suite=suite,
            reappliquer=lambda: self._redemander(ids, statut, commentaire, date_reception),
            abandonner=lambda: self.message.setText("Statut non enregistré : la liste montre les pièces telles "
                                                    "qu'elles sont enregistrées."))

    def _redemander(self, ids: list[int], statut: str, commentaire: str | None, date_reception: date | None) -> None:
        """The user's status again, on the fresh rows, through the usual confirmation or dialog."""
        lignes = [self.modele.ligne(r) for r in (self.modele.rangee_de(i) for i in ids) if r >= 0]
        if not lignes:
            return
        n = len(lignes)
        libelle = regles.STATUTS[statut]
        if statut in regles.A_REDEPOSER:
            self._montrer(DialogueCommentaire(self, statut, n, lambda c: self.appliquer(lignes, statut, c),
                                              commentaire or ""))
        elif statut == regles.RECUE and any(x.date_reception is None for x in lignes):
            self._montrer(DialogueReception(self, n, date_reception or paris(self.ctx.clock.now()).date(),
                                            lambda jour: self.appliquer(lignes, statut, date_reception=jour)))
        else:
            quoi = "la pièce" if n == 1 else f"les {n} pièces"
            boite = confirmer(self, "Changer le statut",
                              f"Passer {quoi} au statut « {libelle} » malgré la modification faite sur l'autre "
                              "poste ?", lambda: self.appliquer(lignes, statut),
                              oui=f"Passer {quoi} à « {libelle} »")
            boite.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._dialogue = boite

    def _rafraichir(self, lignes: list[LignePiece]) -> None:
        for x in lignes:
            try:
                self.modele.remplacer(controle.ligne(self.ctx, x.id))
            except DomainError:
                continue     # deleted meanwhile: F5 reloads the list

    # --- printing the selection's documents ---------------------------------------------------------
    def _construire_impression(self) -> QPushButton:
        """« Imprimer… » (Ctrl+P): the relances, récapitulatifs or convocations of the candidatures
        of the selected rows, as one batch."""
        self.bouton_imprimer = QPushButton("I&mprimer…")
        nommer(self.bouton_imprimer, "Imprimer…")
        self.bouton_imprimer.setToolTip("Imprimer les documents des candidatures des pièces sélectionnées "
                                        "(relances, récapitulatifs, convocations) (Ctrl+P)")
        self.bouton_imprimer.setAutoDefault(False)
        self.bouton_imprimer.clicked.connect(self.imprimer_selection)
        self.bouton_imprimer.setEnabled(autorise(self.ctx, P.IMPRESSIONS))
        imprimer = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        imprimer.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        imprimer.activated.connect(self.imprimer_selection)
        return self.bouton_imprimer

    def candidatures_selectionnees(self) -> list[int]:
        """The selected rows' candidatures, once each, in the grid's order."""
        return list(dict.fromkeys(x.candidature_id for x in self._lignes_selectionnees()))

    def imprimer_selection(self) -> QWidget | None:
        if not self.bouton_imprimer.isEnabled():
            return None
        ids = self.candidatures_selectionnees()
        if not ids:
            self.message.setText("Sélectionnez d'abord une ou plusieurs pièces dans la liste.")
            return None
        self._dialogue = imprimer_selection(self, self.ctx, ids)
        return self._dialogue

    def closeEvent(self, event: QCloseEvent) -> None:
        self.compteur.attendre()
        super().closeEvent(event)
