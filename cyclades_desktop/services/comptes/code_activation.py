"""The activation code printed for the candidate at the counter (documents/code_activation.py).

The code is stored only as a hash: it can be printed right after the creation, from the value the
creation returned, and only if it is still the account's code (a wrong or stale code is refused rather
than handed to the candidate)."""

from __future__ import annotations

from ...documents.code_activation import DonneesCodeActivation, rendre_code_activation
from ...models import Bureau, CompteCandidat
from ...rules.comptes import DELAI_ACTIVATION, EtatCompte
from ...rules.errors import DomainError
from ..noyau import Contexte, P, charger_ou_erreur, exiger, securite
from ..publications.documents import en_tete_bureau


def fiche_code_activation(ctx: Contexte, compte_id: int, code: str) -> bytes:
    """The PDF slip with the account's activation code (nothing is written)."""
    exiger(ctx, P.COMPTES_ECRIRE)
    with ctx.lecture() as s:
        c = charger_ou_erreur(s, CompteCandidat, compte_id, "Ce compte n'existe plus.")
        if c.etat != EtatCompte.EN_ATTENTE or not c.code_activation_hash:
            raise DomainError("Ce compte est déjà activé : il n'y a plus de code d'activation à imprimer.")
        if not securite.verifier(c.code_activation_hash, code.strip()):
            raise DomainError("Ce code n'est pas celui du compte : il ne peut pas être imprimé.")
        bureau = s.get(Bureau, 1)
        if bureau is None:
            raise DomainError("Les coordonnées du bureau ne sont pas renseignées (Référentiel, onglet Bureau).")
        donnees = DonneesCodeActivation(
            bureau=en_tete_bureau(bureau), nom=c.nom, prenoms=c.prenoms, numero_candidat=c.numero_candidat,
            identifiant=c.email, code=code.strip(), limite=c.cree_le + DELAI_ACTIVATION,
            imprime_le=ctx.clock.now())
    return rendre_code_activation(donnees)
