"""Dialogs of the "Spécialités" tab: one épreuve, a spécialité's record, the import report."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...rules.errors import DomainError
from ...rules.referentiel import DOMAINES_EPREUVE, GROUPES, NATURES
from ...services.noyau import Contexte
from ...services.referentiel import (
    RapportImport,
    VueDomaine,
    VueSpecialite,
    appliquer_import,
    enregistrer_specialite,
    epreuves,
)
from ..ecran import ajuster_a_l_ecran
from ..formulaire import STYLE_ERREUR, signaler
from .commun import DialogueFormulaire, bouton, note
from .sessions_dialogues import combo_domaines

MODES_PONCTUELS = ["écrit", "oral", "pratique", "écrit et oral", "écrit et pratique", "pratique et oral",
                   "écrit, pratique et oral"]


def _combo(valeurs: dict[Any, str], choisi: object) -> QComboBox:
    c = QComboBox()
    for code, libelle in valeurs.items():
        c.addItem(libelle, code)
    c.setCurrentIndex(max(0, c.findData(choisi)))
    return c


def _nombre(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


class DialogueEpreuve(DialogueFormulaire):
    """Add or change one épreuve; ``executer`` is given by the tab (add here, modify there)."""

    def __init__(self, parent: QWidget, titre: str, saisie: epreuves.SaisieEpreuve) -> None:
        super().__init__(parent, titre)
        self.code = QLineEdit(saisie.code)
        self.code.setPlaceholderText("exemple : E3-A")
        self.unite = QLineEdit(saisie.unite)
        self.unite.setPlaceholderText("exemple : U31")
        self.intitule = QLineEdit(saisie.intitule)
        self.coefficient = QLineEdit(saisie.coefficient)
        self.coefficient.setPlaceholderText("exemple : 1,5")
        self.nature = _combo(NATURES, saisie.nature)
        self.groupe = _combo({str(k): v for k, v in GROUPES.items()}, saisie.groupe)
        self.mode = QComboBox()
        self.mode.setEditable(True)   # the list holds the usual values; any other can be typed
        self.mode.addItems(["", *MODES_PONCTUELS])
        self.mode.setCurrentText(saisie.mode_ponctuel_type)
        self.duree = QLineEdit(saisie.duree)
        self.duree.setPlaceholderText("exemple : 2 h 30")
        self.domaine_epreuve = _combo({"": "Non précisé", **DOMAINES_EPREUVE}, saisie.domaine_epreuve)
        f = self.form
        f.ajouter("code", "Code", self.code, obligatoire=True)
        f.ajouter("unite", "Unité", self.unite)
        f.ajouter("intitule", "Intitulé", self.intitule, obligatoire=True)
        f.ajouter("coefficient", "Coefficient", self.coefficient, aide="Vide si le texte n'en donne pas.")
        f.ajouter("nature", "Nature", self.nature)
        f.ajouter("groupe", "Groupe", self.groupe)
        f.ajouter("mode_ponctuel_type", "Mode ponctuel", self.mode)
        f.ajouter("duree", "Durée", self.duree)
        f.ajouter("domaine_epreuve", "Domaine de l'épreuve", self.domaine_epreuve,
                  aide="Professionnel ou général (utile au calcul des moyennes).")
        self.action: Any = None

    def saisie(self) -> epreuves.SaisieEpreuve:
        return epreuves.SaisieEpreuve(
            code=self.code.text(), unite=self.unite.text(), intitule=self.intitule.text(),
            coefficient=self.coefficient.text(), nature=self.nature.currentData(), groupe=self.groupe.currentData(),
            mode_ponctuel_type=self.mode.currentText(), duree=self.duree.text(),
            domaine_epreuve=self.domaine_epreuve.currentData())

    def executer(self) -> object:
        return self.action(self.saisie())


class DialogueSpecialite(DialogueFormulaire):
    """A spécialité's record (not its tree): new, or changed without touching the épreuves."""

    def __init__(self, parent: QWidget, ctx: Contexte, domaines: list[VueDomaine], spec: VueSpecialite | None,
                 domaine: str | None = None) -> None:
        super().__init__(parent, f"Spécialité {spec.id}" if spec else "Nouvelle spécialité")
        self.ctx, self.spec = ctx, spec
        self.ident = QLineEdit(spec.id if spec else "")
        self.ident.setReadOnly(spec is not None)
        self.ident.setPlaceholderText("exemple : CS-22112")
        self.domaine = combo_domaines(domaines, spec.domaine_code if spec else domaine)
        self.domaine.setEnabled(spec is None)
        self.code = QLineEdit((spec.code or "") if spec else "")
        self.code.setPlaceholderText("5 chiffres, exemple : 22112")
        self.intitule = QLineEdit(spec.intitule if spec else "")
        self.filiere = QLineEdit((spec.filiere or "") if spec else "")
        self.secteur = QCheckBox("Spécialité du secteur industriel")
        self.secteur.setChecked(bool(spec and spec.secteur_industriel))
        self.complet = QCheckBox("L'arbre des épreuves est complet")
        self.complet.setChecked(bool(spec and spec.arbre_complet))
        f = self.form
        f.ajouter("id", "Identifiant", self.ident, obligatoire=True,
                  aide=None if spec else "Domaine et code, par exemple CS-22112 ; il ne pourra plus changer.")
        f.ajouter("domaine", "Domaine", self.domaine, obligatoire=True)
        f.ajouter("code", "Code de spécialité", self.code)
        f.ajouter("intitule", "Intitulé", self.intitule, obligatoire=True)
        f.ajouter("filiere", "Filière", self.filiere)
        f.ajouter("secteur_industriel", "Secteur industriel", self.secteur, aide="Attestation R.408 possible.")
        f.ajouter("arbre_complet", "Arbre complet", self.complet)
        if spec is None:
            self.code.textEdited.connect(self._proposer_identifiant)
            self.domaine.currentIndexChanged.connect(self._proposer_identifiant)

    def _proposer_identifiant(self) -> None:
        # Suggest "CS-22112" while the identifier was not typed by hand.
        if not self.ident.isModified() and self.code.text().strip():
            self.ident.setText(f"{self.domaine.currentData()}-{self.code.text().strip()}")

    def executer(self) -> object:
        data: dict[str, Any] = {
            "id": self.ident.text().strip(), "domaine": self.domaine.currentData(),
            "code": self.code.text().strip() or None, "intitule": " ".join(self.intitule.text().split()),
            "filiere": " ".join(self.filiere.text().split()) or None,
            "secteur_industriel": self.secteur.isChecked(), "arbre_complet": self.complet.isChecked(),
        }
        if self.spec is None:
            data["epreuves"] = []
        enregistrer_specialite(self.ctx, data)
        return data["id"]


