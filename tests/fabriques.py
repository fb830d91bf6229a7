"""Test data shared by service and screen tests: the example candidate of the CYCLADES candidate guide
and her candidature (the « seed » of names such as ``saisie_seed``; docs/domaine/README.md#sources)."""

from __future__ import annotations

from sqlalchemy import select

from cyclades_desktop.models import Commune, SessionExamen
from cyclades_desktop.rules import comptes as rc
from cyclades_desktop.rules.epreuves import Choix
from cyclades_desktop.rules.inscriptions import SaisieAcquis, SaisieCandidature
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau.contexte import Contexte

EMAIL_SEED = "1948418953@mail.fr"


def commune_id(ctx: Contexte, nom: str, dep: str) -> str:
    with ctx.lecture() as s:
        return str(s.scalar(select(Commune.id).where(Commune.nom == nom, Commune.departement == dep)))


def compte_actif(ctx: Contexte, *, email: str = EMAIL_SEED, naissance: str = "06/05/2005",
                 nom: str = "Ngmb-Dupont", prenoms: str = "ngmb-jeanne") -> int:
    """The guide's NGMB-DUPONT Ngmb-Jeanne, born at Bugarach (11), activated."""
    saisie = rc.SaisieCompte(
        sexe="F", nom=nom, nom_confirmation=nom, prenoms=prenoms, date_naissance=naissance,
        date_naissance_confirmation=naissance, pays_naissance="FR", departement_naissance="11",
        commune_naissance=commune_id(ctx, "Bugarach", "11"), email=email, email_confirmation=email,
        mot_de_passe="Secret.2024", mot_de_passe_confirmation="Secret.2024")
    cree = comptes.creer_compte(ctx, saisie)
    comptes.activer_compte(ctx, cree.id, cree.code_activation)
    return cree.id


def session_id(ctx: Contexte, libelle: str = "2025") -> int:
    with ctx.lecture() as s:
        return int(s.scalar(select(SessionExamen.id).where(SessionExamen.libelle == libelle)))


def saisie_seed(**changes: object) -> SaisieCandidature:
    """The guide's candidature (its §3 and §4.1): scolaire BACPRO 1 AN at CFA CEVEDOM, Aéronautique option
    Systèmes, BTS DUT DEUG LICENCE 2022 Aix-Marseille, EF1 Anglais, EF2 Lettonie."""
    s = SaisieCandidature(
        modalites_acceptees=True, adresse_pays="FR", adresse_voie="reu", code_postal="97300",
        localite="Cayenne", nationalite="FR", telephone_mobile="0123456789",
        categorie_code="133", situation_code="ELEVE_ETUDIANT", amenagement_duree=False,
        etablissement_uai="9730538X", handicap=False, consentement_presse=False,
        consentement_collectivites=False, specialite_id="BCP-25303", section_langue="AUCUNE",
        forme_passage="globale", derogation=False, forme_finale="globale",
        acquis=[SaisieAcquis("BTS_DUT_DEUG_LICENCE", 2022, "Aix-Marseille")],
        choix=Choix(facultatives={"EF1": "Anglais", "EF2": "Lettonie"}), conditions_acceptees=True)
    for k, v in changes.items():
        setattr(s, k, v)
    return s


def saisie_individuel(**changes: object) -> SaisieCandidature:
    """An individual candidate living in Marseille (académie d'Aix-Marseille), Aéronautique."""
    s = saisie_seed(adresse_voie="12 rue de la République", code_postal="13001", localite="Marseille",
                    categorie_code="INDIV", situation_code="SALARIE", etablissement_uai="INDIV013",
                    condition_acces="experience", acquis=[], choix=Choix())
    for k, v in changes.items():
        setattr(s, k, v)
    return s
