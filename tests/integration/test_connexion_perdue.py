"""The PostgreSQL server lost mid-work: the user is told in French that nothing
was saved, the form keeps the input, and the same save succeeds once the server is back.

The server is made unreachable for the test's database only: new connections refused
(ALLOW_CONNECTIONS false) and every open one terminated (pg_terminate_backend), which is what a
workstation sees when the server restarts or the network drops."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from cyclades_desktop.app import create_main_window
from cyclades_desktop.rules.errors import ConflictError, DomainError
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.comptes import conflits
from cyclades_desktop.services.noyau.contexte import INDISPONIBLE, Contexte
from tests.conftest import pg_admin_connect
from tests.fabriques import compte_actif

pytestmark = pytest.mark.postgres_seulement


def couper(nom_base: str) -> None:
    with pg_admin_connect() as con:
        con.execute(f'ALTER DATABASE "{nom_base}" ALLOW_CONNECTIONS false')
        con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (nom_base,))


def retablir(nom_base: str) -> None:
    with pg_admin_connect() as con:
        con.execute(f'ALTER DATABASE "{nom_base}" ALLOW_CONNECTIONS true')


@contextmanager
def serveur_injoignable(db_url: str) -> Iterator[None]:
    nom = make_url(db_url).database
    assert nom
    couper(nom)
    try:
        yield
    finally:
        retablir(nom)


def test_enregistrement_refuse_puis_reussi_quand_le_serveur_revient(db_url: str, accueil: Contexte):
    cid = compte_actif(accueil)
    ouvert = conflits.instantane_compte(accueil, cid)
    saisie = replace(ouvert.saisie, nom_usage="Martin")
    with serveur_injoignable(db_url):
        with pytest.raises(DomainError) as refus:
            comptes.modifier_compte(accueil, cid, saisie, row_version=ouvert.row_version)
        assert refus.value.message == INDISPONIBLE
        assert not isinstance(refus.value, ConflictError)
        with pytest.raises(DomainError, match="indisponible"):     # reading says so too, no traceback
            comptes.obtenir(accueil, cid)
    assert comptes.obtenir(accueil, cid).nom_usage is None           # nothing was saved
    comptes.modifier_compte(accueil, cid, saisie, row_version=ouvert.row_version)   # the same save, retried
    assert comptes.obtenir(accueil, cid).nom_usage == "MARTIN"


def test_connexion_coupee_au_milieu_d_une_transaction(db_url: str, accueil: Contexte):
    """The server drops the connection between two statements of one save: the whole save is
    rolled back, then succeeds when retried."""
    cid = compte_actif(accueil)
    ouvert = conflits.instantane_compte(accueil, cid)
    saisie = replace(ouvert.saisie, prenoms="Louise", email="louise@mail.fr", email_confirmation="louise@mail.fr")
    nom = make_url(db_url).database
    coupures = []

    def au_milieu(conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE COMPTE") and not coupures:
            coupures.append(statement)
            couper(nom)       # the server goes away just before the UPDATE reaches it

    event.listen(accueil.db.engine, "before_cursor_execute", au_milieu)
    try:
        with pytest.raises(DomainError) as refus:
            comptes.modifier_compte(accueil, cid, saisie, row_version=ouvert.row_version)
    finally:
        event.remove(accueil.db.engine, "before_cursor_execute", au_milieu)
        retablir(nom)
    assert coupures and refus.value.message == INDISPONIBLE
    c = comptes.obtenir(accueil, cid)
    assert (c.prenoms, c.email, c.row_version) == ("Ngmb-Jeanne", "1948418953@mail.fr", ouvert.row_version)
    comptes.modifier_compte(accueil, cid, saisie, row_version=ouvert.row_version)
    assert comptes.obtenir(accueil, cid).prenoms == "Louise"


def test_le_formulaire_garde_la_saisie_et_reessaie(qtbot, db_url: str, clock, chef: Contexte):
    from PySide6.QtWidgets import QLabel, QLineEdit

    from tests.ui.helpers import par_nom, taper
    from tests.ui.test_comptes_ui import boite, bouton, ouvrir_par_recherche

    cid = compte_actif(chef)
    w = create_main_window(db_url, clock=clock, user="chef")
    qtbot.addWidget(w)
    w.show()
    try:
        zone = w.aller_a("candidats")
        ouvrir_par_recherche(qtbot, zone, "ngmb")
        bouton(zone, "Modifier").click()
        champ = par_nom(zone, "Nom d'usage", QLineEdit)
        champ.clear()
        taper(qtbot, champ, "Martin")
        with serveur_injoignable(db_url):
            bouton(zone, "Enregistrer").click()
            refus = boite(qtbot, "Enregistrement impossible")
            assert refus.text() == INDISPONIBLE
            refus.accept()
        assert par_nom(zone, "Nom d'usage", QLineEdit).text() == "Martin"     # the input is kept
        assert comptes.obtenir(chef, cid).nom_usage is None
        bouton(zone, "Enregistrer").click()                                     # retried: saved
        qtbot.waitUntil(lambda: comptes.obtenir(chef, cid).nom_usage == "MARTIN")
        assert par_nom(zone, "Résultat de l'action", QLabel).text() == "Modifications enregistrées."
    finally:
        w.ctx.db.dispose()
