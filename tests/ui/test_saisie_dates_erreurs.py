"""Typing dates and correcting mistakes at the counter: a date is accepted as « 14031995 » as well as
« 14/03/1995 », and a field's message goes away as soon as the field is changed, never left over what
is now right nor drawn over the field's help line."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLabel, QLineEdit, QMainWindow, QWidget

from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.rules.comptes import parser_date
from cyclades_desktop.rules.organisation import lire_debut
from cyclades_desktop.rules.pieces import lire_date
from cyclades_desktop.rules.temps import normaliser_date
from cyclades_desktop.ui.champs import champ_date
from cyclades_desktop.ui.pieces.dialogues import DialogueReception
from tests.fabriques import saisie_seed

from .helpers import par_nom, taper
from .helpers_assistant import aller_jusqu_a, choisir, erreur, ouvrir
from .parcours import fermer_les_boites  # noqa: F401 (autouse: closes the boxes a test leaves open)


def test_une_date_se_tape_avec_ou_sans_ses_barres() -> None:
    assert normaliser_date("14031995") == "14/03/1995"
    assert normaliser_date(" 14/03/1995 ") == "14/03/1995"
    assert normaliser_date("1403199") == "1403199"              # not a date: left for the checks to refuse
    assert parser_date("14031995") == parser_date("14/03/1995") == date(1995, 3, 14)
    assert lire_date("09122024") == date(2024, 12, 9)
    assert parser_date("31021995") is None                         # still a real date only
    e: dict[str, str] = {}
    assert lire_debut("16062025", "08:30", e) is not None and e == {}


def test_le_champ_date_montre_les_barres_en_sortant(qtbot) -> None:
    champ = champ_date()
    qtbot.addWidget(champ)
    champ.show()
    champ.setFocus()
    qtbot.keyClicks(champ, "14031995")
    qtbot.keyClick(champ, Qt.Key.Key_Return)             # editing finished, as Tab does
    assert champ.text() == "14/03/1995"


def test_la_date_de_naissance_se_tape_en_huit_chiffres(qtbot, fenetre: QMainWindow) -> None:
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    zone.nouveau()
    naissance = par_nom(zone, "Date de naissance", QLineEdit)
    confirmation = par_nom(zone, "Confirmation date de naissance", QLineEdit)
    naissance.setFocus()
    qtbot.keyClicks(naissance, "14031995")
    qtbot.keyClick(naissance, Qt.Key.Key_Tab)
    qtbot.keyClicks(confirmation, "14/03/1995")
    assert naissance.text() == "14/03/1995"
    zone.page.enregistrer()
    assert zone.page.f_etat_civil.erreur("date_naissance") == ""
    assert zone.page.f_etat_civil.erreur("date_naissance_confirmation") == ""


def test_la_date_de_reception_accepte_huit_chiffres(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    recues: list[date] = []
    dialogue = DialogueReception(parent, 1, date(2024, 11, 10), recues.append)
    dialogue.show()
    champ = par_nom(dialogue, "Date de réception", QDateEdit)
    champ.setFocus()
    champ.setSelectedSection(QDateEdit.Section.DaySection)
    qtbot.keyClicks(champ, "09112024")
    assert champ.date().toPython() == date(2024, 11, 9)


# --- messages that go once the field is fixed --------------------------------------------------------

def test_le_message_de_la_categorie_disparait_quand_on_la_choisit(qtbot, chef) -> None:
    w = ouvrir(qtbot, chef, saisie_seed(categorie_code=""))
    aller_jusqu_a(qtbot, w, regles.INFORMATIONS)
    w.next()                                              # Suivant without a catégorie
    assert erreur(w, "Catégorie du candidat") == "Sélectionnez une catégorie de candidat."
    categorie = par_nom(w, "Catégorie du candidat", QComboBox)
    choisir(w, "Catégorie du candidat", categorie.itemText(1))
    assert erreur(w, "Catégorie du candidat") == ""
    assert w.currentId() == regles.INFORMATIONS


def test_un_message_disparait_des_que_le_champ_change(qtbot, fenetre: QMainWindow) -> None:
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    zone.nouveau()
    form = zone.page
    form.enregistrer()                                    # everything is missing
    assert form.f_etat_civil.erreur("nom") and form.f_etat_civil.erreur("prenoms")
    nom = par_nom(zone, "Nom de famille", QLineEdit)
    nom.setFocus()
    taper(qtbot, nom, "D")
    assert form.f_etat_civil.erreur("nom") == ""
    assert form.f_etat_civil.erreur("prenoms") != ""      # the others stay until their field changes


def test_aucun_message_n_est_dessine_sur_une_aide(qtbot, fenetre: QMainWindow) -> None:
    fenetre.resize(1366, 768)
    zone = fenetre.aller_a("candidats")  # type: ignore[attr-defined]
    zone.nouveau()
    zone.page.enregistrer()
    for _ in range(4):
        QApplication.processEvents()
    chevauchements = []
    for erreur_ in zone.page.findChildren(QLabel):
        if not erreur_.accessibleName().startswith("Erreur : ") or not erreur_.isVisible():
            continue
        ici = erreur_.geometry().translated(erreur_.parentWidget().mapTo(zone.page, QPoint(0, 0)))
        for autre in erreur_.parentWidget().parentWidget().findChildren(QWidget):
            if autre is erreur_ or not autre.isVisible() or autre.isAncestorOf(erreur_) or erreur_.isAncestorOf(autre):
                continue
            la = autre.geometry().translated(autre.parentWidget().mapTo(zone.page, QPoint(0, 0)))
            if ici.intersects(la):
                chevauchements.append((erreur_.accessibleName(), autre.accessibleName() or autre.objectName()))
    assert chevauchements == []
