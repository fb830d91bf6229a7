"""Tab "Spécialités": the spécialités of a domaine and the épreuves tree of the one selected,
edited node by node or replaced from a file."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...rules.codes_epreuves import code_affiche
from ...rules.errors import DomainError
from ...rules.referentiel import GROUPES, NATURES
from ...services import referentiel
from ...services.noyau import Contexte
from ...services.referentiel import (
    NoeudEpreuve,
    VueSpecialite,
    analyser_import,
    arbre_epreuves,
    epreuves,
    exporter_specialite,
)
from ..formulaire import confirmer, informer, signaler
from .commun import LECTURE_SEULE, bouton, note, ouvrir, rangee
from .specialites_dialogues import DialogueEpreuve, DialogueImport, DialogueSpecialite

COLONNES = ["Code", "Unité", "Intitulé", "Coefficient", "Nature", "Groupe", "Mode ponctuel", "Durée"]
ROLE_ID = Qt.ItemDataRole.UserRole


def coefficient(c: float | None) -> str:
    return "" if c is None else f"{c:g}".replace(".", ",")


def ligne_arbre(n: NoeudEpreuve) -> list[str]:
    # A unit without an official code shows none: its internal key (NC3) is never displayed.
    return [code_affiche(n.code), n.unite or "", n.intitule, coefficient(n.coefficient),
            NATURES.get(n.nature, n.nature), GROUPES.get(n.groupe, str(n.groupe)),
            n.mode_ponctuel_type or "", n.duree or ""]


class OngletSpecialites(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool) -> None:
        super().__init__()
        self.ctx = ctx
        self.ecriture = ecriture
        self.domaines = referentiel.domaines(ctx)
        self.liste_specialites: list[VueSpecialite] = []
        self.noeuds: dict[int, NoeudEpreuve] = {}

        self.filtre = QComboBox()
        self.filtre.setAccessibleName("Domaine")
        self.filtre.addItem("Tous les domaines", "")
        for d in self.domaines:
            self.filtre.addItem(f"{d.code} — {d.libelle}", d.code)
        self.filtre.currentIndexChanged.connect(lambda _i: self.charger())
        # Long domaine names must not widen the whole area (and squeeze the navigation).
        self.filtre.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filtre.setMinimumContentsLength(16)
        etiquette = QLabel("Domain&e :")
        etiquette.setBuddy(self.filtre)
        self.liste = QListWidget()
        self.liste.setAccessibleName("Spécialités")
        self.liste.currentRowChanged.connect(lambda _r: self.afficher_arbre())
        self.bouton_nouvelle = bouton("Nou&velle spécialité…")
        self.bouton_nouvelle.clicked.connect(self.nouvelle_specialite)
        self.bouton_fiche = bouton("Modifier la fic&he…")
        self.bouton_fiche.clicked.connect(self.modifier_fiche)
        self.bouton_importer = bouton("Importer &un fichier…")
        self.bouton_importer.clicked.connect(self.choisir_fichier)
        self.bouton_exporter = bouton("E&xporter…")
        self.bouton_exporter.clicked.connect(self.choisir_export)

        gauche = QWidget()
        g = QVBoxLayout(gauche)
        g.setContentsMargins(0, 0, 0, 0)
        g.addLayout(rangee(etiquette, self.filtre))
        g.addWidget(self.liste, 1)
        if ecriture:
            g.addLayout(rangee(self.bouton_nouvelle, self.bouton_fiche))
            g.addLayout(rangee(self.bouton_importer, self.bouton_exporter))
        else:
            g.addLayout(rangee(self.bouton_exporter))

        self.titre = QLabel()
        self.titre.setObjectName("sous_titre")
        self.titre.setWordWrap(True)
        self.details = QLabel()
        self.details.setAccessibleName("Fiche de la spécialité")
        self.details.setWordWrap(True)
        self.vide = note("Aucune épreuve : ajoutez-les une à une avec « Ajouter une épreuve » ou importez un fichier.")
        # The référentiel's editorial notes (sources, renamings, doubts) are read here, by the office only:
        # candidate documents print the intitulé alone.
        self.note_epreuve = QLabel()
        self.note_epreuve.setAccessibleName("Note de l'épreuve")
        self.note_epreuve.setWordWrap(True)
        self.note_epreuve.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_epreuve.setVisible(False)
        self.modele = QStandardItemModel(0, len(COLONNES))
        self.modele.setHorizontalHeaderLabels(COLONNES)
        self.arbre = QTreeView()
        self.arbre.setAccessibleName("Épreuves")
        self.arbre.setModel(self.modele)
        self.arbre.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.arbre.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.arbre.setAlternatingRowColors(True)
        self.arbre.setUniformRowHeights(True)
        entete = self.arbre.header()
        # Intitulé keeps a readable width on a small screen (a horizontal scroll bar appears
        # rather than a squeezed column); the last column takes what is left.
        entete.setStretchLastSection(True)
        for c in range(len(COLONNES)):
            entete.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        for c, largeur in ((2, 330), (6, 130), (7, 170)):   # elided values: full text in the tooltip
            entete.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            entete.resizeSection(c, largeur)
        self.arbre.activated.connect(lambda _i: self.modifier_epreuve())

        self.bouton_ajouter = bouton("Aj&outer une épreuve…")
        self.bouton_sous = bouton("Ajouter une &sous-épreuve…")
        self.bouton_modifier = bouton("&Modifier l'épreuve…")
        self.bouton_supprimer = bouton("Supp&rimer l'épreuve")
        self.bouton_monter = bouton("Mon&ter")
        self.bouton_descendre = bouton("Desce&ndre")
        # Insert/Delete/F2/Ctrl+arrows act on the tree only, never on a field being typed in;
        # mnemonics avoid the menu bar's letters (Alt+F, L, I, P and D).
        for b, slot, touche in ((self.bouton_ajouter, self.ajouter_epreuve, "Ins"),
                                (self.bouton_sous, self.ajouter_sous_epreuve, "Ctrl+Ins"),
                                (self.bouton_modifier, self.modifier_epreuve, "F2"),
                                (self.bouton_supprimer, self.supprimer_epreuve, "Del"),
                                (self.bouton_monter, lambda: self.deplacer(-1), "Ctrl+Up"),
                                (self.bouton_descendre, lambda: self.deplacer(1), "Ctrl+Down")):
            b.clicked.connect(slot)
            b.setToolTip(f"{b.accessibleName()} ({touche} dans l'arbre)")
            if ecriture:
                action = QAction(b.accessibleName(), self.arbre)
                action.setShortcut(QKeySequence(touche))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                action.triggered.connect(slot)
                self.arbre.addAction(action)
        self.arbre.selectionModel().currentRowChanged.connect(lambda _a, _b: self._etat_boutons())

        droite = QWidget()
        d = QVBoxLayout(droite)
        d.setContentsMargins(0, 0, 0, 0)
        d.addWidget(self.titre)
        d.addWidget(self.details)
        if not ecriture:
            d.addWidget(note(LECTURE_SEULE))
        d.addWidget(self.vide)
        d.addWidget(self.arbre, 1)
        d.addWidget(self.note_epreuve)
        if ecriture:
            d.addLayout(rangee(self.bouton_ajouter, self.bouton_sous, self.bouton_modifier))
            d.addLayout(rangee(self.bouton_supprimer, self.bouton_monter, self.bouton_descendre))
        for b in (self.bouton_ajouter, self.bouton_sous, self.bouton_modifier, self.bouton_supprimer,
                  self.bouton_monter, self.bouton_descendre, self.bouton_nouvelle, self.bouton_fiche,
                  self.bouton_importer):
            b.setVisible(ecriture)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(gauche)
        split.addWidget(droite)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 900])
        QVBoxLayout(self).addWidget(split)
        self.charger()

    # --- data --------------------------------------------------------------------------------
    def charger(self, choisir: str | None = None) -> None:
        courant = choisir or (self.specialite.id if self.specialite else None)
        ordre = {d.code: i for i, d in enumerate(self.domaines)}   # BCP, CAP, BP, MC, CS
        self.liste_specialites = sorted(referentiel.specialites(self.ctx, self.filtre.currentData() or None),
                                        key=lambda s: (ordre.get(s.domaine_code, 99), s.intitule.lower()))
        vides = {s.id for s in self.liste_specialites if not arbre_epreuves(self.ctx, s.id)}
        self.liste.blockSignals(True)
        self.liste.clear()
        for s in self.liste_specialites:
            item = QListWidgetItem(_libelle(s, s.id in vides))
            item.setData(ROLE_ID, s.id)
            item.setToolTip(f"{s.intitule} ({s.id})")
            self.liste.addItem(item)
        self.liste.blockSignals(False)
        index = next((i for i, s in enumerate(self.liste_specialites) if s.id == courant), 0)
        self.liste.setCurrentRow(index if self.liste_specialites else -1)
        self.afficher_arbre()

    def choisir_specialite(self, specialite_id: str) -> None:
        spec = next((s for s in referentiel.specialites(self.ctx) if s.id == specialite_id), None)
        if spec is not None and self.filtre.currentData() not in ("", spec.domaine_code):
            self.filtre.setCurrentIndex(self.filtre.findData(spec.domaine_code))
        self.charger(specialite_id)

    @property
    def specialite(self) -> VueSpecialite | None:
        row = self.liste.currentRow()
        return self.liste_specialites[row] if 0 <= row < len(self.liste_specialites) else None

    def afficher_arbre(self, selection: int | None = None) -> None:
        spec = self.specialite
        self.modele.removeRows(0, self.modele.rowCount())
        self.noeuds = {}
        if spec is None:
            self.titre.setText("Aucune spécialité")
            self.details.clear()
            self.vide.setVisible(False)
            self._etat_boutons()
            return
        self.titre.setText(f"{spec.domaine_code} {spec.code or ''} — {spec.intitule}".replace("  ", " "))
        infos = [f"Identifiant : {spec.id}", f"Filière : {spec.filiere or 'non précisée'}",
                 "Secteur industriel" if spec.secteur_industriel else "Hors secteur industriel",
                 "Arbre complet" if spec.arbre_complet else "Arbre incomplet ou à vérifier"]
        self.details.setText(" · ".join(infos))
        arbre = arbre_epreuves(self.ctx, spec.id)
        if (item := self.liste.currentItem()) is not None:
            item.setText(_libelle(spec, not arbre))   # "(aucune épreuve)" goes with the first one
        self._ajouter(self.modele.invisibleRootItem(), arbre)
        self.arbre.expandAll()
        self.vide.setVisible(not arbre)
        if selection is not None:
            self.selectionner(selection)
        elif arbre:
            self.arbre.setCurrentIndex(self.modele.index(0, 0))
        self._etat_boutons()

    def _ajouter(self, parent: QStandardItem, noeuds: tuple[NoeudEpreuve, ...] | list[NoeudEpreuve]) -> None:
        for n in noeuds:
            self.noeuds[n.id] = n
            items = [QStandardItem(v) for v in ligne_arbre(n)]
            for it in items:
                it.setToolTip(it.text())
            if n.note:
                items[2].setToolTip(f"{n.intitule}\n\nNote du référentiel : {n.note}")
            items[0].setData(n.id, ROLE_ID)
            items[3].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if n.nature == "facultative":
                for it in items:
                    it.setForeground(Qt.GlobalColor.darkBlue)
            parent.appendRow(items)
            self._ajouter(items[0], n.enfants)

    def _index(self, epreuve_id: int, parent: QModelIndex | None = None) -> QModelIndex | None:
        parent = parent or QModelIndex()
        for r in range(self.modele.rowCount(parent)):
            idx = self.modele.index(r, 0, parent)
            if idx.data(ROLE_ID) == epreuve_id:
                return idx
            if (trouve := self._index(epreuve_id, idx)) is not None:
                return trouve
        return None

    def selectionner(self, epreuve_id: int) -> None:
        idx = self._index(epreuve_id)
        if idx is not None:
            self.arbre.setCurrentIndex(idx)
            self.arbre.scrollTo(idx)

    def epreuve_courante(self) -> NoeudEpreuve | None:
        idx = self.arbre.currentIndex()
        if not idx.isValid():
            return None
        return self.noeuds.get(idx.siblingAtColumn(0).data(ROLE_ID))

    def _etat_boutons(self) -> None:
        n = self.epreuve_courante()
        self.note_epreuve.setText(f"Note du référentiel : {n.note}" if n is not None and n.note else "")
        self.note_epreuve.setVisible(bool(self.note_epreuve.text()))
        a_spec = self.specialite is not None
        self.bouton_ajouter.setEnabled(a_spec)
        self.bouton_fiche.setEnabled(a_spec)
        self.bouton_exporter.setEnabled(a_spec)
        for b in (self.bouton_sous, self.bouton_modifier, self.bouton_supprimer, self.bouton_monter,
                  self.bouton_descendre):
            b.setEnabled(n is not None)

    # --- épreuves ----------------------------------------------------------------------------
    def _dialogue(self, titre: str, saisie: epreuves.SaisieEpreuve, action: object) -> DialogueEpreuve:
        dlg = DialogueEpreuve(self, titre, saisie)
        dlg.action = action
        return ouvrir(dlg, lambda eid: self.afficher_arbre(eid if isinstance(eid, int) else None))  # type: ignore[return-value]

    def ajouter_epreuve(self) -> DialogueEpreuve | None:
        """A unit at the level of the selected one, right after it (top level in an empty tree)."""
        spec, courant = self.specialite, self.epreuve_courante()
        if not self.ecriture or spec is None:
            return None
        parent = courant.parent_id if courant else None
        apres = courant.id if courant else None
        return self._dialogue("Nouvelle épreuve", epreuves.SaisieEpreuve(),
                              lambda s: epreuves.ajouter_epreuve(self.ctx, spec.id, s, parent_id=parent,
                                                                    apres_id=apres))

    def ajouter_sous_epreuve(self) -> DialogueEpreuve | None:
        spec, courant = self.specialite, self.epreuve_courante()
        if not self.ecriture or spec is None or courant is None:
            return None
        parent = code_affiche(courant.code)
        return self._dialogue(f"Nouvelle sous-épreuve de {parent or courant.intitule}",
                              epreuves.SaisieEpreuve(code=f"{parent}-" if parent else ""),
                              lambda s: epreuves.ajouter_epreuve(self.ctx, spec.id, s, parent_id=courant.id))

    def modifier_epreuve(self) -> DialogueEpreuve | None:
        courant = self.epreuve_courante()
        if not self.ecriture or courant is None:
            return None

        def modifier(s: epreuves.SaisieEpreuve) -> int:
            epreuves.modifier_epreuve(self.ctx, courant.id, s)
            return courant.id

        return self._dialogue(f"Modifier l'épreuve {code_affiche(courant.code) or courant.intitule}",
                              epreuves.saisie_depuis_noeud(courant),
                              modifier)

    def supprimer_epreuve(self) -> None:
        courant = self.epreuve_courante()
        if not self.ecriture or courant is None:
            return
        nb = _compter(courant) - 1
        suite = f" et ses {nb} sous-épreuve{'s' if nb > 1 else ''}" if nb else ""

        def supprimer() -> None:
            try:
                epreuves.supprimer_epreuve(self.ctx, courant.id)
            except DomainError as exc:
                signaler(self, exc)
            self.charger()

        quoi = " ".join(p for p in (code_affiche(courant.code), f"« {courant.intitule} »") if p)
        confirmer(self, "Supprimer l'épreuve", f"Supprimer l'épreuve {quoi}{suite} ?",
                  supprimer, oui="Supprimer", destructif=True)

    def deplacer(self, sens: int) -> None:
        courant = self.epreuve_courante()
        if not self.ecriture or courant is None:
            return
        try:
            epreuves.deplacer_epreuve(self.ctx, courant.id, sens)
        except DomainError as exc:
            signaler(self, exc)
        self.afficher_arbre(courant.id)

    # --- spécialités -------------------------------------------------------------------------
    def nouvelle_specialite(self) -> DialogueSpecialite | None:
        if not self.ecriture:
            return None
        dlg = DialogueSpecialite(self, self.ctx, self.domaines, None, self.filtre.currentData() or None)
        return ouvrir(dlg, lambda sid: self.choisir_specialite(str(sid)))  # type: ignore[return-value]

    def modifier_fiche(self) -> DialogueSpecialite | None:
        spec = self.specialite
        if not self.ecriture or spec is None:
            return None
        dlg = DialogueSpecialite(self, self.ctx, self.domaines, spec)
        return ouvrir(dlg, lambda sid: self.charger(str(sid)))  # type: ignore[return-value]

    # --- files -------------------------------------------------------------------------------
    def choisir_fichier(self) -> QFileDialog:
        dlg = QFileDialog(self, "Importer des spécialités", "", "Fichiers JSON (*.json);;Tous les fichiers (*)")
        dlg.setAccessibleName("Importer des spécialités")
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.fileSelected.connect(self.importer_fichier)
        dlg.open()   # non-blocking: the report opens when a file is chosen
        return dlg

    def importer_fichier(self, chemin: str | Path) -> DialogueImport | None:
        chemin = Path(chemin)
        try:
            contenu = chemin.read_bytes()
        except OSError as exc:
            signaler(self, DomainError(f"Le fichier {chemin.name} ne peut pas être lu : {exc.strerror or exc}."))
            return None
        try:
            rapport = analyser_import(self.ctx, contenu, chemin.name)
        except DomainError as exc:
            signaler(self, exc)
            return None
        dlg = DialogueImport(self, self.ctx, rapport)
        dlg.applique.connect(self._import_applique)
        dlg.open()
        return dlg

    def _import_applique(self, compte: dict[str, int]) -> None:
        libelles = {"creation": "création", "remplacement": "remplacement", "modification": "modification",
                    "inchange": "sans changement"}
        detail = ", ".join(f"{n} {libelles.get(k, k)}" for k, n in compte.items())
        self.charger()
        informer(self, "Import appliqué", f"Les spécialités du fichier sont enregistrées ({detail}).")

    def choisir_export(self) -> QFileDialog | None:
        spec = self.specialite
        if spec is None:
            return None
        dlg = QFileDialog(self, "Exporter la spécialité", f"{spec.id}.json", "Fichiers JSON (*.json)")
        dlg.setAccessibleName("Exporter la spécialité")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setDefaultSuffix("json")
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.fileSelected.connect(lambda chemin: self.exporter_fichier(spec.id, chemin))
        dlg.open()
        return dlg

    def exporter_fichier(self, specialite_id: str, chemin: str | Path) -> None:
        """The resources format: the file can be corrected and imported back."""
        try:
            data = exporter_specialite(self.ctx, specialite_id)
            Path(chemin).write_text(json.dumps([data], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except DomainError as exc:
            signaler(self, exc)
        except OSError as exc:
            signaler(self, DomainError(f"Le fichier ne peut pas être écrit : {exc.strerror or exc}."))


def _libelle(s: VueSpecialite, vide: bool) -> str:
    return f"{s.domaine_code} {s.code or '—'} · {s.intitule}" + (" (aucune épreuve)" if vide else "")


def _compter(n: NoeudEpreuve) -> int:
    return 1 + sum(_compter(c) for c in n.enfants)

