"""The papers of an exam day for one sitting (docs/domaine/resultats.md#journees, RES-1 and RES-2):

- the **liste d'émargement**: A4 portrait, 20 candidates a page, each page with the sitting's header,
  a row per candidate (table, N° candidat, nom, prénom(s), date de naissance, a box for « Absent », a
  signature box) and the surveillants' signature boxes; « Page x/y » per list;
- the **affiche de salle**: the room's door list in large type (centre, salle, épreuve, date and time,
  the candidates' numbers or names);
- the **étiquettes de table**: N° candidat, nom, prénom, épreuve, room and table, 3 × 8 or 2 × 7 on an
  A4 sheet.

Drawn straight on the canvas (:mod:`documents.page_directe`). Each ``rendre_…`` takes several sittings
and puts them in one PDF, each starting on a new page. Smallest use::

    octets = rendre_emargements([DonneesEmargement(bureau, seance, candidats)])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..rules.temps import format_date
from . import pdf
from .convocation import duree
from .donnees_resultats import (
    CandidatEmargement,
    DonneesEmargement,
    SeanceImprimee,
    date_et_heure,
    heure_paris,
    intitule_epreuve,
)
from .page_directe import BAS, HAUT, Redaction, couper, nouveau_canvas
from .pdf import GRIS_TEXTE, GRIS_TRAIT, MARGE, PAGE, POLICE, POLICE_GRAS, largeur_texte, typo
from .tableau_direct import Cellule, Colonne, Tableau, ajuster, tronquer

TITRE_EMARGEMENT = "Liste d'émargement"
PAR_PAGE = 20
HAUTEUR_RANGEE = 25.0                 # 8.8 mm: room for a signature
SURVEILLANTS_MIN = 2
HAUTEUR_CASE_SURVEILLANT = 36.0
COLONNES = (
    Colonne("Table", 10 * mm, "centre"),
    Colonne("N° candidat", 24 * mm),
    Colonne("Nom", 38 * mm),
    Colonne("Prénom(s)", 30 * mm),
    Colonne("Né(e) le", 19.5 * mm, "centre"),
    Colonne("Absent", 13 * mm, "centre"),       # the header « Absent » in bold needs 12.6 mm
    Colonne("Signature du candidat", pdf.LARGEUR_UTILE - 134.5 * mm),
)
AUCUN_CANDIDAT = "Aucun candidat n'est placé dans cette salle pour cette épreuve."


def pied(s: SeanceImprimee) -> str:
    return f"Session {s.session} – {s.code} – {s.centre} – Salle {s.salle}"


def _lieu(s: SeanceImprimee) -> str:
    return f"{s.centre} ({s.centre_ville})" if s.centre_ville else s.centre


# --- liste d'émargement ----------------------------------------------------------------------------

def _entete_page(r: Redaction, d: DonneesEmargement, premier: int, dernier: int) -> None:
    """The sitting's header, on every page: a sheet separated from the others still says what it is."""
    s = d.seance
    y = r.y
    for i, ligne in enumerate(d.bureau.lignes[:2]):
        r.texte(MARGE, y - 8, ((ligne, POLICE_GRAS if i == 0 else POLICE),), 8)
        y -= 10
    r.texte(PAGE[0] - MARGE, r.y - 8, ((f"Session {s.session}", POLICE_GRAS),), 10, droite=True)
    y -= 18
    r.texte(MARGE, y, ((TITRE_EMARGEMENT, POLICE_GRAS),), 14)
    y -= 15
    r.texte(MARGE, y, ((s.domaine.upper(), POLICE_GRAS),), 10.5)
    if s.specialite:
        y -= 12
        r.texte(MARGE, y, ((s.specialite, POLICE),), 9)
    y -= 8
    lignes = (
        (("Épreuve : ", POLICE_GRAS), (intitule_epreuve(s.code, s.unite, s.intitule), POLICE)),
        (("Date : ", POLICE_GRAS), (date_et_heure(s.debut), POLICE),
         ("      Durée : ", POLICE_GRAS), (duree(s.duree_minutes), POLICE)),
        (("Centre : ", POLICE_GRAS), (_lieu(s), POLICE), ("      Salle : ", POLICE_GRAS), (s.salle, POLICE)),
        (("Candidats : ", POLICE_GRAS), (f"{len(d.candidats)}", POLICE)),
    )
    for runs in lignes:
        y -= 12
        r.texte(MARGE, y, [(typo(t), p) for t, p in runs], 9)
    if d.candidats:     # which part of the list this sheet holds, in grey after the count
        x = MARGE + sum(largeur_texte(typo(t), p, 9) for t, p in lignes[-1])
        r.texte(x, y, f"      (candidats {premier} à {dernier} de la liste sur cette page)", 9, GRIS_TEXTE)
    r.y = y - 10


