"""Deadline batches (annulations, écartements) and relances through the services, on the injected clock."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from cyclades_desktop import cli
from cyclades_desktop.models import AuditEntry, Candidature, Document, DocumentVersion, Justificatif, Message
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import ConflictError, DomainError, NotFound, PermissionDenied
from cyclades_desktop.rules.inscriptions import EtatCandidature, TypeDocument
from cyclades_desktop.services import referentiel
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import echeances
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.publications import documents as publications
from tests.fabriques import compte_actif, saisie_seed, session_id

APRES_CONFIRMATION = datetime(2024, 12, 10, 16, 1, tzinfo=UTC)      # 10/12/2024 17:01 Paris
LIMITE_CONFIRMATION = datetime(2024, 12, 10, 16, 0, tzinfo=UTC)     # 17:00 Paris: still in time
APRES_R408 = datetime(2025, 3, 14, 23, 0, tzinfo=UTC)               # 15/03/2025 00:00 Paris


def pdf(texte: str = "pièce") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, texte)
    c.showPage()
    c.save()
    return buf.getvalue()


NOMS = ("Arnaud", "Bernard", "Carpentier", "Durand", "Etienne", "Fabre", "Garnier", "Henry", "Imbert", "Joly",
        "Klein")


def candidat(ctx: Contexte, n: int) -> int:
    """One account (names sort in creation order) and its BCP Aéronautique candidature (industrial:
    R.408 required)."""
    cid = compte_actif(ctx, email=f"candidat{n}@exemple.fr", nom=NOMS[n], prenoms="Léa")
    d = inscriptions.demarrer(ctx, cid, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie_seed()).candidature_id


def pieces(ctx: Contexte, candidature_id: int) -> dict[str, Justificatif]:
    with ctx.lecture() as s:
        return {j.piece_code: j for j in s.scalars(select(Justificatif).where(
            Justificatif.candidature_id == candidature_id))}


def deposer_groupe(ctx: Contexte, candidature_id: int, code: str) -> None:
    """Deposit every piece of the group holding ``code`` and click « J'ai fourni toutes mes pièces »."""
    groupe = next(g for g in justificatifs.mes_justificatifs(ctx, candidature_id)
                  if code in {p.code for p in g.pieces})
    for p in groupe.pieces:
        justificatifs.deposer(ctx, p.id, f"{p.code}.pdf", pdf(p.code))
    justificatifs.valider_groupe(ctx, candidature_id, groupe.cle)


def etat(ctx: Contexte, candidature_id: int) -> Candidature:
    with ctx.lecture() as s:
        return s.get(Candidature, candidature_id)


def objets(ctx: Contexte, candidature_id: int) -> list[str]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Message.objet).where(Message.candidature_id == candidature_id)
                              .order_by(Message.id)))


def relances(ctx: Contexte, candidature_id: int) -> list[DocumentVersion]:
    with ctx.lecture() as s:
        return list(s.scalars(select(DocumentVersion).join(Document).where(
            Document.candidature_id == candidature_id, Document.type == TypeDocument.RELANCE_PIECES)
            .order_by(DocumentVersion.numero)))


@pytest.fixture
def dossiers(accueil, gestionnaire) -> dict[str, int]:
    """Five candidatures in different situations, made while the period is open."""
    d = {nom: candidat(accueil, i) for i, nom in enumerate(
        ("rien", "valide", "recue", "conforme", "desinscrit", "nouvelle_pj"))}
    deposer_groupe(accueil, d["valide"], "CONFIRMATION")
    confirmation = {k: pieces(accueil, v)["CONFIRMATION"].id for k, v in d.items()}
    justificatifs.changer_statut(gestionnaire, [confirmation["recue"]], rp.RECUE, date_reception=date(2024, 11, 9))
    justificatifs.changer_statut(gestionnaire, [confirmation["conforme"]], rp.CONFORME)
    justificatifs.changer_statut(gestionnaire, [confirmation["nouvelle_pj"]], rp.NOUVELLE_PJ,
                                 commentaire="Signature manquante : déposez-la à nouveau")
    inscriptions.desinscrire(gestionnaire, d["desinscrit"], row_version=etat(accueil, d["desinscrit"]).row_version,
                             motif="Demande écrite du candidat")
    return d


def test_nothing_is_listed_before_the_deadline(chef, dossiers, clock):
    sid = session_id(chef)
    assert echeances.sans_confirmation(chef, sid) == []
    clock.instant = LIMITE_CONFIRMATION
    assert echeances.sans_confirmation(chef, sid, "BCP") == []
    assert echeances.r408_manquantes(chef, sid) == []


