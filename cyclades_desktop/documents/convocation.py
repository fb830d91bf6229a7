"""« Convocation aux épreuves » (docs/domaine/organisation.md#convocations): each ponctual épreuve with
its date, start time (heure de Paris), duration (with the extra time granted), type, centre and room; the
épreuves not timetabled yet; the aménagements granted; the usual reminders.

Printed by the thousand, so drawn straight on the canvas (:mod:`documents.page_directe`), not with
platypus. :func:`dessiner` adds one convocation to an open canvas; :func:`rendre_plusieurs` puts many
in one PDF, the fonts embedded once."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas

from ..rules.codes_epreuves import titre_epreuve
from ..rules.temps import JOURS, format_date, paris
from . import pdf
from .donnees_convocation import DonneesConvocation, EpreuveConvoquee, mots_cles
from .page_directe import Redaction, couper, en_octets, entete, largeur, nouveau_canvas, pied
from .pdf import GRIS_FOND, GRIS_TEXTE, MARGE, PAGE, POLICE, POLICE_GRAS, typo

TITRE = "Convocation aux épreuves"
TEXTE_PIECE_IDENTITE = "Le jour de l'examen, une pièce d'identité avec photographie vous sera demandée."
RAPPELS = (
    TEXTE_PIECE_IDENTITE,
    "Présentez-vous au centre d'examen 30 minutes avant le début de chaque épreuve.",
    "Munissez-vous de la présente convocation : elle vous sera demandée à chaque épreuve.",
    "Tout retard peut entraîner le refus de l'accès à la salle d'examen.",
    "Les horaires sont indiqués en heure de Paris.",
)
DATE_ULTERIEURE = "date communiquée ultérieurement"
AUCUNE_EPREUVE = "Aucune épreuve ponctuelle n'est prévue pour cette candidature."

_X_VALEUR = MARGE + 8
ECART_TYPE = 12           # points kept between an épreuve's title and its type (« Pratique »)
INTERLIGNE_TITRE = 11     # between the lines of a long épreuve title


def duree(minutes: int) -> str:
    """« 2 h 00 », « 45 min »."""
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if h else f"{m} min"


def libelle_majoration(pourcentage: int) -> str:
    return "tiers-temps" if pourcentage in (33, 34) else f"majoration de {pourcentage} %"


def duree_affichee(e: EpreuveConvoquee, pourcentage: int) -> str:
    """« 2 h 00 + 40 min (tiers-temps), soit 2 h 40 » when extra time is granted."""
    if not e.majoration_minutes:
        return duree(e.duree_minutes)
    return (f"{duree(e.duree_minutes)} + {duree(e.majoration_minutes)} ({libelle_majoration(pourcentage)}), "
            f"soit {duree(e.duree_minutes + e.majoration_minutes)}")


def intitule(e: EpreuveConvoquee) -> str:
    return titre_epreuve(e.code, e.unite, e.intitule)


def dessiner(canvas: Canvas, d: DonneesConvocation) -> int:
    """Draw one convocation on ``canvas``, ending with showPage(); returns its page count."""
    r = Redaction(canvas, pied=pied(d.numero_candidat, d.numero_inscription, d.version))
    identite = f"{d.civilite} {d.nom} {d.prenoms}".strip()
    entete(r, titre=TITRE, domaine=d.domaine, precisions=(d.specialite,), version=d.version,
           version_le=d.version_le, numero_candidat=d.numero_candidat, numero_inscription=d.numero_inscription,
           session=f"{d.session}", bureau=d.bureau, identite=identite, adresse=d.adresse)
    convoque = "convoquée" if d.civilite == "MADAME" else "convoqué(e)" if d.civilite != "MONSIEUR" else "convoqué"
    r.paragraphe(f"Vous êtes {convoque} aux épreuves ponctuelles de l'examen ci-dessus, session {d.session}, "
                 "aux dates, heures et lieux indiqués ci-dessous.")
    r.intertitre("VOS ÉPREUVES")
    datees = [e for e in d.epreuves if e.debut is not None]
    a_venir = [e for e in d.epreuves if e.debut is None]
    if not d.epreuves:
        r.ligne(AUCUNE_EPREUVE)
    for e in datees:
        _epreuve(r, e, d.majoration_temps)
    for e in a_venir:
        runs = ((typo(intitule(e)) + " : ", POLICE_GRAS), (DATE_ULTERIEURE, POLICE))
        if largeur(runs, 9) <= pdf.LARGEUR_UTILE:
            r.ligne(runs, interligne=12.5)
        else:   # a long title: the mention goes under it
            r.place(24)
            r.paragraphe(typo(intitule(e)) + " :", police=POLICE_GRAS)
            r.ligne(DATE_ULTERIEURE, interligne=12.5, x=_X_VALEUR)
    if d.amenagements:
        r.intertitre("AMÉNAGEMENTS D'ÉPREUVES ACCORDÉS", 12 * len(d.amenagements[:3]))
        for mesure in d.amenagements:
            _puce(r, mesure)
        if d.majoration_temps:
            r.y -= 2
            r.paragraphe("Les durées indiquées ci-dessus tiennent compte de la majoration de temps accordée "
                         f"({libelle_majoration(d.majoration_temps)}).", 8.5, 10.5, couleur=GRIS_TEXTE)
    r.intertitre("À SAVOIR", 12 * len(RAPPELS))
    for i, rappel in enumerate(RAPPELS):
        _puce(r, rappel, gras=i == 0)
    return r.terminer()


def _epreuve(r: Redaction, e: EpreuveConvoquee, pourcentage: int) -> None:
    assert e.debut is not None
    lieu = ", ".join((e.centre, *e.centre_adresse))
    if e.centre_telephone:
        lieu += f" – Tél : {e.centre_telephone}"
    lignes_lieu = couper(typo(f"Centre : {lieu}"), pdf.LARGEUR_UTILE - 8)
    # The épreuve's title on a grey band, its type at the right: a long title wraps in the room left
    # of the type (measured), the band growing with it, so the two never overlap.
    place_type = largeur(((e.type, POLICE_GRAS),), 9) + ECART_TYPE if e.type else 0.0
    lignes_titre = couper(typo(intitule(e)), pdf.LARGEUR_UTILE - 8 - place_type, POLICE_GRAS)
    bande = 14 + INTERLIGNE_TITRE * (len(lignes_titre) - 1)
    r.place(bande + 2 + 11.5 * (2 + len(lignes_lieu)) + 6)
    r.cadre(MARGE, r.y - bande, pdf.LARGEUR_UTILE, bande, fond=GRIS_FOND, bord=None)
    for i, morceau in enumerate(lignes_titre):
        r.texte(MARGE + 4, r.y - 10.2 - INTERLIGNE_TITRE * i, ((morceau, POLICE_GRAS),), 9)
    if e.type:
        r.texte(PAGE[0] - MARGE - 4, r.y - 10.2, ((e.type, POLICE_GRAS),), 9, droite=True)
    r.y -= bande + 2
    debut = paris(e.debut)
    r.ligne((("Date : ", POLICE_GRAS), (f"{JOURS[debut.weekday()]} {format_date(debut)}", POLICE),
             ("      Heure : ", POLICE_GRAS), (f"{debut:%H:%M} (heure de Paris)", POLICE),
             ("      Salle : ", POLICE_GRAS), (e.salle or "affichée à l'entrée du centre", POLICE)), x=_X_VALEUR)
    r.ligne((("Durée : ", POLICE_GRAS), (duree_affichee(e, pourcentage), POLICE)), x=_X_VALEUR)
    for i, morceau in enumerate(lignes_lieu):
        if i == 0:
            r.ligne((("Centre : ", POLICE_GRAS), (morceau.removeprefix("Centre\u00a0: "), POLICE)), x=_X_VALEUR)
        else:
            r.ligne(morceau, x=_X_VALEUR)
    r.y -= 6


def _puce(r: Redaction, texte: str, *, gras: bool = False) -> None:
    police = POLICE_GRAS if gras else POLICE
    lignes = couper(typo(texte), pdf.LARGEUR_UTILE - 12, police)
    r.place(11.5 * len(lignes))
    r.texte(MARGE + 2, r.y - 9, "•", 9)
    for morceau in lignes:
        r.ligne(((morceau, police),), x=MARGE + 12)


def _metadonnees(d: DonneesConvocation) -> dict[str, str]:
    return {"auteur": d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else ""),
            "sujet": f"{d.domaine.upper()} – session {d.session} – inscription n° {d.numero_inscription}"}


_RENDUS = [0]


def rendus() -> int:
    """How many convocations :func:`rendre` has rendered in this process (tests, benchmarks)."""
    return _RENDUS[0]


def rendre(d: DonneesConvocation, *, compression: bool = pdf.COMPRESSION) -> bytes:
    """One convocation as PDF bytes, its content fingerprint in /Keywords (see
    :func:`donnees_convocation.empreinte`)."""
    _RENDUS[0] += 1
    return en_octets(lambda c: dessiner(c, d), titre=f"Convocation aux épreuves N° {d.numero_candidat}",
                     compression=compression, mots_cles=mots_cles(d), **_metadonnees(d))


def rendre_lot(liste: list[DonneesConvocation]) -> list[bytes]:
    """:func:`rendre` for each one: what a worker process of the publication runs (no Qt, no database)."""
    return [rendre(d) for d in liste]


def rendre_plusieurs(liste: Iterable[DonneesConvocation], *, compression: bool = pdf.COMPRESSION) -> bytes:
    """Many convocations in one PDF (each starting on a new page), the fonts embedded once."""
    sortie = BytesIO()
    c = nouveau_canvas(sortie, titre="Convocations aux épreuves", auteur="", compression=compression)
    premier = True
    for d in liste:
        if premier:
            c.setAuthor(_metadonnees(d)["auteur"])
            premier = False
        dessiner(c, d)
    c.save()
    return sortie.getvalue()
