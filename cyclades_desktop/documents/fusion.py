"""Concatenating PDFs without holding the result in memory (batch printing of 20,000 documents).

pypdf's PdfWriter keeps every copied object until ``write``: 20,000 documents would sit in memory at
once. Here each source is read on its own, its objects reachable from its pages are renumbered and
written straight to the output, and only their offsets are kept; the page tree, the catalog and the
cross-reference table are written at the end. Memory stays that of one source file, whatever the count.

Objects 1 (catalog) and 2 (page tree) are reserved up front so that each copied page can point to its
parent before the page tree exists.

Our own PDFs (reportlab: a classic cross-reference table, no object streams) take a raw path: each
object's bytes are copied and only the references in its dictionary renumbered, 20,000 pages in a few
seconds. Anything else goes through pypdf's objects (slower, about 1 ms per object)."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

_CATALOGUE = 1
_ARBRE = 2
# Inheritable page attributes (ISO 32000 §7.7.3.4): pypdf's page list already copies them onto each
# page, so a page taken out of its tree keeps its size and resources.
_HERITES = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class _Ref(PdfObject):
    """A reference in the output's numbering (pypdf's IndirectObject wants a reader behind it)."""

    def __init__(self, numero: int) -> None:
        self.numero = numero

    def write_to_stream(self, stream: BinaryIO, encryption_key: object = None) -> None:  # type: ignore[override]
        stream.write(f"{self.numero} 0 R".encode())


class FusionPdf:
    """``with FusionPdf(f) as fusion: fusion.ajouter(chemin)…``: ``f`` is a binary file open for writing."""

    def __init__(self, sortie: BinaryIO, *, brut: bool = True) -> None:
        self.sortie = sortie
        self.brut = brut
        self._debut = sortie.tell()
        self._decalages: dict[int, int] = {}
        self._prochain = _ARBRE + 1
        self._pages: list[int] = []
        self._ecrire(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def __enter__(self) -> FusionPdf:
        return self

    def __exit__(self, type_exc: object, exc: object, tb: object) -> None:
        if exc is None:
            self.terminer()

    @property
    def pages(self) -> int:
        return len(self._pages)

    def _ecrire(self, octets: bytes) -> None:
        self.sortie.write(octets)

    def _position(self) -> int:
        return self.sortie.tell() - self._debut

    def ajouter(self, source: str | Path | bytes) -> int:
        """Append every page of ``source`` (a path or the PDF's bytes); returns how many."""
        donnees = source if isinstance(source, bytes) else Path(source).read_bytes()
        lecteur = PdfReader(BytesIO(donnees))
        if self.brut and not lecteur.xref_objStm:
            n = _CopieBrute(donnees, lecteur).copier(self)
            if n is not None:
                return n
        return self._ajouter_objets(lecteur)

    def _ajouter_objets(self, lecteur: PdfReader) -> int:
        """Through pypdf's objects: any PDF, about 1 ms per object."""
        numeros: dict[tuple[int, int], int] = {}
        a_copier: list[tuple[IndirectObject, int]] = []

        def numero(ref: IndirectObject) -> int:
            cle = (ref.idnum, ref.generation)
            if cle not in numeros:
                cible = ref.get_object()
                # A link to a source's page tree (from a form field, say) would drag the whole source
                # in: it points to the output's tree instead.
                if isinstance(cible, DictionaryObject) and cible.get("/Type") == "/Pages":
                    return _ARBRE
                numeros[cle] = self._prochain
                self._prochain += 1
                a_copier.append((ref, numeros[cle]))
            return numeros[cle]

        def traduire(objet: PdfObject) -> PdfObject:
            if isinstance(objet, IndirectObject):
                return _Ref(numero(objet))
            if isinstance(objet, DictionaryObject):
                copie = StreamObject() if isinstance(objet, StreamObject) else DictionaryObject()
                for cle, valeur in objet.items():
                    if cle != "/Length":         # rewritten from the copied bytes
                        copie[NameObject(cle)] = traduire(valeur)
                if isinstance(objet, StreamObject):
                    copie._data = objet._data     # raw (still encoded) bytes, copied as they are
                return copie
            if isinstance(objet, ArrayObject):
                return ArrayObject(traduire(x) for x in objet)
            return objet

        ajoutees = 0
        for page in lecteur.pages:
            ref = page.indirect_reference
            assert ref is not None
            cle = (ref.idnum, ref.generation)
            nouveau = numeros.setdefault(cle, self._prochain)
            if nouveau == self._prochain:
                self._prochain += 1
            copie = DictionaryObject()
            for k, v in page.items():
                if k != "/Parent":
                    copie[NameObject(k)] = traduire(v)
            for k in _HERITES:
                if k not in copie and k in page:
                    copie[NameObject(k)] = traduire(page[k])
            copie[NameObject("/Parent")] = _Ref(_ARBRE)
            self._objet(nouveau, copie)
            self._pages.append(nouveau)
            ajoutees += 1
            # Everything this page reaches, breadth first, each object once per source.
            while a_copier:
                ref_objet, num = a_copier.pop()
                self._objet(num, traduire(ref_objet.get_object()))
        return ajoutees

    def _objet(self, numero: int, objet: PdfObject) -> None:
        self._decalages[numero] = self._position()
        tampon = BytesIO()
        tampon.write(f"{numero} 0 obj\n".encode())
        objet.write_to_stream(tampon)
        tampon.write(b"\nendobj\n")
        self._ecrire(tampon.getvalue())

    def terminer(self) -> None:
        """The page tree, the catalog, the cross-reference table and the trailer."""
        kids = b" ".join(f"{n} 0 R".encode() for n in self._pages)
        self._decalages[_ARBRE] = self._position()
        self._ecrire(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [ " % (_ARBRE, len(self._pages))
                     + kids + b" ] >>\nendobj\n")
        self._decalages[_CATALOGUE] = self._position()
        self._ecrire(b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (_CATALOGUE, _ARBRE))
        xref = self._position()
        taille = self._prochain
        lignes = [b"xref\n0 %d\n" % taille, b"0000000000 65535 f \n"]
        for n in range(1, taille):
            d = self._decalages.get(n)
            lignes.append(b"%010d 00000 n \n" % d if d is not None else b"0000000000 65535 f \n")
        lignes.append(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (taille, _CATALOGUE, xref))
        self._ecrire(b"".join(lignes))


_REF = re.compile(rb"(\d+)\s+(\d+)\s+R(?![A-Za-z0-9_])")
_ENTETE = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_LONGUEUR = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R(?![A-Za-z0-9_]))?")
_FIN_LIGNE = re.compile(rb"stream\r?\n")


class _CopieBrute:
    """The fast path for our own documents (reportlab: classic xref table, no object streams): each
    object's bytes are copied as they are, only the « N G R » references of its dictionary renumbered.
    20 times faster than going through pypdf's objects. Returns None (and writes nothing) when the
    source does not fit, and the caller takes the general path."""

    def __init__(self, donnees: bytes, lecteur: PdfReader) -> None:
        self.donnees, self.lecteur = donnees, lecteur
        self._lus: dict[int, tuple[bytes, bytes | None] | None] = {}
        self._liste_pages: list[int] | None = None
        self.decalages: dict[int, int] = {}
        for gen in lecteur.xref.values():
            for num, off in gen.items():
                self.decalages.setdefault(num, off)

    def _brut(self, num: int) -> tuple[bytes, bytes | None] | None:
        """(dictionary part, stream bytes or None) of object ``num``."""
        if num not in self._lus:
            self._lus[num] = self._lire(num)
        return self._lus[num]

    def _lire(self, num: int) -> tuple[bytes, bytes | None] | None:
        off = self.decalages.get(num)
        if off is None:
            return None
        m = _ENTETE.match(self.donnees, off)
        if m is None or int(m.group(1)) != num:
            return None
        debut = m.end()
        fin = self.donnees.find(b"endobj", debut)
        flux = self.donnees.find(b"stream", debut, fin if fin != -1 else len(self.donnees))
        if fin == -1:
            return None
        if flux == -1:
            return self.donnees[debut:fin], None
        entete = self.donnees[debut:flux]
        lg = _LONGUEUR.search(entete)
        if lg is None:
            return None
        longueur = int(lg.group(1))
        if lg.group(2) is not None:             # /Length 12 0 R: the number is in its own object
            cible = self._brut(longueur)
            if cible is None or not cible[0].strip().isdigit():
                return None
            longueur = int(cible[0].strip())
        eol = _FIN_LIGNE.match(self.donnees, flux)
        if eol is None:
            return None
        return entete, self.donnees[eol.end():eol.end() + longueur]

    def _pages(self) -> list[int] | None:
        """The page objects in order, walking the page tree on the raw bytes (pypdf's page list parses
        every page dictionary: 80 % of the time)."""
        if self._liste_pages is None:
            self._liste_pages = self._arbre()
        return self._liste_pages

    def _arbre(self) -> list[int] | None:
        racine = self.lecteur.trailer.raw_get("/Root")
        catalogue = self._brut(racine.idnum) if isinstance(racine, IndirectObject) else None
        m = re.search(rb"/Pages\s+(\d+)\s+\d+\s+R", catalogue[0]) if catalogue else None
        if m is None:
            return None
        pages: list[int] = []
        pile = [int(m.group(1))]
        vus: set[int] = set()
        while pile:
            num = pile.pop()
            brut = self._brut(num)
            if brut is None or num in vus:
                return None
            vus.add(num)
            if re.search(rb"/Type\s*/Pages\b", brut[0]):
                kids = re.search(rb"/Kids\s*\[([^\]]*)\]", brut[0])
                if kids is None:
                    return None
                pile.extend(reversed([int(x.group(1)) for x in _REF.finditer(kids.group(1))]))
            elif b"/MediaBox" in brut[0] and b"/Resources" in brut[0]:
                pages.append(num)
            else:
                return None          # an inherited attribute would be lost by a raw copy
        return pages

    def copier(self, f: FusionPdf, rangs: range | None = None) -> int | None:
        """Append the source's pages (those at ``rangs``, by default all) to ``f``."""
        toutes = self._pages()
        if toutes is None:
            return None
        pages = toutes if rangs is None else toutes[rangs.start:rangs.stop]
        # Everything is read and checked before anything is written.
        numeros: dict[int, int] = {}
        arbres: set[int] = set()
        objets: dict[int, tuple[bytes, bytes | None]] = {}
        a_voir = list(pages)
        while a_voir:
            num = a_voir.pop()
            if num in objets or num in arbres:
                continue
            brut = self._brut(num)
            if brut is None:
                return None
            if re.search(rb"/Type\s*/Pages\b", brut[0]):
                arbres.add(num)                # the source's page tree: replaced by the output's
                continue
            objets[num] = brut
            dictionnaire = brut[0]
            if num in pages:
                dictionnaire = re.sub(rb"/Parent\s+\d+\s+\d+\s+R", b"", dictionnaire)
            a_voir.extend(int(x.group(1)) for x in _REF.finditer(dictionnaire))
        for num in pages:
            numeros[num] = f._prochain
            f._prochain += 1
        for num in objets:
            if num not in numeros:
                numeros[num] = f._prochain
                f._prochain += 1

        def renumeroter(m: re.Match[bytes]) -> bytes:
            ancien = int(m.group(1))
            return b"%d 0 R" % (_ARBRE if ancien in arbres else numeros.get(ancien, 0))

        for num, (dictionnaire, flux) in objets.items():
            nouveau = numeros[num]
            if num in pages:
                dictionnaire = re.sub(rb"/Parent\s+\d+\s+\d+\s+R", b"", dictionnaire)
                dictionnaire = dictionnaire.replace(b"/Type /Page", b"/Parent 2 0 R /Type /Page", 1) \
                    if b"/Type /Page" in dictionnaire else dictionnaire.replace(b"<<", b"<< /Parent 2 0 R", 1)
            dictionnaire = _REF.sub(renumeroter, dictionnaire)
            f._decalages[nouveau] = f._position()
            if flux is None:
                f._ecrire(b"%d 0 obj" % nouveau + dictionnaire + b"endobj\n")
            else:
                dictionnaire = _LONGUEUR.sub(b"/Length %d" % len(flux), dictionnaire, count=1)
                f._ecrire(b"%d 0 obj" % nouveau + dictionnaire + b"stream\n" + flux + b"\nendstream\nendobj\n")
        f._pages.extend(numeros[n] for n in pages)
        return len(pages)


def decouper(contenu: bytes, pages_par_document: list[int]) -> list[bytes] | None:
    """One PDF cut into consecutive standalone documents of the given page counts, each with the
    objects its pages use (fonts included): a chunk drawn on one canvas becomes one file per
    candidature at the speed of the merged output. None when the source does not fit the raw path."""
    lecteur = PdfReader(BytesIO(contenu))
    if lecteur.xref_objStm:
        return None
    copie = _CopieBrute(contenu, lecteur)
    sorties: list[bytes] = []
    debut = 0
    for n in pages_par_document:
        tampon = BytesIO()
        f = FusionPdf(tampon)
        if copie.copier(f, range(debut, debut + n)) != n:
            return None
        f.terminer()
        sorties.append(tampon.getvalue())
        debut += n
    return sorties


def nombre_pages(contenu: bytes) -> int:
    return len(PdfReader(BytesIO(contenu)).pages)