def test_after_the_deadline_only_the_unconfirmed_are_listed_then_annulees_together(chef, accueil, dossiers,
                                                                                 clock):
    sid = session_id(chef)
    autre = candidat(accueil, 10)
    clock.instant = APRES_CONFIRMATION
    lignes = echeances.sans_confirmation(chef, sid)
    assert [x.candidature_id for x in lignes] == [dossiers["rien"], autre]
    x = lignes[0]
    assert (x.candidat, x.piece_code) == ("ARNAUD Léa", "CONFIRMATION")
    assert x.candidature == "001 - BACCALAURÉAT PROFESSIONNEL Aéronautique option Systèmes - session 2025"
    assert x.echeance == LIMITE_CONFIRMATION
    assert echeances.sans_confirmation(chef, sid, "CAP") == []
    n = echeances.annuler_sans_confirmation(chef, [x.candidature_id for x in lignes],
                                            row_versions={x.candidature_id: x.row_version for x in lignes})
    assert n == 2 and echeances.texte_resultat(n, EtatCandidature.ANNULEE) == "2 candidatures annulées."
    for cid in (dossiers["rien"], autre):
        c = etat(chef, cid)
        assert (c.etat, c.etat_le, c.motif_etat) == (
            EtatCandidature.ANNULEE, APRES_CONFIRMATION, "Confirmation d'inscription signée non reçue dans le délai")
        assert objets(chef, cid)[-1] == ("Annulation de votre candidature : BACCALAURÉAT PROFESSIONNEL "
                                         "Aéronautique option Systèmes - session 2025")
    with chef.lecture() as s:
        corps = s.scalar(select(Message.corps).where(Message.candidature_id == autre).order_by(Message.id.desc()))
        assert "délai fixé au 10/12/2024 17:00 (heure de Paris)" in corps
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "annulation_sans_confirmation")))
    assert {r.entite_id for r in rows} == {str(dossiers["rien"]), str(autre)}
    assert all(r.agent_login == "chef" and r.apres == {"etat": "annulee"} for r in rows)
    assert echeances.sans_confirmation(chef, sid) == []          # nothing left to annul
    assert etat(chef, dossiers["recue"]).etat == EtatCandidature.INSCRIT


def test_a_line_changed_in_between_refuses_the_whole_batch(chef, gestionnaire, accueil, dossiers, clock):
    sid = session_id(chef)
    deux = candidat(accueil, 10)
    clock.instant = APRES_CONFIRMATION
    lignes = echeances.sans_confirmation(chef, sid)
    ids, versions = [x.candidature_id for x in lignes], {x.candidature_id: x.row_version for x in lignes}
    assert set(ids) == {dossiers["rien"], deux}
    # Another workstation désinscrit one of them: its row version moves.
    inscriptions.desinscrire(gestionnaire, deux, row_version=versions[deux], motif="Courrier du candidat")
    with pytest.raises(ConflictError, match="a changé depuis l'affichage de la liste"):
        echeances.annuler_sans_confirmation(chef, ids, row_versions=versions)
    assert etat(chef, dossiers["rien"]).etat == EtatCandidature.INSCRIT
    assert not any(o.startswith("Annulation") for o in objets(chef, dossiers["rien"]))
    # The confirmation arrives by post after the list was shown: the candidature no longer qualifies.
    lignes = echeances.sans_confirmation(chef, sid)
    justificatifs.changer_statut(gestionnaire, [pieces(chef, dossiers["rien"])["CONFIRMATION"].id], rp.RECUE,
                                 date_reception=date(2024, 12, 10))
    with pytest.raises(ConflictError, match="Rien n'a été modifié"):
        echeances.annuler_sans_confirmation(chef, [x.candidature_id for x in lignes],
                                            row_versions={x.candidature_id: x.row_version for x in lignes})
    assert etat(chef, dossiers["rien"]).etat == EtatCandidature.INSCRIT
    with pytest.raises(DomainError, match="aucune candidature"):
        echeances.annuler_sans_confirmation(chef, [], row_versions={})


