"""The audit trail as a hash chain: every row chained to the previous one, a verification that finds
the first modified, deleted, moved or forged row, and concurrent writers that keep one chain."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import JSON, bindparam, text

from cyclades_desktop import cli
from cyclades_desktop.models import AuditEntry
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.noyau import audit
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database


def ecrire(ctx: Contexte, n: int, prefixe: str = "op", par_transaction: int = 1) -> None:
    for i in range(0, n, par_transaction):
        with ctx.transaction() as s:
            for j in range(i, min(n, i + par_transaction)):
                audit.enregistrer(s, ctx, "modification", "lot", f"{prefixe}-{j}", libelle=f"{prefixe} {j}",
                                  avant={"valeur": j, 3: "clé entière"}, apres={"valeur": j + 1, "é": [1.5, None]})


def ids(ctx: Contexte) -> list[int]:
    with ctx.lecture() as s:
        return list(s.scalars(text("SELECT id FROM audit ORDER BY id")))


def sans_triggers(db: Database) -> None:
    """What someone with write access to the database file could do: remove the protection."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER audit_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_no_delete")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_no_change ON audit")


def sql(db: Database, requete: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(requete), params)


def test_chaine_intacte_y_compris_plusieurs_lignes_par_transaction(chef: Contexte):
    ecrire(chef, 6, par_transaction=3)
    ecrire(chef, 2)
    rapport = audit.verifier_chaine(chef)
    assert rapport.intacte and rapport.nombre == 9  # with the chef's creation
    assert rapport.message.startswith("La chaîne d'audit est intacte (9 entrées vérifiées)")
    with chef.lecture() as s:
        lignes = list(s.scalars(text("SELECT empreinte_precedente FROM audit ORDER BY id")))
        empreintes = list(s.scalars(text("SELECT empreinte FROM audit ORDER BY id")))
    assert lignes[0] == audit.GENESE and lignes[1:] == empreintes[:-1]
    assert rapport.derniere_empreinte == empreintes[-1]


def test_une_transaction_annulee_ne_laisse_pas_de_trou(chef: Contexte):
    ecrire(chef, 2)
    with pytest.raises(RuntimeError), chef.transaction() as s:
        audit.enregistrer(s, chef, "essai", "lot", "x")
        raise RuntimeError("annulé")
    ecrire(chef, 2, "apres")
    assert audit.verifier_chaine(chef).intacte


def test_libelle_modifie_detecte_a_cette_entree(chef: Contexte, database: Database):
    ecrire(chef, 5)
    cible = ids(chef)[3]
    sans_triggers(database)
    sql(database, "UPDATE audit SET libelle = 'falsifié' WHERE id = :i", i=cible)
    rapport = audit.verifier_chaine(chef)
    assert not rapport.intacte and rapport.entree_id == cible and rapport.raison == audit.CONTENU_MODIFIE
    assert rapport.message == f"La chaîne d'audit est rompue à l'entrée n°{cible} du 10/11/2024 : contenu modifié."


def test_valeur_avant_modifiee_detectee(chef: Contexte, database: Database):
    ecrire(chef, 3)
    cible = ids(chef)[2]
    sans_triggers(database)
    sql(database, "UPDATE audit SET avant = :v WHERE id = :i", v='{"valeur": 99}', i=cible)
    rapport = audit.verifier_chaine(chef)
    assert (rapport.entree_id, rapport.raison) == (cible, audit.CONTENU_MODIFIE)


def test_entree_supprimee_au_milieu_detectee(chef: Contexte, database: Database):
    ecrire(chef, 5)
    tous = ids(chef)
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id = :i", i=tous[2])
    rapport = audit.verifier_chaine(chef)
    assert not rapport.intacte and rapport.entree_id == tous[3] and rapport.raison == audit.LIEN_ROMPU
    assert rapport.nombre == 2


def test_premiere_entree_supprimee_detectee(chef: Contexte, database: Database):
    ecrire(chef, 2)
    tous = ids(chef)
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id = :i", i=tous[0])
    rapport = audit.verifier_chaine(chef)
    assert (rapport.entree_id, rapport.raison) == (tous[1], audit.DEBUT_SUPPRIME)


def test_entrees_interverties_detectees(chef: Contexte, database: Database):
    ecrire(chef, 4)
    a, b = ids(chef)[1:3]
    sans_triggers(database)
    # Swap every column of two rows, hashes included: each row is intact, their order is not.
    colonnes = ("horodatage", "agent_id", "agent_login", "action", "entite", "entite_id", "libelle", "avant",
                "apres", "motif", "empreinte_precedente", "empreinte")
    with database.engine.begin() as conn:
        ligne_a = conn.execute(text(f"SELECT {', '.join(colonnes)} FROM audit WHERE id = :i"), {"i": a}).one()
        ligne_b = conn.execute(text(f"SELECT {', '.join(colonnes)} FROM audit WHERE id = :i"), {"i": b}).one()
        affectation = ", ".join(f"{c} = :{c}" for c in colonnes)
        # avant/apres come back as Python values: bind them as JSON again (psycopg refuses a dict).
        echange = text(f"UPDATE audit SET {affectation} WHERE id = :id").bindparams(
            bindparam("avant", type_=JSON), bindparam("apres", type_=JSON))
        for cible, source in ((a, ligne_b), (b, ligne_a)):
            conn.execute(echange, {**dict(zip(colonnes, source, strict=True)), "id": cible})
    rapport = audit.verifier_chaine(chef)
    assert (rapport.entree_id, rapport.raison) == (a, audit.LIEN_ROMPU)


