"""Files deposited as pièces justificatives (docs/domaine/justificatifs.md#depot-en-ligne).

A file is accepted when its content is the format its name declares (PDF, JPEG or PNG), 5 Mo at
most, with no active content and no data hidden around it, and sound enough for a reviewer to open.
This module holds the decisions and their words, pure (a name and bytes in, a verdict out: no disk,
no Qt, no database, no child process): the name (checked, then normalised for display and export),
the extension ↔ format table, what a file really is, which bytes may surround a document, which PDF
keys are forbidden, the limits the decoders work under, every French message. Parsing the untrusted
bytes (qpdf through pikepdf, Pillow) is storage/analyse_fichier.py's job, run by
storage/verification_fichier.py in a child process bounded in time and memory."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

from .errors import ValidationError

TAILLE_MAX = 5 * 1024 * 1024
FORMATS = "PDF, JPEG ou PNG"
TEXTE_FORMATS = "Formats acceptés : PDF, JPEG ou PNG ; 5 Mo au maximum par fichier."
LONGUEUR_NOM_MAX = 255
# An A4 page scanned at 600 ppp is 35 Mpx: beyond 50 Mpx an image is a decompression bomb, not a scan.
PIXELS_MAX = 50_000_000
# PNG text chunks (tEXt, zTXt, iTXt) and ICC profile: a scan carries a few kilobytes, a zTXt bomb
# inflates a few kilobytes into gigabytes. Pillow stops there (MAX_TEXT_CHUNK, MAX_TEXT_MEMORY).
TEXTE_PNG_MAX = 256 * 1024
TEXTE_PNG_TOTAL_MAX = 1024 * 1024
# A 5 Mo PDF of 1000 pages holds some 2000 objects; hundreds of thousands make an object-stream bomb.
OBJETS_PDF_MAX = 100_000
# What checking one file may cost (child process); an ordinary file takes well under a second.
DELAI_VERIFICATION_S = 10
MEMOIRE_VERIFICATION = 512 * 1024 * 1024

CHAMP = "fichier"
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
# The format a name declares by its extension (compared in lower case, after NFKC).
FORMAT_DECLARE = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG}
NATURE = {PDF: "un document PDF", JPEG: "une image JPEG", PNG: "une image PNG"}
ATTENDU = {PDF: "un PDF", JPEG: "une image JPEG", PNG: "une image PNG"}
NOM_FORMAT = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

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
_REIMPRIMER = ("Imprimez le document vers un nouveau fichier PDF (« Enregistrer au format PDF », « Microsoft "
               "Print to PDF »), puis déposez ce nouveau fichier.")
MESSAGE_PDF_ACTIF = ("Le fichier PDF contient {raison} : ce contenu actif n'est pas accepté dans une pièce "
                     "justificative. " + _REIMPRIMER)
MESSAGE_PDF_APRES_FIN = ("Le fichier PDF est suivi de données étrangères au document (après sa fin, "
                         "« %%EOF ») : il est refusé. " + _REIMPRIMER)
MESSAGE_PDF_HTML = "Le fichier PDF contient aussi une page web (HTML) : il est refusé. " + _REIMPRIMER
MESSAGE_ZIP_CACHE = ("Le fichier {format} contient des données inattendues (une archive ZIP cachée) : il est "
                     "refusé. Enregistrez le document à nouveau, puis déposez-le.")
MESSAGE_PNG_ANIME = ("L'image PNG est animée (APNG) : les images animées ne sont pas acceptées. Enregistrez "
                     "une image fixe au format PNG ou JPEG, puis déposez-la.")
MESSAGE_PNG_TEXTE = ("L'image PNG contient un texte caché démesuré (bloc tEXt, zTXt, iTXt ou profil de "
                     "couleurs) : enregistrez l'image à nouveau, puis déposez-la.")
MESSAGE_VERIFICATION_INTERROMPUE = ("La vérification de ce fichier s'est interrompue (le vérificateur s'est arrêté) : "
                                    "il est refusé. Enregistrez le document à nouveau, puis déposez-le.")
MESSAGE_VERIFICATION_IMPOSSIBLE = ("La vérification des fichiers déposés ne peut pas démarrer sur ce poste "
                                   "({detail}) : prévenez l'administrateur.")


@dataclass(frozen=True)
class FichierControle:
    nom: str            # normalised (normaliser_nom): safe to show and to export, extension from the content
    type_mime: str      # PDF | JPEG | PNG, from the content
    extension: str      # "pdf" | "jpg" | "png", from the content, without the dot
    taille: int         # bytes
    pages: int | None   # PDF only, from its page tree


@dataclass(frozen=True)
class Examen:
    """What the pure checks found: the file may go on to be parsed."""

    nom: str
    type_mime: str
    taille: int

    def controle(self, pages: int | None) -> FichierControle:
        return FichierControle(nom=self.nom, type_mime=self.type_mime, extension=EXTENSIONS[self.type_mime],
                               taille=self.taille, pages=pages)


def refuser(message: str) -> NoReturn:
    raise ValidationError({CHAMP: message})


def examiner(nom: str, contenu: bytes, taille_max: int = TAILLE_MAX) -> Examen:
    """Every check that needs no parser: the name, the size, what the content really is against
    what the name declares, the bytes around the document. Raise ValidationError({"fichier": …})."""
    nom = nom_sain(nom)
    _controler_nom(nom)
    taille = len(contenu)
    if taille == 0:
        refuser(MESSAGE_VIDE)
    if taille > taille_max:
        refuser(
            f"Le fichier est trop volumineux ({_taille_lisible(taille, arrondi_superieur=True)}) : "
            f"la limite est de {_taille_lisible(taille_max)} par fichier. Réduisez-le (numérisation en "
            "150 ou 200 ppp, compression) puis déposez-le à nouveau."
        )
    type_mime = type_reel(contenu)
    if type_mime is None:
        refuser(MESSAGE_FORMAT_REFUSE + _precision(contenu))
    _controler_extension(nom, type_mime)
    if _zip_a_la_fin(contenu):
        refuser(MESSAGE_ZIP_CACHE.format(format=NOM_FORMAT[type_mime]))
    if type_mime == PDF:
        _controler_octets_pdf(contenu)
    elif type_mime == JPEG:
        _controler_octets_jpeg(contenu)
    elif not contenu.startswith(SIGNATURE_PNG):
        png_endommage("son en-tête (signature PNG) est incorrect")
    return Examen(normaliser_nom(nom, type_mime), type_mime, taille)


def _taille_lisible(octets: int, *, arrondi_superieur: bool = False) -> str:
    # Rounded up for the file, so that a file just over « 5 Mo » never reads « 5 Mo ».
    unite, diviseur = ("Mo", 1024 * 1024) if octets >= 100 * 1024 else ("Ko", 1024)
    valeur = octets / diviseur
    valeur = math.ceil(valeur * 10) / 10 if arrondi_superieur else round(valeur, 1)
    return f"{valeur:.1f}".replace(".", ",").removesuffix(",0") + f" {unite}"


# ---------------------------------------------------------------------------------------------- names

# Invisible direction overrides make « facture\u202Efdp.exe » display as « facture.exe.pdf »; zero-width
# characters and other format or private characters hide what a name says.
_CATEGORIES_INVISIBLES = frozenset(("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"))
_RESERVES = ':*?"<>|'
# An inner extension that runs or shows something else: « cni.exe.pdf » is a lure.
_EXTENSIONS_DANGEREUSES = frozenset(
    "exe com scr bat cmd pif lnk url js jse vbs vbe wsf wsh msi msp ps1 psm1 hta jar cpl dll sys reg inf scf "
    "sh app html htm xhtml svg php iso img vhd".split())
_NOMS_WINDOWS = frozenset(("CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                           *(f"LPT{i}" for i in range(1, 10))))


def nom_sain(nom: str) -> str:
    """The name as typed, NFC (an accent typed on macOS is otherwise two characters), surrounding
    blanks removed, accents kept."""
    return unicodedata.normalize("NFC", nom or "").strip()


def _invisible(c: str) -> bool:
    return unicodedata.category(c) in _CATEGORIES_INVISIBLES


def _controler_nom(nom: str) -> None:
    if not nom:
        refuser("Le fichier n'a pas de nom : renommez-le puis déposez-le à nouveau.")
    if "/" in nom or "\\" in nom:
        refuser("Le nom du fichier ne doit pas contenir de « / » ni de « \\ » : renommez-le.")
    if ".." in nom:
        refuser("Le nom du fichier ne doit pas contenir « .. » : renommez-le.")
    if any(_invisible(c) for c in nom):
        refuser("Le nom du fichier contient des caractères invisibles (caractères de contrôle) : renommez-le.")
    if any(c in _RESERVES for c in nom):
        refuser("Le nom du fichier ne doit pas contenir les caractères « : * ? \" < > | » : renommez-le.")
    if len(nom) > LONGUEUR_NOM_MAX:
        refuser(f"Le nom du fichier est trop long ({len(nom)} caractères, {LONGUEUR_NOM_MAX} au maximum) : "
                "renommez-le.")


def _segments(nom: str) -> list[str]:
    """The dot-separated parts of a name, compared in lower case after NFKC (a fullwidth « ．ｐｄｆ »
    is « .pdf » to the systems that open it); trailing dots and blanks go, as Windows drops them."""
    return _cle(nom).strip(" .").split(".")


def extension_declaree(nom: str) -> str:
    """The extension the name ends with, lower case, without the dot; "" when it has none."""
    segments = _segments(nom)
    return segments[-1] if len(segments) > 1 else ""


def _controler_extension(nom: str, reel: str) -> None:
    ext = extension_declaree(nom)
    bonne = EXTENSIONS[reel]
    declare = FORMAT_DECLARE.get(ext)
    if not ext:
        refuser(f"Le nom du fichier n'a pas d'extension : ce fichier est {NATURE[reel]}, renommez-le en "
                f"« .{bonne} », puis déposez-le à nouveau.")
    if declare is None:
        refuser(f"Ce fichier est {NATURE[reel]}, mais son nom se termine par « .{ext} » : seuls les noms en "
                f".pdf, .jpg, .jpeg ou .png sont acceptés. Renommez-le en « .{bonne} », puis déposez-le à nouveau.")
    if declare != reel:
        refuser(f"Ce fichier est {NATURE[reel]}, pas {ATTENDU[declare]} : son contenu ne correspond pas à son "
                f"extension « .{ext} ». Renommez-le en « .{bonne} » ou déposez le bon document.")
    interieures = [s for s in _segments(nom)[1:-1] if s in _EXTENSIONS_DANGEREUSES]
    if interieures:
        refuser(f"Le nom du fichier contient une double extension (« .{interieures[0]}.{ext} ») : renommez-le "
                f"(par exemple « document.{bonne} »), puis déposez-le à nouveau.")


def normaliser_nom(nom: str, type_mime: str) -> str:
    """The name to show and to export, whatever was typed (old deposits included): no invisible,
    control or reserved character, no folder, no executable inner extension, at most 255
    characters and 255 bytes, and the extension of the content (``.pdf``, ``.jpg``, ``.png``).
    Never fails."""
    propre = []
    for c in unicodedata.normalize("NFC", nom or "")[:4 * LONGUEUR_NOM_MAX]:
        if _invisible(c):
            continue
        if c in _RESERVES or c in "/\\":
            c = "_"
        elif unicodedata.category(c) == "Zs":
            c = " "
        propre.append(c)
    texte = re.sub(r" {2,}", " ", "".join(propre)).strip(" .")
    parties = [p for p in texte.split(".") if p.strip()]
    if len(parties) > 1 and _cle(parties[-1]) in FORMAT_DECLARE.keys() | _EXTENSIONS_DANGEREUSES:
        parties.pop()
    # An inner extension that would run something loses its dot: « cni.exe » becomes « cni_exe ».
    texte = parties[0] if parties else ""
    for p in parties[1:]:
        texte += ("_" if _cle(p) in _EXTENSIONS_DANGEREUSES else ".") + p
    texte = texte.strip(" .")
    if texte.split(".")[0].strip().upper() in _NOMS_WINDOWS:
        texte = "_" + texte      # CON, PRN, NUL… name devices on Windows, not files
    suffixe = "." + EXTENSIONS.get(type_mime, "bin")
    texte = texte or "fichier"
    while len(texte) + len(suffixe) > LONGUEUR_NOM_MAX or len((texte + suffixe).encode()) > LONGUEUR_NOM_MAX:
        texte = texte[:-1]
    return (texte.rstrip(" .") or "fichier") + suffixe


def _cle(segment: str) -> str:
    return unicodedata.normalize("NFKC", segment).strip().casefold()


# ------------------------------------------------------------------------------------- what it really is

SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n"
_SIGNATURE_PNG = SIGNATURE_PNG    # the name the tests' builders know
_BLANCS_PDF = b" \t\r\n\x00\x0c"
# Some writers put a byte-order mark or a blank line before « %PDF- »; anything more is another file
# wearing a PDF (a polyglot), refused.
TOLERANCE_AVANT_PDF = 8
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|meta|object|embed)[\s>/]",
                   re.IGNORECASE)


def _debut_pdf(contenu: bytes) -> int | None:
    i = contenu.find(b"%PDF-", 0, TOLERANCE_AVANT_PDF + 5)
    if i < 0 or contenu[:i].replace(b"\xef\xbb\xbf", b"").strip(_BLANCS_PDF):
        return None
    return i


def type_reel(contenu: bytes) -> str | None:
    """PDF, JPEG or PNG by the first bytes (None otherwise): the parsers then check the rest."""
    if _debut_pdf(contenu) is not None:
        return PDF
    if contenu.startswith(b"\xff\xd8"):
        return JPEG
    # A PNG whose signature lost a byte (transfer in text mode, bit flip) is a damaged PNG, not
    # an unknown file: the user is told to re-export it rather than to change its format.
    if contenu[1:4] == b"PNG" and (contenu[0] == 0x89 or contenu[4:6] == b"\r\n"):
        return PNG
    return None


_NATURES = (
    (b"GIF87a", "une image GIF"), (b"GIF89a", "une image GIF"), (b"II*\x00", "une image TIFF"),
    (b"MM\x00*", "une image TIFF"), (b"PK\x03\x04", "une archive ZIP (ou un document Word, Excel, OpenOffice)"),
    (b"PK\x05\x06", "une archive ZIP"), (b"\xd0\xcf\x11\xe0", "un document Word, Excel ou PowerPoint (ancien format)"),
    (b"MZ", "un programme Windows (exécutable)"), (b"\x7fELF", "un programme Linux (ELF)"),
    (b"\xcf\xfa\xed\xfe", "un programme macOS"), (b"\xca\xfe\xba\xbe", "un programme (macOS ou Java)"),
    (b"#!", "un script (programme)"), (b"{\\rtf", "un document RTF"), (b"Rar!\x1a\x07", "une archive RAR"),
    (b"7z\xbc\xaf\x27\x1c", "une archive 7-Zip"), (b"\x1f\x8b", "une archive compressée (gzip)"),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "un raccourci Windows"),
)


def nature(contenu: bytes) -> str | None:
    """What a refused file is, in words (« une image GIF », « un programme Windows »…), when known."""
    for magie, texte in _NATURES:
        if contenu.startswith(magie):
            return texte
    if contenu.startswith(b"BM") and contenu[14:18] in (b"\x0c\x00\x00\x00", b"(\x00\x00\x00", b"l\x00\x00\x00",
                                                         b"|\x00\x00\x00"):
        return "une image BMP"
    if contenu.startswith(b"RIFF") and contenu[8:12] == b"WEBP":
        return "une image WebP"
    if contenu[4:8] == b"ftyp" and contenu[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "une image HEIC"
    if contenu[4:8] == b"ftyp" and contenu[8:12] == b"avif":
        return "une image AVIF"
    debut = contenu[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if debut.startswith(b"<") and b"<svg" in debut:
        return "une image SVG"
    if debut.startswith(b"<") and _HTML.search(debut):
        return "une page web (HTML)"
    return None


def _precision(contenu: bytes) -> str:
    """What the refused file is, and a hint for the formats people actually pick by mistake."""
    quoi = nature(contenu)
    texte = f" C'est {quoi}." if quoi else ""
    if quoi and quoi.startswith("une image "):
        texte += (f" Les images {quoi.removeprefix('une image ')} ne sont pas acceptées : enregistrez l'image "
                  "au format JPEG ou PNG.")
    elif contenu.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        texte += (" Les documents Word, Excel, OpenOffice ou les archives ZIP ne sont pas acceptés : "
                  "enregistrez le document au format PDF.")
    elif quoi is None and 0 <= contenu.find(b"%PDF-", 0, 1024):
        texte += (" Un document PDF s'y trouve, précédé d'autres données (fichier composite) : enregistrez "
                  "le PDF seul, puis déposez-le.")
    return texte


# --------------------------------------------------------------------------------- around the document

def _controler_octets_pdf(contenu: bytes) -> None:
    """Nothing after the last « %%EOF » but blanks, no web page in the header (PDF/HTML polyglots)."""
    fin = contenu.rfind(b"%%EOF")
    if fin < 0:
        refuser(MESSAGE_PDF_ENDOMMAGE)   # a PDF cut short (interrupted download, full disk) loses its end first
    if contenu[fin + 5:].strip(_BLANCS_PDF):
        refuser(MESSAGE_PDF_APRES_FIN)
    if _HTML.search(contenu, 0, 1024):
        refuser(MESSAGE_PDF_HTML)


def _controler_octets_jpeg(contenu: bytes) -> None:
    # Some cameras pad the file with zeros after the end-of-image marker; a second picture (MPF) may
    # follow the first, and ends with its own marker.
    if not contenu.rstrip(b"\x00").endswith(b"\xff\xd9") or len(contenu.rstrip(b"\x00")) < 4:
        refuser("Le fichier JPEG est incomplet : la fin de l'image manque. Enregistrez l'image à nouveau, "
                "puis déposez-la.")


def _zip_a_la_fin(contenu: bytes) -> bool:
    """A ZIP's end record whose comment reaches the end of the file: what a ZIP reader would open."""
    debut = max(0, len(contenu) - 22 - 0xFFFF)
    i = contenu.rfind(b"PK\x05\x06", debut)
    while i >= 0:
        if i + 22 + int.from_bytes(contenu[i + 20:i + 22], "little") == len(contenu):
            return True
        i = contenu.rfind(b"PK\x05\x06", debut, i)
    return False


