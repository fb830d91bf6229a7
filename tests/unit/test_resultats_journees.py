"""Exam days and anonymat through the services (docs/domaine/resultats.md#journees, #anonymat): the
émargement list room by room, presences from the sheet, absences carried into the grades, anonymat numbers
(unique in the session, random, idempotent), lots per correcteur, the correspondence for the chef only and
the anonymat lifted once the lot is graded."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from cyclades_desktop.models import Anonymat, AuditEntry, NoteUnite
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.rules.resultats import EtatLot, EtatPresence, numero_anonymat_valide
from cyclades_desktop.services import resultats as res
from tests import fabriques_organisation as org
from tests.fabriques import session_id
from tests.fabriques_resultats import AERO, ELEC, candidature


@pytest.fixture
def epreuve(chef):
    """E2 (U2, written) of Aéronautique on 16/06/2025, 6 candidates in two rooms (A: 0–2, B: 3–5)."""
    salles = org.centre(chef, ("A", "B"))
    sid = session_id(chef)
    creneau = org.creneau(chef, sid, "E2", "Exploitation de la documentation technique", datetime(2025, 6, 16, 8),
                          240)
    cands = [candidature(chef, i, nom=f"Nom{chr(70 - i)}") for i in range(6)]
    for i, cid in enumerate(cands):
        org.affecter(chef, cid, creneau, salles["A" if i < 3 else "B"])
    return {"creneau": creneau, "candidatures": cands, "salles": salles, "session": sid}


def test_liste_d_emargement_par_salle_puis_par_nom(gestionnaire, epreuve):
    vue = res.liste_emargement(gestionnaire, epreuve["creneau"])
    assert [x.salle for x in vue.lignes] == ["A"] * 3 + ["B"] * 3
    assert [x.nom for x in vue.lignes[:3]] == ["NOMD", "NOME", "NOMF"]          # by name inside the room
    assert all(x.presence is None and x.libelle_presence == "Non relevé" for x in vue.lignes)
    assert vue.titre == ("E2 Exploitation de la documentation technique — lundi 16 juin 2025 à 08:00 "
                         "(heure de Paris)")
    une = res.liste_emargement(gestionnaire, epreuve["creneau"], epreuve["salles"]["B"])
    assert len(une.lignes) == 3 and {x.salle for x in une.lignes} == {"B"}


def test_presences_relevees_sur_la_feuille_et_auditees(gestionnaire, epreuve):
    a, b, c = epreuve["candidatures"][:3]
    with pytest.raises(ValidationError) as e:
        res.enregistrer_presences(gestionnaire, epreuve["creneau"], [
            res.SaisiePresence(a, EtatPresence.ABSENT_JUSTIFIE), res.SaisiePresence(b, "malade")])
    assert e.value.errors == {f"{a}.justification": "Indiquez la justification de l'absence (par exemple : "
                                                    "certificat médical du 16/06/2025).",
                              f"{b}.etat": "Choisissez : présent, absent ou absent justifié."}
    r = res.enregistrer_presences(gestionnaire, epreuve["creneau"], [
        res.SaisiePresence(a, EtatPresence.PRESENT, "ignorée"), res.SaisiePresence(b, EtatPresence.ABSENT),
        res.SaisiePresence(c, EtatPresence.ABSENT_JUSTIFIE, "Certificat médical du 15/06")])
    assert (r.enregistrees, r.inchangees) == (3, 0)
    lignes = {x.candidature_id: x for x in r.vue.lignes}
    assert lignes[a].justification == "" and lignes[c].libelle_presence == "Absent justifié"
    assert r.vue.compte(EtatPresence.ABSENT) == 1
    # the sheet read again by a second workstation that had opened it before: refused, nothing changed
    with pytest.raises(ConflictError, match="modifiée entre-temps sur un autre poste"):
        res.enregistrer_presences(gestionnaire, epreuve["creneau"], [res.SaisiePresence(b, EtatPresence.PRESENT)])
    again = res.enregistrer_presences(gestionnaire, epreuve["creneau"], [
        res.SaisiePresence(b, EtatPresence.ABSENT, row_version=lignes[b].row_version)])
    assert (again.enregistrees, again.inchangees) == (0, 1)
    with gestionnaire.lecture() as s:
        traces = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "presence")))
    assert len(traces) == 3 and {t.entite for t in traces} == {"candidature"}
    autre = candidature(gestionnaire, 40)
    with pytest.raises(ValidationError, match="Certains champs"):
        res.enregistrer_presences(gestionnaire, epreuve["creneau"], [res.SaisiePresence(autre, EtatPresence.PRESENT)])


def test_absences_reportees_en_notes(gestionnaire, epreuve):
    a, b, c = epreuve["candidatures"][:3]
    res.enregistrer_presences(gestionnaire, epreuve["creneau"], [
        res.SaisiePresence(b, EtatPresence.ABSENT), res.SaisiePresence(c, EtatPresence.ABSENT_JUSTIFIE, "Hôpital")])
    assert res.reporter_absences(gestionnaire, epreuve["creneau"]) == 2
    assert res.reporter_absences(gestionnaire, epreuve["creneau"]) == 0          # idempotent
    with gestionnaire.lecture() as s:
        assert {(n.candidature_id, n.unite_code, n.marque) for n in s.scalars(select(NoteUnite))} == {
            (b, "E2", "ABS"), (c, "E2", "ABJ")}
    # a value for a candidate recorded absent is refused: the sheet decides
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_candidature(gestionnaire, b, [res.SaisieNote("U2", "12", row_version=1)])
    assert "noté « absent » à cette épreuve" in e.value.errors["U2"]


def test_anonymat_unique_aleatoire_idempotent(chef, epreuve, creer_agent):
    res.enregistrer_presences(chef, epreuve["creneau"], [
        res.SaisiePresence(epreuve["candidatures"][5], EtatPresence.ABSENT)])
    r = res.generer_anonymats(chef, epreuve["creneau"])
    assert (r.creees, r.existantes) == (5, 0)                 # the absent candidate has no copy
    assert "5 numéros d'anonymat attribués" in r.message
    with chef.lecture() as s:
        avant = {a.candidature_id: a.numero for a in s.scalars(select(Anonymat))}
    assert all(numero_anonymat_valide(n) for n in avant.values()) and len(set(avant.values())) == 5
    nouveau = candidature(chef, 30, nom="Retardataire")
    org.affecter(chef, nouveau, epreuve["creneau"], epreuve["salles"]["B"])
    assert (res.generer_anonymats(chef, epreuve["creneau"]).creees, ) == (1,)
    with chef.lecture() as s:
        apres = {a.candidature_id: a.numero for a in s.scalars(select(Anonymat))}
        journal = s.scalars(select(AuditEntry).where(AuditEntry.action == "generation_anonymats")).all()
    assert {k: v for k, v in apres.items() if k in avant} == avant                # numbers given are kept
    # the journal, read by gestionnaires, counts the numbers and never links them to a candidate
    assert all(n not in str(j.apres) + j.libelle for j in journal for n in apres.values())
    gestion = creer_agent("gestion2", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])
    with pytest.raises(PermissionDenied, match="gérer l'anonymat"):
        res.generer_anonymats(gestion, epreuve["creneau"])
    with pytest.raises(PermissionDenied):
        res.correspondance(gestion, epreuve["creneau"])


def test_anonymat_indeductible_du_numero_candidat_et_propre_a_la_session(chef):
    """30 candidates sit E2 in 2024 and again in 2025: no monotonic link between N° candidat and number,
    and the same candidate gets different numbers in the two sessions."""
    salles = org.centre(chef, ("A",))
    numeros = {}
    for libelle, annee in (("2024", 2024), ("2025", 2025)):
        creneau = org.creneau(chef, session_id(chef, libelle), "E2", "Exploitation", datetime(annee, 6, 16, 8), 240)
        for i in range(30):
            cid = candidature(chef, i + (0 if libelle == "2024" else 100), session=libelle,
                              compte_id=None if libelle == "2024" else numeros["comptes"][i])
            org.affecter(chef, cid, creneau, salles["A"])
        res.generer_anonymats(chef, creneau)
        lignes = res.correspondance(chef, creneau)
        numeros[libelle] = {x.numero_candidat: x.numero for x in lignes}
        if libelle == "2024":
            with chef.lecture() as s:
                from cyclades_desktop.models import Candidature
                numeros["comptes"] = [s.get(Candidature, x.candidature_id).compte_id
                                      for x in sorted(lignes, key=lambda x: x.numero_candidat)]
    par_candidat = [numeros["2024"][k] for k in sorted(numeros["2024"])]
    assert par_candidat != sorted(par_candidat) and par_candidat != sorted(par_candidat, reverse=True)
    assert set(numeros["2024"]) == set(numeros["2025"])
    assert all(numeros["2024"][k] != numeros["2025"][k] for k in numeros["2024"])
    assert not set(numeros["2024"].values()) & set(numeros["2025"].values())


def test_lots_correcteurs_et_levee_de_l_anonymat(chef, gestionnaire, epreuve):
    cor = [res.creer_examinateur(chef, res.SaisieExaminateur(nom, "Anne", "Génie mécanique", "0250001R",
                                                             f"{nom}@ac-exemple.fr")).id for nom in ("Roux", "Blanc")]
    with pytest.raises(DomainError, match="Aucune copie numérotée"):
        res.constituer_lots(chef, epreuve["creneau"], 4)
    res.generer_anonymats(chef, epreuve["creneau"])
    lots = res.constituer_lots(chef, epreuve["creneau"], 4, cor)
    assert [(x.numero, x.copies, x.correcteur) for x in lots] == [(1, 4, "Anne ROUX"), (2, 2, "Anne BLANC")]
    assert res.lister_lots(gestionnaire, epreuve["creneau"])[0].libelle == "Lot 1 — épreuve E2"
    change = res.attribuer_correcteur(chef, lots[1].id, cor[0], lots[1].row_version)
    assert change.correcteur == "Anne ROUX"
    with pytest.raises(ConflictError):
        res.attribuer_correcteur(chef, lots[1].id, cor[1], lots[1].row_version)
    lot = change
    vue = res.saisie_lot(gestionnaire, lot.id)
    assert all(x.candidat == "" for x in vue.lignes)           # no name while anonymous
    with pytest.raises(DomainError, match="2 copies sans note"):
        res.lever_anonymat(chef, lot.id, lot.row_version)
    res.enregistrer_notes_lot(gestionnaire, lot.id, [res.SaisieNote(x.cle, "11,5") for x in vue.lignes])
    lot = res.lister_lots(chef, epreuve["creneau"])[1]
    assert (lot.etat, lot.notees) == (EtatLot.NOTES_SAISIES, 2)
    with pytest.raises(PermissionDenied):
        res.lever_anonymat(gestionnaire, lot.id, lot.row_version)
    leve = res.lever_anonymat(chef, lot.id, lot.row_version)
    assert leve.etat == EtatLot.ANONYMAT_LEVE and leve.libelle_etat == "Anonymat levé"
    vue = res.saisie_lot(gestionnaire, lot.id)
    assert all(x.candidat.startswith("NOM") for x in vue.lignes)
    with pytest.raises(DomainError, match="déjà levé"):
        res.lever_anonymat(chef, lot.id, leve.row_version)
    with chef.lecture() as s:
        assert s.scalar(select(AuditEntry.libelle).where(AuditEntry.action == "levee_anonymat")) == \
            "Levée de l'anonymat du lot 2 de l'épreuve E2"


def test_anonymat_refuse_hors_ecrit_et_hors_portefeuille(chef, gestionnaire):
    sid = session_id(chef)
    oral = org.creneau(chef, sid, "E4", "Langue vivante", datetime(2025, 6, 17, 8), 20, type_="oral")
    with pytest.raises(DomainError, match="épreuves écrites : l'épreuve E4 est une épreuve orale"):
        res.generer_anonymats(chef, oral)
    groupe = org.creneau(chef, sid, "E1", "Mathématiques et physique-chimie", datetime(2025, 6, 18, 8), 120)
    with pytest.raises(DomainError, match=r"regroupe plusieurs unités \(E1-A, E1-B\)"):
        res.generer_anonymats(chef, groupe)
    cap = org.creneau(chef, sid, "EG2", "Mathématiques", datetime(2025, 6, 18, 14), 120, specialite_id=ELEC)
    with pytest.raises(PermissionDenied, match="n'est pas dans votre portefeuille"):
        res.enregistrer_presences(gestionnaire, cap, [])
    assert AERO
