"""Files deposited as pièces justificatives (seed 004 §4.5 « Cas des pièces à déposer en ligne »).

A file is judged by its content, never by its name: PDF, JPEG or PNG only, 5 Mo at most, and
structurally sound enough for a reviewer to open it. Pure: bytes in, a verdict out (no disk, no Qt,
no database)."""

from __future__ import annotations

import io
import logging
import math
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any, NoReturn

from .errors import ValidationError

TAILLE_MAX = 5 * 1024 * 1024
FORMATS = "PDF, JPEG ou PNG"
TEXTE_FORMATS = "Formats acceptés : PDF, JPEG ou PNG ; 5 Mo au maximum par fichier."
LONGUEUR_NOM_MAX = 255
# Beyond these a PNG is a decompression bomb rather than a document: an A4 page scanned at 600 ppp
# is 35 Mpx, 105 Mo once inflated (in about 250 ms: zlib inflates some 400 Mo/s).
PIXELS_MAX = 50_000_000
OCTETS_IMAGE_MAX = 128 * 1024 * 1024

CHAMP = "fichier"
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}

MESSAGE_FORMAT_REFUSE = (
    "Ce fichier n'est pas un PDF, un JPEG ou un PNG (son contenu a été vérifié, pas seulement son nom)."
)
MESSAGE_VIDE = "Le fichier est vide (0 octet) : choisissez à nouveau le document."
MESSAGE_PDF_ENDOMMAGE = "Le fichier PDF est incomplet ou endommagé. Enregistrez-le à nouveau, puis déposez-le."
MESSAGE_PDF_MOT_DE_PASSE = (
    "Le fichier PDF est protégé par un mot de passe : déposez une version sans mot de passe."
)
MESSAGE_PDF_PROTEGE = (
    "Le fichier PDF est protégé (chiffré) : déposez une version sans protection, par exemple en "
    "l'imprimant vers un nouveau fichier PDF."
)
MESSAGE_PDF_SANS_PAGE = "Le fichier PDF ne contient aucune page."

# pypdf reports every repairable oddity through logging; a deposit only cares about the verdict.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class FichierControle:
    nom: str            # original name, sanitised (nom_sain), extension left as the user had it
    type_mime: str      # PDF | JPEG | PNG, from the content
    extension: str      # "pdf" | "jpg" | "png", from the content, without the dot
    taille: int         # bytes
    pages: int | None   # PDF only


def nom_sain(nom: str) -> str:
    """The name as shown and stored: NFC (an accent typed on macOS is otherwise two characters),
    surrounding blanks removed, accents kept."""
    return unicodedata.normalize("NFC", nom or "").strip()


def controler(nom: str, contenu: bytes, taille_max: int = TAILLE_MAX) -> FichierControle:
    """Check one deposited file; raise ValidationError({"fichier": message}) when it is refused.

    A content that does not match the extension is accepted when it is one of the three formats:
    the real type is returned, the name is kept as it is."""
    nom = nom_sain(nom)
    _controler_nom(nom)
    if not isinstance(contenu, bytes):
        contenu = bytes(contenu)
    taille = len(contenu)
    if taille == 0:
        _refuser(MESSAGE_VIDE)
    if taille > taille_max:
        _refuser(
            f"Le fichier est trop volumineux ({_taille_lisible(taille, arrondi_superieur=True)}) : "
            f"la limite est de {_taille_lisible(taille_max)} par fichier. Réduisez-le (numérisation en "
            "150 ou 200 ppp, compression) puis déposez-le à nouveau."
        )
    type_mime = _type_reel(contenu)
    if type_mime is None:
        _refuser(MESSAGE_FORMAT_REFUSE + _conseil_format(contenu))
    pages: int | None = None
    if type_mime == PDF:
        pages = _controler_pdf(contenu)
    elif type_mime == PNG:
        _controler_png(contenu)
    else:
        _controler_jpeg(contenu)
    return FichierControle(nom=nom, type_mime=type_mime, extension=EXTENSIONS[type_mime], taille=taille,
                           pages=pages)


def _refuser(message: str) -> NoReturn:
    raise ValidationError({CHAMP: message})


# ---------------------------------------------------------------------------------------------- name

