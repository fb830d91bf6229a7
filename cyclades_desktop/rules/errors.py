"""Domain errors carrying French messages, field by field when they concern input."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user must read: the message is French and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Bad input: ``errors`` maps a field key to the French message shown next to it."""

    def __init__(self, errors: dict[str, str], message: str | None = None) -> None:
        self.errors = dict(errors)
        super().__init__(message or "Certains champs sont incorrects : corrigez les zones signalées.")


class PermissionDenied(DomainError):
    """The signed-in person's role does not allow the action."""


class NotFound(DomainError):
    """The record asked for does not exist (any more)."""


class ConflictError(DomainError):
    """Someone else changed the record in the meantime (row version mismatch)."""
