"""Grade entry candidate by candidate for a whole jury (docs/domaine/resultats.md#notes, RES-7): the oral,
practical and CCF units that are not graded through a lot of anonymous copies. One read for the entry
grid; each grade is then written through ``enregistrer_notes_candidature``."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from ...models import Candidature, Jury
from ...rules.resultats import Ecart
from ..noyau import Contexte, P, charger_ou_erreur, exiger
from .commun import Referentiel, exiger_specialites
from .controles_notes import charger_dossiers
from .jurys import filtre_candidatures
from .notes import VueNotesCandidature, _vue_candidature


@dataclass(frozen=True)
class VueSaisieJury:
    candidats: tuple[VueNotesCandidature, ...]     # by name
    ecarts: tuple[Ecart, ...]                       # key: « NOM Prénoms (N° …), U11 »


def notes_jury(ctx: Contexte, jury_id: int, *, seconde: bool = False) -> VueSaisieJury:
    """The jury's candidates with their units and grades; for a blind second entry the first grades are
    hidden (the discrepancies found so far are listed all the same: they name no grade the operator types)."""
    exiger(ctx, P.NOTES_SAISIR)
    with ctx.lecture() as s:
        jury = charger_ou_erreur(s, Jury, jury_id, "Ce jury n'existe plus : rechargez la liste.")
        filtre = filtre_candidatures(jury)
        exiger_specialites(s, ctx, s.scalars(select(Candidature.specialite_id).distinct().where(*filtre)))
        ids = list(s.scalars(select(Candidature.id).where(*filtre).order_by(Candidature.id)))
        dossiers = charger_dossiers(s, Referentiel(s), ids)
        vues = sorted((_vue_candidature(s, dossiers[i], controle=False, aveugle=False) for i in ids),
                      key=lambda v: (v.candidat, v.candidature_id))
        ecarts = tuple(Ecart(f"{v.candidat}, {x.libelle.split(' ')[0]}", x.note, x.seconde, x.saisie_par,
                             x.seconde_par) for v in vues for x in v.lignes if x.ecart)
        if seconde:
            vues = [VueNotesCandidature(v.candidature_id, v.candidat, v.specialite_id, tuple(
                replace(x, note="", seconde="", ecart=False) for x in v.lignes)) for v in vues]
        return VueSaisieJury(tuple(vues), ecarts)
