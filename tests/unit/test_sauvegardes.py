"""Backups and restore on a real database and file store (docs/domaine/rgpd.md#sauvegardes): the round
trip compares every table and every file; WAL content; refusals that change nothing; rotation; a full
disk."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from cyclades_desktop import cli
from cyclades_desktop.models import AuditEntry, Base, Justificatif, Parametre
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.rules.temps import paris
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.sauvegardes import integrite, manifeste, restauration
from cyclades_desktop.services.sauvegardes import sauvegarde as sauvegardes
from cyclades_desktop.storage import migrate
from cyclades_desktop.storage.database import Database
from cyclades_desktop.storage.fichiers import depot_de
from cyclades_desktop.storage.sauvegarde import outil_postgres
from tests.fabriques import compte_actif, saisie_seed, session_id
from tests.unit.test_justificatifs_service import pdf


def inscrire_et_deposer(ctx: Contexte, email: str, texte: str) -> int:
    cid = compte_actif(ctx, email=email)
    d = inscriptions.demarrer(ctx, cid, session_id(ctx), "BCP")
    r = inscriptions.enregistrer(ctx, d, saisie_seed())
    with ctx.lecture() as s:
        j = s.scalars(select(Justificatif).where(Justificatif.candidature_id == r.candidature_id)
                      .order_by(Justificatif.id)).first()
    justificatifs.deposer(ctx, j.id, "piece.pdf", pdf(texte))
    return r.candidature_id


def etat(ctx: Contexte) -> dict[str, list[tuple]]:
    """Every row of every table (in a stable order), and every stored file's real SHA-256."""
    out: dict[str, list[tuple]] = {}
    with ctx.db.engine.connect() as conn:
        for t in Base.metadata.sorted_tables:
            out[t.name] = sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
    depot = depot_de(ctx.db)
    out["<dépôt>"] = [(h, hashlib.sha256(depot.chemin(h).read_bytes()).hexdigest()) for h in depot.hashes()]
    return out


@pytest.fixture
def peuple(chef: Contexte, accueil: Contexte) -> Contexte:
    inscrire_et_deposer(accueil, "premiere@exemple.fr", "première pièce")
    return chef


def test_round_trip_restores_every_table_and_every_file(peuple: Contexte, accueil: Contexte, db_url: str,
                                                        tmp_path: Path):
    avant = etat(peuple)
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sauvegardes")
    assert s.chemin.name.startswith("cyclades-20241110-") and s.nb_fichiers == len(avant["<dépôt>"]) >= 1
    m = json.loads((s.chemin / "manifeste.json").read_text(encoding="utf-8"))
    assert m["revision_schema"] == s.revision and m["tables"]["candidature"] == 1
    assert m["cree_le_paris"].startswith("2024-11-10T11:00")
    # Change everything a day brings: a new candidature, a new file, a modification, settings.
    inscrire_et_deposer(accueil, "seconde@exemple.fr", "seconde pièce")
    sauvegardes.enregistrer_parametres(peuple, sauvegardes.ParametresSauvegarde(quotidiennes=3))
    assert etat(peuple) != avant

    peuple.db.dispose()   # the application closes its engines before a restore
    r = restauration.restaurer(db_url, s.chemin, clock=peuple.clock, agent=peuple.agent)
    assert r.copie_avant is not None and r.copie_avant.exists()
    apres = etat(peuple)
    # The restore's own audit row is written after the swap, into the restored base.
    audit = AuditEntry.__tablename__
    action = apres_colonne(peuple, "action")
    restaurations = [r for r in apres[audit] if r[action] == "restauration"]
    assert len(restaurations) == 1
    apres[audit].remove(restaurations[0])
    depot_apres = dict(apres.pop("<dépôt>"))
    depot_avant = dict(avant.pop("<dépôt>"))
    assert apres == avant
    # Every file of the backup is back with its content; the later file stays as an orphan.
    assert all(depot_apres[h] == h for h in depot_avant) and len(depot_apres) == len(depot_avant) + 1
    assert integrite.verifier_integrite(peuple).correct


