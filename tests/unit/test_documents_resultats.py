"""The documents of the exam days and of the results (docs/domaine/resultats.md#documents), read back
with pypdf: relevé de notes, liste d'émargement, affiche de salle, étiquettes de table, PV de
délibération, attestations. Text is compared after :func:`normaliser_texte` and with runs of spaces
collapsed; the positions of the text runs show that nothing leaves the page's margins or a label."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from cyclades_desktop.documents import pdf
from cyclades_desktop.documents.attestations import rendre_attestation_reussite, rendre_attestation_unites
from cyclades_desktop.documents.donnees import EnTeteBureau
from cyclades_desktop.documents.donnees_convocation import lire_empreinte
from cyclades_desktop.documents.donnees_resultats import (
    CandidatEmargement,
    DonneesAttestationReussite,
    DonneesAttestationUnites,
    DonneesEmargement,
    DonneesPV,
    DonneesReleve,
    IdentiteCandidat,
    LigneNoteReleve,
    LignePV,
    MembreJury,
    SeanceImprimee,
    Signature,
    TotauxPV,
    UniteDetenue,
    accord,
    empreinte_releve,
    heure_paris,
)
from cyclades_desktop.documents.emargement import (
    PLANCHES,
    rendre_affiches,
    rendre_emargements,
    rendre_etiquettes,
)
from cyclades_desktop.documents.pv_deliberation import rendre_pv
from cyclades_desktop.documents.releve import rendre_releve, rendre_releves
from cyclades_desktop.documents.tableau_direct import ajuster
from cyclades_desktop.rules.temps import depuis_paris

BUREAU = EnTeteBureau(("RECTORAT DE L'ACADÉMIE D'AIX-MARSEILLE", "DIVISION DES EXAMENS ET CONCOURS",
                       "PLACE LUCIEN PAYE", "13621 AIX-EN-PROVENCE CEDEX 1"),
                      "04 42 91 70 00", "dec5@ac-aix-marseille.fr", "Académie d'Aix-Marseille")
CANDIDATE = IdentiteCandidat("MADAME", "NGMB-DUPONT", "Jeanne", date(2005, 2, 1), "02500000016", "001",
                             "MARSEILLE (13)", ("12 rue de la République", "13001 MARSEILLE"),
                             "LP FERNAND LEGERE (0250001R)", "SCOLAIRE BACPRO 1 AN (133)")
L = LigneNoteReleve
UNITES = (
    L("E1", "Épreuve scientifique", None, "", ""),
    L("E1-A", "Mathématiques", "U11", "1,5", "12,50", "18,75", niveau=1),
    L("E1-B", "Physique-chimie", "U12", "1,5", "ABS", "0,00", niveau=1),
    L("E2", "Analyse technique d'un système", "U2", "4", "14,00", "56,00", "Bénéfice (session 2023)"),
    L("E3-E", "Économie-gestion", "U35", "1", "ABJ", "", "Absence justifiée", niveau=1),
    L("E4", "Langue vivante", "U4", "", "Dispense", "", "Dispense (titre détenu)"),
    L("E5-A", "Français", "U51", "2,5", "DI", "", niveau=1),
    L("E5-B", "Histoire-géographie et enseignement moral et civique", "U52", "2,5", "9,75", "24,38",
      "Contrôle : 11,00 (note retenue)", niveau=1),
    L("E7", "Éducation physique et sportive", "U7", "1", "15,00", "15,00"),
)
FACULTATIVE = L("EF1", "Langue vivante facultative : anglais", "UF1", "", "13,00", "3,00", "Points au-dessus de 10")


def releve(**changes: object) -> DonneesReleve:
    d = DonneesReleve(7, "BACCALAURÉAT PROFESSIONNEL", "Aéronautique option Systèmes (25303)", "2025", 2,
                      datetime(2025, 7, 4, 14, 30, tzinfo=UTC), BUREAU, CANDIDATE, UNITES, (FACULTATIVE,),
                      moyenne_generale="12,34", moyenne_enseignement_general="11,20",
                      moyenne_professionnelle="13,05", points_facultatives="0,12", points_jury="0,25",
                      moyenne_avant_jury="12,09", decision="Admis", mention="Assez bien",
                      delibere_le=date(2025, 7, 3))
    return replace(d, **changes)


SEANCE = SeanceImprimee("2025", "BACCALAURÉAT PROFESSIONNEL", "Aéronautique option Systèmes (25303)", "E1-A",
                        "U11", "Mathématiques", depuis_paris(datetime(2025, 5, 12, 8, 0)), 120,
                        "LP FERNAND LEGERE", "B12", "AUDINCOURT")


def candidats(n: int) -> tuple[CandidatEmargement, ...]:
    return tuple(CandidatEmargement(f"025{i:08d}", f"NOM{i:03d}", f"Prénom{i:03d}", date(2005, 1 + i % 12, 1 + i % 28),
                                    str(i + 1)) for i in range(n))


def emargement(n: int = 45, **changes: object) -> DonneesEmargement:
    return replace(DonneesEmargement(BUREAU, SEANCE, candidats(n), ("M. Paul DURAND", "Mme Sophie LEBLANC")),
                   **changes)


SIGNATURE = Signature(("Pour le recteur et par délégation,", "le chef de la division des examens et concours"),
                      "Marie-Claude FONTAINE", "Aix-en-Provence")


def pv(n: int = 45) -> DonneesPV:
    decisions = ("Admis", "Ajourné", "Autorisé à l'épreuve de contrôle")
    lignes = tuple(LignePV(c.numero_candidat, c.nom, c.prenoms, f"{9 + i % 7},50", decisions[i % 3],
                           "0,25" if i % 5 == 0 else "", "Bien" if i % 3 == 0 else "")
                   for i, c in enumerate(candidats(n)))
    membres = (MembreJury("M. Paul DURAND", "Professeur de lycée professionnel"),
               MembreJury("Mme Sophie LEBLANC", "Professionnelle"), MembreJury("M. Ali BEN SAÏD"))
    return DonneesPV(BUREAU, "2025", "BACCALAURÉAT PROFESSIONNEL", "Aéronautique option Systèmes (25303)",
                     "Jury n° 3", MembreJury("M. Jean-Pierre MARCHAND", "Inspecteur de l'éducation nationale"),
                     membres, date(2025, 7, 3), lignes, TotauxPV(44, 15, 15, 14, "34,09 %"), "Premier groupe",
                     "LP FERNAND LEGERE, AUDINCOURT")


# --- reading the PDFs back -----------------------------------------------------------------------

def pages(octets: bytes) -> list[str]:
    return [re.sub(r"[ \t]+", " ", pdf.normaliser_texte(p.extract_text())) for p in PdfReader(BytesIO(octets)).pages]


def texte(octets: bytes) -> str:
    return "\n".join(pages(octets))


def aplati(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def morceaux(octets: bytes) -> list[tuple[int, float, float, str, float, str]]:
    """(page, x, y, text, size, font) of every text run."""
    out: list[tuple[int, float, float, str, float, str]] = []
    for numero, page in enumerate(PdfReader(BytesIO(octets)).pages):
        def visiteur(text, cm, tm, police, taille, numero=numero):  # noqa: ANN001, ANN202
            if text.strip() and police is not None:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                nom = re.sub(r"^/?([A-Z]{6}\+)?", "", str(police["/BaseFont"]))
                out.append((numero, x, y, text.strip(), taille * (tm[0] ** 2 + tm[1] ** 2) ** 0.5, nom))
        page.extract_text(visitor_text=visiteur)
    return out


def dans_les_marges(octets: bytes, largeur: float = pdf.PAGE[0], hauteur: float = pdf.PAGE[1]) -> None:
    runs = morceaux(octets)
    assert runs
    for _, x, y, run, taille, police in runs:
        assert x >= pdf.MARGE - 0.01, run
        assert x + pdf.largeur_texte(run, police, taille) <= largeur - pdf.MARGE + 0.01, run
        assert pdf.PIED_Y - 1 <= y <= hauteur - pdf.MARGE, run


def png(octets: bytes, dossier: Path, page: int = 1) -> Path:
    """A page rendered to PNG (72 dpi: a point is a pixel) by poppler's pdftoppm."""
    (dossier / "doc.pdf").write_bytes(octets)
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(dossier / "doc.pdf"), str(dossier / "page")], check=True)
    return dossier / "page.png"


