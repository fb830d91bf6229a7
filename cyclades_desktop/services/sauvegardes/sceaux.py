"""The audit seals the backups carry: each manifest records the trail's head at backup time
(``rules.audit.CLE_MANIFESTE``), a copy the database cannot rewrite. ``audit.verifier_chaine`` checks
the trail against them (docs/domaine/rgpd.md#journal-audit)."""

from __future__ import annotations

from pathlib import Path

from ...rules.audit import CLE_MANIFESTE, Sceau, sceau_depuis_dict, source_sauvegarde
from ...rules.errors import DomainError
from ..noyau import Contexte, P, exiger
from .manifeste import lire_manifeste
from .sauvegarde import dossier_effectif, lister


def ancres_audit(ctx: Contexte, dossier: str | Path | None = None) -> list[Sceau]:
    """The seals of the backups in ``dossier`` (default: the settings' folder); older backups have
    none. A folder out of reach gives none: the verification then says it found no seal."""
    exiger(ctx, P.AUDIT_LIRE)
    ancres: list[Sceau] = []
    try:
        sauvegardes = lister(dossier_effectif(ctx, dossier))
    except OSError:
        return []
    for s in sauvegardes:
        try:
            valeur = lire_manifeste(s.chemin).get(CLE_MANIFESTE)
        except DomainError:
            continue
        sceau = sceau_depuis_dict(valeur, source_sauvegarde(s.cree_le))
        if sceau is not None:
            ancres.append(sceau)
    return ancres
