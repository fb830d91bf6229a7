"""Concurrent edits of a candidate account: the account as its form shows it when opened, and the
conflict when its save is refused (the comparison itself is noyau/conflits.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...rules.comptes import SaisieCompte
from ..noyau import Contexte
from ..noyau.conflits import Conflit, comparer, dernier_auteur, en_dict, texte_valeur
from . import candidats as comptes

__all__ = ["Conflit", "InstantaneCompte", "LIBELLES_COMPTE", "conflit_compte", "instantane_compte"]


LIBELLES_COMPTE = {
    # The form's own labels (ui/comptes/formulaire_compte.py).
    "sexe": "Sexe", "nom": "Nom de famille", "nom_confirmation": "Confirmation du nom de naissance",
    "nom_usage": "Nom d'usage", "prenoms": "Prénoms", "date_naissance": "Date de naissance",
    "date_naissance_confirmation": "Confirmation date de naissance", "pays_naissance": "Pays de naissance",
    "departement_naissance": "Département, DOM ou COM de naissance", "commune_naissance": "Commune de naissance",
    "commune_naissance_etranger": "Ville de naissance (à l'étranger)", "email": "Adresse mail",
    "email_confirmation": "Confirmation de l'adresse mail", "mot_de_passe": "Mot de passe",
    "mot_de_passe_confirmation": "Confirmation du mot de passe",
}
_CACHES_COMPTE = frozenset({"nom_confirmation", "date_naissance_confirmation", "email_confirmation",
                            "mot_de_passe", "mot_de_passe_confirmation"})


@dataclass(frozen=True)
class InstantaneCompte:
    saisie: SaisieCompte
    row_version: int
    commune: str          # the commune's name, for the dialog (the form holds its id)


def instantane_compte(ctx: Contexte, compte_id: int) -> InstantaneCompte:
    """The account as its form shows it, with the row version to save against."""
    compte = comptes.obtenir(ctx, compte_id)
    commune = comptes.commune_du_compte(ctx, compte)
    return InstantaneCompte(comptes.saisie_depuis_compte(compte, commune.id if commune else None),
                            compte.row_version, compte.commune_naissance or "")


def conflit_compte(ctx: Contexte, compte_id: int, ouverture: InstantaneCompte, mien: SaisieCompte, *,
                   mien_ouverture: SaisieCompte | None = None) -> Conflit:
    frais = instantane_compte(ctx, compte_id)

    def texte(k: str, v: Any) -> str:
        if k == "commune_naissance" and v:
            # The form holds the commune's id: show its name, as it was and as it is.
            if v == frais.saisie.commune_naissance:
                return frais.commune
            if v == ouverture.saisie.commune_naissance:
                return ouverture.commune
        if k == "sexe" and v:
            return {"M": "Masculin", "F": "Féminin"}.get(v, v)
        return texte_valeur(v)

    cmp = comparer(en_dict(ouverture.saisie), en_dict(frais.saisie), en_dict(mien), libelles=LIBELLES_COMPTE,
                   mien_ouverture=en_dict(mien_ouverture) if mien_ouverture is not None else None,
                   caches=_CACHES_COMPTE, texte=texte)
    auteur, quand = dernier_auteur(ctx, "compte", compte_id)
    numero = comptes.obtenir(ctx, compte_id).numero_candidat
    return Conflit("compte", compte_id, f"Le compte N° {numero}", auteur, quand, cmp.changements,
                   cmp.reappliques, cmp.non_reappliques, SaisieCompte(**cmp.valeurs), frais.row_version, frais)
