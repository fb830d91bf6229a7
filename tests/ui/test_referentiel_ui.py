"""The Référentiel screen, driven by accessible names as a user (or a screen reader) would."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTreeView,
    QWidget,
)

from cyclades_desktop.app import create_main_window
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import edition as ed
from cyclades_desktop.services.referentiel import lecture as referentiel

from .helpers import boites_ouvertes, par_nom


def fenetre_de(qtbot, db_url, clock, login: str):  # type: ignore[no-untyped-def]
    w = create_main_window(db_url, clock=clock, user=login)
    qtbot.addWidget(w)
    w.show()
    return w


def dialogue(nom: str) -> QDialog:
    """The open (non-blocking) dialog whose accessible name starts with ``nom``."""
    trouves = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible() and w.accessibleName().startswith(nom)]
    assert trouves, f"aucune fenêtre « {nom} » ouverte"
    return trouves[-1]


def cliquer(racine: QWidget, nom: str) -> None:
    b = par_nom(racine, nom, QPushButton)
    assert b.isVisible() and b.isEnabled(), nom
    b.click()


def bouton_visible(racine: QWidget, nom: str) -> bool:
    return any(b.isVisible() for b in racine.findChildren(QPushButton) if b.accessibleName() == nom)


def lignes(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def arbre(vue: QTreeView) -> list[tuple[str, ...]]:
    """(code, intitulé, coefficient) of every row, depth-first, children indented by '  '."""
    modele = vue.model()
    out: list[tuple[str, ...]] = []

    def visiter(parent, profondeur: int) -> None:  # type: ignore[no-untyped-def]
        for r in range(modele.rowCount(parent)):
            idx = modele.index(r, 0, parent)
            out.append(("  " * profondeur + idx.data(), modele.index(r, 2, parent).data(),
                        modele.index(r, 3, parent).data()))
            visiter(idx, profondeur + 1)

    from PySide6.QtCore import QModelIndex
    visiter(QModelIndex(), 0)
    return out


def choisir_specialite(zone: QWidget, domaine: str, debut: str) -> None:
    filtre = par_nom(zone, "Domaine", QComboBox)
    filtre.setCurrentIndex(filtre.findData(domaine))
    liste = par_nom(zone, "Spécialités", QListWidget)
    ligne = next(i for i in range(liste.count()) if liste.item(i).text().startswith(debut))
    liste.setCurrentRow(ligne)


# --- Bureau --------------------------------------------------------------------------------------

def test_le_chef_modifie_le_telephone_et_le_voit_enregistre(fenetre):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Bureau")
    telephone = par_nom(zone, "Téléphone", QLineEdit)
    assert telephone.text() == "04 42 91 72 87"
    telephone.setText("04.42.91.70.00")
    cliquer(zone, "Enregistrer")
    assert par_nom(zone, "Message").text() == "Identité du bureau enregistrée."
    assert telephone.text() == "04 42 91 70 00"               # shown as stored
    assert "Téléphone : 04 42 91 70 00" in par_nom(zone, "Aperçu de l'en-tête").text()
    assert referentiel.bureau(fenetre.ctx).telephone == "04 42 91 70 00"
    assert boites_ouvertes() == []


def test_code_postal_incorrect_message_sous_le_champ_rien_n_est_enregistre(fenetre):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Bureau")
    par_nom(zone, "Code postal", QLineEdit).setText("1362")
    par_nom(zone, "Adresse", QPlainTextEdit).setPlainText("Rectorat\nPlace Lucien Paye\nBP 12")
    cliquer(zone, "Enregistrer")
    erreur = par_nom(zone, "Erreur : Code postal")
    assert erreur.isVisible() and erreur.text() == "Le code postal comporte 5 chiffres (exemple : 13621)."
    assert par_nom(zone, "Code postal", QLineEdit).text() == "1362"              # what was typed is kept
    assert par_nom(zone, "Adresse", QPlainTextEdit).toPlainText().endswith("BP 12")
    assert par_nom(zone, "Message").text() == ""
    b = referentiel.bureau(fenetre.ctx)
    assert (b.code_postal, b.row_version) == ("13621", 1)
    assert boites_ouvertes() == []                                               # no box, no traceback


def test_modification_concurrente_signalee_sans_rien_perdre(fenetre, chef: Contexte):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Bureau")
    autre_poste = ed.saisie_bureau(referentiel.bureau(chef))
    autre_poste.ville = "Aix-en-Provence"
    ed.modifier_bureau(chef, autre_poste, 1)
    par_nom(zone, "Téléphone", QLineEdit).setText("04 42 91 70 00")
    cliquer(zone, "Enregistrer")
    boites = boites_ouvertes()
    assert len(boites) == 1 and "modifiée entre-temps sur un autre poste" in boites[0].text()
    assert par_nom(zone, "Téléphone", QLineEdit).text() == "04 42 91 70 00"
    assert referentiel.bureau(chef).telephone == "04 42 91 72 87"
    boites[0].close()


# --- Sessions et périodes ------------------------------------------------------------------------

def test_modifier_la_cloture_d_une_periode(fenetre):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Sessions et périodes")
    sessions = par_nom(zone, "Sessions", QListWidget)
    assert sessions.currentItem().text() == "2025"
    periodes = par_nom(zone, "Périodes d'inscription", QTableWidget)
    assert lignes(periodes)[0] == ["BCP — Baccalauréat professionnel",
                                   "du 04/11/2024 15:00 au 03/12/2024 17:00 (heure de Paris)", "Ouverte"]
    periodes.setCurrentCell(0, 0)
    cliquer(zone, "Modifier la période")
    dlg = dialogue("Période d'inscription BCP")
    cloture = par_nom(dlg, "Clôture", QDateTimeEdit)
    assert cloture.text() == "03/12/2024 17:00"
    ouverture = par_nom(dlg, "Ouverture", QDateTimeEdit)
    # first a closing before the opening: refused next to the field, the dialog stays open
    cloture.setDateTime(QDateTime(QDate(2024, 11, 1), QTime(17, 0), cloture.timeZone()))
    cliquer(dlg, "Enregistrer")
    assert dlg.isVisible()
    assert par_nom(dlg, "Erreur : Clôture").text() == "La clôture doit être postérieure à l'ouverture."
    assert ouverture.text() == "04/11/2024 15:00"
    cloture.setDateTime(QDateTime(QDate(2024, 12, 6), QTime(18, 30), cloture.timeZone()))
    cliquer(dlg, "Enregistrer")
    assert not dlg.isVisible()
    assert lignes(periodes)[0][1] == "du 04/11/2024 15:00 au 06/12/2024 18:30 (heure de Paris)"
    # the confirmation deadline follows "une semaine après la clôture"
    echeances = lignes(par_nom(zone, "Échéances", QTableWidget))
    assert ["BCP", "13/12/2024 18:30 (heure de Paris)"] in [[e[0], e[2]] for e in echeances]


def test_creer_une_session(fenetre):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Sessions et périodes")
    cliquer(zone, "Nouvelle session")
    dlg = dialogue("Nouvelle session")
    par_nom(dlg, "Libellé", QLineEdit).setText("2025")
    cliquer(dlg, "Enregistrer")
    assert par_nom(dlg, "Erreur : Libellé").text() == "Une session « 2025 » existe déjà."
    par_nom(dlg, "Libellé", QLineEdit).setText("NOVEMBRE 2025 VAE")
    types = par_nom(dlg, "Type de session", QComboBox)
    types.setCurrentIndex(types.findData("vae"))
    cliquer(dlg, "Enregistrer")
    assert par_nom(zone, "Sessions", QListWidget).currentItem().text() == "NOVEMBRE 2025 VAE (VAE)"
    assert lignes(par_nom(zone, "Périodes d'inscription", QTableWidget)) == []


# --- Spécialités ---------------------------------------------------------------------------------

def test_ajouter_des_epreuves_a_l_arbre_vide_d_un_cs(fenetre):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Spécialités")
    choisir_specialite(zone, "CS", "CS 22112 · Pâtisserie de boutique (aucune épreuve)")
    vue = par_nom(zone, "Épreuves", QTreeView)
    assert arbre(vue) == []
    cliquer(zone, "Ajouter une épreuve")
    dlg = dialogue("Nouvelle épreuve")
    par_nom(dlg, "Code", QLineEdit).setText("E1")
    par_nom(dlg, "Coefficient", QLineEdit).setText("-6")
    cliquer(dlg, "Enregistrer")
    assert dlg.isVisible()
    assert par_nom(dlg, "Erreur : Intitulé").text() == "L'intitulé de l'épreuve est obligatoire."
    assert par_nom(dlg, "Erreur : Coefficient").text() == "Le coefficient ne peut pas être négatif."
    assert par_nom(dlg, "Code", QLineEdit).text() == "E1"
    par_nom(dlg, "Intitulé", QLineEdit).setText("Production en pâtisserie")
    par_nom(dlg, "Coefficient", QLineEdit).setText("6,5")
    cliquer(dlg, "Enregistrer")
    assert not dlg.isVisible()
    assert arbre(vue) == [("E1", "Production en pâtisserie", "6,5")]
    # a sub-unit of the selected one
    cliquer(zone, "Ajouter une sous-épreuve")
    dlg = dialogue("Nouvelle sous-épreuve de E1")
    assert par_nom(dlg, "Code", QLineEdit).text() == "E1-"
    par_nom(dlg, "Code", QLineEdit).setText("E1-A")
    par_nom(dlg, "Intitulé", QLineEdit).setText("Entremets")
    cliquer(dlg, "Enregistrer")
    assert arbre(vue) == [("E1", "Production en pâtisserie", "6,5"), ("  E1-A", "Entremets", "")]
    assert vue.currentIndex().data() == "E1-A"
    liste = par_nom(zone, "Spécialités", QListWidget)
    assert liste.currentItem().text() == "CS 22112 · Pâtisserie de boutique"
    assert [(n.code, [c.code for c in n.enfants]) for n in ed.arbre_epreuves(fenetre.ctx, "CS-22112")] == \
        [("E1", ["E1-A"])]


def test_modifier_deplacer_et_supprimer_au_clavier(fenetre, qtbot):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Spécialités")
    choisir_specialite(zone, "BP", "BP 22108 · Boulanger")
    vue = par_nom(zone, "Épreuves", QTreeView)
    premiers = [ligne[0] for ligne in arbre(vue) if not ligne[0].startswith(" ")]
    vue.setFocus()
    vue.setCurrentIndex(vue.model().index(1, 0))
    qtbot.keyClick(vue, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [ligne[0] for ligne in arbre(vue) if not ligne[0].startswith(" ")] == \
        [premiers[1], premiers[0], *premiers[2:]]
    assert vue.currentIndex().data() == premiers[1]
    qtbot.keyClick(vue, Qt.Key.Key_F2)
    dlg = dialogue(f"Modifier l'épreuve {premiers[1]}")
    par_nom(dlg, "Intitulé", QLineEdit).setText("Intitulé corrigé")
    cliquer(dlg, "Enregistrer")
    assert arbre(vue)[0][1] == "Intitulé corrigé"
    qtbot.keyClick(vue, Qt.Key.Key_Delete)
    boite = boites_ouvertes()[0]
    assert boite.text().startswith(f"Supprimer l'épreuve {premiers[1]} « Intitulé corrigé »")
    next(b for b in boite.buttons() if b.text() == "Supprimer").click()
    assert [ligne[0] for ligne in arbre(vue) if not ligne[0].startswith(" ")] == [premiers[0], *premiers[2:]]


def ecrire(tmp_path: Path, nom: str, data: object) -> Path:
    chemin = tmp_path / nom
    chemin.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return chemin


def test_importer_un_fichier_et_l_appliquer(fenetre, tmp_path):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Spécialités")
    chemin = ecrire(tmp_path, "cs-coiffure.json", [{
        "id": "CS-33605", "domaine": "CS", "code": "33605", "intitule": "Coiffure coupe couleur",
        "epreuves": [{"code": "E1", "unite": "U1", "intitule": "Coupe", "coefficient": 4},
                     {"code": "E2", "unite": "U2", "intitule": "Couleur", "coefficient": 3,
                      "children": [{"code": "E2-A", "intitule": "Technique", "coefficient": 2}]}]}])
    cliquer(zone, "Importer un fichier")
    choix = dialogue("Importer des spécialités")
    assert isinstance(choix, QFileDialog)
    choix.selectFile(str(chemin))
    choix.accept()                                   # the user picks the file: the report opens
    rapport = dialogue("Rapport d'import")
    assert par_nom(rapport, "Résumé de l'import").text() == (
        "Fichier : cs-coiffure.json — 1 spécialité (0 création, 1 remplacement) — aucune erreur.")
    contenu = par_nom(rapport, "Spécialités du fichier", QListWidget)
    assert contenu.item(0).text() == ("CS-33605 — Coiffure coupe couleur : Remplacement : 3 épreuves ajoutées, "
                                      "0 supprimée, 0 modifiée")
    assert ed.arbre_epreuves(fenetre.ctx, "CS-33605") == []       # nothing written yet
    cliquer(rapport, "Appliquer")
    assert not rapport.isVisible()
    boite = boites_ouvertes()[0]
    assert boite.accessibleName() == "Import appliqué" and "1 remplacement" in boite.text()
    boite.close()
    choisir_specialite(zone, "CS", "CS 33605 · Coiffure coupe couleur")
    assert arbre(par_nom(zone, "Épreuves", QTreeView)) == [("E1", "Coupe", "4"), ("E2", "Couleur", "3"),
                                                           ("  E2-A", "Technique", "2")]


def test_import_avec_erreurs_ne_peut_pas_etre_applique(fenetre, tmp_path):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Spécialités")
    bcp = ed.exporter_specialite(fenetre.ctx, "BCP-25303")
    next(n for n in bcp["epreuves"] if n["code"] == "E3")["children"][0]["coefficient"] = -1
    rapport = zone.specialites.importer_fichier(ecrire(tmp_path, "bcp.json", bcp))
    assert rapport is dialogue("Rapport d'import")
    assert not par_nom(rapport, "Appliquer", QPushButton).isEnabled()
    erreurs = par_nom(rapport, "Erreurs", QListWidget)
    assert [erreurs.item(i).text() for i in range(erreurs.count())] == [
        "BCP-25303 › E3 › E3-A : le coefficient ne peut pas être négatif."]
    cliquer(rapport, "Fermer")
    casse = tmp_path / "casse.json"
    casse.write_text('[{"id": "CS-1",', encoding="utf-8")
    rapport = zone.specialites.importer_fichier(casse)
    erreurs = par_nom(rapport, "Erreurs", QListWidget)
    assert erreurs.count() == 1 and erreurs.item(0).text().startswith("Le fichier n'est pas un JSON valide")
    assert not par_nom(rapport, "Appliquer", QPushButton).isEnabled()


def test_nouvelle_specialite(fenetre):
    zone = fenetre.aller_a("referentiel")
    zone.aller_a("Spécialités")
    par_nom(zone, "Domaine", QComboBox).setCurrentIndex(par_nom(zone, "Domaine", QComboBox).findData("CS"))
    cliquer(zone, "Nouvelle spécialité")
    dlg = dialogue("Nouvelle spécialité")
    par_nom(dlg, "Code de spécialité", QLineEdit).setText("2211")
    par_nom(dlg, "Identifiant", QLineEdit).setText("CS-2211")
    par_nom(dlg, "Intitulé", QLineEdit).setText("Traiteur")
    cliquer(dlg, "Enregistrer")
    assert "5 chiffres" in par_nom(dlg, "Erreur : Code de spécialité").text()
    par_nom(dlg, "Code de spécialité", QLineEdit).setText("22113")
    par_nom(dlg, "Identifiant", QLineEdit).setText("CS-22113")
    cliquer(dlg, "Enregistrer")
    assert par_nom(zone, "Spécialités", QListWidget).currentItem().text() == "CS 22113 · Traiteur (aucune épreuve)"


# --- Lecture seule -------------------------------------------------------------------------------

def test_l_agent_d_accueil_consulte_sans_pouvoir_modifier(qtbot, db_url, clock, accueil: Contexte):
    w = fenetre_de(qtbot, db_url, clock, "accueil")
    zone = w.aller_a("referentiel")
    zone.aller_a("Bureau")
    for nom in ("Académie", "Code postal", "Téléphone", "Adresse mail"):
        assert par_nom(zone, nom, QLineEdit).isReadOnly(), nom
    assert par_nom(zone, "Adresse", QPlainTextEdit).isReadOnly()
    assert not bouton_visible(zone, "Enregistrer")
    zone.aller_a("Sessions et périodes")
    assert lignes(par_nom(zone, "Périodes d'inscription", QTableWidget))[0][0] == "BCP — Baccalauréat professionnel"
    assert not bouton_visible(zone, "Modifier la période")
    assert zone.sessions.modifier_periode("BCP") is None          # the double-click path does nothing
    zone.aller_a("Spécialités")
    choisir_specialite(zone, "BCP", "BCP 25303")
    assert arbre(par_nom(zone, "Épreuves", QTreeView))[0][0] == "E1"
    for nom in ("Ajouter une épreuve", "Supprimer l'épreuve", "Importer un fichier", "Nouvelle spécialité"):
        assert not bouton_visible(zone, nom), nom
    assert bouton_visible(zone, "Exporter")
    zone.aller_a("Établissements")
    par_nom(zone, "Rechercher un établissement", QLineEdit).setText("cayenne")
    assert [ligne[0] for ligne in lignes(par_nom(zone, "Établissements", QTableWidget))] == ["9730538X"]
    zone.aller_a("Catégories")
    individuel = next(r for r in lignes(par_nom(zone, "Catégories de candidat", QTableWidget)) if r[0] == "INDIV")
    assert individuel[3] == "Ponctuel"
    w.ctx.db.dispose()
