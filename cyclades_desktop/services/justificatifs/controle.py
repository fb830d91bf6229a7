"""The reviewers' grid (docs/domaine/justificatifs.md#statuts): every pièce justificative across candidatures,
filtered and keyset-paged in SQL, with the counts per status. Status changes go through
``justificatifs.changer_statut``; this module only reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, func, or_, select, tuple_
from sqlalchemy.orm import Session

from ...models import (
    Candidature,
    CompteCandidat,
    FichierJustificatif,
    Justificatif,
    SessionExamen,
    Specialite,
)
from ...rules import pieces as regles
from ...rules.errors import NotFound
from ...rules.fichiers import normaliser_nom
from ...rules.inscriptions import ETATS_ACTIFS
from ...rules.texte import chiffres_ascii, cle_recherche, prefixe_suivant, texte_recherche
from ..noyau import Contexte, P, exiger
from .pieces import FichierVue
from .portefeuilles import filieres_de

TAILLE_PAGE = 200
# Up to this many candidatures, the grid starts from them rather than from the deadline index.
SEUIL_PILOTAGE = 20_000


@dataclass
class FiltrePieces:
    session_id: int | None = None
    domaine: str | None = None
    specialite_id: str | None = None
    filiere: str | None = None
    mon_portefeuille: bool = False
    statut: str | None = None              # None: every status; "": none set yet
    echeance_avant: datetime | None = None
    candidat: str = ""                     # N° candidat prefix, or name prefix (accents ignored)
    seulement_requises: bool = True
    seulement_actives: bool = True


@dataclass(frozen=True)
class LignePiece:
    id: int
    candidature_id: int
    compte_id: int
    candidat: str                          # "NGMB-DUPONT Ngmb-Jeanne"
    numero_candidat: str
    candidature: str                       # "001 – BCP Aéronautique option Systèmes 2025"
    piece_code: str
    piece_libelle: str
    mode: str
    depose_le: datetime | None
    date_reception: date | None
    echeance: datetime
    statut: str
    statut_libelle: str
    commentaire: str | None
    revu_par: str | None
    a_fichier: bool
    row_version: int
    date_cachet: date | None = None        # the postmark of a posted piece, when recorded

    @property
    def cle(self) -> tuple[datetime, int]:
        """The keyset cursor: pass it as ``apres`` for the next page."""
        return self.echeance, self.id


_COLONNES = (
    Justificatif.id, Justificatif.candidature_id, Candidature.compte_id, CompteCandidat.nom,
    CompteCandidat.prenoms, CompteCandidat.numero_candidat, Candidature.numero_inscription,
    Candidature.domaine_code, Specialite.intitule, SessionExamen.libelle, Justificatif.piece_code,
    Justificatif.libelle, Justificatif.mode_depot, Justificatif.depose_le, Justificatif.date_reception,
    Justificatif.echeance, Justificatif.statut, Justificatif.commentaire, Justificatif.revu_par,
    Justificatif.row_version, Justificatif.date_cachet,
)


def _ligne(r: tuple) -> LignePiece:  # type: ignore[type-arg]
    (jid, cand_id, compte_id, nom, prenoms, numero, num_insc, domaine, intitule, session, code, libelle, mode,
     depose_le, reception, echeance, statut, commentaire, revu_par, row_version, cachet) = r
    candidature = " ".join(x for x in (domaine, intitule, session) if x)
    return LignePiece(jid, cand_id, compte_id, f"{nom} {prenoms}", numero, f"{num_insc} – {candidature}",
                      code, libelle, mode, depose_le, reception, echeance, statut,
                      regles.STATUTS.get(statut, statut), commentaire, revu_par, depose_le is not None,
                      row_version, cachet)


def _base(colonnes: tuple) -> Select:  # type: ignore[type-arg]
    return (select(*colonnes).select_from(Justificatif)
            .join(Candidature, Candidature.id == Justificatif.candidature_id)
            .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
            .outerjoin(Specialite, Specialite.id == Candidature.specialite_id)
            .join(SessionExamen, SessionExamen.id == Candidature.session_id))


def _specialites_de(s: Session, ctx: Contexte, filtre: FiltrePieces) -> set[str] | None:
    """The spécialités allowed by the filière and portfolio filters (None: no restriction). The
    référentiel is small: resolving it here keeps the big query a plain IN on the candidature."""
    ids: set[str] | None = {filtre.specialite_id} if filtre.specialite_id else None
    if filtre.filiere:
        de_la_filiere = set(s.scalars(select(Specialite.id).where(Specialite.filiere == filtre.filiere)))
        ids = de_la_filiere if ids is None else ids & de_la_filiere
    if filtre.mon_portefeuille:
        filieres = filieres_de(s, ctx)
        miens = set(s.scalars(select(Specialite.id).where(Specialite.filiere.in_(filieres)))) if filieres \
            else set()
        ids = miens if ids is None else ids & miens
    return ids


def _sans_index(colonne: ColumnElement[Any]) -> ColumnElement[Any]:
    """The same value, but no index of the candidature or account may serve it. Without this, a
    filter on the session (which every candidature matches) makes SQLite read the grid through the
    candidatures and sort all the pieces (1 s on 1M pieces) instead of walking the deadline index."""
    return colonne + 0 if isinstance(colonne.type, Integer) else colonne.concat("")


Critere = tuple[ColumnElement[Any], str, Any]      # (column, operator, value)


def _critere(colonne: ColumnElement[Any], op: str, valeur: Any) -> ColumnElement[bool]:
    return {"in": colonne.in_, "=": colonne.__eq__, ">=": colonne.__ge__, "<": colonne.__lt__}[op](valeur)


def _contraire(colonne: ColumnElement[Any], op: str, valeur: Any) -> ColumnElement[bool]:
    return or_(~_critere(colonne, op, valeur), colonne.is_(None))


@dataclass(frozen=True)
class _Plan:
    """What a filter asks of the piece, of its candidature and of the candidate's account. The
    criteria are kept as (column, operator, value) so that each query can write them with or
    without their index, or take their opposite."""

    vide: bool                                   # nothing matches: a portfolio without spécialité…
    criteres_j: tuple[ColumnElement[bool], ...]
    criteres_c: tuple[Critere, ...] = ()
    criteres_compte: tuple[Critere, ...] = ()

    @property
    def restreint(self) -> bool:
        """A spécialité set or a candidate: possibly a small set of candidatures to start from."""
        return bool(self.criteres_compte) or any(c[0] is Candidature.specialite_id for c in self.criteres_c)

    def candidatures(self) -> Select:  # type: ignore[type-arg]
        q = select(Candidature.id).where(*(_critere(*c) for c in self.criteres_c))
        if self.criteres_compte:
            q = q.where(Candidature.compte_id.in_(
                select(CompteCandidat.id).where(*(_critere(*c) for c in self.criteres_compte))))
        return q

    def autres_candidatures(self) -> Select:  # type: ignore[type-arg]
        """The candidatures the candidature criteria leave out (not meant with account criteria)."""
        return select(Candidature.id).where(or_(*(_contraire(*c) for c in self.criteres_c)))

    def sans_index(self) -> list[ColumnElement[bool]]:
        return [_critere(_sans_index(col), op, v) for col, op, v in self.criteres_c + self.criteres_compte]


def _planifier(s: Session, ctx: Contexte, filtre: FiltrePieces, *, avec_statut: bool = True) -> _Plan:
    j: list[ColumnElement[bool]] = []
    if filtre.seulement_requises:
        j.append(Justificatif.requis.is_(True))
    if avec_statut and filtre.statut is not None:
        j.append(Justificatif.statut == filtre.statut)
    if filtre.echeance_avant is not None:
        j.append(Justificatif.echeance < filtre.echeance_avant)
    specialites = _specialites_de(s, ctx, filtre)
    if specialites is not None and not specialites:
        return _Plan(True, ())
    c: list[Critere] = []
    if filtre.seulement_actives:
        c.append((Candidature.etat, "in", ETATS_ACTIFS))
    if filtre.session_id is not None:
        c.append((Candidature.session_id, "=", filtre.session_id))
    if filtre.domaine:
        c.append((Candidature.domaine_code, "=", filtre.domaine))
    if specialites is not None:
        c.append((Candidature.specialite_id, "in", sorted(specialites)))
    t = texte_recherche(filtre.candidat)  # a search never fails: invisible characters dropped
    colonne, cle = ((CompteCandidat.numero_candidat, t) if chiffres_ascii(t)
                    else (CompteCandidat.cle, cle_recherche(t)))
    if t and not cle:
        return _Plan(True, ())  # separators only (« _ », « - »): nobody, not everybody
    compte: list[Critere] = [(colonne, ">=", cle), (colonne, "<", prefixe_suivant(cle))] if cle else []
    return _Plan(False, tuple(j), tuple(c), tuple(compte))


def _au_plus(s: Session, q: Select, n: int) -> bool:  # type: ignore[type-arg]
    """Whether ``q`` has at most ``n`` rows, reading no more than n + 1 of them."""
    return (s.scalar(select(func.count()).select_from(q.limit(n + 1).subquery())) or 0) <= n


def grille(ctx: Contexte, filtre: FiltrePieces, *, apres: tuple[datetime, int] | None = None,
           limite: int = TAILLE_PAGE) -> list[LignePiece]:
    """One page of pieces ordered by (deadline, id); ``apres`` is the last row's ``cle``."""
    exiger(ctx, P.PIECES_CONTROLER)
    with ctx.lecture() as s:
        plan = _planifier(s, ctx, filtre)
        if plan.vide:
            return []
        curseur = []
        if apres is not None:
            # A row-value comparison: one range on the (echeance, id) index, at any depth.
            curseur.append(tuple_(Justificatif.echeance, Justificatif.id) > tuple_(*apres))
        ordre = (Justificatif.echeance, Justificatif.id)
        if not (plan.restreint and _au_plus(s, plan.candidatures(), SEUIL_PILOTAGE)):
            q = _base(_COLONNES).where(*plan.criteres_j, *plan.sans_index(), *curseur)
            return [_ligne(tuple(r)) for r in s.execute(q.order_by(*ordre).limit(limite))]
        # A few thousand candidatures: their pieces come from a covering index, the page is sorted,
        # and only its rows are joined to the candidate's details.
        ids = list(s.scalars(select(Justificatif.id).where(
            Justificatif.candidature_id.in_(plan.candidatures()), *plan.criteres_j, *curseur)
            .order_by(*ordre).limit(limite)))
        if not ids:
            return []
        page = _base(_COLONNES).where(Justificatif.id.in_(ids)).order_by(*ordre)
        return [_ligne(tuple(r)) for r in s.execute(page)]


