"""« Demande de pièces justificatives » and « Relance de pièces justificatives »
(docs/domaine/documents.md#demande-pieces, justificatifs.md): the pieces a candidate must provide,
grouped by deposit mode and deadline, with how to return them (online in « Mes justificatifs », or by
post to the office's return address).

Same page furniture as the récapitulatif (header box, office and candidate blocks, footer). Each group
is one table: its heading row (repeated when the group goes on on the next page), one row per piece
with a box to tick, and the return instructions."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from cyclades_desktop.documents import pdf
from cyclades_desktop.documents.donnees import DonneesPieces, GroupePiecesImprime, PieceImprimee
from cyclades_desktop.documents.entete import bureau_et_candidat, entete, ligne, titre
from cyclades_desktop.documents.pdf import Morceau, echapper

TITRE_DEMANDE = "Demande de pièces justificatives"
TITRE_RELANCE = "Relance de pièces justificatives"

INTRO_DEMANDE = (
    "Pour étudier la recevabilité de votre candidature, vous devez fournir les pièces justificatives "
    "ci-dessous, dans les délais indiqués (heure de Paris)."
)
ANNULATION_DEMANDE = (
    "Sans la confirmation d'inscription signée dans le délai, votre candidature sera annulée."
)
INTRO_RELANCE = (
    "Votre dossier de candidature est incomplet. Les pièces suivantes sont manquantes ou doivent être "
    "fournies à nouveau :"
)
ANNULATION_RELANCE = "Sans réponse de votre part dans les délais, votre candidature pourra être annulée."
TEXTE_EN_LIGNE = (
    "Déposez chaque pièce dans « Mes justificatifs », puis cliquez sur « J'ai fourni toutes mes pièces » : "
    "vos pièces ne pourront plus être modifiées et pourront être étudiées."
)
LIBELLE_FORMATS = "Formats acceptés"
TEXTE_POSTE = "A envoyer par voie postale à l'adresse suivante (le cachet de la poste faisant foi) :"
TEXTE_NUMERO_AU_DOS = "Indiquez votre N° candidat au dos de chaque pièce."
AUCUNE_PIECE = "Aucune pièce justificative à fournir."
LIBELLE_STATUT = "Statut"
LIBELLE_MOTIF = "Motif"

# As on the récapitulatif: the candidate's block where a window envelope shows it.
_ESPACE = 4.0
_COTE_CASE = 7.5
_COLONNE_CASE = 7 * mm
COLONNES_GROUPE = (_COLONNE_CASE, pdf.LARGEUR_UTILE - _COLONNE_CASE)
PADDING_CELLULE = 4.0
_LARGEUR_ADRESSE = 95 * mm


def rendre_pieces(d: DonneesPieces, *, compression: bool = pdf.COMPRESSION) -> bytes:
    """The demande (``d.relance`` false) or the relance of pièces justificatives, as PDF bytes."""
    titre = TITRE_RELANCE if d.relance else TITRE_DEMANDE
    mise_en_page = pdf.MiseEnPage(
        titre=f"{titre} N° {d.numero_candidat}",
        auteur=d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else ""),
        sujet=f"{d.domaine.upper()} – session {d.session} – inscription n° {d.numero_inscription}",
        pied=f"N° candidat {d.numero_candidat} – Inscription n° {d.numero_inscription} – Version {d.version}",
    )
    return pdf.construire_pdf(histoire_pieces(d), mise_en_page, compression=compression)


def rendre_demande_pieces(d: DonneesPieces, *, compression: bool = pdf.COMPRESSION) -> bytes:
    """« Demande de pièces justificatives », whatever ``d.relance`` says."""
    if d.relance:
        d = replace(d, relance=False)
    return rendre_pieces(d, compression=compression)


def rendre_relance_pieces(d: DonneesPieces, *, compression: bool = pdf.COMPRESSION) -> bytes:
    """« Relance de pièces justificatives »: the groups and pieces given (those still missing)."""
    if not d.relance:
        d = replace(d, relance=True)
    return rendre_pieces(d, compression=compression)


def histoire_pieces(d: DonneesPieces) -> list[Flowable]:
    """The document's flowables, without the footer that :func:`rendre_pieces` adds."""
    s = pdf.styles()
    histoire: list[Flowable] = [
        _entete(d),
        Spacer(0, 5 * mm),
        _bureau_et_candidat(d),
        Spacer(0, 6 * mm),
    ]
    if d.relance:
        histoire.append(Paragraph(echapper(INTRO_RELANCE), s.corps))
    else:
        intro = f"{echapper(INTRO_DEMANDE)} <b>{echapper(ANNULATION_DEMANDE)}</b>"
        histoire.append(Paragraph(intro, s.corps))
    groupes = [g for g in d.groupes if g.pieces]
    if not groupes:
        histoire += [Spacer(0, 2 * _ESPACE), pdf.texte(AUCUNE_PIECE, s.corps)]
    for groupe in groupes:
        histoire += _groupe(groupe, d)
    if d.relance:
        histoire += [Spacer(0, 3 * _ESPACE), pdf.texte(Morceau(ANNULATION_RELANCE, gras=True), s.corps)]
    return histoire


def _entete(d: DonneesPieces) -> Table:
    return entete(titre(TITRE_RELANCE if d.relance else TITRE_DEMANDE, d.domaine, d.specialite),
                  version=d.version, version_le=d.version_le, numero_candidat=d.numero_candidat,
                  numero_inscription=d.numero_inscription, session=d.session)


def _bureau_et_candidat(d: DonneesPieces) -> Table:
    return bureau_et_candidat(d.bureau, f"{d.civilite} {d.nom} {d.prenoms}", d.adresse)