class DialogueImport(QDialog):
    """The report of a file: what each spécialité would become, and the errors with their path.
    "Appliquer" is only enabled for an error-free report; nothing is written before."""

    applique = Signal(dict)

    def __init__(self, parent: QWidget, ctx: Contexte, rapport: RapportImport) -> None:
        super().__init__(parent)
        self.ctx, self.rapport = ctx, rapport
        self.setWindowTitle("Rapport d'import")
        self.setAccessibleName("Rapport d'import")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ajuster_a_l_ecran(self, 820, 520)
        nb_erreurs = len(rapport.erreurs)
        parties = [_nombre(len(rapport.creations), "création"), _nombre(len(rapport.remplacements), "remplacement")]
        resume = (f"Fichier : {rapport.nom_fichier or 'sans nom'} — "
                  f"{_nombre(len(rapport.lignes), 'spécialité')} ({', '.join(parties)}) — "
                  + (_nombre(nb_erreurs, "erreur") if nb_erreurs else "aucune erreur") + ".")
        self.resume = QLabel(resume)
        self.resume.setAccessibleName("Résumé de l'import")
        self.resume.setWordWrap(True)
        self.contenu = QListWidget()
        self.contenu.setAccessibleName("Spécialités du fichier")
        for ligne in rapport.lignes:
            item = QListWidgetItem(f"{ligne.id} — {ligne.intitule or 'sans intitulé'} : {ligne.resume}")
            if ligne.erreurs:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.contenu.addItem(item)
        self.erreurs = QListWidget()
        self.erreurs.setAccessibleName("Erreurs")
        self.erreurs.addItems(rapport.erreurs)
        self.erreurs.setWordWrap(True)
        self.avertissements = QListWidget()
        self.avertissements.setAccessibleName("Avertissements")
        self.avertissements.addItems([a for ligne in rapport.lignes for a in ligne.avertissements])
        self.bouton_appliquer = bouton("&Appliquer")
        self.bouton_appliquer.setEnabled(rapport.valide)
        self.bouton_appliquer.clicked.connect(self.appliquer)
        self.bouton_fermer = bouton("&Fermer")
        self.bouton_fermer.clicked.connect(self.reject)
        (self.bouton_appliquer if rapport.valide else self.bouton_fermer).setDefault(True)

        box = QVBoxLayout(self)
        box.addWidget(self.resume)
        box.addWidget(QLabel("Spécialités du fichier"))
        box.addWidget(self.contenu, 1)
        if rapport.erreurs:
            titre = QLabel("Erreurs à corriger dans le fichier (rien ne sera enregistré tant qu'il en reste)")
            titre.setStyleSheet(STYLE_ERREUR)
            box.addWidget(titre)
            box.addWidget(self.erreurs, 2)
        if self.avertissements.count():
            box.addWidget(QLabel("Avertissements"))
            box.addWidget(self.avertissements, 1)
        if rapport.valide:
            box.addWidget(note("« Appliquer » enregistre toutes les spécialités du fichier en une seule fois ; "
                               "un remplacement remplace l'arbre des épreuves existant."))
        boutons = QHBoxLayout()
        boutons.addStretch(1)
        boutons.addWidget(self.bouton_fermer)
        boutons.addWidget(self.bouton_appliquer)
        box.addLayout(boutons)

    def appliquer(self) -> None:
        try:
            compte = appliquer_import(self.ctx, self.rapport)
        except DomainError as exc:
            signaler(self, exc, titre="Import impossible")
            return
        self.applique.emit(compte)
        self.accept()
