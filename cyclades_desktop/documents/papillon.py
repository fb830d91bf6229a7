"""Papillons de connexion (docs/domaine/organisation.md#papillons): the login slip an établissement
hands to each pupil it registered, with the portal's address, the login and a password printed once.

Three slips per A4 page, separated by dashed cut lines, in the order given (the service sorts by class
then name). Each slip has a fixed height: its content is shrunk to fit rather than spilling onto the
next slip, so a cut always separates two pupils. Data in, PDF bytes out; no database, no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepInFrame, Paragraph, Spacer, TableStyle

from cyclades_desktop.documents import pdf
from cyclades_desktop.documents.pdf import echapper
from cyclades_desktop.rules.temps import format_date

PAR_PAGE = 3
MARGE_X = 12 * mm
HAUT_ZONE = pdf.PAGE[1] - 10 * mm           # top of the first slip
BAS_ZONE = pdf.PIED_TRAIT_Y + 3 * mm          # above the footer rule
HAUTEUR_PAPILLON = (HAUT_ZONE - BAS_ZONE) / PAR_PAGE
LARGEUR = pdf.PAGE[0] - 2 * MARGE_X
MARGE_INTERNE = 5 * mm                       # between a cut line and the slip's text
BLEU = colors.HexColor("#1f3a5f")

TITRE = "Accès au service en ligne des examens"
CONSERVER = "(Document à conserver impérativement)"
IDENTIFIEZ_VOUS = "Identifiez-vous avec le compte qui vous a été attribué :"
RESULTATS = ("Ce compte va également vous permettre de consulter vos résultats sur le site de publication "
             "de votre académie.")
CONSEIL = ("(*) Nous vous conseillons de personnaliser votre mot de passe lors de votre première connexion "
           "(rubrique « Mon compte »).")


@dataclass(frozen=True)
class DonneesPapillon:
    """One slip: one candidature of an établissement's pupil."""

    academie: str                    # "Académie d'Aix-Marseille"
    etablissement: str               # "LP FERNAND LEGERE"
    uai: str                         # "0250001R"
    etablissement_adresse: tuple[str, ...]   # ("6 RUE RENE GIRARDOT", "25404 AUDINCOURT CEDEX")
    etablissement_telephone: str     # "0381362200" or ""
    nom: str                         # "DUBOIS"
    prenoms: str                     # "Pierre"
    date_naissance: date
    classe: str                      # "37 B" or ""
    numero_candidat: str
    numero_inscription: str
    examen: str                      # "BACCALAURÉAT PROFESSIONNEL"
    examen_phrase: str               # "au baccalauréat professionnel" (after « vous a inscrit »)
    specialite: str                  # "Aéronautique option Systèmes (25303)"
    session: str                     # "2025"
    url: str                         # the candidate portal's sign-in page
    identifiant: str                 # login, else the e-mail
    mot_de_passe: str                # in clear: printed here and nowhere else


@dataclass(frozen=True)
class _Styles:
    academie: ParagraphStyle
    titre: ParagraphStyle
    corps: ParagraphStyle
    gras: ParagraphStyle
    petit: ParagraphStyle
    compte: ParagraphStyle


@cache
def _styles() -> _Styles:
    base = pdf.styles()
    corps = ParagraphStyle("pap_corps", parent=base.corps, fontSize=8.5, leading=10.6)
    return _Styles(
        academie=ParagraphStyle("pap_acad", parent=corps, fontName=pdf.POLICE_GRAS, fontSize=10, leading=12,
                                textColor=BLEU),
        titre=ParagraphStyle("pap_titre", parent=corps, fontName=pdf.POLICE_GRAS, fontSize=10.5, leading=13),
        corps=corps,
        gras=ParagraphStyle("pap_gras", parent=corps, fontName=pdf.POLICE_GRAS),
        petit=ParagraphStyle("pap_petit", parent=corps, fontSize=7, leading=8.6, textColor=pdf.GRIS_TEXTE),
        compte=ParagraphStyle("pap_compte", parent=corps, fontSize=9.5, leading=12.5),
    )