def test_entree_forgee_ajoutee_detectee(chef: Contexte, database: Database):
    ecrire(chef, 2)
    dernier = ids(chef)[-1]
    with chef.lecture() as s:
        derniere = s.scalar(text("SELECT empreinte FROM audit WHERE id = :i"), {"i": dernier})
    # Appended outside the application: right link, but a hash that is not the content's.
    sql(database, "INSERT INTO audit (horodatage, agent_login, action, entite, entite_id, libelle, "
                  "empreinte_precedente, empreinte) VALUES (:h, 'chef', 'suppression', 'compte', '1', 'forgé', "
                  ":p, :e)", h=chef.clock.now().replace(tzinfo=None), p=derniere, e="f" * 64)
    sql(database, "INSERT INTO audit (horodatage, agent_login, action, entite, entite_id, libelle) "
                  "VALUES (:h, 'chef', 'suppression', 'compte', '2', 'sans empreinte')",
        h=chef.clock.now().replace(tzinfo=None))
    rapport = audit.verifier_chaine(chef)
    assert (rapport.entree_id, rapport.raison) == (dernier + 1, audit.CONTENU_MODIFIE)


def test_entree_sans_empreinte_detectee(chef: Contexte, database: Database):
    ecrire(chef, 1)
    sql(database, "INSERT INTO audit (horodatage, agent_login, action, entite, entite_id, libelle) "
                  "VALUES (:h, 'chef', 'suppression', 'compte', '2', 'sans empreinte')",
        h=chef.clock.now().replace(tzinfo=None))
    rapport = audit.verifier_chaine(chef)
    assert rapport.entree_id == ids(chef)[-1] and rapport.raison == audit.SANS_EMPREINTE


def test_deux_postes_ecrivant_en_meme_temps_gardent_une_seule_chaine(chef: Contexte, db_url: str):
    """Two workstations (two engines on the same database) each writing in many transactions."""
    postes = [Database(db_url), Database(db_url)]
    erreurs: list[BaseException] = []
    depart = threading.Barrier(2)

    def travailler(db: Database, nom: str) -> None:
        ctx = Contexte(db, FixedClock(chef.clock.now()), chef.agent)
        try:
            depart.wait()
            ecrire(ctx, 40, nom, par_transaction=2)
        except BaseException as exc:  # reported to the test's thread
            erreurs.append(exc)

    fils = [threading.Thread(target=travailler, args=(db, f"poste{i}")) for i, db in enumerate(postes)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    for db in postes:
        db.dispose()
    assert erreurs == []
    rapport = audit.verifier_chaine(chef)
    assert rapport.intacte, rapport.message
    assert rapport.nombre == 81
    with chef.lecture() as s:
        precedentes = list(s.scalars(text("SELECT empreinte_precedente FROM audit")))
    assert len(set(precedentes)) == len(precedentes)  # no fork: no two rows chained to the same one


def test_commande_verifier_audit(db_url: str, chef: Contexte, database: Database, capsys):
    ecrire(chef, 3)
    assert cli.main(["--database-url", db_url, "verifier-audit"]) == 0
    assert "La chaîne d'audit est intacte (4 entrées vérifiées)" in capsys.readouterr().out
    cible = ids(chef)[1]
    sans_triggers(database)
    sql(database, "UPDATE audit SET agent_login = 'autre' WHERE id = :i", i=cible)
    assert cli.main(["--database-url", db_url, "verifier-audit"]) == 1
    assert f"rompue à l'entrée n°{cible} du 10/11/2024 : contenu modifié" in capsys.readouterr().out


def test_un_agent_d_accueil_ne_verifie_pas(accueil: Contexte):
    from cyclades_desktop.rules.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        audit.verifier_chaine(accueil)


@pytest.mark.sqlite_seulement
def test_migration_0005_chaine_les_entrees_existantes(tmp_path: Path):
    """A database at 0004 with audit rows written before the chain existed: 0005 chains them in id
    order, and the trail is append-only again afterwards."""
    from alembic import command

    db = Database(f"sqlite:///{tmp_path / 'v4.sqlite'}")
    cfg = migrate.alembic_config(db)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    with db.engine.begin() as conn:
        for i in range(7):
            conn.execute(text(
                "INSERT INTO audit (horodatage, agent_id, agent_login, action, entite, entite_id, libelle, avant, "
                "apres, motif) VALUES (:h, 1, 'chef', 'modification', 'compte', :e, :l, :a, NULL, :m)"),
                {"h": f"2024-11-10 10:0{i}:00.000000", "e": str(i), "l": f"Compte {i} é",
                 "a": '{"nom": "A", "n": 2}', "m": "motif" if i % 2 else None})
    migrate.upgrade(db)
    ctx = Contexte(db, FixedClock(chef_instant()), None)
    from cyclades_desktop.services.noyau.contexte import SYSTEME

    ctx = ctx.avec_agent(SYSTEME)
    rapport = audit.verifier_chaine(ctx)
    assert rapport.intacte and rapport.nombre == 7
    ecrire(ctx, 2)  # new rows chain onto the migrated ones
    assert audit.verifier_chaine(ctx).nombre == 9 and audit.verifier_chaine(ctx).intacte
    with pytest.raises(Exception, match="ajout seul"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit SET libelle = 'x' WHERE id = 1"))
    with pytest.raises(Exception, match="ajout seul"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit WHERE id = 1"))
    db.dispose()


def chef_instant():  # type: ignore[no-untyped-def]
    from tests.conftest import INSTANT

    return INSTANT


def test_les_lignes_ecrites_sont_celles_relues(chef: Contexte):
    """The hash is computed from the values as the database returns them (int keys, floats)."""
    ecrire(chef, 1)
    with chef.lecture() as s:
        ligne = s.scalars(text("SELECT id FROM audit ORDER BY id DESC LIMIT 1")).one()
        entree = s.get(AuditEntry, ligne)
        assert entree is not None and entree.avant == {"valeur": 0, "3": "clé entière"}
