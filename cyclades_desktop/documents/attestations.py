"""The attestations the office issues after the deliberation (docs/domaine/resultats.md#documents,
RES-15):

- **attestation de réussite**: the candidate was declared admitted to the diploma, spécialité and
  session, with the mention if any; signed for the office;
- **attestation d'unités détenues**: for a candidate of continuing education or VAE who does not hold
  the diploma yet, the units held (grade ≥ 10) with their grade and session.

One page each, the office's block beside the candidate's address (window envelope), then the text and
the signature. Only what the data holds is stated. Smallest use::

    octets = rendre_attestation_reussite(DonneesAttestationReussite(bureau, candidat, "BACCALAURÉAT
        PROFESSIONNEL", specialite, "2025", date(2025, 7, 10), Signature(("Le chef de bureau",))))
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..rules.codes_epreuves import code_affiche
from ..rules.temps import format_date
from . import pdf
from .donnees import EnTeteBureau
from .donnees_resultats import (
    DonneesAttestationReussite,
    DonneesAttestationUnites,
    IdentiteCandidat,
    Signature,
    accord,
)
from .page_directe import LARGEUR_BUREAU, Redaction, couper, en_octets
from .pdf import MARGE, PAGE, POLICE, POLICE_GRAS, largeur_texte, typo
from .tableau_direct import Colonne, Tableau

TITRE_REUSSITE = "Attestation de réussite"
TITRE_UNITES = "Attestation d'unités détenues"
TAILLE = 10.5
INTERLIGNE = 14.0
X_SIGNATURE = MARGE + 78 * mm       # « le chef de la division des examens et concours » on one line
COLONNES_UNITES = (
    Colonne("Épreuve", 20 * mm),
    Colonne("Unité", 16 * mm),
    Colonne("Intitulé", pdf.LARGEUR_UTILE - 74 * mm),
    Colonne("Note / 20", 20 * mm, "droite"),
    Colonne("Session", 18 * mm, "centre"),
)


def _bureau_et_candidat(r: Redaction, b: EnTeteBureau, c: IdentiteCandidat) -> None:
    """The office's block at the left, the candidate's name and address where a window envelope shows
    them (the same places as on the relevé)."""
    y_bureau = y_candidat = r.y
    lignes = list(b.lignes)
    if b.telephone:
        lignes.append(typo(f"Tél : {b.telephone}"))
    if b.email:
        lignes.append(typo(f"Mèl : {b.email}"))
    for i, ligne in enumerate(lignes):
        y_bureau -= 10.4
        r.texte(MARGE, y_bureau + 2, ((ligne, POLICE_GRAS if i == 0 else POLICE),), 8.5)
    for i, ligne in enumerate([f"{c.civilite} {c.nom} {c.prenoms}".strip(), *c.adresse]):
        y_candidat -= 11.5
        r.texte(MARGE + LARGEUR_BUREAU, y_candidat + 2.5, ((ligne, POLICE_GRAS if i == 0 else POLICE),), 9)
    r.y = min(y_bureau, y_candidat) - 16 * mm


def _titre(r: Redaction, titre: str) -> None:
    texte = titre.upper()
    r.texte((PAGE[0] - largeur_texte(texte, POLICE_GRAS, 16)) / 2, r.y - 16, ((texte, POLICE_GRAS),), 16)
    r.y -= 16 + 12 * mm


def _identite(c: IdentiteCandidat) -> str:
    """« MADAME Jeanne NGMB-DUPONT, née le 01/02/2005 à MARSEILLE (13), N° candidat 02500000016 »."""
    texte = f"{c.civilite} {c.prenoms} {c.nom}".strip()
    texte += f", {accord(c.civilite, 'né', 'née')} le {format_date(c.date_naissance)}"
    if c.lieu_naissance:
        texte += f" à {c.lieu_naissance}"
    return f"{texte}, N° candidat {c.numero_candidat}"


def _paragraphe(r: Redaction, texte: str) -> None:
    r.paragraphe(texte, TAILLE, INTERLIGNE)


def _valeurs(r: Redaction, valeurs: list[tuple[str, str]]) -> None:
    """Label and value lines, the values lined up after the longest label."""
    x = MARGE + 15 * mm + max(largeur_texte(typo(f"{libelle} :"), POLICE, TAILLE) for libelle, _ in valeurs)
    for libelle, valeur in valeurs:
        for i, morceau in enumerate(couper(typo(valeur), PAGE[0] - MARGE - x, POLICE_GRAS, TAILLE)):
            r.place(INTERLIGNE)
            if i == 0:
                r.texte(MARGE + 12 * mm, r.y - TAILLE, ((typo(f"{libelle} :"), POLICE),), TAILLE)
            r.texte(x, r.y - TAILLE, ((morceau, POLICE_GRAS),), TAILLE)
            r.y -= INTERLIGNE


def _signature(r: Redaction, s: Signature, le: date) -> None:
    """« Fait à …, le … », then who signs, room for the signature, the name."""
    r.place(INTERLIGNE * (2 + len(s.qualite)) + 22 * mm)
    fait = f"Fait à {s.lieu}, le {format_date(le)}" if s.lieu else f"Le {format_date(le)}"
    r.ligne(fait, TAILLE, INTERLIGNE, x=X_SIGNATURE)
    r.y -= 4
    largeur = PAGE[0] - MARGE - X_SIGNATURE
    for ligne in s.qualite:
        r.paragraphe(ligne, TAILLE, INTERLIGNE, x=X_SIGNATURE, largeur_max=largeur)
    r.y -= 20 * mm                  # the space to sign (and stamp)
    if s.nom:
        r.ligne(((s.nom, POLICE_GRAS),), TAILLE, INTERLIGNE, x=X_SIGNATURE)


def _pied(c: IdentiteCandidat, session: str) -> str:
    return f"N° candidat {c.numero_candidat} – Session {session}"


def dessiner_reussite(canvas: Canvas, d: DonneesAttestationReussite) -> int:
    c = d.candidat
    r = Redaction(canvas, pied=_pied(c, d.session))
    _bureau_et_candidat(r, d.bureau, c)
    _titre(r, TITRE_REUSSITE)
    admis = accord(c.civilite, "déclaré admis", "déclarée admise", "déclaré(e) admis(e)")
    _paragraphe(r, f"{_identite(c)}, a été {admis} à l'examen suivant :")
    r.y -= 8
    valeurs = [("Diplôme", d.diplome), ("Spécialité", d.specialite), ("Session", d.session)]
    if d.mention:
        valeurs.append(("Mention", d.mention))
    if d.delibere_le:
        valeurs.append(("Délibération du jury", format_date(d.delibere_le)))
    _valeurs(r, valeurs)
    r.y -= 16 * mm
    _signature(r, d.signature, d.delivree_le)
    return r.terminer()


def dessiner_unites(canvas: Canvas, d: DonneesAttestationUnites) -> int:
    c = d.candidat
    r = Redaction(canvas, pied=_pied(c, d.session))
    _bureau_et_candidat(r, d.bureau, c)
    _titre(r, TITRE_UNITES)
    candidat = accord(c.civilite, "candidat", "candidate")
    voie = f" ({d.voie.lower()})" if d.voie else ""
    _paragraphe(r, f"{_identite(c)}, {candidat}{voie} au {d.diplome} spécialité {d.specialite}, "
                   "détient les unités suivantes, avec une note égale ou supérieure à 10 sur 20 :")
    r.y -= 8
    if d.unites:
        t = Tableau(r, COLONNES_UNITES, taille=9, interligne=11)
        t.entete(suite=16)
        for u in d.unites:
            t.rangee((code_affiche(u.code), u.unite or "", u.intitule, u.note, u.session))
        t.fermer()
    else:
        _paragraphe(r, "Aucune unité.")
    r.y -= 14 * mm
    _signature(r, d.signature, d.delivree_le)
    return r.terminer()


def _auteur(b: EnTeteBureau) -> str:
    return b.academie or (b.lignes[0] if b.lignes else "")


def rendre_attestation_reussite(d: DonneesAttestationReussite, *, compression: bool = pdf.COMPRESSION) -> bytes:
    return en_octets(lambda c: dessiner_reussite(c, d), titre=f"{TITRE_REUSSITE} N° {d.candidat.numero_candidat}",
                     auteur=_auteur(d.bureau), sujet=f"{d.diplome} – {d.specialite} – session {d.session}",
                     compression=compression)


def rendre_attestation_unites(d: DonneesAttestationUnites, *, compression: bool = pdf.COMPRESSION) -> bytes:
    return en_octets(lambda c: dessiner_unites(c, d), titre=f"{TITRE_UNITES} N° {d.candidat.numero_candidat}",
                     auteur=_auteur(d.bureau), sujet=f"{d.diplome} – {d.specialite} – session {d.session}",
                     compression=compression)
