"""« Récapitulatif de votre candidature » (docs/domaine/documents.md#recapitulatif): the document the
candidate signs and sends back with the pièces justificatives. Blocks in the printed order of the
CYCLADES récapitulatif.

Labels keep its wording (« Etablissement », « EPREUVES OBLIGATOIRES », « A : … ») so the
printed text can be checked against it."""

from __future__ import annotations

from functools import cache

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cyclades_desktop.documents import pdf
from cyclades_desktop.documents.donnees import AcquisImprime, DonneesRecapitulatif, LigneEpreuveImprimee
from cyclades_desktop.documents.entete import bureau_et_candidat, entete, titre
from cyclades_desktop.documents.entete import ligne as libelle_valeur
from cyclades_desktop.documents.pdf import Morceau, echapper, typo
from cyclades_desktop.rules.codes_epreuves import nom_epreuve
from cyclades_desktop.rules.temps import format_date, format_date_longue

TITRE = "Récapitulatif de votre candidature"
MENTION_BROUILLON = "(projet non enregistré)"
FILIGRANE = "PROJET – NON ENREGISTRÉ"

TEXTE_IMPORTANT = (
    "Pour étudier la recevabilité de votre candidature, vous devez fournir des pièces justificatives dont la "
    "liste, les modalités et les dates limites de retour sont indiquées dans votre espace Candidat rubrique "
    "« Mes justificatifs ». Les dates limites de retour sont à respecter impérativement. Ce document "
    "« Récapitulatif de votre candidature » signé fait partie des pièces justificatives."
)
TEXTE_MODIFICATION = (
    "Vous pouvez modifier votre candidature avant la fermeture du service inscription fixée le {cloture}."
)
TEXTE_ATTENTION = "Attention à bien vérifier votre choix ci-dessous :"
TEXTE_PRESSE = (
    "J'accepte la communication de mes résultats d'examen, en vue d'une publication par la presse ou sur "
    "les sites internet de sociétés de droit privé : (OUI\u00a0ou\u00a0NON) :"
)
TEXTE_COLLECTIVITES = (
    "J'accepte la communication de mes résultats, de mon nom et de mon adresse aux collectivités "
    "territoriales en vue d'éventuelles félicitations : (OUI\u00a0ou\u00a0NON) :"
)
TEXTE_CPF = (
    "Pour information, si vous êtes admis à l'examen, votre résultat sera transmis à la Caisse des Dépôts "
    "afin d'alimenter votre compte personnel de formation."
)
TEXTE_CNIL = (
    "Conformément à la « loi informatique et libertés » du 6 janvier 1978 modifiée en 2004, vous bénéficiez "
    "d'un droit d'accès et de rectification aux informations qui vous concernent : vous pouvez exercer ce "
    "droit en vous adressant au service des examens et concours de votre académie d'inscription. Vous "
    "pouvez également, pour des motifs légitimes, vous opposer au traitement des données vous concernant."
)
TEXTE_ROUGE = (
    "Si les renseignements contenus dans ce document sont incorrects ou incomplets, corrigez-les en ROUGE."
)
TEXTE_PIECE_IDENTITE = "Le jour de l'examen, une pièce d'identité avec photographie vous sera demandée."
SIGNATURE_CANDIDAT = "Signature du candidat"
SIGNATURE_REPRESENTANT = "Signature du représentant légal"
SIGNATURE_MINEUR = "Signature du candidat et du représentant légal (candidat mineur)"

ENTETE_EPREUVES = ("Épreuve", "Unité", "Position", "Mode d'évaluation")
# Fixed widths (no auto-sizing: faster, and the same columns from one candidate to the next).
COLONNES_EPREUVES = (86 * mm, 13 * mm, 24 * mm, pdf.LARGEUR_UTILE - 123 * mm)
PADDING_CELLULE = 3.0
_GRIS_POINTS = HexColor("#8a8a8a")
_ESPACE = 4.0
# A section heading keeps the table's heading row and about three épreuves under it.
_DEBUT_TABLEAU = 4 * 15.4
# The candidate's block sits where a window envelope shows it (about 110 mm from the page's left edge).


