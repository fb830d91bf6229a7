"""The « Pièces justificatives » tab of the Référentiel: the catalogue in clear French, edited by the
chef de bureau, read-only for everyone else.

Set CYCLADES_CAPTURES to a folder to save the tab as PNG (docs/referentiel-pieces.png)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import PieceCatalogue
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import pieces as referentiel_pieces
from cyclades_desktop.ui.referentiel.pieces import OngletPieces
from tests.fabriques import compte_actif, saisie_seed, session_id

from .helpers import boites_ouvertes, par_nom
from .test_referentiel_ui import bouton_visible, cliquer, lignes

CAPTURES = os.environ.get("CYCLADES_CAPTURES")
CATALOGUE = "Catalogue des pièces justificatives"


def onglet(fenetre) -> OngletPieces:  # type: ignore[no-untyped-def]
    zone = fenetre.aller_a("referentiel")
    o = zone.aller_a("Pièces justificatives")
    assert isinstance(o, OngletPieces)
    return o


def ligne(o: OngletPieces, code: str) -> list[str]:
    return next(r for r in lignes(par_nom(o, CATALOGUE)) if r[0] == code)


def erreur(o: OngletPieces, libelle: str) -> str:
    lab = par_nom(o, f"Erreur : {libelle}", QLabel)
    return lab.text() if lab.isVisibleTo(o) else ""


def test_le_chef_modifie_un_libelle(fenetre, chef: Contexte):
    o = onglet(fenetre)
    assert len(lignes(par_nom(o, CATALOGUE))) == 13
    assert ligne(o, "IDENTITE") == ["IDENTITE", "Document justifiant l'identité", "Toujours exigée", "En ligne",
                                    "BCP, CAP, BP, MC, CS", "0"]
    assert ligne(o, "CERTIF_EUROPE")[3] == "Courrier (non précisé)"
    assert "s'applique aux candidatures enregistrées ensuite" in o.findChildren(QLabel)[0].text()
    o.selectionner("IDENTITE")
    assert par_nom(o, "Code", QLineEdit).isReadOnly()
    assert par_nom(o, "Condition", QComboBox).currentText() == "Toujours exigée"
    par_nom(o, "Libellé", QPlainTextEdit).setPlainText("Pièce d'identité en cours de validité (recto verso)")
    par_nom(o, "Domaine CS", QCheckBox).setChecked(False)
    cliquer(o, "Enregistrer")
    assert par_nom(o, "Message", QLabel).text() == ("Pièce IDENTITE enregistrée : elle s'applique aux candidatures "
                                                    "enregistrées à partir de maintenant.")
    assert ligne(o, "IDENTITE")[1:5] == ["Pièce d'identité en cours de validité (recto verso)", "Toujours exigée",
                                         "En ligne", "BCP, CAP, BP, MC"]
    p = next(p for p in referentiel_pieces.lister(chef) if p.code == "IDENTITE")
    assert (p.libelle, p.domaines) == ("Pièce d'identité en cours de validité (recto verso)",
                                       ("BCP", "CAP", "BP", "MC"))
    assert boites_ouvertes() == []


def test_une_cle_de_condition_inconnue_est_refusee_sous_le_champ(fenetre, chef: Contexte):
    with chef.transaction() as s:                  # a typo in an imported catalogue
        s.get(PieceCatalogue, "RESIDENCE").condition_cle = "individuelle"
    o = onglet(fenetre)
    inconnue = "Clé inconnue « individuelle » : la pièce n'est jamais demandée"
    assert ligne(o, "RESIDENCE")[2] == inconnue
    o.selectionner("RESIDENCE")
    condition = par_nom(o, "Condition", QComboBox)
    assert condition.currentText() == inconnue
    cliquer(o, "Enregistrer")
    assert erreur(o, "Condition") == ("Condition inconnue : choisissez-en une dans la liste (exemple : « always », "
                                      "toujours exigée).")
    assert boites_ouvertes() == [] and par_nom(o, "Message", QLabel).text() == ""
    condition.setCurrentIndex(condition.findData("individuel"))
    cliquer(o, "Enregistrer")
    assert erreur(o, "Condition") == ""
    assert ligne(o, "RESIDENCE")[2] == "Candidat individuel"
    assert condition.findText(inconnue) == -1      # the unknown key is no longer offered


def test_nouvelle_piece_puis_suppression_refusee_si_utilisee(fenetre, chef: Contexte, accueil: Contexte, qtbot):
    compte = compte_actif(accueil)
    inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP"),
                             saisie_seed())
    o = onglet(fenetre)
    cliquer(o, "Nouvelle pièce")
    assert not par_nom(o, "Code", QLineEdit).isReadOnly()
    cliquer(o, "Enregistrer")
    assert erreur(o, "Code") == "Ce champ est obligatoire." and erreur(o, "Libellé") == "Ce champ est obligatoire."
    par_nom(o, "Code", QLineEdit).setText("attestation_pse")
    par_nom(o, "Libellé", QPlainTextEdit).setPlainText("Attestation de formation aux premiers secours")
    mode = par_nom(o, "Mode de dépôt", QComboBox)
    mode.setCurrentIndex(mode.findData("courrier"))
    cliquer(o, "Enregistrer")
    assert ligne(o, "ATTESTATION_PSE")[3] == "Courrier"
    assert par_nom(o, "Pièce affichée", QLabel).text() == "Pièce ATTESTATION_PSE"

    o.selectionner("IDENTITE")
    assert ligne(o, "IDENTITE")[5] == "1"
    cliquer(o, "Supprimer la pièce")
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Supprimer la pièce" for b in boites_ouvertes()))
    confirmation = next(b for b in boites_ouvertes() if b.windowTitle() == "Supprimer la pièce")
    next(b for b in confirmation.buttons() if b.text() == "Supprimer").click()
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Suppression impossible" for b in boites_ouvertes()))
    refus = next(b for b in boites_ouvertes() if b.windowTitle() == "Suppression impossible")
    assert "déjà demandée à 1 candidature" in refus.text()
    refus.accept()
    assert ligne(o, "IDENTITE")
    capturer(fenetre, o)


def test_l_agent_consulte_sans_modifier(qtbot, db_url, clock, accueil: Contexte):
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    w.show()
    o = onglet(w)
    assert ligne(o, "JDC")[2] == "Candidat de nationalité française âgé de 16 à 24 ans le jour de l'inscription"
    o.selectionner("JDC")
    assert par_nom(o, "Libellé", QPlainTextEdit).isReadOnly()
    for nom in ("Condition", "Mode de dépôt"):
        assert not par_nom(o, nom, QComboBox).isEnabled(), nom
    assert not par_nom(o, "Domaine BCP", QCheckBox).isEnabled()
    for nom in ("Enregistrer", "Nouvelle pièce", "Supprimer la pièce"):
        assert not bouton_visible(o, nom), nom
    assert any("seul le chef de bureau" in lab.text() for lab in o.findChildren(QLabel))
    assert not any(b.isVisible() for b in o.findChildren(QPushButton))
    w.ctx.db.dispose()


def capturer(fenetre, o: OngletPieces) -> None:  # type: ignore[no-untyped-def]
    if not CAPTURES:
        return
    o.selectionner("JDC")
    fenetre.resize(1280, 860)
    for _ in range(3):
        QApplication.processEvents()
    fenetre.grab().save(str(Path(CAPTURES) / "referentiel-pieces.png"))
