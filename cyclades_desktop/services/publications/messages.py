"""What every area says to a candidate: the examen named as the candidate knows it, and a message that
enters the candidate's history and the outbox in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ...models import Candidature, CompteCandidat, Domaine, SessionExamen, Specialite
from .. import courriels
from ..noyau import Contexte


def examen_de(s: Session, c: Candidature) -> str:
    """« BACCALAUREAT PROFESSIONNEL Aéronautique - session 2025 », as messages and lists name it."""
    dom = s.get(Domaine, c.domaine_code)
    spec = s.get(Specialite, c.specialite_id) if c.specialite_id else None
    se = s.get(SessionExamen, c.session_id)
    nom = dom.libelle_majuscules if dom else c.domaine_code
    return f"{nom} {spec.intitule if spec else ''} - session {se.libelle if se else ''}".replace("  ", " ")


def message_candidat(s: Session, ctx: Contexte, c: Candidature, compte: CompteCandidat, objet: str, corps: str) -> None:
    # Through the outbox: the e-mail is queued in the same transaction as the change it announces.
    courriels.nouveau_message(s, ctx, compte.id, c.id, objet, corps, compte.email)
