"""A gestionnaire changes the status of a pièce only inside their portfolio (the filières they handle,
as the reviewers' grid filters them); the chef de bureau changes any. Refused in French, before anything
is written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, Justificatif
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import PermissionDenied
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from tests.fabriques import compte_actif, saisie_seed, session_id

HORS_PORTEFEUILLE = ("La spécialité « Aéronautique option Systèmes » (filière « aéronautique ») n'est pas dans "
                     "votre portefeuille : seuls les gestionnaires de cette filière et le chef de bureau peuvent "
                     "changer le statut de ses pièces. Rien n'a été modifié.")


def _pdf() -> bytes:
    tampon = io.BytesIO()
    c = canvas.Canvas(tampon)
    c.drawString(100, 700, "pièce")
    c.showPage()
    c.save()
    return tampon.getvalue()


@pytest.fixture
def autre(creer_agent) -> Contexte:
    """A gestionnaire of the commerce filière: the Aéronautique candidatures are not theirs."""
    return creer_agent("commerce", Role.GESTIONNAIRE, ["ACCUEIL-COMMERCE-VENTE"])


def _inscrire(accueil: Contexte) -> dict[str, int]:
    """One BCP Aéronautique candidature (filière aéronautique): its id and its pieces' ids by code."""
    compte = compte_actif(accueil)
    cid = inscriptions.enregistrer(accueil, inscriptions.demarrer(accueil, compte, session_id(accueil), "BCP"),
                                   saisie_seed()).candidature_id
    with accueil.lecture() as s:
        pieces = {j.piece_code: j.id for j in s.scalars(select(Justificatif).where(
            Justificatif.candidature_id == cid))}
    return {"candidature": cid, **pieces}


@pytest.fixture
def dossier(accueil: Contexte) -> dict[str, int]:
    return _inscrire(accueil)


def _etat(ctx: Contexte, candidature_id: int) -> tuple[tuple[str, str, object, object, int], ...]:
    with ctx.lecture() as s:
        pieces = tuple((j.piece_code, j.statut, j.date_reception, j.valide_le, j.row_version)
                       for j in s.scalars(select(Justificatif).where(Justificatif.candidature_id == candidature_id)
                                          .order_by(Justificatif.id)))
        return (*pieces, ("audit", "", None, None, s.scalar(select(func.count()).select_from(AuditEntry))))


def test_outside_their_portfolio_a_gestionnaire_changes_no_status(autre, accueil, dossier, monkeypatch):
    avant = _etat(autre, dossier["candidature"])
    with pytest.raises(PermissionDenied) as exc:
        justificatifs.changer_statut(autre, [dossier["IDENTITE"]], rp.CONFORME)
    assert exc.value.message == HORS_PORTEFEUILLE
    with pytest.raises(PermissionDenied, match="n'est pas dans votre portefeuille"):
        justificatifs.changer_statut(autre, [dossier["IDENTITE"], dossier["CONFIRMATION"]], rp.NON_CONFORME,
                                     commentaire="Document illisible")
    assert _etat(autre, dossier["candidature"]) == avant
    # Deposit as the counter would, then the other filière's gestionnaire tries to validate the group.
    groupe = next(g for g in justificatifs.mes_justificatifs(accueil, dossier["candidature"])
                  if g.mode == rp.EN_LIGNE)
    for p in groupe.pieces:
        justificatifs.deposer(accueil, p.id, f"{p.code}.pdf", _pdf())
    avant = _etat(autre, dossier["candidature"])
    with pytest.raises(PermissionDenied, match="n'est pas dans votre portefeuille"):
        justificatifs.valider_groupe(autre, dossier["candidature"], groupe.cle)
    assert _etat(autre, dossier["candidature"]) == avant
    # Their own grid filtered on their portfolio does not show the piece either.
    assert controle.grille(autre, controle.FiltrePieces(mon_portefeuille=True)) == []


def test_a_postal_reception_outside_the_portfolio_is_refused(autre, chef, accueil):
    """The confirmation asked by post: the other gestionnaire may not record its reception."""
    from cyclades_desktop.services.referentiel import pieces as referentiel_pieces

    conf = next(p for p in referentiel_pieces.lister(chef) if p.code == "CONFIRMATION")
    referentiel_pieces.modifier_piece(chef, "CONFIRMATION", conf.libelle, conf.condition_cle, rp.COURRIER,
                                      conf.domaines)
    dossier = _inscrire(accueil)
    avant = _etat(autre, dossier["candidature"])
    with pytest.raises(PermissionDenied, match="n'est pas dans votre portefeuille"):
        justificatifs.enregistrer_reception(autre, dossier["CONFIRMATION"], date(2024, 11, 9), date(2024, 11, 8))
    assert _etat(autre, dossier["candidature"]) == avant
    justificatifs.enregistrer_reception(chef, dossier["CONFIRMATION"], date(2024, 11, 9), date(2024, 11, 8))
    assert controle.ligne(chef, dossier["CONFIRMATION"]).date_cachet == date(2024, 11, 8)


def test_inside_the_portfolio_and_for_the_chef_it_goes_through(gestionnaire, chef, accueil, dossier):
    assert justificatifs.changer_statut(gestionnaire, [dossier["IDENTITE"]], rp.CONFORME) == 1
    assert justificatifs.changer_statut(chef, [dossier["IDENTITE"]], rp.NON_CONFORME,
                                        commentaire="Document illisible") == 1
    # The counter has no portfolio: its permissions alone decide (a group validated for a candidate).
    groupe = next(g for g in justificatifs.mes_justificatifs(accueil, dossier["candidature"])
                  if g.mode == rp.EN_LIGNE)
    for p in groupe.pieces:
        justificatifs.deposer(accueil, p.id, f"{p.code}.pdf", _pdf())
    assert justificatifs.valider_groupe(accueil, dossier["candidature"], groupe.cle) >= 1
    assert controle.ligne(gestionnaire, dossier["IDENTITE"]).statut == rp.EN_ATTENTE_CONTROLE