# Invisible direction overrides make « facture\u202Efdp.exe » display as « facture.exe.pdf ».
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _controler_nom(nom: str) -> None:
    if not nom:
        _refuser("Le fichier n'a pas de nom : renommez-le puis déposez-le à nouveau.")
    if "/" in nom or "\\" in nom:
        _refuser("Le nom du fichier ne doit pas contenir de « / » ni de « \\ » : renommez-le.")
    if ".." in nom:
        _refuser("Le nom du fichier ne doit pas contenir « .. » : renommez-le.")
    if any(unicodedata.category(c) == "Cc" or c in _BIDI for c in nom):
        _refuser("Le nom du fichier contient des caractères invisibles (caractères de contrôle) : renommez-le.")
    if len(nom) > LONGUEUR_NOM_MAX:
        _refuser(f"Le nom du fichier est trop long ({len(nom)} caractères, {LONGUEUR_NOM_MAX} au maximum) : "
                 "renommez-le.")


def _taille_lisible(octets: int, *, arrondi_superieur: bool = False) -> str:
    # Rounded up for the file, so that a file just over « 5 Mo » never reads « 5 Mo ».
    unite, diviseur = ("Mo", 1024 * 1024) if octets >= 100 * 1024 else ("Ko", 1024)
    valeur = octets / diviseur
    valeur = math.ceil(valeur * 10) / 10 if arrondi_superieur else round(valeur, 1)
    return f"{valeur:.1f}".replace(".", ",").removesuffix(",0") + f" {unite}"


# ------------------------------------------------------------------------------------------- sniffing

_SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n"


def _type_reel(contenu: bytes) -> str | None:
    if contenu.startswith(b"%PDF-"):
        return PDF
    if contenu.startswith(b"\xff\xd8"):
        return JPEG
    # A PNG whose signature lost a byte (transfer in text mode, bit flip) is a damaged PNG, not
    # an unknown file: the user is told to re-export it rather than to change its format.
    if contenu[1:4] == b"PNG" and (contenu[0] == 0x89 or contenu[4:6] == b"\r\n"):
        return PNG
    return None


