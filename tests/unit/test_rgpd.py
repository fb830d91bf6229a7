"""RGPD: the export of everything about one candidate (art. 15), the retention settings, and the purge
that lists before it deletes (injected clock), on a real database and file store."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select, text

from cyclades_desktop import cli
from cyclades_desktop.models import (
    AuditEntry,
    Candidature,
    CompteCandidat,
    Document,
    FichierJustificatif,
    Justificatif,
    Message,
    SessionExamen,
)
from cyclades_desktop.rules import comptes as rc
from cyclades_desktop.rules.errors import ConflictError, PermissionDenied, ValidationError
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau import audit, historique
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.publications import documents as publications
from cyclades_desktop.services.rgpd import export as rgpd
from cyclades_desktop.storage.fichiers import depot_de
from tests.fabriques import commune_id, compte_actif, saisie_seed, session_id


def pdf(texte: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, texte)
    c.showPage()
    c.save()
    return buf.getvalue()


def inscrire(ctx: Contexte, compte_id: int, **changes: object) -> int:
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie_seed(**changes)).candidature_id


def piece(ctx: Contexte, candidature_id: int, code: str) -> int:
    with ctx.lecture() as s:
        return int(s.scalar(select(Justificatif.id).where(Justificatif.candidature_id == candidature_id,
                                                          Justificatif.piece_code == code)))


def compte_en_attente(ctx: Contexte, email: str, nom: str = "Attente") -> int:
    saisie = rc.SaisieCompte(
        sexe="M", nom=nom, nom_confirmation=nom, prenoms="Paul", date_naissance="01/02/2003",
        date_naissance_confirmation="01/02/2003", pays_naissance="FR", departement_naissance="11",
        commune_naissance=commune_id(ctx, "Bugarach", "11"), email=email, email_confirmation=email,
        mot_de_passe="Secret.2024", mot_de_passe_confirmation="Secret.2024")
    return comptes.creer_compte(ctx, saisie).id


def compter(ctx: Contexte, modele, *conditions) -> int:  # type: ignore[no-untyped-def]
    with ctx.lecture() as s:
        return int(s.scalar(select(func.count()).select_from(modele).where(*conditions)))


# --- export --------------------------------------------------------------------------------------

@pytest.fixture
def dossier(chef: Contexte) -> dict[str, object]:
    """One candidate with a candidature, two deposited files (one replaced) and her documents."""
    cid = compte_actif(chef)
    cand = inscrire(chef, cid)
    acquis = piece(chef, cand, "ACQUIS")
    premier, second = pdf("relevé de notes"), pdf("relevé corrigé")
    justificatifs.deposer(chef, acquis, "relevé.pdf", premier)
    justificatifs.deposer(chef, piece(chef, cand, "IDENTITE"), "carte d'identité.pdf", second)
    return {"compte": cid, "candidature": cand, "fichiers": {"relevé.pdf": premier, "carte d'identité.pdf": second}}


def test_export_contient_tout_ce_qui_concerne_le_candidat(chef: Contexte, dossier, tmp_path: Path):
    (tmp_path / "sortie").mkdir()
    sortie = tmp_path / "sortie" / "export.zip"
    resume = rgpd.exporter_candidat(chef, dossier["compte"], sortie)
    assert resume.candidatures == 1 and resume.fichiers == 2
    with zipfile.ZipFile(sortie) as z:
        noms = set(z.namelist())
        identite = json.loads(z.read("identite.json"))
        assert identite["numero_candidat"] and identite["nom"] == "NGMB-DUPONT"
        assert identite["email"] == "1948418953@mail.fr" and identite["date_naissance"] == "2005-05-06"
        assert "mot_de_passe_hash" not in identite and "code_activation_hash" not in identite

        (cand,) = json.loads(z.read("candidatures.json"))
        assert cand["numero_inscription"] == "001" and cand["session"] == "2025"
        assert cand["specialite_id"] == "BCP-25303" and cand["localite"] == "Cayenne"
        assert [a["type_code"] for a in cand["acquis"]] == ["BTS_DUT_DEUG_LICENCE"]
        assert cand["epreuves"] and {"code", "position", "intitule"} <= set(cand["epreuves"][0])

        docs = publications.documents(chef, dossier["candidature"])
        assert docs
        for d in docs:
            for v in d.versions:
                nom, contenu = publications.contenu(chef, v.id)
                assert z.read(f"documents/{nom}") == contenu
        assert len([n for n in noms if n.startswith("documents/")]) == sum(len(d.versions) for d in docs)

        assert z.read("pieces/001/ACQUIS/relevé.pdf") == dossier["fichiers"]["relevé.pdf"]
        assert z.read("pieces/001/IDENTITE/carte d'identité.pdf") == dossier["fichiers"]["carte d'identité.pdf"]
        statuts = {p["piece_code"]: p for p in json.loads(z.read("pieces/pieces.json"))}
        assert statuts["ACQUIS"]["fichiers"][0]["nom_original"] == "relevé.pdf"
        assert statuts["ACQUIS"]["fichiers"][0]["fichier_dans_l_archive"] == "pieces/001/ACQUIS/relevé.pdf"
        assert "statut" in statuts["R408"] and statuts["R408"]["fichiers"] == []

        objets = [m["objet"] for m in json.loads(z.read("messages.json"))]
        assert "[CYCLADES] Activer mon compte" in objets and len(objets) == compter(
            chef, Message, Message.compte_id == dossier["compte"])

        lignes = json.loads(z.read("audit.json"))
        actions = [x["action_code"] for x in lignes]
        assert {"creation", "activation", "inscription", "depot_piece"} <= set(actions)
        assert lignes[0]["id"] > lignes[-1]["id"]  # newest first, as the history
        lisez_moi = z.read("LISEZMOI.txt").decode("utf-8")
        assert "article 15" in lisez_moi and "10/11/2024 11:00" in lisez_moi and "pieces/" in lisez_moi
    assert [p.name for p in sortie.parent.iterdir()] == ["export.zip"]  # no temporary file left
    with chef.lecture() as s:
        dernier = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (dernier.action, dernier.entite, dernier.entite_id, dernier.agent_login) == (
        "export_rgpd", "compte", str(dossier["compte"]), "chef")
    assert dernier.apres["fichiers"] == 2
    assert audit.verifier_chaine(chef).intacte


def test_export_reserve_au_chef(gestionnaire: Contexte, chef: Contexte, tmp_path: Path):
    cid = compte_actif(chef)
    with pytest.raises(PermissionDenied):
        rgpd.exporter_candidat(gestionnaire, cid, tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_commande_exporter_rgpd(db_url: str, chef: Contexte, dossier, tmp_path: Path, capsys):
    numero = comptes.obtenir(chef, dossier["compte"]).numero_candidat
    sortie = tmp_path / "cli.zip"
    assert cli.main(["--database-url", db_url, "exporter-rgpd", "--candidat", numero, "--sortie", str(sortie)]) == 0
    assert "exportées" in capsys.readouterr().out
    with zipfile.ZipFile(sortie) as z:
        assert json.loads(z.read("identite.json"))["numero_candidat"] == numero
    assert cli.main(["--database-url", db_url, "exporter-rgpd", "--candidat", "99999999999",
                     "--sortie", str(tmp_path / "y.zip")]) == 2
    assert "Aucun compte candidat" in capsys.readouterr().err


# --- history -------------------------------------------------------------------------------------

def test_historique_du_candidat(chef: Contexte, gestionnaire: Contexte, accueil: Contexte, dossier, clock):
    clock.advance(minutes=5)
    autre = compte_actif(chef, email="autre@exemple.fr", nom="Autre", prenoms="Personne")
    lignes = historique.historique_candidat(gestionnaire, dossier["compte"])
    assert [x.id for x in lignes] == sorted((x.id for x in lignes), reverse=True)
    objets = {x.objet for x in lignes}
    numero = comptes.obtenir(chef, dossier["compte"]).numero_candidat
    assert f"Compte candidat N° {numero}" in objets
    assert any(o.startswith("Candidature 001 — BCP ") for o in objets)
    depot = next(x for x in lignes if x.code_action == "depot_piece")
    assert depot.objet.startswith("Pièce : ") and depot.candidature_id == dossier["candidature"]
    activation = next(x for x in lignes if x.code_action == "activation")
    assert activation.date == "10/11/2024 11:00" and activation.qui == "Carole DANO (chef)"
    assert activation.action == "Activation du compte"
    assert activation.ce_qui_change == "État : En attente d'activation → Actif"
    assert all(str(autre) not in x.objet for x in lignes)
    seule = historique.historique_candidat(gestionnaire, dossier["compte"], dossier["candidature"])
    assert seule and all(x.candidature_id == dossier["candidature"] for x in seule)
    with pytest.raises(PermissionDenied):
        historique.historique_candidat(accueil, dossier["compte"])


# --- retention settings ----------------------------------------------------------------------------

def test_reglages_de_conservation(chef: Contexte, gestionnaire: Contexte):
    assert rgpd.lire_conservation(chef) == rgpd.Conservation(48, 5)
    with pytest.raises(ValidationError) as err:
        rgpd.enregistrer_conservation(chef, "24", "0")
    assert set(err.value.errors) == {"heures_comptes_non_actives", "annees_apres_session"}
    assert rgpd.enregistrer_conservation(chef, "72", "6") == rgpd.Conservation(72, 6)
    assert rgpd.lire_conservation(chef) == rgpd.Conservation(72, 6)
    with pytest.raises(PermissionDenied):
        rgpd.enregistrer_conservation(gestionnaire, "72", "6")


# --- purge -----------------------------------------------------------------------------------------

def test_compte_non_active_liste_puis_supprime_le_recent_garde(chef: Contexte, clock: FixedClock):
    vieux = compte_en_attente(chef, "vieux@exemple.fr", "Vieux")
    clock.advance(hours=47)
    jeune = compte_en_attente(chef, "jeune@exemple.fr", "Jeune")
    clock.advance(hours=2)  # vieux: 49 h, jeune: 2 h
    plan = rgpd.preparer_purge(chef)
    assert [c.id for c in plan.comptes_non_actives] == [vieux] and not plan.candidatures
    assert compter(chef, CompteCandidat, CompteCandidat.id == vieux) == 1  # listing deletes nothing
    resultat = rgpd.appliquer_purge(chef, plan)
    assert resultat.comptes == 1
    assert compter(chef, CompteCandidat, CompteCandidat.id == vieux) == 0
    assert compter(chef, Message, Message.compte_id == vieux) == 0
    assert compter(chef, CompteCandidat, CompteCandidat.id == jeune) == 1
    assert rgpd.preparer_purge(chef).vide


def test_le_delai_des_comptes_suit_le_reglage(chef: Contexte, clock: FixedClock):
    cid = compte_en_attente(chef, "lent@exemple.fr")
    rgpd.enregistrer_conservation(chef, "72", "5")
    clock.advance(hours=60)
    assert rgpd.preparer_purge(chef).vide
    clock.advance(hours=13)
    assert [c.id for c in rgpd.preparer_purge(chef).comptes_non_actives] == [cid]


def _session_2024(ctx: Contexte, candidature_id: int) -> None:
    """Move a candidature into the 2024 session (registrations for it are long closed)."""
    with ctx.db.engine.begin() as conn:
        s24 = conn.execute(select(SessionExamen.id).where(SessionExamen.annee == 2024)).scalar()
        conn.execute(text("UPDATE candidature SET session_id = :s WHERE id = :c"), {"s": s24, "c": candidature_id})


def test_session_ancienne_purgee_avec_ses_fichiers_la_recente_gardee(chef: Contexte, clock: FixedClock):
    ancien = compte_actif(chef, email="ancien@exemple.fr", nom="Ancien", prenoms="Candidat")
    cand_ancienne = inscrire(chef, ancien)
    fichier_ancien = pdf("pièce de 2024")
    justificatifs.deposer(chef, piece(chef, cand_ancienne, "ACQUIS"), "ancien.pdf", fichier_ancien)
    partage = pdf("même fichier déposé deux fois")
    justificatifs.deposer(chef, piece(chef, cand_ancienne, "IDENTITE"), "id.pdf", partage)
    _session_2024(chef, cand_ancienne)
    recent = compte_actif(chef, email="recent@exemple.fr", nom="Recent", prenoms="Candidat")
    cand_recente = inscrire(chef, recent)
    justificatifs.deposer(chef, piece(chef, cand_recente, "IDENTITE"), "id.pdf", partage)
    depot = depot_de(chef.db)
    sha_ancien = depot.ecrire(fichier_ancien)
    sha_partage = depot.ecrire(partage)

    clock.instant = datetime(2029, 12, 31, 22, 0, tzinfo=UTC)  # 2024 + 5 = 2029: not yet
    assert not rgpd.preparer_purge(chef).candidatures
    clock.instant = datetime(2030, 1, 2, 9, 0, tzinfo=UTC)
    plan = rgpd.preparer_purge(chef)
    assert [c.id for c in plan.candidatures] == [cand_ancienne]
    assert plan.sessions == (("2024", 1),)
    assert [c.id for c in plan.comptes_sans_candidature] == [ancien]
    assert plan.totaux["fichiers déposés"] == 2 and plan.totaux["documents"] >= 2
    assert "1 candidature(s)" in plan.resume
    assert compter(chef, Candidature, Candidature.id == cand_ancienne) == 1  # nothing deleted yet

    resultat = rgpd.appliquer_purge(chef, plan)
    assert (resultat.candidatures, resultat.comptes, resultat.fichiers_supprimes_du_depot) == (1, 1, 1)
    assert compter(chef, Candidature, Candidature.id == cand_ancienne) == 0
    assert compter(chef, Document, Document.candidature_id == cand_ancienne) == 0
    assert compter(chef, Justificatif, Justificatif.candidature_id == cand_ancienne) == 0
    assert compter(chef, CompteCandidat, CompteCandidat.id == ancien) == 0
    assert not depot.existe(sha_ancien)
    assert depot.existe(sha_partage)  # still the recent candidature's file
    assert compter(chef, Candidature, Candidature.id == cand_recente) == 1
    assert compter(chef, FichierJustificatif, FichierJustificatif.sha256 == sha_partage) == 1
    assert compter(chef, CompteCandidat, CompteCandidat.id == recent) == 1
    with chef.lecture() as s:
        resume = s.scalars(select(AuditEntry).where(AuditEntry.entite == "purge")).one()
    assert resume.agent_login == "chef" and resume.apres["candidatures"] == 1
    assert resume.apres["comptes sans candidature"] == 1 and resume.apres["sessions"] == ["2024"]
    assert audit.verifier_chaine(chef).intacte


def test_plan_perime_rien_n_est_supprime(chef: Contexte, clock: FixedClock):
    vieux = compte_en_attente(chef, "vieux@exemple.fr")
    ancien = compte_actif(chef, email="ancien@exemple.fr", nom="Ancien", prenoms="Candidat")
    cand = inscrire(chef, ancien)
    _session_2024(chef, cand)
    clock.instant = datetime(2030, 6, 1, tzinfo=UTC)
    plan = rgpd.preparer_purge(chef)
    assert plan.comptes_non_actives and plan.candidatures
    with chef.db.engine.begin() as conn:  # another workstation saves the candidature meanwhile
        conn.execute(text("UPDATE candidature SET localite = 'Kourou', row_version = row_version + 1 "
                          "WHERE id = :c"), {"c": cand})
    with pytest.raises(ConflictError, match="rien n'a été supprimé"):
        rgpd.appliquer_purge(chef, plan)
    assert compter(chef, CompteCandidat, CompteCandidat.id == vieux) == 1
    assert compter(chef, Candidature, Candidature.id == cand) == 1
    assert rgpd.appliquer_purge(chef, rgpd.preparer_purge(chef)).candidatures == 1


def test_commande_purger_liste_sans_appliquer(db_url: str, chef: Contexte, clock: FixedClock, capsys):
    ancien = compte_actif(chef, email="ancien@exemple.fr", nom="Ancien", prenoms="Candidat")
    cand = inscrire(chef, ancien)
    _session_2024(chef, cand)
    numero = comptes.obtenir(chef, ancien).numero_candidat
    clock.instant = datetime(2030, 6, 1, tzinfo=UTC)
    assert cli.main(["--database-url", db_url, "purger"], clock=clock) == 0
    sortie = capsys.readouterr().out
    assert f"Candidature\t{numero}\t001\tsession 2024" in sortie and "--appliquer" in sortie
    assert compter(chef, Candidature, Candidature.id == cand) == 1
    assert cli.main(["--database-url", db_url, "purger", "--appliquer"], clock=clock) == 0
    assert "Purge effectuée : 1 compte(s) et 1 candidature(s)" in capsys.readouterr().out
    assert compter(chef, Candidature, Candidature.id == cand) == 0


def test_la_purge_au_demarrage_suit_le_reglage(chef: Contexte, clock: FixedClock):
    """The hourly/start-up purge of unactivated accounts (comptes.purger_comptes_non_actives) uses the
    same setting as the RGPD purge."""
    cid = compte_en_attente(chef, "lent@exemple.fr")
    rgpd.enregistrer_conservation(chef, "72", "5")
    clock.advance(hours=60)
    assert comptes.purger_comptes_non_actives(chef) == 0
    clock.advance(hours=13)
    assert comptes.purger_comptes_non_actives(chef) == 1
    assert compter(chef, CompteCandidat, CompteCandidat.id == cid) == 0


def test_purge_reservee_au_chef(gestionnaire: Contexte):
    with pytest.raises(PermissionDenied):
        rgpd.preparer_purge(gestionnaire)
