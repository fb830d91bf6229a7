"""« Procès-verbal de délibération » (docs/domaine/resultats.md#decisions, RES-14): one jury's table of
candidates with their average, the jury's points, the decision and the mention; the totals; the
signatures of the president and of the members. A4 landscape, so the whole line of a candidate reads
across; « Page x/y ».

The renderer counts nothing: the totals come with the data (who was present is the service's rule).
Smallest use::

    octets = rendre_pv(DonneesPV(bureau, "2025", "BACCALAURÉAT PROFESSIONNEL", specialite, "Jury n° 3",
                                 president, membres, date(2025, 7, 3), lignes, TotauxPV(40, 29, 8, 3)))
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from io import BytesIO

from reportlab.lib.pagesizes import landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..rules.temps import format_date
from . import pdf
from .donnees_resultats import DonneesPV, LignePV, MembreJury
from .page_directe import BAS, Redaction, couper, nouveau_canvas
from .pdf import GRIS_FOND, GRIS_TEXTE, GRIS_TRAIT, MARGE, POLICE, POLICE_GRAS, typo
from .tableau_direct import Cellule, Colonne, Tableau, ajuster

PAYSAGE = landscape(pdf.PAGE)
HAUT_PAYSAGE = PAYSAGE[1] - MARGE
LARGEUR_PAYSAGE = PAYSAGE[0] - 2 * MARGE
TITRE = "Procès-verbal de délibération"
COLONNES = (
    Colonne("N° candidat", 27 * mm),
    Colonne("Nom", 54 * mm),
    Colonne("Prénom(s)", 44 * mm),
    Colonne("Moyenne / 20", 24 * mm, "droite"),
    Colonne("Points de jury", 24 * mm, "droite"),
    Colonne("Décision", 58 * mm),       # « Autorisé à l'épreuve de contrôle » in bold: 56.5 mm
    Colonne("Mention", LARGEUR_PAYSAGE - 231 * mm),
)
AUCUN_CANDIDAT = "Aucun candidat n'est présenté à ce jury."
HAUTEUR_SIGNATURE = 24 * mm
MEMBRES_PAR_LIGNE = 4


class RedactionPaysage(Redaction):
    """A :class:`Redaction` on A4 landscape pages: the same cursor and drawing, a wider footer."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.y = HAUT_PAYSAGE

    def nouvelle_page(self) -> None:
        self.pages.append([])
        self.y = HAUT_PAYSAGE

    def terminer(self) -> int:
        total, droite = len(self.pages), PAYSAGE[0] - MARGE
        self.canvas.setPageSize(PAYSAGE)
        for numero, ops in enumerate(self.pages, start=1):
            ops.append(f"{fp_str(GRIS_TRAIT.red, GRIS_TRAIT.green, GRIS_TRAIT.blue)} RG 0.4 w "
                       f"{fp_str(MARGE, pdf.PIED_TRAIT_Y)} m {fp_str(droite, pdf.PIED_TRAIT_Y)} l S")
            if self.pied:
                ops.append(self.code_texte(MARGE, pdf.PIED_Y, self.pied, 7.5, GRIS_TEXTE))
            ops.append(self.code_texte(droite, pdf.PIED_Y, f"Page {numero}/{total}", 7.5, GRIS_TEXTE, droite=True))
            self.canvas.addLiteral("\n".join(ops))
            self.canvas.showPage()
        self.canvas.setPageSize(pdf.PAGE)     # the next document of a batch is portrait again
        return total


def _entete(r: RedactionPaysage, d: DonneesPV) -> None:
    y = r.y
    for i, ligne in enumerate(d.bureau.lignes[:2]):
        r.texte(MARGE, y - 8, ((ligne, POLICE_GRAS if i == 0 else POLICE),), 8)
        y -= 10
    r.texte(PAYSAGE[0] - MARGE, r.y - 8, ((f"Session {d.session}", POLICE_GRAS),), 10, droite=True)
    y -= 18
    r.texte(MARGE, y, ((TITRE, POLICE_GRAS),), 14)
    y -= 15
    r.texte(MARGE, y, ((f"{d.domaine.upper()} – {d.specialite}", POLICE_GRAS),), 10.5)
    y -= 18
    jury = f"{d.jury} – {d.groupe}" if d.groupe else d.jury
    r.texte(MARGE, y, [(typo("Jury : "), POLICE_GRAS), (jury, POLICE), (typo("      Date de délibération : "),
                       POLICE_GRAS), (format_date(d.delibere_le), POLICE)], 9)
    president = f"{d.president.nom}, {d.president.qualite}" if d.president.qualite else d.president.nom
    lignes = [("Lieu", d.lieu), ("Président(e) du jury", president),
              ("Membres", ", ".join(m.nom for m in d.membres))]
    for libelle, valeur in lignes:
        if not valeur:
            continue
        libelle = typo(f"{libelle} : ")
        l_libelle = pdf.largeur_texte(libelle, POLICE_GRAS, 9)
        # A long list of members wraps under its value, not under its label.
        for i, morceau in enumerate(couper(typo(valeur), LARGEUR_PAYSAGE - l_libelle)):
            y -= 12
            if i == 0:
                r.texte(MARGE, y, ((libelle, POLICE_GRAS),), 9)
            r.texte(MARGE + l_libelle, y, ((morceau, POLICE),), 9)
    r.y = y - 10


def _suite(r: RedactionPaysage, d: DonneesPV) -> None:
    """What a continued page repeats above the table."""
    r.texte(MARGE, r.y - 10, ((typo(f"{TITRE} – {d.jury} – session {d.session} (suite)"), POLICE_GRAS),), 10)
    r.y -= 20