_AUTRES_IMAGES = (
    (b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
)


def _conseil_format(contenu: bytes) -> str:
    """A hint for the formats people actually pick by mistake."""
    image = next((nom for magie, nom in _AUTRES_IMAGES if contenu.startswith(magie)), None)
    if image is None and contenu[8:12] == b"WEBP" and contenu.startswith(b"RIFF"):
        image = "WebP"
    if image is None and contenu[4:8] == b"ftyp" and contenu[8:12] in (b"heic", b"heix", b"mif1", b"msf1",
                                                                       b"hevc", b"avif"):
        image = "HEIC" if contenu[8:12] != b"avif" else "AVIF"
    if image:
        return f" Les images {image} ne sont pas acceptées : enregistrez l'image au format JPEG ou PNG."
    if contenu.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return (" Les documents Word, Excel, OpenOffice ou les archives ZIP ne sont pas acceptés : "
                "enregistrez le document au format PDF.")
    return ""


# ------------------------------------------------------------------------------------------------ PDF

def _controler_pdf(contenu: bytes) -> int:
    # A PDF cut short (interrupted download, full disk) loses its trailer first; readers tolerate
    # %%EOF anywhere in the last kilobyte.
    if b"%%EOF" not in contenu[-1024:]:
        _refuser(MESSAGE_PDF_ENDOMMAGE)
    # Imported on the first PDF: about 90 ms that starting the application need not pay.
    from pypdf import PdfReader

    verdict: str | None = None
    pages = 0
    try:
        # pypdf speaks of damaged files through logging only (silenced above): no warnings filter
        # to set, which would not be thread-safe anyway.
        lecteur = PdfReader(io.BytesIO(contenu), strict=False)
        if lecteur.is_encrypted:
            chiffrement = getattr(lecteur, "_encryption", None)
            # pypdf has already tried the empty password: it opens the file when only an owner
            # password (« no editing ») was set.
            ouvert = chiffrement is not None and chiffrement.is_decrypted()
            verdict = MESSAGE_PDF_PROTEGE if ouvert else MESSAGE_PDF_MOT_DE_PASSE
        else:
            pages = _pdf_pages(lecteur)
    except Exception:
        # AES without a crypto library fails inside the reader: still an encrypted file.
        verdict = MESSAGE_PDF_MOT_DE_PASSE if b"/Encrypt" in contenu else MESSAGE_PDF_ENDOMMAGE
    if verdict:
        _refuser(verdict)
    if pages < 1:
        _refuser(MESSAGE_PDF_SANS_PAGE)
    return pages


def _pdf_pages(lecteur: Any) -> int:
    """The page count the document declares, once its first page has been reached.

    Walking the whole page tree (pypdf's ``len(reader.pages)``) costs some 0.3 s on a 1000-page
    file; the declared /Count plus the path to page 1 shows the tree is there, for 4 ms."""
    arbre = lecteur.root_object["/Pages"].get_object()
    compte = arbre.get("/Count")
    if compte is None:
        return len(lecteur.pages)
    compte = int(compte.get_object())
    if compte > 0:
        noeud = arbre
        for _ in range(64):  # a loop in /Kids must not hang the check
            enfants = noeud.get("/Kids")
            if noeud.get("/Type") == "/Page" or enfants is None:
                break
            noeud = enfants.get_object()[0].get_object()
        else:
            raise ValueError("arbre des pages sans fin")
        if noeud.get("/Type") not in ("/Page", None):
            raise ValueError("première page introuvable")
    return compte


# ------------------------------------------------------------------------------------------------ PNG

# colour type -> (channels, allowed bit depths)
_PNG_COULEURS = {0: (1, (1, 2, 4, 8, 16)), 2: (3, (8, 16)), 3: (1, (1, 2, 4, 8)), 4: (2, (8, 16)),
                 6: (4, (8, 16))}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_BLOC_INFLATE = 1 << 20


def _png_endommage(detail: str) -> NoReturn:
    _refuser(f"Le fichier PNG est endommagé : {detail}. Enregistrez l'image à nouveau, puis déposez-la.")


def _png_incomplet() -> NoReturn:
    _refuser("Le fichier PNG est incomplet : la fin de l'image manque. Enregistrez l'image à nouveau, "
             "puis déposez-la.")


def _controler_png(contenu: bytes) -> None:
    if not contenu.startswith(_SIGNATURE_PNG):
        _png_endommage("son en-tête (signature PNG) est incorrect")
    vue = memoryview(contenu)
    n = len(contenu)
    pos = 8
    entete: tuple[int, int, int, int, int] | None = None
    palette = False
    idat: list[memoryview] = []
    idat_termine = False
    while True:
        if pos + 8 > n:
            _png_incomplet()
        longueur, type_bloc = struct.unpack_from(">I4s", contenu, pos)
        if longueur > 0x7FFFFFFF or not type_bloc.isalpha():
            _png_endommage("un bloc de données est illisible")
        debut, fin = pos + 8, pos + 8 + longueur
        if fin + 4 > n:
            _png_incomplet()
        if zlib.crc32(vue[pos + 4:fin]) != struct.unpack_from(">I", contenu, fin)[0]:
            _png_endommage("un bloc de données est corrompu (somme de contrôle incorrecte)")
        if entete is None and type_bloc != b"IHDR":
            _png_endommage("l'en-tête de l'image (IHDR) manque")
        if type_bloc == b"IHDR":
            if entete is not None or longueur != 13:
                _png_endommage("l'en-tête de l'image (IHDR) est incorrect")
            entete = _png_entete(contenu, debut)
        elif type_bloc == b"PLTE":
            palette = True
        elif type_bloc == b"IDAT":
            if idat_termine:
                _png_endommage("les données de l'image sont dispersées")
            idat.append(vue[debut:fin])
        elif type_bloc == b"IEND":
            pos = fin + 4
            break
        elif type_bloc[0:1].isupper():
            # An unknown critical chunk means viewers must refuse the image (PNG §5.4).
            _png_endommage(f"il contient un bloc inconnu ({type_bloc.decode('ascii')})")
        if idat and type_bloc != b"IDAT":
            idat_termine = True
        pos = fin + 4
    if contenu[pos:].strip(b"\x00"):
        _png_endommage("des données inattendues suivent la fin de l'image")
    assert entete is not None
    if not idat:
        _png_endommage("il ne contient aucune donnée d'image")
    largeur, hauteur, profondeur, couleur, entrelace = entete
    if couleur == 3 and not palette:
        _png_endommage("la palette de couleurs (PLTE) manque")
    attendu = _png_taille_brute(largeur, hauteur, _PNG_COULEURS[couleur][0] * profondeur, entrelace)
    if largeur * hauteur > PIXELS_MAX or attendu > OCTETS_IMAGE_MAX:
        _refuser(f"L'image PNG est trop grande ({largeur} × {hauteur} pixels) : réduisez sa résolution, "
                 "puis déposez-la à nouveau.")
    _png_inflater(idat, attendu)


def _png_entete(contenu: bytes, debut: int) -> tuple[int, int, int, int, int]:
    largeur, hauteur, profondeur, couleur, compression, filtre, entrelace = struct.unpack_from(
        ">IIBBBBB", contenu, debut)
    if largeur == 0 or hauteur == 0:
        _png_endommage("l'image a une largeur ou une hauteur nulle")
    if largeur > 0x7FFFFFFF or hauteur > 0x7FFFFFFF or couleur not in _PNG_COULEURS \
            or profondeur not in _PNG_COULEURS[couleur][1] or compression != 0 or filtre != 0 \
            or entrelace not in (0, 1):
        _png_endommage("l'en-tête de l'image (IHDR) est incorrect")
    return largeur, hauteur, profondeur, couleur, entrelace


def _png_taille_brute(largeur: int, hauteur: int, bits: int, entrelace: int) -> int:
    """Bytes the IDAT stream must inflate to: one filter byte per row plus the packed pixels."""
    def lignes(l_: int, h_: int) -> int:
        return h_ * (1 + (l_ * bits + 7) // 8) if l_ and h_ else 0

    if not entrelace:
        return lignes(largeur, hauteur)
    return sum(lignes(max(0, (largeur - x0 + dx - 1) // dx), max(0, (hauteur - y0 + dy - 1) // dy))
               for x0, y0, dx, dy in _ADAM7)


def _png_inflater(idat: list[memoryview], attendu: int) -> None:
    # Inflated by blocks and thrown away: memory stays flat whatever the IHDR claims, and zlib
    # checks the stream's Adler-32 at its end.
    inflateur = zlib.decompressobj()
    total = 0
    try:
        for morceau in idat:
            reste: bytes | memoryview = morceau
            while reste and not inflateur.eof:
                sortie = inflateur.decompress(reste, _BLOC_INFLATE)
                total += len(sortie)
                if total > attendu:
                    _png_endommage("les données de l'image dépassent sa taille")
                reste = inflateur.unconsumed_tail
        while not inflateur.eof:
            # Input exhausted but zlib may still hold output: drain it, or learn the stream is cut.
            sortie = inflateur.decompress(b"", _BLOC_INFLATE)
            total += len(sortie)
            if total > attendu:
                _png_endommage("les données de l'image dépassent sa taille")
            if not sortie:
                break
    except zlib.error:
        _png_endommage("les données de l'image sont corrompues")
    if not inflateur.eof or total != attendu:
        _png_endommage("les données de l'image sont corrompues ou incomplètes")


# ----------------------------------------------------------------------------------------------- JPEG

# SOFn: every frame header (baseline, progressive, lossless, arithmetic), not DHT/JPG/DAC.
_JPEG_SOF = frozenset((0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF))
_JPEG_DHT, _JPEG_DQT, _JPEG_SOS, _JPEG_EOI = 0xC4, 0xDB, 0xDA, 0xD9
# In entropy-coded data a 0xFF is followed by 0x00 (stuffing), a restart marker or another 0xFF
# (fill): anything else is the next marker. A regex finds it at C speed (2 ms for 5 Mo; with
# « \xff+ » instead of « \xff » the engine backtracks and takes 60 ms).
_JPEG_MARQUEUR_SUIVANT = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _jpeg_endommage(detail: str) -> NoReturn:
    _refuser(f"Le fichier JPEG est endommagé : {detail}. Enregistrez l'image à nouveau, puis déposez-la.")


def _jpeg_incomplet() -> NoReturn:
    _refuser("Le fichier JPEG est incomplet : la fin de l'image manque. Enregistrez l'image à nouveau, "
             "puis déposez-la.")


def _controler_jpeg(contenu: bytes) -> None:
    """Walk every marker segment of the first image, scans included, up to its end (EOI).

    What follows that EOI is not read: cameras append a second picture there (MPF)."""
    # Some cameras pad the file with zeros after the end-of-image marker.
    fin = len(contenu)
    while fin > 2 and contenu[fin - 1] == 0:
        fin -= 1
    if fin < 4 or contenu[fin - 2:fin] != b"\xff\xd9":
        _jpeg_incomplet()
    pos = 2
    composantes: dict[int, int] | None = None  # frame component id -> quantisation table
    quantification: set[int] = set()
    scans = 0
    while True:
        if pos >= fin or contenu[pos] != 0xFF:
            _jpeg_endommage("sa structure est illisible")
        while pos < fin and contenu[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= fin:
            _jpeg_endommage("sa structure est illisible")
        marqueur = contenu[pos]
        pos += 1
        if 0xD0 <= marqueur <= 0xD7 or marqueur == 0x01:
            continue
        if marqueur == _JPEG_EOI:
            if not scans:
                _jpeg_endommage("il ne contient aucune image")
            return
        if marqueur < 0xC0 or marqueur == 0xD8:
            _jpeg_endommage("sa structure est illisible")
        if pos + 2 > fin:
            _jpeg_incomplet()
        longueur = (contenu[pos] << 8) | contenu[pos + 1]
        debut, suite = pos + 2, pos + longueur
        if longueur < 2 or suite > fin - 2:
            _jpeg_endommage("un segment est tronqué")
        if marqueur in _JPEG_SOF:
            if composantes is not None:
                _jpeg_endommage("il contient deux en-têtes d'image (SOF)")
            composantes = _jpeg_cadre(contenu, debut, suite)
        elif marqueur == _JPEG_DQT:
            quantification |= _jpeg_dqt(contenu, debut, suite)
        elif marqueur == _JPEG_DHT:
            _jpeg_dht(contenu, debut, suite)
        elif marqueur == _JPEG_SOS:
            if composantes is None:
                _jpeg_endommage("l'en-tête de l'image (SOF) manque")
            if not set(composantes.values()) <= quantification:
                _jpeg_endommage("une table de quantification (DQT) manque")
            _jpeg_scan(contenu, debut, suite, composantes)
            scans += 1
            suivant = _JPEG_MARQUEUR_SUIVANT.search(contenu, suite, fin)
            if suivant is None:
                _jpeg_incomplet()
            suite = suivant.end() - 2
        pos = suite


def _jpeg_cadre(contenu: bytes, debut: int, suite: int) -> dict[int, int]:
    if suite - debut < 6:
        _jpeg_endommage("l'en-tête de l'image (SOF) est incorrect")
    _precision, hauteur, largeur, nombre = struct.unpack_from(">BHHB", contenu, debut)
    if hauteur == 0 or largeur == 0:
        _jpeg_endommage("l'image a une largeur ou une hauteur nulle")
    if not 1 <= nombre <= 4 or suite - debut != 6 + 3 * nombre:
        _jpeg_endommage("l'en-tête de l'image (SOF) est incorrect")
    composantes: dict[int, int] = {}
    for p in range(debut + 6, suite, 3):
        identifiant, echantillonnage, table = contenu[p], contenu[p + 1], contenu[p + 2]
        if identifiant in composantes or not 1 <= echantillonnage >> 4 <= 4 \
                or not 1 <= echantillonnage & 15 <= 4 or table > 3:
            _jpeg_endommage("l'en-tête de l'image (SOF) est incorrect")
        composantes[identifiant] = table
    return composantes


def _jpeg_dqt(contenu: bytes, debut: int, suite: int) -> set[int]:
    tables: set[int] = set()
    p = debut
    while p < suite:
        precision, table = contenu[p] >> 4, contenu[p] & 15
        if precision > 1 or table > 3:
            break
        tables.add(table)
        p += 1 + 64 * (precision + 1)
    if p != suite:
        _jpeg_endommage("une table de quantification (DQT) est incorrecte")
    return tables


def _jpeg_dht(contenu: bytes, debut: int, suite: int) -> None:
    p = debut
    while p + 17 <= suite:
        if contenu[p] >> 4 > 1 or contenu[p] & 15 > 3:
            break
        symboles = sum(contenu[p + 1:p + 17])
        if symboles > 256:
            break
        p += 17 + symboles
    if p != suite:
        _jpeg_endommage("une table de Huffman (DHT) est incorrecte")


def _jpeg_scan(contenu: bytes, debut: int, suite: int, composantes: dict[int, int]) -> None:
    nombre = contenu[debut]
    if not 1 <= nombre <= 4 or suite - debut != 4 + 2 * nombre:
        _jpeg_endommage("l'en-tête d'un balayage (SOS) est incorrect")
    for p in range(debut + 1, debut + 1 + 2 * nombre, 2):
        if contenu[p] not in composantes or contenu[p + 1] >> 4 > 3 or contenu[p + 1] & 15 > 3:
            _jpeg_endommage("l'en-tête d'un balayage (SOS) est incorrect")
