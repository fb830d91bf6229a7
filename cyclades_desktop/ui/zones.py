"""The areas of the main window. Only working areas are listed; each is shown to the roles
whose permission it names (the services check again)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QWidget

from ..services.noyau import Contexte, P


@dataclass(frozen=True)
class DefinitionZone:
    cle: str
    titre: str
    permission: P
    module: str          # "cyclades_desktop.ui.comptes.zone:ZoneComptes"

    def fabriquer(self, ctx: Contexte) -> QWidget:
        mod, _, cls = self.module.partition(":")
        fabrique: Callable[[Contexte], QWidget] = getattr(import_module(mod), cls)
        return fabrique(ctx)


ZONES: list[DefinitionZone] = [
    DefinitionZone("candidats", "Candidats", P.COMPTES_LIRE, "cyclades_desktop.ui.comptes.zone:ZoneComptes"),
    DefinitionZone("pieces", "Pièces justificatives", P.PIECES_CONTROLER,
                   "cyclades_desktop.ui.pieces.zone:ZonePieces"),
    DefinitionZone("referentiel", "Référentiel", P.REFERENTIEL_LIRE,
                   "cyclades_desktop.ui.referentiel.zone:ZoneReferentiel"),
    DefinitionZone("personnel", "Personnel", P.PERSONNEL_GERER, "cyclades_desktop.ui.personnel.zone:ZonePersonnel"),
    DefinitionZone("audit", "Journal d'audit", P.AUDIT_LIRE, "cyclades_desktop.ui.audit.zone:ZoneAudit"),
    # Gestionnaires for the relances; annulations and écartements inside are the chef's (P.MAINTENANCE).
    DefinitionZone("traitements", "Traitements", P.PIECES_CONTROLER,
                   "cyclades_desktop.ui.traitements.zone:ZoneTraitements"),
    DefinitionZone("impressions", "Impressions", P.IMPRESSIONS,
                   "cyclades_desktop.ui.impressions.zone:ZoneImpressions"),
    DefinitionZone("organisation", "Organisation des examens", P.ORGANISATION_LIRE,
                   "cyclades_desktop.ui.organisation.zone:ZoneOrganisation"),
    DefinitionZone("boite_envoi", "Boîte d'envoi", P.COURRIELS_GERER,
                   "cyclades_desktop.ui.courriels.zone:ZoneBoiteEnvoi"),
    # Gestionnaires (their portfolio) and the chef: grade entry and deliberation; the services check again.
    DefinitionZone("resultats", "Résultats", P.NOTES_SAISIR, "cyclades_desktop.ui.resultats.zone:ZoneResultats"),
]
