"""Pièces justificatives through the services: requirements, deposits, locks, statuses (real SQLite)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from cyclades_desktop.models import FichierJustificatif, Justificatif
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.epreuves import Choix
from cyclades_desktop.rules.errors import DomainError, PermissionDenied, ValidationError
from cyclades_desktop.rules.inscriptions import SaisieAcquis
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.publications import documents as publications
from cyclades_desktop.storage.fichiers import depot_de
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id


def pdf(texte: str = "pièce") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, texte)
    c.showPage()
    c.save()
    return buf.getvalue()


def inscrire(ctx, compte_id, saisie):
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie)


def pieces(ctx, candidature_id) -> dict[str, Justificatif]:
    with ctx.lecture() as s:
        return {j.piece_code: j for j in s.scalars(select(Justificatif).where(
            Justificatif.candidature_id == candidature_id))}


def requises(ctx, candidature_id) -> set[str]:
    return {c for c, j in pieces(ctx, candidature_id).items() if j.requis}


def test_requirements_follow_the_candidature(accueil):
    cid = compte_actif(accueil)
    seed = inscrire(accueil, cid, saisie_seed())
    # Scolaire, 19 and French (JDC), acquis (BTS), industrial spécialité (R.408).
    assert requises(accueil, seed.candidature_id) == {"CONFIRMATION", "IDENTITE", "JDC", "ACQUIS", "R408"}
    indiv = inscrire(accueil, cid, saisie_individuel(specialite_id="BCP-33007", handicap=True))
    assert requises(accueil, indiv.candidature_id) == {
        "CONFIRMATION", "IDENTITE", "JDC", "RESIDENCE", "BCP_FORMATION_OU_EXPERIENCE", "AMENAGEMENT_NOTIFICATION"}
    etranger = compte_actif(accueil, email="e@exemple.fr", naissance="01/01/1980", nom="Rossi", prenoms="Marco")
    r = inscrire(accueil, etranger, saisie_individuel(nationalite="IT", specialite_id="BCP-31213"))
    assert "JDC" not in requises(accueil, r.candidature_id)          # not French, and over 25
    docs = publications.documents(accueil, seed.candidature_id)
    assert [d.titre for d in docs] == ["Récapitulatif de votre candidature", "Demande pièces justificatives"]
    assert "Demande pièces justificatives" in seed.documents


def test_deadlines_come_from_the_session(accueil):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    ps = pieces(accueil, r.candidature_id)
    assert ps["CONFIRMATION"].echeance.isoformat() == "2024-12-10T16:00:00+00:00"     # 17:00 Paris
    assert ps["R408"].echeance.isoformat() == "2025-03-14T22:59:00+00:00"             # 23:59 Paris
    groupes = justificatifs.mes_justificatifs(accueil, r.candidature_id)
    assert groupes[0].titre == ("A déposer en ligne entre le lundi 4 novembre 2024 et le mardi 10 décembre 2024 "
                                "17:00 (heure/Paris)")


def test_a_modification_adds_and_retires_without_losing_deposits(accueil):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    acquis = pieces(accueil, r.candidature_id)["ACQUIS"]
    justificatifs.deposer(accueil, acquis.id, "releve.pdf", pdf("relevé"))
    d, saisie = inscriptions.ouvrir(accueil, r.candidature_id)
    d = inscriptions.preparer_modification(accueil, d)
    saisie.acquis, saisie.choix, saisie.handicap = [], Choix(), True
    saisie.conditions_acceptees = True
    r2 = inscriptions.enregistrer(accueil, d, saisie)
    ps = pieces(accueil, r.candidature_id)
    assert not ps["ACQUIS"].requis and ps["AMENAGEMENT_NOTIFICATION"].requis
    with accueil.lecture() as s:
        assert s.scalar(select(func.count()).select_from(FichierJustificatif)
                        .where(FichierJustificatif.justificatif_id == acquis.id)) == 1
    assert "Demande pièces justificatives" in r2.documents
    versions = {d.type: [v.numero for v in d.versions] for d in publications.documents(accueil, r.candidature_id)}
    assert versions["demande_pieces"] == [2, 1]
    # Back again: the old piece comes back with its file.
    d, saisie = inscriptions.ouvrir(accueil, r.candidature_id)
    saisie.acquis = [SaisieAcquis("BTS_DUT_DEUG_LICENCE", 2022, "Aix-Marseille")]
    saisie.conditions_acceptees = True
    inscriptions.enregistrer(accueil, inscriptions.preparer_modification(accueil, d), saisie)
    assert pieces(accueil, r.candidature_id)["ACQUIS"].requis
    assert justificatifs.fichier_courant(accueil, acquis.id)[0].nom == "releve.pdf"


def test_deposit_validation_lock_and_unlock(accueil, gestionnaire):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    ps = pieces(accueil, r.candidature_id)
    groupe = next(g for g in justificatifs.mes_justificatifs(accueil, r.candidature_id) if "CONFIRMATION" in
                  {p.code for p in g.pieces})
    assert not groupe.peut_valider and "Ajoutez d'abord" in groupe.raison
    for p in groupe.pieces:
        justificatifs.deposer(accueil, p.id, f"{p.code}.pdf", pdf(p.code))
    justificatifs.supprimer_fichier(accueil, ps["IDENTITE"].id)             # allowed before validation
    justificatifs.deposer(accueil, ps["IDENTITE"].id, "cni.pdf", pdf("cni"))
    assert justificatifs.valider_groupe(accueil, r.candidature_id, groupe.cle) == len(groupe.pieces)
    after = pieces(accueil, r.candidature_id)
    assert after["IDENTITE"].valide_le == accueil.clock.now()
    assert after["IDENTITE"].statut == rp.EN_ATTENTE_CONTROLE
    with pytest.raises(DomainError, match="validé le"):
        justificatifs.deposer(accueil, ps["IDENTITE"].id, "autre.pdf", pdf("autre"))
    with pytest.raises(DomainError, match="validé le"):
        justificatifs.supprimer_fichier(accueil, ps["IDENTITE"].id)
    # Non conforme unlocks that piece only; the new deposit keeps the old file in the history.
    justificatifs.changer_statut(gestionnaire, [ps["IDENTITE"].id], rp.NON_CONFORME, commentaire="Illisible")
    justificatifs.deposer(accueil, ps["IDENTITE"].id, "cni-nette.pdf", pdf("cni nette"))
    with pytest.raises(DomainError, match="validé le"):
        justificatifs.deposer(accueil, ps["JDC"].id, "jdc2.pdf", pdf("jdc"))
    vue = next(p for g in justificatifs.mes_justificatifs(accueil, r.candidature_id) for p in g.pieces
               if p.code == "IDENTITE")
    assert [f.nom for f in vue.historique] == ["cni-nette.pdf", "cni.pdf", "IDENTITE.pdf"]
    assert vue.valide_le is None
    justificatifs.valider_groupe(accueil, r.candidature_id, groupe.cle)
    assert pieces(accueil, r.candidature_id)["IDENTITE"].statut == rp.EN_ATTENTE_CONTROLE   # waiting again


def test_deposit_after_the_deadline_is_refused_unless_a_new_piece_was_asked(accueil, gestionnaire, clock):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    ps = pieces(accueil, r.candidature_id)
    clock.advance(days=40)
    with pytest.raises(DomainError, match="date limite"):
        justificatifs.deposer(accueil, ps["IDENTITE"].id, "cni.pdf", pdf())
    justificatifs.changer_statut(gestionnaire, [ps["IDENTITE"].id], rp.NOUVELLE_PJ, commentaire="Pièce manquante")
    justificatifs.deposer(accueil, ps["IDENTITE"].id, "cni.pdf", pdf())


def test_a_bad_file_changes_nothing(accueil, database):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    j = pieces(accueil, r.candidature_id)["IDENTITE"]
    with pytest.raises(ValidationError) as exc:
        justificatifs.deposer(accueil, j.id, "cni.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert "fichier" in exc.value.errors
    with accueil.lecture() as s:
        assert s.scalar(select(func.count()).select_from(FichierJustificatif)) == 0
    assert depot_de(database).orphelins(set()) == []


@pytest.mark.parametrize(("statut", "kwargs", "cle"), [
    (rp.NON_CONFORME, {}, "commentaire"),
    (rp.NOUVELLE_PJ, {"commentaire": "  "}, "commentaire"),
    (rp.RECUE, {"date_reception": date(2030, 1, 1)}, "date_reception"),
    ("n_importe_quoi", {}, "statut"),
])
def test_each_status_requires_its_data(accueil, gestionnaire, statut, kwargs, cle):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    j = pieces(accueil, r.candidature_id)["IDENTITE"]
    with pytest.raises(ValidationError) as exc:
        justificatifs.changer_statut(gestionnaire, [j.id], statut, **kwargs)
    assert cle in exc.value.errors
    assert pieces(accueil, r.candidature_id)["IDENTITE"].statut == rp.AUCUN


def test_every_status_transition_with_its_data_and_the_roles(accueil, gestionnaire):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_seed())
    ids = [j.id for j in pieces(accueil, r.candidature_id).values()]
    with pytest.raises(PermissionDenied):
        justificatifs.changer_statut(accueil, ids[:1], rp.CONFORME)
    for statut, kwargs in ((rp.EN_ATTENTE_CONTROLE, {}), (rp.RECUE, {"date_reception": date(2024, 11, 9)}),
                           (rp.CONFORME, {}), (rp.NON_CONFORME, {"commentaire": "Document non signé"}),
                           (rp.NOUVELLE_PJ, {"commentaire": "Après la date"}), (rp.AUCUN, {})):
        assert justificatifs.changer_statut(gestionnaire, ids, statut, **kwargs) == len(ids)
        assert {j.statut for j in pieces(accueil, r.candidature_id).values()} == {statut}
    j = pieces(accueil, r.candidature_id)["IDENTITE"]
    assert j.revu_par == "gestion" and j.date_reception == date(2024, 11, 9)