def _place(r: RedactionPaysage, d: DonneesPV, hauteur: float) -> None:
    """A new page (with the « suite » line) unless ``hauteur`` fits: signatures alone on a page still say
    which PV they sign."""
    if r.y - hauteur < BAS:
        r.nouvelle_page()
        _suite(r, d)


def _cellules(x: LignePV) -> tuple[str | Cellule, ...]:
    return (x.numero_candidat, Cellule(x.nom, gras=True), x.prenoms, Cellule(x.moyenne, gras=True),
            x.points_jury, Cellule(x.decision, gras=True), x.mention)


def _totaux(r: RedactionPaysage, d: DonneesPV) -> None:
    t = d.totaux
    valeurs = [("Présents", str(t.presents)), ("Admis", str(t.admis)), ("Ajournés", str(t.ajournes))]
    if t.autorises_controle:
        valeurs.append(("Autorisés à l'épreuve de contrôle", str(t.autorises_controle)))
    if t.taux_reussite:
        valeurs.append(("Taux de réussite", t.taux_reussite))
    runs: list[tuple[str, str]] = []
    for i, (libelle, valeur) in enumerate(valeurs):
        runs += [("      " if i else "", POLICE), (typo(f"{libelle} : "), POLICE_GRAS), (valeur, POLICE)]
    r.y -= 8
    _place(r, d, 22)
    r.cadre(MARGE, r.y - 18, LARGEUR_PAYSAGE, 18, fond=GRIS_FOND, bord=None)
    r.texte(MARGE + 5, r.y - 12.5, runs, 9.5)
    r.y -= 24


def _signatures(r: RedactionPaysage, d: DonneesPV) -> None:
    """The president's box, then the members' (four a row), kept on one page."""
    rangs = math.ceil(len(d.membres) / MEMBRES_PAR_LIGNE)
    _place(r, d, 16 + (HAUTEUR_SIGNATURE + 6) * (1 + rangs) + (14 if d.membres else 0))
    largeur = (LARGEUR_PAYSAGE - (MEMBRES_PAR_LIGNE - 1) * 6) / MEMBRES_PAR_LIGNE
    r.texte(MARGE, r.y - 9, ((typo("Signature du président ou de la présidente du jury :"), POLICE_GRAS),), 9)
    r.y -= 14
    _case(r, MARGE, d.president, largeur)
    r.y -= HAUTEUR_SIGNATURE + 8
    if d.membres:
        r.texte(MARGE, r.y - 9, ((typo("Signatures des membres du jury :"), POLICE_GRAS),), 9)
        r.y -= 14
        for i, membre in enumerate(d.membres):
            if i and i % MEMBRES_PAR_LIGNE == 0:
                r.y -= HAUTEUR_SIGNATURE + 6
            _case(r, MARGE + (i % MEMBRES_PAR_LIGNE) * (largeur + 6), membre, largeur)
        r.y -= HAUTEUR_SIGNATURE + 6


def _case(r: RedactionPaysage, x: float, m: MembreJury, largeur: float) -> None:
    """A signature box headed by the name and the qualité (each on up to two lines, smaller if need be)."""
    r.cadre(x, r.y - HAUTEUR_SIGNATURE, largeur, HAUTEUR_SIGNATURE)
    y = r.y - 10
    noms, taille = ajuster(m.nom, largeur - 8, POLICE_GRAS, 8, lignes_max=2, taille_min=7)
    for ligne in noms:
        r.texte(x + 4, y, ((ligne, POLICE_GRAS),), taille)
        y -= taille + 1.5
    if m.qualite:
        qualites, taille = ajuster(m.qualite, largeur - 8, POLICE, 7, lignes_max=2, taille_min=6.5)
        for ligne in qualites:
            r.texte(x + 4, y, ligne, taille, GRIS_TEXTE)
            y -= taille + 1.5


def dessiner(canvas: Canvas, d: DonneesPV) -> int:
    """One jury's PV on ``canvas`` (landscape pages); returns its page count."""
    r = RedactionPaysage(canvas, pied=f"{TITRE} – {d.domaine} – {d.specialite} – {d.jury} – session {d.session}")
    _entete(r, d)
    if d.lignes:
        t = Tableau(r, COLONNES, lignes_max=2, taille_min=6.5, sur_nouvelle_page=lambda: _suite(r, d))
        t.entete(suite=3 * 16)
        for x in d.lignes:
            t.rangee(_cellules(x))
        t.fermer()
    else:
        r.ligne(AUCUN_CANDIDAT)
    _totaux(r, d)
    _signatures(r, d)
    return r.terminer()


def _auteur(d: DonneesPV) -> str:
    return d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else "")


def rendre_pv(d: DonneesPV, *, compression: bool = pdf.COMPRESSION) -> bytes:
    return rendre_pvs([d], compression=compression)


def rendre_pvs(liste: Iterable[DonneesPV], *, compression: bool = pdf.COMPRESSION) -> bytes:
    """Several juries' PVs in one PDF, each numbered on its own."""
    sortie = BytesIO()
    c = nouveau_canvas(sortie, titre=TITRE, auteur="", compression=compression)
    vide = True
    for d in liste:
        if vide:
            c.setAuthor(_auteur(d))
            c.setSubject(f"{d.domaine} – {d.specialite} – {d.jury} – session {d.session}")
            vide = False
        dessiner(c, d)
    if vide:
        c.showPage()
    c.save()
    return sortie.getvalue()