def compter_par_statut(ctx: Contexte, filtre: FiltrePieces) -> dict[str, int]:
    """Pieces per status under every filter but the status one (so that each counter says what
    choosing it would show). Every status is present, zero included."""
    exiger(ctx, P.PIECES_CONTROLER)
    comptes = dict.fromkeys(regles.STATUTS, 0)
    with ctx.lecture() as s:
        plan = _planifier(s, ctx, filtre, avec_statut=False)
        if plan.vide:
            return comptes
        statut = Justificatif.statut
        tout = select(statut, func.count()).where(*plan.criteres_j).group_by(statut)

        def parmi(candidatures: Select) -> Select:  # type: ignore[type-arg]
            # Grouped on an expression: SQLite would otherwise walk the status index for its order
            # and look each piece's candidature up, instead of starting from the candidatures.
            groupe = statut.concat("")       # selected as grouped: PostgreSQL requires the same expression
            return select(groupe, func.count()).where(
                Justificatif.candidature_id.in_(candidatures), *plan.criteres_j).group_by(groupe)

        lots: list[tuple[int, Select]] = []  # type: ignore[type-arg]
        if not plan.criteres_c and not plan.criteres_compte:
            lots = [(1, tout)]
        elif plan.criteres_compte or _au_plus(s, plan.candidatures(), SEUIL_PILOTAGE) \
                or not _au_plus(s, plan.autres_candidatures(), SEUIL_PILOTAGE):
            lots = [(1, parmi(plan.candidatures()))]
        else:
            # Most candidatures match (« active », the current session): every piece from one index,
            # less the pieces of the few candidatures left out.
            lots = [(1, tout), (-1, parmi(plan.autres_candidatures()))]
        for signe, q in lots:
            for valeur, n in s.execute(q):
                comptes[valeur] = comptes.get(valeur, 0) + signe * n
    return comptes


