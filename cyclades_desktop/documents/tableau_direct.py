"""Fixed-width tables drawn straight on the canvas (:mod:`documents.page_directe`), for the documents of
the exam days and the results: relevé de notes, liste d'émargement, PV de délibération, attestation
d'unités.

Columns have fixed widths (the same from one document to the next, and no measuring pass); a row is as
tall as its tallest cell; the header row is drawn again on every page the table reaches; the vertical
rules are drawn once per page, not once per cell. Smallest use::

    t = Tableau(r, (Colonne("Unité", 20 * mm), Colonne("Note", 15 * mm, "droite")))
    t.entete()
    t.rangee(("U11", "12,50"))
    t.fermer()
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color

from .page_directe import BAS, Redaction, couper
from .pdf import GRIS_FOND, GRIS_GRILLE, GRIS_TRAIT, MARGE, POLICE, POLICE_GRAS, largeur_texte, typo

POINTS_DE_SUITE = "…"


def tronquer(texte: str, largeur_max: float, police: str = POLICE, taille: float = 9) -> str:
    """``texte`` cut to ``largeur_max`` with an ellipsis (a single word too long for its cell)."""
    if largeur_texte(texte, police, taille) <= largeur_max:
        return texte
    fin = len(texte)
    while fin > 1 and largeur_texte(texte[:fin].rstrip() + POINTS_DE_SUITE, police, taille) > largeur_max:
        fin -= 1
    return texte[:fin].rstrip() + POINTS_DE_SUITE


def couper_noms(texte: str, largeur_max: float, police: str = POLICE, taille: float = 9) -> list[str]:
    """Greedy wrap on spaces and after hyphens: « DURAND-DE LA FONTAINE-SAINT-ÉTIENNE » can break after
    « FONTAINE- » (the hyphen stays at the end of the line, as a compound name is hyphenated)."""
    if largeur_texte(texte, police, taille) <= largeur_max:
        return [texte]
    lignes: list[str] = []
    courante = ""
    for mot in texte.split(" "):
        for i, morceau in enumerate(_TRAITS.findall(mot) or [mot]):
            essai = courante + (" " if i == 0 and courante else "") + morceau
            if courante and largeur_texte(essai, police, taille) > largeur_max:
                lignes.append(courante)
                courante = morceau
            else:
                courante = essai
    if courante:
        lignes.append(courante)
    return lignes


_TRAITS = re.compile(r"[^-]+-?|-")


def ajuster(texte: str, largeur_max: float, police: str = POLICE, taille: float = 9, *,
            lignes_max: int | None = None, taille_min: float | None = None) -> tuple[list[str], float]:
    """Lines and font size that put ``texte`` in ``largeur_max``: wrapped (:func:`couper_noms`); with
    ``taille_min``, the size goes down by half points while the text needs more than ``lignes_max``
    lines or a word is wider than the cell; what still does not fit is cut with an ellipsis. Nothing ever
    leaves its cell: a long compound name on an émargement list must not run into the signature box."""
    def deborde(lignes: list[str], t: float) -> bool:
        return ((lignes_max is not None and len(lignes) > lignes_max)
                or any(largeur_texte(x, police, t) > largeur_max for x in lignes))

    lignes = couper_noms(texte, largeur_max, police, taille)
    if taille_min is not None:
        while taille - 0.5 >= taille_min and deborde(lignes, taille):
            taille -= 0.5
            lignes = couper_noms(texte, largeur_max, police, taille)
    if lignes_max is not None and len(lignes) > lignes_max:
        reste = lignes[lignes_max - 1]
        for x in lignes[lignes_max:]:
            reste += x if reste.endswith("-") else " " + x     # a break after a hyphen had no space
        lignes = lignes[:lignes_max - 1] + [reste]
    return [tronquer(x, largeur_max, police, taille) for x in lignes], taille


@lru_cache(maxsize=8192)
def _cellule(texte: str, largeur_max: float, police: str, taille: float, lignes_max: int | None,
             taille_min: float | None) -> tuple[tuple[str, ...], float]:
    """A cell's lines, cached: unit titles, codes, grades and decisions recur from one document to the
    next, and the typography's regular expressions were a tenth of a relevé's drawing time."""
    lignes, taille = ajuster(typo(texte), largeur_max, police, taille, lignes_max=lignes_max, taille_min=taille_min)
    return tuple(lignes), taille


@dataclass(frozen=True)
class Colonne:
    titre: str
    largeur: float
    alignement: str = "gauche"           # "gauche", "droite" (numbers), "centre"


@dataclass(frozen=True)
class Cellule:
    """A cell's text when it is not plain: bold, indented, coloured."""

    texte: str
    gras: bool = False
    retrait: float = 0.0
    couleur: Color | None = None


