"""Tab « Publication des convocations » of the organisation zone, driven by accessible names: the
analysis (count, clashes blocking the publication), the publication with its progress dialog,
cancelled midway then resumed, the summary; the gestionnaire's read-only view; the screenshot."""

from __future__ import annotations

import functools
from datetime import datetime

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog, QPushButton, QTableWidget
from sqlalchemy import select

from cyclades_desktop.app import create_main_window
from cyclades_desktop.models import Creneau
from cyclades_desktop.services.organisation import planning
from cyclades_desktop.ui import taches
from tests.fabriques import session_id
from tests.fabriques_organisation import affecter, centre, creneau
from tests.unit.test_convocations import inscrire, versions

from .helpers import capturer, par_nom


@pytest.fixture(autouse=True)
def taches_synchrones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYCLADES_TACHES_SYNCHRONES", "1")


def repondre(titre: str, bouton: str) -> str:
    """Click ``bouton`` in the open confirmation ``titre``; returns its text."""
    boites = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, QMessageBox) and w.isVisible() and w.accessibleName() == titre]
    assert boites, f"aucune boîte « {titre} »"
    texte = boites[-1].text()
    next(b for b in boites[-1].buttons() if b.text() == bouton).click()
    return texte


def espionner(onglet, interrompre_a: int | None = None) -> list[str]:
    """The progress dialog's label at each step; « Interrompre » clicked at step ``interrompre_a``."""
    vus: list[str] = []
    demarrer = functools.partial(taches.Executeur.demarrer, onglet.executeur)

    def espion(tache):  # type: ignore[no-untyped-def]
        def pas(n: int, _total: int) -> None:
            dialogue = par_nom(onglet, "Publication des convocations", QProgressDialog)
            vus.append(dialogue.labelText())
            if n == interrompre_a:
                next(b for b in dialogue.findChildren(QPushButton) if "Interrompre" in b.text()).click()
        tache.progression.connect(pas)
        return demarrer(tache)

    onglet.executeur.demarrer = espion
    return vus


def organiser(chef, n: int) -> tuple[list[int], dict[str, int]]:
    ids = [inscrire(chef, f"pub{i}@mail.fr") for i in range(n)]
    salles = centre(chef, ("B12", "C3"))
    maths = creneau(chef, session_id(chef), "E1-A", "Mathématiques", datetime(2025, 5, 12, 8, 0), 120)
    for cid in ids:
        affecter(chef, cid, maths, salles["B12"])
    return ids, salles


