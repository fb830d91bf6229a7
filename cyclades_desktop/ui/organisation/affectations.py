"""Tab « Affectations »: who sits which épreuve where (paged from the service, filtered in SQL),
the automatic assignment (in the background runner), manual moves of a selection, and each
room's occupancy (« 23 / 30 places »)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...rules.codes_epreuves import code_affiche
from ...rules.errors import DomainError
from ...rules.temps import format_date_heure
from ...services import organisation
from ...services.noyau import Contexte
from ..formulaire import informer, nommer, signaler
from ..referentiel.commun import DialogueFormulaire, bouton, note, ouvrir, rangee, remplir, tableau
from ..tables import Colonne, ModelePagine, configurer_lecture
from ..taches import Executeur
from .centres import LECTURE_SEULE

PAGE = 200
Cle = tuple[int, int]


def _cle(x: organisation.LigneAffectation) -> Cle:
    return (x.candidature_id, x.creneau_id)


_COLONNES: tuple[Colonne[organisation.LigneAffectation], ...] = (
    Colonne("N° candidat", lambda x: x.numero_candidat),
    Colonne("Nom", lambda x: x.nom),
    Colonne("Inscr.", lambda x: x.numero_inscription),
    Colonne("Épreuve", lambda x: x.epreuve),
    Colonne("Date et heure", lambda x: format_date_heure(x.debut)),
    Colonne("Salle", lambda x: x.salle or "Sans place"),
    Colonne("Centre", lambda x: x.centre),
    Colonne("Saisie", lambda x: "Manuelle" if x.manuelle else ("Automatique" if x.salle_id else "")),
    Colonne("Spécialité", lambda x: x.specialite_id),
)


class ModeleAffectations(ModelePagine[organisation.LigneAffectation]):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__(_COLONNES, PAGE, identifiant=_cle)
        self.ctx = ctx
        self.filtre: organisation.FiltreAffectations | None = None

    def charger(self, filtre: organisation.FiltreAffectations | None) -> None:
        """First page for ``filtre``; None (no session chosen) shows no rows."""
        self.recharger(None if filtre is None else lambda apres, limite: organisation.lister_affectations(
            self.ctx, filtre, apres=apres.cle if apres else None, limite=limite))
        self.filtre = filtre

    def donnee(self, ligne: organisation.LigneAffectation, colonne: int, role: int) -> object:
        return _cle(ligne) if role == Qt.ItemDataRole.UserRole else None


class DialogueDeplacer(DialogueFormulaire):
    def __init__(self, parent: QWidget, ctx: Contexte, cles: list[Cle]) -> None:
        n = len(cles)
        super().__init__(parent, f"Déplacer {n} candidat{'s' if n > 1 else ''}", texte_bouton="&Déplacer")
        self.ctx, self.cles = ctx, cles
        self.salle = QComboBox()
        for sid, libelle in organisation.salles_possibles(ctx, cles[0][1]):
            self.salle.addItem(libelle, sid)
        self.form.ajouter("salle", "Salle", self.salle, obligatoire=True,
                          aide="Occupation pendant l'épreuve (épreuves simultanées comprises).")

    def executer(self) -> object:
        if self.salle.currentData() is None:
            raise DomainError("Aucune salle n'accueille cette spécialité : ajoutez-en une dans Centres et salles.")
        return organisation.deplacer(self.ctx, self.cles, int(self.salle.currentData()))


class OngletAffectations(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool, filtres: Callable[[], tuple[int | None, str | None]],
                 executeur: Executeur, apres_changement: Callable[[], None]) -> None:
        super().__init__()
        self.ctx, self.ecriture, self.filtres, self.executeur = ctx, ecriture, filtres, executeur
        self.apres_changement = apres_changement
        self.dernier_rapport: organisation.RapportAffectation | None = None
        self.epreuve = nommer(QComboBox(), "Épreuve")                 # type: ignore[assignment]
        self.epreuve.currentIndexChanged.connect(lambda _i: self.actualiser_liste())
        self.recherche = nommer(QLineEdit(), "Rechercher un candidat")  # type: ignore[assignment]
        self.recherche.setPlaceholderText("Nom ou N° candidat")
        self.recherche.textChanged.connect(lambda _t: self.actualiser_liste())
        self.sans_place = nommer(QCheckBox("Sans place &uniquement"), "Sans place uniquement")  # type: ignore[assignment]
        self.sans_place.toggled.connect(lambda _b: self.actualiser_liste())
        libelle_epreuve = QLabel("Épr&euve :")
        libelle_epreuve.setBuddy(self.epreuve)
        libelle_recherche = QLabel("Rec&hercher :")
        libelle_recherche.setBuddy(self.recherche)

        self.modele = ModeleAffectations(ctx)
        self.modele.erreur.connect(lambda exc: signaler(self, exc, titre="Liste incomplète"))
        self.table = QTableView()
        self.table.setModel(self.modele)
        configurer_lecture(self.table, "Affectations des candidats")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, largeur in enumerate((100, 170, 45, 240, 125, 90, 200, 90, 90)):
            self.table.setColumnWidth(col, largeur)
        self.table.activated.connect(lambda _i: self.deplacer())
        self.occupation = tableau("Occupation des salles", ["Date et heure (Paris)", "Épreuve", "Centre", "Salle",
                                                             "Candidats", "Occupation"], largeurs={1: 280, 2: 220})
        self.compteur = QLabel()
        self.compteur.setAccessibleName("Bilan des affectations")
        self.compteur.setWordWrap(True)
        self.compteur.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compteur.setMinimumHeight(self.compteur.fontMetrics().lineSpacing() * 2 + 4)   # counts + who has no seat

        box = QVBoxLayout(self)
        if not ecriture:
            box.addWidget(note(LECTURE_SEULE))
        box.addLayout(rangee(libelle_epreuve, self.epreuve, libelle_recherche, self.recherche, self.sans_place))
        if ecriture:
            self.b_auto = bouton("Affecter auto&matiquement", "Ctrl+Shift+A")
            self.b_auto.clicked.connect(lambda: self.affecter())
            self.recommencer = nommer(QCheckBox("&Réaffecter aussi les places automatiques déjà attribuées"),
                                      "Réaffecter aussi les places automatiques")  # type: ignore[assignment]
            self.b_deplacer = bouton("Déplacer &vers une salle…", "Ctrl+D")
            self.b_deplacer.clicked.connect(self.deplacer)
            box.addLayout(rangee(self.b_auto, self.recommencer, self.b_deplacer))
        box.addWidget(self.compteur)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        bas = QWidget()
        b = QVBoxLayout(bas)
        b.setContentsMargins(0, 0, 0, 0)
        b.addWidget(QLabel("Occupation des salles (au plus fort de chaque épreuve)"))
        b.addWidget(self.occupation)
        split.addWidget(bas)
        split.setSizes([420, 200])
        box.addWidget(split, 1)

    # --- data --------------------------------------------------------------------------------
    def charger(self) -> None:
        session_id, specialite_id = self.filtres()
        courant = self.epreuve.currentData()
        self.epreuve.blockSignals(True)
        self.epreuve.clear()
        self.epreuve.addItem("Toutes les épreuves", None)
        if session_id:
            for c in organisation.lister_creneaux(self.ctx, session_id, specialite_id):
                self.epreuve.addItem(f"{format_date_heure(c.debut)} — {c.specialite_id} {code_affiche(c.epreuve_code) or c.intitule} "
                                     f"({c.affectes}/{c.candidats})", c.id)
        self.epreuve.setCurrentIndex(max(0, self.epreuve.findData(courant)))
        self.epreuve.blockSignals(False)
        self.actualiser_liste()
        lignes = organisation.occupation(self.ctx, session_id, specialite_id) if session_id else []
        remplir(self.occupation, [[format_date_heure(x.debut), x.epreuve, x.centre, x.salle, str(x.candidats),
                                   x.texte] for x in lignes], [x.salle_id for x in lignes])

    def actualiser_liste(self) -> None:
        session_id, specialite_id = self.filtres()
        filtre = organisation.FiltreAffectations(session_id, specialite_id, self.epreuve.currentData(),
                                        sans_place=self.sans_place.isChecked(),
                                        texte=self.recherche.text()) if session_id else None
        self.modele.charger(filtre)
        if self.modele.rowCount():
            self.table.selectRow(0)

    def selection(self) -> list[Cle]:
        lignes = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        if not lignes and self.table.currentIndex().isValid():
            lignes = [self.table.currentIndex().row()]
        return [(self.modele.lignes[r].candidature_id, self.modele.lignes[r].creneau_id) for r in lignes]

    # --- actions -----------------------------------------------------------------------------
    def affecter(self) -> None:
        session_id, _sp = self.filtres()
        if not self.ecriture or session_id is None:
            return
        recommencer = self.recommencer.isChecked()
        self.b_auto.setEnabled(False)
        self.compteur.setText("Affectation en cours…")

        def fini(rapport: object) -> None:
            assert isinstance(rapport, organisation.RapportAffectation)
            self.b_auto.setEnabled(True)
            self.dernier_rapport = rapport
            self.apres_changement()
            self.compteur.setText(rapport.texte)

        def echec(exc: Exception) -> None:
            self.b_auto.setEnabled(True)
            self.compteur.setText("")
            signaler(self, exc, titre="Affectation impossible")

        self.executeur.lancer(lambda _t: organisation.affecter_automatiquement(self.ctx, session_id, recommencer=recommencer),
                              resultat=fini, erreur=echec)

    def deplacer(self) -> DialogueDeplacer | None:
        cles = self.selection()
        if not self.ecriture or not cles:
            return None
        if len({c[1] for c in cles}) > 1:
            informer(self, "Déplacement impossible", "Sélectionnez des candidats d'une même épreuve : la salle "
                     "choisie doit convenir à cette épreuve.")
            return None
        try:
            dialogue = DialogueDeplacer(self, self.ctx, cles)
        except DomainError as exc:
            signaler(self, exc)
            return None

        def fait(n: object) -> None:
            self.apres_changement()
            self.compteur.setText(f"{n} candidat(s) déplacé(s) ; ces places sont conservées par les prochaines "
                                  "affectations automatiques.")
        return ouvrir(dialogue, fait)  # type: ignore[return-value]
