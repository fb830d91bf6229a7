"""Registering, modifying and désinscrire candidates through the services (real SQLite file)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, Candidature, Document, DocumentVersion, EpreuveChoix, Message
from cyclades_desktop.rules.epreuves import Choix
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.rules.inscriptions import SaisieAcquis
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.inscriptions import lecture as inscriptions_lecture
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.publications import documents as publications
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id


def compter(ctx: Contexte, model: type) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def inscrire(ctx: Contexte, compte_id: int, saisie=None, domaine: str = "BCP") -> inscriptions.Enregistrement:
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), domaine)
    return inscriptions.enregistrer(ctx, d, saisie or saisie_seed())


def test_offres_show_the_period_in_paris_time(accueil):
    offres = {(o.domaine_code, o.session): o for o in inscriptions.offres(accueil)}
    bcp = offres[("BCP", "2025")]
    assert bcp.ouverte and bcp.texte == ("Les inscriptions sont ouvertes du 04 novembre 2024 15:00 au "
                                         "03 décembre 2024 17:00 (heure de Paris).")
    assert not offres[("CAP", "2025")].ouverte


def test_enregistrer_writes_everything_in_one_go(accueil):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid)
    assert (r.numero_inscription, r.version) == ("001", 1)
    with accueil.lecture() as s:
        c = s.get(Candidature, r.candidature_id)
        assert (c.etat, c.version, c.specialite_id, c.categorie_code) == ("inscrit", 1, "BCP-25303", "133")
        assert c.inscrit_le == accueil.clock.now()
        ef1 = s.scalar(select(EpreuveChoix).where(EpreuveChoix.candidature_id == c.id, EpreuveChoix.code == "EF1"))
        assert (ef1.position, ef1.detail, ef1.mode) == ("Inscrit", "Anglais", "Ponctuel")
        objets = list(s.scalars(select(Message.objet).where(Message.candidature_id == c.id)))
        assert objets == ["Confirmation d'inscription : BACCALAURÉAT PROFESSIONNEL Aéronautique option Systèmes "
                          "- session 2025"]
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entite == "candidature")) == "inscription"
    docs = publications.documents(accueil, r.candidature_id)
    assert [(d.titre, [v.numero for v in d.versions]) for d in docs] == [
        ("Récapitulatif de votre candidature", [1]), ("Demande pièces justificatives", [1])]
    assert docs[0].derniere.libelle == "Version n°1 mis à jour le 10/11/2024 11:00"
    nom, pdf = publications.contenu(accueil, docs[0].derniere.id)
    assert pdf.startswith(b"%PDF") and nom == f"recapitulatif-{r.numero_candidat}-001-v1.pdf"
    # The account's identity is now locked (foundation rule).
    assert "nom" not in (comptes.champs_modifiables(accueil, cid) or ())


def test_numbers_follow_per_account_and_one_active_candidature_per_speciality(accueil):
    cid = compte_actif(accueil)
    autre = compte_actif(accueil, email="autre@exemple.fr", nom="Martin", prenoms="Paul")
    assert inscrire(accueil, cid).numero_inscription == "001"
    with pytest.raises(ValidationError) as exc:
        inscrire(accueil, cid)
    assert "déjà inscrit à cette spécialité" in exc.value.errors["specialite_id"]
    assert inscrire(accueil, cid, saisie_seed(specialite_id="BCP-31213")).numero_inscription == "002"
    assert inscrire(accueil, autre).numero_inscription == "001"


def test_period_closed_refuses_an_agent_and_asks_the_office_for_a_reason(accueil, gestionnaire):
    cid = compte_actif(accueil)
    with pytest.raises(PermissionDenied, match="closes depuis le 08/11/2024 17:00"):
        inscriptions.demarrer(accueil, cid, session_id(accueil), "CAP")
    with pytest.raises(ValidationError) as exc:
        inscriptions.demarrer(gestionnaire, cid, session_id(accueil), "CAP")
    assert "motif" in exc.value.errors
    d = inscriptions.demarrer(gestionnaire, cid, session_id(accueil), "CAP", motif="Dossier déposé à temps au guichet")
    saisie = saisie_individuel(categorie_code="INDIV", specialite_id="CAP-22141", condition_acces="")
    r = inscriptions.enregistrer(gestionnaire, d, saisie)
    with gestionnaire.lecture() as s:
        assert s.get(Candidature, r.candidature_id).hors_periode_motif == "Dossier déposé à temps au guichet"
        assert s.scalar(select(AuditEntry.motif).where(AuditEntry.action == "inscription")) == \
            "Dossier déposé à temps au guichet"


def test_period_closing_while_the_form_is_open_saves_nothing(accueil, clock):
    cid = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP")
    clock.advance(days=30)
    with pytest.raises(PermissionDenied, match="closes"):
        inscriptions.enregistrer(accueil, d, saisie_seed())
    assert compter(accueil, Candidature) == 0 and compter(accueil, Document) == 0


def test_an_account_must_be_activated_first(accueil):
    from cyclades_desktop.rules import comptes as rc
    from tests.fabriques import commune_id
    saisie = rc.SaisieCompte(
        sexe="M", nom="Durand", nom_confirmation="Durand", prenoms="Luc", date_naissance="01/02/2000",
        date_naissance_confirmation="01/02/2000", pays_naissance="FR", departement_naissance="11",
        commune_naissance=commune_id(accueil, "Bugarach", "11"), email="luc@exemple.fr",
        email_confirmation="luc@exemple.fr", mot_de_passe="Secret.2024", mot_de_passe_confirmation="Secret.2024")
    cree = comptes.creer_compte(accueil, saisie)
    with pytest.raises(DomainError, match="activé"):
        inscriptions.demarrer(accueil, cree.id, session_id(accueil), "BCP")


@pytest.mark.parametrize(("changes", "cle", "extrait"), [
    ({"specialite_id": "CAP-22141"}, "specialite_id", "n'appartient pas"),
    ({"categorie_code": "EAD", "specialite_id": "BCP-25303"}, None, None),
    ({"telephone_mobile": "12345"}, "telephone_mobile", "10 chiffres"),
    ({"code_postal": "9730"}, "code_postal", "5 chiffres"),
    ({"handicap": None}, "handicap", "Oui"),
    ({"etablissement_uai": "0000000Z"}, "etablissement_uai", "inconnu"),
    ({"choix": Choix(facultatives={"EF1": ""})}, "facultative.EF1", "langue"),
    ({"acquis": [SaisieAcquis("VAE", 2024, "Aix-Marseille")]}, "acquis.0.dispenses", "jury"),
    ({"acquis": [SaisieAcquis("BTS_DUT_DEUG_LICENCE", None, "")]}, "acquis.0.annee", "année"),
    ({"forme_passage": "progressive"}, "forme_passage", "forme globale"),
    ({"conditions_acceptees": False}, "conditions_acceptees", "conditions"),
])
def test_bad_input_is_refused_field_by_field_and_nothing_is_written(accueil, changes, cle, extrait):
    cid = compte_actif(accueil)
    if cle is None:      # a valid variation: ENSEIGNEMENT À DISTANCE is offered in BCP
        inscrire(accueil, cid, saisie_seed(**changes))
        return
    with pytest.raises(ValidationError) as exc:
        inscrire(accueil, cid, saisie_seed(**changes))
    assert extrait in exc.value.errors[cle]
    assert compter(accueil, Candidature) == 0 and compter(accueil, DocumentVersion) == 0


def test_individual_bac_pro_candidate_must_live_in_the_academie(accueil):
    cid = compte_actif(accueil)
    with pytest.raises(ValidationError) as exc:
        inscrire(accueil, cid, saisie_individuel(code_postal="75011", localite="Paris", condition_acces=""))
    assert "résider dans l'académie" in exc.value.errors["categorie_code"]
    assert "condition_acces" in exc.value.errors
    r = inscrire(accueil, cid, saisie_individuel())
    with accueil.lecture() as s:
        modes = set(s.scalars(select(EpreuveChoix.mode).where(EpreuveChoix.candidature_id == r.candidature_id,
                                                              EpreuveChoix.unite.is_not(None),
                                                              EpreuveChoix.position == "Inscrit")))
    assert modes == {"Ponctuel"}


def test_a_failed_save_leaves_no_half_candidature(accueil, monkeypatch):
    cid = compte_actif(accueil)
    d = inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP")

    def panne(_donnees):
        raise OSError("disque plein")

    monkeypatch.setattr(publications, "recapitulatif_pdf", panne)
    with pytest.raises(OSError):
        inscriptions.enregistrer(accueil, d, saisie_seed())
    for model in (Candidature, EpreuveChoix, Document, DocumentVersion):
        assert compter(accueil, model) == 0
    with accueil.lecture() as s:
        assert s.scalar(select(func.count()).select_from(Message).where(Message.candidature_id.is_not(None))) == 0


def test_modification_raises_the_version_and_publishes_a_new_recapitulatif(accueil):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid)
    d, saisie = inscriptions.ouvrir(accueil, r.candidature_id)
    assert saisie.choix.facultatives == {"EF1": "Anglais", "EF2": "Lettonie"}
    assert saisie.acquis[0].code == "BTS_DUT_DEUG_LICENCE"
    d = inscriptions.preparer_modification(accueil, d)
    saisie.telephone_mobile = "06 11 22 33 44"
    saisie.conditions_acceptees = True
    r2 = inscriptions.enregistrer(accueil, d, saisie)
    assert (r2.version, r2.numero_inscription) == (2, "001")
    docs = publications.documents(accueil, r.candidature_id)
    assert [v.numero for v in docs[0].versions] == [2, 1]
    with accueil.lecture() as s:
        assert s.get(Candidature, r.candidature_id).telephone_mobile == "0611223344"
        objets = list(s.scalars(select(Message.objet).where(Message.candidature_id == r.candidature_id)
                                .order_by(Message.id)))
    assert objets[-1].startswith("Modification d'inscription : BACCALAURÉAT PROFESSIONNEL")
    # The same form saved again from a stale copy is refused: never a silent overwrite.
    with pytest.raises(ConflictError):
        inscriptions.enregistrer(accueil, d, saisie)


def test_modification_after_closing_is_for_the_office_with_a_reason(accueil, gestionnaire, clock):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid)
    clock.advance(days=30)
    d, saisie = inscriptions.ouvrir(accueil, r.candidature_id)
    with pytest.raises(PermissionDenied):
        inscriptions.preparer_modification(accueil, d)
    d = inscriptions.preparer_modification(gestionnaire, d, motif="Correction en rouge sur le récapitulatif signé")
    saisie.conditions_acceptees = True
    saisie.localite = "Kourou"
    assert inscriptions.enregistrer(gestionnaire, d, saisie).version == 2


def test_desinscription_rules(accueil, gestionnaire, clock):
    cid = compte_actif(accueil)
    indiv = inscrire(accueil, cid, saisie_individuel())
    scol = inscrire(accueil, cid, saisie_seed(specialite_id="BCP-31213"))
    cartes = {c.numero_inscription: c for c in inscriptions_lecture.candidatures(accueil, cid)}
    assert cartes["001"].desinscriptible and not cartes["002"].desinscriptible
    with pytest.raises(PermissionDenied, match="candidat individuel"):
        inscriptions.desinscrire(accueil, scol.candidature_id, row_version=scol.row_version)
    inscriptions.desinscrire(accueil, indiv.candidature_id, row_version=indiv.row_version)
    with accueil.lecture() as s:
        assert s.get(Candidature, indiv.candidature_id).etat == "desinscrit"
        assert s.scalar(select(Message.objet).where(Message.candidature_id == indiv.candidature_id)
                        .order_by(Message.id.desc()).limit(1)).startswith("Confirmation de désinscription")
    actives = inscriptions_lecture.candidatures(accueil, cid)
    assert [c.numero_inscription for c in actives] == ["002"]
    toutes = inscriptions_lecture.candidatures(accueil, cid, actives_seulement=False)
    assert [c.etat_libelle for c in toutes] == ["Inscrit", "Désinscrit par le candidat"]
    # A new candidature can be made afterwards, on the same spécialité.
    assert inscrire(accueil, cid, saisie_individuel()).numero_inscription == "003"
    # The office, after the period, with a reason.
    clock.advance(days=30)
    with pytest.raises(ValidationError):
        inscriptions.desinscrire(gestionnaire, scol.candidature_id, row_version=scol.row_version)
    inscriptions.desinscrire(gestionnaire, scol.candidature_id, row_version=scol.row_version,
                             motif="Demande écrite du candidat")
    with accueil.lecture() as s:
        assert s.get(Candidature, scol.candidature_id).motif_etat == "Demande écrite du candidat"


def test_individual_after_closing_cannot_desinscrire_at_the_counter(accueil, clock):
    cid = compte_actif(accueil)
    r = inscrire(accueil, cid, saisie_individuel())
    clock.advance(days=30)
    with pytest.raises(PermissionDenied):
        inscriptions.desinscrire(accueil, r.candidature_id, row_version=r.row_version)
