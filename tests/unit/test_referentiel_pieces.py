"""The catalogue of pièces justificatives (services/referentiel/pieces.py): listing, editing by the chef
de bureau with field messages, audit, deletion refused once candidatures use a piece, and the
effect of a change on candidatures saved afterwards only."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from cyclades_desktop.models import AuditEntry, PieceCatalogue
from cyclades_desktop.rules import pieces as regles
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import pieces as rp
from tests.fabriques import compte_actif, saisie_seed, session_id

PIECES_JSON = Path(__file__).resolve().parents[2] / "resources" / "referentiel" / "pieces.json"
TOUS = ("BCP", "CAP", "BP", "MC", "CS")


def piece(ctx: Contexte, code: str) -> rp.PieceReferentiel:
    return next(p for p in rp.lister(ctx) if p.code == code)


def audits(ctx: Contexte) -> list[AuditEntry]:
    with ctx.lecture() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.entite == "piece_catalogue")
                              .order_by(AuditEntry.id)))


def inscrire(ctx: Contexte, email: str = "1948418953@mail.fr") -> int:
    compte = compte_actif(ctx, email=email)
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie_seed()).candidature_id


def codes_demandes(ctx: Contexte, candidature_id: int) -> dict[str, str]:
    return {p.code: p.mode for g in justificatifs.mes_justificatifs(ctx, candidature_id) for p in g.pieces}


def situation(**changes: object) -> regles.Situation:
    base = dict(domaine="BCP", individuel=False, famille="scolaire", nationalite="FR", age=30, a_des_acquis=False,
                certification_europeenne=False, handicap=False, secteur_industriel=False)
    base.update(changes)
    return regles.Situation(**base)  # type: ignore[arg-type]


# --- the condition keys ------------------------------------------------------------------------

def test_chaque_cle_du_catalogue_livre_a_sa_phrase():
    cles = {p["condition_cle"] for p in json.loads(PIECES_JSON.read_text(encoding="utf-8"))}
    assert cles <= set(rp.CONDITIONS)


@pytest.mark.parametrize(("cle", "vraie_pour"), [
    ("always", situation()),
    ("individuel", situation(individuel=True)),
    ("age_16_25_francais", situation(age=24)),
    ("has_acquis", situation(a_des_acquis=True)),
    ("dispense_certification_europeenne", situation(certification_europeenne=True)),
    ("handicap", situation(handicap=True)),
    ("secteur_industriel", situation(secteur_industriel=True)),
    ("individuel_bcp", situation(individuel=True)),
    ("individuel_mc_cs", situation(individuel=True, domaine="MC")),
    ("bp_pratique_professionnelle", situation(domaine="BP", famille="formation_continue")),
])
def test_les_cles_proposees_sont_comprises_par_les_regles(cle: str, vraie_pour: regles.Situation):
    """A key the rules do not know is never true: each one offered must be true somewhere."""
    assert cle in rp.CONDITIONS
    assert regles.condition_remplie(cle, vraie_pour)
    assert not regles.condition_remplie(cle + "_faute", vraie_pour)


def test_cles_jamais_vraies_documentees_comme_telles():
    toutes = situation(individuel=True, a_des_acquis=True, handicap=True, certification_europeenne=True,
                       secteur_industriel=True, age=18)
    for cle in ("handicap_nouvelle_demande", "pfmp_requise"):
        assert not regles.condition_remplie(cle, toutes)
    assert "jamais demandée ici" in rp.CONDITIONS["handicap_nouvelle_demande"]
    assert "pas encore demandée automatiquement" in rp.CONDITIONS["pfmp_requise"]


# --- listing -----------------------------------------------------------------------------------

def test_lister_en_clair_pour_tout_le_personnel(accueil: Contexte):
    pieces = {p.code: p for p in rp.lister(accueil)}
    assert len(pieces) == 13
    identite = pieces["IDENTITE"]
    assert (identite.libelle, identite.condition_libelle, identite.mode_depot, identite.domaines) == (
        "Document justifiant l'identité", "Toujours exigée", "en ligne", TOUS)
    # Modes written out or left empty in the shipped file: what a candidature actually gets.
    assert (pieces["AMENAGEMENT_DEMANDE"].mode_depot, pieces["AMENAGEMENT_DEMANDE"].mode_depot_brut) == (
        "en ligne", "en ligne (application académique dédiée)")
    assert (pieces["CERTIF_EUROPE"].mode_depot, pieces["CERTIF_EUROPE"].mode_depot_brut) == ("courrier", None)
    assert identite.utilisations == 0


def test_les_utilisations_comptent_les_candidatures(accueil: Contexte):
    inscrire(accueil)
    pieces = {p.code: p for p in rp.lister(accueil)}
    assert pieces["IDENTITE"].utilisations == 1 and pieces["RESIDENCE"].utilisations == 0


# --- editing -----------------------------------------------------------------------------------

def test_le_chef_modifie_une_piece_audit_et_effet_sur_les_candidatures_suivantes(chef: Contexte,
                                                                                  accueil: Contexte):
    avant = inscrire(accueil)
    assert codes_demandes(accueil, avant)["JDC"] == regles.EN_LIGNE
    p = rp.modifier_piece(chef, "JDC", "  Attestation   JDC ", "age_16_25_francais", "courrier", ["CAP", "BCP"])
    assert (p.libelle, p.mode_depot, p.domaines) == ("Attestation JDC", "courrier", ("BCP", "CAP"))
    entree = audits(chef)[-1]
    assert (entree.action, entree.entite_id, entree.agent_login) == ("modification", "JDC", "chef")
    assert entree.apres == {"libelle": "Attestation JDC", "mode_depot": "courrier", "domaines": ["BCP", "CAP"]}
    assert entree.avant["mode_depot"] == "en ligne"
    # The candidature saved before keeps its piece as it was asked; the next one gets the new mode.
    assert codes_demandes(accueil, avant)["JDC"] == regles.EN_LIGNE
    apres = inscrire(accueil, email="autre@mail.fr")
    assert codes_demandes(accueil, apres)["JDC"] == regles.COURRIER


def test_sans_changement_pas_d_audit(chef: Contexte):
    p = piece(chef, "IDENTITE")
    rp.modifier_piece(chef, "IDENTITE", p.libelle, p.condition_cle, p.mode_depot, list(p.domaines))
    assert audits(chef) == []


def test_erreurs_par_champ_rien_n_est_ecrit(chef: Contexte):
    with pytest.raises(ValidationError) as e:
        rp.modifier_piece(chef, "IDENTITE", " ", "toujours", "fax", [])
    assert e.value.errors == {
        "libelle": "Ce champ est obligatoire.",
        "condition_cle": "Condition inconnue : choisissez-en une dans la liste (exemple : « always », toujours "
                         "exigée).",
        "mode_depot": "Choisissez le mode de dépôt : « en ligne » ou « courrier ».",
        "domaines": "Choisissez au moins un domaine.",
    }
    with pytest.raises(ValidationError) as e:
        rp.modifier_piece(chef, "IDENTITE", "Identité", "always", "en ligne", ["BCP", "BTS"])
    assert e.value.errors == {"domaines": "Domaine inconnu : BTS (attendu : BCP, CAP, BP, MC, CS)."}
    assert piece(chef, "IDENTITE").libelle == "Document justifiant l'identité"
    assert audits(chef) == []


def test_modification_concurrente_refusee(chef: Contexte):
    lue = piece(chef, "IDENTITE")
    rp.modifier_piece(chef, "IDENTITE", "Pièce d'identité", "always", "en ligne", list(TOUS))
    with pytest.raises(ConflictError, match="modifiée entre-temps sur un autre poste"):
        rp.modifier_piece(chef, "IDENTITE", "Carte d'identité", "always", "en ligne", list(TOUS), attendu=lue)
    assert piece(chef, "IDENTITE").libelle == "Pièce d'identité"
    rp.modifier_piece(chef, "IDENTITE", "Carte d'identité", "always", "en ligne", list(TOUS),
                      attendu=replace(lue, libelle="Pièce d'identité"))


def test_changer_la_condition_efface_l_explication_livree(chef: Contexte):
    rp.modifier_piece(chef, "RESIDENCE", "Justificatif de domicile", "always", "en ligne", ["BCP"])
    with chef.lecture() as s:
        assert s.get(PieceCatalogue, "RESIDENCE").condition is None


def test_ajouter_puis_supprimer_une_piece(chef: Contexte):
    p = rp.ajouter_piece(chef, " attestation_pse ", "Attestation PSE1", "individuel_bcp", "courrier", ["BCP"])
    assert (p.code, p.condition_libelle, p.utilisations) == ("ATTESTATION_PSE", "Candidat individuel au "
                                                             "baccalauréat professionnel", 0)
    with pytest.raises(ValidationError) as e:
        rp.ajouter_piece(chef, "ATTESTATION_PSE", "Autre", "always", "en ligne", ["BCP"])
    assert e.value.errors == {"code": "La pièce ATTESTATION_PSE existe déjà."}
    with pytest.raises(ValidationError) as e:
        rp.ajouter_piece(chef, "PSE 1", "Autre", "always", "en ligne", ["BCP"])
    assert "Lettres sans accents" in e.value.errors["code"]
    rp.supprimer_piece(chef, "ATTESTATION_PSE")
    assert "ATTESTATION_PSE" not in {x.code for x in rp.lister(chef)}
    assert [(a.action, a.entite_id) for a in audits(chef)] == [("creation", "ATTESTATION_PSE"),
                                                              ("suppression", "ATTESTATION_PSE")]


def test_suppression_refusee_quand_des_candidatures_l_utilisent(chef: Contexte, accueil: Contexte):
    inscrire(accueil)
    with pytest.raises(DomainError) as e:
        rp.supprimer_piece(chef, "IDENTITE")
    assert e.value.message == ("La pièce IDENTITE est déjà demandée à 1 candidature : elle ne peut pas être "
                               "supprimée. Pour ne plus la demander, modifiez sa condition ou ses domaines.")
    assert piece(chef, "IDENTITE").utilisations == 1
    assert audits(chef) == []


def test_reserve_au_chef_de_bureau(accueil: Contexte, gestionnaire: Contexte):
    for ctx in (accueil, gestionnaire):
        with pytest.raises(PermissionDenied, match="ne permet pas de modifier le référentiel"):
            rp.modifier_piece(ctx, "IDENTITE", "X", "always", "en ligne", ["BCP"])
        with pytest.raises(PermissionDenied):
            rp.ajouter_piece(ctx, "X", "X", "always", "en ligne", ["BCP"])
        with pytest.raises(PermissionDenied):
            rp.supprimer_piece(ctx, "RESIDENCE")
    assert piece(accueil, "IDENTITE").libelle == "Document justifiant l'identité"