# --- relevé de notes ----------------------------------------------------------------------------

def test_releve_chaque_unite_avec_sa_note_et_le_resultat():
    t = texte(rendre_releve(releve()))
    assert "Relevé de notes" in t and "BACCALAURÉAT PROFESSIONNEL" in t and "Aéronautique option Systèmes (25303)" in t
    assert "Version n°2 mis à jour le 04/07/2025 16:30" in t and "N° candidat : 02500000016" in t
    assert "MADAME NGMB-DUPONT Jeanne" in t and "Née le 01/02/2005 à MARSEILLE (13)" in t
    assert "Établissement : LP FERNAND LEGERE (0250001R)" in t
    # Each row whole and in its columns' order (a wrapped title goes on before the row's other cells).
    for u in (*UNITES, FACULTATIVE):
        cellules = (f"{u.code} – {u.intitule}", u.unite, u.coefficient, u.note, u.points, u.observation)
        assert " ".join(x for x in cellules if x) in aplati(t), u
    # In the tree's order, the facultative after the obligatory units.
    positions = [t.index(f"{u.code} – ") for u in (*UNITES, FACULTATIVE)]
    assert positions == sorted(positions)
    assert "Bénéfice (session 2023)" in t and "Dispense" in t and "ABS" in t and "ABJ" in t
    for attendu in ("Moyenne des unités d'enseignement général : 11,20", "Moyenne des unités professionnelles : 13,05",
                    "Points attribués par le jury : 0,25", "Moyenne générale avant points de jury : 12,09",
                    "Moyenne générale : 12,34 / 20", "Décision du jury : Admis – Mention : Assez bien",
                    "Délibération du jury du 03/07/2025"):
        assert attendu in t, attendu
    assert "duplicata" not in t.lower()                      # only what the data holds
    assert "Page 1/1" in t and "N° candidat 02500000016 – Inscription n° 001 – Version 2" in t


