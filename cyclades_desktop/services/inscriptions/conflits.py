"""Concurrent edits of a candidature: the conflict when the wizard's save is refused (the comparison
itself is noyau/conflits.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...rules import inscriptions as regles_inscriptions
from ..noyau import Contexte
from ..noyau.conflits import VIDE, Conflit, comparer, dernier_auteur, en_dict, texte_valeur
from . import enregistrement as inscriptions

__all__ = ["Conflit", "LIBELLES_CANDIDATURE", "conflit_candidature"]


LIBELLES_CANDIDATURE = {
    # The wizard's own labels (ui/inscription/), shortened where they are whole sentences.
    "modalites_acceptees": "Modalités acceptées", "adresse_pays": "Pays",
    "adresse_voie": "Numéro, rue, voie", "adresse_complement1": "Complément adresse 1",
    "adresse_complement2": "Complément adresse 2", "adresse_complement3": "Complément adresse 3",
    "code_postal": "Code postal", "localite": "Localité", "commune_code": "Commune (code INSEE)",
    "nationalite": "Nationalité", "telephone_mobile": "Téléphone personnel mobile",
    "telephone_fixe": "Téléphone personnel", "categorie_code": "Catégorie du candidat",
    "situation_code": "Situation à l'inscription", "amenagement_duree": "Aménagement de la durée de formation",
    "etablissement_uai": "Établissement", "classe": "Classe", "ine": "Identifiant National (INE)",
    "handicap": "Demande d'aménagement(s) d'épreuves au titre du handicap",
    "consentement_presse": "Communication des résultats à la presse",
    "consentement_collectivites": "Communication des résultats aux collectivités",
    "condition_acces": "Vous vous présentez au titre de", "specialite_id": "Spécialité",
    "section_langue": "Section de langue", "forme_passage": "Forme de passage",
    "derogation": "Dérogation à la forme de passage", "forme_finale": "Forme de passage finale",
    "acquis": "Acquis", "choix": "Choix des épreuves", "conditions_acceptees": "Conditions acceptées",
}
# Ticked again by the user at every save: never a change of theirs nor of the other workstation's.
_IGNORES_CANDIDATURE = frozenset({"modalites_acceptees", "conditions_acceptees"})


def _texte_candidature(k: str, v: Any) -> str:
    if k == "choix":
        return "modifié" if v else VIDE
    if k == "acquis":
        return ", ".join(a.type_code for a in v) if v else VIDE
    return texte_valeur(v)


def conflit_candidature(ctx: Contexte, d: inscriptions.Demarrage,
                        ouverture: regles_inscriptions.SaisieCandidature,
                        mien: regles_inscriptions.SaisieCandidature, *,
                        mien_ouverture: regles_inscriptions.SaisieCandidature | None = None) -> Conflit:
    """``d`` is the Demarrage the form saved with; the conflict's ``frais`` is the fresh one (same
    motif), ready for the next save."""
    assert d.candidature_id is not None
    d_frais, frais = inscriptions.ouvrir(ctx, d.candidature_id)
    d_frais = replace(d_frais, motif_hors_periode=d.motif_hors_periode)

    def sans_cases(x: regles_inscriptions.SaisieCandidature) -> dict[str, Any]:
        return {k: v for k, v in en_dict(x).items() if k not in _IGNORES_CANDIDATURE}

    cmp = comparer(sans_cases(ouverture), sans_cases(frais), sans_cases(mien), libelles=LIBELLES_CANDIDATURE,
                   mien_ouverture=sans_cases(mien_ouverture) if mien_ouverture is not None else None,
                   texte=_texte_candidature)
    valeurs = {**cmp.valeurs, **{k: getattr(mien, k) for k in _IGNORES_CANDIDATURE}}
    auteur, quand = dernier_auteur(ctx, "candidature", d.candidature_id)
    titre = f"La candidature N° {d_frais.identite.numero_candidat}-{d_frais.numero_inscription}"
    return Conflit("candidature", d.candidature_id, titre, auteur, quand, cmp.changements, cmp.reappliques,
                   cmp.non_reappliques, regles_inscriptions.SaisieCandidature(**valeurs),
                   d_frais.row_version or 0, d_frais, feminin=True)
