"""The file store's files read again and hashed (the name of a stored file is its SHA-256), and whose
pièces they are: what the integrity check, a backup leaving a file out and a restore report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ...models import Candidature, CompteCandidat, FichierJustificatif, Justificatif
from ...rules.sauvegardes import EtatFichier, Piece, motif
from ...storage.fichiers import TAILLE_BLOC, Depot, SourceIllisible, empreinte_par_blocs

Progression = Callable[[int, int], None]
Annule = Callable[[], bool]
_LOT = 500   # hashes per IN (…): under SQLite's limit on bound parameters


@dataclass
class ControleFichiers:
    total: int
    controles: int = 0
    en_defaut: list[tuple[str, EtatFichier, str]] = field(default_factory=list)   # (hash, state, reason)
    interrompu: bool = False


def controler_fichiers(depot: Depot, hashes: Sequence[str], *, progression: Progression | None = None,
                       annule: Annule | None = None) -> ControleFichiers:
    """Every file read and hashed again, one buffer for all (flat memory); ``annule`` is asked
    between two files, and what was checked before a stop is still reported."""
    r = ControleFichiers(total=len(hashes))
    tampon = bytearray(TAILLE_BLOC)
    for i, h in enumerate(hashes, 1):
        if annule is not None and annule():
            r.interrompu = True
            break
        etat, detail = depot.controler(h, tampon)
        if etat is not EtatFichier.INTACT:
            r.en_defaut.append((h, etat, detail))
        r.controles = i
        if progression is not None:
            progression(i, r.total)
    return r


def hashes_references(lecture: Connection | Session) -> set[str]:
    """The files the database refers to (deposits still current and replaced ones alike)."""
    return {h.lower() for h in lecture.scalars(select(FichierJustificatif.sha256).distinct()) if h}


def pieces_des_fichiers(lecture: Connection | Session, hashes: Iterable[str]) -> dict[str, list[str]]:
    """For each hash, the deposits that refer to it, described for the office (file name, pièce,
    candidature, candidate)."""
    q = (select(FichierJustificatif.sha256, FichierJustificatif.nom_original, FichierJustificatif.actif,
                Justificatif.libelle, CompteCandidat.numero_candidat, Candidature.numero_inscription,
                CompteCandidat.prenoms, CompteCandidat.nom)
         .join(Justificatif, Justificatif.id == FichierJustificatif.justificatif_id)
         .join(Candidature, Candidature.id == Justificatif.candidature_id)
         .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
         .order_by(FichierJustificatif.sha256, FichierJustificatif.id))
    liste = sorted(set(hashes))
    resultat: dict[str, list[str]] = {}
    for debut in range(0, len(liste), _LOT):
        for h, nom, actif, piece, numero, inscription, prenoms, nom_famille in lecture.execute(
                q.where(FichierJustificatif.sha256.in_(liste[debut:debut + _LOT]))):
            p = Piece(nom_fichier=nom, piece=piece, candidature=f"{numero}-{inscription}",
                      candidat=f"{prenoms} {nom_famille}", actif=bool(actif))
            resultat.setdefault(h, []).append(p.texte)
    return resultat


@dataclass
class CopieDepot:
    fichiers: list[dict[str, object]] = field(default_factory=list)   # the manifest's « fichiers »
    omis: list[tuple[str, EtatFichier, str]] = field(default_factory=list)   # cited by the base, not copied
    avertissements: list[str] = field(default_factory=list)


def copier_depot(depot: Depot, dossier: Path, references: set[str], *,
                 progression: Progression | None = None) -> CopieDepot:
    """Copy the store into ``dossier/fichiers`` (same layout), each file read once and hashed as it is
    copied. A file the base cites that cannot be copied intact (damaged, unreadable, missing) is left
    out and noted: the backup is then incomplete. A write error (full disk) stays an OSError."""
    r = CopieDepot()
    tampon = bytearray(TAILLE_BLOC)
    hashes = depot.hashes()

    def laisser(h: str, etat: EtatFichier, detail: str = "") -> None:
        if h in references:
            r.omis.append((h, etat, detail))
        elif etat is not EtatFichier.ABSENT:   # absent and cited by nothing: an orphan swept meanwhile
            r.avertissements.append(f"Le fichier {h[:12]}…, cité par aucune pièce, est {motif(etat, detail)} : "
                                    "il n'a pas été sauvegardé.")

    for i, h in enumerate(hashes, 1):
        destination = dossier / "fichiers" / h[:2] / h[2:4] / h
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(destination, "wb") as copie:
                empreinte = empreinte_par_blocs(depot.chemin(h), tampon, copie)
        except SourceIllisible as exc:
            destination.unlink(missing_ok=True)
            laisser(h, EtatFichier.ABSENT if exc.absent else EtatFichier.ILLISIBLE,
                    "" if exc.absent else exc.erreur.strerror or str(exc.erreur))
        else:
            if empreinte == h:
                r.fichiers.append({"sha256": h, "taille": destination.stat().st_size})
            else:
                destination.unlink()
                laisser(h, EtatFichier.ENDOMMAGE)
        if progression is not None:
            progression(i, len(hashes))
    for h in sorted(references.difference(hashes)):
        laisser(h, EtatFichier.ABSENT)
    return r
