"""Editing the référentiel: office identity, sessions and periods, deadlines, spécialités and their
épreuves trees, file imports. Real SQLite file, the chef de bureau and the other roles."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, Candidature, Epreuve, Specialite
from cyclades_desktop.rules.comptes import SaisieCompte
from cyclades_desktop.rules.errors import (
    ConflictError,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from cyclades_desktop.rules.referentiel import SaisieBureau
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import edition as ed
from cyclades_desktop.services.referentiel import lecture as referentiel
from cyclades_desktop.services.referentiel.edition import SaisieEpreuve
from cyclades_desktop.services.referentiel.lecture import VueBureau, VueEcheance, VuePeriode

# --- helpers -------------------------------------------------------------------------------------


def audits(ctx: Contexte, entite: str | None = None) -> list[AuditEntry]:
    with ctx.lecture() as s:
        q = select(AuditEntry).order_by(AuditEntry.id)
        if entite:
            q = q.where(AuditEntry.entite == entite)
        return list(s.scalars(q))


def nb_audits(ctx: Contexte) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def bureau_actuel(ctx: Contexte) -> VueBureau:
    return referentiel.bureau(ctx)


def session_id(ctx: Contexte, libelle: str) -> int:
    return next(se.id for se in referentiel.sessions(ctx) if se.libelle == libelle)


def periode(ctx: Contexte, libelle: str, domaine: str) -> VuePeriode | None:
    se = next(se for se in referentiel.sessions(ctx) if se.libelle == libelle)
    return next((p for p in se.periodes if p.domaine_code == domaine), None)


def echeance(ctx: Contexte, libelle: str, domaine: str, code: str) -> VueEcheance:
    se = next(se for se in referentiel.sessions(ctx) if se.libelle == libelle)
    return next(e for e in se.echeances if e.domaine_code == domaine and e.code == code)


def codes(ctx: Contexte, specialite_id: str) -> list[tuple[str, list[str]]]:
    return [(n.code, [c.code for c in n.enfants]) for n in ed.arbre_epreuves(ctx, specialite_id)]


def saisie_bureau(ctx: Contexte, **changes: str) -> SaisieBureau:
    s = ed.saisie_bureau(bureau_actuel(ctx))
    for k, v in changes.items():
        setattr(s, k, v)
    return s


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def specialite_cs(**extra: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": "CS-99001", "domaine": "CS", "code": "99001", "intitule": "Maintenance des hélicoptères",
        "filiere": "aéronautique", "secteur_industriel": True,
        "epreuves": [
            {"code": "E1", "unite": "U1", "intitule": "Préparation d'une intervention", "coefficient": 4,
             "nature": "obligatoire", "groupe": 1, "mode_ponctuel_type": "écrit", "duree": "3 h",
             "children": []},
            {"code": "E2", "unite": None, "intitule": "Réalisation", "coefficient": 8, "children": [
                {"code": "E2-A", "unite": "U21", "intitule": "Dépose et repose", "coefficient": 4},
                {"code": "E2-B", "unite": "U22", "intitule": "Contrôle", "coefficient": 4},
            ]},
        ],
    }
    d.update(extra)
    return d


# --- Bureau --------------------------------------------------------------------------------------

def test_le_chef_modifie_le_telephone_du_bureau(chef: Contexte):
    avant = bureau_actuel(chef)
    version = ed.modifier_bureau(chef, saisie_bureau(chef, telephone="+33 4.42.91.70.00"), avant.row_version)
    apres = bureau_actuel(chef)
    assert apres.telephone == "04 42 91 70 00"
    assert version == apres.row_version == avant.row_version + 1
    ligne = audits(chef, "bureau")[-1]
    assert ligne.agent_login == "chef" and ligne.action == "modification"
    assert ligne.avant == {"telephone": "04 42 91 72 87"} and ligne.apres == {"telephone": "04 42 91 70 00"}


def test_bureau_adresse_sur_plusieurs_lignes(chef: Contexte):
    b = bureau_actuel(chef)
    ed.modifier_bureau(chef, saisie_bureau(chef, adresse="  Rectorat \n\n Place   Lucien Paye\nBP 1 "),
                       b.row_version)
    assert bureau_actuel(chef).adresse == "Rectorat\nPlace Lucien Paye\nBP 1"


@pytest.mark.parametrize(("champ", "valeur", "message"), [
    ("code_postal", "1362", "5 chiffres"),
    ("code_postal", "", "obligatoire"),
    ("telephone", "04 42 91", "10 chiffres"),
    ("telephone", "12 34 56 78 90", "10 chiffres"),
    ("email", "ce.diec@", "pas valide"),
    ("site", "pas un site", "non valide"),
    ("academie", "  ", "obligatoire"),
    ("nom_service", "", "obligatoire"),
    ("ville", "", "obligatoire"),
    ("adresse", "\n \n", "obligatoire"),
    ("adresse", "1\n2\n3\n4\n5\n6", "5 lignes"),
])
def test_bureau_saisie_incorrecte_rien_n_est_ecrit(chef: Contexte, champ: str, valeur: str, message: str):
    b = bureau_actuel(chef)
    n = nb_audits(chef)
    with pytest.raises(ValidationError) as exc:
        ed.modifier_bureau(chef, saisie_bureau(chef, **{champ: valeur}), b.row_version)
    assert list(exc.value.errors) == [champ]
    assert message in exc.value.errors[champ]
    assert bureau_actuel(chef).row_version == b.row_version
    assert nb_audits(chef) == n


def test_bureau_version_perimee_refusee(chef: Contexte):
    b = bureau_actuel(chef)
    ed.modifier_bureau(chef, saisie_bureau(chef, ville="Aix-en-Provence"), b.row_version)
    with pytest.raises(ConflictError, match="modifiée entre-temps"):
        ed.modifier_bureau(chef, saisie_bureau(chef, telephone="04 00 00 00 00"), b.row_version)
    assert bureau_actuel(chef).telephone == "04 42 91 72 87"


def test_bureau_sans_changement_ni_version_ni_audit(chef: Contexte):
    b = bureau_actuel(chef)
    n = nb_audits(chef)
    assert ed.modifier_bureau(chef, saisie_bureau(chef), b.row_version) == b.row_version
    assert nb_audits(chef) == n


def test_bureau_refuse_aux_autres_roles(chef: Contexte, accueil: Contexte, gestionnaire: Contexte):
    b = bureau_actuel(chef)
    for ctx in (accueil, gestionnaire):
        with pytest.raises(PermissionDenied, match="modifier le référentiel"):
            ed.modifier_bureau(ctx, saisie_bureau(ctx, telephone="04 00 00 00 00"), b.row_version)
    assert bureau_actuel(chef).telephone == "04 42 91 72 87"


# --- Sessions, périodes, échéances --------------------------------------------------------------

def test_creer_une_session_vae(chef: Contexte):
    sid = ed.creer_session(chef, "2025", "  NOVEMBRE 2025   VAE ", "vae")
    se = next(se for se in ed.lister_sessions(chef) if se.id == sid)
    assert (se.annee, se.libelle, se.type) == (2025, "NOVEMBRE 2025 VAE", "vae")
    ligne = audits(chef, "session")[-1]
    assert ligne.action == "creation" and ligne.apres == {"annee": 2025, "libelle": "NOVEMBRE 2025 VAE",
                                                          "type": "vae"}


def test_creer_session_erreurs_par_champ(chef: Contexte, accueil: Contexte):
    with pytest.raises(ValidationError) as exc:
        ed.creer_session(chef, "25", "", "speciale")
    assert set(exc.value.errors) == {"annee", "libelle", "type"}
    with pytest.raises(ValidationError) as exc:
        ed.creer_session(chef, 2025, "2025")  # the shipped référentiel already has it
    assert exc.value.errors == {"libelle": "Une session « 2025 » existe déjà."}
    with pytest.raises(PermissionDenied):
        ed.creer_session(accueil, 2026, "2026")
    assert [se.libelle for se in referentiel.sessions(chef)] == ["2025", "2024"]


def test_modifier_la_cloture_d_une_periode_en_heure_de_paris(chef: Contexte):
    sid = session_id(chef, "2025")
    ed.enregistrer_periode(chef, sid, "BCP", datetime(2024, 11, 4, 15, 0), datetime(2024, 12, 5, 17, 30))
    p = periode(chef, "2025", "BCP")
    assert p is not None
    assert p.cloture.replace(tzinfo=UTC) == utc(2024, 12, 5, 16, 30)   # 17:30 Paris in winter
    assert p.ouverture.replace(tzinfo=UTC) == utc(2024, 11, 4, 14, 0)
    ligne = [a for a in audits(chef, "periode")][-1]
    assert ligne.avant == {"cloture": "03/12/2024 17:00 (heure de Paris)"}
    assert ligne.apres == {"cloture": "05/12/2024 17:30 (heure de Paris)"}
    # "une semaine après la clôture" follows, at the same Paris time
    confirmation = echeance(chef, "2025", "BCP", "CONFIRMATION")
    assert confirmation.date_limite.replace(tzinfo=UTC) == utc(2024, 12, 12, 16, 30)
    assert audits(chef, "echeance")[-1].apres == {"date_limite": "12/12/2024 17:30 (heure de Paris)"}
    # a fixed deadline does not move
    assert echeance(chef, "2025", "BCP", "R408").date_limite.replace(tzinfo=UTC) == utc(2025, 3, 14, 22, 59)


def test_nouvelle_periode_puis_suppression(chef: Contexte):
    sid = session_id(chef, "2025")
    pid = ed.enregistrer_periode(chef, sid, "MC", datetime(2024, 10, 8, 15, 0), datetime(2024, 11, 8, 17, 0))
    assert periode(chef, "2025", "MC") is not None
    assert audits(chef, "periode")[-1].action == "creation"
    ed.supprimer_periode(chef, sid, "MC")
    assert periode(chef, "2025", "MC") is None
    derniere = audits(chef, "periode")[-1]
    assert (derniere.action, derniere.entite_id) == ("suppression", str(pid))
    with pytest.raises(NotFound):
        ed.supprimer_periode(chef, sid, "MC")


@pytest.mark.parametrize(("ouverture", "cloture", "domaine", "erreurs"), [
    (datetime(2024, 12, 3, 17, 0), datetime(2024, 11, 4, 15, 0), "BCP", {"cloture"}),
    (datetime(2024, 12, 3, 17, 0), datetime(2024, 12, 3, 17, 0), "BCP", {"cloture"}),
    (None, None, "BCP", {"ouverture", "cloture"}),
    (datetime(2024, 11, 4, 15, 0), datetime(2024, 12, 3, 17, 0), "XYZ", {"domaine"}),
])
def test_periode_incorrecte(chef: Contexte, ouverture, cloture, domaine, erreurs):
    sid = session_id(chef, "2025")
    n = nb_audits(chef)
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_periode(chef, sid, domaine, ouverture, cloture)
    assert set(exc.value.errors) == erreurs
    p = periode(chef, "2025", "BCP")
    assert p is not None and p.cloture.replace(tzinfo=UTC) == utc(2024, 12, 3, 16, 0)
    assert nb_audits(chef) == n


def test_cloture_avant_ouverture_message(chef: Contexte):
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_periode(chef, session_id(chef, "2025"), "CAP", datetime(2024, 11, 8), datetime(2024, 10, 8))
    assert exc.value.errors["cloture"] == "La clôture doit être postérieure à l'ouverture."


def test_periode_refusee_aux_autres_roles(chef: Contexte, gestionnaire: Contexte, accueil: Contexte):
    sid = session_id(chef, "2025")
    for ctx in (gestionnaire, accueil):
        with pytest.raises(PermissionDenied):
            ed.enregistrer_periode(ctx, sid, "BCP", datetime(2024, 11, 4, 15), datetime(2024, 12, 9, 17))
        with pytest.raises(PermissionDenied):
            ed.supprimer_periode(ctx, sid, "BCP")


def test_periode_avec_candidatures_non_supprimable(chef: Contexte, clock):
    compte = comptes.creer_compte(chef, SaisieCompte(
        sexe="F", nom="Ngmb", nom_confirmation="NGMB", prenoms="Jeanne", date_naissance="30/05/1998",
        date_naissance_confirmation="30/05/1998", pays_naissance="MA", commune_naissance_etranger="Rabat",
        email="jeanne@example.fr", email_confirmation="jeanne@example.fr", mot_de_passe="Secret-2024",
        mot_de_passe_confirmation="Secret-2024"))
    sid = session_id(chef, "2025")
    with chef.transaction() as s:  # registrations have no service yet: the row is what matters here
        s.add(Candidature(compte_id=compte.id, numero_inscription="001", session_id=sid, domaine_code="CAP",
                          cree_le=clock.now()))
    with pytest.raises(DomainError, match="Des candidatures existent"):
        ed.supprimer_periode(chef, sid, "CAP")
    assert periode(chef, "2025", "CAP") is not None


def test_enregistrer_une_echeance_fixe_puis_la_modifier(chef: Contexte):
    sid = session_id(chef, "2025")
    eid = ed.enregistrer_echeance(chef, sid, "CAP", "r408", "Attestation R.408", datetime(2025, 3, 21, 12, 0),
                                  "courrier", "ecartee")
    e = echeance(chef, "2025", "CAP", "R408")
    assert e.id == eid and e.mode_depot == "courrier" and e.regle == "fixe"
    assert e.date_limite.replace(tzinfo=UTC) == utc(2025, 3, 21, 11, 0)
    assert audits(chef, "echeance")[-1].apres == {"libelle": "Attestation R.408",
                                                  "date_limite": "21/03/2025 12:00 (heure de Paris)",
                                                  "mode_depot": "courrier"}
    nouvelle = ed.enregistrer_echeance(chef, sid, "CS", "PIECES_COURRIER", "Pièces envoyées par courrier",
                                       None, "courrier", "annulee", regle="semaine_apres_cloture")
    assert echeance(chef, "2025", "CS", "PIECES_COURRIER").id == nouvelle
    assert echeance(chef, "2025", "CS", "PIECES_COURRIER").date_limite.replace(tzinfo=UTC) == utc(2024, 12, 10, 16)
    ed.supprimer_echeance(chef, nouvelle)
    assert audits(chef, "echeance")[-1].action == "suppression"


def test_echeance_incorrecte(chef: Contexte, accueil: Contexte):
    sid = session_id(chef, "2025")
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_echeance(chef, sid, "ZZ", "", "  ", None, "pigeon", "perdue")
    assert set(exc.value.errors) == {"domaine", "code", "libelle", "date_limite", "mode_depot", "consequence"}
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_echeance(chef, sid, "MC", "X", "Pièces", None, None, None, regle="semaine_apres_cloture")
    assert "enregistrez d'abord la période" in exc.value.errors["regle"]
    with pytest.raises(PermissionDenied):
        ed.enregistrer_echeance(accueil, sid, "CAP", "X", "Pièces", datetime(2025, 1, 1), None, None)


# --- Spécialités et épreuves ---------------------------------------------------------------------

def test_creer_une_specialite_avec_son_arbre(chef: Contexte):
    assert ed.enregistrer_specialite(chef, specialite_cs()) == "creation"
    assert codes(chef, "CS-99001") == [("E1", []), ("E2", ["E2-A", "E2-B"])]
    spec = referentiel.specialite(chef, "CS-99001")
    assert spec is not None and spec.secteur_industriel and spec.code == "99001"
    ligne = audits(chef, "specialite")[-1]
    assert ligne.action == "creation" and ligne.apres["epreuves"][1]["children"][0]["code"] == "E2-A"


def test_remplacer_une_specialite_garde_les_lignes_des_codes_inchanges(chef: Contexte):
    ed.enregistrer_specialite(chef, specialite_cs())
    avant = {n.code: n.id for n in ed.arbre_epreuves(chef, "CS-99001")}
    d = specialite_cs(intitule="Maintenance des hélicoptères (rénové)")
    d["epreuves"][1]["children"] = [{"code": "E2-B", "intitule": "Contrôle", "coefficient": 8}]
    d["epreuves"].insert(0, {"code": "E0", "intitule": "Santé et sécurité"})
    assert ed.enregistrer_specialite(chef, d) == "remplacement"
    assert codes(chef, "CS-99001") == [("E0", []), ("E1", []), ("E2", ["E2-B"])]
    apres = {n.code: n.id for n in ed.arbre_epreuves(chef, "CS-99001")}
    assert apres["E1"] == avant["E1"] and apres["E2"] == avant["E2"]
    assert referentiel.specialite(chef, "CS-99001").intitule == "Maintenance des hélicoptères (rénové)"
    ligne = audits(chef, "specialite")[-1]
    assert ligne.action == "remplacement" and len(ligne.avant["epreuves"][1]["children"]) == 2


def test_enregistrer_specialite_erreurs_par_champ(chef: Contexte, gestionnaire: Contexte):
    d = specialite_cs(code="123", domaine="XX", intitule="")
    d["epreuves"][1]["children"][0]["coefficient"] = -1
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_specialite(chef, d)
    e = exc.value.errors
    assert set(e) == {"code", "domaine", "intitule", "epreuves"}
    assert "5 chiffres" in e["code"]
    assert e["epreuves"] == "CS-99001 › E2 › E2-A : le coefficient ne peut pas être négatif."
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_specialite(chef, specialite_cs(id="BCP-25303"))
    assert "ne peut pas changer (BCP → CS)" in exc.value.errors["domaine"]
    with pytest.raises(ValidationError) as exc:
        ed.enregistrer_specialite(chef, specialite_cs(code="22112"))
    assert exc.value.errors["code"] == "Le code 22112 est déjà celui de la spécialité CS-22112."
    with pytest.raises(PermissionDenied):
        ed.enregistrer_specialite(gestionnaire, specialite_cs())
    assert referentiel.specialite(chef, "CS-99001") is None


def test_modifier_la_fiche_sans_toucher_a_l_arbre(chef: Contexte):
    nb = len(ed.arbre_epreuves(chef, "BCP-25303"))
    assert ed.enregistrer_specialite(chef, {"id": "BCP-25303", "domaine": "BCP", "code": "25303",
                                            "intitule": "Aéronautique option Systèmes", "filiere": "aéro"}) \
        == "modification"
    assert referentiel.specialite(chef, "BCP-25303").filiere == "aéro"
    assert len(ed.arbre_epreuves(chef, "BCP-25303")) == nb


def test_remplir_a_la_main_l_arbre_vide_d_une_mc(chef: Contexte):
    sid = "MC-coiffure-coupe-couleur"
    assert ed.arbre_epreuves(chef, sid) == []
    e1 = ed.ajouter_epreuve(chef, sid, SaisieEpreuve(code="e1", unite="U1", intitule="Coupe", coefficient="4"))
    e2 = ed.ajouter_epreuve(chef, sid, SaisieEpreuve(code="E2", intitule="Couleur", coefficient="2,5",
                                                     nature="obligatoire", groupe="1"))
    ed.ajouter_epreuve(chef, sid, SaisieEpreuve(code="E2-B", intitule="Mise en forme"), parent_id=e2)
    ed.ajouter_epreuve(chef, sid, SaisieEpreuve(code="E2-A", intitule="Technique"), parent_id=e2)
    ed.ajouter_epreuve(chef, sid, SaisieEpreuve(code="EF", intitule="Langue vivante", nature="facultative"),
                       apres_id=e1)
    assert codes(chef, sid) == [("E1", []), ("EF", []), ("E2", ["E2-B", "E2-A"])]
    arbre = ed.arbre_epreuves(chef, sid)
    assert arbre[2].coefficient == 2.5 and arbre[0].unite == "U1" and arbre[1].nature == "facultative"
    # move E2-A up, E2 up, then a move past the end is refused quietly
    e2a = arbre[2].enfants[1].id
    assert ed.deplacer_epreuve(chef, e2a, -1)
    assert ed.deplacer_epreuve(chef, e2, -1)
    assert not ed.deplacer_epreuve(chef, e2a, -1)
    assert codes(chef, sid) == [("E1", []), ("E2", ["E2-A", "E2-B"]), ("EF", [])]
    ed.modifier_epreuve(chef, e1, SaisieEpreuve(code="E1", unite="U10", intitule="Coupe et coiffage",
                                                coefficient="5", mode_ponctuel_type="pratique", duree="3 h"))
    e1_lu = ed.arbre_epreuves(chef, sid)[0]
    assert (e1_lu.unite, e1_lu.intitule, e1_lu.coefficient, e1_lu.duree) == ("U10", "Coupe et coiffage", 5, "3 h")
    assert ed.supprimer_epreuve(chef, e2) == 3
    assert codes(chef, sid) == [("E1", []), ("EF", [])]
    actions = [a.action for a in audits(chef, "specialite") if a.entite_id == sid]
    assert actions == ["ajout_epreuve"] * 5 + ["deplacement_epreuve"] * 2 + ["modification_epreuve",
                                                                            "suppression_epreuve"]
    with chef.lecture() as s:  # the sub-units went with their parent
        assert s.scalar(select(func.count()).select_from(Epreuve).where(Epreuve.specialite_id == sid)) == 2


@pytest.mark.parametrize(("saisie", "champ", "message"), [
    (SaisieEpreuve(code="", intitule="X"), "code", "obligatoire"),
    (SaisieEpreuve(code="E1", intitule="  "), "intitule", "obligatoire"),
    (SaisieEpreuve(code="E9", intitule="X", coefficient="-2"), "coefficient", "négatif"),
    (SaisieEpreuve(code="E9", intitule="X", coefficient="deux"), "coefficient", "nombre"),
    (SaisieEpreuve(code="E9", intitule="X", nature="optionnelle"), "nature", "facultative"),
    (SaisieEpreuve(code="E9", intitule="X", groupe="3"), "groupe", "2nd groupe"),
    (SaisieEpreuve(code="E3 A", intitule="X"), "code", "non valide"),
    (SaisieEpreuve(code="E3-A", intitule="X"), "code", "déjà utilisé"),
])
def test_epreuve_saisie_incorrecte(chef: Contexte, saisie: SaisieEpreuve, champ: str, message: str):
    avant = codes(chef, "BCP-25303")
    with pytest.raises(ValidationError) as exc:
        ed.ajouter_epreuve(chef, "BCP-25303", saisie)
    assert champ in exc.value.errors and message in exc.value.errors[champ]
    assert codes(chef, "BCP-25303") == avant


def test_modifier_une_epreuve_vers_un_code_pris(chef: Contexte):
    e3a = next(c.id for n in ed.arbre_epreuves(chef, "BCP-25303") for c in n.enfants if c.code == "E3-A")
    with pytest.raises(ValidationError) as exc:
        ed.modifier_epreuve(chef, e3a, SaisieEpreuve(code="E3-B", intitule="Inspection"))
    assert exc.value.errors == {"code": "Le code E3-B est déjà utilisé dans cette spécialité."}


def test_edition_des_epreuves_refusee_aux_autres_roles(chef: Contexte, accueil: Contexte, gestionnaire: Contexte):
    e1 = ed.arbre_epreuves(chef, "BCP-25303")[0].id
    for ctx in (accueil, gestionnaire):
        with pytest.raises(PermissionDenied):
            ed.ajouter_epreuve(ctx, "CS-22112", SaisieEpreuve(code="E1", intitule="X"))
        with pytest.raises(PermissionDenied):
            ed.modifier_epreuve(ctx, e1, SaisieEpreuve(code="E1", intitule="X"))
        with pytest.raises(PermissionDenied):
            ed.supprimer_epreuve(ctx, e1)
        with pytest.raises(PermissionDenied):
            ed.deplacer_epreuve(ctx, e1, 1)
    assert ed.arbre_epreuves(accueil, "CS-22112") == []  # reading is allowed


# --- Import --------------------------------------------------------------------------------------

def fichier(*specialites: dict[str, Any]) -> bytes:
    return json.dumps(list(specialites), ensure_ascii=False).encode()


def test_analyse_d_un_bon_fichier_creation_et_remplacement(chef: Contexte):
    bcp = ed.exporter_specialite(chef, "BCP-25303")
    e3 = next(n for n in bcp["epreuves"] if n["code"] == "E3")
    e3["children"] = [c for c in e3["children"] if c["code"] != "E3-E"]        # 1 removed
    e3["children"][0]["coefficient"] = 3                                       # 1 changed (E3-A)
    bcp["epreuves"].append({"code": "E8", "intitule": "Nouvelle épreuve", "children": [
        {"code": "E8-A", "intitule": "Partie A"}]})                            # 2 added
    n = nb_audits(chef)
    rapport = ed.analyser_import(chef, fichier(specialite_cs(), bcp), "maj.json")
    assert rapport.valide and rapport.erreurs == []
    creation, remplacement = rapport.lignes
    assert (creation.id, creation.action, creation.ajoutees) == ("CS-99001", "creation", 4)
    assert creation.resume == "Création : 4 épreuves"
    assert (remplacement.action, remplacement.ajoutees, remplacement.supprimees, remplacement.modifiees) == \
        ("remplacement", 2, 1, 1)
    assert remplacement.resume == "Remplacement : 2 épreuves ajoutées, 1 supprimée, 1 modifiée"
    # analysing writes nothing
    assert nb_audits(chef) == n and referentiel.specialite(chef, "CS-99001") is None
    assert ed.appliquer_import(chef, rapport) == {"creation": 1, "remplacement": 1}
    assert codes(chef, "CS-99001") == [("E1", []), ("E2", ["E2-A", "E2-B"])]
    e3_lu = next(n for n in ed.arbre_epreuves(chef, "BCP-25303") if n.code == "E3")
    assert [c.code for c in e3_lu.enfants] == ["E3-A", "E3-B", "E3-C", "E3-D", "E3-F"]
    assert e3_lu.enfants[0].coefficient == 3
    assert ed.arbre_epreuves(chef, "BCP-25303")[-1].code == "E8"
    nouvelles = audits(chef)[n:]
    assert [(a.entite, a.action) for a in nouvelles] == [("specialite", "creation"), ("specialite", "remplacement"),
                                                         ("referentiel", "import")]
    assert all(a.motif == "Import du fichier maj.json" for a in nouvelles)


def test_un_objet_seul_remplit_un_arbre_vide(chef: Contexte):
    cs = {"id": "CS-22112", "domaine": "CS", "code": "22112", "intitule": "Pâtisserie de boutique",
          "epreuves": [{"code": "E1", "intitule": "Production", "coefficient": 6},
                       {"code": "E2", "intitule": "Commercialisation", "coefficient": 2}]}
    rapport = ed.analyser_import(chef, json.dumps(cs).encode())
    assert rapport.valide and rapport.lignes[0].resume.startswith("Remplacement : 2 épreuves ajoutées")
    ed.appliquer_import(chef, rapport)
    assert codes(chef, "CS-22112") == [("E1", []), ("E2", [])]


def test_reimporter_un_export_ne_change_rien(chef: Contexte):
    rapport = ed.analyser_import(chef, fichier(ed.exporter_specialite(chef, "BCP-25303")))
    assert rapport.valide and rapport.lignes[0].action == "inchange"
    assert rapport.lignes[0].resume == "Remplacement : aucun changement"


@pytest.mark.parametrize(("contenu", "message"), [
    (b'[{"id": "CS-1", ', "n'est pas un JSON valide : erreur de syntaxe ligne 1"),
    (b"\xff\xfe\x00", "UTF-8"),
    (b'"bonjour"', "une liste de spécialités"),
    (b"[]", "aucune spécialité"),
])
def test_fichier_illisible_une_seule_erreur_claire(chef: Contexte, contenu: bytes, message: str):
    rapport = ed.analyser_import(chef, contenu, "x.json")
    assert len(rapport.erreurs) == 1 and message in rapport.erreurs[0]
    assert not rapport.valide and rapport.lignes == []
    with pytest.raises(DomainError, match="rien n'a été enregistré"):
        ed.appliquer_import(chef, rapport)


def test_erreurs_avec_leur_chemin(chef: Contexte):
    bcp = ed.exporter_specialite(chef, "BCP-25303")
    e3 = next(n for n in bcp["epreuves"] if n["code"] == "E3")
    e3["children"][0]["coefficient"] = -2
    e3["children"][1]["code"] = "E1-A"                    # duplicate of E1 › E1-A
    e3["children"][2]["intitule"] = ""
    e3["children"][3]["nature"] = "optionnelle"
    inconnu = specialite_cs(id="XX-1", domaine="XX")
    rapport = ed.analyser_import(chef, fichier(bcp, inconnu, specialite_cs(), specialite_cs()))
    assert not rapport.valide
    assert "BCP-25303 › E3 › E3-A : le coefficient ne peut pas être négatif." in rapport.erreurs
    assert "BCP-25303 › E3 › E1-A : le code E1-A est en double (déjà utilisé : E1 › E1-A)." in rapport.erreurs
    assert "BCP-25303 › E3 › E3-C : l'intitulé de l'épreuve est obligatoire." in rapport.erreurs
    assert "BCP-25303 › E3 › E3-D : la nature doit être « obligatoire » ou « facultative »." in rapport.erreurs
    assert any(m.startswith("XX-1 : domaine inconnu : « XX »") for m in rapport.erreurs)
    assert "CS-99001 : la spécialité figure deux fois dans le fichier (n°3 et n°4)." in rapport.erreurs
    assert rapport.lignes[0].resume == "Remplacement impossible : 4 erreurs"
    n = nb_audits(chef)
    with pytest.raises(DomainError):
        ed.appliquer_import(chef, rapport)
    assert nb_audits(chef) == n and referentiel.specialite(chef, "CS-99001") is None
    assert next(c for n in ed.arbre_epreuves(chef, "BCP-25303") for c in n.enfants if c.code == "E3-A").coefficient == 2


def test_noeud_sans_code_recoit_un_code_provisoire(chef: Contexte):
    d = specialite_cs()
    d["epreuves"][0]["code"] = None
    rapport = ed.analyser_import(chef, fichier(d))
    assert rapport.valide
    assert rapport.lignes[0].avertissements == ["CS-99001 › épreuve n°1 : code absent, l'épreuve sera affichée sans code."]


def test_le_rapport_est_reverifie_au_moment_d_appliquer(chef: Contexte):
    rapport = ed.analyser_import(chef, fichier(specialite_cs()))
    assert rapport.valide
    ed.enregistrer_specialite(chef, specialite_cs(id="CS-99002"))   # takes code 99001 meanwhile
    with pytest.raises(DomainError, match="déjà celui de la spécialité CS-99002"):
        ed.appliquer_import(chef, rapport)
    assert referentiel.specialite(chef, "CS-99001") is None


def test_import_refuse_aux_autres_roles(chef: Contexte, gestionnaire: Contexte, accueil: Contexte):
    rapport = ed.analyser_import(chef, fichier(specialite_cs()))
    for ctx in (gestionnaire, accueil):
        with pytest.raises(PermissionDenied):
            ed.analyser_import(ctx, fichier(specialite_cs()))
        with pytest.raises(PermissionDenied):
            ed.appliquer_import(ctx, rapport)
    with chef.lecture() as s:
        assert s.get(Specialite, "CS-99001") is None


def test_departements_de_l_academie(chef):
    from cyclades_desktop.services.referentiel import edition
    from cyclades_desktop.services.referentiel import lecture as referentiel

    b = referentiel.bureau(chef)
    assert b.departements == ("04", "05", "13", "84")
    saisie = edition.saisie_bureau(b)
    saisie.departements = "6; 83 2a"
    v = edition.modifier_bureau(chef, saisie, b.row_version)
    assert referentiel.bureau(chef).departements == ("06", "83", "2A")
    saisie.departements = "06, 1234"
    with pytest.raises(ValidationError) as exc:
        edition.modifier_bureau(chef, saisie, v)
    assert "1234" in exc.value.errors["departements"]