def test_releve_n_imprime_que_ce_que_les_donnees_tiennent():
    t = texte(rendre_releve(releve(facultatives=(), points_jury="", moyenne_avant_jury="", mention="",
                                   decision="Ajourné", points_facultatives="", delibere_le=None)))
    assert "ÉPREUVES FACULTATIVES" not in t and "jury :" not in t.replace("Décision du jury :", "")
    assert "Mention" not in t and "Décision du jury : Ajourné" in t and "Délibération" not in t


def test_releve_long_sur_deux_pages_entete_du_tableau_repete():
    unites = tuple(L(f"X{i:02d}", f"Unité numéro {i}", f"U{i:02d}", "1", f"{10 + i % 9},00", "") for i in range(45))
    octets = rendre_releve(releve(unites=unites, unites_a_presenter=("U2 – Analyse technique",)))
    textes = pages(octets)
    assert len(textes) == 2
    entete = "Épreuve Unité Coef. Note / 20 Points Observations"
    assert all(entete in p for p in textes)
    suite = re.search(r"X\d\d – ", textes[1]).group(0)
    assert textes[1].index(entete) < textes[1].index(suite)
    assert all(f"X{i:02d} – Unité numéro {i}" in "\n".join(textes) for i in range(45))
    assert "Page 1/2" in textes[0] and "Page 2/2" in textes[1]
    assert "Unités restant à présenter :" in textes[1] and "U2 – Analyse technique" in textes[1]
    dans_les_marges(octets)


def test_releve_memes_donnees_memes_octets_et_empreinte():
    d = releve()
    octets = rendre_releve(d)
    assert rendre_releve(releve()) == octets
    assert lire_empreinte(octets) == empreinte_releve(d)
    assert empreinte_releve(releve(version=3, version_le=datetime(2025, 9, 1, tzinfo=UTC))) == empreinte_releve(d)
    assert empreinte_releve(releve(mention="Bien")) != empreinte_releve(d)
    autre = replace(UNITES[1], note="13,00")
    assert empreinte_releve(releve(unites=(UNITES[0], autre, *UNITES[2:]))) != empreinte_releve(d)


