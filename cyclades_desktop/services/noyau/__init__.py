"""The core every area uses: the unit of work and its context, permissions, the audit trail, office settings, password hashing, concurrent-edit conflicts, a candidate's history, integrity.

The names other layers and areas use; the modules behind them are the area's own."""

from .audit import FiltreAudit, LigneAudit
from .contexte import SYSTEME, AgentConnecte, Contexte
from .historique import LigneHistorique
from .integrite import invariants
from .lignes import charger_ou_erreur, conflit_si_perime
from .permissions import P, autorise, exiger, exiger_agent

__all__ = [
    "AgentConnecte",
    "Contexte",
    "FiltreAudit",
    "LigneAudit",
    "LigneHistorique",
    "P",
    "SYSTEME",
    "autorise",
    "charger_ou_erreur",
    "conflit_si_perime",
    "exiger",
    "exiger_agent",
    "invariants",
]
