"""The office's audit key and the seals of the trail's head (docs/domaine/rgpd.md#journal-audit).

A seal is the head (row id and hash) written where the database cannot rewrite it: a line of the seal
file beside the key (daily: first sign-in of the day, daily backup; ``verifier-audit --sceller``) and
each backup's manifest (``sceau_courant``). Deleting the last rows then leaves a seal that names a row
the database no longer has."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy import select

from ...models import AuditEntry
from ...rules.audit import Sceau, Signataire, ligne_sceau, lire_ligne_sceau
from ...rules.errors import DomainError
from ...rules.temps import paris
from ...storage import cle_audit
from ...storage.database import Database
from .contexte import Contexte
from .permissions import P, exiger

_journal = logging.getLogger(__name__)
_signataires: dict[Path, Signataire] = {}
_verrou = threading.Lock()


def chemin_cle(db: Database) -> Path:
    return cle_audit.dossier_audit(db) / cle_audit.NOM_CLE


def chemin_sceaux(db: Database) -> Path:
    return cle_audit.dossier_audit(db) / cle_audit.NOM_SCEAUX


def signataire_ecriture(db: Database) -> Signataire:
    """The key new rows are sealed with, created at first need. Kept for the process: one file read
    per workstation, not one per transaction (the share may be slow)."""
    chemin = chemin_cle(db)
    signataire = _signataires.get(chemin)
    if signataire is None:
        with _verrou:
            signataire = _signataires.get(chemin)
            if signataire is None:
                cle = cle_audit.lire_cle(chemin) or cle_audit.creer_cle(chemin)
                signataire = _signataires[chemin] = Signataire(cle)
    return signataire


def signataire_lecture(db: Database) -> Signataire | None:
    """Read afresh, never created: a verification must notice a key that has gone."""
    cle = cle_audit.lire_cle(chemin_cle(db))
    return None if cle is None else Signataire(cle)


def sceau_courant(ctx: Contexte) -> Sceau | None:
    """The head of the trail now, for a backup's manifest (``rules.audit.sceau_en_dict``) or the seal
    file; None while the trail is empty. No permission needed: an id and a hash reveal nothing."""
    with ctx.lecture() as s:
        tete = s.execute(select(AuditEntry.id, AuditEntry.empreinte).order_by(AuditEntry.id.desc()).limit(1)).first()
    if tete is None or not tete.empreinte:
        return None
    return Sceau(ctx.clock.now(), tete.id, tete.empreinte)


def sceller(ctx: Contexte) -> Sceau | None:
    """Append the current head to the seal file (``verifier-audit --sceller``)."""
    exiger(ctx, P.AUDIT_LIRE)
    return _sceller(ctx)


def _sceller(ctx: Contexte) -> Sceau | None:
    sceau = sceau_courant(ctx)
    if sceau is not None:
        chemin = chemin_sceaux(ctx.db)
        try:
            cle_audit.ajouter_sceau(chemin, ligne_sceau(sceau))
        except OSError as exc:
            raise DomainError(f"Le fichier des sceaux du journal d'audit ({chemin}) ne peut pas être écrit "
                              f"({exc.strerror or exc}).") from exc
    return sceau


def sceller_du_jour(ctx: Contexte) -> Sceau | None:
    """A seal unless the file already has one of today (Paris). Never raises: a seal file out of reach
    must not stop a sign-in or a backup; the next one tries again."""
    try:
        derniere = cle_audit.derniere_ligne_sceau(chemin_sceaux(ctx.db))
        sceau = lire_ligne_sceau(derniere) if derniere else None
        if sceau is not None and paris(sceau.horodatage).date() == paris(ctx.clock.now()).date():
            return None
        return _sceller(ctx)
    except (OSError, DomainError) as exc:
        _journal.warning("Sceau quotidien du journal d'audit non écrit : %s", exc)
        return None


def sceaux_du_fichier(db: Database) -> tuple[list[Sceau], list[str]]:
    """Every seal of the file, and a remark per line that is not one (edited by hand, or torn)."""
    chemin = chemin_sceaux(db)
    sceaux: list[Sceau] = []
    remarques: list[str] = []
    try:
        lignes = cle_audit.lire_sceaux(chemin)
    except OSError as exc:
        return [], [f"Le fichier des sceaux ({chemin}) n'a pas pu être lu ({exc.strerror or exc})."]
    for n, texte in lignes:
        sceau = lire_ligne_sceau(texte)
        if sceau is None:
            remarques.append(f"La ligne {n} du fichier des sceaux ({chemin}) est illisible : elle a été ignorée.")
        else:
            sceaux.append(sceau)
    return sceaux, remarques


def remarque_droits_cle(db: Database) -> str | None:
    chemin = chemin_cle(db)
    mode = cle_audit.droits_ouverts(chemin)
    if mode is None:
        return None
    return (f"La clé du journal d'audit ({chemin}) est accessible à d'autres comptes (droits {mode:o}) : "
            "réservez-la au compte du bureau (droits 600).")