def test_releves_en_lot_une_page_chacun_dans_l_ordre():
    lot = [releve(candidature_id=i, candidat=replace(CANDIDATE, nom=f"NOM{i:02d}", numero_candidat=f"{i:011d}"))
           for i in range(12)]
    textes = pages(rendre_releves(lot))
    assert len(textes) == 12
    for i, p in enumerate(textes):
        assert f"NOM{i:02d}" in p and f"N° candidat : {i:011d}" in p and "Page 1/1" in p
    assert len(PdfReader(BytesIO(rendre_releves([]))).pages) == 1


def test_releve_rien_hors_des_marges():
    dans_les_marges(rendre_releve(releve()))


# --- liste d'émargement, affiche, étiquettes -----------------------------------------------------

def test_emargement_45_candidats_sur_3_pages_dans_l_ordre():
    octets = rendre_emargements([emargement(45)])
    textes = pages(octets)
    assert len(textes) == 3
    for numero, p in enumerate(textes):
        # The sitting's header on every page: a sheet read alone still says what it is.
        for attendu in ("Liste d'émargement", "Épreuve : E1-A (U11) – Mathématiques",
                        "Date : lundi 12/05/2025 à 08 h 00 (heure de Paris)", "Durée : 2 h 00",
                        "Centre : LP FERNAND LEGERE (AUDINCOURT)", "Salle : B12", "Candidats : 45",
                        "Table N° candidat Nom Prénom(s) Né(e) le Absent Signature du candidat",
                        "Surveillant(e)s : nom et signature", "M. Paul DURAND", f"Page {numero + 1}/3"):
            assert attendu in p, (numero, attendu)
        attendus = range(20 * numero, min(45, 20 * numero + 20))
        lignes = [next(x for x in p.splitlines() if f"NOM{i:03d}" in x) for i in attendus]
        assert [p.index(x) for x in lignes] == sorted(p.index(x) for x in lignes)
        for i, ligne in zip(attendus, lignes, strict=True):
            c = candidats(45)[i]
            assert f"{i + 1} {c.numero_candidat} NOM{i:03d} Prénom{i:03d} {c.date_naissance:%d/%m/%Y}" in ligne
        assert ("Nombre de présents" in p) == (numero == 2)
    assert "candidats 21 à 40 de la liste sur cette page" in textes[1]
    dans_les_marges(octets)


def test_emargement_vide_et_plusieurs_seances_numerotees_chacune():
    textes = pages(rendre_emargements([emargement(0), emargement(21, seance=replace(SEANCE, salle="C3"))]))
    assert len(textes) == 3
    assert "Aucun candidat n'est placé dans cette salle" in textes[0] and "Page 1/1" in textes[0]
    assert "Salle : C3" in textes[1] and "Page 1/2" in textes[1] and "Page 2/2" in textes[2]


def test_un_nom_tres_long_reste_dans_sa_case():
    long = "MARTIN-DE LA FONTAINE-SAINT-ÉTIENNE-DU-GRAND-CHÊNE-ET-DE-LA-MOTTE-BEUVRON"
    lignes, taille = ajuster(long, 100, pdf.POLICE_GRAS, 8.5, lignes_max=2, taille_min=6.5)
    assert len(lignes) == 2 and taille == 6.5 and lignes[-1].endswith("…")
    assert all(pdf.largeur_texte(x, pdf.POLICE_GRAS, taille) <= 100 for x in lignes)
    d = emargement(3, candidats=(replace(candidats(1)[0], nom=long),))
    dans_les_marges(rendre_emargements([d]))


def test_affiche_de_salle():
    t = texte(rendre_affiches([emargement(45)]))
    for attendu in ("LP FERNAND LEGERE (AUDINCOURT)", "Salle B12", "E1-A (U11) – Mathématiques", "lundi 12/05/2025",
                    "08 h 00 (heure de Paris) – durée 2 h 00", "45 candidats – N° 02500000000 à 02500000044"):
        assert attendu in t, attendu
    assert all(f"NOM{i:03d} Prénom{i:03d}" in t for i in range(45))
    sans_noms = texte(rendre_affiches([emargement(45)], noms=False))
    assert "NOM000" not in sans_noms and "N° 02500000000 à 02500000044" in sans_noms