class Case(Flowable):
    """An empty square to tick, level with the first line of the piece's text (9 pt)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return _COTE_CASE, _COTE_CASE

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        # Without Flowable.drawOn's translation: the square carries its own position.
        canvas.saveState()
        canvas.setStrokeColor(pdf.GRIS_TEXTE)
        canvas.setLineWidth(0.6)
        canvas.rect(x, y - 2.2, _COTE_CASE, _COTE_CASE, stroke=1, fill=0)
        canvas.restoreState()

    def draw(self) -> None:
        self.drawOn(self.canv, 0, 0)


@cache
def _styles_piece() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    """(piece, statut, motif): the piece's line, then the relance's status and reason under it."""
    s = pdf.styles()
    piece = ParagraphStyle("piece", parent=s.corps)
    statut = ParagraphStyle("piece_statut", parent=s.cellule, spaceBefore=1.5)
    motif = ParagraphStyle("piece_motif", parent=s.cellule, fontName=pdf.POLICE_ITALIQUE, spaceBefore=0.5)
    return piece, statut, motif


@cache
def _styles_instructions() -> tuple[ParagraphStyle, ParagraphStyle]:
    """(texte, adresse): the return instructions under the pieces, and the postal address."""
    s = pdf.styles()
    return (ParagraphStyle("instructions", parent=s.cellule),
            ParagraphStyle("adresse", parent=s.corps))


def _cellule_piece(piece: PieceImprimee, relance: bool) -> list[Flowable]:
    style_piece, style_statut, style_motif = _styles_piece()
    contenu: list[Flowable] = [
        pdf.texte([Morceau(f"{piece.code} : ", gras=True), piece.libelle], style_piece)
    ]
    if relance and piece.statut:
        contenu.append(pdf.texte([Morceau(f"{LIBELLE_STATUT} : ", couleur=pdf.GRIS_TEXTE),
                                  Morceau(piece.statut, gras=True)], style_statut))
    if relance and piece.commentaire and piece.commentaire.strip():
        contenu.append(pdf.texte(f"{LIBELLE_MOTIF} : {piece.commentaire.strip()}", style_motif))
    return contenu


def _instructions(groupe: GroupePiecesImprime, d: DonneesPieces) -> list[Flowable]:
    style, style_adresse = _styles_instructions()
    if groupe.en_ligne:
        contenu: list[Flowable] = [Paragraph(echapper(TEXTE_EN_LIGNE), style)]
        if d.formats:
            contenu += [Spacer(0, 2), ligne(LIBELLE_FORMATS, d.formats, style)]
        return contenu
    adresse = [pdf.texte(Morceau(ligne, gras=i == 0), style_adresse)
               for i, ligne in enumerate(d.adresse_retour)]
    contenu = [pdf.texte(TEXTE_POSTE, style)]
    if adresse:
        cadre = pdf.tableau([[adresse]], (_LARGEUR_ADRESSE,), _STYLE_ADRESSE, hAlign="LEFT")
        contenu += [Spacer(0, 3), cadre]
    contenu += [Spacer(0, 3), pdf.texte(Morceau(TEXTE_NUMERO_AU_DOS, gras=True), style)]
    return contenu


_STYLE_ADRESSE = TableStyle([
    ("BOX", (0, 0), (-1, -1), 0.5, pdf.GRIS_TRAIT),
    ("LEFTPADDING", (0, 0), (-1, -1), 8),
    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
    ("TOPPADDING", (0, 0), (-1, -1), 5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
])


@cache
def _style_titre_groupe() -> ParagraphStyle:
    return ParagraphStyle("titre_groupe", parent=pdf.styles().intertitre, spaceBefore=0, spaceAfter=0)


def _vide() -> Flowable:
    # Not "": the Table draws an empty string as a text object ending a line (see recapitulatif).
    return Spacer(0, 0)


def _groupe(groupe: GroupePiecesImprime, d: DonneesPieces) -> list[Flowable]:
    rangees: list[list[object]] = [[pdf.texte(groupe.titre, _style_titre_groupe()), _vide()]]
    for piece in groupe.pieces:
        rangees.append([Case(), _cellule_piece(piece, d.relance)])
    rangees.append([_instructions(groupe, d), _vide()])
    derniere = len(rangees) - 1
    table = pdf.tableau(rangees, COLONNES_GROUPE, _STYLE_GROUPE, repeatRows=1)
    table.setStyle(TableStyle([
        ("SPAN", (0, derniere), (-1, derniere)),
        ("LINEABOVE", (0, derniere), (-1, derniere), 0.5, pdf.GRIS_TRAIT),
        ("TOPPADDING", (0, derniere), (-1, derniere), 5),
        ("BOTTOMPADDING", (0, derniere), (-1, derniere), 7),
    ]))
    # The heading and at least its first piece on the same page.
    return [Spacer(0, 3 * _ESPACE), CondPageBreak(22 * mm), table]


_STYLE_GROUPE = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("SPAN", (0, 0), (-1, 0)),
    ("BACKGROUND", (0, 0), (-1, 0), pdf.GRIS_FOND),
    ("LEFTPADDING", (0, 0), (-1, -1), PADDING_CELLULE),
    ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_CELLULE),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 1), (0, -1), 0),
    ("TOPPADDING", (0, 0), (-1, 0), 4),
    ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ("LINEBELOW", (0, 0), (-1, -2), 0.25, pdf.GRIS_GRILLE),
    ("BOX", (0, 0), (-1, -1), 0.5, pdf.GRIS_TRAIT),
])
