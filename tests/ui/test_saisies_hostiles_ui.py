"""Bad input through the screens: a NUL or a bidi override pasted into a form field gets the French
message under that field and nothing is written; a search drops them and never fails; « % » in a
search finds only the rows that hold a « % »."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QTableView, QTableWidget, QWidget

from cyclades_desktop.models import Etablissement
from cyclades_desktop.rules.texte import cle_recherche
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau.contexte import Contexte

from .helpers import boites_ouvertes, par_nom
from .test_comptes_ui import bouton, erreur, identite, nouveau_formulaire, remplir_lieu_france, saisir

MESSAGE = "Ce champ contient un caractère invisible ou de contrôle"


def erreurs_brutes() -> list[str]:
    """Boxes about an error the program did not expect (ui/formulaire.signaler's last resort), or
    about the characters themselves: a refused value is reported under its field, a search never fails.
    pytest-qt fails the test as well on any exception raised inside a Qt slot."""
    return [b.text() for b in boites_ouvertes()
            if "inattendue" in b.text() or "indisponible" in b.text() or MESSAGE in b.text()]


def coller(qtbot, champ: QLineEdit, texte: str) -> None:
    """Paste, as an attacker would: the keyboard never types a NUL, the clipboard carries anything."""
    QApplication.clipboard().setText(texte)
    champ.setFocus()
    champ.selectAll()
    qtbot.keyClick(champ, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert champ.text() == texte


@pytest.mark.parametrize(("libelle", "colle"), [
    ("Nom de famille", "Lefèvre\x00-Ngmb"),
    ("Prénoms", "Élodie \u202eeiraM"),
    ("Adresse mail", "elodie.lefevre@exemple.fr\u200b"),
])
def test_creation_de_compte_refuse_le_caractere_colle(qtbot, fenetre, chef: Contexte, libelle, colle):
    zone = fenetre.aller_a("candidats")
    nouveau_formulaire(zone)
    par_nom(zone, "Sexe", QComboBox).setCurrentIndex(1)
    saisir(qtbot, zone, identite())
    remplir_lieu_france(qtbot, zone)
    coller(qtbot, par_nom(zone, libelle, QLineEdit), colle)
    bouton(zone, "Enregistrer").click()

    assert erreur(zone, libelle).startswith(MESSAGE)
    assert par_nom(zone, "Message du formulaire", QLabel).text().startswith("Certains champs sont incorrects")
    assert par_nom(zone, libelle, QLineEdit).text() == colle        # kept, to be corrected
    assert not erreurs_brutes()
    assert comptes.compter(chef) == 0


@pytest.fixture
def ateliers(chef: Contexte) -> None:
    with chef.transaction() as s:
        for uai, nom in (("9990001A", "ATELIER 100% METIERS"), ("9990002B", "ATELIER 1000 METIERS")):
            s.add(Etablissement(uai=uai, nom=nom, ville="Nulle-Part", cle=cle_recherche(f"{nom} {uai} Nulle-Part")))


def uai_affiches(zone: QWidget) -> list[str]:
    table = par_nom(zone, "Établissements", QTableWidget)
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_recherche_d_etablissement(qtbot, fenetre, ateliers):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Établissements")
    champ = par_nom(zone, "Rechercher un établissement", QLineEdit)
    for colle in ("cay\x00enne", "\u202ecayenne", "cay\u200benne\ufeff"):
        coller(qtbot, champ, colle)
        assert uai_affiches(zone) == ["9730538X"], colle
    coller(qtbot, champ, "atelier")
    assert uai_affiches(zone) == ["9990001A", "9990002B"]
    for texte in ("100%", "%"):          # a wildcard would list every établissement
        coller(qtbot, champ, texte)
        assert uai_affiches(zone) == ["9990001A"], texte
    for joker in ("%%", "_", "\\", "10%0", "1%0"):
        coller(qtbot, champ, joker)
        assert uai_affiches(zone) == [], joker
        assert par_nom(zone, "Nombre d'établissements", QLabel).text() == \
            "Aucun établissement ne correspond à la recherche."
    coller(qtbot, champ, " ".join(["atelier"] * 1000))      # a pasted page: its first words
    assert uai_affiches(zone) == ["9990001A", "9990002B"]
    assert not erreurs_brutes()


def test_recherche_de_compte(qtbot, fenetre, chef: Contexte):
    from .test_comptes_ui import creer_par_service

    creer_par_service(chef, "Dupont", "Jeanne", "jeanne.dupont@exemple.fr")
    creer_par_service(chef, "Durand", "Paul", "paul.durand@exemple.fr")
    zone = fenetre.aller_a("candidats")
    champ = par_nom(zone, "Rechercher un compte", QLineEdit)
    table = par_nom(zone, "Liste des comptes candidats", QTableView)
    for colle, lignes in (("du", 2), ("dup\x00", 1), ("%", 0), ("d%", 0), ("\\", 0), ("\u202edu", 2)):
        coller(qtbot, champ, colle)
        qtbot.waitUntil(lambda c=colle: zone.modele.texte == c)
        qtbot.waitUntil(lambda n=lignes: table.model().rowCount() == n)
    assert not erreurs_brutes()
