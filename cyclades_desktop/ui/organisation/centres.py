"""Tab « Centres et salles »: the centres d'examen (an établissement and the départements it
serves) and their rooms with capacity and, for workshops, the spécialités they are reserved for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...services import organisation, referentiel
from ...services.noyau import Contexte
from ..formulaire import supprimer_apres_confirmation
from ..inscription.champs import ChampRecherche
from ..referentiel.commun import (
    DialogueFormulaire,
    bouton,
    cle_courante,
    note,
    ouvrir,
    rangee,
    remplir,
    selectionner,
    tableau,
)


def places(n: int) -> str:
    return f"{n} place{'s' if n > 1 else ''}"


LECTURE_SEULE = "Consultation seule : seul le chef de bureau modifie l'organisation des examens."


class DialogueCentre(DialogueFormulaire):
    def __init__(self, parent: QWidget, ctx: Contexte, centre: organisation.VueCentre | None) -> None:
        super().__init__(parent, f"Centre d'examen {centre.nom}" if centre else "Nouveau centre d'examen")
        self.ctx, self.centre = ctx, centre
        self.etablissement = ChampRecherche(lambda t: organisation.etablissements_possibles(ctx, t),
                                            "Nom, ville ou UAI de l'établissement")
        self.departements = QLineEdit(", ".join(centre.departements) if centre else "")
        self.departements.setPlaceholderText("exemple : 13, 84")
        self.actif = QCheckBox("Centre utilisé par l'affectation automatique")
        self.actif.setChecked(centre.actif if centre else True)
        if centre is not None:
            self.etablissement.afficher(centre.uai, centre.libelle)
            self.etablissement.setReadOnly(True)
        self.form.ajouter("etablissement", "Établissement", self.etablissement, obligatoire=True,
                          aide="Tapez le début du nom, la ville ou l'UAI puis choisissez dans la liste.")
        self.form.ajouter("departements", "Départements desservis", self.departements,
                          aide="Les candidats de ces départements y sont convoqués en priorité ; vide : le "
                               "département de l'établissement.")
        if centre is not None:
            self.form.ajouter("actif", "Actif", self.actif)

    def executer(self) -> object:
        if self.centre is None:
            return organisation.creer_centre(self.ctx, self.etablissement.code, self.departements.text())
        return organisation.modifier_centre(self.ctx, self.centre.id, self.departements.text(), self.actif.isChecked(),
                                   self.centre.row_version)


class DialogueSalle(DialogueFormulaire):
    def __init__(self, parent: QWidget, ctx: Contexte, centre: organisation.VueCentre, salle: organisation.VueSalle | None) -> None:
        super().__init__(parent, f"Salle {salle.nom} — {centre.nom}" if salle else f"Nouvelle salle — {centre.nom}")
        self.ctx, self.centre, self.salle = ctx, centre, salle
        self.nom = QLineEdit(salle.nom if salle else "")
        self.capacite = QLineEdit(str(salle.capacite) if salle else "")
        self.capacite.setPlaceholderText("nombre de places, exemple : 30")
        self.specialites = QListWidget()
        self.specialites.setMinimumHeight(160)
        choisies = set(salle.specialites) if salle else set()
        for sp in referentiel.specialites(ctx):
            item = QListWidgetItem(f"{sp.domaine_code} {sp.code or ''} — {sp.intitule}")
            item.setData(Qt.ItemDataRole.UserRole, sp.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sp.id in choisies else Qt.CheckState.Unchecked)
            self.specialites.addItem(item)
        self.form.ajouter("nom", "Nom de la salle", self.nom, obligatoire=True)
        self.form.ajouter("capacite", "Capacité", self.capacite, obligatoire=True)
        self.form.ajouter("specialites", "Spécialités réservées", self.specialites,
                          aide="Cochez seulement pour un atelier réservé (Espace coche) ; rien de coché : "
                               "toutes les spécialités.")

    def cochees(self) -> list[str]:
        return [str(self.specialites.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.specialites.count())
                if self.specialites.item(i).checkState() == Qt.CheckState.Checked]

    def executer(self) -> object:
        if self.salle is None:
            return organisation.ajouter_salle(self.ctx, self.centre.id, self.nom.text(), self.capacite.text(), self.cochees())
        return organisation.modifier_salle(self.ctx, self.salle.id, self.nom.text(), self.capacite.text(), self.cochees(),
                                  self.salle.row_version)


class OngletCentres(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool) -> None:
        super().__init__()
        self.ctx, self.ecriture = ctx, ecriture
        self.centres: list[organisation.VueCentre] = []
        self.table_centres = tableau("Centres d'examen", ["Établissement", "UAI", "Ville", "Départements desservis",
                                                          "Salles", "Places", "État"], etirer=0)
        self.table_centres.itemSelectionChanged.connect(self._afficher_salles)
        self.table_centres.activated.connect(lambda _i: self.modifier_centre())
        self.table_salles = tableau("Salles", ["Salle", "Capacité", "Réservée aux spécialités", "Affectations"],
                                    etirer=2)
        self.table_salles.activated.connect(lambda _i: self.modifier_salle())
        box = QVBoxLayout(self)
        if not ecriture:
            box.addWidget(note(LECTURE_SEULE))
        box.addWidget(QLabel("Centres d'examen"))
        box.addWidget(self.table_centres, 3)
        if ecriture:
            self.b_nouveau = bouton("&Nouveau centre…", "Ctrl+N")
            self.b_nouveau.clicked.connect(self.nouveau_centre)
            self.b_modifier = bouton("&Modifier le centre…")
            self.b_modifier.clicked.connect(self.modifier_centre)
            self.b_supprimer = bouton("S&upprimer le centre")
            self.b_supprimer.clicked.connect(self.supprimer_centre)
            box.addLayout(rangee(self.b_nouveau, self.b_modifier, self.b_supprimer))
        box.addWidget(QLabel("Salles du centre choisi"))
        box.addWidget(self.table_salles, 2)
        if ecriture:
            self.b_salle = bouton("Nou&velle salle…")
            self.b_salle.clicked.connect(self.nouvelle_salle)
            self.b_modifier_salle = bouton("Modifi&er la salle…")
            self.b_modifier_salle.clicked.connect(self.modifier_salle)
            self.b_supprimer_salle = bouton("Supp&rimer la salle")
            self.b_supprimer_salle.clicked.connect(self.supprimer_salle)
            box.addLayout(rangee(self.b_salle, self.b_modifier_salle, self.b_supprimer_salle))

    def charger(self, centre_id: int | None = None) -> None:
        garder = centre_id if centre_id is not None else cle_courante(self.table_centres)
        salle = cle_courante(self.table_salles)
        self.centres = organisation.lister_centres(self.ctx)
        remplir(self.table_centres, [[c.nom, c.uai, c.ville, ", ".join(c.departements_servis), str(len(c.salles)),
                                      places(c.capacite), "Actif" if c.actif else "Inactif"] for c in self.centres],
                [c.id for c in self.centres])
        if self.centres:
            self.table_centres.setCurrentCell(0, 0)
            if garder is not None:
                selectionner(self.table_centres, garder)
        self._afficher_salles()
        if salle is not None:
            selectionner(self.table_salles, salle)

    def centre(self) -> organisation.VueCentre | None:
        cid = cle_courante(self.table_centres)
        return next((c for c in self.centres if c.id == cid), None)

    def salle(self) -> organisation.VueSalle | None:
        c, sid = self.centre(), cle_courante(self.table_salles)
        return next((x for x in c.salles if x.id == sid), None) if c else None

    def _afficher_salles(self) -> None:
        c = self.centre()
        salles = list(c.salles) if c else []
        remplir(self.table_salles, [[x.nom, places(x.capacite), ", ".join(x.specialites) or "Toutes",
                                     str(x.affectations)] for x in salles], [x.id for x in salles])
        if salles:
            self.table_salles.setCurrentCell(0, 0)

    # --- actions -----------------------------------------------------------------------------
    def nouveau_centre(self) -> DialogueCentre | None:
        if not self.ecriture:
            return None
        return ouvrir(DialogueCentre(self, self.ctx, None), lambda cid: self.charger(cid))  # type: ignore[return-value,arg-type]

    def modifier_centre(self) -> DialogueCentre | None:
        c = self.centre()
        if not self.ecriture or c is None:
            return None
        return ouvrir(DialogueCentre(self, self.ctx, c), lambda _r: self.charger())  # type: ignore[return-value]

    def supprimer_centre(self) -> None:
        c = self.centre()
        if c is None:
            return
        supprimer_apres_confirmation(
            self, "Supprimer le centre", f"Supprimer le centre d'examen {c.libelle} et ses salles ?",
            lambda: organisation.supprimer_centre(self.ctx, c.id), self.charger)

    def nouvelle_salle(self) -> DialogueSalle | None:
        c = self.centre()
        if not self.ecriture or c is None:
            return None
        return ouvrir(DialogueSalle(self, self.ctx, c, None), lambda _r: self.charger())  # type: ignore[return-value]

    def modifier_salle(self) -> DialogueSalle | None:
        c, x = self.centre(), self.salle()
        if not self.ecriture or c is None or x is None:
            return None
        return ouvrir(DialogueSalle(self, self.ctx, c, x), lambda _r: self.charger())  # type: ignore[return-value]

    def supprimer_salle(self) -> None:
        x = self.salle()
        if x is None:
            return
        supprimer_apres_confirmation(
            self, "Supprimer la salle", f"Supprimer la salle « {x.nom} » ?",
            lambda: organisation.supprimer_salle(self.ctx, x.id), self.charger, titre_erreur="Suppression impossible")
