"""Backups (services/sauvegardes): the office's backup settings and their checks, which daily backups the
rotation keeps, how program versions compare when a backup is restored, what makes a manifest valid
(an incomplete backup: the files it left out and why) and the sentences about stored files. Writing,
listing and restoring backups live in the services."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from .errors import DomainError
from .temps import PARIS, paris
from .texte import verifier_caracteres

_HEURE = re.compile(r"([01]\d|2[0-3]):[0-5]\d", re.ASCII)   # ASCII: « \d » alone takes « ١٢ »


@dataclass(frozen=True)
class ParametresSauvegarde:
    dossier: str = ""              # empty: « sauvegardes » beside the SQLite file (or the data folder)
    heure: str = "12:30"           # daily backup once this Paris time has passed (lunch break)
    quotidiennes: int = 7
    hebdomadaires: int = 4
    automatique: bool = True       # the application itself runs the daily backup (SQLite workstation)


def verifier_parametres(p: ParametresSauvegarde) -> None:
    """DomainError with the French reason when the settings cannot be saved."""
    if not _HEURE.fullmatch(p.heure):
        raise DomainError("L'heure de la sauvegarde quotidienne doit être de la forme HH:MM, par exemple 12:30.")
    if not 1 <= p.quotidiennes <= 365 or not 0 <= p.hebdomadaires <= 520:
        raise DomainError("Conservez de 1 à 365 sauvegardes quotidiennes et de 0 à 520 hebdomadaires.")
    if verifier_caracteres(p.dossier):
        raise DomainError("Le dossier des sauvegardes contient un caractère invisible ou de contrôle : "
                          "choisissez-le à nouveau.")


class Datee(Protocol):
    """What the rotation needs of a backup: where it is and when it was made (UTC)."""

    @property
    def chemin(self) -> Path: ...

    @property
    def cree_le(self) -> datetime: ...


def a_conserver(sauvegardes: Sequence[Datee], quotidiennes: int, hebdomadaires: int) -> set[Path]:
    """The newest backup of each of the last ``quotidiennes`` days that have one, then the newest of
    each of the ``hebdomadaires`` (ISO) weeks before those."""
    par_jour: dict[date, Datee] = {}
    for s in sorted(sauvegardes, key=lambda x: x.cree_le, reverse=True):
        par_jour.setdefault(paris(s.cree_le).date(), s)
    jours = sorted(par_jour, reverse=True)
    gardees = {par_jour[j].chemin for j in jours[:quotidiennes]}
    semaines: dict[tuple[int, int], Datee] = {}
    for j in jours[quotidiennes:]:
        iso = j.isocalendar()
        semaines.setdefault((iso.year, iso.week), par_jour[j])
    for cle in sorted(semaines, reverse=True)[:hebdomadaires]:
        gardees.add(semaines[cle].chemin)
    return gardees


def version_programme(texte: str) -> tuple[int, ...]:
    """« 1.4.2 », « v1.4 » → (1, 4, 2), (1, 4): comparable; (0,) when there is no number."""
    # ASCII digits, a few at most: int() refuses a number of thousands of digits.
    return tuple(int(x[:9]) for x in re.findall(r"[0-9]+", texte)[:3]) or (0,)


# --- manifests, stored files checked, incomplete backups ---------------------------------------------
# What makes a backup's manifest valid and the French sentences about a backup's files: pure decisions,
# read by services/sauvegardes (manifeste, sauvegarde, restauration, integrite) and the two front ends.

PROGRAMME = "Cyclades Desktop"
# 2: « incomplete » and « fichiers_omis » (the files left out and why). Format 1 is still read.
FORMAT_MANIFESTE = 2
FICHIER_BASE = {"sqlite": "base.sqlite", "postgresql": "base.dump"}
RIEN_MODIFIE = "Rien n'a été modifié."
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)
_NOM_SAUVEGARDE = re.compile(r"cyclades-(\d{8}-\d{6})(?:-\d+)?", re.ASCII)
# Format 1 noted a damaged file it left out only in this sentence, with the hash's first 12 digits.
_OMIS_FORMAT_1 = re.compile(r"Le fichier ([0-9a-f]{12})… du dépôt est endommagé", re.ASCII)
_TYPES = {str: "un texte", int: "un nombre entier positif ou nul", bool: "vrai ou faux (true/false)",
          dict: "un objet JSON", list: "une liste"}


class EtatFichier(StrEnum):
    """A stored file once its bytes are read and hashed again."""

    INTACT = "intact"
    ABSENT = "absent"
    ENDOMMAGE = "endommage"
    ILLISIBLE = "illisible"


MOTIFS = {
    EtatFichier.ABSENT: "absent du dépôt des pièces",
    EtatFichier.ENDOMMAGE: "endommagé (son contenu ne correspond plus à son empreinte SHA-256)",
    EtatFichier.ILLISIBLE: "illisible sur le disque",
}


def motif(etat: EtatFichier, detail: str = "") -> str:
    return MOTIFS[etat] + (f" ({detail})" if detail else "")


@dataclass(frozen=True)
class Piece:
    """Who a stored file belongs to, as the office finds it: one deposit of a pièce."""

    nom_fichier: str
    piece: str
    candidature: str               # N° candidat-NNN
    candidat: str                  # Prénoms NOM
    actif: bool = True

    @property
    def texte(self) -> str:
        remplace = ", fichier remplacé depuis" if not self.actif else ""
        return f"« {self.nom_fichier} », {self.piece}, candidature {self.candidature} de {self.candidat}{remplace}"


def texte_pieces(pieces: Sequence[str], limite: int = 3) -> str:
    reste = len(pieces) - limite
    return " ; ".join(pieces[:limite]) + (f" ; et {reste} autre(s)" if reste > 0 else "")


@dataclass(frozen=True)
class FichierOmis:
    """A stored file a backup could not hold: why, and the pièces that refer to it (French, for people)."""

    sha256: str                    # 64 hex digits; only the first 12 for a format-1 backup
    motif: str
    pieces: tuple[str, ...] = ()

    @property
    def texte(self) -> str:
        ou = f" : {texte_pieces(self.pieces)}" if self.pieces else ""
        return f"– fichier {self.sha256[:12]}…, {self.motif}{ou}"


def texte_fichier_en_defaut(sha256: str, etat: EtatFichier, detail: str, pieces: Sequence[str]) -> str:
    """One line of the integrity check: which file, what is wrong, whose pièce it is."""
    ou = (f" : {texte_pieces(pieces)}." if pieces
          else " ; aucune pièce n'y fait référence (sans effet sur les dossiers, mais le disque est à surveiller).")
    return f"Fichier déposé {sha256[:12]}… {motif(etat, detail)}{ou}"


@dataclass(frozen=True)
class Manifeste:
    """A backup's manifest once checked: every field present and of its type."""

    format: int
    version_programme: str
    revision: str
    moteur: str
    cree_le: datetime              # UTC
    quotidienne: bool
    base_fichier: str
    base_sha256: str
    tables: dict[str, int]
    fichiers: tuple[str, ...]      # the SHA-256 of each file the backup holds
    fichiers_omis: tuple[FichierOmis, ...]
    avertissements: tuple[str, ...]

    @property
    def incomplete(self) -> bool:
        return bool(self.fichiers_omis)


