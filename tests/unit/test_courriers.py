"""Letters from the office's DOCX templates: contents read back with python-docx, a template edited
« in Word » is used by the next letter, bad placeholders refuse the letter, the shipped template can
be restored."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select

from cyclades_desktop import paths
from cyclades_desktop.documents.docx_modeles import ModeleInvalide, texte_du_document
from cyclades_desktop.models import AuditEntry, Candidature, Justificatif
from cyclades_desktop.rules import pieces as regles_pieces
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.services.impressions import courriers
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from tests.fabriques import compte_actif, saisie_seed, session_id

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def modeles(tmp_path: Path, monkeypatch) -> Path:
    dossier = tmp_path / "modeles-du-bureau"
    monkeypatch.setenv(paths.ENV_MODELES_DIR, str(dossier))
    return dossier


@pytest.fixture
def candidature(accueil: Contexte) -> int:
    cid = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP")
    r = inscriptions.enregistrer(accueil, d, saisie_seed(classe="TBP 2"))
    with accueil.transaction() as s:
        identite = s.scalar(select(Justificatif).where(Justificatif.candidature_id == r.candidature_id,
                                                       Justificatif.piece_code == "IDENTITE"))
        identite.statut = regles_pieces.NON_CONFORME
        identite.commentaire = "Copie illisible : recto seul"
    return r.candidature_id


def lire(contenu: bytes) -> str:
    return texte_du_document(contenu)


def test_attestation_is_filled_from_the_candidature(gestionnaire, candidature, modeles):
    courrier = courriers.produire(gestionnaire, candidature, "attestation_inscription.docx")
    assert courrier.titre == "Attestation d'inscription"
    assert courrier.nom_fichier.startswith("attestation_inscription-") and courrier.nom_fichier.endswith("-001.docx")
    texte = lire(courrier.contenu)
    for attendu in ("Académie d'Aix-Marseille", "Division des examens et concours", "Place Lucien Paye",
                    "13621 Aix-en-Provence Cedex 1", "Aix-en-Provence, le 10 novembre 2024",
                    "Madame NGMB-DUPONT Ngmb-Jeanne", "reu\n97300 CAYENNE", "Inscription n° 001",
                    "né(e) le 06/05/2005 à BUGARACH - 011", "Baccalauréat professionnel",
                    "Aéronautique option Systèmes (25303)", "SCOLAIRE BACPRO 1 AN (133)",
                    "n° 001 enregistrée le 10/11/2024", "Le chef de bureau", "Madame,",
                    "Affaire suivie par : Test GESTION"):
        assert attendu in texte, attendu
    assert "{{" not in texte and "}}" not in texte
    numero = next(x for x in texte.splitlines() if x.startswith("N° candidat : "))
    assert len(numero.split(" : ")[1].split(" ")[0]) == 11
    with gestionnaire.lecture() as s:
        a = s.scalar(select(AuditEntry).where(AuditEntry.action == "courrier"))
        assert (a.entite, a.entite_id, a.agent_login) == ("candidature", str(candidature), "gestion")
        assert "Attestation d'inscription" in a.libelle and a.apres["modele"] == "attestation_inscription.docx"


def test_relance_lists_missing_and_refused_pieces_with_their_reason(accueil, candidature, modeles):
    courrier = courriers.produire(accueil, candidature, "courrier_relance.docx")
    doc = Document(BytesIO(courrier.contenu))
    tableau = doc.tables[0]
    lignes = [[c.text for c in r.cells] for r in tableau.rows]
    assert lignes[0] == ["Pièce justificative", "Situation", "Motif", "Dépôt"]
    pieces = {ligne[0]: ligne for ligne in lignes[1:]}
    assert len(pieces) >= 2
    identite = next(v for k, v in pieces.items() if "identité" in k)
    assert identite[1:3] == ["Non conforme", "Copie illisible : recto seul"]
    assert any(v[1] == "Non fournie" for v in pieces.values())
    assert all(v[3].startswith("A déposer") or v[3].startswith("A envoyer") or v[3] for v in pieces.values())
    assert "{{" not in lire(courrier.contenu)
    assert "Votre dossier de candidature au baccalauréat professionnel" in lire(courrier.contenu)


def _simuler_word(chemin: Path) -> None:
    """What Word does when the office edits the template: a sentence changed, and a new paragraph whose
    placeholders are cut into several runs with different formatting."""
    doc = Document(str(chemin))
    for p in doc.paragraphs:
        if p.text.startswith("La présente attestation"):
            for run in p.runs[1:]:
                run.text = ""
            p.runs[0].text = "Attestation remise en main propre au guichet du bureau."
    p = doc.add_paragraph()
    for morceau, gras in (("Classe : {", False), ("{ cla", True), ("sse }", False), ("} – candidat {{ numero", False),
                          ("_candidat }}.", True)):
        p.add_run(morceau).bold = gras
    doc.save(str(chemin))


def test_template_edited_in_word_is_used_by_the_next_letter(chef, candidature, modeles):
    courriers.produire(chef, candidature, "attestation_inscription.docx")
    _simuler_word(modeles / "attestation_inscription.docx")
    texte = lire(courriers.produire(chef, candidature, "attestation_inscription.docx").contenu)
    assert "Attestation remise en main propre au guichet du bureau." in texte
    assert "La présente attestation" not in texte
    ligne = next(x for x in texte.splitlines() if x.startswith("Classe : "))
    assert ligne.startswith("Classe : TBP 2 – candidat ") and ligne.endswith(".") and "{" not in ligne
    assert next(m for m in courriers.modeles(chef) if m.fichier == "attestation_inscription.docx").modifie

    # « Rétablir le modèle d'origine »: the shipped text comes back.
    courriers.retablir_modele(chef, "attestation_inscription.docx")
    texte = lire(courriers.produire(chef, candidature, "attestation_inscription.docx").contenu)
    assert "La présente attestation est délivrée" in texte and "Classe : TBP" not in texte
    assert not next(m for m in courriers.modeles(chef) if m.fichier == "attestation_inscription.docx").modifie
    with chef.lecture() as s:
        assert s.scalar(select(AuditEntry.libelle).where(AuditEntry.action == "retablissement")) == \
            "Modèle « Attestation d'inscription » rétabli tel que livré"


@pytest.mark.parametrize(("ajout", "signale"), [
    ("Votre dossier {{ nom_inconu }} est complet.", "« {{ nom_inconu }} » (champ inconnu, corps du courrier)"),
    ("Bonjour {{ nom", "« {{ nom » (accolades non fermées, corps du courrier)"),
    ("Pièce : {{ piece.libelle }}", "« {{ piece.libelle }} » (utilisable seulement dans une ligne de tableau"),
])
def test_unknown_or_broken_placeholders_are_reported_and_no_letter_is_produced(
        chef, candidature, modeles, ajout, signale):
    courriers.initialiser_modeles()
    chemin = modeles / "courrier_relance.docx"
    doc = Document(str(chemin))
    doc.add_paragraph(ajout)
    doc.sections[0].footer.add_paragraph("Code {{ code_inconnu }}")
    doc.save(str(chemin))
    problemes = [str(p) for p in courriers.verifier_modele(chef, "courrier_relance.docx")]
    assert any(p.startswith(signale) for p in problemes), problemes
    assert "« {{ code_inconnu }} » (champ inconnu, pied de page)" in problemes
    with pytest.raises(ModeleInvalide) as exc:
        courriers.produire(chef, candidature, "courrier_relance.docx")
    assert "aucun courrier n'a été produit" in exc.value.message and signale.split(" (")[0] in exc.value.message
    with chef.lecture() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "courrier")) is None


def test_shipped_templates_are_valid_and_copied_once(chef, modeles):
    assert not modeles.exists() or not any(modeles.iterdir())
    liste = courriers.modeles(chef)
    assert [(m.fichier, m.titre, m.livre, m.modifie) for m in liste] == [
        ("attestation_inscription.docx", "Attestation d'inscription", True, False),
        ("courrier_relance.docx", "Relance de pièces justificatives", True, False)]
    for m in liste:
        assert courriers.verifier_modele(chef, m.fichier) == []
        # The copy shipped as a resource is the one built in forms/.
        assert (RACINE / "forms" / m.fichier).read_bytes() == (paths.modeles_livres_dir() / m.fichier).read_bytes()
    # The office's own templates are listed too, and never overwritten.
    (modeles / "convocation_jury.docx").write_bytes((modeles / "courrier_relance.docx").read_bytes())
    (modeles / "courrier_relance.docx").write_bytes(b"modifie")
    courriers.initialiser_modeles()
    assert (modeles / "courrier_relance.docx").read_bytes() == b"modifie"
    assert [m.titre for m in courriers.modeles(chef)][-1] == "Convocation jury"
    with pytest.raises(DomainError, match="n'est pas un document Word"):
        courriers.verifier_modele(chef, "courrier_relance.docx")
    with pytest.raises(DomainError, match="pas un modèle livré"):
        courriers.retablir_modele(chef, "convocation_jury.docx")


def test_readme_documents_every_field_and_permissions(accueil, modeles):
    readme = (RACINE / "forms" / "README.md").read_text(encoding="utf-8")
    for champ in list(courriers.CHAMPS) + [f"piece.{c}" for c in courriers.CHAMPS_PIECE]:
        assert f"`{{{{ {champ} }}}}`" in readme, champ
    with pytest.raises(PermissionDenied):
        courriers.retablir_modele(accueil, "courrier_relance.docx")


def test_no_attestation_for_a_candidature_no_longer_active(gestionnaire, candidature, modeles):
    with gestionnaire.transaction() as s:
        s.get(Candidature, candidature).etat = "annulee"
    with pytest.raises(DomainError, match="plus active .*Annulée.*attestation d'inscription ne peut pas"):
        courriers.produire(gestionnaire, candidature, "attestation_inscription.docx")
    assert courriers.produire(gestionnaire, candidature, "courrier_relance.docx").contenu
