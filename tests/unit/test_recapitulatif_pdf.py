"""The « Récapitulatif de votre candidature » PDF (docs/domaine/documents.md#recapitulatif), read back
with pypdf.

Extracted text is compared after :func:`normaliser_texte` (U+00A0 → space) and, where a value may
wrap, after collapsing whitespace."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.platypus import Paragraph

from cyclades_desktop.documents import pdf
from cyclades_desktop.documents.donnees import (
    AcquisImprime,
    DonneesRecapitulatif,
    EnTeteBureau,
    LigneEpreuveImprimee,
)
from cyclades_desktop.documents.recapitulatif import COLONNES_EPREUVES, PADDING_CELLULE, rendre_recapitulatif
from cyclades_desktop.rules.temps import depuis_paris

CCF = "Contrôle en cours de formation"
PONCTUEL = "Ponctuel"


def ep(code: str, intitule: str, unite: str | None, niveau: int, position: str, mode: str | None,
       **kw: str) -> LigneEpreuveImprimee:
    return LigneEpreuveImprimee(code, intitule, unite, niveau, position, mode, **kw)


# The printed page of the CYCLADES guide's example, row by row.
OBLIGATOIRES = (
    ep("E1", "Epreuve scientifique", None, 0, "Inscrit", None),
    ep("E1-A", "Mathématiques", "U11", 1, "Inscrit", CCF),
    ep("E1-B", "Physique-Chimie", "U12", 1, "Inscrit", CCF),
    ep("E2", "Exploitation de la documentation technique", "U2", 0, "Inscrit", PONCTUEL),
    ep("E3", "Prise en compte de la formation en milieu professionnel", None, 0, "Inscrit", None),
    ep("E3-A", "Inspection et relation en entreprise", "U31", 1, "Inscrit", CCF),
    ep("E3-B", "Montage - démontage", "U32", 1, "Inscrit", CCF),
    ep("E3-C", "Essais, réglages et mise en oeuvre", "U33", 1, "Inscrit", CCF),
    ep("E3-D", "Réalisation et contrôle", "U34", 1, "Inscrit", CCF),
    ep("E3-E", "Economie et gestion", "U35", 1, "Inscrit", PONCTUEL),
    ep("E3-F", "Prévention, santé, environnement", "U36", 1, "Inscrit", PONCTUEL),
    ep("E4", "Langue vivante", "U4", 0, "Dispense", None),
    ep("E4-A", "Langue vivante A : écrite", None, 1, "Dispense", None),
    ep("E4-B", "Langue vivante A : orale", None, 1, "Dispense", None),
    ep("E5", "Français, histoire-géographie, enseignement moral et civique", None, 0, "Dispense", None),
    ep("E5-A", "Français", "U51", 1, "Dispense", None),
    ep("E5-B", "Histoire-géographie et enseignement moral et civique", "U52", 1, "Dispense", None),
    ep("E6", "Arts appliqués et culture artistique", "U6", 0, "Dispense", None),
    ep("E7", "Education physique et sportive", "U7", 0, "Dispense", None),
    ep("EC1", "Chef d'oeuvre", "CO1", 0, "Inscrit", CCF),
    ep("EC1A", "Chef d'oeuvre : présentation orale", None, 1, "Inscrit", CCF),
    ep("EC1B", "Chef d'oeuvre : note du livret", None, 1, "Inscrit", CCF),
    ep("EC1BA", "Chef d'oeuvre, note de la scolarité 1ère", None, 2, "Inscrit", CCF),
    ep("EC1BB", "Chef d'oeuvre, note de la scolarité terminale", None, 2, "Inscrit", CCF),
)
FACULTATIVES = (
    ep("EF1", "Langue vivante facultative", "UF1", 0, "Inscrit", PONCTUEL, detail="Anglais"),
    ep("EF2", "Epreuve de mobilité", "UF2", 0, "Inscrit", CCF, detail="Lettonie"),
)

BUREAU = EnTeteBureau(
    lignes=("RECTORAT DE GUYANE", "DIVISIONS EXAMENS ET CONCOURS", "DEC 2", "PLACE LEOPOLD HEDER BP 6011",
            "97306 CAYENNE CEDEX"),
    telephone="05 94 27 22 43",
    email="dec.exapro@ac-guyane.fr",
    academie="Académie de la Guyane",
)


def exemple(**changes) -> DonneesRecapitulatif:
    d = DonneesRecapitulatif(
        domaine="Baccalauréat professionnel",
        version=1,
        version_le=datetime(2023, 12, 11, 15, 6, tzinfo=UTC),
        numero_candidat="01948418953",
        numero_inscription="005",
        session="2024",
        bureau=BUREAU,
        civilite="MADAME",
        nom="NGMB-DUPONT",
        prenoms="Ngmb-Jeanne",
        adresse=("reu", "97300 CAYENNE"),
        nom_usage=None,
        nationalite="Français",
        date_naissance=date(2005, 5, 6),
        lieu_naissance="BUGARACH - 011",
        telephone_mobile="01 23 45 67 89",
        telephone_fixe=None,
        email="1948418953@mail.fr",
        vae=False,
        ine="088553495DY",
        etablissement="CFA CEVEDOM CAYENNE - CAYENNE CEDEX 2 (9730538X)",
        categorie="SCOLAIRE BACPRO 1 AN (133)",
        handicap=False,
        cloture=depuis_paris(datetime(2023, 12, 13, 23, 59)),
        specialite="Aéronautique option Systèmes (25303)",
        forme_passage="Globale",
        forme_finale=None,
        section_langue=None,
        acquis=(AcquisImprime("BTS DUT DEUG LICENCE", "Toutes spécialités (00002)", 2022, "Aix-Marseille"),),
        epreuves_obligatoires=OBLIGATOIRES,
        epreuves_facultatives=FACULTATIVES,
        consentement_presse=False,
        consentement_collectivites=False,
        mineur=False,
    )
    return dataclasses.replace(d, **changes)


def pages(data: bytes) -> list[str]:
    return [pdf.normaliser_texte(p.extract_text()) for p in PdfReader(BytesIO(data)).pages]


def texte(data: bytes) -> str:
    return "\n".join(pages(data))


def aplati(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def seed_pdf() -> bytes:
    return rendre_recapitulatif(exemple())


@pytest.fixture(scope="module")
def seed_texte(seed_pdf: bytes) -> str:
    return texte(seed_pdf)


def test_pdf_valide_a4_deux_pages(seed_pdf):
    assert seed_pdf.startswith(b"%PDF-")
    lecteur = PdfReader(BytesIO(seed_pdf))
    assert len(lecteur.pages) == 2
    for page in lecteur.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]


def test_metadonnees(seed_pdf):
    meta = PdfReader(BytesIO(seed_pdf)).metadata
    assert meta.title == "Récapitulatif de candidature N° 01948418953"
    assert meta.author == "Académie de la Guyane"


@pytest.mark.parametrize("attendu", [
    "Récapitulatif de votre candidature",
    "BACCALAURÉAT PROFESSIONNEL",
    "Version : 1 du 11/12/2023 à 16:06",
    "N° candidat : 01948418953",
    "Inscription n° : 005",
    "Session : 2024",
    "RECTORAT DE GUYANE",
    "DIVISIONS EXAMENS ET CONCOURS",
    "PLACE LEOPOLD HEDER BP 6011",
    "97306 CAYENNE CEDEX",
    "Tél : 05 94 27 22 43",
    "Mèl : dec.exapro@ac-guyane.fr",
    "MADAME NGMB-DUPONT Ngmb-Jeanne",
    "reu",
    "97300 CAYENNE",
    "Nom d'usage :",
    "Nationalité : Français",
    "Né(e) le : 06/05/2005",
    "A : BUGARACH - 011",
    "Tél : Tél. mobile : 01 23 45 67 89",
    "Mèl : 1948418953@mail.fr",
    "VAE : NON",
    "Identifiant National (INE) : 088553495DY",
    "Etablissement : CFA CEVEDOM CAYENNE - CAYENNE CEDEX 2 (9730538X)",
    "Catégorie du Candidat : SCOLAIRE BACPRO 1 AN (133)",
    "Aménagement d'épreuve demandé au titre du handicap : NON",
    "Vous pouvez modifier votre candidature avant la fermeture du service inscription fixée le "
    "mercredi 13 décembre 2023 à 23:59.",
    "Spécialité : Aéronautique option Systèmes (25303)",
    "Forme de passage : Globale",
    "DECLARATION des ACQUIS",
    "Titre ou diplôme : BTS DUT DEUG LICENCE",
    "Spécialité : Toutes spécialités (00002)",
    "Année : 2022 - Académie : Aix-Marseille",
    "EPREUVES OBLIGATOIRES",
    "EPREUVE(S) FACULTATIVE(S)",
    "- Anglais",
    "- Lettonie",
    "Pour information, si vous êtes admis à l'examen, votre résultat sera transmis à la Caisse des Dépôts "
    "afin d'alimenter votre compte personnel de formation.",
    "loi informatique et libertés",
    "vous opposer au traitement des données vous concernant.",
    "CERTIFIE EXACT,",
    "Si les renseignements contenus dans ce document sont incorrects ou incomplets, corrigez-les en ROUGE.",
    "Le jour de l'examen, une pièce d'identité avec photographie vous sera demandée.",
])
def test_texte_imprime(seed_texte, attendu):
    assert attendu in aplati(seed_texte)


def test_ordre_des_blocs(seed_texte):
    t = aplati(seed_texte)
    reperes = [
        "Récapitulatif de votre candidature", "Version : 1 du", "RECTORAT DE GUYANE",
        "MADAME NGMB-DUPONT", "Nom d'usage", "Aménagement d'épreuve demandé", "IMPORTANT :",
        "Vous pouvez modifier", "Spécialité : Aéronautique", "DECLARATION des ACQUIS",
        "EPREUVES OBLIGATOIRES", "EPREUVE(S) FACULTATIVE(S)", "Attention à bien vérifier",
        "Pour information", "loi informatique", "CERTIFIE EXACT", "corrigez-les en ROUGE",
        "pièce d'identité",
    ]
    positions = [t.index(r) for r in reperes]
    assert positions == sorted(positions)


def test_important_avec_guillemets_francais(seed_texte):
    t = aplati(seed_texte)
    assert ("IMPORTANT : Pour étudier la recevabilité de votre candidature, vous devez fournir des pièces "
            "justificatives") in t
    assert "rubrique « Mes justificatifs »" in t
    assert "Ce document « Récapitulatif de votre candidature » signé fait partie des pièces justificatives." in t


def test_typographie_francaise():
    assert pdf.typo("Version : 1 du 11/12/2023 à 16:06") == "Version\u00a0: 1 du 11/12/2023 à 16:06"
    assert pdf.typo("rubrique « Mes justificatifs ».") == "rubrique «\u00a0Mes justificatifs\u00a0»."
    assert pdf.typo("Attention ; vraiment ? oui !") == "Attention\u00a0; vraiment\u00a0? oui\u00a0!"
    assert pdf.typo("23:59 https://x.fr/a?b=1") == "23:59 https://x.fr/a?b=1"
    assert pdf.normaliser_texte("a\u00a0: b\u202f;") == "a : b ;"


def test_deux_points_jamais_en_debut_de_ligne():
    # reportlab breaks lines on U+0020 and U+202F but not on U+00A0.
    for largeur in range(60, 200, 3):
        paragraphe = Paragraph(pdf.echapper("mot " * 9 + "libellé : valeur ; suite"), pdf.styles().corps)
        paragraphe.wrap(largeur, 1000)
        for _, mots in paragraphe.blPara.lines:
            assert mots[0][0] not in ":;", (largeur, mots)


def test_meme_donnees_memes_octets(seed_pdf):
    assert rendre_recapitulatif(exemple()) == seed_pdf
    assert rendre_recapitulatif(exemple(), compression=False) != seed_pdf


# Rows whose first cell wraps in the CYCLADES guide's example layout: their cells follow one another in
# the extracted text, on several lines; every other row comes back as one line.
SUR_PLUSIEURS_LIGNES = {"E3", "E5", "E5-B", "EC1BB"}


def _ligne_epreuve(e: LigneEpreuveImprimee) -> str:
    points = "." * (e.niveau + 3) + " " if e.niveau else ""
    cellules = [f"{points}{e.code} - {e.intitule}", e.unite or "", e.position, e.mode or ""]
    return " ".join(c for c in cellules if c)


@pytest.mark.parametrize("ligne", OBLIGATOIRES + FACULTATIVES, ids=lambda e: e.code)
def test_ligne_epreuve(seed_texte, ligne):
    attendu = _ligne_epreuve(ligne)
    assert f" {attendu} " in f" {aplati(seed_texte)} "
    if ligne.code not in SUR_PLUSIEURS_LIGNES:
        assert attendu in [aplati(x) for x in seed_texte.splitlines()]


def test_epreuves_dans_l_ordre(seed_texte):
    t = aplati(seed_texte)
    positions = [t.index(_ligne_epreuve(e)) for e in OBLIGATOIRES + FACULTATIVES]
    assert positions == sorted(positions)
    assert f"{_ligne_epreuve(FACULTATIVES[0])} - Anglais {_ligne_epreuve(FACULTATIVES[1])} - Lettonie" in t


def test_entete_du_tableau_repete(seed_pdf):
    premiere, seconde = (aplati(p) for p in pages(seed_pdf))
    entete = "Épreuve Unité Position Mode d'évaluation"
    # Obligatoires start on page 1 and go on on page 2 under a repeated heading row; facultatives follow.
    assert premiere.count(entete) == 1 and premiere.index("EPREUVES OBLIGATOIRES") < premiere.index(entete)
    assert seconde.count(entete) == 2
    suite = re.search(r"\bE[C\d][\w-]* - ", seconde)
    assert suite and seconde.index(entete) < suite.start() < seconde.index("EPREUVE(S) FACULTATIVE(S)")


def test_consentements(seed_texte):
    t = aplati(seed_texte)
    assert ("Attention à bien vérifier votre choix ci-dessous : J'accepte la communication de mes résultats "
            "d'examen, en vue d'une publication par la presse ou sur les sites internet de sociétés de droit "
            "privé : (OUI ou NON) : NON") in t
    assert ("Attention à bien vérifier votre choix ci-dessous : J'accepte la communication de mes résultats, "
            "de mon nom et de mon adresse aux collectivités territoriales en vue d'éventuelles félicitations : "
            "(OUI ou NON) : NON") in t


def test_consentements_oui():
    t = aplati(texte(rendre_recapitulatif(exemple(consentement_presse=True, consentement_collectivites=True))))
    assert "sociétés de droit privé : (OUI ou NON) : OUI" in t
    assert "éventuelles félicitations : (OUI ou NON) : OUI" in t


def test_pied_de_page_sur_chaque_page(seed_pdf):
    textes = pages(seed_pdf)
    for numero, page in enumerate(textes, start=1):
        assert "N° candidat 01948418953 – Inscription n° 005 – Version 1" in page
        assert f"Page {numero}/{len(textes)}" in page


def test_majeur_une_seule_signature(seed_texte):
    t = aplati(seed_texte)
    assert "représentant légal" not in t
    assert t.count("Signature du candidat") == 1


def test_mineur_deux_signatures():
    t = aplati(texte(rendre_recapitulatif(exemple(mineur=True))))
    assert "Signature du candidat et du représentant légal (candidat mineur)" in t
    assert "Signature du représentant légal" in t
    assert t.count("Signature du candidat") == 2


def test_brouillon_filigrane_et_mention():
    data = rendre_recapitulatif(exemple(brouillon=True))
    textes = pages(data)
    assert "Version : 1 du 11/12/2023 à 16:06 (projet non enregistré)" in aplati(textes[0])
    for page in textes:
        assert "PROJET – NON ENREGISTRÉ" in page
    enregistre = texte(rendre_recapitulatif(exemple()))
    assert "PROJET" not in enregistre and "projet non enregistré" not in enregistre


def _polices(data: bytes) -> list[DictionaryObject]:
    polices = []
    for page in PdfReader(BytesIO(data)).pages:
        ressources = page["/Resources"].get_object()
        for ref in ressources["/Font"].get_object().values():
            polices.append(ref.get_object())
    return polices


def test_polices_incorporees(seed_pdf):
    polices = _polices(seed_pdf)
    assert polices
    for police in polices:
        assert "Helvetica" not in str(police["/BaseFont"])
        assert "DejaVuSans" in str(police["/BaseFont"])
        descripteur = police["/FontDescriptor"].get_object()
        assert "/FontFile2" in descripteur
    noms = {re.sub(r"^/?([A-Z]{6}\+)?", "", str(p["/BaseFont"])) for p in polices}
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= noms


def test_sans_ine_ni_acquis():
    t = aplati(texte(rendre_recapitulatif(exemple(ine=None, acquis=()))))
    assert "Identifiant National (INE)" not in t
    assert "Aucun acquis déclaré" in t


def test_acquis_avec_type_de_droit():
    acquis = AcquisImprime("CAP", "Cuisine (50022110)", 2019, None, "Epreuves dispensées dans la spécialité présentée")
    t = aplati(texte(rendre_recapitulatif(exemple(acquis=(acquis,)))))
    assert "Titre ou diplôme : CAP Spécialité : Cuisine (50022110) Année : 2019 " in t
    assert "Epreuves dispensées dans la spécialité présentée" in t


def test_options_de_forme_et_telephones():
    d = exemple(forme_finale="Progressive", derogation=True, section_langue="Section européenne Anglais",
                amenagement_duree=True, telephone_fixe="05 94 00 00 00", vae=True, handicap=True,
                nom_usage="DUPONT")
    t = aplati(texte(rendre_recapitulatif(d)))
    for attendu in ("Forme de passage finale : Progressive", "Dérogation à la forme de passage : OUI",
                    "Section de langue : Section européenne Anglais",
                    "Aménagement de la durée de formation : OUI",
                    "Tél. mobile : 01 23 45 67 89", "Tél. fixe : 05 94 00 00 00", "VAE : OUI",
                    "Aménagement d'épreuve demandé au titre du handicap : OUI", "Nom d'usage : DUPONT"):
        assert attendu in t
    assert "Forme de passage finale" not in aplati(texte(rendre_recapitulatif(exemple())))


def test_sans_facultative_pas_de_section():
    t = texte(rendre_recapitulatif(exemple(epreuves_facultatives=())))
    assert "FACULTATIVE" not in t and "EF1" not in t and "Anglais" not in t


def test_note_reportee_apres_la_position():
    lignes = (ep("E2", "Exploitation de la documentation technique", "U2", 0, "Bénéfice", PONCTUEL,
                 note="12,5/20 (2023)"),)
    t = aplati(texte(rendre_recapitulatif(exemple(epreuves_obligatoires=lignes))))
    assert "E2 - Exploitation de la documentation technique U2 Bénéfice 12,5/20 (2023) Ponctuel" in t


def test_caracteres_speciaux_echappes():
    d = exemple(etablissement="LYCÉE A & B <annexe>", nom="D'ARTAGNAN")
    t = aplati(texte(rendre_recapitulatif(d)))
    assert "Etablissement : LYCÉE A & B <annexe>" in t
    assert "MADAME D'ARTAGNAN Ngmb-Jeanne" in t


def _morceaux(data: bytes) -> list[tuple[float, float, str, float, str]]:
    """(x, y, text, font size, font name) of every text run, in page coordinates."""
    morceaux: list[tuple[float, float, str, float, str]] = []

    def visiteur(text, cm, tm, police, taille):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            nom = re.sub(r"^/?([A-Z]{6}\+)?", "", str(police["/BaseFont"]))
            morceaux.append((x, y, text.strip(), taille * (tm[0] ** 2 + tm[1] ** 2) ** 0.5, nom))

    for page in PdfReader(BytesIO(data)).pages:
        page.extract_text(visitor_text=visiteur)
    return morceaux


def test_intitule_long_renvoye_a_la_ligne_dans_sa_cellule():
    long = ("Epreuve " + "très longue intitulée pour vérifier le retour à la ligne " * 6)[:300]
    assert len(long) == 300
    lignes = (ep("E9", long, "U9", 1, "Inscrit", CCF), *OBLIGATOIRES[:3])
    data = rendre_recapitulatif(exemple(epreuves_obligatoires=lignes))
    t = aplati(texte(data))
    assert aplati(f".... E9 - {long}") in t
    fin_colonne = pdf.MARGE + COLONNES_EPREUVES[0] - PADDING_CELLULE
    morceaux = [m for m in _morceaux(data) if "très longue" in m[2] or "retour à la" in m[2]]
    assert len({round(y) for _, y, *_ in morceaux}) >= 4, "l'intitulé doit occuper plusieurs lignes"
    for x, _, run, taille, police in morceaux:
        assert x + pdf.largeur_texte(run, police, taille) <= fin_colonne + 0.01, run


def test_rien_ne_deborde_de_la_page(seed_pdf):
    droite = pdf.PAGE[0] - pdf.MARGE
    morceaux = _morceaux(seed_pdf)
    assert len(morceaux) > 100
    for x, _, run, taille, police in morceaux:
        assert x >= pdf.MARGE - 0.01, run
        assert x + pdf.largeur_texte(run, police, taille) <= droite + 0.01, run


def test_quarante_epreuves_sur_deux_pages_entete_repete():
    lignes = tuple(ep(f"X{i:02d}", f"Epreuve numéro {i}", f"U{i:02d}", i % 2, "Inscrit", CCF) for i in range(40))
    data = rendre_recapitulatif(exemple(epreuves_obligatoires=lignes, epreuves_facultatives=()))
    textes = [aplati(p) for p in pages(data)]
    assert len(textes) >= 2
    entete = "Épreuve Unité Position Mode d'évaluation"
    premiere = next(i for i, p in enumerate(textes) if "X39 - " in p)
    assert premiere >= 1 and "X00 - " in textes[0]
    page = textes[premiere]
    # The continued table starts with its header row again, before its first row on that page.
    code_suite = re.search(r"X\d\d - ", page).group(0)
    assert entete in page and page.index(entete) < page.index(code_suite)
    assert textes[0].count(entete) == 1
    for i in range(40):
        assert f"X{i:02d} - Epreuve numéro {i} U{i:02d} Inscrit {CCF}" in " ".join(textes)


def test_sans_qt_ni_sqlalchemy():
    code = (
        "import sys; import cyclades_desktop.documents.recapitulatif; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))"
    )
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.strip() == "[]"
