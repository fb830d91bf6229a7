"""Parsing one untrusted deposited file with well-kept libraries: qpdf (through pikepdf) for PDFs,
Pillow for JPEG and PNG. What is forbidden and the words of each refusal come from
rules/fichiers.py; this module only asks the parsers.

It runs inside the child process of verification_fichier.py, which bounds its time and memory;
``controler`` runs the same checks in-process (tests, the benchmark's comparison)."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from ..rules import fichiers as regles
from ..rules.errors import ValidationError

# Chunks of an animated PNG (APNG): refused, a piece is one still page.
_BLOCS_ANIMATION = frozenset((b"acTL", b"fcTL", b"fdAT"))
_BLOCS_CRITIQUES = frozenset((b"IHDR", b"PLTE", b"IDAT", b"IEND"))
_CANAUX_PNG = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}     # colour type -> samples per pixel
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_BLOC_INFLATE = 1 << 20


@dataclass(frozen=True)
class Analyse:
    type_mime: str
    pages: int | None = None      # PDF
    largeur: int | None = None    # images
    hauteur: int | None = None


def controler(nom: str, contenu: bytes, taille_max: int = regles.TAILLE_MAX) -> regles.FichierControle:
    """Every check, in this process and without its bounds: raise ValidationError({"fichier": …})."""
    examen = regles.examiner(nom, contenu, taille_max)
    return examen.controle(analyser(contenu).pages)


def analyser(contenu: bytes) -> Analyse:
    """Parse the file fully; raise ValidationError when a parser refuses it. MemoryError is left to
    the caller (the child process reports it as such)."""
    type_mime = regles.type_reel(contenu)
    if type_mime == regles.PDF:
        return Analyse(type_mime, pages=_analyser_pdf(contenu))
    if type_mime in (regles.JPEG, regles.PNG):
        largeur, hauteur = _analyser_image(contenu, type_mime)
        return Analyse(type_mime, largeur=largeur, hauteur=hauteur)
    regles.refuser(regles.MESSAGE_FORMAT_REFUSE)


# ------------------------------------------------------------------------------------------------ PDF

def _analyser_pdf(contenu: bytes) -> int:
    # Imported on the first PDF: starting the application need not pay for it.
    import pikepdf

    try:
        # No recovery: a file qpdf would have to rebuild (lost cross-reference table, objects
        # found by scanning) is not a document a reviewer can trust to show what the candidate saw.
        pdf = pikepdf.open(io.BytesIO(contenu), attempt_recovery=False)
    except pikepdf.PasswordError:
        regles.refuser(regles.MESSAGE_PDF_MOT_DE_PASSE)
    except MemoryError:
        raise
    except Exception:
        regles.refuser(regles.MESSAGE_PDF_ENDOMMAGE)
    with pdf:
        if pdf.is_encrypted:      # opened with the empty password: only an owner password was set
            regles.refuser(regles.MESSAGE_PDF_PROTEGE)
        try:
            declares = int(pdf.trailer.get("/Size", 0))
            if declares > regles.OBJETS_PDF_MAX:
                regles.refuser(regles.message_pdf_complexe(declares))
            if raison := _contenu_actif(pdf, pikepdf):
                regles.refuser(regles.MESSAGE_PDF_ACTIF.format(raison=raison))
            pages = len(pdf.pages)      # qpdf walks the page tree (loops and missing pages are errors)
            if pages < 1:
                regles.refuser(regles.MESSAGE_PDF_SANS_PAGE)
            # qpdf --check: every object parsed, every stream decoded, every page's content parsed
            # (named check() before pikepdf 10).
            problemes = (getattr(pdf, "check_pdf_syntax", None) or pdf.check)()
        except (ValidationError, MemoryError):
            raise
        except Exception:
            regles.refuser(regles.MESSAGE_PDF_ENDOMMAGE)
        if any("bad_alloc" in probleme for probleme in problemes):
            raise MemoryError    # qpdf reports a stream it could not inflate within the memory limit
        if problemes or pdf.get_warnings():
            regles.refuser(regles.MESSAGE_PDF_ENDOMMAGE)
        return pages


def _contenu_actif(pdf: Any, pikepdf: Any) -> str | None:
    """The first forbidden entry of any dictionary of the document (rules.contenu_actif_pdf).

    Every object of the cross-reference table is visited once (those inside object streams too),
    and the direct dictionaries and arrays nested in it: JavaScript hides as well in a page's /AA,
    an annotation, the names tree or the /Next of an innocent-looking action. qpdf has already
    decoded « #xx » in names, so « /J#61vaScript » reads « /JavaScript »."""
    conteneurs = (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)
    a_voir: list[Any] = [pdf.trailer, *pdf.objects]
    while a_voir:
        objet = a_voir.pop()
        if isinstance(objet, pikepdf.Array):
            a_voir.extend(v for v in objet if isinstance(v, conteneurs) and not v.is_indirect)
            continue
        if not isinstance(objet, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        for cle, valeur in objet.items():
            nom = str(valeur) if isinstance(valeur, pikepdf.Name) else None
            if raison := regles.contenu_actif_pdf(str(cle), nom):
                return raison
            if isinstance(valeur, conteneurs) and not valeur.is_indirect:
                a_voir.append(valeur)
    return None


# --------------------------------------------------------------------------------------------- images

def configurer_pillow() -> None:
    """Pillow's limits for untrusted images (module-wide settings: set once, in the child)."""
    from PIL import Image, ImageFile, PngImagePlugin

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    Image.MAX_IMAGE_PIXELS = regles.PIXELS_MAX
    PngImagePlugin.MAX_TEXT_CHUNK = regles.TEXTE_PNG_MAX
    PngImagePlugin.MAX_TEXT_MEMORY = regles.TEXTE_PNG_TOTAL_MAX


def _analyser_image(contenu: bytes, type_mime: str) -> tuple[int, int]:
    from PIL import Image

    configurer_pillow()
    format_ = "PNG" if type_mime == regles.PNG else "JPEG"
    if type_mime == regles.PNG:
        _structure_png(contenu)
    etape = "ouverture"
    try:
        with warnings.catch_warnings():
            # Between MAX_IMAGE_PIXELS and twice that Pillow only warns: the size is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenu), formats=[format_]) as image:
                largeur, hauteur = image.size
                # The declared size, read from the header: a bomb is refused before any decoding.
                if largeur * hauteur > regles.PIXELS_MAX:
                    regles.image_trop_grande(type_mime, largeur, hauteur)
                if type_mime == regles.PNG and getattr(image, "is_animated", False):
                    regles.refuser(regles.MESSAGE_PNG_ANIME)
                image.verify()
            etape = "decodage"
            # verify() leaves the image unusable: decode every pixel from a fresh one.
            with Image.open(io.BytesIO(contenu), formats=[format_]) as image:
                image.load()
    except (ValidationError, MemoryError):
        raise
    except Image.DecompressionBombError:
        regles.image_trop_grande(type_mime)
    except ValueError as exc:
        if type_mime == regles.PNG and "TEXT" in str(exc).upper():
            regles.refuser(regles.MESSAGE_PNG_TEXTE)
        regles.image_endommagee(type_mime, "sa structure est illisible")
    except Exception:
        if etape == "decodage":
            regles.image_endommagee(type_mime, "les données de l'image sont corrompues ou incomplètes")
        regles.image_endommagee(type_mime, "sa structure est illisible")
    return largeur, hauteur


def _structure_png(contenu: bytes) -> None:
    """The chunks of a PNG, read by Pillow's own chunk reader: every checksum, the header first, the
    end chunk last with nothing after it (a ZIP or a page glued on), no animation, no unknown
    critical chunk (PNG §5.4: a viewer must refuse the image)."""
    from PIL import PngImagePlugin

    flux_octets = io.BytesIO(contenu)
    flux_octets.seek(len(regles.SIGNATURE_PNG))
    flux = PngImagePlugin.ChunkStream(flux_octets)
    entete: tuple[int, ...] | None = None
    vus: set[bytes] = set()
    idat: list[bytes] = []
    while True:
        if len(contenu) - flux_octets.tell() < 12:     # length, type and checksum of the next chunk
            regles.png_incomplet()
        try:
            bloc, _position, longueur = flux.read()
        except SyntaxError:
            regles.png_endommage("un bloc de données est illisible")
        donnees = flux_octets.read(longueur)
        if len(donnees) < longueur or len(contenu) - flux_octets.tell() < 4:
            regles.png_incomplet()
        try:
            flux.crc(bloc, donnees)
        except SyntaxError:
            regles.png_endommage("un bloc de données est corrompu (somme de contrôle incorrecte)")
        if entete is None and bloc != b"IHDR":
            regles.png_endommage("l'en-tête de l'image (IHDR) manque")
        if bloc == b"IHDR":
            if entete is not None or longueur != 13:
                regles.png_endommage("l'en-tête de l'image (IHDR) est incorrect")
            entete = struct.unpack(">IIBBBBB", donnees)
        elif bloc == b"IDAT":
            idat.append(donnees)
        elif bloc in _BLOCS_ANIMATION:
            regles.refuser(regles.MESSAGE_PNG_ANIME)
        elif bloc[:1].isupper() and bloc not in _BLOCS_CRITIQUES:
            regles.png_endommage(f"il contient un bloc inconnu ({bloc.decode('ascii', 'replace')})")
        vus.add(bloc)
        if bloc == b"IEND":
            break
    if contenu[flux_octets.tell():].strip(b"\x00"):
        regles.png_endommage("des données inattendues suivent la fin de l'image")
    assert entete is not None
    largeur, hauteur, profondeur, couleur, _compression, _filtre, entrelace = entete
    if largeur == 0 or hauteur == 0:
        regles.png_endommage("l'image a une largeur ou une hauteur nulle")
    if largeur * hauteur > regles.PIXELS_MAX:
        regles.image_trop_grande(regles.PNG, largeur, hauteur)
    if b"IDAT" not in vus:
        regles.png_endommage("il ne contient aucune donnée d'image")
    if couleur == 3 and b"PLTE" not in vus:
        regles.png_endommage("la palette de couleurs (PLTE) manque")
    _donnees_png_exactes(b"".join(idat), _taille_brute_png(largeur, hauteur, profondeur, couleur, entrelace))


def _taille_brute_png(largeur: int, hauteur: int, profondeur: int, couleur: int, entrelace: int) -> int:
    """Bytes the image data must inflate to: one filter byte per row, then the packed samples (of
    each of the seven passes when interlaced)."""
    bits = _CANAUX_PNG.get(couleur, 4) * profondeur

    def lignes(l_: int, h_: int) -> int:
        return h_ * (1 + (l_ * bits + 7) // 8) if l_ and h_ else 0

    if not entrelace:
        return lignes(largeur, hauteur)
    return sum(lignes((largeur - x0 + dx - 1) // dx, (hauteur - y0 + dy - 1) // dy) for x0, y0, dx, dy in _ADAM7)


def _donnees_png_exactes(donnees: bytes, attendu: int) -> None:
    """Pillow fills with black the rows a too-short data stream lacks, and ignores whatever a
    too-long one carries after the last row: the stream must inflate to exactly the size the
    header declares. Inflated block by block and thrown away, so memory stays flat whatever the
    header claims."""
    inflateur = zlib.decompressobj()
    total = 0
    try:
        while donnees and not inflateur.eof and total <= attendu:
            total += len(inflateur.decompress(donnees, _BLOC_INFLATE))
            donnees = inflateur.unconsumed_tail
        while not inflateur.eof and total <= attendu:
            # Input exhausted, but zlib may still hold output: drain it, or learn the stream is cut.
            sortie = inflateur.decompress(b"", _BLOC_INFLATE)
            if not sortie:
                break
            total += len(sortie)
    except zlib.error:
        regles.png_endommage("les données de l'image sont corrompues")
    if not inflateur.eof or total != attendu:
        regles.png_endommage("les données de l'image sont corrompues ou incomplètes")