def ligne(ctx: Contexte, justificatif_id: int) -> LignePiece:
    """One row afresh, after a status change or a deposit."""
    exiger(ctx, P.PIECES_CONTROLER)
    with ctx.lecture() as s:
        r = s.execute(_base(_COLONNES).where(Justificatif.id == justificatif_id)).first()
    if r is None:
        raise NotFound("Cette pièce n'existe plus.")
    return _ligne(tuple(r))


def historique(ctx: Contexte, justificatif_id: int) -> list[FichierVue]:
    """Every file deposited for the piece, newest first (replaced ones included)."""
    exiger(ctx, P.PIECES_CONTROLER)
    with ctx.lecture() as s:
        return [FichierVue(f.id, normaliser_nom(f.nom_original, f.type_mime), f.type_mime, f.taille, f.depose_le,
                           f.actif)
                for f in s.scalars(select(FichierJustificatif)
                                   .where(FichierJustificatif.justificatif_id == justificatif_id)
                                   .order_by(FichierJustificatif.id.desc()))]


def filieres(ctx: Contexte) -> list[str]:
    """The filières of the référentiel's spécialités, for the filter."""
    exiger(ctx, P.PIECES_CONTROLER)
    with ctx.lecture() as s:
        return list(s.scalars(select(Specialite.filiere).where(Specialite.filiere.is_not(None))
                              .distinct().order_by(Specialite.filiere)))
