"""The registration form after its first save: the tab headers lead straight to a tab, Enregistrer works
from any tab, and the header shows the version just saved (changing a phone number in four actions)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QMessageBox

from cyclades_desktop.rules import inscriptions as regles
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.ui.inscription.assistant import AssistantInscription
from cyclades_desktop.ui.inscription.commun import TITRES, TitreOnglet
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, par_nom
from .helpers_assistant import CONDITIONS, bouton, candidature, cliquer, cocher, montrer, saisir

ACCEPTER = "Le candidat accepte : enregistrer"


def titre_onglet(w: AssistantInscription, index: int) -> TitreOnglet:
    """The header « 2 - Identification » of the page shown."""
    page = w.currentPage()
    return next(t for t in page.findChildren(TitreOnglet) if t.index == index)


def examen(w: AssistantInscription) -> str:
    return w.currentPage().findChild(QLabel, "examen").text()


def modification(qtbot, ctx) -> AssistantInscription:  # type: ignore[no-untyped-def]
    compte = compte_actif(ctx)
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    cid = inscriptions.enregistrer(ctx, d, saisie_seed()).candidature_id
    d, saisie = inscriptions.ouvrir(ctx, cid)
    return montrer(qtbot, AssistantInscription(ctx, inscriptions.preparer_modification(ctx, d), saisie))


def accepter(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Conditions d'inscription" for b in boites_ouvertes()))
    boite = next(b for b in boites_ouvertes() if b.windowTitle() == "Conditions d'inscription")
    assert "441-6" in boite.text()          # the conditions themselves are shown
    oui = next(b for b in boite.buttons() if b.text().replace("&", "") == ACCEPTER)
    qtbot.mouseClick(oui, Qt.MouseButton.LeftButton)


def test_changer_un_telephone_en_quatre_actions(qtbot, accueil):
    w = modification(qtbot, accueil)
    assert w.currentId() == regles.MODALITES
    assert "version 1" in examen(w)
    with qtbot.waitSignal(w.enregistre) as signal:
        qtbot.mouseClick(titre_onglet(w, regles.IDENTIFICATION), Qt.MouseButton.LeftButton)     # 1
        assert w.currentId() == regles.IDENTIFICATION
        saisir(qtbot, w, "Téléphone personnel mobile", "0698765432")                           # 2
        cliquer(qtbot, w, "Enregistrer")                                                      # 3
        accepter(qtbot)                                                                       # 4
    assert signal.args[0].version == 2
    c = candidature(accueil)
    assert (c.version, c.telephone_mobile) == (2, "0698765432")
    assert w.currentId() == regles.NUMERO
    assert "version n° 2" in par_nom(w, "Numéro d'inscription", QLabel).text()
    assert "inscription n° 001, version 2" in examen(w)                # the header follows the save
    assert all("version 2" in p.findChild(QLabel, "examen").text() for p in w.pages)


def test_une_nouvelle_candidature_se_parcourt_dans_l_ordre_puis_devient_libre(qtbot, accueil):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    w = montrer(qtbot, AssistantInscription(accueil, d, saisie_seed(conditions_acceptees=False)))
    # Before the first save: the headers are plain names, Enregistrer waits for tabs 7-8.
    qtbot.mouseClick(titre_onglet(w, regles.ACQUIS), Qt.MouseButton.LeftButton)
    assert w.currentId() == regles.MODALITES
    assert not bouton(w, "Enregistrer").isEnabled()
    w.aller_a(regles.CONDITIONS)
    cocher(qtbot, w, CONDITIONS)
    with qtbot.waitSignal(w.enregistre):
        cliquer(qtbot, w, "Enregistrer")
    assert w.currentId() == regles.NUMERO and "version 1" in examen(w)

    # After it: straight back to a tab, a change, saved from there.
    qtbot.mouseClick(titre_onglet(w, regles.IDENTIFICATION), Qt.MouseButton.LeftButton)
    assert w.currentId() == regles.IDENTIFICATION
    assert not par_nom(w, CONDITIONS, QCheckBox).isChecked()          # accepted again at each save
    saisir(qtbot, w, "Numéro, rue, voie", "12 rue des Lilas")
    with qtbot.waitSignal(w.enregistre) as signal:
        qtbot.keySequence(w, "Ctrl+S")
        accepter(qtbot)
    assert signal.args[0].version == 2
    assert candidature(accueil).adresse_voie == "12 rue des Lilas"
    assert "version 2" in examen(w)
    # Alt+number goes to a tab too; tab 9 only through Enregistrer.
    qtbot.keySequence(w, "Alt+6")
    assert w.currentId() == regles.EPREUVES
    w.sauter_a(regles.NUMERO)
    assert w.currentId() == regles.EPREUVES


def test_une_erreur_ramene_a_son_onglet(qtbot, accueil):
    w = modification(qtbot, accueil)
    qtbot.mouseClick(titre_onglet(w, regles.IDENTIFICATION), Qt.MouseButton.LeftButton)
    saisir(qtbot, w, "Téléphone personnel mobile", "12")
    qtbot.mouseClick(titre_onglet(w, regles.RECAPITULATIF), Qt.MouseButton.LeftButton)
    assert w.currentId() == regles.RECAPITULATIF
    cliquer(qtbot, w, "Enregistrer")
    accepter(qtbot)
    qtbot.waitUntil(lambda: w.currentId() == regles.IDENTIFICATION)
    assert par_nom(w, "Téléphone personnel mobile", QLineEdit).text() == "12"
    assert candidature(accueil).version == 1
    assert not [b for b in boites_ouvertes() if isinstance(b, QMessageBox) and "Enregistrement" in b.windowTitle()]
    assert TITRES[regles.IDENTIFICATION] == "2 - Identification"
