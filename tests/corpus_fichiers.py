"""Deposited files, hostile and ordinary, built by code when the tests run (no binary file committed).

MAUVAIS is what an attacker sends: PDFs with JavaScript, launch actions or attachments hidden in every
place a viewer looks, polyglots, decompression bombs, damaged structures, other formats under a
PDF, JPEG or PNG name, lying or invisible names. BONS is what candidates send (office-suite PDFs with
images, forms and links; phone photos; scans) and must stay accepted. Each file is built on first use
and kept: the whole corpus costs a few seconds once. The builders are in tests/fabriques_fichiers.py."""

from __future__ import annotations

import functools
import gzip
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import landscape, letter

from cyclades_desktop.rules import fichiers as regles
from tests.fabriques_fichiers import (
    ANNOTATION,
    ELF,
    EXE,
    HTML,
    JS,
    SVG,
    annotation,
    apng,
    autre_image,
    avec_piece_jointe,
    bombe_contenu,
    bombe_flux_d_objets,
    bombe_nombre_d_objets,
    exif_appareil,
    fichier_joint,
    flux,
    html_dans_pdf,
    idat_remplace,
    ihdr_change,
    jpeg,
    jpeg_mpo,
    jpeg_taille_declaree,
    octets_changes,
    pdf_brut,
    pdf_chiffre,
    pdf_mis_a_jour,
    pdf_pikepdf,
    pdf_reportlab,
    photo,
    png,
    png_blocs,
    png_entrelace,
    scan_a4,
    texte_png,
    xref_dechets,
    zip_,
    zip_en_commentaire,
)


@dataclass(frozen=True)
class Cas:
    id: str
    nom: str
    fabrique: Callable[[], bytes]
    attendu: str = ""          # bad files: a fragment of the refusal message
    lourd: bool = False        # a bomb: checked in the bounded child process only


def cas(id_: str, nom: str, fabrique: Callable[[], bytes], attendu: str = "", lourd: bool = False) -> Cas:
    return Cas(id_, nom, functools.cache(fabrique), attendu, lourd)


AUTRES = {"gif": lambda: autre_image("GIF"), "bmp": lambda: autre_image("BMP"), "webp": lambda: autre_image("WEBP"),
          "tiff": lambda: autre_image("TIFF"), "svg": lambda: SVG, "html": lambda: HTML, "zip": zip_,
          "exe": lambda: EXE, "elf": lambda: ELF}
NON_RECONNU = regles.MESSAGE_FORMAT_REFUSE
ENDOMMAGE = regles.MESSAGE_PDF_ENDOMMAGE
INVISIBLE = "caractères invisibles"
RESERVE = "ne doit pas contenir les caractères"
DOUBLE = "double extension"
ZIP_CACHE = "une archive ZIP cachée"

