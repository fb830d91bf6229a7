"""The audit journal's table model (keyset-paged on the service) and the French wording of
what the trail stores as codes: actions, record types, field names and values."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt

from ...rules.errors import DomainError
from ...rules.personnel import libelle_role
from ...rules.temps import paris
from ...services.noyau import Contexte, FiltreAudit, LigneAudit, audit
from ..tables import Colonne, ModelePagine

ACTIONS = {
    "creation": "Création",
    "modification": "Modification",
    "suppression": "Suppression",
    "connexion": "Connexion",
    "activation": "Activation",
    "purge_48h": "Purge (compte non activé sous 48 h)",
    "reinitialisation_mot_de_passe": "Réinitialisation du mot de passe",
    "correction_identite": "Correction d'identité",
    "inscription": "Inscription",
    "modification_inscription": "Modification d'inscription",
    "desinscription": "Désinscription",
    "annulation_sans_confirmation": "Annulation (confirmation signée non reçue)",
    "ecartement_sans_r408": "Candidature écartée (attestation R.408 manquante)",
    "depot_piece": "Dépôt d'une pièce",
    "suppression_fichier_piece": "Suppression d'un fichier déposé",
    "validation_pieces": "« J'ai fourni toutes mes pièces »",
    "statut_piece": "Statut d'une pièce",
    "relance_pieces": "Relance de pièces justificatives",
    "ajout_epreuve": "Ajout d'une épreuve",
    "modification_epreuve": "Modification d'une épreuve",
    "suppression_epreuve": "Suppression d'une épreuve",
    "deplacement_epreuve": "Déplacement d'une épreuve",
    "import": "Import",
}

ENTITES = {
    "agent": "Compte du personnel",
    "compte": "Compte candidat",
    "candidature": "Candidature",
    "justificatif": "Pièce justificative",
    "piece_catalogue": "Catalogue des pièces",
    "bureau": "Identité du bureau",
    "session": "Session",
    "periode": "Période d'inscription",
    "echeance": "Échéance",
    "specialite": "Spécialité",
    "referentiel": "Référentiel",
}

CHAMPS = {
    "login": "Identifiant", "nom": "Nom", "prenom": "Prénom", "prenoms": "Prénoms",
    "email": "Adresse mail", "telephone": "Téléphone", "role": "Rôle", "portefeuilles": "Portefeuilles",
    "actif": "Compte actif", "mot_de_passe": "Mot de passe", "numero_candidat": "N° candidat",
    "sexe": "Sexe", "nom_usage": "Nom d'usage", "date_naissance": "Date de naissance",
    "pays_naissance": "Pays de naissance", "departement_naissance": "Département de naissance",
    "commune_naissance": "Commune de naissance", "etat": "État",
}

COLONNES = ["Date et heure (heure de Paris)", "Agent", "Action", "Enregistrement", "Libellé"]
ROLE_ENTREE = Qt.ItemDataRole.UserRole
VIDE = "(vide)"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_HEURE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def libelle_action(action: str) -> str:
    return ACTIONS.get(action, action)  # an action this screen does not know yet is shown as stored


def libelle_entite(entite: str) -> str:
    return ENTITES.get(entite, entite)


def libelle_champ(champ: str) -> str:
    return CHAMPS.get(champ, champ.replace("_", " ").capitalize())


def format_horodatage(dt: datetime) -> str:
    return paris(dt).strftime("%d/%m/%Y %H:%M:%S")


def valeur_lisible(champ: str, valeur: Any, portefeuilles: dict[str, str] | None = None) -> str:
    """One stored value as the office reads it: dates in dd/mm/yyyy (Paris), Oui/Non, labels."""
    if valeur is None or valeur == "" or valeur == []:
        return VIDE
    if champ == "portefeuilles" and isinstance(valeur, list):
        noms = portefeuilles or {}
        return " ; ".join(noms.get(str(code), str(code)) for code in valeur)
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if champ == "role" and isinstance(valeur, str):
        return libelle_role(valeur)
    if isinstance(valeur, list):
        return ", ".join(str(v) for v in valeur)
    if isinstance(valeur, str):
        try:
            if _DATE.match(valeur):
                return date.fromisoformat(valeur).strftime("%d/%m/%Y")
            if _DATE_HEURE.match(valeur):
                return format_horodatage(datetime.fromisoformat(valeur)) + " (heure de Paris)"
        except ValueError:
            pass
        return valeur
    if isinstance(valeur, dict):
        return ", ".join(f"{k} : {v}" for k, v in valeur.items())
    return str(valeur)


def lignes_detail(entree: LigneAudit, portefeuilles: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(Champ, Avant, Après) for every field the row records, in the order it was recorded.
    A side the row does not have at all (nothing before a creation) stays blank."""
    avant, apres = entree.avant, entree.apres
    champs = list(dict.fromkeys([*(avant or {}), *(apres or {})]))
    return [(libelle_champ(c),
             "" if avant is None or c not in avant else valeur_lisible(c, avant[c], portefeuilles),
             "" if apres is None or c not in apres else valeur_lisible(c, apres[c], portefeuilles))
            for c in champs]


_COLONNES: tuple[Colonne[LigneAudit], ...] = (
    Colonne(COLONNES[0], lambda e: format_horodatage(e.horodatage)),
    Colonne(COLONNES[1], lambda e: e.agent_login),
    Colonne(COLONNES[2], lambda e: libelle_action(e.action)),
    Colonne(COLONNES[3], lambda e: f"{libelle_entite(e.entite)} {e.entite_id}"),
    Colonne(COLONNES[4], lambda e: e.libelle),
)


class ModeleJournal(ModelePagine[LigneAudit]):
    """Newest first; the next page is asked of the service (keyset on id) when the view scrolls
    to the end, so a trail of any length opens at once."""

    def __init__(self, ctx: Contexte, taille_page: int = 200) -> None:
        super().__init__(_COLONNES, taille_page)
        self.ctx = ctx
        self.filtre = FiltreAudit()

    def charger(self, filtre: FiltreAudit) -> None:
        """First page for ``filtre``; a refusal is emitted as ``erreur`` and the journal shown empty."""
        self.filtre = filtre
        try:
            self.recharger(lambda apres, limite: audit.lister(
                self.ctx, filtre, avant_id=apres.id if apres else None, limite=limite))
        except DomainError as exc:
            self.erreur.emit(exc)
            self.recharger(None)

    def tout_charge(self) -> bool:
        return not self.encore

    def donnee(self, ligne: LigneAudit, colonne: int, role: int) -> object:
        return ligne if role == ROLE_ENTREE else None
