"""« Relevé de notes » (docs/domaine/resultats.md#documents, RES-15): one candidature's units with their
grade, bénéfice or dispense, the averages, the jury's points, the decision and the mention. Versioned in
« Mes documents » like the convocation, with the same header.

Printed by the thousand, so drawn straight on the canvas with fixed column widths
(:mod:`documents.tableau_direct`). Only what the data holds is printed: no sentence of its own about
duplicates or appeals. Smallest use::

    octets = rendre_releve(donnees)                 # one relevé, its fingerprint in /Keywords
    octets = rendre_releves([d1, d2, d3])           # many in one PDF, fonts embedded once
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..rules.codes_epreuves import nom_epreuve
from ..rules.temps import format_date
from . import pdf
from .donnees_resultats import DonneesReleve, LigneNoteReleve, accord, mots_cles_releve
from .page_directe import Redaction, couper, en_octets, entete, nouveau_canvas, pied
from .pdf import GRIS_FOND, GRIS_TEXTE, MARGE, POLICE, POLICE_GRAS, typo
from .tableau_direct import Cellule, Colonne, Tableau

TITRE = "Relevé de notes"
COLONNES = (
    Colonne("Épreuve", 72 * mm),
    Colonne("Unité", 13 * mm),
    Colonne("Coef.", 12 * mm, "droite"),
    Colonne("Note / 20", 19 * mm, "droite"),       # « Dispense » in bold fits
    Colonne("Points", 16 * mm, "droite"),
    Colonne("Observations", pdf.LARGEUR_UTILE - 132 * mm),   # « Bénéfice (session 2023) » on one line
)
RETRAIT_NIVEAU = 8.0          # a part (E1-A) sits under its épreuve (E1), as in the récapitulatif
X_VALEUR = MARGE + 105 * mm   # where the averages' values line up (right edge)
AUCUNE_UNITE = "Aucune unité."


def dessiner(canvas: Canvas, d: DonneesReleve) -> int:
    """Draw one relevé on ``canvas``, ending with showPage(); returns its page count."""
    c = d.candidat
    r = Redaction(canvas, pied=pied(c.numero_candidat, c.numero_inscription, d.version))
    entete(r, titre=TITRE, domaine=d.domaine, precisions=(d.specialite,), version=d.version,
           version_le=d.version_le, numero_candidat=c.numero_candidat, numero_inscription=c.numero_inscription,
           session=d.session, bureau=d.bureau, identite=f"{c.civilite} {c.nom} {c.prenoms}".strip(),
           adresse=c.adresse)
    naissance = f"{accord(c.civilite, 'Né', 'Née')} le {format_date(c.date_naissance)}"
    if c.lieu_naissance:
        naissance += f" à {c.lieu_naissance}"
    r.ligne(((naissance, POLICE),))
    if c.categorie:
        r.ligne(((typo("Catégorie : "), POLICE_GRAS), (c.categorie, POLICE)))
    if c.etablissement:
        r.paragraphe(c.etablissement, prefixe=(typo("Établissement : "), POLICE_GRAS))
    r.intertitre("UNITÉS OBLIGATOIRES", 3 * 16)
    _tableau(r, d.unites)
    if d.facultatives:
        r.intertitre("ÉPREUVES FACULTATIVES", 2 * 16)
        _tableau(r, d.facultatives)
    _resultat(r, d)
    return r.terminer()


def _tableau(r: Redaction, lignes: tuple[LigneNoteReleve, ...]) -> None:
    if not lignes:
        r.ligne(AUCUNE_UNITE)
        return
    t = Tableau(r, COLONNES)
    t.entete(suite=16)
    for x in lignes:
        epreuve = Cellule(nom_epreuve(x.code, x.intitule, " – "), gras=x.niveau == 0,
                          retrait=RETRAIT_NIVEAU * min(x.niveau, 3))
        t.rangee((epreuve, x.unite or "", x.coefficient, Cellule(x.note, gras=True), x.points, x.observation))
    t.fermer()


def _resultat(r: Redaction, d: DonneesReleve) -> None:
    moyennes = [(libelle, valeur) for libelle, valeur in (
        ("Moyenne des unités d'enseignement général", d.moyenne_enseignement_general),
        ("Moyenne des unités professionnelles", d.moyenne_professionnelle),
        ("Moyenne du premier groupe d'épreuves", d.moyenne_premier_groupe),
        ("Points des épreuves facultatives (au-dessus de 10)", d.points_facultatives),
        ("Moyenne générale avant points de jury", d.moyenne_avant_jury),
        ("Points attribués par le jury", d.points_jury),
    ) if valeur]
    lignes = len(moyennes) + (1 if d.moyenne_generale else 0) + (1 if d.delibere_le else 0)
    r.intertitre("RÉSULTAT", 12 * lignes + 24)
    for libelle, valeur in moyennes:
        _valeur(r, libelle, valeur)
    if d.moyenne_generale:
        _valeur(r, "Moyenne générale", d.moyenne_generale, gras=True, suffixe=" / 20")
    if d.decision:
        r.y -= 5
        decision = [(typo("Décision du jury : "), POLICE_GRAS), (d.decision, POLICE_GRAS)]
        if d.mention:
            decision += [("   –   ", POLICE), (typo("Mention : "), POLICE_GRAS), (d.mention, POLICE_GRAS)]
        r.place(20)
        r.cadre(MARGE, r.y - 17, pdf.LARGEUR_UTILE, 17, fond=GRIS_FOND, bord=None)
        r.texte(MARGE + 4, r.y - 12, decision, 10)
        r.y -= 21
    if d.delibere_le:
        r.ligne(f"Délibération du jury du {format_date(d.delibere_le)}", couleur=GRIS_TEXTE)
    if d.unites_a_presenter:
        r.y -= 4
        r.ligne(((typo("Unités restant à présenter :"), POLICE_GRAS),))
        for unite in d.unites_a_presenter:
            for i, morceau in enumerate(couper(typo(unite), pdf.LARGEUR_UTILE - 12)):
                if i == 0:
                    r.place(11.5)
                    r.texte(MARGE + 2, r.y - 9, "•", 9)
                r.ligne(((morceau, POLICE),), x=MARGE + 12)


def _valeur(r: Redaction, libelle: str, valeur: str, *, gras: bool = False, suffixe: str = "") -> None:
    """« libellé : » at the left, the value right-aligned on X_VALEUR (a suffix after it): the averages
    read as a column."""
    r.place(12)
    police = POLICE_GRAS if gras else POLICE
    r.texte(MARGE, r.y - 9, ((typo(f"{libelle} :"), police),), 9)
    r.texte(X_VALEUR, r.y - 9, ((valeur, POLICE_GRAS),), 9, droite=True)
    if suffixe:
        r.texte(X_VALEUR, r.y - 9, ((suffixe, POLICE_GRAS),), 9)
    r.y -= 12


def _auteur(d: DonneesReleve) -> str:
    return d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else "")


def rendre_releve(d: DonneesReleve, *, compression: bool = pdf.COMPRESSION) -> bytes:
    """One relevé as PDF bytes, its content fingerprint in /Keywords
    (:func:`donnees_resultats.empreinte_releve`, read back by ``donnees_convocation.lire_empreinte``)."""
    return en_octets(lambda c: dessiner(c, d), titre=f"{TITRE} N° {d.candidat.numero_candidat}",
                     auteur=_auteur(d), compression=compression, mots_cles=mots_cles_releve(d),
                     sujet=f"{d.domaine.upper()} – session {d.session} – inscription n° "
                           f"{d.candidat.numero_inscription}")


def rendre_releves(lots: Iterable[DonneesReleve], *, compression: bool = pdf.COMPRESSION) -> bytes:
    """Many relevés in one PDF (each starting on a new page, numbered « Page N/M » on its own), the
    fonts embedded once: what the office prints for a whole jury."""
    sortie = BytesIO()
    c = nouveau_canvas(sortie, titre="Relevés de notes", auteur="", compression=compression)
    premier = True
    for d in lots:
        if premier:
            c.setAuthor(_auteur(d))
            premier = False
        dessiner(c, d)
    if premier:                    # an empty batch still gives a valid PDF (one blank page)
        c.showPage()
    c.save()
    return sortie.getvalue()

