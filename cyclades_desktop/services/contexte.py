"""What every service call needs: the database, the clock, who is acting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..rules.errors import DomainError
from ..rules.temps import Clock, SystemClock
from ..storage.database import Database


@dataclass(frozen=True)
class AgentConnecte:
    id: int
    login: str
    nom_affiche: str
    role: str
    portefeuilles: tuple[str, ...] = ()


SYSTEME = AgentConnecte(id=0, login="système", nom_affiche="Traitement automatique", role="systeme")


@dataclass
class Contexte:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    agent: AgentConnecte | None = None

    def avec_agent(self, agent: AgentConnecte | None) -> Contexte:
        return Contexte(self.db, self.clock, agent)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed at the end, rolled back on any error."""
        session = self.db.session()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise DomainError(
                "La base de données est indisponible ou occupée ; rien n'a été enregistré. "
                "Réessayez dans un instant."
            ) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def lecture(self) -> Iterator[Session]:
        session = self.db.lecture()
        try:
            yield session
        finally:
            # close() ends the read transaction without expiring what was loaded (rollback would).
            session.close()
