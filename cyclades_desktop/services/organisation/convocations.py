"""« Convocation aux épreuves » (docs/domaine/organisation.md#convocations): the versioned publication. A
new version only for the candidatures whose convocation, rendered again as their last version, no longer
matches it byte for byte (timetable, room, seat removed, créneau deleted, aménagements…), one transaction
per chunk so that a cancel or a crash leaves each one with its new version or without, and a re-run
resumes. The data printed comes from ``contenu_convocations``; what changed is decided by
``analyse_convocations``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context

from sqlalchemy import select

from ...documents.donnees_convocation import DonneesConvocation
from ...models import Candidature, CompteCandidat, Document
from ...rules.codes_epreuves import titre_epreuve
from ...rules.errors import DomainError
from ...rules.inscriptions import TypeDocument
from ...rules.temps import JOURS, format_date, paris
from ..noyau import Contexte, P, audit, exiger
from ..publications import message_candidat, nom_fichier, publier
from .analyse_convocations import (
    Apercu,
    analyser,
    conflits_concernes,
    nombre_affiche,
    par_lots,
    texte_conflits,
)
from .contenu_convocations import donnees_convocations

TAILLE_LOT = 100          # candidatures per transaction when publishing


@dataclass(frozen=True)
class Rapport:
    publiees: tuple[int, ...]      # candidature ids given a new version
    inchangees: int                # already published, nothing changed since
    sans_epreuve: int              # never published and no seat in any créneau yet: nothing to convoke to
    interrompue: bool = False      # cancelled between two chunks: a re-run resumes

    @property
    def message(self) -> str:
        n = len(self.publiees)
        debut = ("Aucune convocation publiée" if n == 0 else
                 "1 convocation publiée" if n == 1 else f"{nombre_affiche(n)} convocations publiées")
        details = []
        if self.inchangees:
            details.append(f"{nombre_affiche(self.inchangees)} inchangée(s) depuis leur dernière version")
        if self.sans_epreuve:
            details.append(f"{nombre_affiche(self.sans_epreuve)} candidature(s) sans épreuve affectée")
        texte = debut + (f" ({' ; '.join(details)})." if details else ".")
        if self.interrompue:
            texte += " Publication interrompue : relancez-la pour publier les suivantes."
        return texte


def _refuser_si_conflits(conflits: Sequence) -> None:  # type: ignore[type-arg]
    if conflits:
        raise DomainError("Les convocations ne peuvent pas être publiées : des candidats ont des épreuves qui se "
                          "chevauchent. Résolvez ces conflits dans l'organisation des examens :\n"
                          + texte_conflits(conflits))


def _corps_message(d: DonneesConvocation) -> str:
    lignes = [f"Votre convocation aux épreuves (version n°{d.version}) est disponible dans « Mes documents ».", ""]
    for e in d.epreuves:
        titre = titre_epreuve(e.code, e.unite, e.intitule)
        if e.debut is None:
            lignes.append(f"{titre} : date communiquée ultérieurement")
        else:
            p = paris(e.debut)
            lieu = f", {e.centre}" + (f", salle {e.salle}" if e.salle else "")
            lignes.append(f"{titre} : {JOURS[p.weekday()]} {format_date(p)} à {p:%H:%M} (heure de Paris){lieu}")
    if not d.epreuves:
        lignes.append("Aucune épreuve ponctuelle n'est prévue pour cette candidature.")
    lignes += ["", "Le jour de l'examen, une pièce d'identité avec photographie vous sera demandée."]
    return "\n".join(lignes)


PROCESSUS_RENDU = 2            # worker processes rendering the PDFs of a large publication
SEUIL_PROCESSUS = 2 * TAILLE_LOT   # below, rendered here: starting the workers costs a second or two


@dataclass
class _LotRendu:
    maintenant: datetime
    donnees: list[DonneesConvocation]
    contenus: list[bytes] | None = None                       # rendered here
    travaux: list[Future[list[bytes]]] = field(default_factory=list)   # or by the workers, in order

    def resultat(self) -> list[bytes]:
        if self.contenus is None:
            self.contenus = [pdf for f in self.travaux for pdf in f.result()]
        return self.contenus

    def abandonner(self) -> None:
        for f in self.travaux:
            f.cancel()


def _preparer_lot(ctx: Contexte, lot: list[int], attendues: dict[int, int],
                  pool: ProcessPoolExecutor | None) -> _LotRendu:
    """Load a chunk (only the candidatures still at their analysed version) numbered N+1, and render it:
    here, or split between the workers (returns at once; the bytes come with :meth:`_LotRendu.resultat`).
    Outside any transaction: the database stays free for the other workstations meanwhile."""
    from ...documents.convocation import rendre, rendre_lot

    with ctx.lecture() as s:
        derniere = dict(s.execute(select(Document.candidature_id, Document.derniere_version)
                                  .where(Document.type == TypeDocument.CONVOCATION, Document.candidature_id.in_(lot))).all())
        restants = [cid for cid in lot if derniere.get(cid, 0) == attendues.get(cid, 0)]
        maintenant = ctx.clock.now()
        donnees = donnees_convocations(s, restants, version_par_candidature={
            cid: derniere.get(cid, 0) + 1 for cid in restants}, version_le=maintenant) if restants else []
    if pool is None or not donnees:
        return _LotRendu(maintenant, donnees, [rendre(d) for d in donnees])
    moitie = (len(donnees) + 1) // 2
    parts = [donnees[:moitie], donnees[moitie:]]
    return _LotRendu(maintenant, donnees, travaux=[pool.submit(rendre_lot, p) for p in parts if p])


def _ecrire_lot(ctx: Contexte, rendu: _LotRendu) -> list[int]:
    """One transaction: a new version, a message and an audit row for each rendered convocation whose
    number is still the next one (another workstation may have published some meanwhile)."""
    contenus = rendu.resultat()
    if not rendu.donnees:
        return []
    publiees = []
    with ctx.transaction() as s:
        ids = [d.candidature_id for d in rendu.donnees]
        derniere = dict(s.execute(select(Document.candidature_id, Document.derniere_version)
                                  .where(Document.type == TypeDocument.CONVOCATION, Document.candidature_id.in_(ids))).all())
        candidatures = {c.id: c for c in s.scalars(select(Candidature).where(Candidature.id.in_(ids)))}
        comptes = {c.id: c for c in s.scalars(select(CompteCandidat).where(
            CompteCandidat.id.in_({c.compte_id for c in candidatures.values()})))}
        for d, contenu in zip(rendu.donnees, contenus, strict=True):
            c = candidatures.get(d.candidature_id)
            if c is None or derniere.get(d.candidature_id, 0) + 1 != d.version:
                continue
            compte = comptes[c.compte_id]
            version = publier(s, ctx, c, TypeDocument.CONVOCATION, contenu,
                              nom_fichier(TypeDocument.CONVOCATION, d.numero_candidat, d.numero_inscription, d.version))
            version.publie_le = rendu.maintenant      # the date printed on it, exactly
            examen = f"{d.domaine} {d.specialite} - session {d.session}"
            message_candidat(s, ctx, c, compte, f"Convocation aux épreuves : {examen}", _corps_message(d))
            audit.enregistrer(s, ctx, "publication", "convocation", c.id,
                              libelle=f"Convocation aux épreuves version {d.version} – candidat "
                                      f"{d.numero_candidat}, inscription {d.numero_inscription}",
                              apres={"version": d.version, "epreuves": len(d.epreuves)})
            publiees.append(c.id)
    return publiees


def publier_convocations(ctx: Contexte, session_id: int, candidature_ids: list[int] | None = None, *,
                         taille_lot: int = TAILLE_LOT, domaine: str | None = None,
                         specialite_id: str | None = None, apercu: Apercu | None = None,
                         progression: Callable[[int, int], None] | None = None,
                         annule: Callable[[], bool] | None = None, processus: int | None = None) -> Rapport:
    """Publish version N+1 of the convocation of each candidature (of the session, or of those given)
    whose convocation changed since its last version; one transaction per chunk of candidatures, so a
    cancel (checked between chunks) leaves each one with its new version or without, and a re-run
    resumes. ``apercu``: the result of :func:`analyser` shown to the user (not analysed again).

    The PDFs are rendered before each chunk's transaction, by ``processus`` spawned workers (default:
    :data:`PROCESSUS_RENDU` from :data:`SEUIL_PROCESSUS` convocations on, else none), the next chunk
    being rendered while this one is written."""
    exiger(ctx, P.CONVOCATIONS_PUBLIER)
    if apercu is None:
        apercu = analyser(ctx, session_id, candidature_ids, domaine=domaine, specialite_id=specialite_id)
        conflits = apercu.conflits
    else:   # the clashes may have been solved (or made) since the preview
        conflits = tuple(conflits_concernes(ctx, session_id, set(apercu.a_publier)))
    _refuser_si_conflits(conflits)
    ids = list(apercu.a_publier)
    if processus is None:
        processus = PROCESSUS_RENDU if len(ids) >= SEUIL_PROCESSUS else 0
    if progression is not None:
        progression(0, len(ids))
    # spawn, not fork: a forked copy of a Qt application (threads, open connections) is unsafe.
    pool = ProcessPoolExecutor(max_workers=processus, mp_context=get_context("spawn")) if processus > 0 else None
    publiees: list[int] = []
    lots = list(par_lots(ids, taille_lot))
    suivant: _LotRendu | None = None
    fait = 0
    try:
        for i, lot in enumerate(lots):
            if annule is not None and annule():
                return Rapport(tuple(publiees), apercu.inchangees, apercu.sans_epreuve, interrompue=True)
            rendu = suivant or _preparer_lot(ctx, lot, apercu.attendues, pool)
            suivant = None
            if pool is not None and i + 1 < len(lots):     # the workers render the next chunk meanwhile
                suivant = _preparer_lot(ctx, lots[i + 1], apercu.attendues, pool)
            publiees += _ecrire_lot(ctx, rendu)
            fait = min(len(ids), fait + taille_lot)
            if progression is not None:
                progression(fait, len(ids))
    except BrokenProcessPool as exc:     # a worker killed (memory, task manager…)
        raise DomainError(f"La publication des convocations s'est arrêtée après {nombre_affiche(len(publiees))} "
                          "convocation(s), conservées : relancez-la pour publier les suivantes.") from exc
    finally:
        if suivant is not None:
            suivant.abandonner()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return Rapport(tuple(publiees), apercu.inchangees, apercu.sans_epreuve)
