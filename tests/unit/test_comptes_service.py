from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, Candidature, Commune, CompteCandidat, Message, SessionExamen
from cyclades_desktop.rules import comptes as r
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.noyau import securite
from cyclades_desktop.services.noyau.contexte import SYSTEME, Contexte


def ligne_stockee(ctx: Contexte, compte_id: int) -> CompteCandidat:
    """The row itself: the read model leaves out the password hash and the normalised e-mail."""
    with ctx.lecture() as s:
        return s.get_one(CompteCandidat, compte_id)


def commune_id(ctx: Contexte, nom: str, dep: str) -> str:
    with ctx.lecture() as s:
        return str(s.scalar(select(Commune.id).where(Commune.nom == nom, Commune.departement == dep)))


@pytest.fixture
def saisie(accueil: Contexte) -> r.SaisieCompte:
    return r.SaisieCompte(
        sexe="F", nom="Ngmb-Dupont", nom_confirmation="ngmb-dupont", prenoms="ngmb-jeanne",
        date_naissance="06/05/2005", date_naissance_confirmation="06/05/2005", pays_naissance="FR",
        departement_naissance="11", commune_naissance=commune_id(accueil, "Bugarach", "11"),
        email="1948418953@Mail.fr", email_confirmation="1948418953@mail.fr", mot_de_passe="Secret.2024",
        mot_de_passe_confirmation="Secret.2024",
    )


def compter(ctx: Contexte, model: type) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def ajouter_candidature(ctx: Contexte, compte_id: int) -> None:
    with ctx.db.session() as s:
        session_id = s.scalar(select(SessionExamen.id).where(SessionExamen.annee == 2025))
        s.add(Candidature(compte_id=compte_id, numero_inscription="001", session_id=session_id,
                          domaine_code="BCP", cree_le=ctx.clock.now()))
        s.commit()


def test_creation_compte_en_attente_avec_numero_message_et_audit(accueil: Contexte, saisie):
    cree = comptes.creer_compte(accueil, saisie)
    assert r.numero_candidat_valide(cree.numero_candidat)
    c = comptes.obtenir(accueil, cree.id)
    assert (c.nom, c.prenoms, c.commune_naissance, c.departement_naissance) == (
        "NGMB-DUPONT", "Ngmb-Jeanne", "BUGARACH", "11")
    stocke = ligne_stockee(accueil, cree.id)
    assert c.etat == "en_attente" and stocke.email_normalise == "1948418953@mail.fr"
    assert stocke.mot_de_passe_hash.startswith("$argon2id$") and "Secret.2024" not in stocke.mot_de_passe_hash
    msgs = comptes.messages(accueil, cree.id)
    assert msgs[0].objet == "[CYCLADES] Activer mon compte" and cree.code_activation in msgs[0].corps
    with accueil.lecture() as s:
        row = s.scalar(select(AuditEntry).where(AuditEntry.entite == "compte", AuditEntry.action == "creation"))
    assert row.agent_login == "accueil" and row.apres["nom"] == "NGMB-DUPONT"
    assert "mot_de_passe" not in row.apres


def test_mauvaise_saisie_rien_n_est_ecrit(accueil: Contexte, saisie):
    avant = compter(accueil, CompteCandidat), compter(accueil, AuditEntry)
    with pytest.raises(ValidationError) as exc:
        comptes.creer_compte(accueil, replace(saisie, date_naissance="01/01/2030",
                                              date_naissance_confirmation="01/01/2030", mot_de_passe="faible"))
    assert exc.value.errors["date_naissance"] == "La date de naissance ne peut pas être dans le futur."
    assert exc.value.errors["mot_de_passe"] == r.MESSAGE_MOT_DE_PASSE
    with pytest.raises(ValidationError) as exc:
        comptes.creer_compte(accueil, replace(saisie, commune_naissance=commune_id(accueil, "Annecy", "74")))
    assert "commune_naissance" in exc.value.errors  # a commune of another département
    assert (compter(accueil, CompteCandidat), compter(accueil, AuditEntry)) == avant