def test_affiche_d_un_amphitheatre_continue_sur_une_autre_page():
    octets = rendre_affiches([emargement(200)])
    textes = pages(octets)
    assert len(textes) == 2 and "Salle B12 – E1-A (suite)" in textes[1]
    assert all(f"NOM{i:03d} " in "\n".join(textes) for i in range(200))
    dans_les_marges(octets)


@pytest.mark.parametrize(("planche", "feuilles"), [("3x8", 2), ("2x7", 4)])
def test_etiquettes_de_table(planche, feuilles):
    octets = rendre_etiquettes([emargement(45)], planche=planche)
    t = texte(octets)
    assert len(PdfReader(BytesIO(octets)).pages) == feuilles
    for c in candidats(45):
        assert f"N° {c.numero_candidat}" in t and c.nom in t and c.prenoms in t and f"Table {c.numero_table}" in t
    assert "E1-A (U11) – Mathématiques" in t and "Salle B12 – 12/05/2025 – Session 2025" in t
    # Every run stays inside its own label.
    p = PLANCHES[planche]
    for _, x, y, run, taille, police in morceaux(octets):
        colonne = max(k for k in range(p.colonnes) if p.marge_gauche + k * (p.largeur + p.ecart_x) < x)
        gauche = p.marge_gauche + colonne * (p.largeur + p.ecart_x)
        assert gauche < x and x + pdf.largeur_texte(run, police, taille) < gauche + p.largeur, run
        assert p.marge_haut < pdf.PAGE[1] - y < pdf.PAGE[1] - p.marge_haut - 2, run


def test_planche_inconnue_refusee():
    with pytest.raises(ValueError, match="Planche d'étiquettes inconnue"):
        rendre_etiquettes([emargement(2)], planche="4x10")


# --- PV de délibération ---------------------------------------------------------------------------

def test_pv_de_deliberation():
    octets = rendre_pv(pv(45))
    lecteur = PdfReader(BytesIO(octets))
    assert all([round(float(v)) for v in page.mediabox] == [0, 0, 842, 595] for page in lecteur.pages)
    textes = pages(octets)
    assert len(textes) == 3
    t = "\n".join(textes)
    for attendu in ("Procès-verbal de délibération", "Jury : Jury n° 3 – Premier groupe",
                    "Date de délibération : 03/07/2025", "Lieu : LP FERNAND LEGERE, AUDINCOURT",
                    "Président(e) du jury : M. Jean-Pierre MARCHAND, Inspecteur de l'éducation nationale",
                    "Présents : 44", "Admis : 15", "Ajournés : 15", "Autorisés à l'épreuve de contrôle : 14",
                    "Taux de réussite : 34,09 %", "Signature du président ou de la présidente du jury :",
                    "Signatures des membres du jury :", "M. Ali BEN SAÏD"):
        assert attendu in t, attendu
    for i, x in enumerate(pv(45).lignes):
        ligne = next(y for y in t.splitlines() if x.numero_candidat in y)
        assert f"{x.numero_candidat} {x.nom} {x.prenoms} {x.moyenne}" in ligne
        assert x.decision in aplati(t.split(x.numero_candidat)[1][:120]), i
    entete = "N° candidat Nom Prénom(s) Moyenne / 20 Points de jury Décision Mention"
    assert entete in textes[0] and entete in textes[1] and "(suite)" in textes[1]
    assert textes[1].index(entete) < textes[1].index("02500000021")
    # The signatures went whole to the last page, which still says which PV they sign.
    assert "Procès-verbal de délibération – Jury n° 3 – session 2025 (suite)" in textes[2]
    assert "Signatures des membres du jury" in textes[2] and "02500000044" in textes[1]
    assert [f"Page {i}/3" in p for i, p in enumerate(textes, start=1)] == [True] * 3
    dans_les_marges(octets, *pdf.PAGE[::-1])


def test_pv_sans_candidat():
    t = texte(rendre_pv(replace(pv(0), totaux=TotauxPV(0, 0, 0))))
    assert "Aucun candidat n'est présenté à ce jury." in t and "Présents : 0" in t and "contrôle" not in t


# --- attestations ---------------------------------------------------------------------------------

