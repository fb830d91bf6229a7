"""Deadlines and their consequences (docs/domaine/justificatifs.md#echeances): candidatures whose
signed confirmation was not returned in time are annulées, those without the R.408 attestation on its
date are écartées; incomplete dossiers get a « Relance de pièces justificatives ».

Annulations and écartements are listed first, then applied in one transaction that re-checks every
line: if one changed in between, nothing is applied. Relances go one candidature per transaction so
that a cancelled batch leaves every candidature either relancée or untouched.

In the inscriptions area, not justificatifs: it cancels candidatures and publishes their relances,
so it sits above the pieces it reads (and saving a candidature derives its pieces)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from ...models import Candidature, CompteCandidat, Document, DocumentVersion, Justificatif
from ...rules import pieces as regles
from ...rules.errors import ConflictError, DomainError
from ...rules.inscriptions import ETATS_ACTIFS, EtatCandidature, TypeDocument
from ...rules.temps import dans_le_delai, debut_du_jour, format_date_heure, limites_depassees_avant, paris
from ..noyau import Contexte, P, audit, conflit_si_perime, exiger
from ..publications import documents as publications
from ..publications import examen_de, message_candidat
from .pieces import CONFIRMATION

R408 = "R408"
MOTIF_ANNULATION = "Confirmation d'inscription signée non reçue dans le délai"
MOTIF_ECARTEMENT = "Attestation R.408 non fournie à la date limite"
SIGNATURE = "\n\nCordialement\n\nLe Service Gestionnaire"


@dataclass(frozen=True)
class LigneTraitement:
    candidature_id: int
    numero_candidat: str
    candidat: str              # « NOM Prénoms »
    candidature: str           # « 001 - BACCALAURÉAT PROFESSIONNEL Aéronautique … - session 2025 »
    piece_code: str            # the missing piece; for a relance, every piece asked again, comma-separated
    echeance: datetime         # its deadline; for a relance, the earliest one
    row_version: int


@dataclass(frozen=True)
class RapportRelance:
    faites: int                                  # relances published by this run
    restantes: int                               # not reached because the batch was cancelled
    erreurs: tuple[str, ...] = ()                # « N° candidat : message », the batch went on
    ignorees: int = 0                            # already relancée today, or complete / inactive meanwhile
    interrompu: bool = False


# --- deadlines: what is missing -------------------------------------------------------------------

def _jours_limites(s: Session, *criteres: ColumnElement[bool]) -> set[date]:
    """The Paris days of the deadlines of the received pieces the criteria select: few (one or two
    per domaine and session), so that « received after its day » is written in SQL without any
    engine's time zone functions."""
    return {paris(e).date() for e in s.scalars(
        select(Justificatif.echeance).distinct().join(Candidature, Candidature.id == Justificatif.candidature_id)
        .where(Justificatif.date_reception.is_not(None), *criteres))}


def _recue_hors_delai(jours: set[date]) -> ColumnElement[bool]:
    """SQL of « received, but its postmark (else its reception date) is after its deadline's day »
    (rules.pieces.recue_a_temps), for pieces whose deadline falls on one of ``jours``."""
    preuve = func.coalesce(Justificatif.date_cachet, Justificatif.date_reception)
    return or_(false(), *(and_(Justificatif.echeance >= debut_du_jour(jour),
                               Justificatif.echeance < debut_du_jour(jour + timedelta(days=1)), preuve > jour)
                          for jour in sorted(jours)))


def _manquante(piece_code: str, maintenant: datetime, jours: set[date]) -> ColumnElement[bool]:
    """The SQL form of « the piece's deadline has passed (its whole last minute) and it was neither
    validated online, nor received in time, nor found Conforme ». « En attente d'une nouvelle PJ »
    is left out: the office itself gave the candidate more time, and a new deposit clears the
    validation date while it is pending."""
    return and_(Justificatif.piece_code == piece_code, Justificatif.requis.is_(True),
                Justificatif.echeance < limites_depassees_avant(maintenant), Justificatif.valide_le.is_(None),
                or_(Justificatif.date_reception.is_(None), _recue_hors_delai(jours)),
                Justificatif.statut.notin_((regles.CONFORME, regles.NOUVELLE_PJ)))


def _est_manquante(j: Justificatif, maintenant: datetime) -> bool:
    return (j.requis and not dans_le_delai(maintenant, j.echeance) and j.valide_le is None
            and not regles.recue_a_temps(j.date_reception, j.date_cachet, j.echeance)
            and j.statut not in (regles.CONFORME, regles.NOUVELLE_PJ))


