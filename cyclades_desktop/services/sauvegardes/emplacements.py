"""Where this workstation's data lives, as « À propos » tells it: the database (its address, never its
password), the data folder, the store of the deposited pièces and the backups folder."""

from __future__ import annotations

from dataclasses import dataclass

from ...paths import data_dir
from ...rules.errors import DomainError
from ...storage.fichiers import depot_de
from ..noyau import Contexte
from .sauvegarde import dossier_effectif, dossier_par_defaut


@dataclass(frozen=True)
class Emplacements:
    base: str              # sqlite:////…/cyclades.sqlite, postgresql://agent@serveur/cyclades
    donnees: str           # the user's data folder
    fichiers: str          # the deposited pièces (content-addressed store)
    sauvegardes: str       # where backups are written


def emplacements(ctx: Contexte) -> Emplacements:
    """Open to any agent, even before sign-in: paths only, nothing of the office's data."""
    base = ctx.db.url.set(password=None).render_as_string(hide_password=False)
    try:
        sauvegardes = dossier_effectif(ctx)
    except DomainError:        # settings unreadable (server unreachable): the default folder
        sauvegardes = dossier_par_defaut(ctx.db)
    return Emplacements(base, str(data_dir()), str(depot_de(ctx.db).racine), str(sauvegardes))