# -------------------------------------------------------------------------------------------- parsers' words

def png_endommage(detail: str) -> NoReturn:
    refuser(f"Le fichier PNG est endommagé : {detail}. Enregistrez l'image à nouveau, puis déposez-la.")


def png_incomplet() -> NoReturn:
    refuser("Le fichier PNG est incomplet : la fin de l'image manque. Enregistrez l'image à nouveau, "
            "puis déposez-la.")


def image_endommagee(type_mime: str, detail: str) -> NoReturn:
    refuser(f"Le fichier {NOM_FORMAT[type_mime]} est endommagé : {detail}. Enregistrez l'image à nouveau, "
            "puis déposez-la.")


def image_trop_grande(type_mime: str, largeur: int | None = None, hauteur: int | None = None) -> NoReturn:
    maximum = f"{PIXELS_MAX // 1_000_000} millions de pixels"
    taille = f"{largeur} × {hauteur} pixels, {maximum} au maximum" if largeur and hauteur else f"plus de {maximum}"
    refuser(f"L'image {NOM_FORMAT[type_mime]} est trop grande ({taille}) : réduisez sa résolution, puis "
            "déposez-la à nouveau.")


def message_pdf_complexe(objets: int) -> str:
    nombre = f"{objets:,} objets, {OBJETS_PDF_MAX:,} au maximum".replace(",", "\u202f")
    return f"Le fichier PDF est anormalement complexe ({nombre}). " + _REIMPRIMER


