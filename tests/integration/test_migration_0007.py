"""Schema 0007 (exam days, grades, results): from a 0006 database with data, only new tables appear, every
existing row and link stays, and the grade table's checks hold in the database itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database

NOUVELLES = {"presence", "examinateur", "jury", "jury_membre", "lot_copies", "anonymat", "note_unite", "deliberation",
             "resultat"}


def test_de_0006_a_0007_les_donnees_restent(tmp_path: Path):
    from alembic import command

    db = Database(f"sqlite:///{tmp_path / 'v6.sqlite'}")
    cfg = migrate.alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    avant = set(inspect(db.engine).get_table_names())
    assert not avant & NOUVELLES
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO domaine (code, libelle, libelle_majuscules, ordre) VALUES ('BCP', 'B', 'B', 1)"))
        conn.execute(text("INSERT INTO session_examen (id, annee, libelle, type) VALUES (1, 2025, '2025', 'normale')"))
        conn.execute(text("INSERT INTO pays (code, alpha3, nom, nationalite, cle) VALUES ('FR', 'FRA', 'France', 'F', 'F')"))
        conn.execute(text(
            "INSERT INTO compte_candidat (id, numero_candidat, email, email_normalise, sexe, nom, prenoms, "
            "date_naissance, pays_naissance, commune_naissance, mot_de_passe_hash, etat, cree_le, cle, row_version) "
            "VALUES (1, '01000000001', 'a@b.fr', 'a@b.fr', 'F', 'DUPONT', 'Anne', '2000-01-01', 'FR', 'Nice', 'x', "
            "'actif', '2024-11-10 10:00:00', 'DUPONT ANNE', 1)"))
        conn.execute(text(
            "INSERT INTO candidature (id, compte_id, numero_inscription, session_id, domaine_code, etat, version, "
            "cree_le, row_version, choix) VALUES (7, 1, '001', 1, 'BCP', 'inscrit', 1, '2024-11-10 10:00:00', 1, '{}')"))
    rapport = migrate.upgrade(db)
    assert (rapport.before, rapport.after) == ("0006", "0007") and rapport.backup is not None
    assert set(inspect(db.engine).get_table_names()) == avant | NOUVELLES
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT numero_inscription FROM candidature WHERE id = 7")).scalar() == "001"
        conn.execute(text(
            "INSERT INTO note_unite (candidature_id, unite_code, groupe, valeur, marque, origine, verrouillee, "
            "saisie_par, saisie_le, row_version) VALUES (7, 'E2', 1, 12.5, NULL, 'saisie', 0, 'chef', "
            "'2025-06-20 10:00:00', 1)"))
        assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    for valeur, marque in (("NULL", "NULL"), ("12", "'ABS'"), ("20.5", "NULL")):
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO note_unite (candidature_id, unite_code, groupe, valeur, marque, origine, verrouillee, "
                f"saisie_par, saisie_le, row_version) VALUES (7, 'E3', 1, {valeur}, {marque}, 'saisie', 0, 'chef', "
                "'2025-06-20 10:00:00', 1)"))
    db.dispose()