def _ligne(s: Session, c: Candidature, compte: CompteCandidat, piece_code: str, echeance: datetime
           ) -> LigneTraitement:
    return LigneTraitement(c.id, compte.numero_candidat, f"{compte.nom.upper()} {compte.prenoms}",
                           f"{c.numero_inscription} - {examen_de(s, c)}", piece_code, echeance, c.row_version)


def _lister_manquantes(ctx: Contexte, session_id: int, domaine: str | None, piece_code: str
                       ) -> list[LigneTraitement]:
    exiger(ctx, P.MAINTENANCE)
    maintenant = ctx.clock.now()
    candidatures = _candidatures(session_id, domaine)
    with ctx.lecture() as s:
        jours = _jours_limites(s, *candidatures, Justificatif.piece_code == piece_code,
                               Justificatif.echeance < limites_depassees_avant(maintenant))
        q = (select(Candidature, CompteCandidat, Justificatif)
             .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
             .join(Justificatif, Justificatif.candidature_id == Candidature.id)
             .where(*candidatures, _manquante(piece_code, maintenant, jours))
             .order_by(CompteCandidat.nom, CompteCandidat.prenoms, Candidature.id))
        return [_ligne(s, c, compte, piece_code, j.echeance) for c, compte, j in s.execute(q)]


def _candidatures(session_id: int, domaine: str | None) -> list[ColumnElement[bool]]:
    """The active candidatures of a session (and domaine) a batch looks at."""
    return [Candidature.session_id == session_id, Candidature.etat.in_(ETATS_ACTIFS),
            *([Candidature.domaine_code == domaine] if domaine else [])]


def sans_confirmation(ctx: Contexte, session_id: int, domaine: str | None = None) -> list[LigneTraitement]:
    """Active candidatures whose signed confirmation is missing after its deadline (to be annulées)."""
    return _lister_manquantes(ctx, session_id, domaine, CONFIRMATION)


def r408_manquantes(ctx: Contexte, session_id: int, domaine: str | None = None) -> list[LigneTraitement]:
    """Active candidatures whose R.408 attestation is missing after its date (to be écartées)."""
    return _lister_manquantes(ctx, session_id, domaine, R408)


@dataclass(frozen=True)
class _Consequence:
    piece_code: str
    etat: str
    motif: str
    action: str
    objet: str                 # « … : <examen> »
    corps: str                 # formatted with examen, numero, echeance


ANNULATION = _Consequence(
    CONFIRMATION, EtatCandidature.ANNULEE, MOTIF_ANNULATION, "annulation_sans_confirmation",
    "Annulation de votre candidature",
    "Bonjour,\n\nVotre candidature à l'examen {examen} (inscription n° {numero}) est annulée : la "
    "confirmation d'inscription vérifiée, datée et signée n'a pas été reçue dans le délai fixé au {echeance} "
    "(heure de Paris).")
ECARTEMENT = _Consequence(
    R408, EtatCandidature.ECARTEE, MOTIF_ECARTEMENT, "ecartement_sans_r408", "Candidature écartée",
    "Bonjour,\n\nVotre candidature à l'examen {examen} (inscription n° {numero}) est écartée : l'attestation "
    "de suivi de formation au travail en hauteur sur échafaudage de pied (R.408) n'a pas été fournie à la "
    "date limite du {echeance} (heure de Paris).\n\nVous ne pourrez pas vous présenter à l'examen.")


