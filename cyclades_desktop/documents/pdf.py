"""Shared reportlab plumbing for the printed documents: embedded fonts, paragraph styles, the A4 page
with its footer (« Page N/M ») and the draft watermark.

Typography: French punctuation gets a no-break space (U+00A0) before « : ; ! ? » and inside « »
(:func:`typo`), so it never starts a line. U+202F (the thin no-break space) is not used: reportlab
breaks lines on it. reportlab draws U+00A0 with the space glyph and maps it back to U+0020, so text
extracted from these PDFs reads "Version : 1 du" with ordinary spaces; :func:`normaliser_texte` still
folds U+00A0/U+202F for text from other sources. Apostrophes stay ASCII (') so the printed words can
be searched as the notices write them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from cyclades_desktop.paths import resources_dir

POLICE = "DejaVuSans"
POLICE_GRAS = "DejaVuSans-Bold"
POLICE_ITALIQUE = "DejaVuSans-Oblique"
POLICE_GRAS_ITALIQUE = "DejaVuSans-BoldOblique"
_FICHIERS_POLICES = {
    POLICE: "DejaVuSans.ttf",
    POLICE_GRAS: "DejaVuSans-Bold.ttf",
    POLICE_ITALIQUE: "DejaVuSans-Oblique.ttf",
    POLICE_GRAS_ITALIQUE: "DejaVuSans-BoldOblique.ttf",
}

PAGE = A4
MARGE = 18 * mm
LARGEUR_UTILE = PAGE[0] - 2 * MARGE
HAUTEUR_UTILE = PAGE[1] - 2 * MARGE
# The footer sits inside the bottom margin, below the text frame.
PIED_Y = 11 * mm
PIED_TRAIT_Y = 14.5 * mm

NBSP = "\u00a0"
GRIS_TEXTE = colors.HexColor("#555555")
GRIS_TRAIT = colors.HexColor("#9a9a9a")
GRIS_GRILLE = colors.HexColor("#b4b4b4")
GRIS_FOND = colors.HexColor("#e9e9e9")
GRIS_FILIGRANE = colors.HexColor("#dcdcdc")

# Binary streams instead of ASCII85: a quarter smaller, and reportlab's pure-Python ASCII85 encoder
# (without the optional rl_accel extension) took a tenth of the rendering time. Process-wide setting.
rl_config.useA85 = 0

# Page content streams compressed: the récapitulatif goes from 102 to 49 kB for about 5 % more time
# (42 → 40 documents per second on one core).
COMPRESSION = True


@cache
def enregistrer_polices() -> None:
    """Register DejaVu Sans (4 faces) and its family once per process, so <b>/<i> work in Paragraphs."""
    dossier = resources_dir() / "fonts"
    for nom, fichier in _FICHIERS_POLICES.items():
        pdfmetrics.registerFont(TTFont(nom, str(dossier / fichier)))
    pdfmetrics.registerFontFamily(
        POLICE, normal=POLICE, bold=POLICE_GRAS, italic=POLICE_ITALIQUE, boldItalic=POLICE_GRAS_ITALIQUE
    )


@dataclass(frozen=True)
class Styles:
    titre: ParagraphStyle          # bold 14 pt
    sous_titre: ParagraphStyle     # bold 11 pt (the domaine under the title)
    corps: ParagraphStyle          # 9 pt
    corps_droite: ParagraphStyle
    petit: ParagraphStyle          # 8 pt (boxes, notes)
    intertitre: ParagraphStyle     # section heading, bold 9.5 pt (see intertitre())
    cellule: ParagraphStyle        # table cells, 8.5 pt
    cellule_gras: ParagraphStyle
    cellule_entete: ParagraphStyle


@cache
def styles() -> Styles:
    enregistrer_polices()
    # spaceShrinkage=0: reportlab would otherwise let a left-aligned line run 5 % of a space past the margin.
    corps = ParagraphStyle(
        "corps", fontName=POLICE, fontSize=9, leading=11.5, alignment=TA_LEFT, textColor=colors.black,
        spaceShrinkage=0,
    )
    cellule = ParagraphStyle("cellule", parent=corps, fontSize=8.5, leading=10.4)
    return Styles(
        titre=ParagraphStyle("titre", parent=corps, fontName=POLICE_GRAS, fontSize=14, leading=17),
        sous_titre=ParagraphStyle("sous_titre", parent=corps, fontName=POLICE_GRAS, fontSize=11, leading=14),
        corps=corps,
        corps_droite=ParagraphStyle("corps_droite", parent=corps, alignment=TA_RIGHT),
        petit=ParagraphStyle("petit", parent=corps, fontSize=8, leading=10),
        intertitre=ParagraphStyle(
            "intertitre", parent=corps, fontName=POLICE_GRAS, fontSize=9.5, leading=12,
            spaceBefore=9, spaceAfter=6,
        ),
        cellule=cellule,
        cellule_gras=ParagraphStyle("cellule_gras", parent=cellule, fontName=POLICE_GRAS),
        cellule_entete=ParagraphStyle("cellule_entete", parent=cellule, fontName=POLICE_GRAS),
    )


_AVANT_PONCTUATION = re.compile(r" +([:;!?»])")
_APRES_GUILLEMET = re.compile(r"«[ \u00a0]*")


def typo(texte: str) -> str:
    """French spacing: a no-break space before « : ; ! ? » and inside « », so they never start a line.

    Only punctuation already preceded by a space is touched, so "16:06", URLs and "&amp;" stay intact."""
    texte = _AVANT_PONCTUATION.sub(NBSP + r"\1", texte)
    return _APRES_GUILLEMET.sub("«" + NBSP, texte)


def echapper(texte: str) -> str:
    """A value inserted into Paragraph markup: XML-escaped, with French spacing."""
    return typo(escape(texte))


def normaliser_texte(texte: str) -> str:
    """Text extracted from a PDF (pypdf), comparable to the strings written in the notices."""
    return texte.replace("\u00a0", " ").replace("\u202f", " ")


@lru_cache(maxsize=8192)
def largeur_texte(texte: str, police: str = POLICE, taille: float = 9) -> float:
    """Width in points; cached because the same cells ("Inscrit", the modes, the labels) recur."""
    enregistrer_polices()
    return pdfmetrics.stringWidth(texte, police, taille)


@dataclass(frozen=True)
class Morceau:
    """A run of plain text (no markup) in one face and colour."""

    texte: str
    gras: bool = False
    couleur: colors.Color | None = None


Morceaux = str | Morceau | Sequence[str | Morceau]


def _morceaux(contenu: Morceaux) -> tuple[Morceau, ...]:
    if isinstance(contenu, str | Morceau):
        contenu = (contenu,)
    return tuple(Morceau(m) if isinstance(m, str) else m for m in contenu)


class Ligne(Flowable):
    """Plain text in one or more runs (bold label, grey prefix…), laid out as one line when it fits.

    Draws what a one-line Paragraph would, at the same baseline, without parsing markup or breaking
    lines: several times cheaper, and the runs of one table row share a single text line in the PDF
    (no trailing T*), so a text extractor gives the row back on one line. When the available width is
    too small it becomes a wrapping Paragraph with the same content."""

    def __init__(self, morceaux: tuple[Morceau, ...], style: ParagraphStyle):
        super().__init__()
        self.morceaux = morceaux
        self.style = style
        taille = style.fontSize
        self.largeur_texte = sum(largeur_texte(m.texte, _police(style, m.gras), taille) for m in morceaux)
        self._x = style.leftIndent + style.firstLineIndent
        self._place = self._x + self.largeur_texte + style.rightIndent
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._paragraphe: Paragraph | None = None

    def _en_paragraphe(self) -> Paragraph:
        if self._paragraphe is None:
            self._paragraphe = Paragraph(_balisage(self.morceaux), self.style)
        return self._paragraphe

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._place > availWidth + 1e-6:
            self.width, self.height = self._en_paragraphe().wrap(availWidth, availHeight)
            return self.width, self.height
        self._paragraphe = None
        self.width = availWidth
        self.height = self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self._place > availWidth + 1e-6:
            return self._en_paragraphe().split(availWidth, availHeight)
        return []

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if self._paragraphe is not None:
            self._paragraphe.drawOn(canvas, x, y, _sW)
            return
        # Without Flowable.drawOn's saveState/translate/restoreState: the text carries its own position.
        self._dessiner(canvas, self._hAlignAdjust(x, _sW), y)

    def draw(self) -> None:
        if self._paragraphe is not None:
            self._paragraphe.drawOn(self.canv, 0, 0)
        else:
            self._dessiner(self.canv, 0, 0)

    def _dessiner(self, canvas: Canvas, x: float, y: float) -> None:
        # The PDF operators are written directly, as reportlab's text object would write them for a
        # TrueType font (a Tf per subset run), without its per-call bookkeeping: text drawing was half
        # of the rendering time. q/Q keep the colour change local.
        style = self.style
        x += self.width - style.rightIndent - self.largeur_texte if style.alignment == TA_RIGHT else self._x
        doc = canvas._doc  # the subset state of a TrueType font is per document, as in reportlab's text object
        taille = _nombre(style.fontSize)
        code = ["q BT 1 0 0 1", fp_str(x, y + self.height - style.fontSize), "Tm"]
        couleur_courante = None
        for morceau in self.morceaux:
            police = pdfmetrics.getFont(_police(style, morceau.gras))
            couleur = morceau.couleur or style.textColor
            if couleur is not couleur_courante:
                code.append(_couleur_remplissage(couleur.red, couleur.green, couleur.blue))
                couleur_courante = couleur
            for sous_ensemble, octets in police.splitString(morceau.texte, doc):
                nom = police.getSubsetInternalName(sous_ensemble, doc)
                code.append(f"{nom} {taille} Tf ({escapePDF(octets)}) Tj")
        code.append("ET Q")
        canvas.addLiteral(" ".join(code))


@lru_cache(maxsize=64)
def _nombre(valeur: float) -> str:
    return fp_str(valeur)


@lru_cache(maxsize=64)
def _couleur_remplissage(rouge: float, vert: float, bleu: float) -> str:
    return f"{fp_str(rouge, vert, bleu)} rg"


def _police(style: ParagraphStyle, gras: bool) -> str:
    return POLICE_GRAS if gras or style.fontName == POLICE_GRAS else style.fontName


def _balisage(morceaux: tuple[Morceau, ...]) -> str:
    parties = []
    for m in morceaux:
        partie = escape(m.texte)
        if m.couleur is not None:
            partie = f'<font color="#{m.couleur.hexval()[2:]}">{partie}</font>'
        if m.gras:
            partie = f"<b>{partie}</b>"
        parties.append(partie)
    return "".join(parties)


def texte(contenu: Morceaux, style: ParagraphStyle) -> Ligne:
    """Plain text (no markup to escape) with French spacing (:func:`typo`) applied to every run."""
    enregistrer_polices()
    return Ligne(tuple(Morceau(typo(m.texte), m.gras, m.couleur) for m in _morceaux(contenu)), style)


class Intertitre(Ligne):
    """A section heading (one line) with a thin rule under it."""

    def _dessiner(self, canvas: Canvas, x: float, y: float) -> None:
        super()._dessiner(canvas, x, y)
        canvas.saveState()
        canvas.setStrokeColor(GRIS_TRAIT)
        canvas.setLineWidth(0.5)
        canvas.line(x, y - 2, x + self.width, y - 2)
        canvas.restoreState()


def intertitre(texte: str, suite: float = 16 * mm) -> list[Flowable]:
    """A section heading that starts a new page unless ``suite`` points fit under it.

    Not keepWithNext: that would push a whole long table (and its heading) to the next page."""
    s = styles()
    return [CondPageBreak(s.intertitre.spaceBefore + s.intertitre.leading + s.intertitre.spaceAfter + suite),
            Intertitre((Morceau(typo(texte)),), s.intertitre)]


def tableau(
    cellules: Sequence[Sequence[Any]], largeurs: Sequence[float], style: TableStyle | None = None, **kwargs: Any
) -> Table:
    """A Table with fixed column widths whose cells default to DejaVu Sans.

    Without the FONTNAME command the Table sets Helvetica before every cell, even one holding only
    flowables, and the PDF then lists a non-embedded base-14 font."""
    table = Table(cellules, colWidths=tuple(largeurs), **kwargs)
    table.setStyle(_STYLE_TABLE_BASE)
    if style is not None:
        table.setStyle(style)
    return table


_STYLE_TABLE_BASE = TableStyle([("FONTNAME", (0, 0), (-1, -1), POLICE), ("FONTSIZE", (0, 0), (-1, -1), 8.5)])


@dataclass(frozen=True)
class MiseEnPage:
    titre: str                      # PDF metadata /Title
    auteur: str                     # PDF metadata /Author (the académie)
    sujet: str = ""
    pied: str = ""                  # footer, left; « Page N/M » is printed at the right
    filigrane: str | None = None    # diagonal watermark on every page (drafts)


class _CanvasPagine(Canvas):
    """Keeps the pages until save() so the footer can say « Page N/M » without a second layout pass."""

    def __init__(self, *args: Any, pied: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pied_texte = pied
        self._pages_differees: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages_differees.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages_differees)
        for numero, etat in enumerate(self._pages_differees, start=1):
            self.__dict__.update(etat)
            self._dessiner_pied(numero, total)
            super().showPage()
        super().save()

    def _dessiner_pied(self, numero: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(GRIS_TRAIT)
        self.setLineWidth(0.4)
        self.line(MARGE, PIED_TRAIT_Y, PAGE[0] - MARGE, PIED_TRAIT_Y)
        self.setFillColor(GRIS_TEXTE)
        self.setFont(POLICE, 7.5)
        if self._pied_texte:
            self.drawString(MARGE, PIED_Y, self._pied_texte)
        self.drawRightString(PAGE[0] - MARGE, PIED_Y, f"Page {numero}/{total}")
        self.restoreState()


def _dessiner_filigrane(texte: str, canv: Canvas, _doc: BaseDocTemplate) -> None:
    # Drawn when the page begins, hence under the text.
    largeur, hauteur = PAGE
    diagonale = math.hypot(largeur, hauteur)
    taille = min(64.0, 0.7 * diagonale / pdfmetrics.stringWidth(texte, POLICE_GRAS, 1))
    canv.saveState()
    canv.setFillColor(GRIS_FILIGRANE)
    canv.setFont(POLICE_GRAS, taille)
    canv.translate(largeur / 2, hauteur / 2)
    canv.rotate(math.degrees(math.atan2(hauteur, largeur)))
    canv.drawCentredString(0, -taille / 3, texte)
    canv.restoreState()


def construire_pdf(
    histoire: Sequence[Flowable], mise_en_page: MiseEnPage, *, compression: bool = COMPRESSION
) -> bytes:
    """Lay out the flowables on A4 portrait pages (18 mm margins) and return the PDF bytes."""
    enregistrer_polices()
    sortie = BytesIO()
    doc = BaseDocTemplate(
        sortie,
        pagesize=PAGE,
        leftMargin=MARGE,
        rightMargin=MARGE,
        topMargin=MARGE,
        bottomMargin=MARGE,
        title=mise_en_page.titre,
        author=mise_en_page.auteur,
        subject=mise_en_page.sujet,
        creator="cyclades-desktop",
        producer="cyclades-desktop (reportlab)",
        pageCompression=1 if compression else 0,
        # Same data, same bytes: a document can be rebuilt and compared.
        invariant=1,
        # Otherwise every page references Helvetica in its preamble.
        initialFontName=POLICE,
        initialFontSize=9,
        initialLeading=11.5,
        lang="fr-FR",
        displayDocTitle=1,
    )
    cadre = Frame(
        MARGE, MARGE, LARGEUR_UTILE, HAUTEUR_UTILE,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="texte",
    )
    sur_page: dict[str, Callable[[Canvas, BaseDocTemplate], None]] = {}
    if mise_en_page.filigrane:
        sur_page["onPage"] = partial(_dessiner_filigrane, mise_en_page.filigrane)
    doc.addPageTemplates([PageTemplate(id="A4", frames=[cadre], **sur_page)])
    doc.build(list(histoire), canvasmaker=partial(_CanvasPagine, pied=mise_en_page.pied))
    return sortie.getvalue()