def apres_colonne(ctx: Contexte, nom: str) -> int:
    return [c.name for c in AuditEntry.__table__.columns].index(nom)


@pytest.mark.sqlite_seulement
def test_backup_contains_committed_wal_content_not_uncommitted(peuple: Contexte, tmp_path: Path):
    chemin = peuple.db.path
    ecrivain = sqlite3.connect(chemin, isolation_level=None)
    ecrivain.execute("PRAGMA wal_autocheckpoint=0")
    ecrivain.execute("INSERT INTO parametre (cle, valeur, row_version) VALUES ('dans-le-wal', '{}', 1)")
    assert Path(str(chemin) + "-wal").stat().st_size > 0
    autre = sqlite3.connect(chemin, isolation_level=None)
    autre.execute("BEGIN IMMEDIATE")
    autre.execute("INSERT INTO parametre (cle, valeur, row_version) VALUES ('non-valide', '{}', 1)")
    # The other workstation's transaction ends while the files are copied (after the database copy).
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv", progression=lambda *_: autre.in_transaction
                                and autre.execute("ROLLBACK"))
    ecrivain.close()
    autre.close()
    copie = sqlite3.connect(s.chemin / "base.sqlite")
    cles = {r[0] for r in copie.execute("SELECT cle FROM parametre")}
    copie.close()
    assert "dans-le-wal" in cles and "non-valide" not in cles
    assert not Path(str(s.chemin / "base.sqlite") + "-wal").exists()


def test_newer_backup_is_refused_and_nothing_changes(peuple: Contexte, db_url: str, tmp_path: Path):
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    m = json.loads((s.chemin / "manifeste.json").read_text(encoding="utf-8"))
    m["revision_schema"], m["version_programme"] = "9999", "9.0.0"
    (s.chemin / "manifeste.json").write_text(json.dumps(m), encoding="utf-8")
    avant = etat(peuple)
    peuple.db.dispose()
    with pytest.raises(DomainError, match="version plus récente.*Rien n'a été modifié"):
        restauration.restaurer(db_url, s.chemin, clock=peuple.clock)
    assert etat(peuple) == avant
    assert cli.main(["--database-url", db_url, "restaurer", str(s.chemin), "--oui"]) == 2


