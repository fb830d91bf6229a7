"""The audit trail as a keyed hash chain: every row sealed (HMAC under the office's key, kept outside
the database) and chained to the previous one; a verification that reports every modified, deleted,
moved or forged row, including forgeries made with database access and the product's own public hash
function; rows from before the key; concurrent writers that keep one chain. The seals that catch the
deletion of the last rows are in test_audit_sceaux.py."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, bindparam, text

from cyclades_desktop import cli
from cyclades_desktop.models import AuditEntry
from cyclades_desktop.rules.audit import Signataire, contenu_canonique
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.noyau import audit, scellement
from cyclades_desktop.services.noyau.chaine import SANS_SCEAU
from cyclades_desktop.services.noyau.contexte import SYSTEME, Contexte
from cyclades_desktop.storage import cle_audit, migrate
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


def textes(rapport: audit.RapportChaine) -> list[str]:
    return [a.texte for a in rapport.anomalies]


def altere(n: int) -> str:
    return f"Journal altéré : la ligne n° {n} du 10/11/2024 ne correspond pas à son sceau (contenu modifié ou ligne forgée)."


def test_chaine_intacte_y_compris_plusieurs_lignes_par_transaction(chef: Contexte):
    ecrire(chef, 6, par_transaction=3)
    ecrire(chef, 2)
    rapport = audit.verifier_chaine(chef)
    assert rapport.intacte and rapport.nombre == 9 and rapport.scellees == 9  # with the chef's creation
    assert rapport.message.startswith("La chaîne d'audit est intacte (9 entrées vérifiées).\n9 authentifiées par "
                                      "la clé du bureau, 0 antérieure à la clé")
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
    assert not rapport.intacte and rapport.alteree and textes(rapport) == [altere(cible)]
    assert rapport.message.startswith("Le journal d'audit n'est pas intact (6 entrées vérifiées, 1 anomalie) :\n"
                                      f"• {altere(cible)}")


def test_valeur_avant_modifiee_detectee(chef: Contexte, database: Database):
    ecrire(chef, 3)
    cible = ids(chef)[2]
    sans_triggers(database)
    sql(database, "UPDATE audit SET avant = :v WHERE id = :i", v='{"valeur": 99}', i=cible)
    assert textes(audit.verifier_chaine(chef)) == [altere(cible)]


def test_entree_supprimee_au_milieu_detectee(chef: Contexte, database: Database):
    ecrire(chef, 5)
    tous = ids(chef)
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id = :i", i=tous[2])
    rapport = audit.verifier_chaine(chef)
    assert rapport.nombre == 5 and textes(rapport) == [
        f"Chaîne rompue avant la ligne n° {tous[3]} du 10/11/2024 : elle ne suit plus la ligne précédente (une "
        "ligne a été supprimée, déplacée ou insérée avant elle)."]


def test_premiere_entree_supprimee_detectee(chef: Contexte, database: Database):
    ecrire(chef, 2)
    tous = ids(chef)
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id = :i", i=tous[0])
    assert textes(audit.verifier_chaine(chef)) == [
        f"Chaîne rompue : les premières lignes du journal ont été supprimées (la ligne n° {tous[1]} du 10/11/2024 "
        "ne suit pas le début du journal)."]


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
        # avant/apres come back as Python values (PostgreSQL) or JSON text (SQLite): bind them as JSON
        # again (psycopg refuses a dict), without encoding SQLite's text a second time.
        echange = text(f"UPDATE audit SET {affectation} WHERE id = :id").bindparams(
            bindparam("avant", type_=JSON), bindparam("apres", type_=JSON))
        for cible, source in ((a, ligne_b), (b, ligne_a)):
            valeurs = {c: json.loads(v) if c in ("avant", "apres") and isinstance(v, str) else v
                       for c, v in zip(colonnes, source, strict=True)}
            conn.execute(echange, {**valeurs, "id": cible})
    rapport = audit.verifier_chaine(chef)
    # Each row is still sealed; the three links around them are not.
    assert [x.ligne for x in rapport.anomalies] == [a, b, b + 1]
    assert all(t.startswith("Chaîne rompue avant") for t in textes(rapport))


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
    assert [x.ligne for x in rapport.anomalies] == [dernier + 1, dernier + 2]
    assert "n'est pas scellée par la clé du bureau" in textes(rapport)[0]


def test_entree_sans_empreinte_detectee(chef: Contexte, database: Database):
    ecrire(chef, 1)
    sql(database, "INSERT INTO audit (horodatage, agent_login, action, entite, entite_id, libelle) "
                  "VALUES (:h, 'chef', 'suppression', 'compte', '2', 'sans empreinte')",
        h=chef.clock.now().replace(tzinfo=None))
    assert textes(audit.verifier_chaine(chef)) == [
        f"Journal altéré : la ligne n° {ids(chef)[-1]} du 10/11/2024 n'a pas d'empreinte (ajoutée hors de "
        "l'application)."]


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
    assert altere(cible) in capsys.readouterr().out


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
    assert rapport.intacte and rapport.nombre == 7 and rapport.anciennes == 7
    ecrire(ctx, 2)  # new rows chain onto the migrated ones, sealed by the key created at this first need
    rapport = audit.verifier_chaine(ctx)
    assert rapport.intacte and (rapport.nombre, rapport.anciennes, rapport.scellees) == (9, 7, 2)
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


# --- forgeries by someone with write access to the database but not to the key ---------------------

def tete(db: Database) -> tuple[int, str]:
    with db.engine.connect() as conn:
        n, e = conn.execute(text("SELECT id, empreinte FROM audit ORDER BY id DESC LIMIT 1")).one()
    return n, e


def inserer(db: Database, precedente: str, empreinte: str, instant: datetime, entite_id: str = "77") -> None:
    # As the program stores it: naive UTC in SQLite, with its zone for PostgreSQL.
    sql(db, "INSERT INTO audit (horodatage, agent_id, agent_login, action, entite, entite_id, libelle, "
            "empreinte_precedente, empreinte) VALUES (:h, 1, 'chef', 'suppression', 'compte', :i, 'forgé', :p, :e)",
        h=instant.replace(tzinfo=None) if db.is_sqlite else instant, i=entite_id, p=precedente, e=empreinte)


def test_falsification_1_ligne_ajoutee_avec_la_fonction_publique(chef: Contexte, database: Database):
    """A row chained to the head, hashed by the product's own public function: right link, right
    SHA-256, but no key."""
    ecrire(chef, 3)
    dernier, precedente = tete(database)
    h = chef.clock.now()
    inserer(database, precedente, audit.calculer_empreinte(precedente, h, 1, "chef", "suppression", "compte", "77",
                                                           "forgé", None, None, None), h)
    rapport = audit.verifier_chaine(chef)
    assert rapport.alteree and textes(rapport) == [
        f"Journal altéré : la ligne n° {dernier + 1} du 10/11/2024 n'est pas scellée par la clé du bureau alors que "
        f"le journal l'est depuis la ligne n° {ids(chef)[0]} (ligne ajoutée ou réécrite hors de l'application)."]


def test_falsification_1_bis_ligne_scellee_par_une_autre_cle(chef: Contexte, database: Database):
    ecrire(chef, 1)
    dernier, precedente = tete(database)
    h = chef.clock.now()
    faussaire = Signataire(bytes(range(32)))
    inserer(database, precedente, faussaire.empreinte(precedente, contenu_canonique(
        h, 1, "chef", "suppression", "compte", "77", "forgé", None, None, None)), h)
    rapport = audit.verifier_chaine(chef)
    assert rapport.alteree and textes(rapport) == [
        f"Clé différente : la ligne n° {dernier + 1} est scellée par une autre clé (identifiant "
        f"{faussaire.identifiant}) que celle de ce poste ; elle n'a pas pu être authentifiée. Vérifiez que tous "
        "les postes utilisent le même fichier de clé."]


def test_falsification_2_ligne_reecrite_et_empreintes_suivantes_recalculees(chef: Contexte, database: Database):
    ecrire(chef, 5)
    audit.sceller(chef)
    tous = ids(chef)
    cible = tous[2]
    sans_triggers(database)
    precedente = None
    with chef.lecture() as s:
        lignes = [s.get(AuditEntry, n) for n in tous if n >= cible]
    for e in lignes:
        assert e is not None
        precedente = precedente or e.empreinte_precedente
        libelle = "réécrit" if e.id == cible else e.libelle
        nouvelle = audit.calculer_empreinte(precedente, e.horodatage, e.agent_id, e.agent_login, e.action, e.entite,
                                            e.entite_id, libelle, e.avant, e.apres, e.motif)
        sql(database, "UPDATE audit SET libelle = :l, empreinte_precedente = :p, empreinte = :e WHERE id = :i",
            l=libelle, p=precedente, e=nouvelle, i=e.id)
        precedente = nouvelle
    rapport = audit.verifier_chaine(chef)
    # Every rewritten row, then the seal of the old head; the links themselves are consistent.
    assert [a.ligne for a in rapport.anomalies] == [n for n in tous if n >= cible] + [tous[-1]]
    assert all("n'est pas scellée par la clé du bureau" in t for t in textes(rapport)[:-1])
    assert textes(rapport)[-1] == f"Journal altéré : la ligne n° {tous[-1]} ne correspond pas au sceau du 10/11/2024."


def test_falsification_3_dernieres_lignes_supprimees(chef: Contexte, database: Database):
    ecrire(chef, 6)
    sceau = audit.sceller(chef)
    assert sceau is not None
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id > :i", i=sceau.id - 3)
    rapport = audit.verifier_chaine(chef)
    assert rapport.alteree and textes(rapport) == [
        f"Journal tronqué : le sceau du 10/11/2024 cite la ligne n° {sceau.id}, la base s'arrête à {sceau.id - 3}."]


# --- the key: outside the database, created at first need, private ----------------------------------

def test_cle_creee_au_premier_besoin_privee_et_hors_de_la_base(chef: Contexte, database: Database):
    chemin = scellement.chemin_cle(database)
    texte = chemin.read_text(encoding="ascii")
    assert len(bytes.fromhex(texte.strip())) == 32 and texte.endswith("\n")
    if os.name == "posix":
        assert stat.S_IMODE(chemin.stat().st_mode) == 0o600
        assert stat.S_IMODE(chemin.parent.stat().st_mode) & 0o077 == 0
    if database.path is not None:   # neither in the database nor beside it in the backups' copy
        assert texte.strip().encode() not in database.path.read_bytes()
    empreinte = tete(database)[1]
    signataire = scellement.signataire_lecture(database)
    assert signataire is not None and empreinte.startswith(f"h1:{signataire.identifiant}:") and len(empreinte) <= 64
    assert audit.verifier_chaine(chef).remarques == (SANS_SCEAU,)


def test_emplacement_de_la_cle_par_variable_d_environnement(ctx_anonyme: Contexte, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(cle_audit.ENV_AUDIT_DIR, str(tmp_path / "partage" / "audit"))
    ecrire(ctx_anonyme.avec_agent(SYSTEME), 2)
    assert (tmp_path / "partage" / "audit" / cle_audit.NOM_CLE).is_file()
    assert audit.verifier_chaine(ctx_anonyme.avec_agent(SYSTEME)).scellees == 2


def test_cle_introuvable_message_clair(chef: Contexte, database: Database, db_url: str, capsys):
    ecrire(chef, 3)
    chemin = scellement.chemin_cle(database)
    chemin.unlink()
    rapport = audit.verifier_chaine(chef)
    assert not rapport.intacte and not rapport.alteree and textes(rapport) == [
        f"La clé du journal d'audit est introuvable ({chemin}) : les 4 lignes scellées de la n° {ids(chef)[0]} à la "
        f"n° {ids(chef)[-1]} n'ont pas pu être authentifiées, seul le chaînage a été vérifié. Remettez en place le "
        "fichier de clé depuis sa copie de sécurité."]
    assert rapport.message.startswith("Le journal d'audit n'a pas pu être entièrement vérifié (4 entrées vérifiées, "
                                      "1 anomalie) :")
    assert cli.main(["--database-url", db_url, "verifier-audit"]) == 2
    # Without the key the links are still checked.
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id = :i", i=ids(chef)[1])
    assert audit.verifier_chaine(chef).alteree


def test_cle_endommagee_refusee(chef: Contexte, database: Database):
    from cyclades_desktop.rules.errors import DomainError

    scellement.chemin_cle(database).write_text("pas une clé\n", encoding="utf-8")
    with pytest.raises(DomainError, match="Le fichier de clé du journal d'audit .* est endommagé"):
        audit.verifier_chaine(chef)


def test_lignes_d_avant_la_cle_puis_lignes_scellees(ctx_anonyme: Contexte, database: Database):
    """A trail written before this version (bare SHA-256, as migration 0005 and the old program computed
    it) goes on with keyed rows; rewriting an old row shows at the first keyed row."""
    ctx = ctx_anonyme.avec_agent(SYSTEME)
    precedente = audit.GENESE
    for i in range(3):
        h = ctx.clock.now()
        e = audit.calculer_empreinte(precedente, h, 1, "chef", "suppression", "compte", str(i), "forgé", None, None,
                                     None)
        inserer(database, precedente, e, h, str(i))
        precedente = e
    assert not scellement.chemin_cle(database).exists()
    ecrire(ctx, 2)   # the first keyed row records the switch
    rapport = audit.verifier_chaine(ctx)
    assert rapport.intacte and (rapport.anciennes, rapport.scellees) == (3, 2), rapport.message
    tous = ids(ctx)
    sans_triggers(database)
    with ctx.lecture() as s:
        e1, e2 = s.get(AuditEntry, tous[1]), s.get(AuditEntry, tous[2])
    assert e1 is not None and e2 is not None
    n1 = audit.calculer_empreinte(e1.empreinte_precedente or "", e1.horodatage, 1, "chef", "suppression", "compte",
                                  "1", "réécrit", None, None, None)
    n2 = audit.calculer_empreinte(n1, e2.horodatage, 1, "chef", "suppression", "compte", "2", "forgé", None, None, None)
    sql(database, "UPDATE audit SET libelle = 'réécrit', empreinte = :e WHERE id = :i", e=n1, i=tous[1])
    sql(database, "UPDATE audit SET empreinte_precedente = :p, empreinte = :e WHERE id = :i", p=n1, e=n2, i=tous[2])
    assert [a.ligne for a in audit.verifier_chaine(ctx).anomalies] == [tous[3]]