def rendre_recapitulatif(d: DonneesRecapitulatif, *, compression: bool = pdf.COMPRESSION) -> bytes:
    """The PDF bytes of the candidate's récapitulatif (A4, fonts embedded, « Page N/M » footer)."""
    mise_en_page = pdf.MiseEnPage(
        titre=f"Récapitulatif de candidature N° {d.numero_candidat}",
        auteur=d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else ""),
        sujet=f"{d.domaine.upper()} – session {d.session} – inscription n° {d.numero_inscription}",
        pied=f"N° candidat {d.numero_candidat} – Inscription n° {d.numero_inscription} – Version {d.version}",
        filigrane=FILIGRANE if d.brouillon else None,
    )
    return pdf.construire_pdf(histoire_recapitulatif(d), mise_en_page, compression=compression)


def histoire_recapitulatif(d: DonneesRecapitulatif) -> list[Flowable]:
    """The document's flowables, without the page furniture (footer, watermark) that
    :func:`rendre_recapitulatif` adds."""
    s = pdf.styles()
    histoire: list[Flowable] = [
        _entete(d),
        Spacer(0, 5 * mm),
        _bureau_et_candidat(d),
        Spacer(0, 3 * mm),
        *_identite(d),
        Spacer(0, _ESPACE),
        Paragraph(f"<b>{typo('IMPORTANT :')}</b> {echapper(TEXTE_IMPORTANT)}", s.corps),
        Spacer(0, _ESPACE),
        pdf.texte(TEXTE_MODIFICATION.format(cloture=format_date_longue(d.cloture)), s.corps),
        Spacer(0, 2 * _ESPACE),
        *_specialite(d),
        *pdf.intertitre("DECLARATION des ACQUIS"),
        *_acquis(d.acquis),
        *pdf.intertitre("EPREUVES OBLIGATOIRES", _DEBUT_TABLEAU),
    ]
    if d.epreuves_obligatoires:
        histoire.append(_tableau_epreuves(d.epreuves_obligatoires))
    else:
        histoire.append(pdf.texte("Aucune épreuve obligatoire", s.corps))
    if d.epreuves_facultatives:
        histoire += pdf.intertitre("EPREUVE(S) FACULTATIVE(S)", _DEBUT_TABLEAU)
        histoire.append(_tableau_epreuves(d.epreuves_facultatives))
    histoire += [
        Spacer(0, 3 * _ESPACE),
        _consentement(TEXTE_PRESSE, d.consentement_presse),
        Spacer(0, _ESPACE),
        _consentement(TEXTE_COLLECTIVITES, d.consentement_collectivites),
        Spacer(0, 2 * _ESPACE),
        Paragraph(echapper(TEXTE_CPF), s.corps),
        Spacer(0, _ESPACE),
        Paragraph(echapper(TEXTE_CNIL), s.corps),
        Spacer(0, 3 * _ESPACE),
        KeepTogether(_signature(d.mineur)),
    ]
    return histoire


def _oui_non(valeur: bool) -> str:
    return "OUI" if valeur else "NON"


def _entete(d: DonneesRecapitulatif) -> Table:
    return entete(titre(TITRE, d.domaine), version=d.version, version_le=d.version_le,
                  numero_candidat=d.numero_candidat, numero_inscription=d.numero_inscription, session=d.session,
                  mention=MENTION_BROUILLON if d.brouillon else None)


def _bureau_et_candidat(d: DonneesRecapitulatif) -> Table:
    return bureau_et_candidat(d.bureau, f"{d.civilite} {d.nom} {d.prenoms}", d.adresse)


