"""Pièces justificatives of one candidature (docs/domaine/justificatifs.md): derived from the
candidature at each save, deposited file by file, validated by group, received by post, reviewed by
the gestionnaires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import (
    Candidature,
    Categorie,
    CompteCandidat,
    Echeance,
    FichierJustificatif,
    Justificatif,
    Periode,
    PieceCatalogue,
    Specialite,
)
from ...rules import fichiers as regles_fichiers
from ...rules import pieces as regles
from ...rules.errors import ConflictError, DomainError, NotFound, ValidationError
from ...rules.inscriptions import ETATS_ACTIFS
from ...rules.referentiel import semaine_apres
from ...rules.temps import age_le, paris
from ...storage.fichiers import depot_de
from ...storage.verification_fichier import verifier as verifier_fichier
from ..noyau import Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .portefeuilles import exiger_portefeuille

CONFIRMATION = "CONFIRMATION"


# --- requirements ------------------------------------------------------------------------------

def situation(s: Session, c: Candidature, compte: CompteCandidat) -> regles.Situation:
    cat = s.get(Categorie, c.categorie_code) if c.categorie_code else None
    spec = s.get(Specialite, c.specialite_id) if c.specialite_id else None
    jour = paris(c.inscrit_le or c.cree_le).date()
    return regles.Situation(
        domaine=c.domaine_code, individuel=bool(cat and cat.individuel), famille=cat.famille if cat else "",
        nationalite=c.nationalite or "", age=age_le(compte.date_naissance, jour), a_des_acquis=bool(c.acquis),
        certification_europeenne=any("CERTIFICATION_EUROPEENNE" in a.type_code for a in c.acquis),
        handicap=bool(c.handicap),
        secteur_industriel=bool(spec and spec.secteur_industriel and spec.r408_requis is not False))


def catalogue(s: Session) -> list[regles.PieceCatalogue]:
    return [regles.PieceCatalogue(p.code, p.libelle, p.condition_cle, p.mode_depot, tuple(p.domaines or ()))
            for p in s.scalars(select(PieceCatalogue).order_by(PieceCatalogue.code))]


def _delais(s: Session, c: Candidature, piece_code: str) -> tuple[datetime | None, datetime, str | None]:
    """(opening, deadline, échéance code): the piece's own échéance (R.408), else the confirmation's,
    else one week after the period closes (docs/domaine/justificatifs.md#echeances)."""
    periode = s.scalar(select(Periode).where(Periode.session_id == c.session_id,
                                             Periode.domaine_code == c.domaine_code))
    echeances = {e.code: e for e in s.scalars(select(Echeance).where(
        Echeance.session_id == c.session_id, Echeance.domaine_code == c.domaine_code))}
    e = echeances.get(piece_code) or echeances.get(CONFIRMATION)
    ouverture = periode.ouverture if periode else None
    if e is not None:
        return ouverture, e.date_limite, e.code
    # A week in Paris wall-clock time: a clock change in between keeps « 23:59 » at 23:59.
    return ouverture, semaine_apres(periode.cloture if periode else (c.inscrit_le or c.cree_le)), None


def synchroniser(s: Session, ctx: Contexte, c: Candidature, compte: CompteCandidat) -> bool:
    """Bring the candidature's pieces in line with its data, in the caller's transaction. A piece no
    longer required is kept (files and status) but marked as such; nothing deposited is lost.
    Returns True when the list the candidate sees changed."""
    exigees = {p.code: p for p in regles.pieces_exigees(catalogue(s), situation(s, c, compte))}
    existantes = {j.piece_code: j for j in s.scalars(select(Justificatif).where(
        Justificatif.candidature_id == c.id))}
    change = False
    for code, p in exigees.items():
        j = existantes.get(code)
        if j is None:
            ouverture, echeance, code_ech = _delais(s, c, code)
            mode = regles.mode_de(p)
            s.add(Justificatif(candidature_id=c.id, piece_code=code, libelle=p.libelle, mode_depot=mode,
                               ouverture=ouverture, echeance=echeance, echeance_code=code_ech,
                               statut=regles.EN_ATTENTE_CONTROLE if mode == regles.COURRIER else regles.AUCUN))
            change = True
        elif not j.requis:
            j.requis = True
            change = True
    for code, j in existantes.items():
        if code not in exigees and j.requis:
            j.requis = False
            change = True
    if change:
        s.flush()
    return change


# --- what the candidate sees -------------------------------------------------------------------

@dataclass(frozen=True)
class FichierVue:
    id: int
    nom: str
    type_mime: str
    taille: int
    depose_le: datetime
    actif: bool


@dataclass(frozen=True)
class PieceVue:
    id: int
    code: str
    libelle: str
    mode: str
    statut: str
    statut_libelle: str
    commentaire: str | None
    date_reception: date | None
    depose_le: datetime | None
    valide_le: datetime | None
    fichier: FichierVue | None
    historique: tuple[FichierVue, ...]
    peut_deposer: bool
    raison: str | None            # why a deposit is refused now
    row_version: int
    date_cachet: date | None = None   # the postmark of a posted piece, when recorded


@dataclass(frozen=True)
class GroupeVue:
    cle: str
    titre: str
    mode: str
    echeance: datetime
    pieces: tuple[PieceVue, ...]
    peut_valider: bool
    raison: str | None

    @property
    def valide(self) -> bool:
        return all(p.valide_le is not None for p in self.pieces)


def _refus_depot(j: Justificatif, maintenant: datetime, active: bool) -> str | None:
    return regles.refus_depot(j.mode_depot, j.statut, j.valide_le, j.echeance, maintenant, active)


def _vue_fichier(f: FichierJustificatif) -> FichierVue:
    # Normalised again on the way out: deposits made before names were normalised show safely too.
    return FichierVue(f.id, regles_fichiers.normaliser_nom(f.nom_original, f.type_mime), f.type_mime, f.taille,
                      f.depose_le, f.actif)


def _vue(j: Justificatif, maintenant: datetime, active: bool) -> PieceVue:
    actifs = [f for f in j.fichiers if f.actif]
    raison = _refus_depot(j, maintenant, active)
    return PieceVue(j.id, j.piece_code, j.libelle, j.mode_depot, j.statut, regles.STATUTS.get(j.statut, j.statut),
                    j.commentaire, j.date_reception, j.depose_le, j.valide_le,
                    _vue_fichier(actifs[-1]) if actifs else None,
                    tuple(_vue_fichier(f) for f in reversed(j.fichiers)), raison is None, raison, j.row_version,
                    j.date_cachet)


def mes_justificatifs(ctx: Contexte, candidature_id: int) -> list[GroupeVue]:
    """The pieces required, grouped by deposit mode and deadline (docs/domaine/justificatifs.md#groupes)."""
    exiger(ctx, P.COMPTES_LIRE)
    maintenant = ctx.clock.now()
    with ctx.lecture() as s:
        c = charger_ou_erreur(s, Candidature, candidature_id, "Cette candidature n'existe plus.")
        active = c.etat in ETATS_ACTIFS
        rows = list(s.scalars(select(Justificatif).where(Justificatif.candidature_id == candidature_id,
                                                         Justificatif.requis.is_(True))
                              .options(selectinload(Justificatif.fichiers))
                              .order_by(Justificatif.mode_depot.desc(), Justificatif.echeance, Justificatif.id)))
        groupes: dict[str, list[Justificatif]] = {}
        for j in rows:
            groupes.setdefault(regles.cle_groupe(j.mode_depot, j.echeance), []).append(j)
        out = []
        for cle, js in groupes.items():
            vues = tuple(_vue(j, maintenant, active) for j in js)
            raison = _refus_validation(js, maintenant, active)
            out.append(GroupeVue(cle, regles.libelle_groupe(js[0].mode_depot, js[0].ouverture, js[0].echeance),
                                 js[0].mode_depot, js[0].echeance, vues, raison is None, raison))
    return out


def _refus_validation(js: list[Justificatif], maintenant: datetime, active: bool) -> str | None:
    pieces = [regles.PieceDeposee(j.piece_code, j.statut, j.valide_le, any(f.actif for f in j.fichiers)) for j in js]
    return regles.refus_validation(js[0].mode_depot, js[0].echeance, pieces, maintenant, active)


# --- deposits and validation -------------------------------------------------------------------

def _charger(s: Session, justificatif_id: int) -> Justificatif:
    j = s.scalar(select(Justificatif).where(Justificatif.id == justificatif_id)
                 .options(selectinload(Justificatif.fichiers)))
    if j is None:
        raise NotFound("Cette pièce n'existe plus.")
    return j


def _active(s: Session, j: Justificatif) -> bool:
    c = s.get(Candidature, j.candidature_id)
    return c is not None and c.etat in ETATS_ACTIFS


def deposer(ctx: Contexte, justificatif_id: int, nom: str, contenu: bytes) -> FichierVue:
    """« Ajouter »: the file is checked (its name, and its content in a child process bounded in time
    and memory: a few seconds at most), stored (never overwritten), then recorded under its
    normalised name. Slow enough to be run off the GUI thread."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    controle = verifier_fichier(nom, contenu)
    with ctx.lecture() as s:        # refuse before writing anything to disk
        j = _charger(s, justificatif_id)
        if raison := _refus_depot(j, ctx.clock.now(), _active(s, j)):
            raise DomainError(raison)
    sha = depot_de(ctx.db).ecrire(contenu)   # durable before the row that points to it
    with ctx.transaction() as s:
        j = _charger(s, justificatif_id)
        now = ctx.clock.now()
        if raison := _refus_depot(j, now, _active(s, j)):
            raise DomainError(raison)
        for f in j.fichiers:
            if f.actif:
                f.actif, f.retire_le = False, now
        f = FichierJustificatif(sha256=sha, nom_original=controle.nom, type_mime=controle.type_mime,
                                taille=controle.taille, depose_le=now,
                                depose_par=ctx.agent.login if ctx.agent else "système")
        j.fichiers.append(f)
        j.depose_le, j.valide_le = now, None
        s.flush()
        audit.enregistrer(s, ctx, "depot_piece", "justificatif", j.id,
                          libelle=f"{j.piece_code} : {controle.nom}", apres={"sha256": sha, "taille": controle.taille})
        return _vue_fichier(f)


def supprimer_fichier(ctx: Contexte, justificatif_id: int) -> None:
    """Before validation only; the file stays in the history."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    with ctx.transaction() as s:
        j = _charger(s, justificatif_id)
        if raison := _refus_depot(j, ctx.clock.now(), _active(s, j)):
            raise DomainError(raison)
        actifs = [f for f in j.fichiers if f.actif]
        if not actifs:
            raise DomainError("Aucun fichier à supprimer pour cette pièce.")
        now = ctx.clock.now()
        for f in actifs:
            f.actif, f.retire_le = False, now
        j.depose_le = None
        audit.enregistrer(s, ctx, "suppression_fichier_piece", "justificatif", j.id, libelle=j.piece_code)


def valider_groupe(ctx: Contexte, candidature_id: int, cle: str) -> int:
    """« J'ai fourni toutes mes pièces »: stamps a validation date and locks the group's files."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    with ctx.transaction() as s:
        c = charger_ou_erreur(s, Candidature, candidature_id, "Cette candidature n'existe plus.")
        js = [j for j in s.scalars(select(Justificatif).where(Justificatif.candidature_id == candidature_id,
                                                              Justificatif.requis.is_(True))
                                   .options(selectinload(Justificatif.fichiers)))
              if regles.cle_groupe(j.mode_depot, j.echeance) == cle]
        if not js:
            raise NotFound("Ce groupe de pièces n'existe plus.")
        exiger_portefeuille(s, ctx, [c.id])
        now = ctx.clock.now()
        if raison := _refus_validation(js, now, c.etat in ETATS_ACTIFS):
            raise DomainError(raison)
        n = 0
        for j in js:
            if j.valide_le is None:
                j.valide_le, j.statut = now, regles.EN_ATTENTE_CONTROLE
                n += 1
        audit.enregistrer(s, ctx, "validation_pieces", "candidature", c.id,
                          libelle=f"{n} pièce(s) validée(s)", apres={"groupe": cle})
        return n


def fichier_courant(ctx: Contexte, justificatif_id: int) -> tuple[FichierVue, bytes] | None:
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        j = _charger(s, justificatif_id)
        actifs = [f for f in j.fichiers if f.actif]
        if not actifs:
            return None
        f = actifs[-1]
        vue, sha = _vue_fichier(f), f.sha256
    return vue, depot_de(ctx.db).lire(sha)


def contenu_fichier(ctx: Contexte, fichier_id: int) -> tuple[FichierVue, bytes]:
    """Any file of the history (an old, replaced deposit included)."""
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        f = charger_ou_erreur(s, FichierJustificatif, fichier_id, "Ce fichier n'existe plus.")
        vue, sha = _vue_fichier(f), f.sha256
    return vue, depot_de(ctx.db).lire(sha)


# --- the office's review -----------------------------------------------------------------------

def changer_statut(ctx: Contexte, ids: list[int], statut: str, *, commentaire: str | None = None,
                   date_reception: date | None = None, date_cachet: date | None = None,
                   row_versions: dict[int, int] | None = None) -> int:
    """Set one status on one or several pieces (keyboard or bulk), in one transaction. A gestionnaire
    only inside their portfolio."""
    exiger(ctx, P.PIECES_CONTROLER)
    return _changer_statut(ctx, ids, statut, commentaire=commentaire, date_reception=date_reception,
                           date_cachet=date_cachet, cachet_saisi=date_cachet is not None, row_versions=row_versions)


def _changer_statut(ctx: Contexte, ids: list[int], statut: str, *, commentaire: str | None,
                    date_reception: date | None, date_cachet: date | None, cachet_saisi: bool,
                    row_versions: dict[int, int] | None = None, courrier_seulement: bool = False) -> int:
    """``cachet_saisi``: the postmark was typed with this reception (None then means « none »);
    otherwise a piece keeps its postmark while its reception date stays the same."""
    aujourd_hui = paris(ctx.clock.now()).date()
    if statut == regles.RECUE and date_reception is None:
        date_reception = aujourd_hui
    if statut != regles.RECUE and date_cachet is not None:
        raise ValidationError({"date_cachet": "Le cachet de la poste ne s'enregistre qu'avec une réception."})
    if err := regles.verifier_statut(statut, commentaire=commentaire, date_reception=date_reception,
                                     aujourd_hui=aujourd_hui, date_cachet=date_cachet):
        raise ValidationError(err)
    if not ids:
        raise DomainError("Sélectionnez au moins une pièce.")
    with conflit_si_perime("Une pièce a été modifiée entre-temps sur un autre poste : rechargez la liste."):
        with ctx.transaction() as s:
            now = ctx.clock.now()
            js = list(s.scalars(select(Justificatif).where(Justificatif.id.in_(ids))))
            if len(js) != len(set(ids)):
                raise NotFound("Une des pièces sélectionnées n'existe plus : rechargez la liste.")
            exiger_portefeuille(s, ctx, {j.candidature_id for j in js})
            for j in js:
                if courrier_seulement:
                    if j.mode_depot != regles.COURRIER:
                        raise DomainError("Cette pièce se dépose en ligne : elle n'a pas de date de réception.")
                    if j.statut in (regles.CONFORME, regles.NON_CONFORME):
                        raise DomainError(f"La pièce {j.piece_code} a déjà été contrôlée "
                                          f"({regles.STATUTS[j.statut]}) : seul un gestionnaire peut la modifier.")
                    if not _active(s, j):
                        raise DomainError("Cette candidature n'est plus active.")
                if row_versions and row_versions.get(j.id, j.row_version) != j.row_version:
                    raise ConflictError(f"La pièce {j.piece_code} a été modifiée entre-temps sur un autre poste : "
                                        "rechargez la liste.")
                avant = _etat_piece(j)
                j.statut = statut
                j.commentaire = (commentaire or "").strip() or (None if statut in (regles.CONFORME, regles.RECUE)
                                                                else j.commentaire)
                if statut == regles.RECUE:
                    if cachet_saisi or j.date_reception != date_reception:
                        # Another envelope: the postmark recorded for the previous one no longer holds.
                        j.date_cachet = date_cachet
                    j.date_reception = date_reception
                j.revu_par, j.revu_le = (ctx.agent.login if ctx.agent else "système"), now
                audit.enregistrer(s, ctx, "statut_piece", "justificatif", j.id,
                                  libelle=f"{j.piece_code} : {regles.STATUTS[statut]}", avant=avant,
                                  apres=_etat_piece(j))
            s.flush()
            return len(js)


def _etat_piece(j: Justificatif) -> dict[str, str | None]:
    return {"statut": j.statut, "commentaire": j.commentaire,
            "date_reception": j.date_reception.isoformat() if j.date_reception else None,
            "date_cachet": j.date_cachet.isoformat() if j.date_cachet else None}


def enregistrer_reception(ctx: Contexte, justificatif_id: int, date_reception: date,
                          date_cachet: date | None = None) -> None:
    """A piece sent by post arrived: its reception date and, when legible, its postmark, which counts
    for the deadline (docs/domaine/justificatifs.md#courrier). The counter records it; checking it
    is the gestionnaire's job, inside their portfolio."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    _changer_statut(ctx, [justificatif_id], regles.RECUE, commentaire=None, date_reception=date_reception,
                    date_cachet=date_cachet, cachet_saisi=True, courrier_seulement=True)
