"""Documents drawn straight onto a reportlab canvas, without platypus: for the documents printed by
the thousand (convocations, notifications), where layout is simple and speed matters.

A :class:`Redaction` lays text out top-down with a cursor, breaking pages when needed; every page is
kept as a list of PDF operators and only written to the canvas at the end, so the footer can say
« Page N/M » without a second layout pass. Text is written as raw operators, as
:class:`documents.pdf.Ligne` does (reportlab's text object costs several times more per line)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..rules.temps import format_date_heure
from . import pdf
from .donnees import EnTeteBureau
from .pdf import GRIS_TEXTE, GRIS_TRAIT, MARGE, PAGE, POLICE, POLICE_GRAS, largeur_texte, typo

HAUT = PAGE[1] - MARGE
BAS = 20 * mm   # the footer sits under it
NOIR = Color(0, 0, 0)

Run = tuple[str, str]     # (text, font name)
MAX_CACHE_RUNS = 20_000


@lru_cache(maxsize=16)
def _police(nom: str) -> pdfmetrics.Font:
    pdf.enregistrer_polices()
    return pdfmetrics.getFont(nom)


# Keyed by identity: the colours are module constants, and Color.__hash__ is slow.
_COULEURS: dict[tuple[int, str], str] = {}


def _rg(couleur: Color, operateur: str = "rg") -> str:
    code = _COULEURS.get((id(couleur), operateur))
    if code is None:
        code = _COULEURS[(id(couleur), operateur)] = f"{fp_str(couleur.red, couleur.green, couleur.blue)} {operateur}"
    return code


def _RG(couleur: Color) -> str:  # noqa: N802 (the PDF operator's name)
    return _rg(couleur, "RG")


def _cache_runs(canvas: Canvas) -> dict[tuple[str, float, str], str]:
    cache = getattr(canvas, "_cyclades_runs", None)
    if cache is None or len(cache) > MAX_CACHE_RUNS:     # bounded: memory stays flat on long batches
        cache = {}
        canvas._cyclades_runs = cache  # type: ignore[attr-defined]
    return cache


def largeur(runs: Sequence[Run], taille: float) -> float:
    return sum(largeur_texte(t, p, taille) for t, p in runs)


def couper(texte: str, largeur_max: float, police: str = POLICE, taille: float = 9) -> list[str]:
    """Greedy word wrap on ordinary spaces (never on the no-break spaces :func:`typo` puts in)."""
    if largeur_texte(texte, police, taille) <= largeur_max:
        return [texte]
    espace = largeur_texte(" ", police, taille)
    lignes: list[str] = []
    courante: list[str] = []
    l_courante = 0.0
    for mot in texte.split(" "):
        l_mot = largeur_texte(mot, police, taille)
        if courante and l_courante + espace + l_mot > largeur_max:
            lignes.append(" ".join(courante))
            courante, l_courante = [mot], l_mot
        else:
            l_courante += (espace if courante else 0) + l_mot
            courante.append(mot)
    if courante:
        lignes.append(" ".join(courante))
    return lignes


@dataclass
class Redaction:
    """One document being laid out: pages of PDF operators and a cursor ``y`` (baseline of the next
    line, from the bottom of the page)."""

    canvas: Canvas
    pied: str = ""
    pages: list[list[str]] = field(default_factory=list)
    y: float = HAUT

    def __post_init__(self) -> None:
        self.pages.append([])

    @property
    def ops(self) -> list[str]:
        return self.pages[-1]

    # --- page breaks ---------------------------------------------------------------------------
    def nouvelle_page(self) -> None:
        self.pages.append([])
        self.y = HAUT

    def place(self, hauteur: float) -> None:
        """Start a new page unless ``hauteur`` points fit under the cursor."""
        if self.y - hauteur < BAS:
            self.nouvelle_page()

    # --- drawing -------------------------------------------------------------------------------
    def texte(self, x: float, y: float, runs: Sequence[Run] | str, taille: float = 9,
              couleur: Color | None = None, *, droite: bool = False) -> None:
        """One line of text (several runs of different faces) with its baseline at ``y``."""
        self.ops.append(self.code_texte(x, y, runs, taille, couleur, droite=droite))

    def code_texte(self, x: float, y: float, runs: Sequence[Run] | str, taille: float = 9,
                   couleur: Color | None = None, *, droite: bool = False) -> str:
        if isinstance(runs, str):
            runs = ((runs, POLICE),)
        if droite:
            x -= largeur(runs, taille)
        doc = self.canvas._doc
        # Encoded runs cached per document (the canvas): labels, the office block, the centres and the
        # reminders recur on every convocation, and encoding was most of the drawing time. Safe because a
        # character's subset code never changes once assigned within a document.
        cache = _cache_runs(self.canvas)
        code = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm", _rg(couleur or NOIR)]
        for texte, nom in runs:
            cle = (nom, taille, texte)
            fragment = cache.get(cle)
            if fragment is None:
                police = _police(nom)
                t = fp_str(taille)
                fragment = cache[cle] = " ".join(
                    f"{police.getSubsetInternalName(sous_ensemble, doc)} {t} Tf ({escapePDF(octets)}) Tj"
                    for sous_ensemble, octets in police.splitString(texte, doc))
            code.append(fragment)
        code.append("ET")
        return " ".join(code)

    def trait(self, x1: float, y1: float, x2: float, y2: float, epaisseur: float = 0.5,
              couleur: Color = GRIS_TRAIT) -> None:
        self.ops.append(f"{_RG(couleur)} {fp_str(epaisseur)} w {fp_str(x1, y1)} m {fp_str(x2, y2)} l S")

    def cadre(self, x: float, y: float, l: float, h: float, *, fond: Color | None = None,  # noqa: E741
              bord: Color | None = GRIS_TRAIT, epaisseur: float = 0.5) -> None:
        """A rectangle whose lower-left corner is (x, y)."""
        rect = f"{fp_str(x, y, l, h)} re"
        if fond is not None and bord is not None:
            self.ops.append(f"{_rg(fond)} {_RG(bord)} {fp_str(epaisseur)} w {rect} B")
        elif fond is not None:
            self.ops.append(f"{_rg(fond)} {rect} f")
        elif bord is not None:
            self.ops.append(f"{_RG(bord)} {fp_str(epaisseur)} w {rect} S")

    # --- flowing text --------------------------------------------------------------------------
    def ligne(self, runs: Sequence[Run] | str, taille: float = 9, interligne: float = 11.5, *, x: float = MARGE,
              couleur: Color | None = None) -> None:
        """A line at the cursor, then the cursor moves down."""
        self.place(interligne)
        self.texte(x, self.y - taille, runs, taille, couleur)
        self.y -= interligne

    def paragraphe(self, texte: str, taille: float = 9, interligne: float = 11.5, *, police: str = POLICE,
                   x: float = MARGE, largeur_max: float = pdf.LARGEUR_UTILE, couleur: Color | None = None,
                   prefixe: Run | None = None) -> None:
        """Wrapped text; ``prefixe`` (a bold label) opens the first line."""
        decalage = largeur((prefixe,), taille) if prefixe else 0.0
        lignes = couper(typo(texte), largeur_max - decalage, police, taille)
        for i, morceau in enumerate(lignes):
            if i == 0 and prefixe:
                self.ligne((prefixe, (morceau, police)), taille, interligne, x=x, couleur=couleur)
            else:
                self.ligne(((morceau, police),), taille, interligne, x=x + decalage, couleur=couleur)

    def intertitre(self, texte: str, suite: float = 40) -> None:
        """A section heading with a rule under it, moved to the next page unless ``suite`` fits too."""
        self.y -= 6
        self.place(22 + suite)
        self.texte(MARGE, self.y - 9.5, ((typo(texte), POLICE_GRAS),), 9.5)
        self.trait(MARGE, self.y - 12, PAGE[0] - MARGE, self.y - 12)
        self.y -= 18

    # --- output --------------------------------------------------------------------------------
    def terminer(self) -> int:
        """Write the pages with their footer (« Page N/M ») to the canvas; returns the page count."""
        total = len(self.pages)
        for numero, ops in enumerate(self.pages, start=1):
            ops.append(f"{_RG(GRIS_TRAIT)} 0.4 w {fp_str(MARGE, pdf.PIED_TRAIT_Y)} m "
                       f"{fp_str(PAGE[0] - MARGE, pdf.PIED_TRAIT_Y)} l S")
            if self.pied:
                ops.append(self.code_texte(MARGE, pdf.PIED_Y, self.pied, 7.5, GRIS_TEXTE))
            ops.append(self.code_texte(PAGE[0] - MARGE, pdf.PIED_Y, f"Page {numero}/{total}", 7.5, GRIS_TEXTE,
                                       droite=True))
            self.canvas.addLiteral("\n".join(ops))
            self.canvas.showPage()
        return total


def nouveau_canvas(sortie: BytesIO, *, titre: str, auteur: str, sujet: str = "", mots_cles: str = "",
                   compression: bool = pdf.COMPRESSION) -> Canvas:
    """An A4 canvas with the documents' settings (DejaVu as initial font, invariant output)."""
    pdf.enregistrer_polices()
    c = Canvas(sortie, pagesize=PAGE, pageCompression=1 if compression else 0, invariant=1,
               initialFontName=POLICE, initialFontSize=9, initialLeading=11.5, lang="fr-FR")
    c.setTitle(titre)
    c.setAuthor(auteur)
    c.setSubject(sujet)
    c.setKeywords(mots_cles)       # written uncompressed in the Info dictionary (see lire_empreinte)
    c.setCreator("cyclades-desktop")
    c.setProducer("cyclades-desktop (reportlab)")
    return c


