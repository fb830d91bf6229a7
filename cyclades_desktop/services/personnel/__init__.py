"""Staff accounts: first start, sign-in, roles and portfolios.

The names other layers and areas use; the modules behind them are the area's own."""

from ...rules.personnel import SaisieAgent
from .agents import (
    VueAgent,
    VuePortefeuille,
    agent_par_login,
    connecter,
    creer_agent,
    creer_premier_chef,
    lister_agents,
    lister_portefeuilles,
    modifier_agent,
    premier_demarrage,
)

__all__ = [
    "SaisieAgent",
    "VueAgent",
    "VuePortefeuille",
    "agent_par_login",
    "connecter",
    "creer_agent",
    "creer_premier_chef",
    "lister_agents",
    "lister_portefeuilles",
    "modifier_agent",
    "premier_demarrage",
]
