from __future__ import annotations

from datetime import date

import pytest

from cyclades_desktop.rules import comptes as r
from cyclades_desktop.rules.texte import cle_recherche, prenoms_normalises

AUJOURDHUI = date(2024, 11, 10)


def saisie(**kw: str) -> r.SaisieCompte:
    base = dict(
        sexe="F", nom="Ngmb-Dupont", nom_confirmation="NGMB-DUPONT", prenoms="Ngmb-Jeanne",
        date_naissance="06/05/2005", date_naissance_confirmation="06/05/2005", pays_naissance="FR",
        departement_naissance="11", commune_naissance="42", email="Jeanne.Dupont@Mail.fr",
        email_confirmation="jeanne.dupont@mail.fr ", mot_de_passe="Secret.2024",
        mot_de_passe_confirmation="Secret.2024",
    )
    base.update(kw)
    return r.SaisieCompte(**base)


@pytest.mark.parametrize("mdp", ["Abcdef.1", "aB!aaaaa", "Zz*" + "a" * 17])
def test_mots_de_passe_conformes(mdp: str) -> None:
    assert r.verifier_mot_de_passe(mdp) is None


@pytest.mark.parametrize("mdp", [
    "Ab.1234",            # 7 caractères
    "Ab." + "c" * 18,     # 21 caractères
    "abcdefg.1",          # pas de majuscule
    "ABCDEFG.1",          # pas de minuscule
    "Abcdefgh1",          # pas de caractère spécial
    "Abc def.gh",         # espace
])
def test_mots_de_passe_refuses_avec_le_message_du_portail(mdp: str) -> None:
    assert r.verifier_mot_de_passe(mdp) == r.MESSAGE_MOT_DE_PASSE


def test_saisie_complete_valide() -> None:
    assert r.valider_saisie_compte(saisie(), AUJOURDHUI) == {}


def test_doubles_saisies_qui_ne_correspondent_pas() -> None:
    e = r.valider_saisie_compte(saisie(nom_confirmation="DUPOND", date_naissance_confirmation="07/05/2005",
                                       email_confirmation="autre@mail.fr", mot_de_passe_confirmation="x"),
                                AUJOURDHUI)
    assert e["nom_confirmation"] == "La confirmation ne correspond pas : nom de naissance."
    assert e["date_naissance_confirmation"] == "La confirmation ne correspond pas : date de naissance."
    assert e["email_confirmation"] == "La confirmation ne correspond pas : adresse mail."
    assert e["mot_de_passe_confirmation"] == "La confirmation ne correspond pas : mot de passe."


def test_normalisation_email() -> None:
    assert r.normaliser_email("  Paul.LAMY@Gmail.com ") == "paul.lamy@gmail.com"
    assert r.verifier_email("paul.lamy@gmail") is not None
    assert r.verifier_email("paul lamy@gmail.com") is not None
    assert r.verifier_email("paul..lamy@gmail.com") is not None
    assert r.verifier_email("paul.lamy@gmail.com") is None


@pytest.mark.parametrize(("texte", "message"), [
    ("11/11/2024", "La date de naissance ne peut pas être dans le futur."),
    ("31/12/1899", "La date de naissance ne peut pas être antérieure au 01/01/1900."),
    ("31/02/2000", "La date doit être une date réelle au format jj/mm/aaaa (exemple : 30/05/1998)."),
    ("2000-05-30", "La date doit être une date réelle au format jj/mm/aaaa (exemple : 30/05/1998)."),
    ("", "Ce champ est obligatoire."),
])
def test_dates_de_naissance_refusees(texte: str, message: str) -> None:
    assert r.verifier_date_naissance(texte, AUJOURDHUI) == message


def test_dates_limites_acceptees() -> None:
    assert r.verifier_date_naissance("10/11/2024", AUJOURDHUI) is None
    assert r.verifier_date_naissance("01/01/1900", AUJOURDHUI) is None


def test_ne_a_l_etranger_demande_la_ville_pas_le_departement() -> None:
    e = r.valider_saisie_compte(saisie(pays_naissance="MA", departement_naissance="", commune_naissance=""),
                                AUJOURDHUI)
    assert set(e) == {"commune_naissance_etranger"}
    e = r.valider_saisie_compte(saisie(departement_naissance="", commune_naissance=""), AUJOURDHUI)
    assert set(e) == {"departement_naissance", "commune_naissance"}


def test_numero_candidat_onze_chiffres_avec_cle() -> None:
    n = r.numero_candidat(194841895)
    assert len(n) == 11 and n.isdigit() and n.startswith("0194841895")
    assert r.numero_candidat_valide(n)
    faux = n[:3] + str((int(n[3]) + 1) % 10) + n[4:]
    assert not r.numero_candidat_valide(faux)  # one mistyped digit is caught
    assert not r.numero_candidat_valide("0123")
    with pytest.raises(ValueError):
        r.numero_candidat(10**10)


def test_cles_de_recherche_sans_accents_ni_casse() -> None:
    assert cle_recherche("Ngmb-Dupônt") == "NGMB DUPONT"
    assert cle_recherche("d'Œillet  Élise") == "D OEILLET ELISE"
    assert prenoms_normalises("jean-éric  marie") == "Jean-Éric Marie"
