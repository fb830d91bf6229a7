"""What every service call needs: the database, the clock, who is acting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from ...rules.errors import DomainError
from ...rules.temps import Clock, SystemClock
from ...storage.database import Database


@dataclass(frozen=True)
class AgentConnecte:
    id: int
    login: str
    nom_affiche: str
    role: str
    portefeuilles: tuple[str, ...] = ()


SYSTEME = AgentConnecte(id=0, login="système", nom_affiche="Traitement automatique", role="systeme")

INDISPONIBLE = ("La base de données est indisponible ou occupée ; rien n'a été enregistré. "
                "Réessayez dans un instant.")
INDISPONIBLE_LECTURE = ("La base de données est indisponible pour le moment : les données n'ont pas pu être "
                        "lues. Réessayez dans un instant.")


def _connexion_perdue(exc: BaseException) -> bool:
    """The server is unreachable, restarting, or closed our connection (PostgreSQL on the network);
    SQLite's « database is locked » is an OperationalError too."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


def _annuler(session: Session) -> None:
    try:
        session.rollback()
    except DBAPIError:
        pass   # the connection is gone: the server has already rolled the transaction back


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
        except DBAPIError as exc:
            _annuler(session)
            if _connexion_perdue(exc):
                # The pool drops the dead connection (pool_pre_ping tests the next one): retrying works
                # as soon as the server is back.
                raise DomainError(INDISPONIBLE) from exc
            raise
        except BaseException:
            _annuler(session)
            raise
        finally:
            session.close()

    @contextmanager
    def lecture(self) -> Iterator[Session]:
        session = self.db.lecture()
        try:
            yield session
        except DBAPIError as exc:
            if _connexion_perdue(exc):
                raise DomainError(INDISPONIBLE_LECTURE) from exc
            raise
        finally:
            # close() ends the read transaction without expiring what was loaded (rollback would).
            session.close()