def _surveillants(r: Redaction, d: DonneesEmargement, derniere: bool) -> None:
    """The surveillants' boxes at the foot of every page (up to four a row, as tall as the page leaves
    room for); the counts to fill in on the last page."""
    noms = list(d.surveillants) + [""] * max(0, SURVEILLANTS_MIN - len(d.surveillants))
    par_ligne = min(4, len(noms))
    rangs = math.ceil(len(noms) / par_ligne)
    titres = 14 + (16 if derniere else 0)
    hauteur_case = min(HAUTEUR_CASE_SURVEILLANT, (r.y - 8 - BAS - titres) / rangs - 4)
    # At the foot of the page, whatever the number of rows above.
    r.y = BAS + titres + rangs * (hauteur_case + 4)
    if derniere:
        r.texte(MARGE, r.y - 9, ((typo("Nombre de présents : ________      Nombre d'absents : ________"),
                                  POLICE),), 9)
        r.y -= 16
    r.texte(MARGE, r.y - 9, ((typo("Surveillant(e)s : nom et signature"), POLICE_GRAS),), 9)
    r.y -= 14
    largeur = (pdf.LARGEUR_UTILE - (par_ligne - 1) * 6) / par_ligne
    for i, nom in enumerate(noms):
        x = MARGE + (i % par_ligne) * (largeur + 6)
        haut = r.y - (i // par_ligne) * (hauteur_case + 4)
        r.cadre(x, haut - hauteur_case, largeur, hauteur_case)
        if nom:
            r.texte(x + 4, haut - 10, tronquer(nom, largeur - 8, POLICE, 8), 8)
    r.y -= rangs * (hauteur_case + 4)


def dessiner_emargement(canvas: Canvas, d: DonneesEmargement) -> int:
    """One sitting's list on ``canvas``; returns its page count (20 candidates a page)."""
    r = Redaction(canvas, pied=pied(d.seance))
    paquets = candidats_par_page(d.candidats)
    for numero, paquet in enumerate(paquets):
        if numero:
            r.nouvelle_page()
        premier = numero * PAR_PAGE + 1
        _entete_page(r, d, premier, premier + len(paquet) - 1)
        if not paquet:
            r.ligne(AUCUN_CANDIDAT)
        else:
            t = Tableau(r, COLONNES, lignes_max=2, taille_min=6.5)
            t.entete()
            for c in paquet:
                t.rangee(_cellules(c), hauteur_min=HAUTEUR_RANGEE)
            t.fermer()
        _surveillants(r, d, numero == len(paquets) - 1)
    return r.terminer()


def _cellules(c: CandidatEmargement) -> tuple[str | Cellule, ...]:
    return (c.numero_table, c.numero_candidat, Cellule(c.nom, gras=True), c.prenoms,
            format_date(c.date_naissance), "", "")


# --- affiche de salle ------------------------------------------------------------------------------

# (font size, columns) tried in turn for the names: the largest that holds the whole room on the page.
TAILLES_NOMS = ((13.0, 2), (11.0, 3), (9.0, 3))


def _centre(r: Redaction, y: float, texte: str, taille: float, police: str = POLICE_GRAS) -> float:
    """Centred lines (wrapped); returns the baseline of the last one."""
    for morceau in couper(typo(texte), pdf.LARGEUR_UTILE, police, taille):
        y -= taille * 1.25
        x = (PAGE[0] - largeur_texte(morceau, police, taille)) / 2
        r.texte(x, y, ((morceau, police),), taille)
    return y


def dessiner_affiche(canvas: Canvas, d: DonneesEmargement, *, noms: bool = True) -> int:
    """The door list of one room: ``noms`` lists the candidates (table, NOM Prénom), else only the range
    of their numbers."""
    s = d.seance
    r = Redaction(canvas, pied=pied(s))
    y = r.y
    r.texte(MARGE, y - 8, ((d.bureau.lignes[0] if d.bureau.lignes else "", POLICE_GRAS),), 8)
    r.texte(PAGE[0] - MARGE, y - 8, ((f"Session {s.session}", POLICE_GRAS),), 10, droite=True)
    y = _centre(r, y - 20, s.domaine.upper(), 13)
    y = _centre(r, y - 4, _lieu(s), 20)
    y = _centre(r, y - 14, f"Salle {s.salle}", 54)
    y = _centre(r, y - 10, intitule_epreuve(s.code, s.unite, s.intitule), 17)
    if s.specialite:
        y = _centre(r, y, s.specialite, 11, POLICE)
    y = _centre(r, y - 8, date_et_heure(s.debut).removesuffix(" à " + heure_paris(s.debut)), 17)
    y = _centre(r, y, f"{heure_paris(s.debut)} – durée {duree(s.duree_minutes)}", 14, POLICE)
    y -= 12
    r.trait(MARGE, y, PAGE[0] - MARGE, y, 0.8)
    numeros = sorted(c.numero_candidat for c in d.candidats)
    compte = f"{len(numeros)} candidat{'s' if len(numeros) > 1 else ''}"
    if numeros:
        compte += f" – N° {numeros[0]} à {numeros[-1]}" if len(numeros) > 1 else f" – N° {numeros[0]}"
    y = _centre(r, y - 6, compte, 14)
    r.y = y - 14
    if noms and d.candidats:
        _noms(r, d)
    return r.terminer()


def _noms(r: Redaction, d: DonneesEmargement) -> None:
    n = len(d.candidats)
    taille, colonnes = TAILLES_NOMS[-1]
    for t, c in TAILLES_NOMS:
        if math.floor((r.y - BAS) / (t * 1.35)) * c >= n:
            taille, colonnes = t, c
            break
    interligne = taille * 1.35
    largeur = (pdf.LARGEUR_UTILE - (colonnes - 1) * 8) / colonnes
    tables = [c.numero_table for c in d.candidats if c.numero_table]
    place = max((largeur_texte(x, POLICE, taille) for x in tables), default=0.0)
    ecart = taille * 0.6 if tables else 0.0
    reste = list(d.candidats)
    while reste:
        par_colonne = max(1, math.floor((r.y - BAS) / interligne))
        page, reste = reste[:par_colonne * colonnes], reste[par_colonne * colonnes:]
        # Column by column, in the list's order: read down, then across.
        par_colonne = math.ceil(len(page) / colonnes)
        for i, c in enumerate(page):
            x = MARGE + (i // par_colonne) * (largeur + 8)
            y = r.y - taille - (i % par_colonne) * interligne
            if c.numero_table:     # right-aligned in its slot, so the names start on one line
                r.texte(x + place, y, ((c.numero_table, POLICE),), taille, droite=True)
            nom = tronquer(f"{c.nom} {c.prenoms}", largeur - place - ecart, POLICE_GRAS, taille)
            r.texte(x + place + ecart, y, ((nom, POLICE_GRAS),), taille)
        if reste:
            r.nouvelle_page()
            r.y = _centre(r, HAUT, f"Salle {d.seance.salle} – {d.seance.code} (suite)", 14) - 12


# --- étiquettes de table ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Planche:
    """A sheet of labels: columns × rows of labels of the given size, from the given margins."""

    colonnes: int
    lignes: int
    largeur: float
    hauteur: float
    marge_gauche: float
    marge_haut: float
    ecart_x: float = 0.0
    ecart_y: float = 0.0

    @property
    def par_planche(self) -> int:
        return self.colonnes * self.lignes


PLANCHES = {
    "3x8": Planche(3, 8, 70 * mm, 36 * mm, 0.0, 4.5 * mm),
    "2x7": Planche(2, 7, 99.1 * mm, 38.1 * mm, 4.65 * mm, 15.15 * mm, ecart_x=2.5 * mm),
}
MARGE_ETIQUETTE = 4.5 * mm             # the text keeps off the label's edge (cutting, printers' margins)


def _etiquette(r: Redaction, p: Planche, x: float, haut: float, s: SeanceImprimee, c: CandidatEmargement,
               contours: bool) -> None:
    if contours:
        r.cadre(x, haut - p.hauteur, p.largeur, p.hauteur, bord=GRIS_TRAIT, epaisseur=0.3)
    gauche, utile = x + MARGE_ETIQUETTE, p.largeur - 2 * MARGE_ETIQUETTE
    table = f"Table {c.numero_table}" if c.numero_table else ""
    l_table = largeur_texte(table, POLICE_GRAS, 9) + 6 if table else 0
    noms, taille_nom = ajuster(c.nom, utile, POLICE_GRAS, 11, lignes_max=2, taille_min=8)
    # (text, font, size, space above the baseline): the block is centred in the label's height.
    lignes = [(tronquer(f"N° {c.numero_candidat}", utile - l_table, POLICE_GRAS, 12), POLICE_GRAS, 12.0, 12.0)]
    lignes += [(x, POLICE_GRAS, taille_nom, taille_nom + 3) for x in noms]
    lignes += [(tronquer(c.prenoms, utile, POLICE, 10), POLICE, 10.0, 12.0),
               (tronquer(intitule_epreuve(s.code, s.unite, s.intitule), utile, POLICE, 7.5), POLICE, 7.5, 11.0),
               (tronquer(f"Salle {s.salle} – {format_date(s.debut)} – Session {s.session}", utile, POLICE, 7.5),
                POLICE, 7.5, 9.0)]
    hauteur = sum(dessus for *_, dessus in lignes) + 2.5      # 2.5: the last line's descenders
    y = haut - (p.hauteur - hauteur) / 2
    for i, (texte, police, taille, dessus) in enumerate(lignes):
        y -= dessus
        r.texte(gauche, y, ((texte, police),), taille, GRIS_TEXTE if i == len(lignes) - 1 else None)
        if i == 0 and table:
            r.texte(gauche + utile, y, ((table, POLICE_GRAS),), 9, droite=True)


def dessiner_etiquettes(canvas: Canvas, d: DonneesEmargement, *, planche: str = "3x8",
                        contours: bool = False) -> int:
    """One sitting's labels, in the list's order, from a new sheet (sheets go to the rooms); no footer:
    the sheets are cut. ``contours`` draws the labels' edges (plain paper to cut)."""
    p = PLANCHES[planche]
    r = Redaction(canvas)
    for rang, c in enumerate(d.candidats):
        place = rang % p.par_planche
        if rang and place == 0:
            r.nouvelle_page()
        ligne, colonne = divmod(place, p.colonnes)
        x = p.marge_gauche + colonne * (p.largeur + p.ecart_x)
        haut = PAGE[1] - p.marge_haut - ligne * (p.hauteur + p.ecart_y)
        _etiquette(r, p, x, haut, d.seance, c, contours)
    for ops in r.pages:
        canvas.addLiteral("\n".join(ops))
        canvas.showPage()
    return len(r.pages)


# --- several sittings in one PDF -------------------------------------------------------------------

def _rendre(listes: Iterable[DonneesEmargement], titre: str, dessiner: Callable[[Canvas, DonneesEmargement], int],
            compression: bool) -> bytes:
    sortie = BytesIO()
    c = nouveau_canvas(sortie, titre=titre, auteur="", compression=compression)
    vide = True
    for d in listes:
        if vide:
            c.setAuthor(d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else ""))
            vide = False
        dessiner(c, d)
    if vide:
        c.showPage()
    c.save()
    return sortie.getvalue()


def rendre_emargements(listes: Iterable[DonneesEmargement], *, compression: bool = pdf.COMPRESSION) -> bytes:
    """The émargement lists of several sittings in one PDF, each numbered « Page x/y » on its own."""
    return _rendre(listes, "Listes d'émargement", dessiner_emargement, compression)


def rendre_affiches(listes: Iterable[DonneesEmargement], *, noms: bool = True,
                    compression: bool = pdf.COMPRESSION) -> bytes:
    return _rendre(listes, "Affiches de salle", lambda c, d: dessiner_affiche(c, d, noms=noms), compression)


def rendre_etiquettes(listes: Iterable[DonneesEmargement], *, planche: str = "3x8", contours: bool = False,
                      compression: bool = pdf.COMPRESSION) -> bytes:
    if planche not in PLANCHES:
        raise ValueError(f"Planche d'étiquettes inconnue : {planche} ({', '.join(PLANCHES)}).")
    return _rendre(listes, "Étiquettes de table",
                   lambda c, d: dessiner_etiquettes(c, d, planche=planche, contours=contours), compression)


def candidats_par_page(candidats: Sequence[CandidatEmargement]) -> list[Sequence[CandidatEmargement]]:
    """The candidates of each page of the list, as :func:`dessiner_emargement` splits them."""
    return [candidats[i:i + PAR_PAGE] for i in range(0, len(candidats), PAR_PAGE)] or [()]
