"""The accounts list: one page of the service's keyset query at a time, the next page fetched when
the view scrolls to the end (canFetchMore/fetchMore), never the whole table in memory."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ...models.compte import ETAT_ACTIF
from ...rules.errors import DomainError
from ...rules.temps import format_date
from ...services import comptes
from ...services.comptes import LigneCompte
from ...services.contexte import Contexte
from ..tables import ModeleTable

ROLE_ID = Qt.ItemDataRole.UserRole + 1
COLONNES = ("N° candidat", "Nom", "Nom d'usage", "Prénoms", "Né(e) le", "Adresse mail", "État")
ETATS = {ETAT_ACTIF: "Actif"}
ETAT_ATTENTE = "En attente d'activation"
TAILLE_PAGE = 100

Index = QModelIndex | QPersistentModelIndex


def libelle_etat(etat: str) -> str:
    return ETATS.get(etat, ETAT_ATTENTE)


class ModeleComptes(ModeleTable):
    COLONNES = COLONNES
    """Rows of ``comptes.rechercher`` for the current search text, in the service's order."""

    charge = Signal()          # rows were (re)loaded or appended: the count label follows
    erreur = Signal(object)    # a DomainError while fetching a page (shown by the zone)

    def __init__(self, ctx: Contexte, taille_page: int = TAILLE_PAGE) -> None:
        super().__init__()
        self.ctx = ctx
        self.taille_page = taille_page
        self.texte = ""
        self._lignes: list[LigneCompte] = []
        self._ids: set[int] = set()
        self._encore = False

    # --- loading ---------------------------------------------------------------------------
    def charger(self, texte: str) -> None:
        """First page for ``texte``. Raises DomainError (the caller shows it)."""
        lignes = comptes.rechercher(self.ctx, texte, limite=self.taille_page)
        self.beginResetModel()
        self.texte = texte
        self._lignes = lignes
        self._ids = {ligne.id for ligne in lignes}
        self._encore = len(lignes) >= self.taille_page
        self.endResetModel()
        self.charge.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._encore

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._encore or not self._lignes:
            return
        try:
            page = comptes.rechercher(self.ctx, self.texte, apres=self._lignes[-1], limite=self.taille_page)
        except DomainError as exc:
            # Called by the view while painting: an exception here would reach Qt, not the user.
            self._encore = False
            self.erreur.emit(exc)
            return
        self._encore = len(page) >= self.taille_page
        # A short first page may be completed by login / nom d'usage matches outside the keyset
        # order; never show such a row twice.
        nouvelles = [ligne for ligne in page if ligne.id not in self._ids]
        if nouvelles:
            debut = len(self._lignes)
            self.beginInsertRows(QModelIndex(), debut, debut + len(nouvelles) - 1)
            self._lignes.extend(nouvelles)
            self._ids.update(ligne.id for ligne in nouvelles)
            self.endInsertRows()
        self.charge.emit()

    @property
    def encore(self) -> bool:
        return self._encore

    def ligne(self, row: int) -> LigneCompte:
        return self._lignes[row]

    def ligne_de(self, compte_id: int) -> int:
        for i, ligne in enumerate(self._lignes):
            if ligne.id == compte_id:
                return i
        return -1

    # --- Qt model ----------------------------------------------------------------------------
    def _nombre_lignes(self) -> int:
        return len(self._lignes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        ligne = self._lignes[index.row()]
        if role == ROLE_ID:
            return ligne.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texte(ligne, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and ligne.etat != ETAT_ACTIF:
            return QColor("#8a4b00")   # pending accounts stand out: they disappear after 48 h
        return None

    @staticmethod
    def _texte(ligne: LigneCompte, colonne: int) -> str:
        valeurs = (ligne.numero_candidat, ligne.nom, ligne.nom_usage or "", ligne.prenoms,
                   format_date(ligne.date_naissance), ligne.email, libelle_etat(ligne.etat))
        return valeurs[colonne]
