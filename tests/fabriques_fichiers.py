"""Builders of deposited files for the tests, ordinary and hostile, byte by byte where a library
would refuse to write the fault (tests/corpus_fichiers.py lists what is built from them)."""

from __future__ import annotations

import functools
import io
import random
import zipfile
import zlib

import pikepdf
from PIL import Image, ImageDraw, PngImagePlugin
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from cyclades_desktop.rules import fichiers as regles

# ------------------------------------------------------------------------------------- ordinary files

@functools.cache
def photo(largeur: int = 640, hauteur: int = 480, bruit: float = 30.0) -> Image.Image:
    """Something like a photo of a document: gradients, grain, a card with lines of « text »."""
    taille = (largeur, hauteur)
    fond = Image.blend(Image.radial_gradient("L").resize(taille), Image.effect_noise(taille, bruit), 0.4)
    image = Image.merge("RGB", (Image.linear_gradient("L").resize(taille),
                                Image.linear_gradient("L").rotate(90).resize(taille), fond))
    dessin = ImageDraw.Draw(image)
    dessin.rectangle((largeur // 10, hauteur // 5, largeur * 9 // 10, hauteur * 4 // 5), fill=(235, 235, 225))
    for i in range(6):
        y = hauteur // 4 + i * hauteur // 12
        dessin.rectangle((largeur // 6, y, largeur // 6 + (i + 3) * largeur // 14, y + hauteur // 40), fill=(40, 40, 60))
    return image


def jpeg(image: Image.Image | None = None, **options: object) -> bytes:
    tampon = io.BytesIO()
    (image or photo()).save(tampon, "JPEG", **options)
    return tampon.getvalue()


def jpeg_mpo() -> bytes:
    """What cameras write (MPF): a JPEG, then a second view after its end-of-image marker."""
    tampon = io.BytesIO()
    photo().save(tampon, "MPO", save_all=True, append_images=[photo().rotate(90)])
    return tampon.getvalue()


def png(image: Image.Image | None = None, **options: object) -> bytes:
    tampon = io.BytesIO()
    (image or photo()).save(tampon, "PNG", **options)
    return tampon.getvalue()


def pdf_reportlab(pages: int = 1, *, image: bytes | None = None, formulaire: bool = False, signets: bool = False,
                  liens: bool = False, compression: int = 1, taille: tuple[float, float] = A4,
                  police: str = "Helvetica") -> bytes:
    tampon = io.BytesIO()
    c = canvas.Canvas(tampon, pagesize=taille, pageCompression=compression)
    c.setTitle("Pièce justificative")
    c.setAuthor("Candidate Hélène Dupont")
    if police == "Vera":
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    for i in range(pages):
        c.setFont(police, 12)
        c.drawString(72, taille[1] - 72, f"Pièce justificative — page {i + 1} sur {pages} — « élève »")
        if signets or liens:
            c.bookmarkPage(f"p{i}")
            c.addOutlineEntry(f"Page {i + 1}", f"p{i}", level=0)
        if image is not None:
            c.drawImage(ImageReader(io.BytesIO(image)), 72, 300, width=320, height=240, mask="auto")
        if liens:
            c.drawString(72, 105, "https://www.service-public.fr")
            c.linkURL("https://www.service-public.fr", (72, 100, 300, 120))
            c.linkAbsolute("Première page", "p0", (72, 130, 200, 150))
        if formulaire and i == 0:
            f = c.acroForm
            f.textfield(name="nom", value="Dupont", x=72, y=500, width=200, height=20)
            f.checkbox(name="accord", x=72, y=470, checked=True)
            f.choice(name="academie", options=["Paris", "Lyon"], value="Paris", x=72, y=440, width=120, height=20)
            f.radio(name="civilite", value="M", selected=True, x=72, y=410)
            f.radio(name="civilite", value="Mme", selected=False, x=100, y=410)
        c.showPage()
    c.save()
    return tampon.getvalue()


def pdf_pikepdf(source: bytes, **options: object) -> bytes:
    """The same document rewritten by qpdf (object and cross-reference streams, or encrypted)."""
    tampon = io.BytesIO()
    with pikepdf.open(io.BytesIO(source)) as pdf:
        pdf.save(tampon, **options)
    return tampon.getvalue()


def pdf_mis_a_jour(source: bytes) -> bytes:
    """An incremental update (what a signature or a form filled in Acrobat leaves): a new /Info
    object, a second cross-reference section pointing back to the first, a second %%EOF."""
    with pikepdf.open(io.BytesIO(source)) as pdf:
        racine, taille = pdf.trailer.Root.objgen[0], int(pdf.trailer.Size)
    precedent = int(source[source.rindex(b"startxref") + 9:].split()[0])
    debut = len(source)
    objet = b"%d 0 obj\n<< /Title (Mise a jour) /Producer (Acrobat) >>\nendobj\n" % taille
    xref = debut + len(objet)
    return source + objet + (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R "
                             b"/Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
                             % (taille, debut, taille + 1, racine, taille, precedent, xref))


def png_entrelace() -> bytes:
    """Pillow writes no interlaced PNG: this one is built chunk by chunk (Adam7, 23 × 17, RGB)."""
    def bloc(type_: bytes, donnees: bytes) -> bytes:
        return len(donnees).to_bytes(4, "big") + type_ + donnees + zlib.crc32(type_ + donnees).to_bytes(4, "big")

    largeur, hauteur, alea = 23, 17, random.Random(3)
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    brut = b"".join(b"\x00" + alea.randbytes(3 * ((largeur - x + dx - 1) // dx))
                    for x, y, dx, dy in passes for _ in range((hauteur - y + dy - 1) // dy)
                    if (largeur - x + dx - 1) // dx)
    entete = largeur.to_bytes(4, "big") + hauteur.to_bytes(4, "big") + bytes((8, 2, 0, 0, 1))
    return (regles.SIGNATURE_PNG + bloc(b"IHDR", entete) + bloc(b"IDAT", zlib.compress(brut))
            + bloc(b"IEND", b""))


def exif_appareil() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132] = "Fairphone", "FP5", "2024:11:10 10:00:00"
    return exif


def scan_a4() -> Image.Image:
    """A 4000 × 3000 grey scan: white paper, lines of text, a stamp."""
    image = Image.new("L", (4000, 3000), 250)
    dessin = ImageDraw.Draw(image)
    for i in range(40):
        dessin.rectangle((300, 200 + i * 65, 300 + (i * 97) % 3200, 230 + i * 65), fill=30)
    dessin.ellipse((3000, 2200, 3600, 2800), outline=60, width=12)
    return image


def texte_png(textes: dict[str, str], *, compresse: bool = False, international: bool = False) -> object:
    info = PngImagePlugin.PngInfo()
    for cle, valeur in textes.items():
        if international:
            info.add_itxt(cle, valeur, zip=compresse)
        else:
            info.add_text(cle, valeur, zip=compresse)
    return info


# ------------------------------------------------------------------------------------- hostile files

def flux(donnees: bytes, dico: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(donnees), dico) + donnees + b"\nendstream"


def pdf_brut(catalogue: bytes = b"", page: bytes = b"", autres: tuple[bytes, ...] = (), *,
             contenu: bytes = b"BT /F1 12 Tf 72 720 Td (Piece) Tj ET", filtre: bytes = b"",
             trailer: bytes = b"") -> bytes:
    """A one-page PDF written byte by byte, with an exact cross-reference table: objects 1 to 5 are
    the catalogue, the page tree, the page, its font and its content; ``autres`` are objects 6, 7…"""
    objets = (b"<< /Type /Catalog /Pages 2 0 R " + catalogue + b">>",
              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
              b"/Contents 5 0 R " + page + b">>",
              b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", flux(contenu, filtre), *autres)
    sortie = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    positions = []
    for numero, corps in enumerate(objets, 1):
        positions.append(len(sortie))
        sortie += b"%d 0 obj\n%s\nendobj\n" % (numero, corps)
    xref = len(sortie)
    sortie += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objets) + 1)
    sortie += b"".join(b"%010d 00000 n \n" % p for p in positions)
    sortie += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objets) + 1, trailer, xref)
    return bytes(sortie)


JS = b"/S /JavaScript /JS (app.alert\\(document.cookie\\))"
ANNOTATION = b"/Annots [6 0 R]"


def annotation(corps: bytes, sous_type: bytes = b"/Link") -> bytes:
    return b"<< /Type /Annot /Subtype " + sous_type + b" /Rect [72 72 200 100] " + corps + b" >>"


def fichier_joint() -> bytes:
    return flux(b"MZ\x90\x00" + bytes(60) + b"This program cannot be run in DOS mode.", b"/Type /EmbeddedFile ")


def zip_(nom: str = "document.xml", commentaire: bytes = b"") -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        z.writestr(nom, "<w:document>Carte d'identité</w:document>")
        z.comment = commentaire
    return tampon.getvalue()


def zip_en_commentaire(avant: bytes, fin: bytes) -> bytes:
    """``avant`` then a ZIP whose comment swallows ``fin``: the file still ends as its format wants
    (« %%EOF », FF D9) while a ZIP reader opens the archive."""
    return avant + zip_(commentaire=fin)


def bombe_deflate(prefixe: bytes, zeros: int) -> bytes:
    """A zlib stream of ``prefixe`` then ``zeros`` zero bytes, built without compressing them all:
    after a full flush deflate restarts from scratch, so each megabyte of zeros compresses to the
    same bytes, repeated. The Adler-32 of zeros has a closed form."""
    compresseur = zlib.compressobj(9)
    tete = compresseur.compress(prefixe) + compresseur.flush(zlib.Z_FULL_FLUSH)
    mega = compresseur.compress(bytes(1 << 20)) + compresseur.flush(zlib.Z_FULL_FLUSH)
    n = zeros >> 20
    a = zlib.adler32(prefixe) & 0xFFFF
    b = ((zlib.adler32(prefixe) >> 16) + (n << 20) * a) % 65521
    return tete + mega * n + b"\x03\x00" + ((b << 16) | a).to_bytes(4, "big")


def pdf_flux_objets(donnees: bytes, n: int, premier: int) -> bytes:
    """Objects 1-5 in the classic way, object 6 an object stream holding objects 7… (``n`` of them,
    the page's /Resources refers to 7), object 6+n+1 a cross-reference stream listing them all."""
    base = pdf_brut(page=b"/Group 7 0 R ")
    corps = base[:base.index(b"xref\n")]
    positions = [int(ligne[:10]) for ligne in base[base.index(b"xref\n"):].split(b"\n")[3:8]]
    position_flux = len(corps)
    corps += b"6 0 obj\n" + flux(donnees, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode " % (n, premier))
    corps += b"\nendobj\n"
    xref = len(corps)
    taille = 7 + n + 1
    lignes = [b"\x00" + bytes(4) + b"\x00\xff\xff"] + [b"\x01" + p.to_bytes(4, "big") + bytes(3) for p in positions]
    lignes += [b"\x01" + position_flux.to_bytes(4, "big") + bytes(3)]
    lignes += [b"\x02" + (6).to_bytes(4, "big") + i.to_bytes(3, "big") for i in range(n)]
    lignes += [b"\x01" + xref.to_bytes(4, "big") + bytes(3)]
    table = zlib.compress(b"".join(lignes))
    corps += b"%d 0 obj\n" % (taille - 1) + flux(table, b"/Type /XRef /Size %d /W [1 4 3] /Root 1 0 R /Filter "
                                                      b"/FlateDecode " % taille) + b"\nendobj\n"
    return bytes(corps) + b"startxref\n%d\n%%%%EOF\n" % xref


def bombe_flux_d_objets() -> bytes:
    """4.8 Mo: one object stream inflating to some 5 Go of blanks around one small dictionary."""
    entete = b"7 0 "
    return pdf_flux_objets(bombe_deflate(entete + b"<< /Type /Group /S /Transparency >>", 4900 << 20), 1,
                           len(entete))


def bombe_nombre_d_objets() -> bytes:
    """300,000 tiny objects in one object stream (with a cross-reference stream to match)."""
    n = 300_000
    entetes = b" ".join(b"%d %d" % (7 + i, i * 4) for i in range(n)) + b" "
    return pdf_flux_objets(zlib.compress(entetes + b"<<>>" * n, 9), n, len(entetes))


def bombe_contenu() -> bytes:
    """A page whose content stream inflates to 5 Go of blanks."""
    return pdf_brut(contenu=bombe_deflate(b"BT /F1 12 Tf 72 720 Td (Piece) Tj ET ", 4900 << 20),
                    filtre=b"/Filter /FlateDecode ")


def pdf_chiffre(utilisateur: str, proprietaire: str, r: int = 6) -> bytes:
    return pdf_pikepdf(pdf_reportlab(1), encryption=pikepdf.Encryption(user=utilisateur, owner=proprietaire, R=r,
                                                                       aes=r >= 6, metadata=r >= 6))


def png_blocs(*blocs: tuple[bytes, bytes], image: bytes | None = None) -> bytes:
    """A good PNG with chunks added after its header (IHDR): text, animation, unknown ones."""
    base = image or png(photo(64, 48))
    ajout = b"".join(len(d).to_bytes(4, "big") + t + d + zlib.crc32(t + d).to_bytes(4, "big") for t, d in blocs)
    return base[:33] + ajout + base[33:]


def jpeg_taille_declaree(largeur: int, hauteur: int) -> bytes:
    """The 631-byte JPEG of an 8 × 8 white square, its frame header claiming another size."""
    petit = jpeg(Image.new("RGB", (8, 8), "white"))
    sof = petit.index(b"\xff\xc0")
    return petit[:sof + 5] + hauteur.to_bytes(2, "big") + largeur.to_bytes(2, "big") + petit[sof + 9:]


def autre_image(format_: str) -> bytes:
    tampon = io.BytesIO()
    photo(64, 48).save(tampon, format_)
    return tampon.getvalue()


def apng(casse: bool = False) -> bytes:
    tampon = io.BytesIO()
    images = [photo(64, 48), photo(64, 48).rotate(180)]
    images[0].save(tampon, "PNG", save_all=True, append_images=images[1:], duration=100)
    donnees = tampon.getvalue()
    if casse:         # the second frame's sequence number jumps: a broken frame sequence
        i = donnees.index(b"fcTL", donnees.index(b"fcTL") + 4)
        corps = (7).to_bytes(4, "big") + donnees[i + 8:i + 30]
        donnees = donnees[:i + 4] + corps + zlib.crc32(b"fcTL" + corps).to_bytes(4, "big") + donnees[i + 34:]
    return donnees


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = "<!DOCTYPE html><html><body><script>fetch('//x')</script>Diplôme</body></html>".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(50) + b"This program cannot be run in DOS mode."
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(100)
HTML_PDF = b"%PDF-1.7\n%<html><body><script>alert(1)</script></body></html>\n"


def html_dans_pdf() -> bytes:
    return HTML_PDF + pdf_reportlab(1).split(b"\n", 1)[1]


def octets_changes(source: bytes, ancien: bytes, nouveau: bytes) -> bytes:
    """One change that keeps every offset: only the intended fault is there."""
    assert ancien in source and len(ancien) == len(nouveau)
    return source.replace(ancien, nouveau, 1)


def xref_dechets() -> bytes:
    base = pdf_brut()
    debut = base.index(b"xref\n") + 5
    return base[:debut] + random.Random(5).randbytes(base.index(b"trailer") - debut) + base[base.index(b"trailer"):]


def avec_piece_jointe() -> bytes:
    tampon = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_reportlab(1))) as pdf:
        pdf.attachments["facture.pdf.exe"] = pikepdf.AttachedFileSpec(pdf, EXE)
        pdf.save(tampon)
    return tampon.getvalue()


def idat_remplace(image: Image.Image, brut: bytes) -> bytes:
    """``image`` as PNG, its image data replaced by ``brut`` compressed (rows too few or too many)."""
    base = png(image)
    debut, fin = base.index(b"IDAT") - 4, base.index(b"IEND") - 4
    donnees = zlib.compress(brut)
    bloc = len(donnees).to_bytes(4, "big") + b"IDAT" + donnees + zlib.crc32(b"IDAT" + donnees).to_bytes(4, "big")
    return base[:debut] + bloc + base[fin:]


def ihdr_change(base: bytes, *, largeur: int | None = None, hauteur: int | None = None,
                 profondeur: int | None = None) -> bytes:
    """A PNG whose header (IHDR) says another size or bit depth, its checksum recomputed."""
    corps = ((base[16:20] if largeur is None else largeur.to_bytes(4, "big"))
             + (base[20:24] if hauteur is None else hauteur.to_bytes(4, "big"))
             + (base[24:25] if profondeur is None else bytes((profondeur,))) + base[25:29])
    return base[:16] + corps + zlib.crc32(b"IHDR" + corps).to_bytes(4, "big") + base[33:]