def _identite(d: DonneesRecapitulatif) -> list[Flowable]:
    telephones = []
    if d.telephone_mobile:
        telephones.append(f"Tél. mobile : {d.telephone_mobile}")
    if d.telephone_fixe:
        telephones.append(f"Tél. fixe : {d.telephone_fixe}")
    lignes = [
        libelle_valeur("Nom d'usage", d.nom_usage or ""),
        libelle_valeur("Nationalité", d.nationalite),
        libelle_valeur("Né(e) le", format_date(d.date_naissance)),
        libelle_valeur("A", d.lieu_naissance),
        libelle_valeur("Tél", " – ".join(telephones)),
        libelle_valeur("Mèl", d.email),
        libelle_valeur("VAE", _oui_non(d.vae)),
    ]
    if d.ine:
        lignes.append(libelle_valeur("Identifiant National (INE)", d.ine))
    lignes += [
        libelle_valeur("Etablissement", d.etablissement or ""),
        libelle_valeur("Catégorie du Candidat", d.categorie),
        libelle_valeur("Aménagement d'épreuve demandé au titre du handicap", _oui_non(d.handicap)),
    ]
    return lignes


def _specialite(d: DonneesRecapitulatif) -> list[Flowable]:
    s = pdf.styles()
    lignes: list[Flowable] = [
        pdf.texte(Morceau(f"Spécialité : {d.specialite}", gras=True), s.corps),
        Spacer(0, 2),
        libelle_valeur("Forme de passage", d.forme_passage),
    ]
    if d.forme_finale:
        lignes.append(libelle_valeur("Forme de passage finale", d.forme_finale))
    if d.derogation:
        lignes.append(libelle_valeur("Dérogation à la forme de passage", "OUI"))
    if d.section_langue and d.section_langue != "Pas de section européenne":
        lignes.append(libelle_valeur("Section de langue", d.section_langue))
    if d.amenagement_duree:
        lignes.append(libelle_valeur("Aménagement de la durée de formation", "OUI"))
    return lignes


def _acquis(acquis: tuple[AcquisImprime, ...]) -> list[Flowable]:
    s = pdf.styles()
    if not acquis:
        return [pdf.texte("Aucun acquis déclaré", s.corps)]
    blocs: list[Flowable] = []
    for i, a in enumerate(acquis):
        bloc: list[Flowable] = [Spacer(0, _ESPACE)] if i else []
        bloc += [libelle_valeur("Titre ou diplôme", a.titre), libelle_valeur("Spécialité", a.specialite)]
        annee_academie = []
        if a.annee is not None:
            annee_academie.append(f"Année : {a.annee}")
        if a.academie:
            annee_academie.append(f"Académie : {a.academie}")
        if annee_academie:
            bloc.append(pdf.texte(" - ".join(annee_academie), s.corps))
        if a.type_droit:
            bloc.append(pdf.texte(a.type_droit, s.corps))
        blocs.append(KeepTogether(bloc))
    return blocs


def _points(niveau: int) -> str:
    # As printed by Cyclades: "...." under an épreuve, "....." one level further.
    return "." * (niveau + 3) if niveau > 0 else ""


@cache
def _style_epreuve(niveau: int) -> ParagraphStyle:
    """Hanging indent: a wrapped intitulé goes on under its code, not under the dots."""
    s = pdf.styles()
    base = s.cellule_gras if niveau == 0 else s.cellule
    retrait = pdf.largeur_texte(_points(niveau) + " ", base.fontName, base.fontSize) if niveau else 0
    return ParagraphStyle(f"epreuve_{niveau}", parent=base, leftIndent=retrait, firstLineIndent=-retrait)


@cache
def _style_detail() -> ParagraphStyle:
    return ParagraphStyle("epreuve_detail", parent=pdf.styles().cellule, leftIndent=8)


