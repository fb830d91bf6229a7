"""The published récapitulatif of the CYCLADES guide's example (tests/fabriques.py), read back with
pypdf, unit by unit (docs/domaine/documents.md#recapitulatif)."""

from __future__ import annotations

import io
import re

import pypdf

from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.publications import documents as publications
from tests.fabriques import compte_actif, saisie_seed, session_id

CCF = "Contrôle en cours de formation"
# The guide's printed example: code, unit, position, mode ("" = blank), in order.
SEED = [
    ("E1", "", "Inscrit", ""), ("E1-A", "U11", "Inscrit", CCF), ("E1-B", "U12", "Inscrit", CCF),
    ("E2", "U2", "Inscrit", "Ponctuel"), ("E3", "", "Inscrit", ""),
    ("E3-A", "U31", "Inscrit", CCF), ("E3-B", "U32", "Inscrit", CCF), ("E3-C", "U33", "Inscrit", CCF),
    ("E3-D", "U34", "Inscrit", CCF), ("E3-E", "U35", "Inscrit", "Ponctuel"), ("E3-F", "U36", "Inscrit", "Ponctuel"),
    ("E4", "U4", "Dispense", ""), ("E4-A", "", "Dispense", ""), ("E4-B", "", "Dispense", ""),
    ("E5", "", "Dispense", ""), ("E5-A", "U51", "Dispense", ""), ("E5-B", "U52", "Dispense", ""),
    ("E6", "U6", "Dispense", ""), ("E7", "U7", "Dispense", ""),
    ("EC1", "CO1", "Inscrit", CCF), ("EC1A", "", "Inscrit", CCF), ("EC1B", "", "Inscrit", CCF),
    ("EC1BA", "", "Inscrit", CCF), ("EC1BB", "", "Inscrit", CCF),
    ("EF1", "UF1", "Inscrit", "Ponctuel"), ("EF2", "UF2", "Inscrit", CCF),
]


def texte_publie(ctx, candidature_id: int) -> str:
    doc = publications.documents(ctx, candidature_id)[0]
    _, pdf = publications.contenu(ctx, doc.derniere.id)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    brut = "\n".join(p.extract_text() for p in reader.pages)
    # Page footers and repeated table headers sit between rows: drop them before reading rows.
    brut = re.sub(r"N° candidat \d+ – Inscription n° \d+ – Version \d+\s*Page \d+/\d+", " ", brut)
    brut = brut.replace("Épreuve\nUnité\nPosition\nMode d'évaluation", " ")
    return " ".join(brut.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_seed_example_recapitulatif_lists_the_seed_units_positions_and_modes(accueil):
    cid = compte_actif(accueil)
    r = inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP"),
                                 saisie_seed())
    texte = texte_publie(accueil, r.candidature_id)
    for attendu in ("Version : 1 du 10/11/2024 à 11:00", f"N° candidat : {r.numero_candidat}",
                    "Inscription n° : 001", "Session : 2025", "MADAME NGMB-DUPONT Ngmb-Jeanne",
                    "Né(e) le : 06/05/2005", "A : BUGARACH - 011", "Tél. mobile : 01 23 45 67 89",
                    "Catégorie du Candidat : SCOLAIRE BACPRO 1 AN (133)",
                    "Etablissement : CFA CEVEDOM CAYENNE - CAYENNE CEDEX 2 (9730538X)",
                    "fixée le mardi 3 décembre 2024 à 17:00", "Spécialité : Aéronautique option Systèmes (25303)",
                    "Titre ou diplôme : BTS DUT DEUG LICENCE", "Toutes spécialités (00002)",
                    "Année : 2022 - Académie : Aix-Marseille", "CERTIFIE EXACT", "corrigez-les en ROUGE"):
        assert attendu in texte, attendu
    starts = []
    pos = 0
    for code, *_ in SEED:
        pos = texte.index(f"{code} - ", pos)
        starts.append(pos)
        pos += 1
    starts.append(len(texte))
    for (code, unite, position, mode), debut, fin in zip(SEED, starts, starts[1:], strict=False):
        ligne = texte[debut:fin]
        reste = ligne
        for attendu in (unite, position, mode):
            if attendu:
                assert attendu in reste, f"{code}: {attendu!r} absent de {ligne!r}"
                reste = reste[reste.index(attendu) + len(attendu):]
        if not mode:
            assert "Ponctuel" not in ligne and CCF not in ligne, ligne
    assert "EF1 - Langue vivante facultative" in texte and "- Anglais" in texte and "- Lettonie" in texte
    assert "représentant légal" not in texte       # she is 19 on the day of printing


def test_a_minor_must_have_the_legal_representative_sign(accueil):
    cid = compte_actif(accueil, email="mineur@exemple.fr", naissance="12/03/2008", nom="Petit", prenoms="Léa")
    r = inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP"),
                                 saisie_seed())
    texte = texte_publie(accueil, r.candidature_id)
    assert "représentant légal" in texte and "MADAME PETIT Léa" in texte
