"""Tabs "Établissements" (searched by name, UAI or town) and "Catégories" (read-only)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ...services import referentiel
from ...services.noyau import Contexte
from .commun import note, remplir, tableau

LIMITE = 50
MODES = {"ccf": "Contrôle en cours de formation (CCF)", "ponctuel": "Ponctuel"}
FAMILLES = {"scolaire": "Scolaire", "apprenti": "Apprenti", "formation_continue": "Formation continue",
            "enseignement_a_distance": "Enseignement à distance", "individuel": "Individuel"}


class OngletEtablissements(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        self.recherche = QLineEdit()
        self.recherche.setAccessibleName("Rechercher un établissement")
        self.recherche.setPlaceholderText("Nom, code UAI ou ville (exemple : 9730538X, Cayenne)…")
        self.recherche.setClearButtonEnabled(True)
        self.recherche.textChanged.connect(lambda _t: self.rechercher())
        etiquette = QLabel("&Rechercher un établissement :")
        etiquette.setBuddy(self.recherche)
        self.compte = QLabel()
        self.compte.setAccessibleName("Nombre d'établissements")
        self.table = tableau("Établissements", ["UAI", "Nom", "Ville", "Code postal", "Département", "Académie",
                                                "Téléphone"], etirer=1)
        box = QVBoxLayout(self)
        box.addWidget(etiquette)
        box.addWidget(self.recherche)
        box.addWidget(self.compte)
        box.addWidget(self.table, 1)
        self.rechercher()

    def rechercher(self) -> None:
        # One more than shown tells whether the list was cut.
        trouves = referentiel.rechercher_etablissements(self.ctx, self.recherche.text(), limite=LIMITE + 1)
        remplir(self.table, [[e.uai, e.nom, e.ville or "", e.code_postal or "", e.departement or "",
                              e.academie or "", e.telephone or ""] for e in trouves[:LIMITE]],
                [e.uai for e in trouves[:LIMITE]])
        n = len(trouves)
        if n > LIMITE:
            self.compte.setText(f"Les {LIMITE} premiers établissements : précisez la recherche.")
        elif n == 0:
            self.compte.setText("Aucun établissement ne correspond à la recherche.")
        else:
            self.compte.setText(f"{n} établissement{'s' if n > 1 else ''}")


class OngletCategories(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.table = tableau("Catégories de candidat", ["Code", "Libellé", "Famille", "Mode des épreuves",
                                                        "Domaines"], etirer=1)
        categories = referentiel.categories(ctx)
        remplir(self.table, [[c.code, c.libelle, FAMILLES.get(c.famille, c.famille), MODES.get(c.mode, c.mode),
                              ", ".join(c.domaines or [])] for c in categories], [c.code for c in categories])
        box = QVBoxLayout(self)
        box.addWidget(note("Le mode des épreuves découle de la catégorie : contrôle en cours de formation pour les "
                           "scolaires et apprentis des centres habilités, ponctuel pour les autres."))
        box.addWidget(self.table, 1)
