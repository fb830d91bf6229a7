"""The database's integrity check: the engine's own, the invariants, every stored file hashed again,
the stored files nothing refers to."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...rules.sauvegardes import EtatFichier, texte_fichier_en_defaut
from ...storage.fichiers import depot_de
from ..noyau import Contexte, P, exiger
from .controle import Annule, Progression, controler_fichiers, hashes_references, pieces_des_fichiers


@dataclass
class RapportIntegrite:
    problemes: list[str] = field(default_factory=list)
    orphelins: list[str] = field(default_factory=list)   # stored files nothing refers to (not an error)
    fichiers_controles: int = 0
    fichiers_total: int = 0
    interrompu: bool = False       # stopped on request: the files after were not read

    @property
    def correct(self) -> bool:
        return not self.problemes and not self.interrompu


def verifier_integrite(ctx: Contexte, *, progression: Progression | None = None,
                       annule: Annule | None = None) -> RapportIntegrite:
    """The engine's own check (SQLite), the invariants the crash test relies on, then every file of
    the store and every file the database cites read and hashed again (``progression(n, total)`` per
    file; ``annule`` asked between two files). A file that is missing, unreadable or whose bytes no
    longer match its name is one French sentence naming the pièces it belongs to."""
    from ..noyau import invariants

    exiger(ctx, P.SAUVEGARDES)      # the report names candidates and reads the whole store
    r = RapportIntegrite()
    if ctx.db.is_sqlite:
        with ctx.db.engine.connect() as conn:
            r.problemes += [str(x[0]) for x in conn.exec_driver_sql("PRAGMA integrity_check") if x[0] != "ok"]
            for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                r.problemes.append(f"Clé étrangère : ligne {rowid} de « {table} » sans « {parent} » correspondant.")
    r.problemes += invariants(ctx, presence_fichiers=False)
    depot = depot_de(ctx.db)
    with ctx.lecture() as s:
        references = hashes_references(s)
    stockes = depot.hashes()
    controle = controler_fichiers(depot, sorted(references.union(stockes)), progression=progression,
                                  annule=annule)
    r.fichiers_controles, r.fichiers_total, r.interrompu = controle.controles, controle.total, controle.interrompu
    if controle.en_defaut:
        with ctx.lecture() as s:
            pieces = pieces_des_fichiers(s, [h for h, _, _ in controle.en_defaut])
        for h, etat, detail in controle.en_defaut:
            ou = str(depot.racine) if etat is EtatFichier.ABSENT else detail   # where it was looked for
            r.problemes.append(texte_fichier_en_defaut(h, etat, ou, pieces.get(h, [])))
    r.orphelins = depot.orphelins(references)
    return r