def test_attestation_de_reussite():
    d = DonneesAttestationReussite(BUREAU, CANDIDATE, "BACCALAURÉAT PROFESSIONNEL",
                                   "Aéronautique option Systèmes (25303)", "2025", date(2025, 7, 10), SIGNATURE,
                                   "Assez bien", date(2025, 7, 3))
    octets = rendre_attestation_reussite(d)
    t = aplati(texte(octets))
    assert "ATTESTATION DE RÉUSSITE" in t
    assert ("MADAME Jeanne NGMB-DUPONT, née le 01/02/2005 à MARSEILLE (13), N° candidat 02500000016, a été "
            "déclarée admise à l'examen suivant :") in t
    for attendu in ("Diplôme : BACCALAURÉAT PROFESSIONNEL", "Spécialité : Aéronautique option Systèmes (25303)",
                    "Session : 2025", "Mention : Assez bien", "Délibération du jury : 03/07/2025",
                    "Fait à Aix-en-Provence, le 10/07/2025", "le chef de la division des examens et concours",
                    "Marie-Claude FONTAINE"):
        assert attendu in t, attendu
    assert len(PdfReader(BytesIO(octets)).pages) == 1
    dans_les_marges(octets)
    lui = aplati(texte(rendre_attestation_reussite(replace(d, mention="", candidat=replace(CANDIDATE,
                                                                                            civilite="MONSIEUR")))))
    assert "né le 01/02/2005" in lui and "déclaré admis à l'examen" in lui and "Mention" not in lui


def test_attestation_d_unites_detenues():
    unites = (UniteDetenue("EP1", "UP1", "Organisation de la production de cuisine", "13,50", "2024"),
              UniteDetenue("EG2", "UG2", "Mathématiques et physique-chimie", "10,00", "2025"))
    d = DonneesAttestationUnites(BUREAU, replace(CANDIDATE, civilite=""), "CAP", "Cuisine (50022135)", "2025",
                                 unites, date(2025, 7, 10), SIGNATURE, "Validation des acquis de l'expérience")
    octets = rendre_attestation_unites(d)
    t = texte(octets)
    assert "ATTESTATION D'UNITÉS DÉTENUES" in t
    assert "né(e) le 01/02/2005" in aplati(t) and "candidat(e) (validation des acquis de l'expérience) au CAP" in aplati(t)
    for u in unites:
        assert f"{u.code} {u.unite} {u.intitule} {u.note} {u.session}" in t
    dans_les_marges(octets)


# --- shared helpers and layers ------------------------------------------------------------------

def test_heures_de_paris_et_accords():
    assert heure_paris(datetime(2025, 5, 12, 6, 0, tzinfo=UTC)) == "08\u00a0h\u00a000 (heure de Paris)"
    assert heure_paris(datetime(2025, 1, 13, 13, 5, tzinfo=UTC)) == "14\u00a0h\u00a005 (heure de Paris)"
    assert [accord(c, "né", "née") for c in ("MADAME", "MONSIEUR", "")] == ["née", "né", "né(e)"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) absent")
@pytest.mark.parametrize("document", ["releve", "emargement", "attestation"])
def test_rien_n_est_dessine_pres_des_bords(document, tmp_path):
    """The page as printed: no ink in an 8 mm band along each edge (text, rules, boxes, fills)."""
    from PIL import Image

    octets = {"releve": lambda: rendre_releve(releve()), "emargement": lambda: rendre_emargements([emargement(20)]),
              "attestation": lambda: rendre_attestation_unites(DonneesAttestationUnites(
                  BUREAU, CANDIDATE, "CAP", "Cuisine", "2025", (), date(2025, 7, 10), SIGNATURE))}[document]()
    image = Image.open(png(octets, tmp_path)).convert("L")
    largeur, hauteur = image.size
    bande = round(8 / 25.4 * 72)
    for boite in ((0, 0, largeur, bande), (0, hauteur - bande, largeur, hauteur), (0, 0, bande, hauteur),
                  (largeur - bande, 0, largeur, hauteur)):
        assert image.crop(boite).getextrema()[0] >= 250, boite


def test_sans_qt_ni_sqlalchemy():
    code = ("import sys; import cyclades_desktop.documents.releve, cyclades_desktop.documents.emargement, "
            "cyclades_desktop.documents.pv_deliberation, cyclades_desktop.documents.attestations; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.strip() == "[]"
