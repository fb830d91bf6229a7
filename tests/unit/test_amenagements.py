"""Aménagements d'épreuves (docs/domaine/organisation.md#amenagements): the decision, its notification
(pypdf read-back), the message and audit row, the stale-edit refusal, and the checks on what is
entered."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from cyclades_desktop.documents.pdf import normaliser_texte
from cyclades_desktop.models import AuditEntry, DecisionAmenagement, Message
from cyclades_desktop.rules.errors import ConflictError, PermissionDenied, ValidationError
from cyclades_desktop.rules.organisation import TIERS_TEMPS, SaisieDecision
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.organisation import amenagements
from cyclades_desktop.services.publications import documents as publications
from tests.fabriques import compte_actif, saisie_individuel, session_id

CAPTURES = os.environ.get("CYCLADES_CAPTURES")    # a folder: the PDF is saved there


def texte_pdf(contenu: bytes) -> str:
    lu = "\n".join(p.extract_text() for p in PdfReader(BytesIO(contenu)).pages)
    return re.sub(r"[ \t]+", " ", normaliser_texte(lu))


def inscrire(ctx: Contexte) -> int:
    compte = compte_actif(ctx)
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie_individuel(handicap=True)).candidature_id


def notification(ctx: Contexte, cid: int) -> tuple[str, str]:
    doc = next(d for d in publications.documents(ctx, cid) if d.type == "notification_amenagements")
    return doc.derniere.libelle, texte_pdf(publications.contenu(ctx, doc.derniere.id)[1])


def test_decision_accordee_publie_la_notification(gestionnaire, clock):
    cid = inscrire(gestionnaire)
    vue = amenagements.lire(gestionnaire, cid)
    assert vue.handicap and vue.statut == "demande" and vue.row_version == 0

    vue = amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(
        statut="partiel", mesures=[TIERS_TEMPS, "Utilisation d'un ordinateur"],
        autres_mesures="Sujet sur papier jaune\n\n", majoration_temps="33",
        motif="Le secrétaire demandé n'est pas justifié par l'avis médical."), row_version=0)
    assert vue.statut == "partiel" and vue.row_version == 1 and vue.notification_version == 1
    assert vue.mesures == (TIERS_TEMPS, "Utilisation d'un ordinateur", "Sujet sur papier jaune")
    assert vue.decide_par == "Test GESTION"

    libelle, texte = notification(gestionnaire, cid)
    if CAPTURES:
        doc = next(d for d in publications.documents(gestionnaire, cid) if d.type == "notification_amenagements")
        (Path(CAPTURES) / "notification-amenagements.pdf").write_bytes(
            publications.contenu(gestionnaire, doc.derniere.id)[1])
    assert libelle == "Version n°1 mis à jour le 10/11/2024 11:00"
    assert "Notification de mesures d'aménagements" in " ".join(texte.split())    # the title wraps
    assert "MADAME NGMB-DUPONT" in texte and "Aéronautique option Systèmes (25303)" in texte
    assert "Décision : Accordé partiellement le 10/11/2024" in texte
    for mesure in (TIERS_TEMPS, "Utilisation d'un ordinateur", "Sujet sur papier jaune"):
        assert f"• {mesure}" in texte or mesure in texte
    assert "Majoration du temps de composition : 33 % (tiers-temps)" in texte
    assert "Motif : Le secrétaire demandé n'est pas justifié par l'avis médical." in texte
    assert "Ces mesures figureront sur votre convocation aux épreuves." in texte

    with gestionnaire.lecture() as s:
        assert s.scalars(select(Message.objet).where(Message.candidature_id == cid,
                                                     Message.objet.like("Notification%"))).all() == [
            "Notification de mesures d'aménagements : BACCALAURÉAT PROFESSIONNEL Aéronautique option "
            "Systèmes (25303) - session 2025"]
        a = s.scalars(select(AuditEntry).where(AuditEntry.entite == "amenagement")).one()
        assert a.agent_login == "gestion" and a.apres["statut"] == "partiel"

    # A second decision: version 2 of the notification.
    clock.advance(days=1)
    vue = amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(
        statut="refuse", mesures=[TIERS_TEMPS], motif="Pièce médicale manquante."), row_version=vue.row_version)
    assert vue.mesures == () and vue.majoration_temps == 0 and vue.notification_version == 2
    libelle, texte = notification(gestionnaire, cid)
    assert libelle == "Version n°2 mis à jour le 11/11/2024 11:00"
    assert "Décision : Refusé" in texte and "Motif : Pièce médicale manquante." in texte
    assert "MESURES ACCORDÉES" not in texte and "figureront sur votre convocation" not in texte


def test_decision_perimee_refusee(gestionnaire, chef):
    cid = inscrire(gestionnaire)
    lue_par_gestionnaire = amenagements.lire(gestionnaire, cid)
    amenagements.enregistrer_decision(chef, cid, SaisieDecision(statut="accorde", mesures=[
        "Temps de pause"]), row_version=amenagements.lire(chef, cid).row_version)
    with pytest.raises(ConflictError) as exc:
        amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(
            statut="refuse", motif="Non justifié."), row_version=lue_par_gestionnaire.row_version)
    assert "modifiée entre-temps sur un autre poste" in exc.value.message
    with chef.lecture() as s:
        d = s.scalars(select(DecisionAmenagement).where(DecisionAmenagement.candidature_id == cid)).one()
        assert d.statut == "accorde" and d.mesures == ["Temps de pause"]
    assert amenagements.lire(chef, cid).notification_version == 1


def test_saisie_verifiee_et_roles(gestionnaire, accueil):
    cid = inscrire(gestionnaire)
    with pytest.raises(ValidationError) as exc:
        amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(statut="accorde"), row_version=0)
    assert exc.value.errors == {"mesures": "Cochez ou saisissez au moins une mesure accordée."}
    with pytest.raises(ValidationError) as exc:
        amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(
            statut="accorde", mesures=[TIERS_TEMPS], majoration_temps="150"), row_version=0)
    assert "majoration_temps" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(
            statut="accorde", mesures=[TIERS_TEMPS]), row_version=0)
    assert exc.value.errors["majoration_temps"].startswith("Indiquez la majoration")
    with pytest.raises(ValidationError) as exc:
        amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(statut="refuse"), row_version=0)
    assert exc.value.errors == {"motif": "Indiquez le motif du refus."}
    with pytest.raises(PermissionDenied):
        amenagements.enregistrer_decision(accueil, cid, SaisieDecision(
            statut="accorde", mesures=["Temps de pause"]), row_version=0)
    # Nothing was written by the refusals; a pending request publishes no notification.
    vue = amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(statut="demande"), row_version=0)
    assert vue.row_version == 1 and vue.notification_version == 0


def test_apercu_sans_ecriture(gestionnaire):
    cid = inscrire(gestionnaire)
    nom, contenu = amenagements.apercu_notification(gestionnaire, cid, SaisieDecision(
        statut="accorde", mesures=["Sujets en gros caractères"]))
    assert nom.startswith("notification-amenagements-") and nom.endswith("-001-v1.pdf")
    assert "Sujets en gros caractères" in texte_pdf(contenu)
    assert amenagements.lire(gestionnaire, cid).row_version == 0