def message_delai(secondes: float) -> str:
    duree = f"{secondes:g}".replace(".", ",")
    return (f"La vérification de ce fichier a dépassé {duree} secondes : il est refusé. Un document "
            "ordinaire se vérifie en moins d'une seconde ; enregistrez-le à nouveau (par exemple en "
            "l'imprimant vers un nouveau fichier PDF), puis déposez-le.")


def message_memoire(octets: int) -> str:
    return (f"La vérification de ce fichier a dépassé la mémoire autorisée ({octets // (1024 * 1024)} Mo) : il "
            "est refusé. Enregistrez-le à nouveau (par exemple en l'imprimant vers un nouveau fichier PDF, "
            "ou en réduisant la résolution de l'image), puis déposez-le.")


# ------------------------------------------------------------------------------------------ PDF content

_JS, _JOINTS, _MEDIA = "du JavaScript", "des fichiers joints", "du contenu multimédia"
# Keys whose mere presence, anywhere in the document, means active or embedded content.
CLES_PDF_INTERDITES = {
    "/JS": _JS, "/JavaScript": _JS, "/EmbeddedFiles": _JOINTS, "/EF": _JOINTS, "/XFA": "un formulaire dynamique (XFA)",
    "/AA": "des actions automatiques (à l'ouverture d'une page, au survol, à l'impression…)",
    "/RichMediaContent": _MEDIA, "/RichMediaSettings": _MEDIA,
}
# Action types (/S), wherever the action sits: /OpenAction, links, outlines, form fields, /Next…
ACTIONS_PDF_INTERDITES = {
    "/JavaScript": _JS, "/Launch": "une commande qui lance un programme (Launch)",
    "/GoToR": "un lien qui ouvre un autre fichier (GoToR)", "/GoToE": "un lien qui ouvre un fichier joint (GoToE)",
    "/SubmitForm": "un envoi de formulaire vers un serveur (SubmitForm)",
    "/ImportData": "une importation de données (ImportData)",
    "/RichMediaExecute": _MEDIA, "/Rendition": _MEDIA, "/Movie": _MEDIA, "/Sound": _MEDIA,
}
SOUS_TYPES_PDF_INTERDITS = {"/FileAttachment": _JOINTS, "/RichMedia": _MEDIA, "/Screen": _MEDIA, "/Movie": _MEDIA,
                            "/Sound": _MEDIA, "/3D": "du contenu 3D"}
TYPES_PDF_INTERDITS = {"/EmbeddedFile": _JOINTS}


def contenu_actif_pdf(cle: str, valeur: str | None) -> str | None:
    """What an entry of a PDF dictionary brings that a deposited document must not (« du
    JavaScript »…), or None. ``valeur`` is the entry's value when it is a name ("/Launch")."""
    if cle in CLES_PDF_INTERDITES:
        return CLES_PDF_INTERDITES[cle]
    if valeur is None:
        return None
    if cle == "/S":
        return ACTIONS_PDF_INTERDITES.get(valeur)
    if cle == "/Subtype":
        return SOUS_TYPES_PDF_INTERDITS.get(valeur)
    if cle == "/Type":
        return TYPES_PDF_INTERDITS.get(valeur)
    return None
