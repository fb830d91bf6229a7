"""Concurrent edits: what someone else changed while this workstation had the record open.

A screen keeps what it showed when it opened a record (the *instantané*, in the key space of its
form: ``SaisieCompte``, ``SaisieCandidature``, a piece's status). When its save is refused because
the row version moved on (``ConflictError``), it asks here for a :class:`Conflit`: who changed the
record and when (the latest audit row about it), what they changed field by field (value when
opened, value now, the user's value), and the *fusion*: the fresh record with the user's own
changes re-applied where they do not collide. Nothing here saves: the screen shows the fusion for
review and the user saves again, against the fresh row version.

Here the part independent of the record's kind; each area builds its own conflicts on it
(comptes/conflits.py, inscriptions/conflits.py, justificatifs/conflits.py): the core never
imports the areas that use it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ...models import AuditEntry
from ...models.staff import Agent
from ...rules.temps import format_date, format_date_heure
from .contexte import Contexte

VIDE = "(vide)"


@dataclass(frozen=True)
class ChangementConcurrent:
    """One field the other workstation changed."""

    champ: str
    libelle: str
    a_l_ouverture: str       # as shown when this workstation opened the record
    maintenant: str          # as saved by the other workstation
    votre_valeur: str        # what this workstation typed (same as a_l_ouverture when untouched)
    vous_l_aviez_modifie: bool
    collision: bool          # both changed it, to different values: theirs is kept, yours is shown


@dataclass(frozen=True)
class Conflit:
    entite: str                                   # "candidature", "compte", "justificatif"
    entite_id: int
    titre: str                                    # « Compte N° 24000123 »
    auteur: str | None                            # « Carole DANO (chef) »
    modifie_le: datetime | None                   # UTC; shown in Paris time
    changements: tuple[ChangementConcurrent, ...]
    reappliques: tuple[str, ...]                  # libellés of the user's changes re-applied
    non_reappliques: tuple[str, ...]              # libellés where the other change was kept
    fusion: Any                                   # the form's values to show for review
    row_version: int                              # the fresh row version to save against
    frais: Any = None                             # extra fresh data the screen needs (Demarrage…)
    feminin: bool = False                         # « la candidature a été modifiée »

    @property
    def phrase(self) -> str:
        """« La candidature N° … a été modifiée sur un autre poste par … le … »."""
        qui = f" par {self.auteur}" if self.auteur else ""
        quand = f" le {self.quand}" if self.quand else ""
        return f"{self.titre} a été modifié{'e' if self.feminin else ''} sur un autre poste{qui}{quand}"

    @property
    def quand(self) -> str:
        """« 10/11/2024 à 11:00 (heure de Paris) », or empty when no audit row says."""
        if self.modifie_le is None:
            return ""
        return f"{format_date_heure(self.modifie_le)} (heure de Paris)"


# --- the comparison, independent of the record's kind --------------------------------------------

def texte_valeur(v: Any) -> str:
    """A value as the dialog shows it."""
    if v is None or v == "" or v == [] or v == {}:
        return VIDE
    if isinstance(v, bool):
        return "Oui" if v else "Non"
    if isinstance(v, datetime):
        return format_date_heure(v)
    if isinstance(v, date):
        return format_date(v)
    if isinstance(v, list | tuple):
        return f"{len(v)} élément{'s' if len(v) > 1 else ''}"
    return str(v)


@dataclass(frozen=True)
class Comparaison:
    changements: tuple[ChangementConcurrent, ...]
    valeurs: dict[str, Any]          # the fusion, as a field → value mapping
    reappliques: tuple[str, ...]
    non_reappliques: tuple[str, ...]


def comparer(ouverture: Mapping[str, Any], maintenant: Mapping[str, Any], mien: Mapping[str, Any], *,
             libelles: Mapping[str, str], mien_ouverture: Mapping[str, Any] | None = None,
             caches: frozenset[str] = frozenset(),
             texte: Callable[[str, Any], str] = lambda _k, v: texte_valeur(v)) -> Comparaison:
    """Three-way comparison. ``ouverture``/``maintenant`` are the record as the service gave it
    when opened and now; ``mien`` the form's values at save and ``mien_ouverture`` the form's values
    right after it was filled (the form may normalise what it shows: comparing the form with itself
    finds exactly what the user typed). ``caches`` are compared and re-applied but never shown
    (password fields, confirmation twins)."""
    mien_ouverture = ouverture if mien_ouverture is None else mien_ouverture
    valeurs = dict(maintenant)
    changements: list[ChangementConcurrent] = []
    reappliques: list[str] = []
    non_reappliques: list[str] = []
    for k in maintenant:
        eux = ouverture.get(k) != maintenant.get(k)
        moi = mien_ouverture.get(k) != mien.get(k)
        collision = eux and moi and mien.get(k) != maintenant.get(k)
        libelle = libelles.get(k, k)
        if moi:
            if collision:
                non_reappliques.append(libelle)
            else:
                valeurs[k] = mien.get(k)
                if k not in caches and not eux:
                    reappliques.append(libelle)
        if eux and k not in caches:
            changements.append(ChangementConcurrent(
                k, libelle, texte(k, ouverture.get(k)), texte(k, maintenant.get(k)),
                texte(k, mien.get(k) if moi else ouverture.get(k)), moi, collision))
    return Comparaison(tuple(changements), valeurs, tuple(dict.fromkeys(reappliques)),
                       tuple(dict.fromkeys(non_reappliques)))


def dernier_auteur(ctx: Contexte, entite: str, entite_id: int) -> tuple[str | None, datetime | None]:
    """Who last changed the record and when, from the audit trail."""
    with ctx.lecture() as s:
        row = s.execute(select(AuditEntry.agent_login, AuditEntry.agent_id, AuditEntry.horodatage)
                        .where(AuditEntry.entite == entite, AuditEntry.entite_id == str(entite_id))
                        .order_by(AuditEntry.horodatage.desc(), AuditEntry.id.desc()).limit(1)).first()
        if row is None:
            return None, None
        login, agent_id, quand = row
        agent = s.get(Agent, agent_id) if agent_id else None
    nom = f"{agent.prenom} {agent.nom.upper()} ({login})" if agent is not None else login
    return nom, quand


def en_dict(saisie: Any) -> dict[str, Any]:
    """A form's dataclass as field → value, as comparer takes it."""
    # Shallow on purpose: nested lists (acquis, choix) compare by value and are re-applied whole.
    return {f.name: getattr(saisie, f.name) for f in fields(saisie)}
