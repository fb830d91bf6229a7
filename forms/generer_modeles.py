"""Builds the shipped DOCX letter templates (forms/README.md) with python-docx.

    python forms/generer_modeles.py

writes ``forms/<modèle>.docx`` and the copy the program ships, ``resources/modeles/<modèle>.docx``.
The office never runs this: it edits its own copy in Word (« Modèles de courriers »). Run it again only
to change the templates delivered with the program, then commit the produced files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ICI = Path(__file__).resolve().parent
RESSOURCES = ICI.parent / "resources" / "modeles"
POLICE = "Arial"
BLEU = RGBColor(0x1F, 0x3A, 0x5F)
GRIS = RGBColor(0x55, 0x55, 0x55)
RETRAIT_DESTINATAIRE = Cm(9)


def _paragraphe(conteneur, texte: str = "", *, gras: bool = False, taille: float | None = None,
                couleur: RGBColor | None = None, alignement=None, retrait=None, apres: float = 0):  # type: ignore[no-untyped-def]
    p = conteneur.add_paragraph()
    if texte:
        run = p.add_run(texte)
        run.bold = gras
        if taille:
            run.font.size = Pt(taille)
        if couleur is not None:
            run.font.color.rgb = couleur
    if alignement is not None:
        p.alignment = alignement
    if retrait is not None:
        p.paragraph_format.left_indent = retrait
    p.paragraph_format.space_after = Pt(apres)
    return p


def _document(objet: str) -> Document:  # type: ignore[valid-type]
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = POLICE
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), POLICE)
    normal.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.8)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance = Cm(1)

    # En-tête: the office as the Référentiel describes it (Bureau).
    entete = section.header
    premier = entete.paragraphs[0]
    run = premier.add_run("{{ bureau_academie }}")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(11), BLEU
    for texte in ("{{ bureau_service }}", "{{ bureau_nom }}", "{{ bureau_adresse }}",
                  "Tél : {{ bureau_telephone }} – Mèl : {{ bureau_email }}"):
        _paragraphe(entete, texte, taille=8.5, couleur=GRIS)
    pied = section.footer.paragraphs[0]
    pied.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = pied.add_run("{{ bureau_academie }} – {{ bureau_service }} – {{ bureau_site }}")
    run.font.size, run.font.color.rgb = Pt(8), GRIS

    _paragraphe(doc, "{{ lieu_et_date }}", alignement=WD_ALIGN_PARAGRAPH.RIGHT, apres=18)
    _paragraphe(doc, "{{ destinataire }}", gras=True, retrait=RETRAIT_DESTINATAIRE)
    _paragraphe(doc, "{{ adresse }}", retrait=RETRAIT_DESTINATAIRE, apres=24)
    _paragraphe(doc, "N° candidat : {{ numero_candidat }} – Inscription n° {{ numero_inscription }}", taille=9)
    _paragraphe(doc, "Affaire suivie par : {{ agent }}", taille=9, apres=12)
    p = _paragraphe(doc, apres=12)
    p.add_run("Objet : ").bold = True
    p.add_run(objet)
    _paragraphe(doc, "{{ civilite }},", apres=8)
    return doc


def _signature(doc) -> None:  # type: ignore[no-untyped-def]
    _paragraphe(doc, apres=12)
    _paragraphe(doc, "Le chef de bureau", retrait=RETRAIT_DESTINATAIRE, apres=48)


def _corps(doc, texte: str, apres: float = 8) -> None:  # type: ignore[no-untyped-def]
    p = _paragraphe(doc, texte, apres=apres)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def attestation_inscription() -> Document:  # type: ignore[valid-type]
    doc = _document("Attestation d'inscription – {{ examen }}, session {{ session }}")
    _corps(doc, "Le chef du bureau des examens professionnels atteste que {{ destinataire }}, né(e) le "
                "{{ date_naissance }} à {{ lieu_naissance }}, N° candidat {{ numero_candidat }}, est "
                "régulièrement inscrit(e) à l'examen suivant :")
    tableau = doc.add_table(rows=0, cols=2)
    tableau.style = "Table Grid"
    tableau.alignment = WD_TABLE_ALIGNMENT.CENTER
    for libelle, valeur in (("Examen", "{{ examen }}"), ("Spécialité", "{{ specialite }}"),
                            ("Session", "{{ session }}"), ("Catégorie", "{{ categorie }}"),
                            ("Établissement", "{{ etablissement }}"),
                            ("Inscription", "n° {{ numero_inscription }} enregistrée le {{ date_inscription }}")):
        cellules = tableau.add_row().cells
        cellules[0].paragraphs[0].add_run(libelle).bold = True
        cellules[1].paragraphs[0].add_run(valeur)
    _largeurs(tableau, (Cm(4), Cm(12.6)))
    _paragraphe(doc, apres=8)
    _corps(doc, "La présente attestation est délivrée à l'intéressé(e) pour servir et valoir ce que de droit.")
    _signature(doc)
    return doc


def _largeurs(tableau, largeurs) -> None:  # type: ignore[no-untyped-def]
    """Fixed column widths, in the grid (LibreOffice) and in every cell (Word)."""
    tableau.autofit = False
    for colonne, largeur in zip(tableau.columns, largeurs, strict=True):
        colonne.width = largeur
        for cellule in colonne.cells:
            cellule.width = largeur


def _ombrer(cellule, couleur: str) -> None:  # type: ignore[no-untyped-def]
    fond = OxmlElement("w:shd")
    fond.set(qn("w:val"), "clear")
    fond.set(qn("w:color"), "auto")
    fond.set(qn("w:fill"), couleur)
    cellule._tc.get_or_add_tcPr().append(fond)


def courrier_relance() -> Document:  # type: ignore[valid-type]
    doc = _document("Relance de pièces justificatives – {{ examen }}, session {{ session }}")
    _corps(doc, "Votre dossier de candidature {{ examen_article }}, spécialité {{ specialite }}, session "
                "{{ session }}, est incomplet. Les pièces justificatives suivantes sont manquantes ou n'ont pas "
                "été jugées conformes :")
    tableau = doc.add_table(rows=2, cols=4)
    tableau.style = "Table Grid"
    tableau.alignment = WD_TABLE_ALIGNMENT.CENTER
    largeurs = (Cm(5.2), Cm(2.8), Cm(4), Cm(4.6))
    for cellule, titre, largeur in zip(tableau.rows[0].cells, ("Pièce justificative", "Situation", "Motif",
                                                               "Dépôt"), largeurs, strict=True):
        cellule.width = largeur
        run = cellule.paragraphs[0].add_run(titre)
        run.bold, run.font.size = True, Pt(9.5)
        _ombrer(cellule, "E9E9E9")
    # The row repeated once per piece (forms/README.md).
    for cellule, champ, largeur in zip(tableau.rows[1].cells, ("{{ piece.libelle }}", "{{ piece.statut }}",
                                                               "{{ piece.motif }}", "{{ piece.modalite }}"),
                                       largeurs, strict=True):
        cellule.width = largeur
        cellule.paragraphs[0].add_run(champ).font.size = Pt(9.5)
    _largeurs(tableau, largeurs)
    _paragraphe(doc, apres=8)
    _corps(doc, "Je vous remercie de bien vouloir les transmettre dans les délais indiqués, en rappelant votre "
                "N° candidat ({{ numero_candidat }}) : en ligne dans « Mes justificatifs » pour les pièces à "
                "déposer en ligne, ou par courrier à l'adresse figurant en tête de cette lettre.")
    _corps(doc, "Sans réponse de votre part dans les délais, votre candidature pourra être annulée.")
    _corps(doc, "Je vous prie d'agréer, {{ civilite }}, l'expression de mes salutations distinguées.")
    _signature(doc)
    return doc


MODELES: dict[str, Callable[[], Document]] = {  # type: ignore[valid-type]
    "attestation_inscription.docx": attestation_inscription,
    "courrier_relance.docx": courrier_relance,
}


def generer(dossier: Path = ICI, copie: Path | None = RESSOURCES) -> list[Path]:
    ecrits = []
    for nom, fabrique in MODELES.items():
        doc = fabrique()
        proprietes = doc.core_properties
        proprietes.title = nom.removesuffix(".docx").replace("_", " ").capitalize()
        proprietes.author = "Bureau des examens professionnels"
        proprietes.created = proprietes.modified = datetime(2026, 1, 1)
        proprietes.revision = 1
        chemin = dossier / nom
        doc.save(str(chemin))
        ecrits.append(chemin)
        if copie is not None:
            copie.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(chemin, copie / nom)
    return ecrits


if __name__ == "__main__":
    for chemin in generer():
        print(chemin)