def _cellule_epreuve(ligne: LigneEpreuveImprimee) -> Flowable:
    libelle = nom_epreuve(ligne.code, ligne.intitule)   # never an internal NC key
    points = _points(ligne.niveau)
    morceaux = [Morceau(libelle, gras=ligne.niveau == 0)]
    if points:
        morceaux.insert(0, Morceau(points + " ", couleur=_GRIS_POINTS))
    return pdf.texte(morceaux, _style_epreuve(ligne.niveau))


def _tableau_epreuves(lignes: tuple[LigneEpreuveImprimee, ...]) -> Table:
    s = pdf.styles()
    rangees: list[list[Flowable]] = [[pdf.texte(t, s.cellule_entete) for t in ENTETE_EPREUVES]]
    sans_trait: list[int] = []
    for ligne in lignes:
        position = f"{ligne.position} {ligne.note}" if ligne.note else ligne.position
        rangees.append([
            _cellule_epreuve(ligne),
            pdf.texte(ligne.unite, s.cellule) if ligne.unite else _vide(),
            pdf.texte(position, s.cellule),
            pdf.texte(ligne.mode, s.cellule) if ligne.mode else _vide(),
        ])
        if ligne.detail:
            sans_trait.append(len(rangees) - 1)
            rangees.append([pdf.texte(f"- {ligne.detail}", _style_detail()), _vide(), _vide(), _vide()])
    table = pdf.tableau(rangees, COLONNES_EPREUVES, _STYLE_EPREUVES, repeatRows=1)
    if sans_trait:
        # The language or destination reads as part of its épreuve: a barely visible rule between them.
        table.setStyle(TableStyle([("LINEBELOW", (0, r), (-1, r), 0.25, pdf.GRIS_FOND) for r in sans_trait]))
    return table


_STYLE_EPREUVES = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), PADDING_CELLULE),
    ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_CELLULE),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("BACKGROUND", (0, 0), (-1, 0), pdf.GRIS_FOND),
    ("GRID", (0, 0), (-1, -1), 0.25, pdf.GRIS_GRILLE),
    ("BOX", (0, 0), (-1, -1), 0.5, pdf.GRIS_TRAIT),
])


def _consentement(texte: str, valeur: bool) -> Paragraph:
    return Paragraph(
        f"<b>{typo(TEXTE_ATTENTION)}</b> {echapper(texte)} <b>{_oui_non(valeur)}</b>", pdf.styles().corps
    )


def _signature(mineur: bool) -> list[Flowable]:
    s = pdf.styles()
    bloc: list[Flowable] = [
        pdf.texte(Morceau("CERTIFIE EXACT,", gras=True), s.corps),
        Spacer(0, 3 * mm),
        pdf.texte("A ____________________, le ____________________", s.corps),
        Spacer(0, 3 * mm),
    ]
    if mineur:
        bloc += [pdf.texte(SIGNATURE_MINEUR, s.corps), Spacer(0, 2 * mm)]
        cases = [[_case(SIGNATURE_CANDIDAT), "", _case(SIGNATURE_REPRESENTANT)]]
    else:
        cases = [["", "", _case(SIGNATURE_CANDIDAT)]]
    largeur_case = 78 * mm
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("BOX", (c, 0), (c, 0), 0.5, pdf.GRIS_TRAIT) for c in ((0, 2) if mineur else (2,))]
    table = pdf.tableau(cases, (largeur_case, pdf.LARGEUR_UTILE - 2 * largeur_case, largeur_case),
                        TableStyle(style), rowHeights=(26 * mm,))
    bloc += [
        table,
        Spacer(0, 5 * mm),
        Paragraph(f"<b>{echapper(TEXTE_ROUGE)}</b>", s.corps),
        Spacer(0, 1.5 * mm),
        pdf.texte(TEXTE_PIECE_IDENTITE, s.corps),
    ]
    return bloc


def _case(libelle: str) -> Flowable:
    return pdf.texte(libelle, pdf.styles().petit)


def _vide() -> Flowable:
    # Not "": the Table draws an empty string as a text object ending a line, which splits the row in
    # extracted text.
    return Spacer(0, 0)
