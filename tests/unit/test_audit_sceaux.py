"""The seals of the audit trail's head, kept where the database cannot rewrite them: the seal file beside
the key (first sign-in of the day, daily backup, ``verifier-audit --sceller``) and each backup's
manifest. They catch the deletion of the last rows; a restore sets aside the seals it rewinds past."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from cyclades_desktop import cli
from cyclades_desktop.rules.audit import CLE_MANIFESTE, lire_ligne_sceau
from cyclades_desktop.services import personnel, sauvegardes
from cyclades_desktop.services.noyau import audit, scellement
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.storage import cle_audit
from cyclades_desktop.storage.database import Database
from tests.conftest import MOT_DE_PASSE_AGENT
from tests.unit.test_audit_chaine import ecrire, ids, sans_triggers, sql, tete, textes


def lignes_du_fichier(db: Database) -> list[str]:
    chemin = scellement.chemin_sceaux(db)
    return chemin.read_text(encoding="utf-8").splitlines() if chemin.exists() else []


def test_verifier_audit_sceller_ajoute_une_ligne(chef: Contexte, database: Database, db_url: str, capsys):
    ecrire(chef, 2)
    n, empreinte = tete(database)
    assert cli.main(["--database-url", db_url, "verifier-audit", "--sceller"], clock=chef.clock) == 0
    assert f"Journal scellé à la ligne n° {n}." in capsys.readouterr().out
    entete, ligne = lignes_du_fichier(database)
    assert entete.startswith("# Sceaux du journal d'audit") and ligne == f"2024-11-10T10:00:00.000000+00:00;{n};{empreinte}"
    if os.name == "posix":
        assert stat.S_IMODE(scellement.chemin_sceaux(database).stat().st_mode) == 0o600
    rapport = audit.verifier_chaine(chef)
    assert rapport.intacte and rapport.sceaux_concordants == 1 and rapport.remarques == ()


def test_premiere_connexion_du_jour_scelle(chef: Contexte, ctx_anonyme: Contexte, clock, database: Database):
    personnel.connecter(ctx_anonyme, "chef", MOT_DE_PASSE_AGENT)
    personnel.connecter(ctx_anonyme, "chef", MOT_DE_PASSE_AGENT)   # same day: no second seal
    assert len(lignes_du_fichier(database)) == 2
    sceau = lire_ligne_sceau(lignes_du_fichier(database)[-1])
    assert sceau is not None and sceau.id == ids(chef)[1]          # the first sign-in's own row
    clock.advance(days=1)
    personnel.connecter(ctx_anonyme, "chef", MOT_DE_PASSE_AGENT)
    assert len(lignes_du_fichier(database)) == 3
    assert audit.verifier_chaine(chef).sceaux_concordants == 2


def test_connexion_sans_acces_au_dossier_des_sceaux(chef: Contexte, ctx_anonyme: Contexte, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    """A share out of reach must not stop a sign-in (the rows themselves need the key, cached)."""
    scellement.signataire_ecriture(chef.db)
    bloque = tmp_path / "fichier-ordinaire"
    bloque.write_text("", encoding="utf-8")
    monkeypatch.setattr(scellement, "chemin_sceaux", lambda _db: bloque / "sceaux.txt")
    assert personnel.connecter(ctx_anonyme, "chef", MOT_DE_PASSE_AGENT).login == "chef"


def test_ligne_citee_par_un_sceau_supprimee_au_milieu(chef: Contexte, database: Database):
    ecrire(chef, 2)
    sceau = audit.sceller(chef)
    ecrire(chef, 2, "apres")
    assert sceau is not None
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id = :i", i=sceau.id)
    assert textes(audit.verifier_chaine(chef))[-1] == (
        f"Journal altéré : la ligne n° {sceau.id}, citée par le sceau du 10/11/2024, n'est plus dans la base.")


def test_ligne_illisible_du_fichier_des_sceaux(chef: Contexte, database: Database):
    audit.sceller(chef)
    with open(scellement.chemin_sceaux(database), "a", encoding="utf-8") as f:
        f.write("2024-11-10;abc\n")
    rapport = audit.verifier_chaine(chef)
    assert rapport.intacte and rapport.remarques[0].startswith("La ligne 3 du fichier des sceaux (")


def test_manifeste_de_sauvegarde_scelle_la_tete_et_revele_la_troncature(chef: Contexte, database: Database,
                                                                       db_url: str, tmp_path: Path, capsys):
    ecrire(chef, 4)
    n, empreinte = tete(database)
    s = sauvegardes.sauvegarder(chef, tmp_path / "sv")
    m = json.loads((s.chemin / "manifeste.json").read_text(encoding="utf-8"))
    assert m[CLE_MANIFESTE] == {"horodatage": "2024-11-10T10:00:00.000000+00:00", "id": n, "empreinte": empreinte}
    ancres = sauvegardes.ancres_audit(chef, tmp_path / "sv")
    assert [(a.id, a.source) for a in ancres] == [(n, "la sauvegarde du 10/11/2024 11:00")]
    assert audit.verifier_chaine(chef, ancres=ancres).intacte
    # The last rows removed, the backup's own audit row with them: only the manifest remembers.
    sans_triggers(database)
    sql(database, "DELETE FROM audit WHERE id > :i", i=n - 2)
    assert audit.verifier_chaine(chef).intacte                    # no seal file: nothing to compare with
    rapport = audit.verifier_chaine(chef, ancres=ancres)
    assert textes(rapport) == [
        f"Journal tronqué : la sauvegarde du 10/11/2024 11:00 cite la ligne n° {n}, la base s'arrête à {n - 2}."]
    assert cli.main(["--database-url", db_url, "verifier-audit", "--sauvegardes", str(tmp_path / "sv")]) == 1
    assert "Journal tronqué : la sauvegarde du 10/11/2024 11:00" in capsys.readouterr().out


def test_une_restauration_ecarte_les_sceaux_qu_elle_rembobine(chef: Contexte, database: Database, db_url: str,
                                                             clock, tmp_path: Path):
    ecrire(chef, 2)
    s = sauvegardes.sauvegarder(chef, tmp_path / "sv")
    clock.advance(hours=1)
    ecrire(chef, 5, "perdu")
    perdu = audit.sceller(chef)
    clock.advance(hours=1)
    chef.db.dispose()
    sauvegardes.restaurer(db_url, s.chemin, clock=clock, agent=chef.agent)
    clock.advance(hours=1)
    ecrire(chef, 8, "nouveau")   # new rows take the lost rows' ids, with other hashes
    assert perdu is not None and perdu.id in ids(chef)
    rapport = audit.verifier_chaine(chef, ancres=sauvegardes.ancres_audit(chef, tmp_path / "sv"))
    assert rapport.intacte, rapport.message
    assert "1 sceau antérieur à une restauration de la base ne s'applique plus" in rapport.message
    # A restore row forged without the key sets nothing aside.
    with chef.lecture() as sess:
        restauration = sess.scalar(text("SELECT id FROM audit WHERE action = 'restauration'"))
    sans_triggers(database)
    sql(database, "UPDATE audit SET libelle = 'autre' WHERE id = :i", i=restauration)
    assert any(t.startswith("Journal altéré : la ligne n° ") and "ne correspond pas au sceau du" in t
               for t in textes(audit.verifier_chaine(chef)))


def test_deux_postes_creent_la_cle_en_meme_temps(tmp_path: Path):
    chemin = tmp_path / "partage" / cle_audit.NOM_CLE
    cles: list[bytes] = []
    depart = threading.Barrier(4)

    def creer() -> None:
        depart.wait()
        cles.append(cle_audit.creer_cle(chemin))

    fils = [threading.Thread(target=creer) for _ in range(4)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert len(cles) == 4 and len(set(cles)) == 1 and cle_audit.lire_cle(chemin) == cles[0]
    assert [p.name for p in chemin.parent.iterdir()] == [cle_audit.NOM_CLE]   # no temporary file left


def test_cle_lisible_par_d_autres_comptes_signalee(chef: Contexte, database: Database):
    if os.name != "posix":
        pytest.skip("droits POSIX")
    scellement.chemin_cle(database).chmod(0o644)
    assert any("accessible à d'autres comptes (droits 644)" in r for r in audit.verifier_chaine(chef).remarques)


def test_la_sauvegarde_quotidienne_scelle_le_journal(chef: Contexte, database: Database, tmp_path: Path):
    ecrire(chef, 1)
    s = sauvegardes.sauvegarde_quotidienne(chef, dossier=tmp_path / "sv")
    assert s is not None
    sceau = lire_ligne_sceau(lignes_du_fichier(database)[-1])
    assert sceau is not None and sceau.id == tete(database)[0]   # after the backup's own audit row
    rapport = audit.verifier_chaine(chef, ancres=sauvegardes.ancres_audit(chef, tmp_path / "sv"))
    assert rapport.intacte and rapport.sceaux_concordants == 2
