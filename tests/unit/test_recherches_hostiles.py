"""Every search with what an attacker types: « % », « _ » and « \\ » match themselves, never every row;
NUL, bidi and zero-width characters are dropped (a search never fails, on either engine); a pasted page
is cut to its first words instead of building an SQL expression SQLite refuses."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from cyclades_desktop.models import Etablissement
from cyclades_desktop.rules.texte import MOTS_RECHERCHE_MAX, cle_recherche
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.comptes import papillons
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs.controle import FiltrePieces
from cyclades_desktop.services.noyau import audit
from cyclades_desktop.services.noyau.audit import FiltreAudit
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.organisation import centres, placements
from cyclades_desktop.services.referentiel import adresses, edition, lecture
from tests import fabriques_organisation as fo
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id

JOKERS = ("%", "_", "\\", "%%", "_%", "\\%", "a\\", "%\\", "\\_")
INVISIBLES = ("\x00", "\u202e", "\u200b", "\ufeff", "\u2066", "\x1b", "\x85", "\u2028")


@pytest.fixture
def ateliers(chef: Contexte) -> None:
    """Two établissements whose names differ by a « % »: a wildcard would find both."""
    with chef.transaction() as s:
        for uai, nom in (("9990001A", "ATELIER 100% METIERS"), ("9990002B", "ATELIER 1000 METIERS"),
                         ("9990003C", "ECOLE A\\B")):
            s.add(Etablissement(uai=uai, nom=nom, ville="Nulle-Part", cle=cle_recherche(f"{nom} {uai} Nulle-Part")))


def _uai(trouves: list) -> set[str]:
    return {e.uai for e in trouves}


def test_etablissements_percent_and_backslash_match_themselves(chef, ateliers):
    assert _uai(lecture.rechercher_etablissements(chef, "atelier")) == {"9990001A", "9990002B"}
    assert _uai(lecture.rechercher_etablissements(chef, "100%")) == {"9990001A"}
    assert _uai(lecture.rechercher_etablissements(chef, "a\\b")) == {"9990003C"}
    for joker in JOKERS:
        trouves = lecture.rechercher_etablissements(chef, joker)
        assert all(cle_recherche(joker) in cle_recherche(e.nom) for e in trouves), (joker, trouves)
        assert len(trouves) <= 1, joker
    # The search-as-you-type field of the organisation screen goes through the same search.
    assert [u for u, _l in centres.etablissements_possibles(chef, "100%")] == ["9990001A"]


@pytest.mark.parametrize("invisible", INVISIBLES)
def test_etablissements_invisible_characters_are_dropped(chef, ateliers, invisible):
    assert _uai(lecture.rechercher_etablissements(chef, f"ate{invisible}lier 100%")) == {"9990001A"}
    assert lecture.rechercher_etablissements(chef, invisible * 3) == lecture.rechercher_etablissements(chef, "")


def test_a_pasted_page_is_cut_to_its_first_words(chef, ateliers):
    texte = " ".join(["atelier"] * 1000)
    debut = time.monotonic()
    assert _uai(lecture.rechercher_etablissements(chef, texte)) == {"9990001A", "9990002B"}
    assert time.monotonic() - debut < 2
    # Words past the first few are not conditions any more.
    assert _uai(lecture.rechercher_etablissements(chef, "atelier " * MOTS_RECHERCHE_MAX + "zzz")) == {
        "9990001A", "9990002B"}
    assert lecture.rechercher_etablissements(chef, "x" * 100_000) == []


def test_accounts_search(chef):
    compte_actif(chef, email="a@exemple.fr", nom="Dupont", prenoms="Anne")
    compte_actif(chef, email="b@exemple.fr", nom="Durand", prenoms="Paul")
    assert len(comptes.rechercher(chef, "du")) == 2
    for joker in (*JOKERS, "d%", "0%", "a%@", "%@exemple.fr"):
        assert comptes.rechercher(chef, joker) == [], joker
    for invisible in INVISIBLES:
        assert [x.nom for x in comptes.rechercher(chef, f"dup{invisible}")] == ["DUPONT"]
        assert [x.email for x in comptes.rechercher(chef, f"a@exe{invisible}")] == ["a@exemple.fr"]
    assert comptes.rechercher(chef, " ".join(["dupont"] * 1000)) == []
    assert comptes.rechercher(chef, "１２３") == []     # full-width digits are not a N° candidat


def test_communes_and_postcodes(chef):
    assert [c.nom for c in lecture.rechercher_communes(chef, "11", "Bugar")] == ["Bugarach"]
    for joker in (*JOKERS, "bug%", "b_garach"):
        assert lecture.rechercher_communes(chef, "11", joker) == [], joker
    for invisible in INVISIBLES:
        assert [c.nom for c in lecture.rechercher_communes(chef, "11", f"Bug{invisible}ar")] == ["Bugarach"]
    assert adresses.communes_du_code_postal(chef, "11190")
    for faux in ("11%", "1119_", "111\\0", "１１１９０", "11190\x00", "1\u202e1190"):
        assert adresses.communes_du_code_postal(chef, faux) == [], faux


def _entrees(chef: Contexte, texte: str) -> list[audit.LigneAudit]:
    return audit.lister(chef, FiltreAudit(texte=texte), limite=1000)


def test_audit_search(chef):
    edition.creer_session(chef, 2031, "Cent 100% VAE", "vae")
    edition.creer_session(chef, 2032, "Barre A\\B", "normale")
    edition.creer_session(chef, 2033, "Sous_ligne", "normale")
    tout = _entrees(chef, "")
    assert [x.libelle for x in _entrees(chef, "%")] == ["Session Cent 100% VAE"]
    assert [x.libelle for x in _entrees(chef, "1_0%")] == []
    assert [x.libelle for x in _entrees(chef, "\\")] == ["Session Barre A\\B"]
    assert [x.libelle for x in _entrees(chef, "a\\b")] == ["Session Barre A\\B"]
    assert [x.libelle for x in _entrees(chef, "_")] == ["Session Sous_ligne"]
    assert [x.libelle for x in _entrees(chef, "o_s")] == []    # « _ » is no single-character wildcard
    assert len(tout) > 3
    for invisible in INVISIBLES:
        assert [x.libelle for x in _entrees(chef, f"100{invisible}%")] == ["Session Cent 100% VAE"]
    assert _entrees(chef, "x" * 10_000) == []


def test_affectations_filter(chef, accueil):
    session = session_id(chef)
    ids = []
    for i, nom in enumerate(("Dupont", "Durand")):
        compte = compte_actif(accueil, email=f"c{i}@exemple.fr", nom=nom, prenoms="Test")
        d = inscriptions.demarrer(accueil, compte, session, "BCP")
        ids.append(inscriptions.enregistrer(accueil, d, saisie_individuel()).candidature_id)
    fo.creneau(chef, session, "E2", "Épreuve E2", datetime(2025, 6, 16, 8), 240)

    def noms(texte: str) -> list[str]:
        return sorted(x.nom for x in placements.lister_affectations(
            chef, placements.FiltreAffectations(session, texte=texte)))

    assert noms("du") == ["DUPONT Test", "DURAND Test"]
    assert noms("dup") == ["DUPONT Test"]
    for joker in (*JOKERS, "d%", "0%", "00%", "0_"):
        assert noms(joker) == [], joker
    for invisible in INVISIBLES:
        assert noms(f"dup{invisible}") == ["DUPONT Test"]
    assert noms("dupont " * 1000) == []
    assert ids


def test_pieces_grid_and_papillons_filters(chef, gestionnaire, accueil):
    compte = compte_actif(accueil, email="g@exemple.fr", nom="Dupont", prenoms="Anne")
    d = inscriptions.demarrer(accueil, compte, session_id(chef), "BCP")
    inscriptions.enregistrer(accueil, d, saisie_individuel())
    eleve = compte_actif(accueil, email="h@exemple.fr", nom="Durand", prenoms="Paul")
    inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, eleve, session_id(chef), "BCP"), saisie_seed())
    tout = FiltrePieces(seulement_requises=False, seulement_actives=False)

    def grille(texte: str) -> int:
        from dataclasses import replace
        return len(controle.grille(chef, replace(tout, candidat=texte), limite=1000))

    assert grille("dup") > 0
    for joker in (*JOKERS, "d%", "0%"):
        assert grille(joker) == 0, joker
    for invisible in INVISIBLES:
        assert grille(f"dup{invisible}") == grille("dup")
    tous = papillons.etablissements(chef, session_id(chef))
    assert [e.uai for e in tous] == ["9730538X"]
    assert papillons.etablissements(chef, session_id(chef), "cevedom") == tous
    for texte in (*JOKERS, "x" * 10_000):
        assert papillons.etablissements(chef, session_id(chef), texte) == [], texte
    assert papillons.etablissements(chef, session_id(chef), "cevedom " * 1000) == tous
    for invisible in INVISIBLES:
        assert papillons.etablissements(chef, session_id(chef), f"ceve{invisible}dom{invisible}") == tous