class Tableau:
    """One table being drawn on ``r`` from its cursor down. ``sur_nouvelle_page`` redraws what a page
    repeats above the table (the émargement's header) when the table runs onto a new page."""

    def __init__(self, r: Redaction, colonnes: Sequence[Colonne], *, x: float = MARGE, taille: float = 8.5,
                 interligne: float = 10.4, padding: float = 3.0, taille_entete: float = 8.0,
                 lignes_max: int | None = None, taille_min: float | None = None,
                 sur_nouvelle_page: Callable[[], None] | None = None) -> None:
        self.r = r
        self.colonnes = tuple(colonnes)
        self.x = x
        self.taille = taille
        self.interligne = interligne
        self.padding = padding
        self.taille_entete = taille_entete
        self.lignes_max = lignes_max
        self.taille_min = taille_min
        self.sur_nouvelle_page = sur_nouvelle_page
        self.largeur = sum(c.largeur for c in self.colonnes)
        bords = [x]
        for c in self.colonnes:
            bords.append(bords[-1] + c.largeur)
        self.bords = tuple(bords)
        self._haut_segment: float | None = None   # top of the table on the current page
        # The header's lines, wrapped once: the same on every page.
        self._entete = [couper(typo(c.titre), c.largeur - 2 * padding, POLICE_GRAS, taille_entete)
                        for c in self.colonnes]
        self.hauteur_entete = 2 * padding + max(len(x) for x in self._entete) * (taille_entete + 1.6)

    # --- drawing -------------------------------------------------------------------------------
    def entete(self, suite: float = 0.0) -> None:
        """The header row at the cursor (on a new page unless ``suite`` points of rows fit under it)."""
        if self.r.y - self.hauteur_entete - suite < BAS:
            self._saut()
            return
        self._dessiner_entete()

    def rangee(self, cellules: Sequence[str | Cellule], *, hauteur_min: float = 0.0, fond: Color | None = None,
               gras: bool = False) -> float:
        """One row; returns its height. A row never splits: it goes to the next page whole."""
        mises_en_forme = []
        hauteur_texte = 0.0
        for colonne, cellule in zip(self.colonnes, cellules, strict=True):
            c = cellule if isinstance(cellule, Cellule) else Cellule(cellule, gras)
            police = POLICE_GRAS if c.gras or gras else POLICE
            disponible = colonne.largeur - 2 * self.padding - c.retrait
            lignes, taille = _cellule(c.texte, disponible, police, self.taille, self.lignes_max,
                                      self.taille_min) if c.texte else ((), 0.0)
            interligne = self.interligne * (taille / self.taille) if taille else self.interligne
            mises_en_forme.append((c, police, lignes, taille, interligne))
            hauteur_texte = max(hauteur_texte, len(lignes) * interligne)
        hauteur = max(hauteur_min, hauteur_texte + 2 * self.padding)
        if self.r.y - hauteur < BAS:
            self._saut()
        r, haut = self.r, self.r.y
        if fond is not None:
            r.cadre(self.x, haut - hauteur, self.largeur, hauteur, fond=fond, bord=None)
        for i, (c, police, lignes, taille, interligne) in enumerate(mises_en_forme):
            if not lignes:
                continue
            colonne, gauche = self.colonnes[i], self.bords[i]
            # Centred vertically in the row (taller than its text when hauteur_min asks for room to sign).
            y = haut - (hauteur - len(lignes) * interligne) / 2 - interligne / 2 - 0.35 * taille
            for morceau in lignes:
                runs = ((morceau, police),)
                if colonne.alignement == "droite":
                    r.texte(gauche + colonne.largeur - self.padding, y, runs, taille, c.couleur, droite=True)
                elif colonne.alignement == "centre":
                    l_texte = largeur_texte(morceau, police, taille)
                    r.texte(gauche + (colonne.largeur - l_texte) / 2, y, runs, taille, c.couleur)
                else:
                    r.texte(gauche + self.padding + c.retrait, y, runs, taille, c.couleur)
                y -= interligne
        r.y = haut - hauteur
        r.trait(self.x, r.y, self.x + self.largeur, r.y, 0.25, GRIS_GRILLE)
        return hauteur

    def fermer(self) -> None:
        """The vertical rules and the frame of the table's part on this page."""
        if self._haut_segment is None:
            return
        haut, bas, r = self._haut_segment, self.r.y, self.r
        for x in self.bords[1:-1]:
            r.trait(x, haut, x, bas, 0.25, GRIS_GRILLE)
        r.cadre(self.x, bas, self.largeur, haut - bas, bord=GRIS_TRAIT)
        self._haut_segment = None

    # --- internals -----------------------------------------------------------------------------
    def _saut(self) -> None:
        self.fermer()
        self.r.nouvelle_page()
        if self.sur_nouvelle_page is not None:
            self.sur_nouvelle_page()
        self._dessiner_entete()

    def _dessiner_entete(self) -> None:
        r, haut, h = self.r, self.r.y, self.hauteur_entete
        r.cadre(self.x, haut - h, self.largeur, h, fond=GRIS_FOND, bord=None)
        interligne = self.taille_entete + 1.6
        for colonne, gauche, lignes in zip(self.colonnes, self.bords, self._entete, strict=False):
            y = haut - (h - len(lignes) * interligne) / 2 - interligne / 2 - 0.35 * self.taille_entete
            for morceau in lignes:
                runs = ((morceau, POLICE_GRAS),)
                if colonne.alignement == "droite":
                    r.texte(gauche + colonne.largeur - self.padding, y, runs, self.taille_entete, droite=True)
                elif colonne.alignement == "centre":
                    l_texte = largeur_texte(morceau, POLICE_GRAS, self.taille_entete)
                    r.texte(gauche + (colonne.largeur - l_texte) / 2, y, runs, self.taille_entete)
                else:
                    r.texte(gauche + self.padding, y, runs, self.taille_entete)
                y -= interligne
        self._haut_segment = haut
        r.y = haut - h
        r.trait(self.x, r.y, self.x + self.largeur, r.y, 0.5, GRIS_TRAIT)
