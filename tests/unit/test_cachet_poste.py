"""Postal returns: « le cachet de la poste faisant foi » (docs/domaine/justificatifs.md#courrier). The
postmark is recorded beside the reception date; the annulations « sans confirmation » and the relances
judge a paper confirmation by it when there is one, else by its reception date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, Justificatif
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import ValidationError
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import controle, echeances
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.referentiel import pieces as referentiel_pieces
from tests.fabriques import compte_actif, saisie_seed, session_id

LIMITE = datetime(2024, 12, 10, 16, 0, tzinfo=UTC)          # 10/12/2024 17:00 Paris: the confirmation's
APRES = datetime(2024, 12, 16, 9, 0, tzinfo=UTC)            # the batch runs the next Monday


def test_the_rule():
    assert rp.recue_a_temps(date(2024, 12, 10), None, LIMITE)
    assert not rp.recue_a_temps(date(2024, 12, 11), None, LIMITE)
    assert rp.recue_a_temps(date(2024, 12, 13), date(2024, 12, 10), LIMITE)       # the postmark decides
    assert not rp.recue_a_temps(date(2024, 12, 12), date(2024, 12, 11), LIMITE)
    assert not rp.recue_a_temps(None, date(2024, 12, 9), LIMITE)                   # not received yet
    aujourd_hui = date(2024, 12, 12)
    assert rp.verifier_cachet(date(2024, 12, 10), date(2024, 12, 12), aujourd_hui) is None
    assert rp.verifier_cachet(date(2024, 12, 13), None, aujourd_hui) == (
        "La date du cachet de la poste ne peut pas être dans le futur.")
    assert rp.verifier_cachet(date(2024, 12, 12), date(2024, 12, 11), aujourd_hui) == (
        "La date du cachet de la poste ne peut pas être postérieure à la date de réception.")
    assert rp.lire_date("09/12/2024") == date(2024, 12, 9)
    assert [rp.lire_date(t) for t in ("31/02/2024", "2024-12-09", "9/12/2024", "", "aa/bb/cccc")] == [None] * 5


@pytest.fixture
def confirmations(chef, accueil) -> dict[str, int]:
    """The confirmation asked by post (the notices of Nice), then five candidatures: their
    confirmation piece ids by name."""
    conf = next(p for p in referentiel_pieces.lister(chef) if p.code == "CONFIRMATION")
    referentiel_pieces.modifier_piece(chef, "CONFIRMATION", conf.libelle, conf.condition_cle, rp.COURRIER,
                                      conf.domaines)
    ids = {}
    for n, nom in enumerate(("absente", "cachet_a_temps", "cachet_tardif", "recue_a_temps", "recue_tard")):
        compte = compte_actif(accueil, email=f"poste{n}@exemple.fr", nom=f"Poste{'abcde'[n]}")
        cid = inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP"),
                                       saisie_seed()).candidature_id
        with accueil.lecture() as s:
            ids[nom] = s.scalar(select(Justificatif.id).where(Justificatif.candidature_id == cid,
                                                              Justificatif.piece_code == "CONFIRMATION"))
    return ids


def _vue(ctx, justificatif_id: int) -> controle.LignePiece:
    return controle.ligne(ctx, justificatif_id)


def _candidature(ctx, justificatif_id: int) -> int:
    with ctx.lecture() as s:
        return s.get(Justificatif, justificatif_id).candidature_id


def test_the_postmark_decides_the_annulation_and_the_relance(chef, gestionnaire, accueil, confirmations, clock):
    clock.instant = APRES
    aujourd_hui = date(2024, 12, 16)
    justificatifs.enregistrer_reception(accueil, confirmations["cachet_a_temps"], aujourd_hui, date(2024, 12, 10))
    justificatifs.enregistrer_reception(accueil, confirmations["cachet_tardif"], date(2024, 12, 13),
                                        date(2024, 12, 11))
    justificatifs.enregistrer_reception(accueil, confirmations["recue_a_temps"], date(2024, 12, 10))
    justificatifs.enregistrer_reception(accueil, confirmations["recue_tard"], date(2024, 12, 12))
    ligne = _vue(gestionnaire, confirmations["cachet_a_temps"])
    assert (ligne.statut, ligne.date_reception, ligne.date_cachet) == (rp.RECUE, aujourd_hui, date(2024, 12, 10))
    piece = next(p for g in justificatifs.mes_justificatifs(accueil, _candidature(accueil,
                 confirmations["cachet_a_temps"])) for p in g.pieces if p.code == "CONFIRMATION")
    assert piece.date_cachet == date(2024, 12, 10)

    en_retard = {_candidature(chef, confirmations[n]) for n in ("absente", "cachet_tardif", "recue_tard")}
    lignes = echeances.sans_confirmation(chef, session_id(chef))
    assert {x.candidature_id for x in lignes} == en_retard
    assert echeances.annuler_sans_confirmation(chef, [x.candidature_id for x in lignes],
                                               row_versions={x.candidature_id: x.row_version for x in lignes}) == 3


def test_relances_judge_a_received_confirmation_by_its_postmark(gestionnaire, accueil, confirmations, clock):
    clock.instant = APRES
    justificatifs.enregistrer_reception(accueil, confirmations["cachet_a_temps"], date(2024, 12, 16),
                                        date(2024, 12, 10))
    justificatifs.enregistrer_reception(accueil, confirmations["cachet_tardif"], date(2024, 12, 13),
                                        date(2024, 12, 11))
    lignes = {x.candidature_id: x.piece_code for x in echeances.dossiers_incomplets(gestionnaire, session_id(accueil))}
    assert "CONFIRMATION" in lignes[_candidature(accueil, confirmations["cachet_tardif"])].split(", ")
    assert "CONFIRMATION" not in lignes.get(_candidature(accueil, confirmations["cachet_a_temps"]), "").split(", ")
    assert "CONFIRMATION" in lignes[_candidature(accueil, confirmations["absente"])].split(", ")


@pytest.mark.parametrize(("reception", "cachet", "message"), [
    (date(2024, 11, 9), date(2024, 11, 11), "La date du cachet de la poste ne peut pas être dans le futur."),
    (date(2024, 11, 8), date(2024, 11, 9),
     "La date du cachet de la poste ne peut pas être postérieure à la date de réception."),
])
def test_a_bad_postmark_is_refused_next_to_its_field_and_nothing_is_written(accueil, confirmations, reception,
                                                                            cachet, message):
    jid = confirmations["absente"]
    with accueil.lecture() as s:
        avant = (s.get(Justificatif, jid).row_version, s.scalar(select(func.count()).select_from(AuditEntry)))
    with pytest.raises(ValidationError) as exc:
        justificatifs.enregistrer_reception(accueil, jid, reception, cachet)
    assert exc.value.errors == {"date_cachet": message}
    with accueil.lecture() as s:
        j = s.get(Justificatif, jid)
        assert (j.statut, j.date_reception, j.date_cachet) == (rp.EN_ATTENTE_CONTROLE, None, None)
        assert (j.row_version, s.scalar(select(func.count()).select_from(AuditEntry))) == avant


def test_the_grid_keeps_the_postmark_of_the_same_envelope(gestionnaire, accueil, confirmations):
    jid = confirmations["absente"]
    justificatifs.enregistrer_reception(accueil, jid, date(2024, 11, 8), date(2024, 11, 6))
    justificatifs.changer_statut(gestionnaire, [jid], rp.RECUE, date_reception=date(2024, 11, 8))
    assert _vue(gestionnaire, jid).date_cachet == date(2024, 11, 6)          # same reception: kept
    justificatifs.changer_statut(gestionnaire, [jid], rp.CONFORME)
    assert _vue(gestionnaire, jid).date_cachet == date(2024, 11, 6)
    justificatifs.changer_statut(gestionnaire, [jid], rp.RECUE, date_reception=date(2024, 11, 9))
    assert _vue(gestionnaire, jid).date_cachet is None                       # another envelope
    with pytest.raises(ValidationError) as exc:
        justificatifs.changer_statut(gestionnaire, [jid], rp.CONFORME, date_cachet=date(2024, 11, 6))
    assert exc.value.errors == {"date_cachet": "Le cachet de la poste ne s'enregistre qu'avec une réception."}
    with gestionnaire.lecture() as s:
        apres = s.scalars(select(AuditEntry.apres).where(AuditEntry.action == "statut_piece")
                          .order_by(AuditEntry.id)).all()
    assert apres[0]["date_cachet"] == "2024-11-06" and apres[-1]["date_cachet"] is None
