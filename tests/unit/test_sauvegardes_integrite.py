"""Stored files, backups and restore an office can trust (docs/domaine/rgpd.md#sauvegardes): one flipped bit
in a stored file is found and named; a backup that had to leave a file out says so and is restored only
with an explicit confirmation; every malformed backup is refused in French with nothing changed."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cyclades_desktop import cli
from cyclades_desktop.rules.errors import DomainError
from cyclades_desktop.rules.sauvegardes import EtatFichier
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.sauvegardes import integrite, manifeste, restauration
from cyclades_desktop.services.sauvegardes import sauvegarde as sauvegardes
from cyclades_desktop.storage.fichiers import depot_de
from tests.conftest import SUR_POSTGRES
from tests.unit.test_sauvegardes import etat, inscrire_et_deposer


@pytest.fixture
def peuple(chef: Contexte, accueil: Contexte) -> Contexte:
    inscrire_et_deposer(accueil, "premiere@exemple.fr", "première pièce")
    return chef


def abimer(chemin: Path) -> None:
    """One bit flipped in the middle of a file (stored files are read-only: as a disk would do it)."""
    os.chmod(chemin, 0o600)
    contenu = bytearray(chemin.read_bytes())
    contenu[len(contenu) // 2] ^= 0x01
    chemin.write_bytes(bytes(contenu))
    os.chmod(chemin, 0o440)


def fichier_depose(ctx: Contexte) -> str:
    return depot_de(ctx.db).hashes()[0]


# --- 1. the integrity check hashes every stored file ---------------------------------------------------

def test_one_flipped_bit_in_a_stored_file_is_found_and_named(peuple: Contexte, db_url: str, capsys):
    h = fichier_depose(peuple)
    assert cli.main(["--database-url", db_url, "verifier-integrite"]) == 0
    assert "Intégrité : correcte." in capsys.readouterr().out
    abimer(depot_de(peuple.db).chemin(h))

    r = integrite.verifier_integrite(peuple)
    assert not r.correct and r.fichiers_controles == r.fichiers_total == 1
    assert len(r.problemes) == 1
    probleme = r.problemes[0]
    assert probleme.startswith(f"Fichier déposé {h[:12]}… endommagé (son contenu ne correspond plus à son "
                               "empreinte SHA-256) : « piece.pdf », ")
    assert "candidature " in probleme and "-001 de " in probleme
    for commande in ("verifier-integrite", "verifier"):
        assert cli.main(["--database-url", db_url, commande]) == 1
        sortie = capsys.readouterr()
        assert probleme in sortie.out and "Intégrité : 1 problème(s)." in sortie.out
        assert "Contrôle des fichiers déposés : 1 / 1" in sortie.err     # the progress line


def test_the_check_reports_missing_and_stops_when_asked(peuple: Contexte, accueil: Contexte):
    inscrire_et_deposer(accueil, "seconde@exemple.fr", "seconde pièce")
    depot = depot_de(peuple.db)
    premier, second = depot.hashes()
    os.chmod(depot.chemin(second), 0o600)
    depot.chemin(second).unlink()
    r = integrite.verifier_integrite(peuple)
    assert [p.split(" : ")[0] for p in r.problemes] == [f"Fichier déposé {second[:12]}… absent du dépôt des pièces "
                                                        f"({depot.racine})"]
    vus: list[tuple[int, int]] = []
    r = integrite.verifier_integrite(peuple, progression=lambda n, total: vus.append((n, total)),
                                     annule=lambda: len(vus) >= 1)
    assert vus == [(1, 2)] and r.interrompu and not r.correct and r.fichiers_controles == 1


def test_the_store_tells_intact_damaged_and_missing(peuple: Contexte):
    depot = depot_de(peuple.db)
    h = fichier_depose(peuple)
    assert depot.controler(h) == (EtatFichier.INTACT, "")
    abimer(depot.chemin(h))
    assert depot.controler(h) == (EtatFichier.ENDOMMAGE, "")
    assert depot.controler("0" * 64) == (EtatFichier.ABSENT, "")


# --- 2. an incomplete backup ----------------------------------------------------------------------------

@pytest.fixture
def autre_poste(db_url: str, tmp_path: Path, monkeypatch) -> Callable[[], str]:
    """Move to another workstation, whose file store is empty, and give the base to restore into (SQLite:
    a base of its own; PostgreSQL: the same server, as seen from that workstation)."""
    def passer() -> str:
        if SUR_POSTGRES:
            monkeypatch.setenv("CYCLADES_FICHIERS_DIR", str(tmp_path / "autre-poste" / "fichiers"))
            return db_url
        return f"sqlite:///{tmp_path / 'autre-poste' / 'cyclades.sqlite'}"
    return passer


def test_a_backup_missing_a_damaged_file_is_incomplete_and_restored_only_when_accepted(
        peuple: Contexte, db_url: str, autre_poste: Callable[[], str], tmp_path: Path, capsys):
    h = fichier_depose(peuple)
    abimer(depot_de(peuple.db).chemin(h))
    dossier = tmp_path / "sv"
    assert cli.main(["--database-url", db_url, "sauvegarder", "--dossier", str(dossier)], clock=peuple.clock) == 1
    sortie = capsys.readouterr()
    assert "Sauvegarde INCOMPLÈTE : " in sortie.out and "est incomplète. 1 fichier déposé n'a pas pu" in sortie.err
    (s,) = sauvegardes.lister(dossier)
    m = json.loads((s.chemin / "manifeste.json").read_text(encoding="utf-8"))
    assert m["incomplete"] is True and m["fichiers"] == []
    (omis,) = m["fichiers_omis"]
    assert omis["sha256"] == h and omis["motif"].startswith("endommagé")
    assert omis["pieces"][0].startswith("« piece.pdf », ")
    assert cli.main(["--database-url", db_url, "lister-sauvegardes", "--dossier", str(dossier)]) == 0
    assert "\tINCOMPLÈTE (1 fichier manquant)\t" in capsys.readouterr().out

    peuple.db.dispose()
    url = autre_poste()
    avant = etat(peuple)
    cible = Path(url.removeprefix("sqlite:///")) if not SUR_POSTGRES else None
    # --oui alone is not enough; neither is the service called without the explicit acceptance.
    assert cli.main(["--database-url", url, "restaurer", str(s.chemin), "--oui"]) == 3
    err = capsys.readouterr().err
    assert f"fichier {h[:12]}…, endommagé" in err and "relancez la commande avec --accepter-incomplete" in err
    assert "rien n'a été modifié" in err
    with pytest.raises(DomainError, match=r"(?s)incomplète.*confirmée expressément. Rien n'a été modifié"):
        restauration.restaurer(url, s.chemin, clock=peuple.clock)
    assert etat(peuple) == avant and (cible is None or not cible.exists())

    code = cli.main(["--database-url", url, "restaurer", str(s.chemin), "--oui", "--accepter-incomplete"],
                    clock=peuple.clock)
    sortie = capsys.readouterr()
    assert code == 1, sortie.err
    assert "restaurée, INCOMPLÈTE" in sortie.out
    assert "1 fichier cité par la base restaurée manque dans le dépôt des pièces :" in sortie.out
    assert f"– fichier {h[:12]}…, endommagé (son contenu ne correspond plus" in sortie.out
    # The restored base's own check names the same file.
    restauree = Contexte(type(peuple.db)(url), peuple.clock, peuple.agent)
    try:
        assert any(p.startswith(f"Fichier déposé {h[:12]}… absent du dépôt")
                   for p in integrite.verifier_integrite(restauree).problemes)
    finally:
        restauree.db.dispose()


def test_a_restore_replaces_a_damaged_stored_file_with_the_backup_s(peuple: Contexte, db_url: str, tmp_path: Path):
    h = fichier_depose(peuple)
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    abimer(depot_de(peuple.db).chemin(h))
    peuple.db.dispose()
    r = restauration.restaurer(db_url, s.chemin, clock=peuple.clock)
    assert r.fichiers_copies == 1 and r.fichiers_manquants == ()
    assert depot_de(peuple.db).controler(h) == (EtatFichier.INTACT, "")
    assert integrite.verifier_integrite(peuple).correct


def test_a_format_1_backup_with_a_damaged_file_is_incomplete_too(peuple: Contexte, tmp_path: Path):
    """Backups made before this version noted a file left out only in a sentence: still recognised."""
    h = fichier_depose(peuple)
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    chemin = s.chemin / "manifeste.json"
    m = json.loads(chemin.read_text(encoding="utf-8"))
    for cle in ("incomplete", "fichiers_omis"):
        m.pop(cle)
    m["format"], m["fichiers"] = 1, []
    m["avertissements"] = [f"Le fichier {h[:12]}… du dépôt est endommagé : il n'a pas été sauvegardé."]
    chemin.write_text(json.dumps(m), encoding="utf-8")
    v = manifeste.verifier(s.chemin)
    assert v.incomplete and [f.sha256 for f in v.fichiers_omis] == [h[:12]]


# --- 3. malformed backups --------------------------------------------------------------------------------

def _json(modifier: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def appliquer(dossier: Path) -> None:
        m = json.loads((dossier / "manifeste.json").read_text(encoding="utf-8"))
        modifier(m)
        (dossier / "manifeste.json").write_text(json.dumps(m), encoding="utf-8")
    return appliquer


def _texte(transformer: Callable[[str], str]) -> Callable[[Path], None]:
    def appliquer(dossier: Path) -> None:
        chemin = dossier / "manifeste.json"
        chemin.write_text(transformer(chemin.read_text(encoding="utf-8")), encoding="utf-8")
    return appliquer


def _base(transformer: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """The database copy replaced, and its new SHA-256 recorded: the hash matches, the base is unusable."""
    def appliquer(dossier: Path) -> None:
        m = json.loads((dossier / "manifeste.json").read_text(encoding="utf-8"))
        base = dossier / m["base"]["fichier"]
        base.write_bytes(transformer(base.read_bytes()))
        m["base"]["sha256"] = hashlib.sha256(base.read_bytes()).hexdigest()
        (dossier / "manifeste.json").write_text(json.dumps(m), encoding="utf-8")
    return appliquer


BASE_ILLISIBLE = ("n'est pas une copie PostgreSQL lisible (pg_restore : error: input file does not appear" if SUR_POSTGRES
                  else "n'est pas une base SQLite lisible (SQLite : file is not a database)")
MALFORMES = {
    "sans_sha256": (_json(lambda m: m["base"].pop("sha256")), "est invalide (le champ « base.sha256 » manque)"),
    "sans_date": (_json(lambda m: m.pop("cree_le_utc")), "est invalide (le champ « cree_le_utc » manque)"),
    "date_sans_fuseau": (_json(lambda m: m.update(cree_le_utc="2024-11-10T10:00:00")),
                         "« cree_le_utc » n'est pas une date et heure ISO 8601 avec son fuseau horaire"),
    "compte_en_texte": (_json(lambda m: m["tables"].update(candidature="1")),
                        "le champ « tables.candidature » devrait être un nombre entier positif ou nul"),
    "fichiers_pas_une_liste": (_json(lambda m: m.update(fichiers="tous")),
                               "le champ « fichiers » devrait être une liste"),
    "empreinte_fausse": (_json(lambda m: m["fichiers"][0].update(sha256="../../etc/passwd")),
                         "« fichiers[1].sha256 » n'est pas une empreinte SHA-256"),
    "base_ailleurs": (_json(lambda m: m["base"].update(fichier="../../ailleurs.sqlite")),
                      "le champ « base.fichier » devrait valoir « base."),
    "pas_json": (_texte(lambda t: "Ceci n'est pas un manifeste."),
                 "est illisible, tronqué ou endommagé (JSON invalide ligne 1, colonne 1)"),
    "tronque": (_texte(lambda t: t[: len(t) // 2]), "est illisible, tronqué ou endommagé (JSON invalide ligne "),
    "pas_un_objet": (_texte(lambda t: "[1, 2, 3]"), "est invalide (son contenu n'est pas un objet JSON)"),
    "fichier_absent_de_l_archive": (_json(lambda m: m["fichiers"].append({"sha256": "ab" * 32, "taille": 1})),
                                    "cite le fichier abababababab…, absent de la sauvegarde"),
    "base_illisible": (_base(lambda b: b"\x00" * 4096 + b[4096:]), BASE_ILLISIBLE),
    "base_tronquee": (_base(lambda b: b[: len(b) // 3]), "Rien n'a été modifié."),
    # PostgreSQL: checked inside the restore's own transaction, which the mismatch rolls back.
    "comptes_faux": (_json(lambda m: m["tables"].update(candidature=m["tables"]["candidature"] + 1)),
                     "ne correspond pas à son manifeste ("),
}


@pytest.mark.parametrize("cas", sorted(MALFORMES))
def test_a_malformed_backup_is_refused_in_french_and_nothing_changes(peuple: Contexte, db_url: str, tmp_path: Path,
                                                                     capsys, cas: str):
    abimer_sauvegarde, attendu = MALFORMES[cas]
    s = sauvegardes.sauvegarder(peuple, tmp_path / "sv")
    abimer_sauvegarde(s.chemin)
    peuple.db.dispose()
    avant = etat(peuple)
    assert cli.main(["--database-url", db_url, "restaurer", str(s.chemin), "--oui"]) == 2
    sortie = capsys.readouterr()
    assert attendu in sortie.err and "Rien n'a été modifié." in sortie.err, sortie.err
    assert "Traceback" not in sortie.err + sortie.out
    with pytest.raises(DomainError):
        restauration.restaurer(db_url, s.chemin, clock=peuple.clock)
    assert etat(peuple) == avant
    # No copy of the current base, no half-prepared base left behind.
    voisins = list((peuple.db.path.parent if peuple.db.path else tmp_path).glob("*")) + list(tmp_path.glob("*"))
    assert not [p for p in voisins if "restauration" in p.name]
    # Listed all the same, with the reason when the manifest itself is at fault.
    (liste,) = sauvegardes.lister(tmp_path / "sv")
    assert not liste.erreur or attendu in liste.erreur or "Rien n'a été modifié." in liste.erreur