def _appliquer(ctx: Contexte, ids: list[int], row_versions: dict[int, int], q: _Consequence) -> int:
    exiger(ctx, P.MAINTENANCE)
    if not ids:
        raise DomainError("La liste est vide : aucune candidature à traiter.")
    with conflit_si_perime("Une candidature a été modifiée sur un autre poste pendant le traitement : "
                           "affichez à nouveau la liste. Rien n'a été modifié."):
        with ctx.transaction() as s:
            now = ctx.clock.now()
            cs = {c.id: c for c in s.scalars(select(Candidature).where(Candidature.id.in_(ids)))}
            pieces = {j.candidature_id: j for j in s.scalars(select(Justificatif).where(
                Justificatif.candidature_id.in_(ids), Justificatif.piece_code == q.piece_code))}
            # Everything is checked before anything changes: one stale line refuses the whole batch.
            for cid in dict.fromkeys(ids):
                c = cs.get(cid)
                if c is None:
                    raise ConflictError("Une des candidatures de la liste n'existe plus : affichez à nouveau "
                                        "la liste. Rien n'a été modifié.")
                j = pieces.get(cid)
                if row_versions.get(cid) != c.row_version or c.etat not in ETATS_ACTIFS \
                        or j is None or not _est_manquante(j, now):
                    compte = s.get(CompteCandidat, c.compte_id)
                    numero = f"{compte.numero_candidat if compte else '?'}-{c.numero_inscription}"
                    raise ConflictError(f"La candidature {numero} a changé depuis l'affichage de la liste "
                                        "(modifiée sur un autre poste ou pièce reçue entre-temps) : affichez "
                                        "à nouveau la liste. Rien n'a été modifié.")
            for cid in dict.fromkeys(ids):
                c, j = cs[cid], pieces[cid]
                compte = s.get(CompteCandidat, c.compte_id)
                assert compte is not None
                avant = c.etat
                c.etat, c.etat_le, c.motif_etat = q.etat, now, q.motif
                examen = examen_de(s, c)
                message_candidat(s, ctx, c, compte, f"{q.objet} : {examen}", q.corps.format(
                    examen=examen, numero=c.numero_inscription, echeance=format_date_heure(j.echeance))
                    + SIGNATURE)
                audit.enregistrer(s, ctx, q.action, "candidature", c.id,
                                  libelle=f"Candidature {compte.numero_candidat}-{c.numero_inscription} {examen}",
                                  avant={"etat": avant}, apres={"etat": q.etat}, motif=q.motif)
            s.flush()
            return len(cs)


def annuler_sans_confirmation(ctx: Contexte, ids: list[int], *, row_versions: dict[int, int]) -> int:
    """Annule the listed candidatures in one transaction; returns how many."""
    return _appliquer(ctx, ids, row_versions, ANNULATION)


def ecarter_sans_r408(ctx: Contexte, ids: list[int], *, row_versions: dict[int, int]) -> int:
    """Écarte the listed candidatures in one transaction; returns how many."""
    return _appliquer(ctx, ids, row_versions, ECARTEMENT)


# --- relances ------------------------------------------------------------------------------------

def _a_relancer_sql(jours: set[date]) -> ColumnElement[bool]:
    """publications.a_relancer, in SQL, to narrow the query (the Python rule has the last word)."""
    return and_(Justificatif.requis.is_(True), or_(
        Justificatif.statut.in_(regles.A_REDEPOSER),
        and_(Justificatif.mode_depot == regles.EN_LIGNE, Justificatif.valide_le.is_(None)),
        and_(Justificatif.mode_depot != regles.EN_LIGNE, Justificatif.statut != regles.CONFORME,
             or_(Justificatif.date_reception.is_(None), _recue_hors_delai(jours)))))


def dossiers_incomplets(ctx: Contexte, session_id: int, domaine: str | None = None) -> list[LigneTraitement]:
    """Active candidatures with at least one piece missing or refused (publications.a_relancer)."""
    exiger(ctx, P.PIECES_CONTROLER)
    candidatures = _candidatures(session_id, domaine)
    with ctx.lecture() as s:
        jours = _jours_limites(s, *candidatures, Justificatif.mode_depot != regles.EN_LIGNE)
        q = (select(Candidature, CompteCandidat, Justificatif)
             .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
             .join(Justificatif, Justificatif.candidature_id == Candidature.id)
             .where(*candidatures, _a_relancer_sql(jours))
             .order_by(CompteCandidat.nom, CompteCandidat.prenoms, Candidature.id, Justificatif.echeance,
                       Justificatif.id))
        par_candidature: dict[int, tuple[Candidature, CompteCandidat, list[Justificatif]]] = {}
        for c, compte, j in s.execute(q):
            if publications.a_relancer(j):
                par_candidature.setdefault(c.id, (c, compte, []))[2].append(j)
        return [_ligne(s, c, compte, ", ".join(j.piece_code for j in js), min(j.echeance for j in js))
                for c, compte, js in par_candidature.values()]


def _deja_relancee_aujourd_hui(s: Session, c: Candidature, maintenant: datetime) -> bool:
    """A relance version published on the same Paris day: a resumed batch skips it, so cancelling and
    starting again never sends the candidate two relances the same day."""
    dates = s.scalars(select(DocumentVersion.publie_le).join(Document, Document.id == DocumentVersion.document_id)
                      .where(Document.candidature_id == c.id, Document.type == TypeDocument.RELANCE_PIECES))
    jour = paris(maintenant).date()
    return any(paris(d).date() == jour for d in dates)


