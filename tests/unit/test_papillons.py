"""Papillons de connexion (docs/domaine/organisation.md#papillons) through the service: contents read
back from the PDF, the new password signs in and the old one no longer does, only the hash is
stored, one transaction."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from cyclades_desktop.documents import papillon as doc_papillon
from cyclades_desktop.documents.pdf import normaliser_texte
from cyclades_desktop.models import AuditEntry, Candidature, CompteCandidat, Papillon
from cyclades_desktop.rules.comptes import verifier_mot_de_passe
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.comptes import papillons
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id

LP = "0250001R"          # LP FERNAND LEGERE, the CYCLADES guide's example papillon
CFA = "9730538X"
MOT_DE_PASSE_INITIAL = "Secret.2024"
MOT_DE_PASSE = re.compile(r"Votre mot de passe \(\*\) : (\S+)")


def inscrire(ctx: Contexte, compte_id: int, **changes: object) -> int:
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie_seed(**changes)).candidature_id


def texte(contenu: bytes) -> str:
    return normaliser_texte("\n".join(p.extract_text() for p in PdfReader(BytesIO(contenu)).pages))


@pytest.fixture
def eleves(accueil: Contexte) -> dict[str, int]:
    """Two pupils of the LP (classes 37 B and 1 MELEC), one of the CFA, one individual candidate."""
    ids = {
        "dubois": compte_actif(accueil, email="pierre.dubois@lycee.fr", nom="Dubois", prenoms="Pierre"),
        "martin": compte_actif(accueil, email="lea.martin@lycee.fr", nom="Martin", prenoms="Léa"),
        "cfa": compte_actif(accueil, email="cfa@exemple.fr", nom="Zola", prenoms="Émile"),
        "indiv": compte_actif(accueil, email="indiv@exemple.fr", nom="Abel", prenoms="Jean"),
    }
    with accueil.transaction() as s:
        s.get(CompteCandidat, ids["dubois"]).login = "pierre.dubois"
    inscrire(accueil, ids["dubois"], etablissement_uai=LP, classe="37 B")
    inscrire(accueil, ids["martin"], etablissement_uai=LP, classe="1 MELEC")
    inscrire(accueil, ids["cfa"], etablissement_uai=CFA, classe="TBP")
    d = inscriptions.demarrer(accueil, ids["indiv"], session_id(accueil), "BCP")
    inscriptions.enregistrer(accueil, d, saisie_individuel())
    return ids


def test_papillon_prints_the_establishment_pupil_numbers_login_and_a_working_password(gestionnaire, eleves):
    ctx = gestionnaire
    with ctx.lecture() as s:
        dubois = s.get(CompteCandidat, eleves["dubois"])
        martin = s.get(CompteCandidat, eleves["martin"])
        hash_avant = dubois.mot_de_passe_hash
    lot = papillons.generer(ctx, session_id(ctx), LP)

    assert [(f.uai, f.nombre, f.nom_fichier) for f in lot.fichiers] == [(LP, 2, f"papillons-2025-{LP}.pdf")]
    contenu = lot.fichiers[0].contenu
    assert len(PdfReader(BytesIO(contenu)).pages) == 1          # several slips per A4 page
    t = texte(contenu)
    for attendu in ("ACADÉMIE D'AIX-MARSEILLE", "Accès au service en ligne des examens",
                    "(Document à conserver impérativement)", "LP FERNAND LEGERE", "6 RUE RENE GIRARDOT",
                    "25404 AUDINCOURT CEDEX", "Tél : 0381362200", f"UAI : {LP}",
                    "Élève : DUBOIS Pierre", "Né(e) le 06/05/2005 – Classe : 37 B",
                    f"N° candidat : {dubois.numero_candidat} - Inscription n° : 001",
                    "Élève : MARTIN Léa", "Classe : 1 MELEC",
                    "Aéronautique option Systèmes (25303)", "Votre établissement vous a inscrit au baccalauréat",
                    papillons.URL_PORTAIL_DEFAUT, "Votre identifiant de connexion : pierre.dubois",
                    "Votre identifiant de connexion : lea.martin@lycee.fr",
                    "personnaliser votre mot de passe lors de votre première connexion"):
        assert attendu in t, attendu
    # Sorted by class then name: 1 MELEC before 37 B.
    assert t.index("MARTIN Léa") < t.index("DUBOIS Pierre")
    # Only the LP's pupils: not the CFA's, not the individual candidate.
    assert "ZOLA" not in t and "ABEL" not in t and "CFA CEVEDOM" not in t

    mots = MOT_DE_PASSE.findall(t)
    assert len(mots) == 2 and len(set(mots)) == 2
    assert all(verifier_mot_de_passe(m) is None for m in mots)
    mot_martin, mot_dubois = mots
    # The new password signs in (by login, e-mail or N° candidat), the old one no longer does.
    assert comptes.verifier_connexion_candidat(ctx, "pierre.dubois", mot_dubois).id == dubois.id
    assert comptes.verifier_connexion_candidat(ctx, dubois.numero_candidat, mot_dubois).id == dubois.id
    assert comptes.verifier_connexion_candidat(ctx, "lea.martin@lycee.fr", mot_martin).id == martin.id
    with pytest.raises(DomainError, match="Identifiant ou mot de passe incorrect"):
        comptes.verifier_connexion_candidat(ctx, "pierre.dubois", MOT_DE_PASSE_INITIAL)
    # The hash is stored, never the password in clear (nor in the audit trail).
    with ctx.lecture() as s:
        stocke = s.get(CompteCandidat, dubois.id).mot_de_passe_hash
        assert stocke != hash_avant and stocke.startswith("$argon2") and mot_dubois not in stocke
        rows = list(s.scalars(select(Papillon).order_by(Papillon.id)))
        assert {(p.compte_id, p.genere_par) for p in rows} == {(dubois.id, "gestion"), (martin.id, "gestion")}
        audits = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "papillon_connexion")))
        assert sorted(int(a.entite_id) for a in audits) == sorted([dubois.id, martin.id])
        assert not any(m in repr((a.libelle, a.avant, a.apres)) for a in audits for m in mots)


def test_reprint_generates_new_passwords_and_every_establishment_has_its_pdf(chef, eleves):
    premier = papillons.generer(chef, session_id(chef), LP)
    ancien = MOT_DE_PASSE.findall(texte(premier.fichiers[0].contenu))[1]
    lot = papillons.generer(chef, session_id(chef))
    assert [(f.etablissement, f.nombre) for f in lot.fichiers] == [("CFA CEVEDOM CAYENNE", 1),
                                                                   ("LP FERNAND LEGERE", 2)]
    nouveau = MOT_DE_PASSE.findall(texte(lot.fichiers[1].contenu))[1]
    assert nouveau != ancien
    with pytest.raises(DomainError):
        comptes.verifier_connexion_candidat(chef, "pierre.dubois", ancien)
    assert comptes.verifier_connexion_candidat(chef, "pierre.dubois", nouveau)
    assert "ZOLA Émile" in texte(lot.fichiers[0].contenu)
    fusion = papillons.fusionner(lot.fichiers)
    assert len(PdfReader(BytesIO(fusion)).pages) == 2
    lignes = papillons.lister(chef, session_id(chef), LP)
    assert [(x.nom, x.classe, x.identifiant) for x in lignes] == [
        ("MARTIN", "1 MELEC", "lea.martin@lycee.fr"), ("DUBOIS", "37 B", "pierre.dubois")]
    assert all(x.dernier_papillon == chef.clock.now() for x in lignes)
    assert [(e.uai, e.nombre) for e in papillons.etablissements(chef, session_id(chef))] == [(CFA, 1), (LP, 2)]
    assert [e.uai for e in papillons.etablissements(chef, session_id(chef), "audincourt")] == [LP]


def test_a_pdf_failure_changes_no_password(gestionnaire, eleves, monkeypatch):
    def panne(*_a, **_k):
        raise OSError("disque plein")

    monkeypatch.setattr(papillons, "rendre_papillons", panne)
    with pytest.raises(OSError):
        papillons.generer(gestionnaire, session_id(gestionnaire), LP)
    assert comptes.verifier_connexion_candidat(gestionnaire, "pierre.dubois", MOT_DE_PASSE_INITIAL)
    with gestionnaire.lecture() as s:
        assert s.scalar(select(func.count()).select_from(Papillon)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "papillon_connexion")) == 0


def test_cancel_midway_changes_no_password(gestionnaire, eleves):
    with pytest.raises(DomainError, match="aucun mot de passe n'a été changé"):
        papillons.generer(gestionnaire, session_id(gestionnaire), LP, annule=lambda: True)
    assert comptes.verifier_connexion_candidat(gestionnaire, "pierre.dubois", MOT_DE_PASSE_INITIAL)


def test_inactive_candidatures_and_agents_are_refused(accueil, gestionnaire, eleves):
    with pytest.raises(PermissionDenied):
        papillons.generer(accueil, session_id(accueil), LP)
    with gestionnaire.transaction() as s:
        for c in s.scalars(select(Candidature).where(Candidature.etablissement_uai == CFA)):
            c.etat = "desinscrit"
    with pytest.raises(DomainError, match="Aucun candidat inscrit par un établissement"):
        papillons.generer(gestionnaire, session_id(gestionnaire), CFA)


def test_examen_phrase_and_many_slips_paginate():
    assert papillons.examen_phrase("Mention complémentaire") == "à la mention complémentaire"
    assert papillons.examen_phrase("Certificat d'aptitude professionnelle") == \
        "au certificat d'aptitude professionnelle"
    from datetime import date
    d = doc_papillon.DonneesPapillon(
        "Académie d'Aix-Marseille", "LP X", "0000000A", ("1 rue", "13001 MARSEILLE"), "", "NOM", "Prénom",
        date(2007, 1, 2), "2 A", "01234567890", "001", "BACCALAURÉAT PROFESSIONNEL", "au baccalauréat professionnel",
        "Spé (1)", "2025", "https://exemple.fr/login", "nom.prenom", "Ab?cdefg2")
    assert len(PdfReader(BytesIO(doc_papillon.rendre_papillons([d] * 7))).pages) == 3


def test_an_account_not_activated_can_sign_in_with_its_papillon(gestionnaire, eleves):
    # A pre-registered pupil's account (docs/domaine/sessions.md#etablissements) may never have been
    # activated by e-mail: the papillon is how the pupil gets in.
    with gestionnaire.transaction() as s:
        s.get(CompteCandidat, eleves["martin"]).etat = "en_attente"
    lot = papillons.generer(gestionnaire, session_id(gestionnaire), LP)
    mot = MOT_DE_PASSE.findall(texte(lot.fichiers[0].contenu))[0]
    assert comptes.verifier_connexion_candidat(gestionnaire, "lea.martin@lycee.fr", mot).id == eleves["martin"]
    with gestionnaire.lecture() as s:
        a = s.scalar(select(AuditEntry).where(AuditEntry.action == "papillon_connexion",
                                              AuditEntry.entite_id == str(eleves["martin"])))
        assert a.avant == {"etat": "en_attente"} and a.apres["etat"] == "actif"