@pytest.mark.parametrize("cible", ["fichier", "base"])
def test_corrupted_backup_is_refused_and_nothing_changes(peuple: Contexte, db_url: str, tmp_path: Path, cible: str):
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    if cible == "fichier":
        abime = next(p for p in (s.chemin / "fichiers").rglob("*") if p.is_file())
    else:
        abime = next(p for p in s.chemin.iterdir() if p.name.startswith("base."))
    os.chmod(abime, 0o600)
    contenu = bytearray(abime.read_bytes())
    contenu[len(contenu) // 2] ^= 0xFF
    abime.write_bytes(bytes(contenu))
    avant = etat(peuple)
    peuple.db.dispose()
    with pytest.raises(DomainError, match="endommagé"):
        restauration.restaurer(db_url, s.chemin, clock=peuple.clock)
    assert etat(peuple) == avant
    assert not list(Path(peuple.db.path or tmp_path).parent.glob("*avant-restauration*"))


def test_rotation_keeps_the_configured_daily_and_weekly_backups(peuple: Contexte, tmp_path: Path):
    sauvegardes.enregistrer_parametres(peuple, sauvegardes.ParametresSauvegarde(
        dossier=str(tmp_path / "sv"), quotidiennes=3, hebdomadaires=2))
    manuelle = sauvegardes.sauvegarder(peuple)   # made by hand: never rotated away
    faites = []
    for _ in range(17):   # 10/11/2024 (a Sunday) → 26/11/2024
        faites.append(sauvegardes.sauvegarde_quotidienne(peuple))
        assert sauvegardes.sauvegarde_quotidienne(peuple) is None   # once a day
        peuple.clock.advance(days=1)
    restantes = sauvegardes.lister(tmp_path / "sv")
    jours = sorted(paris(s.cree_le).strftime("%d/%m") for s in restantes if s.quotidienne)
    # The last three days, then the newest of each of the two weeks before them (ISO weeks 47 and 46).
    assert jours == ["17/11", "23/11", "24/11", "25/11", "26/11"]
    assert manuelle.chemin in [s.chemin for s in restantes]
    assert all(f is not None for f in faites)


def test_the_daily_backup_of_the_application_waits_for_the_hour(peuple: Contexte, tmp_path: Path):
    sauvegardes.enregistrer_parametres(peuple, sauvegardes.ParametresSauvegarde(
        dossier=str(tmp_path / "sv"), heure="12:30"))
    assert sauvegardes.sauvegarde_quotidienne(peuple, forcer_heure=False) is None   # 11:00 Paris
    peuple.clock.advance(hours=2)
    assert sauvegardes.sauvegarde_quotidienne(peuple, forcer_heure=False) is not None


def test_only_the_chef_backs_up(accueil: Contexte, gestionnaire: Contexte, tmp_path: Path):
    for ctx in (accueil, gestionnaire):
        with pytest.raises(PermissionDenied, match="sauvegarder ou restaurer"):
            sauvegardes.sauvegarder(ctx, tmp_path)


def test_the_backup_is_audited(peuple: Contexte, tmp_path: Path):
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    with peuple.lecture() as session:
        e = session.scalars(select(AuditEntry).where(AuditEntry.action == "sauvegarde")).one()
    assert e.entite_id == s.chemin.name and e.agent_login == "chef"


@pytest.fixture
def petit_disque(tmp_path: Path):
    """A real small file system (tmpfs): needs the right to mount (root in CI)."""
    point = tmp_path / "petit-disque"
    point.mkdir()
    taille = 16 * 1024 * 1024
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={taille}", "tmpfs", str(point)],
                       capture_output=True, check=False)
    if r.returncode != 0:
        pytest.skip("montage d'un petit système de fichiers impossible ici (droits)")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.mark.sqlite_seulement
def test_full_disk_keeps_the_previous_backup(peuple: Contexte, petit_disque: Path):
    premiere = sauvegardes.sauvegarder(peuple, petit_disque)
    avant = sorted(str(p) for p in petit_disque.rglob("*"))

    def remplir(*_: object) -> None:   # another program fills the disk while the files are copied
        with open(petit_disque / "remplissage", "ab") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
            except OSError:
                pass
    with pytest.raises(DomainError, match="disque de sauvegarde est plein.*précédentes sont conservées"):
        sauvegardes.sauvegarder(peuple, petit_disque, progression=remplir)
    (petit_disque / "remplissage").unlink()
    assert sorted(str(p) for p in petit_disque.rglob("*")) == avant
    assert manifeste.verifier(premiere.chemin).chemin == premiere.chemin
    # Too little room from the start: refused before writing anything.
    (petit_disque / "remplissage").write_bytes(b"\0" * (16 * 1024 * 1024 - premiere.taille - 200_000))
    with pytest.raises(DomainError, match="plus assez de place"):
        sauvegardes.sauvegarder(peuple, petit_disque)
    assert [s.chemin for s in sauvegardes.lister(petit_disque)] == [premiere.chemin]


def test_integrity_check_finds_a_missing_file_and_a_damaged_version(peuple: Contexte, db_url: str):
    assert cli.main(["--database-url", db_url, "verifier-integrite"]) == 0
    depot = depot_de(peuple.db)
    h = depot.hashes()[0]
    os.chmod(depot.chemin(h), 0o600)
    depot.chemin(h).unlink()
    with peuple.db.engine.begin() as conn:
        conn.execute(text("UPDATE document_version SET contenu = :c WHERE id = (SELECT min(id) FROM "
                          "document_version)"), {"c": b"%PDF-abime"})
    r = integrite.verifier_integrite(peuple)
    assert any(p.startswith(f"Fichier déposé {h[:12]}… absent du dépôt des pièces") for p in r.problemes)
    assert any("différent de son empreinte" in p for p in r.problemes)
    assert cli.main(["--database-url", db_url, "verifier-integrite"]) == 1


