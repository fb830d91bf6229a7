"""The accounts list: one page of the service's keyset query at a time, the next page fetched when
the view scrolls to the end (canFetchMore/fetchMore), never the whole table in memory."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ...rules.comptes import EtatCompte
from ...rules.errors import DomainError
from ...rules.temps import format_date
from ...services import comptes
from ...services.comptes import LigneCompte
from ...services.noyau import Contexte
from ..tables import Colonne, ModelePagine

TAILLE_PAGE = 100


def libelle_etat(etat: str) -> str:
    # Anything but active reads as pending: an account has no other state.
    return (EtatCompte.ACTIF if etat == EtatCompte.ACTIF else EtatCompte.EN_ATTENTE).libelle


_COLONNES: tuple[Colonne[LigneCompte], ...] = (
    Colonne("N° candidat", lambda x: x.numero_candidat),
    Colonne("Nom", lambda x: x.nom),
    Colonne("Nom d'usage", lambda x: x.nom_usage or ""),
    Colonne("Prénoms", lambda x: x.prenoms),
    Colonne("Né(e) le", lambda x: format_date(x.date_naissance)),
    Colonne("Adresse mail", lambda x: x.email),
    Colonne("État", lambda x: libelle_etat(x.etat)),
)


class ModeleComptes(ModelePagine[LigneCompte]):
    """Rows of ``comptes.rechercher`` for the current search text, in the service's order."""

    def __init__(self, ctx: Contexte, taille_page: int = TAILLE_PAGE) -> None:
        # A short first page may be completed by login / nom d'usage matches outside the keyset
        # order: never show such a row twice.
        super().__init__(_COLONNES, taille_page, sans_doublons=True)
        self.ctx = ctx
        self.texte = ""

    def charger(self, texte: str) -> None:
        """First page for ``texte``. Raises DomainError (the caller shows it); the list stays as it was."""
        precedent, self.texte = self.texte, texte     # the count label reads it when the rows arrive
        try:
            self.recharger(lambda apres, limite: comptes.rechercher(
                self.ctx, texte, apres=apres, limite=limite))
        except DomainError:
            self.texte = precedent
            raise

    def ligne_de(self, compte_id: int) -> int:
        return self.rangee_de(compte_id)

    def donnee(self, ligne: LigneCompte, colonne: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and colonne == 6 and ligne.etat != EtatCompte.ACTIF:
            return QColor("#8a4b00")   # pending accounts stand out: they disappear after 48 h
        return None
