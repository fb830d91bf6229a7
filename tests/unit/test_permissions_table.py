"""The table of writes (services/noyau/permissions.py: ECRITURES): every public write of every services
area is found by introspection and called as every role. A role the table does not allow gets
PermissionDenied before anything is written; an allowed role gets past the check (the test stops the
call right there, so no write is attempted with made-up arguments). A public function taking ``ctx``
first that is neither in the table nor in the reviewed list of reads below fails the test."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from typing import Any
from unittest.mock import MagicMock

import pytest
from sqlalchemy import func, literal, select, union_all

import cyclades_desktop.services as services
from cyclades_desktop.models import Base
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services.noyau import permissions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.noyau.permissions import ECRITURES, ECRITURES_SANS_ROLE, PERMISSIONS, P
from tests.conftest import MOT_DE_PASSE_AGENT

# Public functions taking ``ctx`` first that write nothing (reviewed: reads, previews, checks of
# typed input, lists prepared before a batch). A new one goes here only if it writes nothing at all.
LECTURES = frozenset({
    "comptes.a_des_candidatures", "comptes.champs_modifiables", "comptes.commune_du_compte", "comptes.compter",
    "comptes.conflit_compte", "comptes.etablissements", "comptes.fiche_code_activation", "comptes.instantane_compte", "comptes.lister",
    "comptes.messages", "comptes.obtenir", "comptes.rechercher", "comptes.sessions",
    "comptes.trouver_par_identifiant", "comptes.verifier_connexion_candidat",
    "courriels.compteurs", "courriels.corps", "courriels.envoi", "courriels.envois_du_compte",
    "courriels.etat_parametres", "courriels.lire_parametres", "courriels.lister", "courriels.situation_message",
    "courriels.tester_connexion",        # sends a test message to the server, stores nothing
    "impressions.candidatures_du_perimetre", "impressions.lots_inacheves", "impressions.modeles",
    "impressions.nom_propose", "impressions.rapport", "impressions.verifier_modele",
    "inscriptions.apercu_recapitulatif", "inscriptions.calculer_epreuves", "inscriptions.candidatures",
    "inscriptions.conflit_candidature", "inscriptions.demarrer", "inscriptions.hors_periode",
    "inscriptions.listes", "inscriptions.offres", "inscriptions.ouvrir", "inscriptions.preparer_modification",
    "inscriptions.saisie_initiale", "inscriptions.verifier_onglet",
    "justificatifs.compter_par_statut", "justificatifs.conflit_piece", "justificatifs.contenu_fichier",
    "justificatifs.dossiers_incomplets", "justificatifs.fichier_courant", "justificatifs.filieres",
    "justificatifs.grille", "justificatifs.historique", "justificatifs.ligne", "justificatifs.mes_justificatifs",
    "justificatifs.r408_manquantes", "justificatifs.sans_confirmation",
    "noyau.actions_connues", "noyau.autorise", "noyau.candidatures", "noyau.dernier_auteur",
    "noyau.entites_connues", "noyau.exiger", "noyau.historique_candidat", "noyau.invariants",
    "noyau.lire_hors_transaction", "noyau.lister", "noyau.sceau_courant", "noyau.verifier_chaine",
    "organisation.analyser", "organisation.apercu_notification", "organisation.conflits",
    "organisation.conflits_concernes", "organisation.convocation_pdf", "organisation.epreuves_planifiables",
    "organisation.etablissements_possibles", "organisation.lire", "organisation.lister_affectations",
    "organisation.lister_centres", "organisation.lister_creneaux", "organisation.occupation",
    "organisation.salles_possibles",
    "personnel.agent_par_login", "personnel.lister_agents", "personnel.lister_portefeuilles",
    "personnel.premier_demarrage",
    "publications.contenu", "publications.documents",
    "referentiel.analyser_import", "referentiel.arbre_epreuves", "referentiel.bureau", "referentiel.categories",
    "referentiel.commune", "referentiel.communes_du_code_postal", "referentiel.communes_postales",
    "referentiel.departements", "referentiel.domaines", "referentiel.exporter_specialite", "referentiel.lister",
    "referentiel.lister_sessions", "referentiel.pays", "referentiel.rechercher_communes",
    "referentiel.rechercher_etablissements", "referentiel.referentiel_charge", "referentiel.session_par_libelle",
    "referentiel.sessions", "referentiel.situations", "referentiel.specialite", "referentiel.specialites",
    "resultats.analyser_import_notes", "resultats.benefices_pour_inscription", "resultats.correspondance",
    "resultats.classement_deliberation", "resultats.deliberation_du_jury", "resultats.donnees_pv",
    "resultats.ecarts_lot", "resultats.liste_emargement",
    "resultats.lister_examinateurs", "resultats.lister_jurys", "resultats.lister_lots", "resultats.lister_resultats",
    "resultats.notes_candidature", "resultats.notes_jury", "resultats.resultats_candidature", "resultats.saisie_lot",
    "rgpd.compte_par_numero", "rgpd.lire_conservation", "rgpd.preparer_purge",
    "sauvegardes.ancres_audit", "sauvegardes.dossier_effectif", "sauvegardes.emplacements", "sauvegardes.lister_sauvegardes",
    "sauvegardes.parametres",
    "sauvegardes.verifier_integrite",
})

ROLES: tuple[str | None, ...] = (Role.AGENT, Role.GESTIONNAIRE, Role.CHEF, None)


# --- discovery -------------------------------------------------------------------------------------

def _fonctions_publiques() -> dict[str, list[Callable[..., Any]]]:
    """« area.name » → the public functions defined in a services module whose first parameter is ctx."""
    trouvees: dict[str, list[Callable[..., Any]]] = {}
    for m in pkgutil.walk_packages(services.__path__, services.__name__ + "."):
        module = importlib.import_module(m.name)
        area = m.name.split(".")[2]
        for nom, f in vars(module).items():
            if nom.startswith("_") or not inspect.isfunction(f) or f.__module__ != module.__name__:
                continue
            parametres = list(inspect.signature(f).parameters)
            if parametres and parametres[0] == "ctx":
                trouvees.setdefault(f"{area}.{nom}", []).append(f)
    return trouvees


FONCTIONS = _fonctions_publiques()


def _ecrit(f: Callable[..., Any], vues: set[Callable[..., Any]]) -> bool:
    """Opens a write transaction, itself or through a services function it names (transitively)."""
    if f in vues:
        return False
    vues.add(f)
    try:
        source = textwrap.dedent(inspect.getsource(f))
    except (OSError, TypeError):
        return False
    if ".transaction()" in source:
        return True
    espace = getattr(f, "__globals__", {})
    for noeud in ast.walk(ast.parse(source)):
        cible: object = None
        if isinstance(noeud, ast.Name):
            cible = espace.get(noeud.id)
        elif isinstance(noeud, ast.Attribute) and isinstance(noeud.value, ast.Name):
            base = espace.get(noeud.value.id)
            if isinstance(base, types.ModuleType):
                cible = getattr(base, noeud.attr, None)
        if (inspect.isfunction(cible) and cible.__module__.startswith(services.__name__)
                and _ecrit(cible, vues)):
            return True
    return False


def test_every_public_function_is_classified_once():
    doublons = {cle: [f.__module__ for f in fs] for cle, fs in FONCTIONS.items() if len(fs) > 1}
    assert not doublons, f"Même nom dans deux modules d'une area (clé ambiguë de la table) : {doublons}"
    assert not set(ECRITURES) & set(ECRITURES_SANS_ROLE)
    assert not (set(ECRITURES) | set(ECRITURES_SANS_ROLE)) & LECTURES
    inconnues = sorted(set(FONCTIONS) - set(ECRITURES) - set(ECRITURES_SANS_ROLE) - LECTURES)
    assert not inconnues, ("Fonctions publiques de services sans entrée : ajoutez chaque écriture à ECRITURES "
                           f"(services/noyau/permissions.py) avec sa permission, ou une lecture à LECTURES : {inconnues}")
    disparues = sorted((set(ECRITURES) | set(ECRITURES_SANS_ROLE) | LECTURES) - set(FONCTIONS))
    assert not disparues, f"Entrées sans fonction (renommée ou supprimée ?) : {disparues}"


def test_no_read_opens_a_write_transaction():
    ecrivent = sorted(cle for cle in LECTURES if any(_ecrit(f, set()) for f in FONCTIONS[cle]))
    assert not ecrivent, f"Classées en lecture, elles écrivent : {ecrivent}"


def test_the_table_says_who_may_write():
    assert permissions.roles_autorises("sauvegardes.appliquer_rotation") == (Role.CHEF,)
    assert permissions.roles_autorises("justificatifs.changer_statut") == (Role.GESTIONNAIRE, Role.CHEF)
    assert permissions.roles_autorises("justificatifs.enregistrer_reception") == (
        Role.AGENT, Role.GESTIONNAIRE, Role.CHEF)


# --- every write × every role ---------------------------------------------------------------------

class _ControlePasse(Exception):
    """Raised by the spy once the table's permission was granted: the call stops before any write."""