def test_r408_missing_on_its_date_ecarte(chef, accueil, dossiers, clock):
    sid = session_id(chef)
    r408_ok = dossiers["conforme"]
    deposer_groupe(accueil, r408_ok, "R408")
    clock.instant = datetime(2025, 3, 14, 22, 59, tzinfo=UTC)      # 23:59 Paris: still in time
    assert echeances.r408_manquantes(chef, sid) == []
    clock.instant = APRES_R408
    lignes = echeances.r408_manquantes(chef, sid, "BCP")
    # Active candidatures without R.408; the désinscrit one and the one that provided it are left out.
    attendues = {dossiers[k] for k in ("rien", "valide", "recue", "nouvelle_pj")}
    assert {x.candidature_id for x in lignes} == attendues
    assert {x.piece_code for x in lignes} == {"R408"}
    n = echeances.ecarter_sans_r408(chef, [x.candidature_id for x in lignes],
                                    row_versions={x.candidature_id: x.row_version for x in lignes})
    assert echeances.texte_resultat(n, EtatCandidature.ECARTEE) == "4 candidatures écartées."
    c = etat(chef, dossiers["valide"])
    assert (c.etat, c.motif_etat) == (EtatCandidature.ECARTEE, "Attestation R.408 non fournie à la date limite")
    assert objets(chef, dossiers["valide"])[-1].startswith("Candidature écartée : BACCALAURÉAT PROFESSIONNEL")
    assert etat(chef, r408_ok).etat == EtatCandidature.INSCRIT
    with chef.lecture() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "ecartement_sans_r408")) == 4


def test_only_the_chef_runs_annulations_and_ecartements(gestionnaire, accueil):
    sid = session_id(gestionnaire)
    for fn in (echeances.sans_confirmation, echeances.r408_manquantes):
        with pytest.raises(PermissionDenied, match="traitements d'administration"):
            fn(gestionnaire, sid)
    with pytest.raises(PermissionDenied):
        echeances.annuler_sans_confirmation(gestionnaire, [1], row_versions={1: 1})
    with pytest.raises(PermissionDenied, match="contrôler les pièces"):
        echeances.dossiers_incomplets(accueil, sid)
    with pytest.raises(PermissionDenied):
        echeances.relancer(accueil, [1])


def test_relance_lists_only_missing_or_refused_pieces(gestionnaire, accueil):
    sid = session_id(gestionnaire)
    cid = candidat(accueil, 0)
    complet = candidat(accueil, 1)
    deposer_groupe(accueil, cid, "CONFIRMATION")
    for code in ("CONFIRMATION", "JDC", "ACQUIS"):
        justificatifs.changer_statut(gestionnaire, [pieces(accueil, cid)[code].id], rp.CONFORME)
    justificatifs.changer_statut(gestionnaire, [pieces(accueil, cid)["IDENTITE"].id], rp.NON_CONFORME,
                                 commentaire="Document illisible")
    for code in ("CONFIRMATION", "R408"):
        deposer_groupe(accueil, complet, code)
    lignes = echeances.dossiers_incomplets(gestionnaire, sid)
    assert [(x.candidature_id, x.piece_code) for x in lignes] == [(cid, "IDENTITE, R408")]
    assert lignes[0].echeance == LIMITE_CONFIRMATION
    vus: list[tuple[int, int]] = []
    rapport = echeances.relancer(gestionnaire, [cid], progression=lambda n, total: vus.append((n, total)))
    assert rapport == echeances.RapportRelance(1, 0, (), 0, False) and vus == [(1, 1)]
    assert echeances.texte_rapport(rapport) == "1 relance publiée."
    versions = relances(gestionnaire, cid)
    assert [v.numero for v in versions] == [1]
    nom, contenu = publications.contenu(gestionnaire, versions[0].id)
    texte = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(contenu)).pages)
    assert "Relance de pièces justificatives" in texte
    assert "Document justifiant l'identité" in texte and "Non conforme" in texte and "Document illisible" in texte
    assert "R.408" in texte
    for absente in ("service national", "Relevé de notes et/ou diplôme", "Confirmation d'inscription (récapitulatif"):
        assert absente not in texte
    assert nom.startswith("relance-pieces-")
    assert objets(gestionnaire, cid)[-1] == ("Relance de pièces justificatives : BACCALAURÉAT PROFESSIONNEL "
                                             "Aéronautique option Systèmes - session 2025")
    with gestionnaire.lecture() as s:
        corps = s.scalar(select(Message.corps).where(Message.candidature_id == cid).order_by(Message.id.desc()))
        assert "- Document justifiant l'identité" in corps and "JDC" not in corps
        assert s.scalar(select(AuditEntry.apres).where(AuditEntry.action == "relance_pieces")) == {
            "pieces": ["IDENTITE", "R408"]}
    # Same day again: nothing new. The next day: a second version.
    assert echeances.relancer(gestionnaire, [cid]).ignorees == 1
    gestionnaire.clock.advance(days=1)
    assert echeances.relancer(gestionnaire, [cid]).faites == 1
    assert [v.numero for v in relances(gestionnaire, cid)] == [1, 2]


