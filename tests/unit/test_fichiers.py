"""Deposited files: the content check (rules/fichiers.py) against a corpus of bad files built here
(no binary committed), and the content-addressed store (storage/fichiers.py)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cyclades_desktop.rules import fichiers
from cyclades_desktop.rules.errors import DomainError, ValidationError
from cyclades_desktop.rules.fichiers import TAILLE_MAX, nom_sain

# The whole check, in-process: rules/ stays pure, the parsers live beside the store (the child
# process that bounds them is tried in tests/unit/test_depots_hostiles.py).
from cyclades_desktop.storage.analyse_fichier import controler
from cyclades_desktop.storage.database import Database
from cyclades_desktop.storage.fichiers import ENV_FICHIERS_DIR, Depot, depot_de, depot_pour

# ------------------------------------------------------------------------------------------ builders


def pdf_reportlab(pages: int = 1, lignes: int = 1) -> bytes:
    tampon = io.BytesIO()
    c = canvas.Canvas(tampon, pagesize=A4, pageCompression=0)
    for i in range(pages):
        for j in range(lignes):
            c.drawString(72, 770 - 12 * j, f"Pièce justificative — page {i + 1}, ligne {j + 1}")
        c.showPage()
    c.save()
    return tampon.getvalue()


def pdf_pypdf(*, pages: int = 1, mot_de_passe: str | None = None, proprietaire: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if mot_de_passe is not None:
        writer.encrypt(user_password=mot_de_passe, owner_password=proprietaire, algorithm="RC4-128")
    tampon = io.BytesIO()
    writer.write(tampon)
    return tampon.getvalue()


def bloc_png(type_bloc: bytes, donnees: bytes) -> bytes:
    return struct.pack(">I", len(donnees)) + type_bloc + donnees + struct.pack(">I", zlib.crc32(type_bloc + donnees))


def ihdr(largeur: int, hauteur: int, profondeur: int = 8, couleur: int = 2, entrelace: int = 0) -> bytes:
    return bloc_png(b"IHDR", struct.pack(">IIBBBBB", largeur, hauteur, profondeur, couleur, 0, 0, entrelace))


def png(largeur: int = 16, hauteur: int = 12, *, profondeur: int = 8, couleur: int = 2, entrelace: int = 0,
        brut: bytes | None = None, blocs_avant: bytes = b"", idat_en: int = 1) -> bytes:
    """A real PNG by hand: filter byte 0 then the packed samples of each row (of each Adam7 pass)."""
    canaux = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[couleur]
    if brut is None:
        alea = random.Random(largeur * 1000 + hauteur)

        def lignes(l_: int, h_: int) -> bytes:
            largeur_octets = (l_ * canaux * profondeur + 7) // 8
            return b"".join(b"\x00" + alea.randbytes(largeur_octets) for _ in range(h_)) if l_ else b""

        if entrelace:
            passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
                      (0, 1, 1, 2))
            brut = b"".join(lignes(max(0, (largeur - x0 + dx - 1) // dx), max(0, (hauteur - y0 + dy - 1) // dy))
                            for x0, y0, dx, dy in passes)
        else:
            brut = lignes(largeur, hauteur)
    compresse = zlib.compress(brut, 9)
    taille = -(-len(compresse) // idat_en)
    idat = b"".join(bloc_png(b"IDAT", compresse[i:i + taille]) for i in range(0, len(compresse), taille))
    return (fichiers._SIGNATURE_PNG + ihdr(largeur, hauteur, profondeur, couleur, entrelace) + blocs_avant
            + idat + bloc_png(b"IEND", b""))


def image_qt(format_: str, largeur: int = 64, hauteur: int = 48, *, qualite: int = 90, bruit: bool = False) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(largeur, hauteur, QImage.Format.Format_RGB32)
    image.fill(QColor(230, 240, 250))
    if bruit:
        alea = random.Random(7)
        image = QImage(alea.randbytes(largeur * hauteur * 4), largeur, hauteur, largeur * 4,
                       QImage.Format.Format_RGB32).copy()
    else:
        for x in range(largeur):
            image.setPixelColor(x, x * hauteur // largeur, QColor(20, 30, 120))
    octets = QByteArray()
    tampon = QBuffer(octets)
    tampon.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(tampon, format_, qualite)
    tampon.close()
    return bytes(octets.data())


def segments_jpeg(jpeg: bytes) -> list[tuple[int, int, int]]:
    """(marker, start of the marker, end of the segment) up to SOS included."""
    resultat = []
    pos = 2
    while True:
        marqueur = jpeg[pos + 1]
        longueur = struct.unpack_from(">H", jpeg, pos + 2)[0]
        resultat.append((marqueur, pos, pos + 2 + longueur))
        if marqueur == 0xDA:
            return resultat
        pos += 2 + longueur


def sans_segment(jpeg: bytes, marqueurs: set[int]) -> bytes:
    for marqueur, debut, fin in reversed(segments_jpeg(jpeg)):
        if marqueur in marqueurs:
            jpeg = jpeg[:debut] + jpeg[fin:]
    return jpeg


def sof_modifie(jpeg: bytes, hauteur: int) -> bytes:
    _marqueur, debut, _fin = next(s for s in segments_jpeg(jpeg) if s[0] in (0xC0, 0xC1, 0xC2))
    return jpeg[:debut + 5] + struct.pack(">H", hauteur) + jpeg[debut + 7:]


def docx() -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", "<w:document>Carte d'identité</w:document>")
    return tampon.getvalue()


def png_idat_corrompu(bon: bytes) -> bytes:
    """Flip bytes inside the deflate data and fix the CRC: only inflating can see the damage."""
    debut = bon.index(b"IDAT")
    longueur = struct.unpack_from(">I", bon, debut - 4)[0]
    donnees = bytearray(bon[debut + 4:debut + 4 + longueur])
    for i in range(10, len(donnees) - 6, 7):
        donnees[i] ^= 0x5A
    return bon[:debut - 4] + bloc_png(b"IDAT", bytes(donnees)) + bon[debut + 8 + longueur:]


@dataclass(frozen=True)
class Bons:
    pdf: bytes
    png: bytes
    jpeg: bytes


@pytest.fixture(scope="module")
def bons(qapp) -> Bons:
    return Bons(pdf=pdf_reportlab(2), png=png(), jpeg=image_qt("JPEG"))


# ------------------------------------------------------------------------------------------ corpus

NON_RECONNU = "Ce fichier n'est pas un PDF, un JPEG ou un PNG (son contenu a été vérifié, pas seulement son nom)."
PDF_ENDOMMAGE = "Le fichier PDF est incomplet ou endommagé."
PNG_ENDOMMAGE = "Le fichier PNG est endommagé"
JPEG_ENDOMMAGE = "Le fichier JPEG est endommagé"
NOM_SEPARATEUR = "ne doit pas contenir de « / » ni de « \\ »"
NOM_INVISIBLE = "caractères invisibles"

MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(50) + b"This program cannot be run in DOS mode."
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(100)
BMP = b"BM" + struct.pack("<IHHI", 70, 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, 2, 2, 1, 24, 0, 16, 0, 0, 0, 0) + bytes(16)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00" \
      b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"


@dataclass(frozen=True)
class Mauvais:
    id: str
    nom: str
    fabrique: Callable[[Bons], bytes]
    fragment: str


CORPUS = [
    # Not one of the three formats, whatever the name says.
    Mauvais("exe-renomme-pdf", "attestation.pdf", lambda b: MZ, NON_RECONNU),
    Mauvais("elf-renomme-png", "photo.png", lambda b: ELF, NON_RECONNU),
    Mauvais("docx-renomme-pdf", "diplome.pdf", lambda b: docx(), "enregistrez le document au format PDF"),
    Mauvais("html-renomme-jpg", "scan.jpg", lambda b: "<!DOCTYPE html><html><body>Diplôme</body></html>".encode(),
            NON_RECONNU),
    Mauvais("script-shell-renomme-pdf", "cni.pdf", lambda b: b"#!/bin/sh\nrm -rf \"$HOME\"\n", NON_RECONNU),
    Mauvais("script-python-renomme-pdf", "cni.pdf", lambda b: b"#!/usr/bin/env python3\nimport os\n", NON_RECONNU),
    Mauvais("gif-renomme-png", "photo.png", lambda b: GIF, "Les images GIF ne sont pas acceptées"),
    Mauvais("bmp-renomme-jpg", "photo.jpg", lambda b: BMP, "Les images BMP ne sont pas acceptées"),
    Mauvais("tiff-renomme-pdf", "scan.pdf", lambda b: b"II*\x00\x08\x00\x00\x00" + bytes(40), "images TIFF"),
    Mauvais("heic-iphone-renomme-jpg", "IMG_0001.jpg",
            lambda b: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(40), "images HEIC"),
    Mauvais("webp-renomme-png", "photo.png", lambda b: b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(30), "images WebP"),
    Mauvais("texte-utf16-renomme-pdf", "releve.pdf", lambda b: "\ufeff%PDF-1.4 relevé de notes".encode("utf-16-le"),
            NON_RECONNU),
    Mauvais("pdf-apres-entete-http", "releve.pdf", lambda b: b"HTTP/1.1 200 OK\r\n\r\n" + b.pdf, NON_RECONNU),
    Mauvais("vide", "cni.pdf", lambda b: b"", "Le fichier est vide"),
    Mauvais("pdf-trop-gros", "scan.pdf", lambda b: b.pdf + b"%" + b"0" * (TAILLE_MAX - len(b.pdf)),
            "Le fichier est trop volumineux (5,1 Mo) : la limite est de 5 Mo par fichier."),
    # PDF
    Mauvais("pdf-coupe-en-deux", "cni.pdf", lambda b: b.pdf[:len(b.pdf) // 2], PDF_ENDOMMAGE),
    Mauvais("pdf-sans-eof", "cni.pdf", lambda b: b.pdf.rstrip().removesuffix(b"%%EOF"), PDF_ENDOMMAGE),
    Mauvais("pdf-chiffre", "cni.pdf", lambda b: pdf_pypdf(mot_de_passe="secret"),
            "Le fichier PDF est protégé par un mot de passe : déposez une version sans mot de passe."),
    Mauvais("pdf-chiffre-proprietaire-seul", "avis.pdf", lambda b: pdf_pypdf(mot_de_passe="", proprietaire="x"),
            "Le fichier PDF est protégé (chiffré)"),
    Mauvais("pdf-zero-page", "cni.pdf", lambda b: pdf_pypdf(pages=0), "Le fichier PDF ne contient aucune page."),
    Mauvais("pdf-entete-puis-dechets", "cni.pdf", lambda b: b"%PDF-1.7\n" + random.Random(1).randbytes(3000),
            PDF_ENDOMMAGE),
    Mauvais("pdf-entete-dechets-et-eof", "cni.pdf",
            lambda b: b"%PDF-1.7\n" + random.Random(2).randbytes(3000) + b"\n%%EOF\n", PDF_ENDOMMAGE),
    Mauvais("pdf-sans-catalogue", "cni.pdf", lambda b: b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n",
            PDF_ENDOMMAGE),
    # PNG
    Mauvais("png-signature-octet-faux", "photo.png", lambda b: b"\x89PNG\r\n\x1a\x00" + b.png[8:], "signature PNG"),
    Mauvais("png-transfert-texte", "photo.png", lambda b: b.png.replace(b"\r\n", b"\n", 1), "signature PNG"),
    Mauvais("png-crc-faux", "photo.png", lambda b: b.png[:29] + bytes([b.png[29] ^ 1]) + b.png[30:],
            "somme de contrôle incorrecte"),
    Mauvais("png-tronque-avant-iend", "photo.png", lambda b: b.png[:-12], "Le fichier PNG est incomplet"),
    Mauvais("png-tronque-au-milieu", "photo.png", lambda b: b.png[:len(b.png) // 2], "Le fichier PNG est incomplet"),
    Mauvais("png-idat-corrompu", "photo.png", lambda b: png_idat_corrompu(b.png), "données de l'image sont corrompues"),
    Mauvais("png-idat-trop-court", "photo.png", lambda b: png(16, 12, brut=b"\x00" + bytes(48)),
            "données de l'image sont corrompues ou incomplètes"),
    Mauvais("png-largeur-zero", "photo.png",
            lambda b: fichiers._SIGNATURE_PNG + ihdr(0, 12) + b.png[33:], "largeur ou une hauteur nulle"),
    Mauvais("png-sans-ihdr", "photo.png", lambda b: fichiers._SIGNATURE_PNG + b.png[33:], "(IHDR) manque"),
    Mauvais("png-palette-sans-plte", "photo.png", lambda b: png(8, 8, couleur=3), "(PLTE) manque"),
    Mauvais("png-bloc-critique-inconnu", "photo.png", lambda b: png(blocs_avant=bloc_png(b"CgBI", b"\x50\x00 \x02")),
            "bloc inconnu (CgBI)"),
    Mauvais("png-zip-colle-apres-iend", "photo.png", lambda b: b.png + docx(), "données inattendues"),
    Mauvais("png-bombe-de-decompression", "photo.png", lambda b: fichiers._SIGNATURE_PNG + ihdr(60000, 60000)
            + bloc_png(b"IDAT", zlib.compress(bytes(1000))) + bloc_png(b"IEND", b""), "L'image PNG est trop grande"),
    # JPEG
    Mauvais("jpeg-sans-eoi", "photo.jpg", lambda b: b.jpeg[:-2], "Le fichier JPEG est incomplet"),
    Mauvais("jpeg-tronque-dans-un-segment", "photo.jpg", lambda b: b.jpeg[:40], "Le fichier JPEG est incomplet"),
    Mauvais("jpeg-segment-plus-long-que-le-fichier", "photo.jpg", lambda b: b.jpeg[:40] + b"\xff\xd9",
            JPEG_ENDOMMAGE),
    Mauvais("jpeg-soi-seul", "photo.jpg", lambda b: b"\xff\xd8", "Le fichier JPEG est incomplet"),
    # Pillow refuses these without naming the faulty header (the former hand-written walker did).
    Mauvais("jpeg-soi-eoi", "photo.jpg", lambda b: b"\xff\xd8\xff\xd9", JPEG_ENDOMMAGE),
    Mauvais("jpeg-sans-sof", "photo.jpg", lambda b: sans_segment(b.jpeg, {0xC0, 0xC1, 0xC2}), JPEG_ENDOMMAGE),
    Mauvais("jpeg-hauteur-zero", "photo.jpg", lambda b: sof_modifie(b.jpeg, 0), JPEG_ENDOMMAGE),
    Mauvais("jpeg-dechets-entre-segments", "photo.jpg", lambda b: b.jpeg[:2] + b"\x00" + b.jpeg[3:],
            "structure est illisible"),
    # Names (the content is a good PDF: only the name is wrong).
    Mauvais("nom-remontee-de-dossier", "../../etc/passwd.pdf", lambda b: b.pdf, NOM_SEPARATEUR),
    Mauvais("nom-avec-dossier", "dossier/piece.pdf", lambda b: b.pdf, NOM_SEPARATEUR),
    Mauvais("nom-avec-dossier-windows", "C:\\Users\\piece.pdf", lambda b: b.pdf, NOM_SEPARATEUR),
    Mauvais("nom-point-point", "..", lambda b: b.pdf, "« .. »"),
    Mauvais("nom-nul", "piece\x00.pdf", lambda b: b.pdf, NOM_INVISIBLE),
    Mauvais("nom-saut-de-ligne", "piece\n.pdf", lambda b: b.pdf, NOM_INVISIBLE),
    Mauvais("nom-del", "piece\x7f.pdf", lambda b: b.pdf, NOM_INVISIBLE),
    Mauvais("nom-inversion-bidi", "facture\u202efdp.exe", lambda b: b.pdf, NOM_INVISIBLE),
    Mauvais("nom-trop-long", "a" * 300 + ".pdf", lambda b: b.pdf, "trop long (304 caractères, 255 au maximum)"),
    Mauvais("nom-vide", "   ", lambda b: b.pdf, "n'a pas de nom"),
]


def test_le_corpus_compte_au_moins_25_mauvais_fichiers():
    assert len(CORPUS) >= 25
    assert len({cas.id for cas in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("cas", CORPUS, ids=[cas.id for cas in CORPUS])
def test_fichier_refuse(cas: Mauvais, bons: Bons):
    contenu = cas.fabrique(bons)
    with pytest.raises(ValidationError) as refus:
        controler(cas.nom, contenu)
    assert list(refus.value.errors) == ["fichier"]
    assert cas.fragment in refus.value.errors["fichier"]


# ------------------------------------------------------------------------------------------ good files


def test_pdf_reportlab_accepte(bons: Bons):
    resultat = controler("Carte d'identité.pdf", bons.pdf)
    assert resultat == fichiers.FichierControle(nom="Carte d'identité.pdf", type_mime="application/pdf",
                                                extension="pdf", taille=len(bons.pdf), pages=2)


def test_png_fait_main_accepte(bons: Bons):
    resultat = controler("photo.png", bons.png)
    assert (resultat.type_mime, resultat.extension, resultat.pages) == ("image/png", "png", None)


@pytest.mark.parametrize("variante", [
    dict(couleur=0, profondeur=1, largeur=13, hauteur=5),
    dict(couleur=0, profondeur=16),
    dict(couleur=4, profondeur=8),
    dict(couleur=6, profondeur=16),
    dict(couleur=2, entrelace=1, largeur=11, hauteur=7),
    dict(couleur=6, entrelace=1, largeur=1, hauteur=1),
    dict(couleur=2, idat_en=5),
], ids=["gris-1-bit", "gris-16-bits", "gris-alpha", "rgba-16-bits", "entrelace", "entrelace-1-pixel", "5-idat"])
def test_variantes_png_acceptees(variante: dict):
    controler("image.png", png(**variante))


def test_png_a_palette_accepte():
    palette = bloc_png(b"PLTE", bytes(range(48)))
    controler("image.png", png(8, 8, couleur=3, profondeur=4, blocs_avant=palette))


def test_png_et_jpeg_de_qt_acceptes(qapp):
    assert controler("qt.png", image_qt("PNG")).type_mime == "image/png"
    resultat = controler("photo.jpeg", image_qt("JPEG"))
    assert (resultat.type_mime, resultat.extension) == ("image/jpeg", "jpg")


def test_jpeg_complete_de_zeros_accepte(bons: Bons):
    controler("photo.jpg", bons.jpeg + bytes(32))


def test_le_contenu_doit_etre_le_format_que_le_nom_declare(bons: Bons):
    # Formerly accepted under the content's type: a name that lies about the format is now refused.
    for nom, contenu, debut in (("scan.jpg", bons.pdf, "Ce fichier est un document PDF, pas une image JPEG : "),
                                ("photo.pdf", bons.png, "Ce fichier est une image PNG, pas un PDF : "),
                                ("sans-extension", bons.jpeg, "Le nom du fichier n'a pas d'extension : ")):
        with pytest.raises(ValidationError) as refus:
            controler(nom, contenu)
        assert refus.value.errors["fichier"].startswith(debut)
    resultat = controler("scan.pdf", bons.pdf)
    assert (resultat.nom, resultat.type_mime, resultat.extension, resultat.pages) == (
        "scan.pdf", "application/pdf", "pdf", 2)
    assert controler("photo.JPEG", bons.jpeg).nom == "photo.jpg"


def pdf_de_taille(taille: int, pages: int = 1) -> bytes:
    """A valid PDF of exactly ``taille`` bytes (a comment in the first page's content fills it: an
    attached file, which filled it before, is now refused)."""
    def fabriquer(remplissage: int) -> bytes:
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(595, 842)
        flux = DecodedStreamObject()
        flux.set_data(b"%" + b"0" * remplissage + b"\n")
        writer.pages[0].replace_contents(flux)
        tampon = io.BytesIO()
        writer.write(tampon)
        return tampon.getvalue()

    remplissage = taille - 1000 - 120 * pages
    for _ in range(3):
        contenu = fabriquer(remplissage)
        if len(contenu) == taille:
            return contenu
        remplissage += taille - len(contenu)
    raise AssertionError("taille introuvable")


def test_pdf_a_la_limite_exacte_accepte():
    assert controler("gros.pdf", pdf_de_taille(TAILLE_MAX)).taille == TAILLE_MAX
    with pytest.raises(ValidationError, match="Certains champs") as refus:
        controler("gros.pdf", pdf_de_taille(TAILLE_MAX + 1))
    assert refus.value.errors["fichier"].startswith("Le fichier est trop volumineux (5,1 Mo)")


def test_pdf_a_xref_decale_refuse(bons: Bons):
    # Formerly repaired (pypdf, lenient) and accepted: a file the strict parser would have to
    # rebuild is now refused.
    offset = bons.pdf.rindex(b"startxref")
    contenu = bons.pdf[:offset] + b"startxref\n12\n%%EOF\n"
    with pytest.raises(ValidationError) as refus:
        controler("repare.pdf", contenu)
    assert refus.value.errors["fichier"].startswith(PDF_ENDOMMAGE)


def test_limite_personnalisee(bons: Bons):
    with pytest.raises(ValidationError) as refus:
        controler("photo.png", bons.png, taille_max=100)
    assert "la limite est de 0,1 Ko par fichier" in refus.value.errors["fichier"]


def test_nom_sain_normalise_sans_perdre_les_accents(bons: Bons):
    decompose = unicodedata.normalize("NFD", "  Relevé de notes – Hélène.PDF \n")
    assert nom_sain(decompose) == "Relevé de notes – Hélène.PDF"
    # The stored name ends with the content's own extension, in lower case (formerly « .PDF » kept).
    assert controler(decompose, bons.pdf).nom == "Relevé de notes – Hélène.pdf"
    assert controler("a" * 251 + ".pdf", bons.pdf).nom == "a" * 251 + ".pdf"


def test_texte_des_formats():
    assert fichiers.TEXTE_FORMATS == "Formats acceptés : PDF, JPEG ou PNG ; 5 Mo au maximum par fichier."
    assert fichiers.FORMATS == "PDF, JPEG ou PNG"


def test_controle_rapide_sur_des_fichiers_de_5_mo(qapp):
    # Well under 50 ms each on a workstation; the bound here only catches a pathological slowdown.
    gros_pdf = pdf_de_taille(TAILLE_MAX, pages=1000)
    gros_png = png(1290, 1290, couleur=2)
    gros_jpeg = image_qt("JPEG", 1200, 900, qualite=100, bruit=True)
    for nom, contenu in (("gros.pdf", gros_pdf), ("gros.png", gros_png), ("gros.jpg", gros_jpeg)):
        assert 2 * 1024 * 1024 < len(contenu) <= TAILLE_MAX, (nom, len(contenu))
        debut = time.perf_counter()
        controler(nom, contenu)
        assert time.perf_counter() - debut < 0.5, nom


# ------------------------------------------------------------------------------------------ the store


def test_ecrire_deux_fois_le_meme_contenu(tmp_path: Path, bons: Bons):
    depot = Depot(tmp_path / "fichiers")
    cle = depot.ecrire(bons.pdf)
    assert cle == hashlib.sha256(bons.pdf).hexdigest()
    chemin = depot.chemin(cle)
    assert chemin == tmp_path / "fichiers" / cle[:2] / cle[2:4] / cle
    os.utime(chemin, (1_000_000_000, 1_000_000_000))
    assert depot.ecrire(bons.pdf) == cle
    assert chemin.stat().st_mtime == 1_000_000_000  # not rewritten
    assert list(chemin.parent.iterdir()) == [chemin]  # one file, no leftover temporary
    assert depot.existe(cle) and depot.hashes() == [cle]
    assert depot.lire(cle) == bons.pdf


def test_ecritures_concurrentes(tmp_path: Path):
    depot = Depot(tmp_path)
    contenus = [b"commun"] * 8 + [bytes([i]) * 1000 for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        cles = list(pool.map(depot.ecrire, contenus))
    assert cles == [hashlib.sha256(c).hexdigest() for c in contenus]
    assert depot.hashes() == sorted(set(cles))
    assert not list(tmp_path.glob("*/*/.ecriture-*"))
    assert all(depot.lire(cle) == contenu for cle, contenu in zip(cles, contenus, strict=True))


def test_fichier_stocke_en_lecture_seule(tmp_path: Path):
    if os.name != "posix":
        pytest.skip("modes POSIX")
    depot = Depot(tmp_path)
    mode = depot.chemin(depot.ecrire(b"contenu")).stat().st_mode & 0o777
    assert mode == 0o440


def test_fichier_endommage_sur_le_disque(tmp_path: Path, bons: Bons):
    depot = Depot(tmp_path)
    cle = depot.ecrire(bons.png)
    chemin = depot.chemin(cle)
    chemin.chmod(0o600)
    chemin.write_bytes(bons.png[:-1] + b"\x00")
    with pytest.raises(DomainError, match="endommagé sur le disque"):
        depot.lire(cle)
    # Depositing the same bytes again repairs it, atomically.
    assert depot.ecrire(bons.png) == cle
    assert depot.lire(cle) == bons.png


def test_fichier_absent_ou_reference_invalide(tmp_path: Path):
    depot = Depot(tmp_path)
    absent = hashlib.sha256(b"jamais depose").hexdigest()
    assert not depot.existe(absent)
    with pytest.raises(DomainError, match="introuvable"):
        depot.lire(absent)
    for mauvais in ("../../etc/passwd", "abc", "g" * 64, ""):
        with pytest.raises(DomainError, match="Référence de fichier invalide"):
            depot.lire(mauvais)


def test_un_temporaire_abandonne_n_est_pas_un_fichier_stocke(tmp_path: Path):
    depot = Depot(tmp_path)
    cle = depot.ecrire(b"premier")
    dossier = depot.chemin(cle).parent
    reste = dossier / ".ecriture-abc123"
    reste.write_bytes(b"prem")  # a crash after a partial write
    (dossier / ("0" * 64)).write_bytes(b"mal range")  # a hash in the wrong directory
    assert depot.hashes() == [cle]
    assert depot.orphelins(set()) == [cle]
    assert depot.temporaires(age_min_s=0) == [reste]
    assert depot.temporaires() == []  # too recent: maybe a write in progress


def test_orphelins_et_suppression(tmp_path: Path):
    depot = Depot(tmp_path / "absent")
    assert depot.hashes() == [] and depot.orphelins(set()) == []
    a, b, c = (depot.ecrire(x) for x in (b"a", b"b", b"c"))
    assert depot.orphelins({a, c.upper()}) == [b]
    assert depot.orphelins(set(), age_min_s=3600) == []  # just written: their commit may be in flight
    depot.supprimer(b)
    depot.supprimer(b)  # already gone: fine
    assert depot.lire(a.upper()) == b"a"
    assert not depot.existe(b)
    assert depot.hashes() == sorted([a, c])


def test_emplacement_du_depot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV_FICHIERS_DIR, raising=False)
    monkeypatch.setenv("CYCLADES_DATA_DIR", str(tmp_path / "donnees"))
    base = tmp_path / "x" / "cyclades.sqlite"
    assert depot_pour(f"sqlite:///{base}").racine == tmp_path / "x" / "cyclades.fichiers"
    assert depot_pour(str(base)).racine == tmp_path / "x" / "cyclades.fichiers"
    assert depot_pour("postgresql+psycopg://dec:secret@serveur/cyclades").racine == tmp_path / "donnees" / "fichiers"
    assert depot_pour("sqlite://").racine == tmp_path / "donnees" / "fichiers"
    assert depot_pour(None).racine == tmp_path / "donnees" / "fichiers"
    monkeypatch.setenv(ENV_FICHIERS_DIR, str(tmp_path / "partage"))
    assert depot_pour(f"sqlite:///{base}").racine == tmp_path / "partage"


def test_depot_de_une_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV_FICHIERS_DIR, raising=False)
    db = Database(f"sqlite:///{tmp_path / 'cyclades.sqlite'}")
    try:
        depot = depot_de(db)
        assert depot.racine == tmp_path / "cyclades.fichiers"
        assert depot_de(db) is depot
        cle = depot.ecrire(b"%PDF-")
        assert (tmp_path / "cyclades.fichiers" / cle[:2] / cle[2:4] / cle).is_file()
    finally:
        db.dispose()