def _p(texte: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(texte, style)


def _contenu(d: DonneesPapillon) -> list[Flowable]:
    st = _styles()
    largeur = LARGEUR - 2 * MARGE_INTERNE
    haut = pdf.tableau(
        [[_p(echapper(d.academie.upper()), st.academie),
          [_p(echapper(TITRE), st.titre), _p(echapper(CONSERVER), st.corps)]]],
        (largeur * 0.42, largeur * 0.58),
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, BLEU), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    etab: list[Flowable] = [_p(f"<b>{echapper(d.etablissement)}</b>", st.corps)]
    etab += [_p(echapper(x), st.corps) for x in d.etablissement_adresse if x]
    if d.etablissement_telephone:
        etab.append(_p(echapper(f"Tél : {d.etablissement_telephone}"), st.corps))
    etab.append(_p(echapper(f"UAI : {d.uai}"), st.corps))
    eleve = [
        _p(f"Élève : <b>{echapper(d.nom.upper())} {echapper(d.prenoms)}</b>", st.corps),
        _p(echapper(f"Né(e) le {format_date(d.date_naissance)}"
                    + (f" – Classe : {d.classe}" if d.classe else "")), st.corps),
        _p(f"N° candidat : <b>{echapper(d.numero_candidat)}</b> - Inscription n° : "
           f"<b>{echapper(d.numero_inscription)}</b>", st.corps),
        _p(echapper(f"{d.examen} – session {d.session}"), st.corps),
        _p(echapper(f"Spécialité : {d.specialite}"), st.corps),
    ]
    milieu = pdf.tableau([[etab, eleve]], (largeur * 0.42, largeur * 0.58), TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    service = (f"Votre établissement vous a inscrit {d.examen_phrase}. Un service en ligne est mis à votre "
               "disposition pour vous permettre de visualiser votre inscription (rubrique « Mes inscriptions »). "
               "Ce service en ligne vous permet également de consulter les documents relatifs au déroulement "
               "de vos épreuves (rubrique « Mes documents »). Le service est disponible à l'adresse internet "
               "suivante :")
    compte = pdf.tableau(
        [[[_p(f"<b>{echapper(IDENTIFIEZ_VOUS)}</b>", st.corps),
           _p(f"Votre identifiant de connexion : <b>{echapper(d.identifiant)}</b>", st.compte),
           # Not through typo(): a « ? » or « ! » inside the password must stay glued to it.
           _p(f"Votre mot de passe (*) : <b>{_xml(d.mot_de_passe)}</b>", st.compte)]]],
        (largeur,),
        TableStyle([("BOX", (0, 0), (-1, -1), 0.6, pdf.GRIS_TRAIT), ("BACKGROUND", (0, 0), (-1, -1), pdf.GRIS_FOND),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [haut, Spacer(0, 4), milieu, Spacer(0, 4), _p(echapper(service), st.corps),
            _p(f"<b>{_xml(d.url)}</b>", st.corps), Spacer(0, 4), compte, Spacer(0, 3),
            _p(echapper(RESULTATS), st.corps), Spacer(0, 2), _p(echapper(CONSEIL), st.petit)]


def _xml(texte: str) -> str:
    return texte.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ligne_de_coupe(c: Canvas, y: float) -> None:
    c.saveState()
    c.setStrokeColor(pdf.GRIS_TRAIT)
    c.setLineWidth(0.5)
    c.setDash(4, 3)
    c.line(MARGE_X - 6 * mm, y, pdf.PAGE[0] - MARGE_X + 6 * mm, y)
    c.setDash()
    c.setFillColor(pdf.GRIS_TEXTE)
    c.setFont(pdf.POLICE, 9)
    # ✂ is in DejaVu Sans: the scissors show where to cut.
    c.drawString(MARGE_X - 6 * mm, y + 1.2, "\u2702")
    c.restoreState()


def rendre_papillons(papillons: Sequence[DonneesPapillon], *, pied: str = "",
                     compression: bool = pdf.COMPRESSION) -> bytes:
    """The slips, three per A4 page, in the given order. An empty list is refused by the caller."""
    pdf.enregistrer_polices()
    sortie = BytesIO()
    canvas = partial(pdf._CanvasPagine, pied=pied)(  # noqa: SLF001 (same package: the « Page N/M » footer)
        sortie, pagesize=pdf.PAGE, pageCompression=1 if compression else 0, invariant=1,
        initialFontName=pdf.POLICE, initialFontSize=9, initialLeading=11.5, lang="fr-FR")
    canvas.setTitle("Papillons de connexion")
    canvas.setAuthor(papillons[0].academie if papillons else "")
    canvas.setCreator("cyclades-desktop")
    for rang, d in enumerate(papillons):
        place = rang % PAR_PAGE
        if rang and place == 0:
            canvas.showPage()
        haut = HAUT_ZONE - place * HAUTEUR_PAPILLON
        if place:
            _ligne_de_coupe(canvas, haut)
        cadre = Frame(MARGE_X, haut - HAUTEUR_PAPILLON, LARGEUR, HAUTEUR_PAPILLON,
                      leftPadding=MARGE_INTERNE, rightPadding=MARGE_INTERNE, topPadding=MARGE_INTERNE,
                      bottomPadding=MARGE_INTERNE, showBoundary=0)
        cadre.addFromList([KeepInFrame(cadre._aW, cadre._aH, _contenu(d), mode="shrink")], canvas)
    canvas.showPage()
    canvas.save()
    return sortie.getvalue()