BONS = [
    cas("pdf-1-page", "attestation.pdf", lambda: pdf_reportlab(1)),
    cas("pdf-2-pages-sans-compression", "releve.pdf", lambda: pdf_reportlab(2, compression=0)),
    cas("pdf-5-pages", "diplome.pdf", lambda: pdf_reportlab(5)),
    cas("pdf-20-pages", "dossier complet.pdf", lambda: pdf_reportlab(20)),
    cas("pdf-image-jpeg", "carte identité.pdf", lambda: pdf_reportlab(1, image=jpeg())),
    cas("pdf-image-png-alpha", "scan.pdf", lambda: pdf_reportlab(2, image=png(photo().convert("RGBA")))),
    cas("pdf-formulaire-sans-js", "formulaire.pdf", lambda: pdf_reportlab(1, formulaire=True)),
    cas("pdf-signets", "livret.pdf", lambda: pdf_reportlab(4, signets=True)),
    cas("pdf-liens-internes-et-web", "notice.pdf", lambda: pdf_reportlab(3, liens=True)),
    cas("pdf-police-truetype", "courrier.pdf", lambda: pdf_reportlab(1, police="Vera")),
    cas("pdf-paysage-letter", "plan.pdf", lambda: pdf_reportlab(2, taille=landscape(letter))),
    cas("pdf-flux-d-objets", "moderne.pdf",
        lambda: pdf_pikepdf(pdf_reportlab(3, image=jpeg()), object_stream_mode=pikepdf.ObjectStreamMode.generate)),
    cas("pdf-reecrit-par-qpdf", "qpdf.pdf", lambda: pdf_pikepdf(pdf_reportlab(2, liens=True))),
    cas("pdf-mise-a-jour-incrementale", "signe.pdf", lambda: pdf_mis_a_jour(pdf_reportlab(1))),
    cas("pdf-extension-majuscules", "SCAN.PDF", lambda: pdf_reportlab(1)),
    cas("pdf-nom-accentue-nfd", "Rele\u0301ve\u0301 n° 2.pdf", lambda: pdf_reportlab(1)),
    cas("jpeg-rgb", "photo.jpg", lambda: jpeg()),
    cas("jpeg-extension-jpeg", "photo.jpeg", lambda: jpeg(quality=60)),
    cas("jpeg-gris", "scan.jpg", lambda: jpeg(photo().convert("L"))),
    cas("jpeg-cmjn", "imprimerie.jpg", lambda: jpeg(photo().convert("CMYK"))),
    cas("jpeg-progressif", "web.jpg", lambda: jpeg(progressive=True, quality=80)),
    cas("jpeg-optimise-444", "net.jpg", lambda: jpeg(optimize=True, subsampling=0, quality=95)),
    cas("jpeg-exif", "IMG_20241110.jpg", lambda: jpeg(exif=exif_appareil())),
    cas("jpeg-4000x3000", "IMG_0001.JPG", lambda: jpeg(photo(4000, 3000), quality=90)),
    cas("jpeg-1-pixel", "point.jpg", lambda: jpeg(Image.new("RGB", (1, 1), "white"))),
    cas("jpeg-zeros-apres-la-fin", "camera.jpg", lambda: jpeg() + bytes(64)),
    cas("jpeg-mpo-deux-vues", "appareil.jpg", lambda: jpeg_mpo()),
    cas("png-rgb", "capture.png", lambda: png()),
    cas("png-alpha", "signature.png", lambda: png(photo().convert("RGBA"))),
    cas("png-gris", "scan.png", lambda: png(photo().convert("L"))),
    cas("png-gris-alpha", "tampon.png", lambda: png(photo().convert("LA"))),
    cas("png-palette", "logo.png", lambda: png(photo().convert("P", palette=Image.Palette.ADAPTIVE, colors=16))),
    cas("png-palette-transparence", "icone.png",
        lambda: png(photo().convert("P", palette=Image.Palette.ADAPTIVE), transparency=0)),
    cas("png-1-bit", "fax.png", lambda: png(photo().convert("1"))),
    cas("png-16-bits", "medical.png", lambda: png(photo().convert("I;16"))),
    cas("png-entrelace", "entrelace.png", png_entrelace),
    cas("png-metadonnees-dpi", "scan-300.png",
        lambda: png(dpi=(300, 300), pnginfo=texte_png({"Software": "Scanner", "Title": "Relevé"}))),
    cas("png-4000x3000", "scan-a4.png", lambda: png(scan_a4(), optimize=False)),
]