def _empreinte(ctx: Contexte) -> tuple[tuple[str, int], ...]:
    """Rows per table and the sum of row versions where there are some: an insert, a delete or an
    ORM update would change it."""
    parties = []
    for table in Base.metadata.sorted_tables:
        versions = func.coalesce(func.sum(table.c.row_version), 0) if "row_version" in table.c else literal(0)
        parties.append(select(literal(table.name).label("t"), func.count().label("n"), versions.label("v"))
                       .select_from(table))
    with ctx.lecture() as s:
        return tuple(sorted((t, int(n) * 1_000_003 + int(v)) for t, n, v in s.execute(union_all(*parties))))


def _appeler(f: Callable[..., Any], ctx: Contexte) -> Any:
    """Call with stand-ins for every required argument: the role check comes before they are used."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for nom, p in list(inspect.signature(f).parameters.items())[1:]:
        if p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.kind is p.KEYWORD_ONLY:
            kwargs[nom] = MagicMock(name=nom)
        else:
            args.append(MagicMock(name=nom))
    return f(ctx, *args, **kwargs)


@pytest.fixture
def par_role(chef: Contexte, accueil: Contexte, gestionnaire: Contexte) -> dict[str | None, Contexte]:
    return {Role.AGENT: accueil, Role.GESTIONNAIRE: gestionnaire, Role.CHEF: chef, None: chef.avec_agent(None)}


@pytest.fixture
def espions(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """``exiger`` everywhere in services stops the call once the expected permission is granted;
    ``Contexte.transaction`` counts the write transactions opened."""
    vrai_exiger = permissions.exiger
    etat: dict[str, Any] = {"attendue": None, "transactions": 0}

    def exiger(ctx: Contexte, permission: P) -> None:
        vrai_exiger(ctx, permission)
        if permission == etat["attendue"]:
            raise _ControlePasse

    for nom, module in list(sys.modules.items()):
        if nom.startswith(services.__name__) and getattr(module, "exiger", None) is vrai_exiger:
            monkeypatch.setattr(module, "exiger", exiger)
    vraie_transaction = Contexte.transaction

    def transaction(self: Contexte):  # type: ignore[no-untyped-def]
        etat["transactions"] += 1
        return vraie_transaction(self)

    monkeypatch.setattr(Contexte, "transaction", transaction)
    yield etat


@pytest.mark.parametrize("ecriture", sorted(ECRITURES))
def test_each_write_checks_its_role_first(ecriture: str, par_role: dict[str | None, Contexte],
                                          espions: dict[str, Any]):
    permission = ECRITURES[ecriture]
    espions["attendue"] = permission
    (f,) = FONCTIONS[ecriture]
    avant = _empreinte(par_role[Role.CHEF])
    for role in ROLES:
        espions["transactions"] = 0
        permis = role is not None and permission in PERMISSIONS[role]
        try:
            _appeler(f, par_role[role])
        except _ControlePasse:
            assert permis, f"{ecriture} : le rôle {role} passe le contrôle sans y avoir droit"
        except PermissionDenied as exc:
            assert not permis, f"{ecriture} : le rôle {role} y a droit (table : {permission}) mais est refusé : {exc}"
            assert exc.message.endswith(".") and ("Connectez-vous" in exc.message or "Votre rôle" in exc.message)
        except Exception as exc:  # noqa: BLE001 - any other outcome means the check is missing or late
            pytest.fail(f"{ecriture} appelée en tant que {role} : {type(exc).__name__} ({exc}) au lieu du "
                        f"contrôle de {permission} en premier")
        else:
            pytest.fail(f"{ecriture} appelée en tant que {role} : aucun contrôle de {permission}")
        assert espions["transactions"] == 0, f"{ecriture} ({role}) : transaction ouverte avant le contrôle"
        assert _empreinte(par_role[Role.CHEF]) == avant, f"{ecriture} ({role}) : la base a changé"


# --- the writes without a role, each under its own rule -------------------------------------------

def test_writes_without_a_role_write_nothing_outside_their_rule(par_role: dict[str | None, Contexte]):
    from cyclades_desktop.services.personnel import agents
    from cyclades_desktop.services.referentiel import chargement

    avant = _empreinte(par_role[Role.CHEF])
    for ctx in par_role.values():
        with pytest.raises(DomainError, match="déjà été créé"):
            agents.creer_premier_chef(ctx, agents.SaisieAgent(
                login="intrus", nom="Intrus", prenom="Ian", mot_de_passe=MOT_DE_PASSE_AGENT,
                mot_de_passe_confirmation=MOT_DE_PASSE_AGENT))
        with pytest.raises(DomainError, match="incorrect"):
            agents.connecter(ctx, "chef", "Mauvais-mot-de-passe-1")
        assert chargement.charger_si_vide(ctx) is False
    assert _empreinte(par_role[Role.CHEF]) == avant


def test_a_restore_checks_the_agent_before_reading_the_backup(par_role: dict[str | None, Contexte], tmp_path):
    from cyclades_desktop.services import sauvegardes

    for role in (Role.AGENT, Role.GESTIONNAIRE):
        ctx = par_role[role]
        with pytest.raises(PermissionDenied, match="sauvegarder ou restaurer la base"):
            sauvegardes.restaurer("sqlite:///inutile.sqlite", tmp_path / "absente", agent=ctx.agent)
