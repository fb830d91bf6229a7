"""« Annuler les candidatures sans confirmation signée » and « Écarter les candidatures sans
attestation R.408 »: the chef de bureau lists, checks, then applies in one transaction."""

from __future__ import annotations

from ...rules.inscriptions import LIBELLES_ETATS, EtatCandidature
from ...services.justificatifs import LigneTraitement, echeances
from ...services.noyau import Contexte
from .panneau import PanneauTraitement


class PanneauEcheance(PanneauTraitement):
    ETAT = ""
    DESTRUCTIF = True
    VERBE = ""             # « annuler »

    def lister(self, session_id: int, domaine: str | None) -> list[LigneTraitement]:
        return self.service_lister(self.ctx, session_id, domaine)

    def service_lister(self, ctx: Contexte, session_id: int, domaine: str | None) -> list[LigneTraitement]:
        raise NotImplementedError

    def service_appliquer(self, ctx: Contexte, ids: list[int], row_versions: dict[int, int]) -> int:
        raise NotImplementedError

    def texte_compte(self, n: int) -> str:
        if n == 0:
            return f"Aucune candidature à {self.VERBE}."
        return f"{n} candidature{'s' if n > 1 else ''} à {self.VERBE}."

    def texte_confirmation(self, n: int) -> str:
        libelle = LIBELLES_ETATS[self.ETAT]
        return (f"{self.VERBE.capitalize()} {n} candidature{'s' if n > 1 else ''} ?\n\n"
                f"{'Elles passeront' if n > 1 else 'Elle passera'} à l'état « {libelle} » et chaque candidat "
                "recevra un message. Tout est appliqué ensemble, ou rien si une candidature a changé entre-temps.")

    def executer(self, lignes: list[LigneTraitement]) -> None:
        ids = [x.candidature_id for x in lignes]
        versions = {x.candidature_id: x.row_version for x in lignes}
        ctx = self.ctx
        tache = self.executeur.preparer(lambda _t: self.service_appliquer(ctx, ids, versions))
        tache.resultat.connect(self._applique)
        tache.erreur.connect(lambda exc: self.fini("Rien n'a été appliqué.", exc))
        self.occupe(tache)
        self.resultat.setText("Traitement en cours…")
        self.executeur.demarrer(tache)

    def _applique(self, n: int) -> None:
        self.fini(echeances.texte_resultat(n, self.ETAT))
        self.afficher_liste()      # what is left (normally nothing)


class PanneauAnnulations(PanneauEcheance):
    TITRE = "Annuler les candidatures sans confirmation signée"
    EXPLICATION = ("Les candidatures actives dont la confirmation d'inscription signée n'a été ni validée en ligne, "
                   "ni reçue, ni déclarée conforme à la date limite sont annulées (notices 000 §3 et 001 §7). "
                   "Les pièces « En attente d'une nouvelle PJ » ne sont pas concernées.")
    TITRE_CONFIRMATION = "Annuler les candidatures"
    ETAT = EtatCandidature.ANNULEE
    VERBE = "annuler"

    def service_lister(self, ctx: Contexte, session_id: int, domaine: str | None) -> list[LigneTraitement]:
        return echeances.sans_confirmation(ctx, session_id, domaine)

    def service_appliquer(self, ctx: Contexte, ids: list[int], row_versions: dict[int, int]) -> int:
        return echeances.annuler_sans_confirmation(ctx, ids, row_versions=row_versions)


class PanneauEcartements(PanneauEcheance):
    TITRE = "Écarter les candidatures sans attestation R.408"
    EXPLICATION = ("Pour les spécialités du secteur industriel, les candidatures actives dont l'attestation R.408 "
                   "n'a été ni validée en ligne, ni reçue, ni déclarée conforme à sa date limite sont écartées "
                   "(notice 001 §7).")
    TITRE_CONFIRMATION = "Écarter les candidatures"
    ETAT = EtatCandidature.ECARTEE
    VERBE = "écarter"

    def service_lister(self, ctx: Contexte, session_id: int, domaine: str | None) -> list[LigneTraitement]:
        return echeances.r408_manquantes(ctx, session_id, domaine)

    def service_appliquer(self, ctx: Contexte, ids: list[int], row_versions: dict[int, int]) -> int:
        return echeances.ecarter_sans_r408(ctx, ids, row_versions=row_versions)