def test_commune_ancienne_acceptee(accueil: Contexte, saisie):
    cree = comptes.creer_compte(accueil, replace(
        saisie, departement_naissance="74", commune_naissance=commune_id(accueil, "Annecy-le-Vieux", "74")))
    assert comptes.obtenir(accueil, cree.id).commune_naissance == "ANNECY-LE-VIEUX"


def test_email_unique_sans_tenir_compte_de_la_casse(accueil: Contexte, saisie):
    comptes.creer_compte(accueil, saisie)
    with pytest.raises(ValidationError) as exc:
        comptes.creer_compte(accueil, replace(saisie, email="1948418953@MAIL.FR", email_confirmation="1948418953@mail.fr"))
    assert exc.value.errors == {"email": comptes.MESSAGE_EMAIL_PRIS}


def test_deux_postes_creent_la_meme_adresse_en_meme_temps(accueil: Contexte, saisie):
    """The unique constraint decides, not a check-then-insert race: one wins, one gets the message."""
    barriere = threading.Barrier(2)
    resultats: list[object] = []
    original = comptes._email_libre

    def lent(*args, **kwargs):  # both pass the pre-check before either inserts
        ok = original(*args, **kwargs)
        try:
            barriere.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return ok

    comptes._email_libre = lent  # type: ignore[assignment]
    try:
        def creer(email: str) -> None:
            try:
                resultats.append(comptes.creer_compte(accueil, replace(saisie, email=email, email_confirmation=email)))
            except ValidationError as exc:
                resultats.append(exc.errors)
        threads = [threading.Thread(target=creer, args=(e,)) for e in ("dup@mail.fr", "DUP@mail.fr")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        comptes._email_libre = original  # type: ignore[assignment]
    assert sum(isinstance(x, comptes.CompteCree) for x in resultats) == 1
    assert {"email": comptes.MESSAGE_EMAIL_PRIS} in resultats
    assert compter(accueil, CompteCandidat) == 1


def test_numeros_jamais_reutilises(accueil: Contexte, saisie):
    a = comptes.creer_compte(accueil, saisie)
    comptes.supprimer_compte(accueil, a.id)
    b = comptes.creer_compte(accueil, saisie)
    assert b.numero_candidat != a.numero_candidat
    assert int(b.numero_candidat[:10]) == int(a.numero_candidat[:10]) + 1


def test_activation_par_code(accueil: Contexte, saisie):
    cree = comptes.creer_compte(accueil, saisie)
    with pytest.raises(ValidationError) as exc:
        comptes.activer_compte(accueil, cree.id, "000000" if cree.code_activation != "000000" else "111111")
    assert exc.value.errors == {"code_activation": "Code d'activation incorrect."}
    comptes.activer_compte(accueil, cree.id, cree.code_activation)
    assert comptes.obtenir(accueil, cree.id).etat == "actif"


def test_purge_apres_48_heures(accueil: Contexte, saisie, clock):
    vieux = comptes.creer_compte(accueil, saisie)
    actif = comptes.creer_compte(accueil, replace(saisie, email="b@mail.fr", email_confirmation="b@mail.fr"))
    comptes.activer_compte(accueil, actif.id, actif.code_activation)
    clock.advance(hours=47, minutes=59)
    assert comptes.purger_comptes_non_actives(accueil.avec_agent(SYSTEME)) == 0
    recent = comptes.creer_compte(accueil, replace(saisie, email="c@mail.fr", email_confirmation="c@mail.fr"))
    clock.advance(minutes=2)
    with pytest.raises(ValidationError):  # too late to activate
        comptes.activer_compte(accueil, vieux.id, vieux.code_activation)
    with pytest.raises(PermissionDenied, match="Connectez-vous"):   # no agent: nobody to act for
        comptes.purger_comptes_non_actives(accueil.avec_agent(None))
    assert comptes.purger_comptes_non_actives(accueil.avec_agent(SYSTEME)) == 1
    ids = {x.id for x in comptes.rechercher(accueil)}
    assert ids == {actif.id, recent.id}
    with accueil.lecture() as s:
        assert s.scalar(select(func.count()).select_from(Message).where(Message.compte_id == vieux.id)) == 0
        purge = s.scalar(select(AuditEntry).where(AuditEntry.action == "purge_48h"))
    assert purge.entite_id == str(vieux.id) and purge.agent_login == "système"


def test_modification_avant_et_apres_candidature(accueil: Contexte, gestionnaire: Contexte, saisie):
    cree = comptes.creer_compte(accueil, saisie)
    c = comptes.obtenir(accueil, cree.id)
    comptes.modifier_compte(accueil, c.id, replace(saisie, prenoms="Jeanne", mot_de_passe="",
                                                   mot_de_passe_confirmation=""), row_version=c.row_version)
    c = comptes.obtenir(accueil, cree.id)
    assert c.prenoms == "Jeanne"
    assert securite.verifier(ligne_stockee(accueil, c.id).mot_de_passe_hash, "Secret.2024")  # empty: unchanged
    ajouter_candidature(accueil, c.id)
    assert comptes.champs_modifiables(accueil, c.id) == ("email", "mot_de_passe")
    with pytest.raises(ValidationError) as exc:
        comptes.modifier_compte(accueil, c.id, replace(saisie, prenoms="Marie", mot_de_passe="", mot_de_passe_confirmation=""),
                                row_version=c.row_version)
    assert exc.value.errors == {"prenoms": comptes.MESSAGE_VERROU}
    comptes.modifier_compte(accueil, c.id, replace(saisie, prenoms="Jeanne", email="neuf@mail.fr",
                                                   email_confirmation="neuf@mail.fr", mot_de_passe="", mot_de_passe_confirmation=""),
                            row_version=c.row_version)
    c = comptes.obtenir(accueil, cree.id)
    assert c.email == "neuf@mail.fr"
    # A gestionnaire corrects the identity, with a reason that goes into the audit trail.
    with pytest.raises(ValidationError) as exc:
        comptes.modifier_compte(gestionnaire, c.id, replace(saisie, prenoms="Marie", email="neuf@mail.fr",
                                email_confirmation="neuf@mail.fr", mot_de_passe="", mot_de_passe_confirmation=""), row_version=c.row_version)
    assert "motif" in exc.value.errors
    comptes.modifier_compte(gestionnaire, c.id, replace(saisie, prenoms="Marie", email="neuf@mail.fr",
                            email_confirmation="neuf@mail.fr", mot_de_passe="", mot_de_passe_confirmation=""), row_version=c.row_version,
                            motif="Correction au stylo rouge sur le récapitulatif signé")
    with accueil.lecture() as s:
        row = s.scalar(select(AuditEntry).where(AuditEntry.action == "correction_identite"))
    assert row.avant == {"prenoms": "Jeanne"} and row.apres == {"prenoms": "Marie"}
    assert row.motif.startswith("Correction au stylo rouge")


def test_modification_concurrente_refusee(accueil: Contexte, saisie):
    cree = comptes.creer_compte(accueil, saisie)
    version = comptes.obtenir(accueil, cree.id).row_version
    comptes.modifier_compte(accueil, cree.id, replace(saisie, prenoms="Une", mot_de_passe="", mot_de_passe_confirmation=""), row_version=version)
    with pytest.raises(ConflictError):
        comptes.modifier_compte(accueil, cree.id, replace(saisie, prenoms="Deux", mot_de_passe="", mot_de_passe_confirmation=""),
                                row_version=version)
    assert comptes.obtenir(accueil, cree.id).prenoms == "Une"


def test_suppression_refusee_avec_la_phrase_du_guide(accueil: Contexte, saisie):
    cree = comptes.creer_compte(accueil, saisie)
    ajouter_candidature(accueil, cree.id)
    with pytest.raises(DomainError) as exc:
        comptes.supprimer_compte(accueil, cree.id)
    assert exc.value.message == "Le compte ne peut pas être supprimé car une ou plusieurs candidatures y sont attachées"
    assert comptes.obtenir(accueil, cree.id)


def test_reinitialisation_du_mot_de_passe_par_identifiant(accueil: Contexte, saisie):
    cree = comptes.creer_compte(accueil, saisie)
    for ident in ("1948418953@MAIL.fr", cree.numero_candidat):
        compte, provisoire = comptes.reinitialiser_mot_de_passe(accueil, ident)
        assert r.verifier_mot_de_passe(provisoire) is None
        assert securite.verifier(ligne_stockee(accueil, cree.id).mot_de_passe_hash, provisoire)
    with pytest.raises(ValidationError):
        comptes.reinitialiser_mot_de_passe(accueil, "inconnu@mail.fr")


def test_recherche_par_prefixe_sans_accents_ni_casse(accueil: Contexte, saisie):
    noms = ["Dupont", "Dupônt-Martin", "Durand", "Éloi", "Martin"]
    for i, nom in enumerate(noms):
        comptes.creer_compte(accueil, replace(saisie, nom=nom, nom_confirmation=nom, email=f"c{i}@mail.fr",
                                              email_confirmation=f"c{i}@mail.fr"))
    # "DUPONT MARTIN …" sorts before "DUPONT NGMB …": the key ignores accents and hyphens
    assert [x.nom for x in comptes.rechercher(accueil, "dupon")] == ["DUPÔNT-MARTIN", "DUPONT"]
    assert [x.nom for x in comptes.rechercher(accueil, "eloi")] == ["ÉLOI"]
    assert [x.nom for x in comptes.rechercher(accueil, "dupont ngmb")] == ["DUPONT"]
    premier = comptes.rechercher(accueil, "")[0]
    assert [x.nom for x in comptes.rechercher(accueil, premier.numero_candidat[:10])] == [premier.nom]
    assert [x.email for x in comptes.rechercher(accueil, "C3@")] == ["c3@mail.fr"]
    # keyset paging: two pages of two, then the rest, in name order without overlap
    p1 = comptes.rechercher(accueil, "", limite=2)
    p2 = comptes.rechercher(accueil, "", apres=p1[-1], limite=2)
    p3 = comptes.rechercher(accueil, "", apres=p2[-1], limite=2)
    assert [x.nom for x in p1 + p2 + p3] == ["DUPÔNT-MARTIN", "DUPONT", "DURAND", "ÉLOI", "MARTIN"]


def test_permissions_verifiees_dans_le_service(ctx_anonyme: Contexte, saisie):
    with pytest.raises(PermissionDenied):
        comptes.creer_compte(ctx_anonyme, saisie)
    with pytest.raises(PermissionDenied):
        comptes.rechercher(ctx_anonyme, "")


def test_journal_d_audit_en_ajout_seul(accueil: Contexte, saisie):
    comptes.creer_compte(accueil, saisie)
    with accueil.db.session() as s:
        row = s.scalar(select(AuditEntry))
        row.libelle = "falsifié"
        with pytest.raises(Exception, match="ajout seul"):
            s.commit()
        s.rollback()
        s.delete(s.scalar(select(AuditEntry)))
        with pytest.raises(Exception, match="ajout seul"):
            s.commit()


def test_page_completee_par_nom_d_usage_reste_courte(accueil: Contexte, saisie):
    """Matches found by nom d'usage never fill a page: the list would then ask for a next page
    from a cursor in name order and could skip someone."""
    for i, nom in enumerate(("Zeda", "Zedb", "Zedc")):
        comptes.creer_compte(accueil, replace(saisie, nom=nom, nom_confirmation=nom, nom_usage="Martin",
                                              email=f"u{i}@mail.fr", email_confirmation=f"u{i}@mail.fr"))
    page = comptes.rechercher(accueil, "martin", limite=3)
    assert 0 < len(page) < 3
    assert len(comptes.rechercher(accueil, "martin", limite=10)) == 3