def manifeste_invalide(nom: str, raison: str) -> str:
    return (f"Le manifeste de la sauvegarde « {nom} » est invalide ({raison}) : cette sauvegarde ne peut pas "
            f"être restaurée. {RIEN_MODIFIE}")


def manifeste_illisible(nom: str, detail: str) -> str:
    return (f"Le manifeste de la sauvegarde « {nom} » est illisible, tronqué ou endommagé ({detail}) : cette "
            f"sauvegarde ne peut pas être restaurée. {RIEN_MODIFIE}")


class _Invalide(Exception):
    pass


def _champ(objet: dict[str, object], cle: str, type_: type, chemin: str = "") -> Any:
    nom = f"{chemin}{cle}"
    if cle not in objet:
        raise _Invalide(f"le champ « {nom} » manque")
    valeur = objet[cle]
    # bool is an int to Python; a JSON true is never a count of rows, nor a count a yes/no.
    if not isinstance(valeur, type_) or (type_ is int and (isinstance(valeur, bool) or valeur < 0)):
        raise _Invalide(f"le champ « {nom} » devrait être {_TYPES[type_]}")
    return valeur


def _sha256(objet: dict[str, object], cle: str, chemin: str) -> str:
    valeur = _champ(objet, cle, str, chemin)
    if not _SHA256.fullmatch(valeur):
        raise _Invalide(f"le champ « {chemin}{cle} » n'est pas une empreinte SHA-256 (64 chiffres hexadécimaux)")
    return str(valeur)


def _liste_d_objets(m: dict[str, object], cle: str, *, requise: bool) -> list[dict[str, object]]:
    liste = _champ(m, cle, list) if requise or cle in m else []
    for i, element in enumerate(liste, 1):
        if not isinstance(element, dict):
            raise _Invalide(f"l'élément n° {i} de « {cle} » devrait être {_TYPES[dict]}")
    return liste


def valider_manifeste(m: object, nom: str) -> Manifeste:
    """The manifest read from ``nom``'s manifeste.json, checked field by field. DomainError with the
    French reason otherwise; unknown fields are kept by the caller (the audit seal, later formats)."""
    if not isinstance(m, dict):
        raise DomainError(manifeste_invalide(nom, "son contenu n'est pas un objet JSON"))
    if m.get("programme") != PROGRAMME:
        raise DomainError(f"« {nom} » n'est pas une sauvegarde de Cyclades Desktop (son manifeste ne le dit pas). "
                          f"{RIEN_MODIFIE}")
    try:
        return _valider(m, nom)
    except _Invalide as exc:
        raise DomainError(manifeste_invalide(nom, str(exc))) from None


