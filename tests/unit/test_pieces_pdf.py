"""« Demande » and « Relance de pièces justificatives » PDFs (docs/domaine/documents.md#demande-pieces),
read back with pypdf.

Extracted text is compared after :func:`normaliser_texte` (U+00A0 → space) and, where a value may
wrap, after collapsing whitespace."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from cyclades_desktop.documents import pdf
from cyclades_desktop.documents.donnees import DonneesPieces, EnTeteBureau, GroupePiecesImprime, PieceImprimee
from cyclades_desktop.documents.pieces import (
    ANNULATION_DEMANDE,
    ANNULATION_RELANCE,
    COLONNES_GROUPE,
    INTRO_DEMANDE,
    INTRO_RELANCE,
    PADDING_CELLULE,
    TEXTE_EN_LIGNE,
    TEXTE_NUMERO_AU_DOS,
    TEXTE_POSTE,
    rendre_demande_pieces,
    rendre_pieces,
    rendre_relance_pieces,
)

BUREAU = EnTeteBureau(
    lignes=("RECTORAT DE L'ACADEMIE D'AIX-MARSEILLE", "DIVISION DES EXAMENS ET CONCOURS", "DIEC 3",
            "PLACE LUCIEN PAYE", "13621 AIX-EN-PROVENCE CEDEX 1"),
    telephone="04 42 91 71 71",
    email="ce.diec@ac-aix-marseille.fr",
    academie="Académie d'Aix-Marseille",
)
ADRESSE_RETOUR = ("RECTORAT DE L'ACADEMIE D'AIX-MARSEILLE", "DIEC 3 - Pièces justificatives",
                  "PLACE LUCIEN PAYE", "13621 AIX-EN-PROVENCE CEDEX 1")
FORMATS = "PDF, JPEG ou PNG, 5 Mo au maximum par fichier"
TITRE_EN_LIGNE = ("A déposer en ligne entre le lundi 4 novembre 2024 et le mardi 10 décembre 2024 17:00 "
                  "(heure/Paris)")
TITRE_POSTE = "A envoyer par voie postale au plus tard le mardi 10 décembre 2024 23:59 (heure/Paris)"

CONFIRMATION = PieceImprimee(
    "CONFIRMATION",
    "Confirmation d'inscription (récapitulatif de candidature) vérifiée, datée et signée (et signée par le "
    "représentant légal si le candidat est mineur) ; corrections éventuelles au stylo rouge",
)
IDENTITE = PieceImprimee("IDENTITE", "Document justifiant l'identité")
R408 = PieceImprimee("R408", "Attestation de formation en milieu professionnel (article R.408)")

EN_LIGNE = GroupePiecesImprime(TITRE_EN_LIGNE, True, (CONFIRMATION, IDENTITE))
POSTE = GroupePiecesImprime(TITRE_POSTE, False, (R408,))


def exemple(**changes) -> DonneesPieces:
    d = DonneesPieces(
        relance=False,
        domaine="Baccalauréat professionnel",
        specialite="Aéronautique option Systèmes (25303)",
        version=2,
        version_le=datetime(2024, 11, 4, 8, 37, tzinfo=UTC),
        numero_candidat="01948418953",
        numero_inscription="005",
        session="2025",
        bureau=BUREAU,
        civilite="MADAME",
        nom="NGMB-DUPONT",
        prenoms="Ngmb-Jeanne",
        adresse=("12 rue des Lilas", "13100 AIX-EN-PROVENCE"),
        groupes=(EN_LIGNE, POSTE),
        adresse_retour=ADRESSE_RETOUR,
        formats=FORMATS,
    )
    return dataclasses.replace(d, **changes)


NON_CONFORME = dataclasses.replace(CONFIRMATION, statut="Non conforme",
                                   commentaire="Document non signé par le représentant légal")
NOUVELLE_PJ = dataclasses.replace(R408, statut="En attente d'une nouvelle PJ",
                                  commentaire="Document illisible")


def exemple_relance(**changes) -> DonneesPieces:
    groupes = (GroupePiecesImprime(TITRE_EN_LIGNE, True, (NON_CONFORME,)),
               GroupePiecesImprime(TITRE_POSTE, False, (NOUVELLE_PJ,)))
    return exemple(**{"relance": True, "groupes": groupes, **changes})


def pages(data: bytes) -> list[str]:
    return [pdf.normaliser_texte(p.extract_text()) for p in PdfReader(BytesIO(data)).pages]


def texte(data: bytes) -> str:
    return "\n".join(pages(data))


def aplati(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def demande_pdf() -> bytes:
    return rendre_demande_pieces(exemple())


@pytest.fixture(scope="module")
def demande(demande_pdf: bytes) -> str:
    return aplati(texte(demande_pdf))


@pytest.fixture(scope="module")
def relance_pdf() -> bytes:
    return rendre_relance_pieces(exemple_relance())


@pytest.fixture(scope="module")
def relance(relance_pdf: bytes) -> str:
    return aplati(texte(relance_pdf))


def test_pdf_valide_a4_une_page(demande_pdf, relance_pdf):
    for data in (demande_pdf, relance_pdf):
        assert data.startswith(b"%PDF-")
        lecteur = PdfReader(BytesIO(data))
        assert len(lecteur.pages) == 1
        assert [round(float(v)) for v in lecteur.pages[0].mediabox] == [0, 0, 595, 842]


def test_metadonnees(demande_pdf, relance_pdf):
    meta = PdfReader(BytesIO(demande_pdf)).metadata
    assert meta.title == "Demande de pièces justificatives N° 01948418953"
    assert meta.author == "Académie d'Aix-Marseille"
    assert PdfReader(BytesIO(relance_pdf)).metadata.title == "Relance de pièces justificatives N° 01948418953"


@pytest.mark.parametrize("attendu", [
    "Demande de pièces justificatives",
    "BACCALAURÉAT PROFESSIONNEL",
    "Aéronautique option Systèmes (25303)",
    "Version : 2 du 04/11/2024 à 09:37",
    "N° candidat : 01948418953",
    "Inscription n° : 005",
    "Session : 2025",
    "RECTORAT DE L'ACADEMIE D'AIX-MARSEILLE",
    "Tél : 04 42 91 71 71",
    "Mèl : ce.diec@ac-aix-marseille.fr",
    "MADAME NGMB-DUPONT Ngmb-Jeanne",
    "12 rue des Lilas",
    "13100 AIX-EN-PROVENCE",
    f"{INTRO_DEMANDE} {ANNULATION_DEMANDE}",
    TITRE_EN_LIGNE,
    TITRE_POSTE,
    f"CONFIRMATION : {CONFIRMATION.libelle}",
    "IDENTITE : Document justifiant l'identité",
    "R408 : Attestation de formation en milieu professionnel (article R.408)",
    TEXTE_EN_LIGNE,
    f"Formats acceptés : {FORMATS}",
    TEXTE_POSTE,
    " ".join(ADRESSE_RETOUR),
    TEXTE_NUMERO_AU_DOS,
])
def test_demande_texte_imprime(demande, attendu):
    assert attendu in demande


def test_demande_textes_des_notices(demande):
    assert ("Pour étudier la recevabilité de votre candidature, vous devez fournir les pièces justificatives "
            "ci-dessous, dans les délais indiqués (heure de Paris). Sans la confirmation d'inscription "
            "signée dans le délai, votre candidature sera annulée.") in demande
    assert ("Déposez chaque pièce dans « Mes justificatifs », puis cliquez sur « J'ai fourni toutes mes "
            "pièces » : vos pièces ne pourront plus être modifiées et pourront être étudiées.") in demande
    assert ("A envoyer par voie postale à l'adresse suivante (le cachet de la poste faisant foi) : "
            "RECTORAT DE L'ACADEMIE D'AIX-MARSEILLE") in demande
    assert "Indiquez votre N° candidat au dos de chaque pièce." in demande


def test_demande_ordre_des_blocs(demande):
    reperes = [
        "Demande de pièces justificatives", "Version : 2", "RECTORAT DE L'ACADEMIE", "MADAME NGMB-DUPONT",
        "Pour étudier la recevabilité", TITRE_EN_LIGNE, "CONFIRMATION : ", "IDENTITE : ",
        "Déposez chaque pièce",
        "Formats acceptés", TITRE_POSTE, "R408 : ", "A envoyer par voie postale à l'adresse suivante",
        "DIEC 3 - Pièces justificatives", "Indiquez votre N° candidat",
    ]
    positions = [demande.index(r) for r in reperes]
    assert positions == sorted(positions)


def test_demande_sans_relance(demande):
    assert "Relance" not in demande and "Statut" not in demande and "Motif" not in demande
    assert "incomplet" not in demande and ANNULATION_RELANCE not in demande


def test_demande_n_imprime_ni_statut_ni_commentaire():
    t = aplati(texte(rendre_demande_pieces(exemple_relance(relance=False))))
    assert "Demande de pièces justificatives" in t
    assert "Non conforme" not in t and "Motif" not in t and "Document illisible" not in t


def test_chaque_piece_sur_sa_ligne(demande_pdf):
    lignes = [aplati(x) for x in texte(demande_pdf).splitlines()]
    assert "IDENTITE : Document justifiant l'identité" in lignes
    assert "R408 : Attestation de formation en milieu professionnel (article R.408)" in lignes


def test_pied_de_page(demande_pdf):
    page = pages(demande_pdf)[0]
    assert "N° candidat 01948418953 – Inscription n° 005 – Version 2" in page
    assert "Page 1/1" in page


@pytest.mark.parametrize("attendu", [
    "Relance de pièces justificatives",
    "BACCALAURÉAT PROFESSIONNEL",
    "N° candidat : 01948418953",
    "MADAME NGMB-DUPONT Ngmb-Jeanne",
    INTRO_RELANCE,
    TITRE_EN_LIGNE,
    f"CONFIRMATION : {CONFIRMATION.libelle} Statut : Non conforme Motif : Document non signé par le "
    "représentant légal",
    "R408 : Attestation de formation en milieu professionnel (article R.408) Statut : En attente d'une "
    "nouvelle PJ Motif : Document illisible",
    TITRE_POSTE,
    " ".join(ADRESSE_RETOUR),
    TEXTE_EN_LIGNE,
    ANNULATION_RELANCE,
])
def test_relance_texte_imprime(relance, attendu):
    assert attendu in relance


def test_relance_textes_des_notices(relance):
    assert ("Votre dossier de candidature est incomplet. Les pièces suivantes sont manquantes ou doivent "
            "être fournies à nouveau :") in relance
    assert relance.index(INTRO_RELANCE) < relance.index(TITRE_EN_LIGNE)
    assert relance.rindex(TITRE_POSTE) < relance.index("Sans réponse de votre part dans les délais, votre "
                                                       "candidature pourra être annulée.")


def test_relance_seulement_les_pieces_donnees(relance):
    assert "IDENTITE" not in relance and "justifiant l'identité" not in relance
    assert "Demande de pièces" not in relance and "Pour étudier la recevabilité" not in relance
    assert relance.count("Statut :") == 2 and relance.count("Motif :") == 2


def test_relance_motif_en_italique(relance_pdf):
    italiques = [m for m in _morceaux(relance_pdf) if m[4] == pdf.POLICE_ITALIQUE]
    assert any("Document illisible" in m[2] for m in italiques)
    assert any("Document non signé" in m[2] for m in italiques)


def test_relance_sans_statut_ni_commentaire():
    groupes = (GroupePiecesImprime(TITRE_EN_LIGNE, True, (IDENTITE,)),)
    t = aplati(texte(rendre_relance_pieces(exemple(groupes=groupes))))
    assert "IDENTITE : Document justifiant l'identité" in t
    assert "Statut" not in t and "Motif" not in t
    assert "Relance de pièces justificatives" in t


def test_groupe_en_ligne_sans_adresse_postale():
    groupes = (GroupePiecesImprime(TITRE_EN_LIGNE, True, (IDENTITE,)),)
    t = aplati(texte(rendre_demande_pieces(exemple(groupes=groupes))))
    assert TEXTE_EN_LIGNE in t and FORMATS in t
    assert "voie postale" not in t and "DIEC 3 - Pièces" not in t and TEXTE_NUMERO_AU_DOS not in t


def test_groupe_postal_sans_formats():
    groupes = (GroupePiecesImprime(TITRE_POSTE, False, (R408,)),)
    t = aplati(texte(rendre_demande_pieces(exemple(groupes=groupes))))
    assert TEXTE_POSTE in t and " ".join(ADRESSE_RETOUR) in t
    assert "Formats acceptés" not in t and "Mes justificatifs" not in t


def test_aucune_piece():
    t = aplati(texte(rendre_demande_pieces(exemple(groupes=(GroupePiecesImprime(TITRE_POSTE, False, ()),)))))
    assert "Aucune pièce justificative à fournir." in t
    assert TITRE_POSTE not in t


def test_rendre_pieces_suit_le_drapeau():
    assert "Relance de pièces justificatives" in texte(rendre_pieces(exemple_relance()))
    assert "Demande de pièces justificatives" in texte(rendre_pieces(exemple()))
    assert "Demande de pièces justificatives" in texte(rendre_demande_pieces(exemple_relance()))


def test_memes_donnees_memes_octets(demande_pdf):
    assert rendre_demande_pieces(exemple()) == demande_pdf


def _morceaux(data: bytes) -> list[tuple[float, float, str, float, str, int]]:
    """(x, y, text, font size, font name, page) of every text run, in page coordinates."""
    morceaux: list[tuple[float, float, str, float, str, int]] = []
    for numero, page in enumerate(PdfReader(BytesIO(data)).pages):
        def visiteur(text, cm, tm, police, taille, numero=numero):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                nom = re.sub(r"^/?([A-Z]{6}\+)?", "", str(police["/BaseFont"]))
                morceaux.append((x, y, text.strip(), taille * (tm[0] ** 2 + tm[1] ** 2) ** 0.5, nom, numero))

        page.extract_text(visitor_text=visiteur)
    return morceaux


def test_libelle_long_renvoye_a_la_ligne():
    long = ("Attestation " + "très longue intitulée pour vérifier le retour à la ligne " * 6)[:300]
    assert len(long) == 300
    groupes = (GroupePiecesImprime(TITRE_EN_LIGNE, True, (PieceImprimee("LONGUE", long), IDENTITE)),)
    data = rendre_demande_pieces(exemple(groupes=groupes))
    t = aplati(texte(data))
    assert aplati(f"LONGUE : {long}") in t
    assert t.index("LONGUE : ") < t.index("IDENTITE : ")
    fin_colonne = pdf.MARGE + sum(COLONNES_GROUPE) - PADDING_CELLULE
    morceaux = [m for m in _morceaux(data) if "très longue" in m[2] or "retour à la" in m[2]]
    assert len({round(y) for _, y, *_ in morceaux}) >= 3, "le libellé doit occuper plusieurs lignes"
    for x, _, run, taille, police, _ in morceaux:
        assert x + pdf.largeur_texte(run, police, taille) <= fin_colonne + 0.01, run


def test_trente_pieces_sur_deux_pages():
    pieces = tuple(PieceImprimee(f"P{i:02d}", f"Pièce justificative numéro {i}") for i in range(30))
    groupes = (GroupePiecesImprime(TITRE_EN_LIGNE, True, pieces[:20]),
               GroupePiecesImprime(TITRE_POSTE, False, pieces[20:]))
    data = rendre_demande_pieces(exemple(groupes=groupes))
    textes = [aplati(p) for p in pages(data)]
    assert len(textes) == 2
    assert "P00 : " in textes[0] and "P29 : " in textes[1]
    tout = " ".join(textes)
    positions = [tout.index(f"P{i:02d} : Pièce justificative numéro {i} ") for i in range(30)]
    assert positions == sorted(positions)
    for numero, page in enumerate(textes, start=1):
        assert f"Page {numero}/2" in page
        assert "N° candidat 01948418953 – Inscription n° 005 – Version 2" in page
    assert " ".join(ADRESSE_RETOUR) in textes[1]


def test_groupe_continue_sous_son_titre_repete():
    pieces = tuple(PieceImprimee(f"P{i:02d}", f"Pièce justificative numéro {i}") for i in range(40))
    data = rendre_demande_pieces(exemple(groupes=(GroupePiecesImprime(TITRE_EN_LIGNE, True, pieces),)))
    textes = [aplati(p) for p in pages(data)]
    assert len(textes) == 2
    suite = re.search(r"P\d\d : ", textes[1])
    assert suite and 0 <= textes[1].index(TITRE_EN_LIGNE) < suite.start()


def test_rien_ne_deborde_de_la_page(demande_pdf, relance_pdf):
    droite = pdf.PAGE[0] - pdf.MARGE
    for data in (demande_pdf, relance_pdf):
        morceaux = _morceaux(data)
        assert len(morceaux) > 30
        for x, _, run, taille, police, _ in morceaux:
            assert x >= pdf.MARGE - 0.01, run
            assert x + pdf.largeur_texte(run, police, taille) <= droite + 0.01, run


def test_caracteres_speciaux_echappes():
    piece = PieceImprimee("A&B", "Attestation <annexe> & copie " + "x" * 200, "Non conforme",
                          "Motif <illisible> & flou")
    groupes = (GroupePiecesImprime(TITRE_EN_LIGNE, True, (piece,)),)
    t = aplati(texte(rendre_relance_pieces(exemple(groupes=groupes, nom="D'ARTAGNAN"))))
    assert "A&B : Attestation <annexe> & copie " in t
    assert "Motif : Motif <illisible> & flou" in t
    assert "MADAME D'ARTAGNAN Ngmb-Jeanne" in t


def _polices(data: bytes) -> list:
    polices = []
    for page in PdfReader(BytesIO(data)).pages:
        ressources = page["/Resources"].get_object()
        for ref in ressources["/Font"].get_object().values():
            polices.append(ref.get_object())
    return polices


def test_polices_incorporees(demande_pdf, relance_pdf):
    for data in (demande_pdf, relance_pdf):
        polices = _polices(data)
        assert polices
        for police in polices:
            assert "Helvetica" not in str(police["/BaseFont"])
            assert "DejaVuSans" in str(police["/BaseFont"])
            assert "/FontFile2" in police["/FontDescriptor"].get_object()
    noms = {re.sub(r"^/?([A-Z]{6}\+)?", "", str(p["/BaseFont"])) for p in _polices(relance_pdf)}
    assert {pdf.POLICE, pdf.POLICE_GRAS, pdf.POLICE_ITALIQUE} <= noms


def test_sans_qt_ni_sqlalchemy():
    code = (
        "import sys; import cyclades_desktop.documents.pieces; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))"
    )
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.strip() == "[]"
