"""Journal d'audit: who changed what and when, newest first, with the values before and after.
Read-only: the trail is append-only (database triggers refuse UPDATE and DELETE). Filters are
applied in SQL by the service; the table fetches further pages as it is scrolled."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...rules.temps import paris
from ...services import personnel, sauvegardes
from ...services.noyau import Contexte, FiltreAudit, LigneAudit, audit
from ..formulaire import STYLE_ERREUR, nommer, signaler
from ..tables import table_lecture
from .filtres import DateFacultative
from .modele import (
    ACTIONS,
    ROLE_ENTREE,
    ModeleJournal,
    format_horodatage,
    libelle_action,
    libelle_entite,
    lignes_detail,
)

DELAI_RECHERCHE_MS = 300  # typing pauses this long before the search runs (Entrée runs it at once)
AUCUNE_SELECTION = "Sélectionnez une ligne du journal pour en voir le détail."


class ZoneAudit(QWidget):
    def __init__(self, ctx: Contexte, taille_page: int = 200) -> None:
        super().__init__()
        self.ctx = ctx
        titre = QLabel("Journal d'audit")
        titre.setObjectName("titre")
        sous_titre = QLabel("Les opérations du personnel et des traitements automatiques, les plus récentes "
                            "en premier. Le journal ne peut être ni modifié ni effacé.")
        sous_titre.setWordWrap(True)

        # Portfolios are stored as codes; the detail shows their names.
        self._portefeuilles = {p.code: p.libelle for p in personnel.lister_portefeuilles(ctx)}
        self.modele = ModeleJournal(ctx, taille_page)
        self.modele.erreur.connect(lambda exc: signaler(self, exc, titre="Lecture du journal impossible"))
        self.modele.modelReset.connect(self._compter)
        self.modele.rowsInserted.connect(self._compter)

        filtres = self._construire_filtres()
        self.table = table_lecture("Journal", self.modele, hauteur_ligne=24)
        for colonne, largeur in enumerate((260, 110, 230, 200)):
            self.table.setColumnWidth(colonne, largeur)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._ligne_choisie)
        self.compteur = QLabel()
        nommer(self.compteur, "Nombre de lignes")

        haut = QWidget()
        box_haut = QVBoxLayout(haut)
        box_haut.setContentsMargins(0, 0, 0, 0)
        box_haut.addWidget(self.table, 1)
        box_haut.addWidget(self.compteur)
        separation = QSplitter(Qt.Orientation.Vertical)
        separation.addWidget(haut)
        separation.addWidget(self._construire_detail())
        separation.setStretchFactor(0, 3)
        separation.setStretchFactor(1, 2)
        separation.setChildrenCollapsible(False)

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(sous_titre)
        box.addWidget(filtres)
        box.addWidget(separation, 1)
        actualiser = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        actualiser.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        actualiser.activated.connect(self.actualiser)
        self.actualiser()

    # --- construction ------------------------------------------------------------------------
    def _construire_filtres(self) -> QWidget:
        zone = QWidget()
        box = QVBoxLayout(zone)
        box.setContentsMargins(0, 4, 0, 4)
        ligne1, ligne2 = QHBoxLayout(), QHBoxLayout()
        box.addLayout(ligne1)
        box.addLayout(ligne2)

        def champ(ligne: QHBoxLayout, libelle: str, widget: QWidget, etirement: int = 0) -> None:
            label = QLabel(libelle)
            label.setBuddy(widget)
            nommer(widget, libelle.replace("&", ""))
            ligne.addWidget(label)
            ligne.addWidget(widget, etirement)
            ligne.addSpacing(12)

        self.texte = QLineEdit()
        self.texte.setPlaceholderText("Identifiant, libellé, n° d'enregistrement…")
        self.texte.setClearButtonEnabled(True)
        champ(ligne1, "&Rechercher", self.texte, 3)
        self.type = QComboBox()
        champ(ligne1, "&Type d'enregistrement", self.type, 2)
        self.action = QComboBox()
        champ(ligne1, "A&ction", self.action, 2)
        self.du = DateFacultative(self._aujourd_hui)
        self.du.setToolTip("Vide : sans limite. Suppr vide le champ, F4 ouvre le calendrier.")
        champ(ligne2, "D&u", self.du)
        self.au = DateFacultative(self._aujourd_hui)
        self.au.setToolTip(self.du.toolTip())
        champ(ligne2, "Au", self.au)
        for date_ in (self.du, self.au):
            date_.setMinimumWidth(130)
        self.erreur_dates = QLabel()
        nommer(self.erreur_dates, "Erreur : Au")
        self.erreur_dates.setStyleSheet(STYLE_ERREUR)
        self.erreur_dates.setVisible(False)
        ligne2.addWidget(self.erreur_dates)
        ligne2.addStretch(1)
        self.bouton_effacer = QPushButton("&Effacer les filtres")
        nommer(self.bouton_effacer, "Effacer les filtres")
        self.bouton_effacer.clicked.connect(self.effacer_filtres)
        self.bouton_actualiser = QPushButton("Actuali&ser")
        nommer(self.bouton_actualiser, "Actualiser")
        self.bouton_actualiser.setToolTip("Relire le journal (F5)")
        self.bouton_actualiser.clicked.connect(self.actualiser)
        ligne2.addWidget(self.bouton_effacer)
        ligne2.addWidget(self.bouton_actualiser)
        # Issue 6: recompute the hash chain over the whole trail (in the background: ~1 M rows/30 s).
        self.bouton_verifier = QPushButton("&Vérifier l'intégrité du journal")
        nommer(self.bouton_verifier, "Vérifier l'intégrité du journal")
        self.bouton_verifier.setToolTip("Recalculer la chaîne d'empreintes et la confronter aux sceaux (fichier "
                                        "des sceaux, sauvegardes) : une entrée modifiée, supprimée ou ajoutée "
                                        "hors de l'application est signalée")
        self.bouton_verifier.clicked.connect(self.verifier_integrite)
        ligne2.addWidget(self.bouton_verifier)

        self._attente = QTimer(self)
        self._attente.setSingleShot(True)
        self._attente.setInterval(DELAI_RECHERCHE_MS)
        self._attente.timeout.connect(self.appliquer)
        self.texte.textChanged.connect(self._attente.start)
        self.texte.returnPressed.connect(self.appliquer)
        self.type.currentIndexChanged.connect(self.appliquer)
        self.action.currentIndexChanged.connect(self.appliquer)
        self.du.dateChanged.connect(self.appliquer)
        self.au.dateChanged.connect(self.appliquer)
        return zone

    def _construire_detail(self) -> QWidget:
        panneau = QWidget()
        box = QVBoxLayout(panneau)
        box.setContentsMargins(0, 0, 0, 0)
        entete = QLabel("Détail de l'opération")
        entete.setObjectName("sous_titre")
        self.resume = QLabel(AUCUNE_SELECTION)
        nommer(self.resume, "Résumé de l'opération")
        self.resume.setWordWrap(True)
        self.resume.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.valeurs = QTableWidget(0, 3)
        nommer(self.valeurs, "Valeurs avant et après")
        self.valeurs.setHorizontalHeaderLabels(["Champ", "Avant", "Après"])
        self.valeurs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.valeurs.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.valeurs.verticalHeader().setVisible(False)
        self.valeurs.setWordWrap(True)
        entetes = self.valeurs.horizontalHeader()
        entetes.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        entetes.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        entetes.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.motif = QLabel()
        nommer(self.motif, "Motif")
        self.motif.setWordWrap(True)
        self.motif.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.motif.setVisible(False)
        box.addWidget(entete)
        box.addWidget(self.resume)
        box.addWidget(self.valeurs, 1)
        box.addWidget(self.motif)
        return panneau

    # --- filters -------------------------------------------------------------------------------
    def _aujourd_hui(self) -> date:
        return paris(self.ctx.clock.now()).date()

    def _remplir_combos(self) -> None:
        """Types and actions present in the trail; the current choice survives a refresh."""
        try:
            entites = audit.entites_connues(self.ctx)
            actions = audit.actions_connues(self.ctx)
        except DomainError as exc:
            signaler(self, exc, titre="Lecture du journal impossible")
            return
        for combo, tous, valeurs, libelle in (
                (self.type, "Tous", entites, libelle_entite),
                (self.action, "Toutes", list(dict.fromkeys([*ACTIONS, *actions])), libelle_action)):
            choisi = combo.currentData() or ""
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tous, "")
            for valeur in valeurs:
                combo.addItem(libelle(valeur), valeur)
            combo.setCurrentIndex(max(0, combo.findData(choisi)))
            combo.blockSignals(False)

    def filtre(self) -> FiltreAudit:
        return FiltreAudit(texte=self.texte.text(), entite=self.type.currentData() or "",
                           action=self.action.currentData() or "", du=self.du.valeur(), au=self.au.valeur())

    def appliquer(self) -> None:
        """Run the query for the current filters; the selection and detail start afresh."""
        self._attente.stop()
        filtre = self.filtre()
        incoherent = filtre.du is not None and filtre.au is not None and filtre.au < filtre.du
        self.erreur_dates.setText("La date « Au » doit être égale ou postérieure à la date « Du »."
                                  if incoherent else "")
        self.erreur_dates.setVisible(incoherent)
        self.modele.charger(filtre)
        self._afficher(None)

    def actualiser(self) -> None:
        self._remplir_combos()
        self.appliquer()

    def effacer_filtres(self) -> None:
        for widget in (self.texte, self.type, self.action, self.du, self.au):
            widget.blockSignals(True)
        self.texte.clear()
        self.type.setCurrentIndex(0)
        self.action.setCurrentIndex(0)
        self.du.vider()
        self.au.vider()
        for widget in (self.texte, self.type, self.action, self.du, self.au):
            widget.blockSignals(False)
        self.appliquer()
        self.texte.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        # Operations made in other zones since the last visit must appear without a manual refresh
        # (not when the window is merely restored: that would lose the reader's place).
        if not event.spontaneous():
            self.actualiser()
        super().showEvent(event)

    # --- table and detail ------------------------------------------------------------------------
    def _compter(self) -> None:
        n = self.modele.rowCount()
        if n == 0:
            texte = "Aucune opération ne correspond à ces critères."
        elif self.modele.tout_charge():
            texte = f"{n} opération{'s' if n > 1 else ''}."
        else:
            texte = f"{n} premières opérations affichées ; faites défiler pour voir les suivantes."
        self.compteur.setText(texte)

    def _ligne_choisie(self, courant: QModelIndex, _precedent: QModelIndex) -> None:
        self._afficher(courant.data(ROLE_ENTREE) if courant.isValid() else None)

    def _afficher(self, entree: LigneAudit | None) -> None:
        self.valeurs.setRowCount(0)
        self.motif.setVisible(False)
        if entree is None:
            self.resume.setText(AUCUNE_SELECTION)
            return
        self.resume.setText(
            f"{libelle_action(entree.action)} — {libelle_entite(entree.entite)} {entree.entite_id}"
            f" — par {entree.agent_login} le {format_horodatage(entree.horodatage)} (heure de Paris)"
            + (f"\n{entree.libelle}" if entree.libelle else ""))
        lignes = lignes_detail(entree, self._portefeuilles)
        self.valeurs.setRowCount(len(lignes))
        for i, ligne in enumerate(lignes):
            for j, texte in enumerate(ligne):
                item = QTableWidgetItem(texte)
                item.setToolTip(texte)
                self.valeurs.setItem(i, j, item)
        self.valeurs.resizeRowsToContents()
        if entree.motif:
            self.motif.setText(f"Motif : {entree.motif}")
            self.motif.setVisible(True)

    def verifier_integrite(self) -> None:
        from ..formulaire import informer
        from ..taches import Executeur

        self.bouton_verifier.setEnabled(False)
        self.bouton_verifier.setText("Vérification en cours…")

        def fini() -> None:
            self.bouton_verifier.setEnabled(True)
            self.bouton_verifier.setText("&Vérifier l'intégrité du journal")

        def resultat(rapport: audit.RapportChaine) -> None:
            fini()
            if rapport.intacte:
                self.boite_integrite = informer(self, "Intégrité du journal", rapport.message)
            else:
                suite = (" : le journal a été modifié en dehors de l'application." if rapport.alteree else ".")
                signaler(self, DomainError(f"{rapport.message}\n\nPrévenez l'administrateur{suite}"),
                         titre="Intégrité du journal")

        def erreur(exc: Exception) -> None:
            fini()
            signaler(self, exc, titre="Vérification impossible")

        def verifier(_t: object) -> audit.RapportChaine:
            # Every seal found: the seal file beside the key and the backups' manifests.
            return audit.verifier_chaine(self.ctx, ancres=sauvegardes.ancres_audit(self.ctx))

        self._verification = Executeur().lancer(verifier, resultat=resultat, erreur=erreur)

    def lignes_detail(self) -> list[tuple[str, str, str]]:
        """What the detail table shows, cell by cell (for tests and accessibility tools)."""
        return [tuple(self.valeurs.item(i, j).text() for j in range(3))  # type: ignore[misc]
                for i in range(self.valeurs.rowCount())]
