"""Typed values an attacker (or a careless paste) sends to the services: invisible and control characters
are refused field by field with a French message and nothing is written, on both engines (PostgreSQL
refuses a NUL with a raw error otherwise); non-ASCII digits and non-finite numbers are not numbers."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, Candidature, CompteCandidat, Epreuve
from cyclades_desktop.rules import comptes as rc
from cyclades_desktop.rules import inscriptions as ri
from cyclades_desktop.rules import pieces as rpi
from cyclades_desktop.rules import referentiel as rr
from cyclades_desktop.rules.errors import DomainError, ValidationError
from cyclades_desktop.rules.organisation import SaisieDecision
from cyclades_desktop.rules.personnel import SaisieAgent
from cyclades_desktop.services import courriels
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.organisation import amenagements
from cyclades_desktop.services.organisation import centres as org
from cyclades_desktop.services.personnel import agents
from cyclades_desktop.services.referentiel import edition, lecture
from cyclades_desktop.services.referentiel import pieces as ref_pieces
from cyclades_desktop.services.referentiel.epreuves import saisie_depuis_noeud
from cyclades_desktop.services.rgpd import conservation
from tests.conftest import MOT_DE_PASSE_AGENT
from tests.fabriques import commune_id, compte_actif, saisie_individuel, saisie_seed, session_id

INVISIBLES = ("\x00", "\u202e", "\u200b", "\ufeff", "\u2066", "\x1b", "\x85", "\u2028", "\t")
MESSAGE = "caractère invisible ou de contrôle"


def _nombre(ctx: Contexte, modele: type) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(modele)) or 0


def _refuse(appel, champ: str, ctx: Contexte) -> ValidationError:  # type: ignore[no-untyped-def]
    """The call is refused on ``champ`` with the French message, and the audit trail is unchanged."""
    avant = _nombre(ctx, AuditEntry)
    with pytest.raises(ValidationError) as exc:
        appel()
    assert MESSAGE in exc.value.errors.get(champ, ""), exc.value.errors
    assert _nombre(ctx, AuditEntry) == avant
    return exc.value


def saisie_compte(ctx: Contexte, **changes: str) -> rc.SaisieCompte:
    s = rc.SaisieCompte(
        sexe="F", nom="Martin", nom_confirmation="Martin", prenoms="Anne", date_naissance="06/05/2005",
        date_naissance_confirmation="06/05/2005", pays_naissance="FR", departement_naissance="11",
        commune_naissance=commune_id(ctx, "Bugarach", "11"), email="anne@exemple.fr",
        email_confirmation="anne@exemple.fr", mot_de_passe="Secret.2024", mot_de_passe_confirmation="Secret.2024")
    return replace(s, **changes)


CHAMPS_COMPTE = ("nom", "prenoms", "nom_usage", "email", "mot_de_passe", "pays_naissance",
                 "departement_naissance", "commune_naissance", "nom_confirmation")


@pytest.mark.parametrize("invisible", INVISIBLES)
@pytest.mark.parametrize("champ", CHAMPS_COMPTE)
def test_account_creation_refuses_invisible_characters(accueil, champ, invisible):
    saisie = saisie_compte(accueil)
    valeur = getattr(saisie, champ) or "Dupont"
    saisie = replace(saisie, **{champ: valeur[:2] + invisible + valeur[2:]})
    _refuse(lambda: comptes.creer_compte(accueil, saisie), champ, accueil)
    assert _nombre(accueil, CompteCandidat) == 0


def test_account_born_abroad_and_modification(accueil, gestionnaire):
    saisie = saisie_compte(accueil, pays_naissance="BE", departement_naissance="", commune_naissance="",
                           commune_naissance_etranger="Bru\x00xelles")
    _refuse(lambda: comptes.creer_compte(accueil, saisie), "commune_naissance_etranger", accueil)
    cid = compte_actif(accueil)
    vue = comptes.obtenir(accueil, cid)
    modifiee = replace(comptes.saisie_depuis_compte(vue, int(commune_id(accueil, "Bugarach", "11"))),
                       nom_usage="Dur\u202eand")
    _refuse(lambda: comptes.modifier_compte(accueil, cid, modifiee, row_version=vue.row_version), "nom_usage",
            accueil)
    propre = replace(modifiee, nom_usage="Durand")
    _refuse(lambda: comptes.modifier_compte(gestionnaire, cid, propre, row_version=vue.row_version,
                                            motif="Erreur\x00"), "motif", accueil)
    _refuse(lambda: comptes.trouver_par_identifiant(accueil, "a\x00@b.fr"), "identifiant", accueil)
    with pytest.raises(DomainError, match="Identifiant ou mot de passe incorrect"):
        comptes.verifier_connexion_candidat(accueil, "\x00", "x")


@pytest.mark.parametrize(("champ", "valeur"), [
    ("adresse_voie", "12 rue\x00 de la Paix"), ("adresse_complement1", "Bât.\u202eA"), ("localite", "Mar\u200bseille"),
    ("code_postal", "13\x0001"), ("telephone_mobile", "06\x0012345678"), ("classe", "Term\x00inale"),
    ("ine", "088553495\x00D"), ("etablissement_uai", "INDIV\x00013"), ("categorie_code", "INDIV\x00"),
    ("specialite_id", "BCP-25303\x00"), ("nationalite", "F\x00"), ("commune_code", "13\x00055")])
def test_candidature_refuses_invisible_characters_before_any_lookup(accueil, champ, valeur):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    cle = "localite" if champ == "commune_code" else champ
    _refuse(lambda: inscriptions.enregistrer(accueil, d, saisie_individuel(**{champ: valeur})), cle, accueil)
    assert _nombre(accueil, Candidature) == 0


def test_candidature_acquis_and_motifs(accueil, gestionnaire, clock):
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    seed = saisie_seed()
    seed.acquis[0].academie = "Aix\x00-Marseille"
    _refuse(lambda: inscriptions.enregistrer(accueil, d, seed), "acquis.0.academie", accueil)
    r = inscriptions.enregistrer(accueil, d, saisie_seed())
    with accueil.lecture() as s:
        rv = s.get(Candidature, r.candidature_id).row_version
    _refuse(lambda: inscriptions.desinscrire(gestionnaire, r.candidature_id, row_version=rv,
                                             motif="Demande\u202e écrite"), "motif", accueil)
    clock.advance(days=60)   # registrations closed: the office needs a motif, a clean one
    _refuse(lambda: inscriptions.demarrer(gestionnaire, compte, session_id(accueil), "BCP",
                                          motif="Retard\x00 postal"), "motif", accueil)


def test_staff_accounts(chef):
    def saisie(**changes: str) -> SaisieAgent:
        return replace(SaisieAgent(login="paul.martin", nom="Martin", prenom="Paul", email="paul@ac-exemple.fr",
                                   mot_de_passe=MOT_DE_PASSE_AGENT, mot_de_passe_confirmation=MOT_DE_PASSE_AGENT),
                       **changes)
    for champ, valeur in (("nom", "Mar\x00tin"), ("prenom", "Pa\u202eul"), ("login", "paul\x00"),
                          ("email", "paul@ac\x00.fr"), ("telephone", "04\x0042"),
                          ("mot_de_passe", "Bureau\x00DEC2024")):
        with pytest.raises(ValidationError) as exc:
            agents.creer_agent(chef, saisie(**{champ: valeur}))
        assert champ in exc.value.errors, (champ, exc.value.errors)
    for champ, valeur in (("nom", "--"), ("prenom", "' '"), ("email", ".a.@-x-.fr"), ("telephone", "０４ ４２")):
        with pytest.raises(ValidationError) as exc:
            agents.creer_agent(chef, saisie(**{champ: valeur}))
        assert champ in exc.value.errors, (champ, exc.value.errors)
    with pytest.raises(DomainError, match="incorrect"):
        agents.connecter(chef, "chef\x00", MOT_DE_PASSE_AGENT)


def test_referentiel_forms(chef):
    vue = lecture.bureau(chef)
    bureau = edition.saisie_bureau(vue)
    for champ, valeur in (("adresse", "Place\x00 Paye"), ("ville", "Aix\u202e"), ("code_postal", "１３６２１"),
                          ("telephone", "٠٤ ٤٢ ٩١ ٧٢ ٨٧"), ("email", "dec@-ac-.fr"), ("departements", "１３")):
        with pytest.raises(ValidationError) as exc:
            edition.modifier_bureau(chef, replace(bureau, **{champ: valeur}), vue.row_version)
        assert champ in exc.value.errors, (champ, exc.value.errors)
    # The address is multi-line: its line breaks are kept.
    edition.modifier_bureau(chef, replace(bureau, adresse="Rectorat\nPlace Lucien Paye"), vue.row_version)
    assert lecture.bureau(chef).adresse == "Rectorat\nPlace Lucien Paye"
    _refuse(lambda: edition.creer_session(chef, 2031, "Session\x002031"), "libelle", chef)
    with pytest.raises(ValidationError) as exc:
        edition.creer_session(chef, "２０３１", "Session 2031")
    assert "annee" in exc.value.errors
    _refuse(lambda: ref_pieces.ajouter_piece(chef, "NOUVELLE", "Attestation\u200b", "always", "en ligne", ["BCP"]),
            "libelle", chef)


@pytest.mark.parametrize("coefficient", ["nan", "inf", "-inf", "１,５", "1_5", "infinity", "1e3"])
def test_epreuve_coefficient_is_an_ascii_decimal(chef, coefficient):
    e1 = next(n for n in edition.arbre_epreuves(chef, "BCP-25303") if n.code == "E1")
    saisie = replace(saisie_depuis_noeud(e1), coefficient=coefficient)
    with pytest.raises(ValidationError) as exc:
        edition.modifier_epreuve(chef, e1.id, saisie)
    assert "coefficient" in exc.value.errors


@pytest.mark.parametrize("valeur", ["NaN", "Infinity", "-Infinity"])
def test_import_refuses_a_non_finite_coefficient_and_keeps_the_stored_one(chef, valeur):
    bcp = edition.exporter_specialite(chef, "BCP-25303")
    avant = {e.code: e.coefficient for e in _epreuves(chef)}
    texte = json.dumps(bcp, ensure_ascii=False)
    cible = next(n for n in bcp["epreuves"] if n.get("coefficient") is not None)
    texte = texte.replace(json.dumps({"coefficient": cible["coefficient"]})[1:-1], f'"coefficient": {valeur}', 1)
    rapport = edition.analyser_import(chef, texte.encode())
    assert not rapport.valide and any("coefficient" in e for e in rapport.erreurs), rapport.erreurs
    with pytest.raises(DomainError):
        edition.appliquer_import(chef, rapport)
    assert {e.code: e.coefficient for e in _epreuves(chef)} == avant


def test_import_refuses_a_nul_in_any_text(chef):
    bcp = edition.exporter_specialite(chef, "BCP-25303")
    for modif in ({"intitule": "Aéro\u0000"}, {"filiere": "x\u200by"}, {"notes": ["a\u202eb"]}):
        rapport = edition.analyser_import(chef, json.dumps({**bcp, **modif}).encode())
        assert not rapport.valide and any(MESSAGE in e for e in rapport.erreurs), (modif, rapport.erreurs)
    rapport = edition.analyser_import(chef, json.dumps({**bcp, "id": "BCP-25303\u0000"}).encode())
    assert not rapport.valide and "\x00" not in " ".join(rapport.erreurs)   # never shown either
    bcp["epreuves"][0]["intitule"] = "E\u0000"
    assert not edition.analyser_import(chef, json.dumps(bcp).encode()).valide


def _epreuves(ctx: Contexte) -> list[Epreuve]:
    with ctx.lecture() as s:
        return list(s.scalars(select(Epreuve).where(Epreuve.specialite_id == "BCP-25303")))


def test_organisation_settings_and_decisions(chef, gestionnaire, accueil):
    with pytest.raises(ValidationError) as exc:
        org.creer_centre(chef, "0250001R\x00")
    assert "etablissement" in exc.value.errors
    centre = org.creer_centre(chef, "0250001R")
    _refuse(lambda: org.ajouter_salle(chef, centre, "Salle\x00 B", 10), "nom", chef)
    _refuse(lambda: org.ajouter_salle(chef, centre, "Salle B", 10, ["BCP\x00"]), "specialites", chef)
    for capacite in ("３０", "3_0", "30.0", "٣٠"):
        with pytest.raises(ValidationError) as exc:
            org.ajouter_salle(chef, centre, "Salle B", capacite)
        assert "capacite" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        org.creer_centre(chef, "0080006N", "１３")
    assert "departements" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        courriels.enregistrer_parametres(chef, courriels.SaisieSmtp(
            hote="smtp.exemple.fr", port="５８７", adresse_expediteur="dec@exemple.fr", nom_expediteur="DEC\x00"))
    assert {"port", "nom_expediteur"} <= exc.value.errors.keys()
    with pytest.raises(ValidationError) as exc:
        conservation.enregistrer_conservation(chef, "４８", "5")
    assert "heures_comptes_non_actives" in exc.value.errors
    compte = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP")
    cid = inscriptions.enregistrer(accueil, d, saisie_seed(amenagement_duree=True, handicap=True)).candidature_id
    for champ, saisie in (("motif", SaisieDecision(statut="refuse", motif="Dossier\x00 incomplet")),
                          ("autres_mesures", SaisieDecision(statut="accorde", autres_mesures="Pause\n\u202eLoupe")),
                          ("majoration_temps", SaisieDecision(statut="accorde", mesures=["Temps de pause"],
                                                              majoration_temps="３３"))):
        with pytest.raises(ValidationError) as exc:
            amenagements.enregistrer_decision(gestionnaire, cid, saisie, row_version=0)
        assert champ in exc.value.errors, (champ, exc.value.errors)
    # A multi-line field keeps its line breaks.
    vue = amenagements.enregistrer_decision(gestionnaire, cid, SaisieDecision(
        statut="accorde", autres_mesures="Pause\nLoupe"), row_version=0)
    assert vue


# --- the validators' own cases (the ones found on the landed product) --------------------------

@pytest.mark.parametrize(("verifier", "valeur"), [
    (rc.verifier_mot_de_passe, "Abcdefgh\x00"), (rc.verifier_mot_de_passe, "Abcdefgh\x1b"),
    (rc.verifier_mot_de_passe, "Abcdefgh\u202e"), (rc.verifier_email, ".a.@-x-.fr"),
    (rc.verifier_email, "a..b@exemple.fr"), (rc.verifier_email, "a.@exemple.fr"), (rc.verifier_email, "a@-x.fr"),
    (rc.verifier_email, "a@x-.fr"), (rc.verifier_email, "a@exem\u200bple.fr"), (rc.verifier_email, "ａ@exemple.fr"),
    (rc.verifier_nom, "-"), (rc.verifier_nom, "'"), (rc.verifier_nom, "' - '"), (rc.verifier_nom, "Du\x00pont"),
    (rc.verifier_nom, "Du\u200bpont"), (rc.verifier_nom, "Du\x1cpont"),
    (lambda t: rc.verifier_date_naissance(t, date(2024, 11, 10)), "٣٠/٠٥/١٩٩٨"),
    (lambda t: rc.verifier_date_naissance(t, date(2024, 11, 10)), "３０/０５/１９９８"),
    (ri.verifier_telephone, "０６２３４５６７８９"), (ri.verifier_telephone, "06234567٨٩"),
])
def test_validators_refuse_what_a_person_would(verifier, valeur):
    assert verifier(valeur), valeur


def test_digits_and_numbers_are_ascii_and_finite():
    assert rc.numero_candidat_valide("0000000001²") is False          # raised ValueError before
    assert rc.numero_candidat_valide("０1000000016") is False
    assert rc.numero_candidat_valide(rc.numero_candidat(100000001))
    s = saisie_individuel(code_postal="１３００１", ine="０８８５５３４９５DY")
    assert {"code_postal", "ine"} <= {**ri.verifier_identification(s), **ri.verifier_informations(s)}.keys()
    assert rr.valider_noeud({"intitule": "E1", "coefficient": math.nan}).keys() == {"coefficient"}
    assert rr.valider_noeud({"intitule": "E1", "coefficient": 10**400}).keys() == {"coefficient"}
    assert rc.parser_date("31/12/１９９８") is None and rpi.lire_date("09/12/２０２４") is None
