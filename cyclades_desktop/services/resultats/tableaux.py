"""Reading the grade files the établissements send (CCF): CSV with « ; » in UTF-8, with or without its BOM,
or in Windows-1252 / Latin-1 as older spreadsheets save it; or an Excel workbook (.xlsx, first sheet).
What cannot be read becomes one French sentence saying how to save the file instead."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ...rules.texte import sans_accents

TAILLE_MAX = 10 * 1024 * 1024
LIGNES_MAX = 50_000
COLONNES_MAX = 50
ENREGISTRER = "enregistrez-le depuis le tableur en « CSV (séparateur : point-virgule) » ou en classeur .xlsx"


class FichierIllisible(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Tableau:
    encodage: str                              # « UTF-8 », « Windows-1252 (Latin-1) », « classeur Excel (.xlsx) »
    lignes: tuple[tuple[int, tuple[str, ...]], ...]     # (line number in the file, cells), header first


def cle_colonne(texte: str) -> str:
    """« N° candidat » → « n candidat », « Numéro d'anonymat » → « numero d anonymat »."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", sans_accents(texte).lower()).split())


def _csv(contenu: bytes) -> Tableau:
    if contenu[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in contenu[:4096]:
        raise FichierIllisible("Ce fichier est enregistré en UTF-16 (« Texte Unicode ») : " + ENREGISTRER + ".")
    brut = contenu[3:] if contenu.startswith(b"\xef\xbb\xbf") else contenu
    try:
        texte, encodage = brut.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        try:
            texte, encodage = brut.decode("cp1252"), "Windows-1252 (Latin-1)"
        except UnicodeDecodeError:
            texte, encodage = brut.decode("latin-1"), "Latin-1 (ISO-8859-1)"
    if any(c in texte for c in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"):
        raise FichierIllisible("Ce fichier n'est pas un tableau de texte (CSV) : " + ENREGISTRER + ".")
    lignes = []
    try:
        for i, cellules in enumerate(csv.reader(io.StringIO(texte, newline=""), delimiter=";"), start=1):
            if i > LIGNES_MAX:
                raise FichierIllisible(f"Le fichier dépasse {LIGNES_MAX} lignes : découpez-le.")
            lignes.append((i, tuple(c.strip() for c in cellules[:COLONNES_MAX])))
    except csv.Error as exc:
        raise FichierIllisible(f"Ce CSV est mal formé (guillemets non fermés ?) : {ENREGISTRER}.") from exc
    entete = next((c for _, c in lignes if any(c)), ())
    if len(entete) == 1 and any(sep in entete[0] for sep in (",", "\t")):
        raise FichierIllisible("Les colonnes doivent être séparées par des points-virgules (;) : ce fichier semble "
                               "séparé par des virgules ou des tabulations ; " + ENREGISTRER + ".")
    return Tableau(encodage, tuple(lignes))


def _cellule(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        # A grade typed 12,5 is the float 12.5; repr gives the shortest text that reads back the same.
        return repr(v) if not v.is_integer() else str(int(v))
    if isinstance(v, int | Decimal):
        return str(v)
    if isinstance(v, datetime | date):
        return v.strftime("%d/%m/%Y")
    return str(v).strip()


def _xlsx(contenu: bytes) -> Tableau:
    from openpyxl import load_workbook  # only an import needs it: kept out of start-up

    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FichierIllisible("Ce classeur Excel est illisible ou endommagé : ouvrez-le dans le tableur, puis "
                               + ENREGISTRER + ".") from exc
    try:
        feuille = classeur.worksheets[0]
        lignes = []
        for i, valeurs in enumerate(feuille.iter_rows(values_only=True), start=1):
            if i > LIGNES_MAX:
                raise FichierIllisible(f"Le classeur dépasse {LIGNES_MAX} lignes : découpez-le.")
            lignes.append((i, tuple(_cellule(v) for v in valeurs[:COLONNES_MAX])))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FichierIllisible("Ce classeur Excel est illisible ou endommagé.") from exc
    finally:
        classeur.close()
    return Tableau("classeur Excel (.xlsx)", tuple(lignes))


def lire_tableau(contenu: bytes, nom_fichier: str) -> Tableau:
    if not contenu.strip():
        raise FichierIllisible("Le fichier est vide.")
    if len(contenu) > TAILLE_MAX:
        raise FichierIllisible(f"Le fichier dépasse {TAILLE_MAX // (1024 * 1024)} Mo : découpez-le.")
    if contenu.startswith(b"\xd0\xcf\x11\xe0"):
        raise FichierIllisible("Le format .xls (Excel 97-2003) n'est pas lu : " + ENREGISTRER + ".")
    if contenu.startswith(b"PK\x03\x04"):
        return _xlsx(contenu)
    if nom_fichier.lower().endswith((".xlsx", ".xlsm")):
        raise FichierIllisible("Ce fichier porte l'extension .xlsx mais n'est pas un classeur Excel : "
                               + ENREGISTRER + ".")
    if contenu.startswith(b"%PDF"):
        raise FichierIllisible("Ce fichier est un PDF : " + ENREGISTRER + ".")
    return _csv(contenu)
