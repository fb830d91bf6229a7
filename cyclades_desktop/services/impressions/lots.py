"""Batch printing: convocations, récapitulatifs or relances for a selection or a whole
session, into one merged PDF or one file per candidature in a folder.

A batch is a :class:`Lot` whose :class:`LotElement` rows are written when it is created, in print
order. Chunks of elements are rendered in worker processes (``spawn``, one per core, each with its
own database connection: see ``travail``); the main process writes each chunk's output to
a temporary name, syncs it, renames it, then marks the chunk's elements ``fait`` in one transaction.
So, whether the batch is cancelled or the program killed, the elements marked done have their output
on disk and the others have none (a restart removes any output of an unmarked element). « Reprendre »
renders only what is not done. In merged mode each chunk is kept as its own file beside the target
(its name stored on its elements) and the merged PDF is assembled from those files only at the end,
by a streaming concatenation whose memory does not grow with the count."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ...models import Candidature, CompteCandidat
from ...models.lot import Lot, LotElement
from ...rules.errors import DomainError, NotFound
from ...rules.impressions import EtatLot
from ...rules.inscriptions import ETATS_ACTIFS
from ...rules.texte import verifier_caracteres
from ...storage.fichiers import fsync_dossier
from ..noyau import Contexte, P, audit, exiger
from .travail import (
    CONVOCATIONS,
    RECAPITULATIFS,
    RELANCES,
    ElementATraiter,
    MorceauRendu,
    nom_fichier,
    rendre_morceau,
)

__all__ = ["CONVOCATIONS", "RECAPITULATIFS", "RELANCES"]

TYPES = {
    CONVOCATIONS: "Convocations aux épreuves",
    RECAPITULATIFS: "Récapitulatifs de candidature",
    RELANCES: "Relances de pièces justificatives",
}
FICHIER_UNIQUE = "fichier"
DOSSIER = "dossier"
MODES = {FICHIER_UNIQUE: "Un seul fichier PDF", DOSSIER: "Un fichier par candidature dans un dossier"}
# ~250 documents: a few seconds of work per chunk (cancel answers quickly, progress moves), few enough
# chunk files for the final merge, and a chunk's bytes stay a few MB in memory.
TAILLE_MORCEAU = 250
PREFIXE_TEMPORAIRE = ".ecriture-"


@dataclass(frozen=True)
class RapportLot:
    lot_id: int
    type: str
    mode: str
    sortie: str
    total: int
    faits: int                      # elements processed (done or in error)
    pages: int
    erreurs: tuple[str, ...]        # « N° candidat-inscription : raison »
    etat: str

    @property
    def termine(self) -> bool:
        return self.etat == EtatLot.TERMINE

    @property
    def restants(self) -> int:
        return self.total - self.faits


@dataclass(frozen=True)
class LotInacheve:
    id: int
    type: str
    mode: str
    sortie: str
    total: int
    faits: int
    cree_le: datetime
    cree_par: str

    @property
    def libelle(self) -> str:
        return f"Lot n° {self.id} — {TYPES.get(self.type, self.type)} — {nombre(self.faits)} / {nombre(self.total)}"


def nombre(n: int) -> str:
    """« 20 000 »: thousands separated by a no-break space, as French typography wants."""
    return f"{n:,}".replace(",", "\u00a0")


def texte_rapport(r: RapportLot) -> str:
    """« 20 000 documents, 21 500 pages ; 3 en erreur. » / « … interrompu : 1 250 / 20 000 documents. »"""
    faits_ok = r.faits - len(r.erreurs)
    texte = (f"{nombre(faits_ok)} document{'s' if faits_ok > 1 else ''}, "
             f"{nombre(r.pages)} page{'s' if r.pages > 1 else ''}")
    if r.erreurs:
        texte += f" ; {nombre(len(r.erreurs))} en erreur"
    if r.etat == EtatLot.EN_COURS:
        texte += f" ; interrompu à {nombre(r.faits)} / {nombre(r.total)} : le lot n° {r.lot_id} peut être repris"
    elif r.etat == EtatLot.ANNULE:
        texte += " ; lot abandonné"
    return texte + "."


# --- choosing what to print -------------------------------------------------------------------------

def candidatures_du_perimetre(ctx: Contexte, session_id: int, domaine: str | None = None,
                              specialite_id: str | None = None) -> list[int]:
    """Active candidatures of a session (optionally one examen or spécialité), in alphabetical order."""
    exiger(ctx, P.IMPRESSIONS)
    q = (select(Candidature.id).join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
         .where(Candidature.session_id == session_id, Candidature.etat.in_(ETATS_ACTIFS))
         .order_by(CompteCandidat.nom, CompteCandidat.prenoms, Candidature.id))
    if domaine:
        q = q.where(Candidature.domaine_code == domaine)
    if specialite_id:
        q = q.where(Candidature.specialite_id == specialite_id)
    with ctx.lecture() as s:
        return list(s.scalars(q))


def _verifier_sortie(mode: str, sortie: str) -> Path:
    if not sortie.strip():
        raise DomainError("Choisissez le fichier ou le dossier où écrire les documents.")
    if verifier_caracteres(sortie):  # a NUL makes every file call fail; no real path holds one
        raise DomainError("Le chemin de sortie contient un caractère invisible ou de contrôle : choisissez-le "
                          "avec « Choisir… ».")
    chemin = Path(sortie).expanduser()
    dossier = chemin if mode == DOSSIER else chemin.parent
    if mode == FICHIER_UNIQUE and chemin.is_dir():
        raise DomainError(f"« {chemin} » est un dossier : choisissez un nom de fichier PDF.")
    try:
        dossier.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DomainError(f"Le dossier « {dossier} » n'a pas pu être créé ({exc.strerror or exc}).") from exc
    if not os.access(dossier, os.W_OK):
        raise DomainError(f"Vous n'avez pas le droit d'écrire dans le dossier « {dossier} ».")
    if mode == FICHIER_UNIQUE and chemin.suffix.lower() != ".pdf":
        chemin = chemin.with_name(chemin.name + ".pdf")
    return chemin


def creer_lot(ctx: Contexte, type_lot: str, candidature_ids: list[int], *, mode: str, sortie: str,
              perimetre: str = "") -> int:
    """Write the batch and its elements (in this order, without duplicates); nothing is rendered yet."""
    exiger(ctx, P.IMPRESSIONS)
    if type_lot not in TYPES:
        raise DomainError(f"Type de document inconnu : {type_lot}.")
    if mode not in MODES:
        raise DomainError(f"Mode de sortie inconnu : {mode}.")
    ids = list(dict.fromkeys(candidature_ids))
    if not ids:
        raise DomainError("Aucune candidature à imprimer : la sélection est vide.")
    chemin = _verifier_sortie(mode, sortie)
    agent = ctx.agent.login if ctx.agent else "système"
    with ctx.transaction() as s:
        lot = Lot(type=type_lot, parametres={"mode": mode, "perimetre": perimetre}, sortie=str(chemin),
                  etat=EtatLot.EN_COURS, total=len(ids), cree_le=ctx.clock.now(), cree_par=agent)
        s.add(lot)
        s.flush()
        # Core bulk insert: 20,000 elements in one statement batch, not 20,000 ORM objects.
        s.execute(insert(LotElement), [{"lot_id": lot.id, "ordre": i, "candidature_id": cid, "fait": False,
                                        "pages": 0} for i, cid in enumerate(ids)])
        audit.enregistrer(s, ctx, "lot_impression", "lot", lot.id,
                          libelle=f"Lot d'impression n° {lot.id} : {TYPES[type_lot]} ({len(ids)})",
                          apres={"type": type_lot, "mode": mode, "sortie": str(chemin), "total": len(ids),
                                 "perimetre": perimetre})
        return lot.id


def _lot(s: Session, lot_id: int) -> Lot:
    lot = s.get(Lot, lot_id)
    if lot is None or lot.type not in TYPES:
        raise NotFound(f"Le lot d'impression n° {lot_id} n'existe pas.")
    return lot


def _mode(lot: Lot) -> str:
    return str((lot.parametres or {}).get("mode", FICHIER_UNIQUE))


def dossier_morceaux(sortie: str | Path, lot_id: int) -> Path:
    """Where a merged batch keeps its chunk files: beside the target, so renames stay atomic."""
    p = Path(sortie)
    return p.parent / f".{p.stem}.lot-{lot_id}"


# --- running --------------------------------------------------------------------------------------

def executer(ctx: Contexte, lot_id: int, *, progression: Callable[[int, int], None] | None = None,
             annule: Callable[[], bool] | None = None, processus: int | None = None,
             taille_morceau: int = TAILLE_MORCEAU) -> RapportLot:
    """Render what is not done yet, chunk by chunk; assemble the merged PDF once everything is done.
    ``annule`` is asked between chunks: what is done stays done and « Reprendre » goes on from there.
    ``processus``: worker processes (default: one per core; 0 renders in this process)."""
    exiger(ctx, P.IMPRESSIONS)
    with ctx.lecture() as s:
        lot = _lot(s, lot_id)
        if lot.etat != EtatLot.EN_COURS:
            raise DomainError(f"Le lot n° {lot_id} est {'terminé' if lot.etat == EtatLot.TERMINE else 'abandonné'} : "
                              "il ne peut pas être repris.")
        type_lot, mode, sortie, total = lot.type, _mode(lot), Path(lot.sortie or ""), lot.total
        a_faire = [ElementATraiter(i, o, c) for i, o, c in s.execute(
            select(LotElement.id, LotElement.ordre, LotElement.candidature_id)
            .where(LotElement.lot_id == lot_id, LotElement.fait.is_(False), LotElement.candidature_id.is_not(None))
            .order_by(LotElement.ordre))]
        faits = total - len(a_faire)
    _nettoyer(ctx, lot_id, mode, sortie)
    fusion = mode == FICHIER_UNIQUE
    if fusion:
        dossier_morceaux(sortie, lot_id).mkdir(parents=True, exist_ok=True)
    morceaux = [a_faire[i:i + taille_morceau] for i in range(0, len(a_faire), taille_morceau)]
    if progression is not None:
        progression(faits, total)

    def recevoir(m: MorceauRendu) -> None:
        nonlocal faits
        _enregistrer_morceau(ctx, lot_id, mode, sortie, m)
        faits += len(m.elements)
        if progression is not None:
            progression(faits, total)

    n = (os.cpu_count() or 1) if processus is None else processus
    url = ctx.db.url.render_as_string(hide_password=False)
    interrompu = False
    try:
        if n <= 0 or len(morceaux) <= 1:
            # One chunk: starting processes would cost more than it saves.
            for i, m in enumerate(morceaux):
                recevoir(rendre_morceau(url, type_lot, fusion, m))
                if annule is not None and annule() and i < len(morceaux) - 1:
                    interrompu = True
                    break
        else:
            interrompu = _en_parallele(url, type_lot, fusion, morceaux, min(n, len(morceaux)), recevoir, annule)
    except DomainError:
        raise
    except Exception as exc:   # a worker that crashed or was killed, a database gone away…
        raise DomainError(f"La production des documents s'est arrêtée ({type(exc).__name__}) : les documents "
                          f"déjà produits sont conservés et le lot n° {lot_id} peut être repris.") from exc
    if not interrompu and fusion:
        _assembler(ctx, lot_id, sortie)
    elif not interrompu:
        _clore(ctx, lot_id)
    return rapport(ctx, lot_id)


def _en_parallele(url: str, type_lot: str, fusion: bool, morceaux: list[list[ElementATraiter]], n: int,
                  recevoir: Callable[[MorceauRendu], None], annule: Callable[[], bool] | None) -> bool:
    """Chunks on ``n`` spawned processes, at most two in flight per worker so that finished chunks never
    pile up in memory. Returns True when cancelled."""
    attente = list(reversed(morceaux))
    en_vol: set[Future[MorceauRendu]] = set()
    # spawn, not fork: a forked copy of a Qt application (threads, open connections) is unsafe.
    with ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn")) as pool:
        try:
            while attente or en_vol:
                while attente and len(en_vol) < 2 * n:
                    en_vol.add(pool.submit(rendre_morceau, url, type_lot, fusion, attente.pop()))
                finis, en_vol = wait(en_vol, return_when=FIRST_COMPLETED)
                for f in finis:
                    recevoir(f.result())
                if annule is not None and annule() and (attente or en_vol):
                    return True
            return False
        finally:
            # Chunks not started are dropped; those being rendered finish and are thrown away.
            for f in en_vol:
                f.cancel()


def _enregistrer_morceau(ctx: Contexte, lot_id: int, mode: str, sortie: Path, m: MorceauRendu) -> None:
    """Outputs first (synced), then the elements marked done in one transaction."""
    cles: dict[int, str | None] = {}
    if mode == FICHIER_UNIQUE:
        nom = f"morceau-{m.premier:07d}.pdf"
        if m.fusion:
            dossier = dossier_morceaux(sortie, lot_id)
            _ecrire_atomique(dossier / nom, m.fusion)
            fsync_dossier(dossier)
        cles = {e.id: nom if e.erreur is None else None for e in m.elements}
    else:
        a_ecrire = [(sortie / e.nom_fichier, e.contenu) for e in m.elements
                    if e.erreur is None and e.contenu is not None]
        _ecrire_plusieurs(a_ecrire)
        cles = {e.id: e.nom_fichier if e.erreur is None and e.contenu is not None else None for e in m.elements}
    with ctx.transaction() as s:
        s.execute(update(LotElement), [
            {"id": e.id, "fait": True, "pages": e.pages, "erreur": e.erreur, "cle": cles[e.id]}
            for e in m.elements])


def _ecrire_atomique(chemin: Path, contenu: bytes) -> None:
    """Temporary name, fsync, rename: no half-written file ever carries the final name."""
    descripteur, temporaire = tempfile.mkstemp(prefix=PREFIXE_TEMPORAIRE, dir=chemin.parent)
    try:
        with os.fdopen(descripteur, "wb") as f:
            f.write(contenu)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporaire, chemin)
    except OSError as exc:
        Path(temporaire).unlink(missing_ok=True)
        raise DomainError(f"Le fichier « {chemin} » n'a pas pu être écrit ({exc.strerror or exc}). Vérifiez "
                          "la place disponible et vos droits sur le dossier, puis reprenez le lot.") from exc


def _ecrire_plusieurs(fichiers: list[tuple[Path, bytes]]) -> None:
    """Many small files made durable together: one fsync after another costs ~8 ms each here (20,000
    files: 160 s); issued from threads, the file system commits them in groups (~2 ms each)."""
    if not fichiers:
        return
    temporaires: list[tuple[int, str, Path]] = []
    try:
        for chemin, contenu in fichiers:
            descripteur, temporaire = tempfile.mkstemp(prefix=PREFIXE_TEMPORAIRE, dir=chemin.parent)
            temporaires.append((descripteur, temporaire, chemin))
            reste = memoryview(contenu)
            while reste:
                reste = reste[os.write(descripteur, reste):]
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(os.fsync, [d for d, _t, _c in temporaires]))
        for descripteur, temporaire, chemin in temporaires:
            os.close(descripteur)
            os.replace(temporaire, chemin)
        temporaires.clear()
    except OSError as exc:
        raise DomainError(f"Les documents n'ont pas pu être écrits dans « {fichiers[0][0].parent} » "
                          f"({exc.strerror or exc}). Vérifiez la place disponible et vos droits sur le dossier, "
                          "puis reprenez le lot.") from exc
    finally:
        for descripteur, temporaire, _c in temporaires:
            with contextlib.suppress(OSError):
                os.close(descripteur)
            Path(temporaire).unlink(missing_ok=True)
    fsync_dossier(fichiers[0][0].parent)


def _nettoyer(ctx: Contexte, lot_id: int, mode: str, sortie: Path) -> None:
    """Before (re)starting: remove whatever a killed run wrote without marking it done, so that the
    outputs on disk are exactly those of the elements marked done."""
    with ctx.lecture() as s:
        valides = set(s.scalars(select(LotElement.cle).where(
            LotElement.lot_id == lot_id, LotElement.fait.is_(True), LotElement.cle.is_not(None))))
        if mode == DOSSIER:
            lot = _lot(s, lot_id)
            attendus = {nom_fichier(lot.type, nc, ni) for nc, ni in s.execute(
                select(CompteCandidat.numero_candidat, Candidature.numero_inscription)
                .join(Candidature, Candidature.compte_id == CompteCandidat.id)
                .join(LotElement, LotElement.candidature_id == Candidature.id)
                .where(LotElement.lot_id == lot_id, LotElement.fait.is_(False)))}
    if mode == FICHIER_UNIQUE:
        dossier = dossier_morceaux(sortie, lot_id)
        if dossier.is_dir():
            for f in dossier.iterdir():
                if f.name not in valides:
                    f.unlink(missing_ok=True)
    elif sortie.is_dir():
        for f in sortie.iterdir():
            if f.name.startswith(PREFIXE_TEMPORAIRE) or (f.name in attendus and f.name not in valides):
                f.unlink(missing_ok=True)


def _assembler(ctx: Contexte, lot_id: int, sortie: Path) -> None:
    """Every element is done: the merged PDF from the chunk files, in print order, then the batch closed."""
    from ...documents.fusion import FusionPdf

    with ctx.lecture() as s:
        morceaux = list(s.scalars(
            select(LotElement.cle).where(LotElement.lot_id == lot_id, LotElement.cle.is_not(None))
            .group_by(LotElement.cle).order_by(func.min(LotElement.ordre))))
    dossier = dossier_morceaux(sortie, lot_id)
    if morceaux:
        descripteur, temporaire = tempfile.mkstemp(prefix=PREFIXE_TEMPORAIRE, dir=sortie.parent)
        try:
            with os.fdopen(descripteur, "wb") as f:
                fusion = FusionPdf(f)
                for nom in morceaux:
                    fusion.ajouter(dossier / nom)
                fusion.terminer()
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporaire, sortie)
        except OSError as exc:
            Path(temporaire).unlink(missing_ok=True)
            raise DomainError(f"Le fichier « {sortie} » n'a pas pu être écrit ({exc.strerror or exc}). "
                              "Vérifiez la place disponible, puis reprenez le lot.") from exc
        fsync_dossier(sortie.parent)
    _clore(ctx, lot_id)
    shutil.rmtree(dossier, ignore_errors=True)


def _clore(ctx: Contexte, lot_id: int) -> None:
    with ctx.transaction() as s:
        lot = _lot(s, lot_id)
        lot.etat, lot.termine_le = EtatLot.TERMINE, ctx.clock.now()


# --- reading, resuming, abandoning ----------------------------------------------------------------

def rapport(ctx: Contexte, lot_id: int) -> RapportLot:
    exiger(ctx, P.IMPRESSIONS)
    with ctx.lecture() as s:
        lot = _lot(s, lot_id)
        faits, pages = s.execute(select(func.count(), func.coalesce(func.sum(LotElement.pages), 0)).where(
            LotElement.lot_id == lot_id, LotElement.fait.is_(True))).one()
        erreurs = [f"{nc}-{ni} : {err}" if nc else f"Candidature {cid} : {err}" for cid, nc, ni, err in s.execute(
            select(LotElement.candidature_id, CompteCandidat.numero_candidat, Candidature.numero_inscription,
                   LotElement.erreur)
            .outerjoin(Candidature, Candidature.id == LotElement.candidature_id)
            .outerjoin(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
            .where(LotElement.lot_id == lot_id, LotElement.erreur.is_not(None)).order_by(LotElement.ordre))]
        return RapportLot(lot.id, lot.type, _mode(lot), lot.sortie or "", lot.total, int(faits), int(pages),
                          tuple(erreurs), lot.etat)


def lots_inacheves(ctx: Contexte) -> list[LotInacheve]:
    """Print batches stopped before the end (cancelled, or the program closed): to resume or abandon."""
    exiger(ctx, P.IMPRESSIONS)
    faits = (select(LotElement.lot_id, func.count().label("n")).where(LotElement.fait.is_(True))
             .group_by(LotElement.lot_id).subquery())
    with ctx.lecture() as s:
        return [LotInacheve(lot.id, lot.type, _mode(lot), lot.sortie or "", lot.total, int(n or 0), lot.cree_le,
                            lot.cree_par)
                for lot, n in s.execute(select(Lot, faits.c.n).outerjoin(faits, faits.c.lot_id == Lot.id)
                                        .where(Lot.etat == EtatLot.EN_COURS, Lot.type.in_(list(TYPES)))
                                        .order_by(Lot.id.desc()))]


def abandonner(ctx: Contexte, lot_id: int) -> None:
    """Give up a batch: the chunk files of a merged batch are removed; in folder mode the documents
    already written stay (each one is complete)."""
    exiger(ctx, P.IMPRESSIONS)
    with ctx.transaction() as s:
        lot = _lot(s, lot_id)
        if lot.etat != EtatLot.EN_COURS:
            raise DomainError(f"Le lot n° {lot_id} n'est plus en cours.")
        lot.etat, lot.termine_le = EtatLot.ANNULE, ctx.clock.now()
        mode, sortie = _mode(lot), Path(lot.sortie or "")
        audit.enregistrer(s, ctx, "lot_impression_abandonne", "lot", lot_id,
                          libelle=f"Lot d'impression n° {lot_id} abandonné", avant={"etat": EtatLot.EN_COURS},
                          apres={"etat": EtatLot.ANNULE})
    if mode == FICHIER_UNIQUE:
        shutil.rmtree(dossier_morceaux(sortie, lot_id), ignore_errors=True)


def marquer_imprime(ctx: Contexte, lot_id: int, imprimante: str) -> None:
    """Recorded only once the printer accepted every page (the screen calls it after success)."""
    exiger(ctx, P.IMPRESSIONS)
    with ctx.transaction() as s:
        lot = _lot(s, lot_id)
        imprime = dict(lot.parametres or {})
        imprime["imprime_le"] = ctx.clock.now().isoformat()
        imprime["imprimante"] = imprimante
        lot.parametres = imprime
        audit.enregistrer(s, ctx, "lot_impression_imprime", "lot", lot_id,
                          libelle=f"Lot d'impression n° {lot_id} imprimé sur « {imprimante} »",
                          apres={"imprimante": imprimante})