# --- the header shared by the candidate's documents (same look as documents/entete.py) -------------

LARGEUR_BOITE = 74 * mm
LARGEUR_BUREAU = 92 * mm
PADDING_BOITE = 6.0


def entete(r: Redaction, *, titre: str, domaine: str, precisions: Sequence[str], version: int,
           version_le: datetime, numero_candidat: str, numero_inscription: str, session: str,
           bureau: EnTeteBureau, identite: str, adresse: Sequence[str]) -> None:
    """Title and domaine on the left, the boxed version / numbers on the right; then the office's block
    beside the candidate's (where a window envelope shows it)."""
    haut = r.y
    # Left column: title, domaine, précisions (wrapped to leave room for the box).
    largeur_gauche = pdf.LARGEUR_UTILE - LARGEUR_BOITE - 6
    y = haut + 3
    for morceau in couper(titre, largeur_gauche, POLICE_GRAS, 14):
        y -= 17
        r.texte(MARGE, y, ((morceau, POLICE_GRAS),), 14)
    y -= 17
    r.texte(MARGE, y, ((domaine.upper(), POLICE_GRAS),), 11)
    y -= 3
    for p in precisions:
        for morceau in couper(typo(p), largeur_gauche):
            y -= 11.5
            r.texte(MARGE, y, morceau, 9)
    bas_gauche = y - 3
    # Right: the box.
    x_boite = PAGE[0] - MARGE - LARGEUR_BOITE
    lignes = [f"Version n°{version} mis à jour le {format_date_heure(version_le)}",
              f"N° candidat : {numero_candidat}", f"Inscription n° : {numero_inscription}",
              f"Session : {session}"]
    y = haut - 4
    for i, ligne in enumerate(lignes):
        y -= 10
        r.texte(x_boite + PADDING_BOITE, y + 2, ((typo(ligne), POLICE_GRAS if i == 0 else POLICE),), 8)
    bas_boite = y - 5
    r.cadre(x_boite, bas_boite, LARGEUR_BOITE, haut - bas_boite)
    y = min(bas_gauche, bas_boite) - 5 * mm
    # The office and the candidate.
    y_bureau = y
    lignes_bureau = list(bureau.lignes)
    if bureau.telephone:
        lignes_bureau.append(typo(f"Tél : {bureau.telephone}"))
    if bureau.email:
        lignes_bureau.append(typo(f"Mèl : {bureau.email}"))
    for i, ligne in enumerate(lignes_bureau):
        y_bureau -= 10.4
        r.texte(MARGE, y_bureau + 2, ((ligne, POLICE_GRAS if i == 0 else POLICE),), 8.5)
    y_candidat = y
    for i, ligne in enumerate([identite, *adresse]):
        y_candidat -= 11.5
        r.texte(MARGE + LARGEUR_BUREAU, y_candidat + 2.5, ((ligne, POLICE_GRAS if i == 0 else POLICE),), 9)
    r.y = min(y_bureau, y_candidat) - 4 * mm


def pied(numero_candidat: str, numero_inscription: str, version: int) -> str:
    return f"N° candidat {numero_candidat} – Inscription n° {numero_inscription} – Version {version}"


def en_octets(dessiner: Callable[[Canvas], None], *, titre: str, auteur: str, sujet: str = "",
              mots_cles: str = "", compression: bool = pdf.COMPRESSION) -> bytes:
    sortie = BytesIO()
    c = nouveau_canvas(sortie, titre=titre, auteur=auteur, sujet=sujet, mots_cles=mots_cles,
                       compression=compression)
    dessiner(c)
    c.save()
    return sortie.getvalue()
