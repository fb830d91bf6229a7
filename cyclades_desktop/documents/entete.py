"""The top of every candidate document (docs/domaine/documents.md#entete): title and domaine on the
left, the boxed version / N° candidat / inscription / session on the right; then the office's block beside the
candidate's. Shared so that the récapitulatif, the pièces letters and the convocations look alike."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ..rules.temps import format_date, paris
from . import pdf
from .donnees import EnTeteBureau
from .pdf import Morceau

LARGEUR_ENTETE_DROITE = 68 * mm
PADDING_ENTETE = 6.0
LARGEUR_BUREAU = 92 * mm

STYLE_ENTETE = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (0, 0), 0),
    ("TOPPADDING", (0, 0), (0, 0), 0),
    ("BOX", (1, 0), (1, 0), 0.5, pdf.GRIS_TRAIT),
    ("LEFTPADDING", (1, 0), (1, 0), PADDING_ENTETE),
    ("RIGHTPADDING", (1, 0), (1, 0), PADDING_ENTETE),
    ("TOPPADDING", (1, 0), (1, 0), 4),
    ("BOTTOMPADDING", (1, 0), (1, 0), 5),
])
STYLE_SANS_BORDURE = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
])


def ligne(libelle: str, valeur: str, style: ParagraphStyle | None = None) -> Flowable:
    return pdf.texte(f"{libelle} : {valeur}", style or pdf.styles().corps)


def entete(gauche: list[Flowable], *, version: int, version_le: datetime, numero_candidat: str,
           numero_inscription: str, session: str, mention: str | None = None) -> Table:
    s = pdf.styles()
    p = paris(version_le)
    droite: list[Flowable] = [pdf.texte(f"Version : {version} du {format_date(p)} à {p:%H:%M}", s.petit)]
    if mention:
        droite.append(pdf.texte(Morceau(mention, gras=True), s.petit))
    droite += [ligne("N° candidat", numero_candidat, s.petit),
               ligne("Inscription n°", numero_inscription, s.petit),
               ligne("Session", session, s.petit)]
    return pdf.tableau([[gauche, droite]], (pdf.LARGEUR_UTILE - LARGEUR_ENTETE_DROITE, LARGEUR_ENTETE_DROITE),
                       STYLE_ENTETE)


def titre(texte: str, domaine: str, *precisions: str) -> list[Flowable]:
    s = pdf.styles()
    out: list[Flowable] = [pdf.texte(texte, s.titre), Spacer(0, 2), pdf.texte(domaine.upper(), s.sous_titre)]
    out += [pdf.texte(x, s.corps) for x in precisions if x]
    return out


def bureau_et_candidat(b: EnTeteBureau, identite: str, adresse: tuple[str, ...]) -> Table:
    s = pdf.styles()
    bureau = [pdf.texte(Morceau(x, gras=i == 0), s.cellule) for i, x in enumerate(b.lignes)]
    if b.telephone:
        bureau.append(ligne("Tél", b.telephone, s.cellule))
    if b.email:
        bureau.append(ligne("Mèl", b.email, s.cellule))
    candidat = [pdf.texte(Morceau(identite, gras=True), s.corps)]
    candidat += [pdf.texte(x, s.corps) for x in adresse]
    return pdf.tableau([[bureau, candidat]], (LARGEUR_BUREAU, pdf.LARGEUR_UTILE - LARGEUR_BUREAU),
                       STYLE_SANS_BORDURE)
