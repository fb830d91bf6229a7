"""What the candidate reads of the épreuves is the référentiel's, and only that: the conditional dispense of a
CAP's language unit, no editorial note of the référentiel on the récapitulatif, no internal key (NC3) for a
unit without an official code (docs/domaine/inscriptions.md#acquis, INS-22 bis)."""

from __future__ import annotations

import json
import re
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from cyclades_desktop.rules.codes_epreuves import code_affiche, nom_epreuve, titre_epreuve
from cyclades_desktop.rules.epreuves import DISPENSE, dispenses_du_titre
from cyclades_desktop.rules.inscriptions import SaisieAcquis, TypeDocument
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.publications import documents as publications
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id

REFERENTIEL = Path(__file__).resolve().parents[2] / "resources" / "referentiel"
MOTIF = "Dossier déposé à temps au guichet"


def _demarrage_cap(gestionnaire: Contexte) -> inscriptions.Demarrage:
    """The CAP period of the test session is closed: the office goes on with a reason."""
    return inscriptions.demarrer(gestionnaire, compte_actif(gestionnaire), session_id(gestionnaire), "CAP",
                                 motif=MOTIF)


def _patissier(titre: str) -> object:
    return saisie_individuel(categorie_code="INDIV", specialite_id="CAP-22141", condition_acces="",
                             acquis=[SaisieAcquis(titre, 2020, "Aix-Marseille")])


def _texte_recapitulatif(ctx: Contexte, candidature_id: int) -> str:
    recap = next(d for d in publications.documents(ctx, candidature_id) if d.type == TypeDocument.RECAPITULATIF)
    _nom, contenu = publications.contenu(ctx, recap.derniere.id)
    texte = "\n".join(p.extract_text() for p in PdfReader(BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte.replace("\u00a0", " "))


# --- 1. the language unit of a CAP, dispensed by a baccalauréat -------------------------------------------

def test_un_baccalaureat_dispense_la_langue_vivante_du_cap(gestionnaire):
    d = _demarrage_cap(gestionnaire)
    r = inscriptions.calculer_epreuves(gestionnaire, d, _patissier("CAP_BACCALAUREAT"))
    assert r is not None and r.erreurs == {}
    assert {"EG1", "EG2", "EG3", "EG4"} <= set(r.dispenses_possibles)
    assert r.par_code()["EG4"].position == DISPENSE      # Langue vivante étrangère


def test_un_titre_qui_ne_dit_pas_sa_langue_ne_dispense_pas_la_langue_vivante(gestionnaire):
    d = _demarrage_cap(gestionnaire)
    r = inscriptions.calculer_epreuves(gestionnaire, d, _patissier("CAP_DIPLOME_NIVEAU_EGAL"))
    assert r is not None
    assert {"EG1", "EG2", "EG3"} <= set(r.dispenses_possibles) and "EG4" not in r.dispenses_possibles
    r = inscriptions.calculer_epreuves(gestionnaire, d, _patissier("CAP_DIPLOME_AVEC_LANGUE_VIVANTE"))
    assert r is not None and "EG4" in r.dispenses_possibles


def test_condition_lue_dans_le_referentiel():
    titres = {t["code"]: t for t in json.loads((REFERENTIEL / "types_acquis.json").read_text("utf-8"))["titres"]}
    assert dispenses_du_titre(titres["CAP_BACCALAUREAT"], "CAP-22141") == ("EG1", "EG2", "EG3", "EG4")
    assert dispenses_du_titre(titres["CAP_BACCALAUREAT"], "CAP-25524")[-1] == "EF1"   # facultative language
    assert dispenses_du_titre(titres["CAP_DIPLOME_NIVEAU_EGAL"], "CAP-22141") == ("EG1", "EG2", "EG3")
    # CAP Cuisine lists its own units: no condition there.
    assert dispenses_du_titre(titres["CAP_DIPLOME_NIVEAU_EGAL"], "CAP-22146") == ("EG1", "EG2", "EG3", "EG4")


# --- 2. notes of the référentiel stay in the référentiel ---------------------------------------------------

def test_le_recapitulatif_n_imprime_pas_les_notes_du_referentiel(accueil):
    d = inscriptions.demarrer(accueil, compte_actif(accueil), session_id(accueil), "BCP")
    e = inscriptions.enregistrer(accueil, d, saisie_seed())     # scolaire: the chef-d'œuvre is printed
    texte = _texte_recapitulatif(accueil, e.candidature_id)
    assert "EC1 - Chef-d'œuvre" in texte
    assert "renommé" not in texte and "13 juin 2024" not in texte and "arrêté" not in texte


def test_aucun_intitule_du_referentiel_ne_porte_de_note():
    """Editorial remarks belong in « note »: the intitulé is printed as it is for the candidate."""
    mentions = re.compile(r"renommé|non retrouvé|à compléter|à vérifier|arrêté|\bS\d\d\b", re.IGNORECASE)
    trouves = []

    def visiter(noeuds: list[dict], sp: str) -> None:
        for n in noeuds:
            if n.get("intitule") and mentions.search(n["intitule"]):
                trouves.append((sp, n.get("code"), n["intitule"]))
            visiter(n.get("children") or [], sp)

    for sp in json.loads((REFERENTIEL / "specialites.json").read_text("utf-8")):
        visiter(sp["epreuves"], sp["id"])
    assert trouves == []


# --- 3. no internal key on screens and documents -------------------------------------------------------------

def test_une_unite_sans_code_officiel_s_imprime_sans_code(gestionnaire):
    d = _demarrage_cap(gestionnaire)
    e = inscriptions.enregistrer(gestionnaire, d, _patissier("CAP_BACCALAUREAT"))
    texte = _texte_recapitulatif(gestionnaire, e.candidature_id)
    assert "Prévention-santé-environnement" in texte
    assert not re.search(r"\bNC\d+\b", texte), texte


def test_noms_d_epreuve():
    assert code_affiche("NC3") == "" and code_affiche("E1-A") == "E1-A"
    assert nom_epreuve("NC3", "Prévention-santé-environnement") == "Prévention-santé-environnement"
    assert nom_epreuve("E2", "(intitulé à compléter)") == "E2"
    assert nom_epreuve("E1-A", "Mathématiques", " : ") == "E1-A : Mathématiques"
    assert titre_epreuve("E1-A", "U11", "Mathématiques") == "E1-A (U11) – Mathématiques"
    assert titre_epreuve("NC3", None, "Prévention-santé-environnement") == "Prévention-santé-environnement"
    assert titre_epreuve("NC5", "UP3", "Réalisation") == "UP3 – Réalisation"


def test_l_editeur_du_referentiel_ne_montre_pas_la_cle_interne(chef):
    from cyclades_desktop.services.referentiel import arbre_epreuves
    from cyclades_desktop.services.referentiel import epreuves as edition

    pse = next(n for n in arbre_epreuves(chef, "CAP-22141") if n.intitule == "Prévention-santé-environnement")
    saisie = edition.saisie_depuis_noeud(pse)
    assert saisie.code == ""                                  # shown empty in the form
    saisie.duree = "1 h 30"
    edition.modifier_epreuve(chef, pse.id, saisie)           # saved without inventing a code
    apres = next(n for n in arbre_epreuves(chef, "CAP-22141") if n.id == pse.id)
    assert (apres.code, apres.duree) == (pse.code, "1 h 30")  # the internal key is kept for the engines
