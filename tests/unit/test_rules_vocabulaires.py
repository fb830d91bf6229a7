"""The state vocabularies of rules/: each StrEnum member is exactly the string the database has always
stored (rows written before the enums must still compare equal), and carries its French label."""

from __future__ import annotations

from enum import StrEnum

import pytest

from cyclades_desktop.models.candidature import _ACTIVE_SQL
from cyclades_desktop.rules.comptes import EtatCompte
from cyclades_desktop.rules.courriels import EtatEnvoi, Securite
from cyclades_desktop.rules.impressions import EtatLot
from cyclades_desktop.rules.inscriptions import ETATS_ACTIFS, EtatCandidature, TypeDocument
from cyclades_desktop.rules.organisation import StatutAmenagement, TypeEpreuve
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.rules.pieces import ModeDepot, StatutPiece

# What the tables hold, written out: a renamed member must not change a stored value.
STOCKE: dict[type[StrEnum], dict[str, str]] = {
    EtatCompte: {"EN_ATTENTE": "en_attente", "ACTIF": "actif"},
    EtatCandidature: {"A_COMPLETER": "a_completer", "INSCRIT": "inscrit", "DESINSCRIT": "desinscrit",
                      "ECARTEE": "ecartee", "ANNULEE": "annulee", "SUPPRIMEE": "supprimee"},
    TypeDocument: {"RECAPITULATIF": "recapitulatif", "DEMANDE_PIECES": "demande_pieces",
                   "RELANCE_PIECES": "relance_pieces", "NOTIFICATION_AMENAGEMENTS": "notification_amenagements",
                   "CONVOCATION": "convocation", "RELEVE_NOTES": "releve_notes"},
    StatutAmenagement: {"DEMANDE": "demande", "ACCORDE": "accorde", "PARTIEL": "partiel", "REFUSE": "refuse"},
    TypeEpreuve: {"ECRIT": "ecrit", "ORAL": "oral", "PRATIQUE": "pratique"},
    EtatEnvoi: {"A_ENVOYER": "a_envoyer", "ENVOYE": "envoye", "ECHEC": "echec"},
    Securite: {"AUCUNE": "aucune", "STARTTLS": "starttls", "SSL": "ssl"},
    EtatLot: {"EN_COURS": "en_cours", "TERMINE": "termine", "ANNULE": "annule"},
    Role: {"AGENT": "agent", "GESTIONNAIRE": "gestionnaire", "CHEF": "chef"},
    StatutPiece: {"AUCUN": "", "EN_ATTENTE_CONTROLE": "en_attente_controle", "RECUE": "recue",
                  "CONFORME": "conforme", "NON_CONFORME": "non_conforme", "NOUVELLE_PJ": "nouvelle_pj"},
    ModeDepot: {"EN_LIGNE": "en ligne", "COURRIER": "courrier"},
}


@pytest.mark.parametrize("enum", list(STOCKE), ids=lambda e: e.__name__)
def test_valeurs_stockees_et_libelles(enum: type[StrEnum]):
    assert {m.name: m.value for m in enum} == STOCKE[enum]
    for membre in enum:
        assert membre == membre.value and hash(membre) == hash(membre.value)   # stored rows still match
        assert isinstance(membre.libelle, str) and membre.libelle              # type: ignore[attr-defined]


def test_quelques_libelles():
    assert EtatCandidature.DESINSCRIT.libelle == "Désinscrit par le candidat"
    assert EtatCompte.EN_ATTENTE.libelle == "En attente d'activation"
    assert StatutAmenagement.PARTIEL.libelle == "Accordé partiellement"
    assert TypeDocument.RECAPITULATIF.libelle == "Récapitulatif de votre candidature"
    assert Role.CHEF.libelle == "Chef de bureau"
    assert StatutPiece.AUCUN.libelle == "(aucun)"


def test_les_etats_actifs_sont_ceux_de_l_index_unique():
    assert str(_ACTIVE_SQL) == "etat IN ({})".format(", ".join(f"'{e}'" for e in ETATS_ACTIFS))
