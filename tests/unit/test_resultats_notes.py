"""Grade entry through the services (docs/domaine/resultats.md#notes): by candidature and by lot, the refusals
(dispensed unit, bénéfice, anonymous copy, portfolio), the double entry and its discrepancies, two operators
on the same lot, the bénéfices pre-filled from stored results and offered at the next registration."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, NoteUnite
from cyclades_desktop.rules.epreuves import BENEFICE, DISPENSE
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.rules.resultats import OrigineNote
from cyclades_desktop.services import resultats as res
from tests import fabriques_organisation as org
from tests.fabriques import session_id
from tests.fabriques_resultats import AERO, ELEC, candidature, compte, resultat_ancien


@pytest.fixture
def gestion2(creer_agent):
    return creer_agent("gestion2", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])


@pytest.fixture
def creneau(chef) -> int:
    """E2 (written) with four candidates, numbered and gathered in one lot."""
    salles = org.centre(chef, ("A",))
    creneau = org.creneau(chef, session_id(chef), "E2", "Exploitation", datetime(2025, 6, 16, 8), 240)
    for i in range(4):
        org.affecter(chef, candidature(chef, i), creneau, salles["A"])
    res.generer_anonymats(chef, creneau)
    res.constituer_lots(chef, creneau, 10)
    return creneau


@pytest.fixture
def lot(chef, creneau) -> res.VueLot:
    return res.lister_lots(chef, creneau)[0]


def _nombre(ctx, modele=NoteUnite) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(modele))


def test_saisie_par_candidature_et_refus_en_francais(gestionnaire):
    cid = candidature(gestionnaire, 1, positions={"E4": DISPENSE})
    vue = res.notes_candidature(gestionnaire, cid)
    assert [x.cle for x in vue.lignes][:3] == ["E1-A", "E1-B", "E2"]
    assert {x.cle: x.refus for x in vue.lignes}["E4"] == ("L'unité U4 Langue vivante est dispensée pour ce "
                                                         "candidat : elle ne se note pas.")
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_candidature(gestionnaire, cid, [
            res.SaisieNote("U11", "10,5"), res.SaisieNote("U12", "21"), res.SaisieNote("U4", "12"),
            res.SaisieNote("U99", "12"), res.SaisieNote("E2", "abs."), res.SaisieNote("U2", "DI")])
    assert e.value.errors == {
        "U12": "Une note est sur 20 : « 21 » dépasse 20.",
        "U4": "L'unité U4 Langue vivante est dispensée pour ce candidat : elle ne se note pas.",
        "U99": "Unité inconnue pour cette candidature : U99.",
        "E2": "« abs. » n'est pas une note : saisissez une note sur 20 (par exemple 12,5), ou ABS (absent), "
              "ABJ (absent justifié) ou DI (dispensé).",
        "U2": "DI (dispensé) ne se saisit pas : l'unité U2 Exploitation de la documentation technique n'est pas "
              "dispensée pour ce candidat ; une dispense se déclare à l'inscription."}
    assert _nombre(gestionnaire) == 0                                 # all or nothing
    r = res.enregistrer_notes_candidature(gestionnaire, cid, [
        res.SaisieNote("U11", "10,5"), res.SaisieNote("u12", "10.5"), res.SaisieNote("E2", "abs"),
        res.SaisieNote("U4", "DI")])
    assert (r.enregistrees, r.inchangees, r.ecarts) == (4, 0, ())
    lignes = {x.cle: x for x in r.lignes}
    assert (lignes["E1-A"].note, lignes["E1-B"].note, lignes["E2"].note) == ("10,50", "10,50", "ABS")
    assert lignes["E1-A"].origine == OrigineNote.SAISIE and lignes["E1-A"].saisie_par == "gestion"
    with gestionnaire.lecture() as s:
        assert s.scalar(select(NoteUnite.valeur).where(NoteUnite.unite_code == "E1-A")) == Decimal("10.50")
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "note").order_by(AuditEntry.id)).all()
    assert [(a.entite, a.entite_id, a.apres) for a in audit][0] == ("candidature", str(cid), {"E1-A": "10,50"})
    again = res.enregistrer_notes_candidature(gestionnaire, cid, [
        res.SaisieNote("E1-A", "10,50", lignes["E1-A"].row_version)])
    assert (again.enregistrees, again.inchangees) == (0, 1)


def test_portefeuille_du_gestionnaire_et_chef_partout(gestionnaire, chef, accueil):
    cap = candidature(chef, 2, specialite=ELEC, categorie="APPH")
    with pytest.raises(PermissionDenied, match="« Électricien » n'est pas dans votre portefeuille"):
        res.enregistrer_notes_candidature(gestionnaire, cap, [res.SaisieNote("UP1", "12")])
    with pytest.raises(PermissionDenied, match="Agent d'accueil.*saisir ou importer des notes"):
        res.enregistrer_notes_candidature(accueil, cap, [res.SaisieNote("UP1", "12")])
    assert res.enregistrer_notes_candidature(chef, cap, [res.SaisieNote("UP1", "12")]).enregistrees == 1


def test_copie_anonyme_se_note_dans_son_lot(gestionnaire, lot):
    vue = res.saisie_lot(gestionnaire, lot.id)
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_lot(gestionnaire, lot.id, [res.SaisieNote("123456789", "12"),
                                                         res.SaisieNote("123456780", "12")])
    assert set(e.value.errors.values()) <= {
        "Numéro d'anonymat mal saisi : 9 chiffres, le dernier est une clé de contrôle.",
        "La copie 123456780 n'est pas dans ce lot."}
    r = res.enregistrer_notes_lot(gestionnaire, lot.id, [res.SaisieNote(vue.lignes[0].cle, "13")])
    assert r.lignes[0].note == "13,00" and r.lignes[0].candidat == ""
    with gestionnaire.lecture() as s:
        trace = s.scalar(select(AuditEntry).where(AuditEntry.action == "note"))
    assert (trace.entite, trace.entite_id) == ("copie", vue.lignes[0].cle)     # not the candidate


def test_par_candidature_une_copie_anonyme_est_refusee(chef, creneau):
    ligne = res.correspondance(chef, creneau)[0]
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_candidature(chef, ligne.candidature_id, [res.SaisieNote("E2", "12")])
    assert "est anonyme (lot non levé) : saisissez sa note dans son lot" in e.value.errors["E2"]


def test_double_saisie_par_un_autre_operateur_et_ecarts(gestionnaire, gestion2, chef, creneau, lot):
    copies = [x.cle for x in res.saisie_lot(gestionnaire, lot.id).lignes]
    with pytest.raises(ValidationError, match="Certains champs"):
        res.enregistrer_notes_lot(gestion2, lot.id, [res.SaisieNote(copies[0], "12")], seconde=True)
    premiere = res.enregistrer_notes_lot(gestionnaire, lot.id, [
        res.SaisieNote(c, t) for c, t in zip(copies, ("12", "8,5", "ABS", "15"), strict=True)])
    versions = {x.cle: x.row_version for x in premiere.lignes}
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_lot(gestionnaire, lot.id, [res.SaisieNote(copies[0], "12", versions[copies[0]])],
                                  seconde=True)
    assert e.value.errors[copies[0]] == "La seconde saisie doit être faite par un autre opérateur que la première " \
                                        "(gestion)."
    aveugle = res.saisie_lot(gestion2, lot.id, seconde=True)
    assert all(x.note == "" for x in aveugle.lignes)                     # the second entry is blind
    seconde = res.enregistrer_notes_lot(gestion2, lot.id, [
        res.SaisieNote(c, t, versions[c]) for c, t in zip(copies, ("12,00", "5,8", "ABS", "16"), strict=True)],
        seconde=True)
    assert [(x.cle, x.premiere, x.seconde, x.premiere_par, x.seconde_par) for x in seconde.ecarts] == [
        (copies[1], "8,50", "5,80", "gestion", "gestion2"), (copies[3], "15,00", "16,00", "gestion", "gestion2")]
    assert seconde.ecarts[0].phrase == f"{copies[1]} : première saisie 8,50 (gestion), seconde saisie 5,80 (gestion2)."
    assert res.ecarts_lot(chef, lot.id) == seconde.ecarts
    lot_vu = res.lister_lots(chef, creneau)[0]
    with pytest.raises(DomainError, match="les deux saisies diffèrent"):
        res.lever_anonymat(chef, lot.id, lot_vu.row_version)
    lignes = {x.cle: x for x in res.saisie_lot(gestionnaire, lot.id).lignes}
    assert lignes[copies[1]].ecart and not lignes[copies[0]].ecart
    res.enregistrer_notes_lot(gestionnaire, lot.id, [res.SaisieNote(copies[1], "5,8", lignes[copies[1]].row_version),
                                                     res.SaisieNote(copies[3], "16", lignes[copies[3]].row_version)])
    assert res.ecarts_lot(chef, lot.id) == ()
    assert res.lever_anonymat(chef, lot.id, lot_vu.row_version).etat == "anonymat_leve"


def test_deux_operateurs_sur_le_meme_lot(gestionnaire, gestion2, lot):
    """Both opened the lot before anyone saved: the second save is refused, nothing of it is written."""
    ouverte_1 = res.saisie_lot(gestionnaire, lot.id)
    ouverte_2 = res.saisie_lot(gestion2, lot.id)
    copie = ouverte_1.lignes[0].cle
    res.enregistrer_notes_lot(gestionnaire, lot.id, [res.SaisieNote(copie, "14", ouverte_1.lignes[0].row_version)])
    with pytest.raises(ConflictError) as e:
        res.enregistrer_notes_lot(gestion2, lot.id, [
            res.SaisieNote(ouverte_2.lignes[1].cle, "9", ouverte_2.lignes[1].row_version),
            res.SaisieNote(copie, "4", ouverte_2.lignes[0].row_version)])
    assert e.value.message == (f"La note de {copie} a été modifiée entre-temps sur un autre poste (par gestion) ; "
                               "rien n'a été enregistré. Rechargez puis refaites votre saisie.")
    lignes = {x.cle: x for x in res.saisie_lot(gestionnaire, lot.id).lignes}
    assert lignes[copie].note == "14,00" and lignes[ouverte_2.lignes[1].cle].note == ""
    # reloaded, the second operator saves against the fresh version
    res.enregistrer_notes_lot(gestion2, lot.id, [res.SaisieNote(copie, "4", lignes[copie].row_version)])
    assert res.saisie_lot(gestion2, lot.id).lignes[0].note == "4,00"


def test_benefices_preremplis_verrouilles_et_offerts_a_la_reinscription(chef, gestionnaire):
    n = compte(chef, 7)
    ancienne = candidature(chef, 7, session="2024", compte_id=n)
    resultat_ancien(chef, ancienne, "AJOURNE", {"E2": "14.00", "E5-A": "11.50", "E1-A": "9.00"})
    offerts = res.benefices_pour_inscription(chef, n, AERO, 2025)
    assert [(b.code, b.note, b.annee) for b in offerts] == [("E2", Decimal("14.00"), 2024), ("E5-A", Decimal("11.50"), 2024)]
    assert offerts[0].texte == "U2 Exploitation de la documentation technique : 14,00 (session 2024)"
    assert res.benefices_pour_inscription(chef, n, AERO, 2030) == []          # more than five years
    # 2025: E2 declared in Bénéfice at 12 (the candidate's memory), E5-A at 11,5, E6 declared only
    cid = candidature(chef, 8, compte_id=n, positions={"E2": (BENEFICE, 12.0, 2024), "E5-A": (BENEFICE, 11.5, 2024),
                                                       "E6": (BENEFICE, 13.0, 2023)})
    assert res.preremplir_benefices(gestionnaire, session_id(chef)) == 3
    assert res.preremplir_benefices(gestionnaire, session_id(chef)) == 0     # idempotent
    lignes = {x.cle: x for x in res.notes_candidature(gestionnaire, cid).lignes}
    assert (lignes["E2"].note, lignes["E5-A"].note, lignes["E6"].note) == ("14,00", "11,50", "13,00")
    assert lignes["E2"].origine == OrigineNote.BENEFICE and "bénéfice" in lignes["E2"].refus
    with pytest.raises(ValidationError) as e:
        res.enregistrer_notes_candidature(gestionnaire, cid, [res.SaisieNote("U2", "18", lignes["E2"].row_version)])
    assert e.value.errors["U2"] == ("L'unité U2 Exploitation de la documentation technique est en bénéfice : la note "
                                    "conservée d'une session antérieure ne se saisit pas.")


def test_notes_de_controle_reservees_aux_candidats_autorises(chef):
    cid = candidature(chef, 9)
    with pytest.raises(DomainError, match="n'est pas autorisé à l'épreuve de contrôle"):
        res.enregistrer_notes_candidature(chef, cid, [res.SaisieNote("U51", "12")], controle=True)