def test_analyser_publier_interrompre_reprendre(qtbot, fenetre, chef, clock):
    ids, salles = organiser(chef, 3)
    # A clash: Physique-chimie at 09:00 during Mathématiques.
    physique = creneau(chef, session_id(chef), "E1-B", "Physique-chimie", datetime(2025, 5, 12, 9, 0), 60)
    affecter(chef, ids[0], physique, salles["C3"])

    zone = fenetre.aller_a("organisation")
    onglet = zone.aller_a("Publication des convocations")
    assert onglet is zone.publication
    publier = par_nom(onglet, "Publier les convocations", QPushButton)
    assert not publier.isEnabled()                                   # nothing analysed yet
    par_nom(onglet, "Analyser", QPushButton).click()
    bilan = par_nom(onglet, "Bilan de l'analyse", QLabel).text()
    assert bilan.startswith("3 candidatures recevront une nouvelle version de leur convocation")
    assert "3 conflits d'horaires bloquent la publication" in bilan     # E1-B is needed by all three
    table = par_nom(onglet, "Conflits bloquant la publication", QTableWidget)
    assert table.rowCount() == 3 and table.item(0, 2).text() == "E1-A Mathématiques" and table.isVisible()
    assert not publier.isEnabled()
    assert par_nom(onglet, "Résultat", QLabel).text() == ""

    # The clash solved at the timetable; analysed again, publication allowed.
    planning.supprimer_creneau(chef, physique)
    par_nom(onglet, "Analyser", QPushButton).click()
    assert par_nom(onglet, "Bilan de l'analyse", QLabel).text() == (
        "3 candidatures recevront une nouvelle version de leur convocation (dont 3 première(s) publication(s)).")
    assert table.rowCount() == 0 and not table.isVisible() and publier.isEnabled()

    # Published one candidature per chunk, cancelled after the second: two published, one not.
    onglet.taille_lot = 1
    vus = espionner(onglet, interrompre_a=2)
    publier.click()
    assert repondre("Publier les convocations", "Publier").startswith("Publier 3 convocations aux épreuves ?")
    assert vus == ["Publication 0 / 3", "Publication 1 / 3", "Publication 2 / 3"]
    resultat = par_nom(onglet, "Résultat", QLabel).text()
    assert resultat == ("2 convocations publiées. Publication interrompue : relancez-la pour publier les "
                        "suivantes.")
    assert [versions(chef, c) for c in ids] == [[1], [1], []]
    assert not [d for d in onglet.findChildren(QProgressDialog) if d.isVisible()]
    assert not publier.isEnabled()                                   # the analysis is out of date

    # Resumed: the analysis finds the last one, the publication finishes.
    vus = espionner(onglet)
    par_nom(onglet, "Analyser", QPushButton).click()
    assert vus[-1] == "Analyse 3 / 3"
    assert par_nom(onglet, "Bilan de l'analyse", QLabel).text() == (
        "1 candidature recevra une nouvelle version de sa convocation (première publication) ; 2 inchangée(s).")
    publier.click()
    repondre("Publier les convocations", "Publier")
    assert par_nom(onglet, "Résultat", QLabel).text() == \
        "1 convocation publiée (2 inchangée(s) depuis leur dernière version)."
    assert [versions(chef, c) for c in ids] == [[1], [1], [1]]

    # A créneau deleted afterwards: all three get a version 2.
    clock.advance(hours=1)
    with chef.lecture() as s:
        maths = s.scalar(select(Creneau.id).where(Creneau.epreuve_code == "E1-A"))
    planning.supprimer_creneau(chef, maths)
    par_nom(onglet, "Analyser", QPushButton).click()
    publier.click()
    repondre("Publier les convocations", "Publier")
    assert par_nom(onglet, "Résultat", QLabel).text() == "3 convocations publiées."
    assert [versions(chef, c) for c in ids] == [[1, 2]] * 3

    # Filters changed after an analysis: it cannot be published by mistake.
    par_nom(onglet, "Analyser", QPushButton).click()
    assert par_nom(onglet, "Bilan de l'analyse", QLabel).text().startswith("Aucune convocation à publier")
    examen = onglet.examen
    examen.setCurrentIndex(examen.findData("CAP"))
    assert par_nom(onglet, "Bilan de l'analyse", QLabel).text() == "Les filtres ont changé : analysez à nouveau."
    assert not publier.isEnabled()


def test_capture(qtbot, fenetre, chef):
    organiser(chef, 2)
    fenetre.resize(1280, 800)
    zone = fenetre.aller_a("organisation")
    onglet = zone.aller_a("Publication des convocations")
    par_nom(onglet, "Analyser", QPushButton).click()
    par_nom(onglet, "Publier les convocations", QPushButton).click()
    repondre("Publier les convocations", "Publier")
    assert par_nom(onglet, "Résultat", QLabel).text() == "2 convocations publiées."
    qtbot.waitExposed(fenetre)
    capturer(fenetre.grab(), "convocations-publication.png")


def test_gestionnaire_ne_publie_pas(qtbot, db_url, clock, gestionnaire):
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    w.show()
    zone = w.aller_a("organisation")
    onglet = zone.aller_a("Publication des convocations")
    assert par_nom(onglet, "Accès", QLabel).text() == "Réservé au chef de bureau."
    assert not par_nom(onglet, "Analyser", QPushButton).isEnabled()
    assert not par_nom(onglet, "Publier les convocations", QPushButton).isEnabled()
    w.ctx.db.dispose()
