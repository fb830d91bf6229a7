"""Correcting a result once its deliberation is closed (docs/domaine/resultats.md#decisions, RES-14): the chef
de bureau only, with a motif. The grades corrected and the jury's points are applied, the engine computes
again, and a new version of the result is added beside the signed one, which stays as it was."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from ...models import Deliberation, NoteUnite, ResultatCandidature
from ...rules.errors import ConflictError, DomainError, NotFound, ValidationError
from ...rules.resultats import (
    EtatDeliberation,
    StatutResultat,
    analyser_note,
    colonnes_note,
    lire_points_jury,
    note_stockee,
    texte_note,
)
from ..noyau import SYSTEME, Contexte, P, audit, charger_ou_erreur, conflit_si_perime, exiger
from .calcul import colonnes
from .commun import Referentiel, conflit, unite_par_code_ou_numero
from .controles_notes import charger_dossiers, refus
from .deliberation import motif_obligatoire, recalculer_un
from .deliberation_lecture import VueResultat, resultat_courant, vues_resultats
from .notes import SaisieNote


def corriger_resultat(ctx: Contexte, candidature_id: int, motif: str, row_version: int, *,
                      notes: Sequence[SaisieNote] = (), points_jury: str | None = None) -> VueResultat:
    """A new version of the candidature's result, from its grades corrected (``notes``: unit → grade, with
    each grade's row version) and, if given, the jury's points; ``row_version`` is the current result's."""
    exiger(ctx, P.RESULTATS_CORRIGER)
    pourquoi = motif_obligatoire(motif, "motif", "Indiquez le motif de la correction : il est enregistré au journal.")
    points = lire_points_jury(points_jury) if points_jury is not None and points_jury.strip() else None
    agent, maintenant = (ctx.agent or SYSTEME).login, ctx.clock.now()
    message = conflit("Ce résultat")
    with conflit_si_perime(message), ctx.transaction() as s:
        r = resultat_courant(s, candidature_id)
        if r is None:
            raise NotFound("Ce candidat n'a pas encore de résultat : il n'y a rien à corriger.")
        if r.row_version != row_version:
            raise ConflictError(message)
        d = charger_ou_erreur(s, Deliberation, r.deliberation_id, "Cette délibération n'existe plus.")
        if d.etat != EtatDeliberation.CLOSE:
            raise DomainError("La délibération de ce jury n'est pas close : les notes et les points se corrigent "
                              "dans la délibération, qui se recalcule.")
        ref = Referentiel(s)
        dossier = charger_dossiers(s, ref, [candidature_id])[candidature_id]
        e: dict[str, str] = {}
        changements = []
        for x in notes:
            u = unite_par_code_ou_numero(dossier.unites, x.cle)
            note, erreur = analyser_note(x.texte)
            if u is None:
                e[x.cle] = f"Unité inconnue pour cette candidature : {x.cle.strip() or '(vide)'}."
            elif erreur is not None or note is None:
                e[x.cle] = erreur or "Note absente."
            elif m := refus(dossier, u.code, note, par_lot=True):
                e[x.cle] = m
            else:
                changements.append((u.code, note, x.row_version))
        if e:
            raise ValidationError(e)
        for code, note, rv in changements:
            n = dossier.notes.get((code, 1))
            if (n.row_version if n else None) != rv:
                raise ConflictError(conflit(f"La note de {code}", feminin=True, qui=n.saisie_par if n else None))
            avant = texte_note(note_stockee(n.valeur, n.marque)) if n else None
            if n is None:
                n = NoteUnite(candidature_id=candidature_id, unite_code=code, groupe=1, origine="saisie")
                s.add(n)
            n.valeur, n.marque = colonnes_note(note)
            n.saisie_par, n.saisie_le, n.seconde_valeur, n.seconde_marque, n.seconde_par, n.seconde_le = \
                agent, maintenant, None, None, None, None
            audit.enregistrer(s, ctx, "correction_note", "candidature", candidature_id,
                              libelle=f"Correction de la note de {code}", avant={code: avant},
                              apres={code: texte_note(note)}, motif=pourquoi)
        s.flush()
        nouveaux_points = Decimal(r.points_jury) if points is None else points
        res = recalculer_un(s, ref, r, d, nouveaux_points)
        nouveau = ResultatCandidature(
            candidature_id=candidature_id, deliberation_id=r.deliberation_id, version=r.version + 1,
            statut=StatutResultat.ARRETE, calcule_le=maintenant, decide_le=maintenant, decide_par=agent,
            au_nom_de=r.au_nom_de, corrige_le=maintenant, corrige_par=agent, motif_correction=pourquoi,
            points_jury=nouveaux_points,
            points_jury_par=r.points_jury_par if points is None else agent,
            points_jury_le=r.points_jury_le if points is None else maintenant,
            points_jury_motif=r.points_jury_motif if points is None else pourquoi)
        for k, v in colonnes(res).items():
            setattr(nouveau, k, v)
        s.add(nouveau)
        try:
            s.flush()
        except IntegrityError as exc:     # another workstation added the same version first
            raise ConflictError(message) from exc
        audit.enregistrer(s, ctx, "correction_resultat", "candidature", candidature_id,
                          libelle=f"Correction du résultat (version {nouveau.version})",
                          avant={"decision": r.decision, "mention": r.mention, "moyenne": f"{r.moyenne_generale}",
                                 "points_jury": f"{r.points_jury:f}"},
                          apres={"decision": nouveau.decision, "mention": nouveau.mention,
                                 "moyenne": f"{nouveau.moyenne_generale}", "points_jury": f"{nouveaux_points:f}"},
                          motif=pourquoi)
        return vues_resultats(s, [nouveau])[0]
