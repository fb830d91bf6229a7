"""A whole deliberation through the services (docs/domaine/resultats.md#deliberation, #decisions): a BCP jury
and a CAP jury of a few candidates reach Admis, Ajourné and Autorisé à l'épreuve de contrôle with the engine's
numbers; jury points, decisions, signature, closing; a second deliberation refused; the épreuve de contrôle;
a correction by the chef with a motif; who may do what.

Aéronautique (BCP-25303, scolaire): 14 professional + 14 general coefficients, MG = (p + g) / 2.
Électricien (CAP-25524, apprenti): 14 professional + 6 general, MG = (14 p + 6 g) / 20."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from cyclades_desktop.models import AuditEntry
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.rules.resultats import SECOND_GROUPE, EtatDeliberation
from cyclades_desktop.services import resultats as res
from tests.fabriques import session_id
from tests.fabriques_resultats import AERO, ELEC, candidature, notes_pro_gen

D = Decimal


def _noter(ctx, cid: int, specialite: str, pro: str, gen: str, **exceptions: str) -> None:
    notes = notes_pro_gen(ctx, specialite, pro, gen, **exceptions)
    res.enregistrer_notes_candidature(ctx, cid, [res.SaisieNote(k, v) for k, v in notes.items()])


def _jury(chef, domaine: str, specialites: list[str], libelle: str) -> res.VueJury:
    president = res.creer_examinateur(chef, res.SaisieExaminateur(f"Président {libelle}", "Claire", "Inspection",
                                                                  "0250001R", "claire.martin@ac-exemple.fr"))
    membre = res.creer_examinateur(chef, res.SaisieExaminateur(f"Membre {libelle}", "Paul", "Génie électrique"))
    return res.creer_jury(chef, res.SaisieJury(session_id(chef), domaine, libelle, specialites, president.id,
                                               [membre.id, president.id]))


@pytest.fixture
def bcp(chef) -> dict[str, int]:
    return {nom: candidature(chef, i, nom=f"Bcp{nom}") for i, nom in enumerate("ABCDE")}


def _par_nom(ctx, deliberation_id: int) -> dict[str, res.VueResultat]:
    return {r.nom[-1]: r for r in res.lister_resultats(ctx, deliberation_id)}


def test_jury_bcp_du_calcul_a_la_cloture_puis_le_controle(chef, gestionnaire, bcp):
    jury = _jury(chef, "BCP", [AERO], "Jury BCP aéronautique")
    assert (jury.candidatures, jury.president, len(jury.membres)) == (5, "Claire PRÉSIDENT JURY BCP AÉRONAUTIQUE", 1)
    _noter(gestionnaire, bcp["A"], AERO, "12", "12")
    _noter(gestionnaire, bcp["B"], AERO, "11", "8")
    _noter(gestionnaire, bcp["C"], AERO, "10", "5")
    _noter(gestionnaire, bcp["D"], AERO, "8", "10,5", U2="8")
    _noter(gestionnaire, bcp["E"], AERO, "10", "9,96")
    # a missing grade: refused, naming the candidate and the unit
    manque = candidature(chef, 9, nom="BcpZ")
    with pytest.raises(DomainError) as e:
        res.deliberer_jury(gestionnaire, jury.id)
    assert e.value.message.startswith("Délibération impossible : des notes manquent pour 1 candidat : BCPZ Test (N° ")
    assert "U11 Mathématiques, U12 Physique-chimie, U2 Exploitation de la documentation technique" in e.value.message
    _noter(gestionnaire, manque, AERO, "14", "16")

    vue = res.deliberer_jury(gestionnaire, jury.id)
    assert dict(vue.effectifs) == {"Admis": 2, "Ajourné": 2, "Autorisé à l'épreuve de contrôle": 2}
    r = _par_nom(chef, vue.id)
    assert (r["A"].decision, r["A"].mention, r["A"].moyenne_generale, r["A"].moyenne) == (
        "Admis", "Assez bien", D("12.0000"), "12,00")
    assert (r["Z"].decision, r["Z"].mention, r["Z"].moyenne) == ("Admis", "Bien", "15,00")
    assert (r["B"].decision, r["B"].moyenne, r["B"].moyenne_professionnelle) == (
        "Autorisé à l'épreuve de contrôle", "9,50", D("11.0000"))
    assert (r["C"].decision, r["C"].moyenne) == ("Ajourné", "7,50")
    assert ("E2", "10,00") in r["C"].unites_acquises and any("BCP-BENEFICE-NOTES" in x for x in r["C"].explications)
    assert (r["D"].decision, r["D"].moyenne) == ("Ajourné", "9,25")                 # professional average 8
    assert any("BCP-CONTROLE-ACCES" in x for x in r["D"].explications)
    assert (r["E"].decision, r["E"].moyenne_generale) == ("Autorisé à l'épreuve de contrôle", D("9.9800"))

    # the jury's points: +0,56 to E's total (279,44 → 280 points): 10 exactly, admitted
    with pytest.raises(ValidationError, match="Certains champs"):
        res.attribuer_points_jury(gestionnaire, r["E"].id, "0,56", "  ", r["E"].row_version)
    e_ = res.attribuer_points_jury(gestionnaire, r["E"].id, "0,56", "Assiduité et progrès constatés",
                                   r["E"].row_version)
    assert (e_.decision, e_.moyenne_generale, e_.moyenne_avant_jury, e_.points_jury, e_.points_jury_par) == (
        "Admis", D("10.0000"), D("9.9800"), D("0.56"), "gestion")
    with chef.lecture() as s:
        trace = s.scalar(select(AuditEntry).where(AuditEntry.action == "points_jury"))
    assert (trace.motif, trace.avant["decision"], trace.apres["decision"]) == (
        "Assiduité et progrès constatés", "AUTORISE_CONTROLE", "ADMIS")

    vue = res.deliberation_du_jury(chef, jury.id)
    with pytest.raises(DomainError, match="toutes les décisions du jury enregistrées"):
        res.enregistrer_signature(chef, vue.id, vue.row_version)
    with pytest.raises(DomainError, match="une fois le procès-verbal signé par le président"):
        res.clore_deliberation(chef, vue.id, vue.row_version)
    vue = res.enregistrer_decisions(gestionnaire, vue.id, vue.row_version)
    assert all(x.statut == "arrete" for x in res.lister_resultats(chef, vue.id))
    vue = res.enregistrer_signature(gestionnaire, vue.id, vue.row_version)
    assert vue.signee_par == "Claire PRÉSIDENT JURY BCP AÉRONAUTIQUE"
    with pytest.raises(DomainError, match="procès-verbal du jury « Jury BCP aéronautique » est signé"):
        res.attribuer_points_jury(gestionnaire, r["B"].id, "1", "Erreur", r["B"].row_version + 1)
    vue = res.clore_deliberation(gestionnaire, vue.id, vue.row_version)
    assert vue.etat == EtatDeliberation.CLOSE
    with pytest.raises(DomainError, match="a déjà délibéré .* une nouvelle délibération est refusée"):
        res.deliberer_jury(chef, jury.id)

    # 2nd group (RES-10): B re-sits U51 (8 → 12) and U11 (8 → 11): 266 + 10 + 4,5 = 280,5 points
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_candidature(gestionnaire, bcp["B"], [res.SaisieNote("U2", "15")], controle=True)
    assert "ne peut pas être réévaluée à l'épreuve de contrôle" in e.value.errors["U2"]
    res.enregistrer_notes_candidature(gestionnaire, bcp["B"], [res.SaisieNote("U51", "12"),
                                                               res.SaisieNote("U11", "11")], controle=True)
    second = res.deliberer_jury(gestionnaire, jury.id, SECOND_GROUPE)
    assert dict(second.effectifs) == {"Admis après contrôle": 1}
    again = res.deliberer_jury(gestionnaire, jury.id, SECOND_GROUPE)       # still open: computed again
    assert (again.id, dict(again.effectifs)) == (second.id, {"Admis après contrôle": 1})
    with pytest.raises(DomainError, match="a déjà délibéré : sa composition ne change plus"):
        res.modifier_jury(chef, jury.id, res.SaisieJury(session_id(chef), "BCP", "Autre", [AERO], jury.president_id),
                          jury.row_version)
    b = res.resultats_candidature(chef, bcp["B"])
    assert [(x.version, x.decision) for x in b] == [(2, "Admis après contrôle"), (1, "Autorisé à l'épreuve de contrôle")]
    assert b[0].moyenne_generale == D("10.0178") and b[0].mention == ""          # 280,5 / 28, no mention


def test_jury_cap_et_correction_par_le_chef_avec_motif(chef, gestionnaire):
    f = candidature(chef, 1, specialite=ELEC, categorie="APPH", nom="CapF")
    g = candidature(chef, 2, specialite=ELEC, categorie="APPH", nom="CapG")
    jury = _jury(chef, "CAP", [ELEC], "Jury CAP électricité")
    _noter(chef, f, ELEC, "12", "9")
    _noter(chef, g, ELEC, "9", "14")
    with pytest.raises(PermissionDenied, match="« Électricien » n'est pas dans votre portefeuille"):
        res.deliberer_jury(gestionnaire, jury.id)
    vue = res.deliberer_jury(chef, jury.id)
    r = {x.nom: x for x in res.lister_resultats(chef, vue.id)}
    assert (r["CAPF"].decision, r["CAPF"].moyenne, r["CAPF"].mention) == ("Admis", "11,10", "")
    # 10,50 overall but 9 in the professional units: CAP-ADMISSION asks for both
    assert (r["CAPG"].decision, r["CAPG"].moyenne, r["CAPG"].moyenne_professionnelle) == ("Ajourné", "10,50", D("9.0000"))
    assert any("CAP-ADMISSION" in x for x in r["CAPG"].explications)
    with pytest.raises(DomainError, match="n'est pas close : les notes et les points se corrigent dans la délibération"):
        res.corriger_resultat(chef, g, "Erreur de report", r["CAPG"].row_version)
    vue = res.enregistrer_decisions(chef, vue.id, vue.row_version)
    vue = res.clore_deliberation(chef, vue.id, res.enregistrer_signature(chef, vue.id, vue.row_version).row_version)
    courant = res.resultats_candidature(chef, g)[0]
    notes = {x.cle: x for x in res.notes_candidature(chef, g).lignes}
    with pytest.raises(PermissionDenied, match="corriger un résultat après la délibération"):
        res.corriger_resultat(gestionnaire, g, "Erreur de report", courant.row_version)
    with pytest.raises(ValidationError):
        res.corriger_resultat(chef, g, "", courant.row_version)
    # UP1 (coefficient 7) was misreported: 9 → 11,5; professional 143,5 / 14 = 10,25; overall 227,5 / 20
    corrige = res.corriger_resultat(chef, g, "Erreur de report de la note d'UP1 (bordereau du correcteur)",
                                    courant.row_version, notes=[res.SaisieNote("UP1", "11,5", notes["EP1"].row_version)])
    assert (corrige.version, corrige.decision, corrige.moyenne, corrige.corrige_par) == (2, "Admis", "11,38", "chef")
    versions = res.resultats_candidature(chef, g)
    assert [(x.version, x.decision) for x in versions] == [(2, "Admis"), (1, "Ajourné")]   # the signed one stays
    with chef.lecture() as s:
        trace = s.scalar(select(AuditEntry).where(AuditEntry.action == "correction_resultat"))
    assert (trace.avant["decision"], trace.apres["decision"], trace.motif) == (
        "AJOURNE", "ADMIS", "Erreur de report de la note d'UP1 (bordereau du correcteur)")


def test_qui_peut_faire_quoi(chef, gestionnaire, accueil, bcp):
    for ctx in (gestionnaire, accueil):
        with pytest.raises(PermissionDenied, match="gérer les examinateurs et les jurys"):
            res.creer_examinateur(ctx, res.SaisieExaminateur("Roux", "Anne"))
    jury = _jury(chef, "BCP", [AERO], "Jury 1")
    with pytest.raises(PermissionDenied, match="Agent d'accueil.*conduire une délibération"):
        res.deliberer_jury(accueil, jury.id)
    with pytest.raises(PermissionDenied, match="consulter les notes et les résultats"):
        res.lister_jurys(accueil, session_id(chef))
    assert [j.libelle for j in res.lister_jurys(gestionnaire, session_id(chef))] == ["Jury 1"]
    with pytest.raises(ValidationError) as e:
        res.creer_jury(chef, res.SaisieJury(session_id(chef), "BCP", "Jury 2", [AERO], jury.president_id))
    assert e.value.errors == {"specialites": "La spécialité BCP-25303 est déjà confiée au jury « Jury 1 » de cette "
                                             "session."}
    with pytest.raises(ValidationError) as e:
        res.creer_examinateur(chef, res.SaisieExaminateur("", "Anne", email="pas-une-adresse",
                                                          etablissement_uai="0000000X"))
    assert set(e.value.errors) == {"nom", "email", "etablissement_uai"}
    roux = res.creer_examinateur(chef, res.SaisieExaminateur("roux", "anne-marie", "Lettres-histoire", "0250001r"))
    assert (roux.nom, roux.prenom, roux.etablissement_uai) == ("ROUX", "Anne-Marie", "0250001R")
    assert roux.libelle == "Anne-Marie ROUX (Lettres-histoire, LP FERNAND LEGERE)"
    modifie = res.modifier_examinateur(chef, roux.id, res.SaisieExaminateur("Roux", "Anne-Marie", actif=False),
                                       roux.row_version)
    assert not modifie.actif and modifie.etablissement == ""
    with pytest.raises(ConflictError):
        res.modifier_examinateur(chef, roux.id, res.SaisieExaminateur("Roux", "Anne"), roux.row_version)
    assert [x.nom for x in res.lister_examinateurs(gestionnaire, "rou")] == ["ROUX"]