def test_cli_backup_list_and_restore(peuple: Contexte, db_url: str, tmp_path: Path, capsys, clock):
    dossier = tmp_path / "sv"
    assert cli.main(["--database-url", db_url, "sauvegarder", "--dossier", str(dossier)], clock=clock) == 0
    assert cli.main(["--database-url", db_url, "sauvegarder", "--dossier", str(dossier), "--quotidienne"],
                    clock=clock) == 0
    assert cli.main(["--database-url", db_url, "sauvegarder", "--dossier", str(dossier), "--quotidienne"],
                    clock=clock) == 0
    sortie = capsys.readouterr().out
    assert "Sauvegarde faite" in sortie and "existe déjà" in sortie
    assert cli.main(["--database-url", db_url, "lister-sauvegardes", "--dossier", str(dossier)]) == 0
    lignes = capsys.readouterr().out.splitlines()
    assert lignes[-1].startswith("2 sauvegarde(s)") and "quotidienne" in lignes[0]
    chemin = sauvegardes.lister(dossier)[0].chemin
    with peuple.transaction() as s:
        s.add(Parametre(cle="apres", valeur={}))
    peuple.db.dispose()
    assert cli.main(["--database-url", db_url, "restaurer", str(chemin), "--oui"], clock=clock) == 0
    with peuple.lecture() as s:
        assert s.get(Parametre, "apres") is None
    # Without --oui and without an answer: nothing restored, exit code 3.
    assert cli.main(["--database-url", db_url, "restaurer", str(chemin)]) == 3


def test_backup_folder_default_is_beside_the_base(peuple: Contexte):
    if peuple.db.path is None:
        pytest.skip("SQLite seulement")
    assert sauvegardes.dossier_effectif(peuple) == peuple.db.path.absolute().parent / "sauvegardes"


def scripts_avec_une_revision_de_plus(tmp_path: Path) -> Path:
    """The program's migrations plus one (0099): what the next version of the program will ship."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_essai.py").write_text(
        f'revision = "0099"\ndown_revision = "{migrate.SCHEMA_HEAD}"\nbranch_labels = None\ndepends_on = None\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        "def upgrade():\n    op.add_column('bureau', sa.Column('essai', sa.String(10)))\n\n"
        "def downgrade():\n    op.drop_column('bureau', 'essai')\n", encoding="utf-8")
    return scripts


def test_an_older_backup_is_restored_then_migrated(peuple: Contexte, db_url: str, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CYCLADES_DATA_DIR", str(tmp_path / "donnees"))
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    peuple.db.dispose()
    r = restauration.restaurer(db_url, s.chemin, clock=peuple.clock,
                               migrations=scripts_avec_une_revision_de_plus(tmp_path))
    assert (r.sauvegarde.revision, r.revision_apres) == (migrate.SCHEMA_HEAD, "0099")
    assert "essai" in {c["name"] for c in inspect(peuple.db.engine).get_columns("bureau")}


@pytest.mark.postgres_seulement
def test_a_postgresql_base_is_dumped_before_a_startup_migration(db_url: str, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CYCLADES_DATA_DIR", str(tmp_path / "donnees"))
    db = Database(db_url)
    try:
        rapport = migrate.upgrade(db, migrations=scripts_avec_une_revision_de_plus(tmp_path))
        assert rapport.backup is not None and rapport.backup.name.startswith(f"avant-migration-{migrate.SCHEMA_HEAD}-")
        liste = subprocess.run([str(outil_postgres("pg_restore")), "--list", str(rapport.backup)],
                               capture_output=True, text=True, check=True).stdout
        assert "TABLE public candidature" in liste
    finally:
        db.dispose()
