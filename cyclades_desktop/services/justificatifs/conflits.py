"""Concurrent edits of a piece in the reviewers' grid: the conflict when a status change is refused
(the comparison itself is noyau/conflits.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ...rules import pieces as regles_pieces
from ..noyau import Contexte
from ..noyau.conflits import Conflit, comparer, dernier_auteur, en_dict, texte_valeur
from . import controle

__all__ = ["Conflit", "LIBELLES_PIECE", "SaisiePiece", "conflit_piece", "saisie_piece"]


LIBELLES_PIECE = {"statut": "Statut", "commentaire": "Commentaire", "date_reception": "Date de réception"}


@dataclass(frozen=True)
class SaisiePiece:
    """A status change as the grid asks for it."""

    statut: str
    commentaire: str | None = None
    date_reception: date | None = None


def saisie_piece(ligne: controle.LignePiece) -> SaisiePiece:
    return SaisiePiece(ligne.statut, ligne.commentaire, ligne.date_reception)


def _texte_piece(k: str, v: Any) -> str:
    if k == "statut" and v is not None:
        return regles_pieces.STATUTS.get(v, v)     # "" is « (aucun) »
    return texte_valeur(v)


def conflit_piece(ctx: Contexte, ouverture: controle.LignePiece, mien: SaisiePiece) -> Conflit:
    """``ouverture`` is the grid's row as it was shown; ``mien`` the status the user asked for."""
    frais = controle.ligne(ctx, ouverture.id)
    base = saisie_piece(ouverture)
    # What the user asked for; a field the status does not set keeps what was shown.
    voulu = SaisiePiece(mien.statut, mien.commentaire if mien.commentaire is not None else base.commentaire,
                        mien.date_reception if mien.date_reception is not None else base.date_reception)
    cmp = comparer(en_dict(base), en_dict(saisie_piece(frais)), en_dict(voulu), libelles=LIBELLES_PIECE,
                   texte=_texte_piece)
    auteur, quand = dernier_auteur(ctx, "justificatif", ouverture.id)
    titre = f"La pièce {frais.piece_code} de {frais.candidat}"
    return Conflit("justificatif", ouverture.id, titre, auteur, quand, cmp.changements, cmp.reappliques,
                   cmp.non_reappliques, SaisiePiece(**cmp.valeurs), frais.row_version, frais, feminin=True)