MAUVAIS = [
    # Active or embedded content, wherever a viewer finds it.
    cas("pdf-js-openaction", "cni.pdf", lambda: pdf_brut(b"/OpenAction << " + JS + b" >> "), "du JavaScript"),
    cas("pdf-js-openaction-en-flux", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /JavaScript /JS 6 0 R >> ",
                                                                  autres=(flux(b"app.alert(1)"),)), "du JavaScript"),
    cas("pdf-js-dans-un-flux-d-objets", "cni.pdf", lambda: pdf_pikepdf(pdf_brut(b"/OpenAction << " + JS + b" >> "),
        object_stream_mode=pikepdf.ObjectStreamMode.generate), "du JavaScript"),
    cas("pdf-js-nom-echappe", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /J#61vaScript /J#53 (x) >> "),
        "du JavaScript"),
    cas("pdf-js-annotation", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(annotation(b"/A << " + JS + b" >>"),)),
        "du JavaScript"),
    cas("pdf-js-page-aa", "cni.pdf", lambda: pdf_brut(page=b"/AA << /O << " + JS + b" >> >> "), "actions automatiques"),
    cas("pdf-js-arbre-des-noms", "cni.pdf",
        lambda: pdf_brut(b"/Names << /JavaScript << /Names [(a) << " + JS + b" >>] >> >> "), "du JavaScript"),
    cas("pdf-js-signet", "cni.pdf", lambda: pdf_brut(b"/Outlines 6 0 R ", autres=(
        b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
        b"<< /Title (Page 1) /Parent 6 0 R /A << " + JS + b" >> >>")), "du JavaScript"),
    cas("pdf-js-champ-de-formulaire", "formulaire.pdf", lambda: pdf_brut(b"/AcroForm << /Fields [6 0 R] >> ", ANNOTATION, (
        annotation(b"/FT /Tx /T (nom) /AA << /K << " + JS + b" >> >>", b"/Widget"),)), "actions automatiques"),
    cas("pdf-js-apres-un-goto", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << "
                                                             + JS + b" >> >> "), "du JavaScript"),
    cas("pdf-js-catalogue-aa", "cni.pdf", lambda: pdf_brut(b"/AA << /WC << " + JS + b" >> >> "), "actions automatiques"),
    cas("pdf-launch", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /Launch /F (cmd.exe) >> "), "(Launch)"),
    cas("pdf-launch-windows", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(annotation(
        b"/A << /S /Launch /Win << /F (calc.exe) /P (/c) >> >>"),)), "(Launch)"),
    cas("pdf-fichiers-joints", "cni.pdf", lambda: pdf_brut(b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >> ",
                                                            autres=(b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                                                                    fichier_joint())), "des fichiers joints"),
    cas("pdf-annotation-fichier-joint", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(
        annotation(b"/FS << /Type /Filespec /F (a.exe) >>", b"/FileAttachment"),)), "des fichiers joints"),
    cas("pdf-fichier-joint-orphelin", "cni.pdf", lambda: pdf_brut(autres=(fichier_joint(),)), "des fichiers joints"),
    cas("pdf-pieces-jointes-pikepdf", "cni.pdf", lambda: avec_piece_jointe(), "des fichiers joints"),
    cas("pdf-xfa", "formulaire.pdf", lambda: pdf_brut(b"/AcroForm << /Fields [] /XFA 6 0 R >> ", autres=(
        flux(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),)), "(XFA)"),
    cas("pdf-gotor", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(
        annotation(b"/A << /S /GoToR /F (\\\\\\\\serveur\\\\partage\\\\x.pdf) /D [0 /Fit] >>"),)), "(GoToR)"),
    cas("pdf-gotoe", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /GoToE /T << /R /C /N (x) >> >> "), "(GoToE)"),
    cas("pdf-richmedia", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(
        annotation(b"/RichMediaContent << >>", b"/RichMedia"),)), "multimédia"),
    cas("pdf-submitform", "formulaire.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(annotation(
        b"/A << /S /SubmitForm /F << /FS /URL /F (https://exemple.invalid/) >> >>"),)), "(SubmitForm)"),
    cas("pdf-importdata", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /ImportData /F (x.fdf) >> "), "(ImportData)"),
    cas("pdf-rendition", "cni.pdf", lambda: pdf_brut(b"/OpenAction << /S /Rendition /OP 0 >> "), "multimédia"),
    cas("pdf-annotation-screen", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(annotation(b"", b"/Screen"),)),
        "multimédia"),
    cas("pdf-annotation-son", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(annotation(b"", b"/Sound"),)),
        "multimédia"),
    cas("pdf-annotation-3d", "cni.pdf", lambda: pdf_brut(page=ANNOTATION, autres=(annotation(b"", b"/3D"),)), "3D"),
    # Encrypted.
    cas("pdf-chiffre-mot-de-passe", "cni.pdf", lambda: pdf_chiffre("secret", "proprio"), "par un mot de passe"),
    cas("pdf-chiffre-proprietaire-seul", "cni.pdf", lambda: pdf_chiffre("", "proprio"), "protégé (chiffré)"),
    cas("pdf-chiffre-rc4", "cni.pdf", lambda: pdf_chiffre("", "proprio", 4), "protégé (chiffré)"),
    # Polyglots: data before, after or around the document.
    cas("pdf-zip-apres-eof", "cni.pdf", lambda: pdf_reportlab(1) + zip_(), ZIP_CACHE),
    cas("pdf-html-apres-eof", "cni.pdf", lambda: pdf_reportlab(1) + HTML, "après sa fin"),
    cas("pdf-octets-apres-eof", "cni.pdf", lambda: pdf_reportlab(1) + b"\x00MZ" + bytes(20), "après sa fin"),
    cas("pdf-zip-dans-commentaire", "cni.pdf",
        lambda: zip_en_commentaire(pdf_reportlab(1).rstrip()[:-5], b"%%EOF\n"), ZIP_CACHE),
    cas("pdf-html-avant", "cni.pdf", lambda: HTML + pdf_reportlab(1), "C'est une page web (HTML)"),
    cas("pdf-octets-avant", "cni.pdf", lambda: b"JUNK" * 8 + pdf_reportlab(1), "précédé d'autres données"),
    cas("pdf-html-dans-entete", "cni.pdf", html_dans_pdf, "une page web (HTML)"),
    cas("polyglotte-pdf-html-nomme-html", "cni.html", html_dans_pdf, "se termine par « .html »"),
    # Damaged structures: a strict parser refuses what a lenient one would rebuild.
    cas("pdf-tronque-moitie", "cni.pdf", lambda: pdf_reportlab(3)[:len(pdf_reportlab(3)) // 2], ENDOMMAGE),
    cas("pdf-tronque-fin", "cni.pdf", lambda: pdf_reportlab(3)[:-40], ENDOMMAGE),
    cas("pdf-sans-eof", "cni.pdf", lambda: pdf_reportlab(1).rstrip()[:-5], ENDOMMAGE),
    cas("pdf-xref-dechets", "cni.pdf", xref_dechets, ENDOMMAGE),
    cas("pdf-startxref-faux", "cni.pdf", lambda: pdf_brut().replace(b"startxref\n", b"startxref\n1"), ENDOMMAGE),
    cas("pdf-objet-casse", "cni.pdf", lambda: pdf_brut(page=b"/Annots [6 0 R] ", autres=(b"<< /Type /Annot /Rect [",)),
        ENDOMMAGE),
    cas("pdf-longueur-de-flux-fausse", "cni.pdf", lambda: octets_changes(pdf_brut(), b"/Length 36", b"/Length 99"),
        ENDOMMAGE),
    cas("pdf-flux-flate-corrompu", "cni.pdf", lambda: pdf_brut(contenu=b"\x78\x9c" + random.Random(9).randbytes(200),
                                                               filtre=b"/Filter /FlateDecode "), ENDOMMAGE),
    cas("pdf-arbre-des-pages-en-boucle", "cni.pdf",
        lambda: octets_changes(pdf_brut(), b"/Kids [3 0 R]", b"/Kids [2 0 R]"), ENDOMMAGE),
    cas("pdf-catalogue-absent", "cni.pdf", lambda: octets_changes(pdf_brut(), b"/Root 1 0 R", b"/Root 9 0 R"),
        ENDOMMAGE),
    cas("pdf-zero-page", "cni.pdf", lambda: octets_changes(pdf_brut(), b"/Kids [3 0 R] /Count 1", b"/Kids []      /Count 0"),
        "aucune page"),
    cas("pdf-entete-seul", "cni.pdf", lambda: b"%PDF-1.7\n%%EOF\n", ENDOMMAGE),
    cas("pdf-entete-puis-aleatoire", "cni.pdf",
        lambda: b"%PDF-1.7\n" + random.Random(2).randbytes(3000) + b"\n%%EOF\n", ENDOMMAGE),
    # Bombs: refused, or checked within the time and memory bounds.
    cas("pdf-bombe-flux-d-objets-4-8-mo", "cni.pdf", bombe_flux_d_objets, "La vérification de ce fichier a dépassé",
        lourd=True),
    cas("pdf-bombe-300000-objets", "cni.pdf", bombe_nombre_d_objets, "anormalement complexe", lourd=True),
    cas("pdf-bombe-flux-de-contenu", "cni.pdf", bombe_contenu, "La vérification de ce fichier a dépassé", lourd=True),
    cas("png-bombe-ztxt", "photo.png", lambda: png_blocs((b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes(100 << 20)))),
        "texte caché démesuré"),
    cas("png-bombe-itxt", "photo.png", lambda: png_blocs((b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00"
                                                         + zlib.compress(b" " * (100 << 20)))), "texte caché démesuré"),
    cas("png-textes-trop-nombreux", "photo.png", lambda: png_blocs(*(
        (b"tEXt", b"k%d\x00" % i + b"x" * 200_000) for i in range(8))), "texte caché démesuré"),
    cas("png-dimensions-enormes", "photo.png", lambda: ihdr_change(png(photo(64, 48)), largeur=65000, hauteur=65000),
        "trop grande"),
    cas("jpeg-631-octets-65000x65000", "photo.jpg", lambda: jpeg_taille_declaree(65000, 65000), "trop grande"),
    cas("jpeg-8000x7000-declare", "photo.jpg", lambda: jpeg_taille_declaree(8000, 7000), "trop grande"),
    # Images: damaged, animated, truncated.
    cas("apng", "anime.png", lambda: apng(), "animée (APNG)"),
    cas("apng-sequence-cassee", "anime.png", lambda: apng(casse=True), "animée (APNG)"),
    cas("png-actl-seul", "photo.png", lambda: png_blocs((b"acTL", bytes(8))), "animée (APNG)"),
    cas("png-crc-faux", "photo.png", lambda: png(photo(64, 48))[:30] + b"\x00" + png(photo(64, 48))[31:],
        "somme de contrôle"),
    cas("png-tronque", "photo.png", lambda: png()[:len(png()) // 2], "Le fichier PNG est incomplet"),
    cas("png-sans-iend", "photo.png", lambda: png()[:-12], "Le fichier PNG est incomplet"),
    cas("png-idat-trop-long", "photo.png", lambda: idat_remplace(photo(16, 12), b"\x00" * 13 * 49),
        "corrompues ou incomplètes"),
    cas("png-idat-trop-court", "photo.png", lambda: idat_remplace(photo(16, 12), b"\x00" * 49), "corrompues"),
    cas("png-zip-apres-iend", "photo.png", lambda: png() + zip_(), ZIP_CACHE),
    cas("png-html-apres-iend", "photo.png", lambda: png() + HTML, "données inattendues"),
    cas("png-bloc-critique-inconnu", "photo.png", lambda: png_blocs((b"CgBI", b"\x50\x00\x20\x02")), "bloc inconnu"),
    cas("png-signature-abimee", "photo.png", lambda: b"\x89PNG\n\x1a\n" + png()[8:], "signature PNG"),
    cas("png-profondeur-invalide", "photo.png", lambda: ihdr_change(png(photo(16, 12)), profondeur=7), "endommagé"),
    cas("png-largeur-nulle", "photo.png", lambda: ihdr_change(png(photo(16, 12)), largeur=0), "largeur ou une hauteur"),
    cas("jpeg-tronque", "photo.jpg", lambda: jpeg()[:len(jpeg()) // 2], "Le fichier JPEG est incomplet"),
    cas("jpeg-tronque-puis-eoi", "photo.jpg", lambda: jpeg()[:300] + b"\xff\xd9", "JPEG est endommagé"),
    cas("jpeg-progressif-tronque", "photo.jpg", lambda: jpeg(progressive=True)[:5000], "Le fichier JPEG est incomplet"),
    cas("jpeg-soi-seul", "photo.jpg", lambda: b"\xff\xd8", "Le fichier JPEG est incomplet"),
    cas("jpeg-aleatoire", "photo.jpg", lambda: b"\xff\xd8" + random.Random(4).randbytes(2000) + b"\xff\xd9",
        "JPEG est endommagé"),
    cas("jpeg-zip-dans-commentaire", "photo.jpg", lambda: zip_en_commentaire(jpeg()[:-2], b"\xff\xd9"), ZIP_CACHE),
    cas("jpeg-zip-apres-eoi", "photo.jpg", lambda: jpeg() + zip_(), ZIP_CACHE),
    # Empty, tiny, too big.
    cas("vide", "cni.pdf", lambda: b"", "est vide"),
    cas("un-octet", "cni.pdf", lambda: b"%", NON_RECONNU),
    cas("un-octet-ff", "photo.jpg", lambda: b"\xff", NON_RECONNU),
    cas("deux-octets", "cni.pdf", lambda: b"%P", NON_RECONNU),
    cas("trop-gros", "cni.pdf", lambda: pdf_reportlab(1) + b"%" * regles.TAILLE_MAX, "trop volumineux"),
    # A format the name does not declare, or one that is not accepted at all.
    *(cas(f"{format_}-nomme-{ext}", f"piece.{ext}", fabrique, NON_RECONNU)
      for format_, fabrique in AUTRES.items() for ext in ("pdf", "jpg", "png")),
    cas("png-nomme-pdf", "scan.pdf", lambda: png(), "Ce fichier est une image PNG, pas un PDF : "),
    cas("png-nomme-jpg", "photo.jpg", lambda: png(), "Ce fichier est une image PNG, pas une image JPEG"),
    cas("jpeg-nomme-png", "photo.png", lambda: jpeg(), "Ce fichier est une image JPEG, pas une image PNG"),
    cas("jpeg-nomme-pdf", "scan.pdf", lambda: jpeg(), "Ce fichier est une image JPEG, pas un PDF"),
    cas("pdf-nomme-jpg", "photo.jpg", lambda: pdf_reportlab(1), "Ce fichier est un document PDF, pas une image JPEG"),
    cas("pdf-nomme-png", "photo.png", lambda: pdf_reportlab(1), "Ce fichier est un document PDF, pas une image PNG"),
    cas("png-nomme-exe", "scan.exe", lambda: png(), "se termine par « .exe »"),
    cas("png-nomme-pdf-lnk", "scan.pdf.lnk", lambda: png(), "se termine par « .lnk »"),
    cas("pdf-nomme-pdf-exe", "cni.pdf.exe", lambda: pdf_reportlab(1), "se termine par « .exe »"),
    cas("pdf-nomme-exe-pleine-chasse", "cni\uff0e\uff45\uff58\uff45", lambda: pdf_reportlab(1), "« .exe »"),
    cas("jpeg-nomme-gif", "photo.gif", lambda: jpeg(), "se termine par « .gif »"),
    cas("pdf-nomme-docx", "cv.docx", lambda: pdf_reportlab(1), "se termine par « .docx »"),
    cas("png-sans-extension", "scan", lambda: png(), "n'a pas d'extension"),
    *(cas(f"{quoi}-nomme-pdf", "piece.pdf", (lambda o=octets: o), NON_RECONNU) for quoi, octets in (
        ("ole-word-97", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)), ("rtf", b"{\\rtf1\\ansi Carte}"),
        ("script-shell", b"#!/bin/sh\nrm -rf ~\n"), ("macho", b"\xcf\xfa\xed\xfe" + bytes(100)),
        ("7z", b"7z\xbc\xaf\x27\x1c" + bytes(30)), ("rar", b"Rar!\x1a\x07\x01\x00" + bytes(30)),
        ("gzip", gzip.compress(b"x")), ("raccourci-lnk", b"L\x00\x00\x00\x01\x14\x02\x00" + bytes(70)),
        ("heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(40)),
        ("texte-utf16", "\ufeff%PDF-1.4 relevé".encode("utf-16-le")), ("postscript", b"%!PS-Adobe-3.0\n%%EOF\n"),
        ("texte", "Relevé de notes : 15/20".encode()))),
    # Names: invisible, reserved or lying characters (the content is a good PDF).
    *(cas(f"nom-{quoi}", nom, lambda: pdf_reportlab(1), attendu) for quoi, nom, attendu in (
        ("bidi-rlo", "facture\u202efdp.exe", INVISIBLE), ("bidi-milieu", "cni\u202egnp.pdf", INVISIBLE),
        ("espace-de-largeur-nulle", "cni\u200b.pdf", INVISIBLE), ("bom", "\ufeffcni.pdf", INVISIBLE),
        ("c0", "cni\x01.pdf", INVISIBLE), ("c1", "cni\x85.pdf", INVISIBLE), ("del", "cni\x7f.pdf", INVISIBLE),
        ("marque-ltr", "cni\u200e.pdf", INVISIBLE), ("isolat-bidi", "cni\u2066.pdf", INVISIBLE),
        ("separateur-de-ligne", "cni\u2028.pdf", INVISIBLE), ("usage-prive", "cni\ue000.pdf", INVISIBLE),
        ("nul", "cni\x00.pdf", INVISIBLE), ("deux-points", "C:cni.pdf", RESERVE), ("etoile", "cni*.pdf", RESERVE),
        ("interrogation", "cni?.pdf", RESERVE), ("guillemet", 'cni".pdf', RESERVE), ("chevrons", "<cni>.pdf", RESERVE),
        ("barre-verticale", "cni|.pdf", RESERVE), ("barre-oblique", "../cni.pdf", "« / »"),
        ("barre-inverse", "dossier\\cni.pdf", "« / »"), ("point-point", "cni..pdf", "« .. »"),
        ("double-extension-exe", "cni.exe.pdf", DOUBLE), ("double-extension-js", "cni.js.pdf", DOUBLE),
        ("double-extension-scr", "cni.scr.pdf", DOUBLE), ("double-extension-html", "cni.html.pdf", DOUBLE),
        ("trop-long", "a" * 300 + ".pdf", "trop long"), ("vide", "", "n'a pas de nom"),
        ("blancs", "   ", "n'a pas de nom"))),
]