def test_cancelled_relance_stops_cleanly_and_resumes_without_duplicates(gestionnaire, accueil):
    sid = session_id(gestionnaire)
    ids = [candidat(accueil, i) for i in range(4)]
    lignes = echeances.dossiers_incomplets(gestionnaire, sid)
    assert [x.candidature_id for x in lignes] == ids
    vus: list[tuple[int, int]] = []
    rapport = echeances.relancer(gestionnaire, ids, progression=lambda n, t: vus.append((n, t)),
                                 annule=lambda: len(vus) >= 2)
    assert vus == [(1, 4), (2, 4)]
    assert (rapport.faites, rapport.restantes, rapport.interrompu) == (2, 2, True)
    assert echeances.texte_rapport(rapport) == "2 relances publiées, 2 restantes (interrompu)."
    assert [len(relances(gestionnaire, c)) for c in ids] == [1, 1, 0, 0]
    # The batch is started again on the same list: the first two are skipped, the rest is done.
    rapport = echeances.relancer(gestionnaire, [x.candidature_id for x in
                                                echeances.dossiers_incomplets(gestionnaire, sid)])
    assert (rapport.faites, rapport.ignorees, rapport.restantes, rapport.interrompu) == (2, 2, 0, False)
    assert [len(relances(gestionnaire, c)) for c in ids] == [1, 1, 1, 1]
    for c in ids:
        assert sum(o.startswith("Relance de pièces justificatives") for o in objets(gestionnaire, c)) == 1


def test_one_failing_relance_is_reported_and_the_batch_goes_on(gestionnaire, accueil, monkeypatch):
    ids = [candidat(accueil, i) for i in range(3)]
    vrai = echeances._relancer_une

    def parfois(ctx, cid):
        if cid == ids[1]:
            raise DomainError("La base de données est indisponible ou occupée ; rien n'a été enregistré.")
        return vrai(ctx, cid)

    monkeypatch.setattr(echeances, "_relancer_une", parfois)
    rapport = echeances.relancer(gestionnaire, ids)
    assert (rapport.faites, len(rapport.erreurs)) == (2, 1)
    assert rapport.erreurs[0].endswith("-001 : La base de données est indisponible ou occupée ; rien n'a été "
                                       "enregistré.")
    assert relances(gestionnaire, ids[1]) == []
    assert echeances.texte_rapport(rapport) == "2 relances publiées, 1 en erreur."


# --- the admin CLI, as a scheduled task runs it ---------------------------------------------------

def test_cli_lists_first_and_applies_only_when_asked(db_url, chef, dossiers, clock, capsys):
    clock.instant = APRES_CONFIRMATION
    args = ["--database-url", db_url, "annuler-sans-confirmation", "--session", "2025", "--domaine", "BCP"]
    assert cli.main(args, clock=clock) == 0
    out = capsys.readouterr().out
    assert "ARNAUD Léa" in out and "1 candidature à annuler." in out and "--appliquer" in out
    assert etat(chef, dossiers["rien"]).etat == EtatCandidature.INSCRIT
    assert cli.main([*args, "--appliquer"], clock=clock) == 0
    assert "1 candidature annulée." in capsys.readouterr().out
    c = etat(chef, dossiers["rien"])
    assert c.etat == EtatCandidature.ANNULEE
    with chef.lecture() as s:
        assert s.scalar(select(AuditEntry.agent_login).where(
            AuditEntry.action == "annulation_sans_confirmation")) == "système"
    assert cli.main([*args, "--appliquer"], clock=clock) == 0
    assert "0 candidature à annuler." in capsys.readouterr().out


def test_cli_ecarte_and_relance(db_url, chef, dossiers, clock, capsys):
    assert cli.main(["--database-url", db_url, "relancer", "--session", "2025"], clock=clock) == 0
    assert capsys.readouterr().out.strip() == "5 relances publiées."
    assert len(relances(chef, dossiers["rien"])) == 1
    clock.instant = APRES_R408
    args = ["--database-url", db_url, "ecarter-sans-r408", "--session", "2025"]
    assert cli.main(args, clock=clock) == 0
    assert "5 candidatures à écarter." in capsys.readouterr().out
    assert cli.main([*args, "--appliquer"], clock=clock) == 0
    assert "5 candidatures écartées." in capsys.readouterr().out
    assert cli.main(["--database-url", db_url, "relancer", "--session", "1999"], clock=clock) == 2
    assert "La session « 1999 » n'existe pas" in capsys.readouterr().err


def test_unknown_session_is_a_french_error(chef):
    with pytest.raises(NotFound, match="n'existe pas"):
        referentiel.session_par_libelle(chef, "1999")
    assert referentiel.session_par_libelle(chef, "2025") == session_id(chef)