def _valider(m: dict[str, object], nom: str) -> Manifeste:
    fmt = _champ(m, "format", int)
    if fmt > FORMAT_MANIFESTE:
        raise DomainError(f"La sauvegarde « {nom} » a un format plus récent ({fmt}) que celui que lit cette version "
                          f"de Cyclades Desktop : installez la dernière version du programme. {RIEN_MODIFIE}")
    moteur = _champ(m, "moteur", str)
    if moteur not in FICHIER_BASE:
        raise _Invalide(f"moteur de base « {moteur[:40]} » inconnu")
    try:
        cree_le = datetime.fromisoformat(_champ(m, "cree_le_utc", str))
    except ValueError:
        cree_le = None
    if cree_le is None or cree_le.tzinfo is None:
        raise _Invalide("le champ « cree_le_utc » n'est pas une date et heure ISO 8601 avec son fuseau horaire")
    base = _champ(m, "base", dict)
    if _champ(base, "fichier", str, "base.") != FICHIER_BASE[moteur]:
        # Never a path of the manifest's choosing (« ../../ailleurs »): the one name each engine writes.
        raise _Invalide(f"le champ « base.fichier » devrait valoir « {FICHIER_BASE[moteur]} » pour une base {moteur}")
    tables = _champ(m, "tables", dict)
    for table in tables:
        _champ(tables, table, int, "tables.")
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", table, re.ASCII):
            raise _Invalide(f"« {table[:40]} » n'est pas un nom de table")
    fichiers = tuple(_sha256(f, "sha256", f"fichiers[{i}].") for i, f in enumerate(_liste_d_objets(m, "fichiers", requise=True), 1))
    omis = [FichierOmis(_sha256(f, "sha256", f"fichiers_omis[{i}]."), _champ(f, "motif", str, f"fichiers_omis[{i}]."),
                        tuple(str(p) for p in (f.get("pieces") if isinstance(f.get("pieces"), list) else [])))
            for i, f in enumerate(_liste_d_objets(m, "fichiers_omis", requise=False), 1)]
    avertissements = _champ(m, "avertissements", list) if "avertissements" in m else []
    if not all(isinstance(a, str) for a in avertissements):
        raise _Invalide("le champ « avertissements » devrait être une liste de textes")
    if fmt == 1:
        omis += [FichierOmis(x, MOTIFS[EtatFichier.ENDOMMAGE]) for a in avertissements
                 for x in _OMIS_FORMAT_1.findall(a)]
    if "incomplete" in m and _champ(m, "incomplete", bool) and not omis:
        raise _Invalide("il dit la sauvegarde incomplète sans nommer les fichiers omis")
    return Manifeste(format=fmt, version_programme=_champ(m, "version_programme", str),
                     revision=_champ(m, "revision_schema", str), moteur=moteur, cree_le=cree_le.astimezone(UTC),
                     quotidienne=_champ(m, "quotidienne", bool), base_fichier=FICHIER_BASE[moteur],
                     base_sha256=_sha256(base, "sha256", "base."), tables=dict(tables), fichiers=fichiers,
                     fichiers_omis=tuple(omis), avertissements=tuple(avertissements))


def date_du_nom(nom: str) -> datetime | None:
    """« cyclades-20241110-110000 » → that Paris time in UTC: a backup whose manifest is unreadable is
    still listed, at its date."""
    trouve = _NOM_SAUVEGARDE.fullmatch(nom)
    if trouve is None:
        return None
    try:
        return datetime.strptime(trouve.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=PARIS).astimezone(UTC)
    except ValueError:
        return None


def texte_incomplete(libelle: str, omis: Sequence[FichierOmis], limite: int = 10) -> str:
    """Why restoring this backup needs a confirmation of its own: the files it lacks and whose they are."""
    n = len(omis)
    if n == 1:
        tete = ("1 fichier déposé n'a pas pu y être copié : restaurée, la base citera ce fichier sans qu'il soit "
                "dans le dépôt des pièces (la pièce devra être redemandée au candidat).")
    else:
        tete = (f"{n} fichiers déposés n'ont pas pu y être copiés : restaurée, la base citera ces fichiers sans "
                "qu'ils soient dans le dépôt des pièces (les pièces devront être redemandées aux candidats).")
    lignes = [f"La sauvegarde du {libelle} est incomplète. {tete}", *(f.texte for f in omis[:limite])]
    if n > limite:
        lignes.append(f"… et {n - limite} autre(s).")
    return "\n".join(lignes)


def texte_manquants(omis: Sequence[FichierOmis], limite: int = 10) -> str:
    """After an incomplete backup was restored: the files the base cites that the store lacks."""
    n = len(omis)
    tete = ("1 fichier cité par la base restaurée manque dans le dépôt des pièces :" if n == 1 else
            f"{n} fichiers cités par la base restaurée manquent dans le dépôt des pièces :")
    return "\n".join([tete, *(f.texte for f in omis[:limite]), *([f"… et {n - limite} autre(s)."] if n > limite
                                                                 else [])])