def _relancer_une(ctx: Contexte, candidature_id: int) -> bool:
    """One relance in its own transaction; False when there is nothing to do (already done today,
    no longer active, or complete meanwhile)."""
    with ctx.transaction() as s:
        c = s.get(Candidature, candidature_id)
        if c is None or c.etat not in ETATS_ACTIFS:
            return False
        now = ctx.clock.now()
        manquantes = [j for j in s.scalars(select(Justificatif).where(
            Justificatif.candidature_id == c.id, Justificatif.requis.is_(True))
            .order_by(Justificatif.echeance, Justificatif.id)) if publications.a_relancer(j)]
        if not manquantes or _deja_relancee_aujourd_hui(s, c, now):
            return False
        compte = s.get(CompteCandidat, c.compte_id)
        assert compte is not None
        version = publications.publier_pieces(s, ctx, c, compte, relance=True)
        examen = examen_de(s, c)
        liste = "\n".join(f"- {j.libelle} (date limite : {format_date_heure(j.echeance)}, heure de Paris)"
                          for j in manquantes)
        message_candidat(s, ctx, c, compte, f"Relance de pièces justificatives : {examen}", (
            f"Bonjour,\n\nVotre dossier de candidature à l'examen {examen} (inscription n° {c.numero_inscription}) "
            f"est incomplet. Les pièces suivantes sont manquantes ou doivent être fournies à nouveau :\n{liste}\n\n"
            f"Le document « Relance de pièces justificatives » (version n° {version.numero}) est disponible dans "
            "« Mes documents »." + SIGNATURE))
        audit.enregistrer(s, ctx, "relance_pieces", "candidature", c.id,
                          libelle=f"Candidature {compte.numero_candidat}-{c.numero_inscription} : relance "
                                  f"n° {version.numero}",
                          apres={"pieces": [j.piece_code for j in manquantes]})
        return True


def relancer(ctx: Contexte, ids: list[int], *, progression: Callable[[int, int], None] | None = None,
             annule: Callable[[], bool] | None = None) -> RapportRelance:
    """Publish a relance and send its message to each candidature, one transaction each. ``annule`` is
    asked before every candidature: a cancelled batch stops between two of them and can be run again
    on the same list (those relancées today are skipped)."""
    exiger(ctx, P.PIECES_CONTROLER)
    ids = list(dict.fromkeys(ids))
    total = len(ids)
    faites = ignorees = traitees = 0
    erreurs: list[str] = []
    for cid in ids:
        if annule is not None and annule():
            break
        try:
            if _relancer_une(ctx, cid):
                faites += 1
            else:
                ignorees += 1
        except DomainError as exc:
            # One bad dossier must not stop a night's batch: reported, the others go on.
            erreurs.append(f"{_numero(ctx, cid)} : {exc.message}")
        traitees += 1
        if progression is not None:
            progression(traitees, total)
    return RapportRelance(faites, total - traitees, tuple(erreurs), ignorees, traitees < total)


def _numero(ctx: Contexte, candidature_id: int) -> str:
    with ctx.lecture() as s:
        row = s.execute(select(CompteCandidat.numero_candidat, Candidature.numero_inscription)
                        .join(Candidature, Candidature.compte_id == CompteCandidat.id)
                        .where(Candidature.id == candidature_id)).first()
    return f"{row[0]}-{row[1]}" if row else f"Candidature {candidature_id}"


def texte_rapport(r: RapportRelance) -> str:
    """« 40 relances publiées, 60 restantes (interrompu). »"""
    texte = f"{r.faites} relance{'s' if r.faites > 1 else ''} publiée{'s' if r.faites > 1 else ''}"
    if r.restantes or r.interrompu:
        texte += f", {r.restantes} restante{'s' if r.restantes > 1 else ''}"
    if r.ignorees:
        texte += f", {r.ignorees} déjà faite{'s' if r.ignorees > 1 else ''} ou sans objet"
    if r.erreurs:
        texte += f", {len(r.erreurs)} en erreur"
    return texte + (" (interrompu)." if r.interrompu else ".")


def texte_resultat(n: int, etat: str) -> str:
    """« 12 candidatures annulées. » / « 1 candidature écartée. »"""
    participe = {EtatCandidature.ANNULEE: "annulée", EtatCandidature.ECARTEE: "écartée"}[etat]
    return f"{n} candidature{'s' if n > 1 else ''} {participe}{'s' if n > 1 else ''}."
