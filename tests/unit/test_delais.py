"""Deadlines as the notices mean them: « au plus tard le … 23:59 (heure de Paris) » covers that whole
minute (rules/temps.py: dans_le_delai). Checked on both sides of both clock changes (Europe/Paris:
last Sunday of March and of October), through the pure rules and through the services on the
injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.rules.inscriptions import periode_ouverte
from cyclades_desktop.rules.temps import (
    FixedClock,
    dans_le_delai,
    depuis_paris,
    fin_du_delai,
    jour_dans_le_delai,
    limites_depassees_avant,
    paris,
)
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import echeances
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.referentiel import edition
from tests.fabriques import compte_actif, saisie_seed, session_id

# 23:59 Paris on the eve of each clock change and on the day itself: 2025-03-30 (UTC+1 → UTC+2 at
# 02:00) and 2025-10-26 (UTC+2 → UTC+1 at 03:00).
LIMITES = {
    "samedi 29 mars": (datetime(2025, 3, 29, 23, 59), datetime(2025, 3, 29, 22, 59, tzinfo=UTC)),
    "dimanche 30 mars": (datetime(2025, 3, 30, 23, 59), datetime(2025, 3, 30, 21, 59, tzinfo=UTC)),
    "samedi 25 octobre": (datetime(2025, 10, 25, 23, 59), datetime(2025, 10, 25, 21, 59, tzinfo=UTC)),
    "dimanche 26 octobre": (datetime(2025, 10, 26, 23, 59), datetime(2025, 10, 26, 22, 59, tzinfo=UTC)),
}


def _cote(limite: datetime) -> tuple[datetime, datetime]:
    """23:59:30 on the last day and 00:00:00 the next day, in Paris wall-clock time, as UTC."""
    jour = paris(limite).date()
    return (depuis_paris(datetime(jour.year, jour.month, jour.day, 23, 59, 30)),
            depuis_paris(datetime(jour.year, jour.month, jour.day) + timedelta(days=1)))


@pytest.mark.parametrize("nom", sorted(LIMITES))
def test_the_last_minute_is_in_time_the_next_day_is_late(nom: str):
    murale, utc = LIMITES[nom]
    limite = depuis_paris(murale)
    assert limite == utc                                  # the Paris offset of that very day
    a_temps, en_retard = _cote(limite)
    assert a_temps == utc + timedelta(seconds=30) and en_retard == utc + timedelta(minutes=1)
    assert dans_le_delai(limite, limite) and dans_le_delai(a_temps, limite)
    assert dans_le_delai(en_retard - timedelta(microseconds=1), limite)
    assert not dans_le_delai(en_retard, limite)
    assert fin_du_delai(limite) == en_retard
    # The SQL bound says the same thing on both sides.
    assert not limite < limites_depassees_avant(a_temps) and limite < limites_depassees_avant(en_retard)
    # A day without a time (postmark, reception): the deadline's Paris day, not its UTC one.
    assert jour_dans_le_delai(murale.date(), limite)
    assert not jour_dans_le_delai(murale.date() + timedelta(days=1), limite)


@pytest.mark.parametrize("nom", sorted(LIMITES))
def test_deposits_and_validations_use_the_same_rule(nom: str):
    limite = depuis_paris(LIMITES[nom][0])
    a_temps, en_retard = _cote(limite)
    horloge = FixedClock(a_temps)
    assert rp.refus_depot(rp.EN_LIGNE, rp.AUCUN, None, limite, horloge.now(), True) is None
    piece = [rp.PieceDeposee("IDENTITE", rp.AUCUN, None, True)]
    assert rp.refus_validation(rp.EN_LIGNE, limite, piece, horloge.now(), True) is None
    horloge.advance(seconds=30)
    assert horloge.now() == en_retard
    assert "date limite de dépôt est passée" in (rp.refus_depot(rp.EN_LIGNE, rp.AUCUN, None, limite,
                                                                horloge.now(), True) or "")
    assert "date limite de dépôt est passée" in (rp.refus_validation(rp.EN_LIGNE, limite, piece, horloge.now(),
                                                                     True) or "")


@pytest.mark.parametrize("nom", sorted(LIMITES))
def test_a_period_closing_at_23_59_is_open_through_that_minute(nom: str):
    cloture = depuis_paris(LIMITES[nom][0])
    ouverture = cloture - timedelta(days=20)
    a_temps, en_retard = _cote(cloture)
    assert not periode_ouverte(ouverture, cloture, ouverture - timedelta(seconds=1))
    assert periode_ouverte(ouverture, cloture, ouverture)
    assert periode_ouverte(ouverture, cloture, a_temps)
    assert not periode_ouverte(ouverture, cloture, en_retard)


# --- through the services, on the injected clock ----------------------------------------------------

def _echeance_confirmation(chef, murale: datetime) -> None:
    edition.enregistrer_echeance(chef, session_id(chef), "BCP", "CONFIRMATION",
                                 "Retour de la confirmation d'inscription signée", murale, "en ligne", "annulee")


def _candidature(ctx, n: int) -> int:
    compte = compte_actif(ctx, email=f"delai{n}@exemple.fr", nom=f"Delai{'abcdefgh'[n]}")
    return inscriptions.enregistrer(ctx, inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP"),
                                    saisie_seed()).candidature_id


@pytest.mark.parametrize("nom", sorted(LIMITES))
def test_a_deposit_at_23_59_30_is_in_time_at_midnight_it_is_late(chef, accueil, clock, nom: str):
    murale, _ = LIMITES[nom]
    _echeance_confirmation(chef, murale)
    ids = [_candidature(accueil, n) for n in range(2)]
    groupes = [next(g for g in justificatifs.mes_justificatifs(accueil, cid)
                    if "CONFIRMATION" in {p.code for p in g.pieces}) for cid in ids]
    assert all(paris(g.echeance).replace(tzinfo=None) == murale for g in groupes)
    a_temps, en_retard = _cote(groupes[0].echeance)
    sid = session_id(chef)

    clock.instant = a_temps
    for p in groupes[0].pieces:
        justificatifs.deposer(accueil, p.id, f"{p.code}.pdf", _pdf())
    assert justificatifs.valider_groupe(accueil, ids[0], groupes[0].cle) == len(groupes[0].pieces)
    assert echeances.sans_confirmation(chef, sid) == []      # nobody is late yet

    clock.instant = en_retard
    with pytest.raises(DomainError, match="date limite de dépôt est passée"):
        justificatifs.deposer(accueil, groupes[1].pieces[0].id, "tardif.pdf", _pdf())
    assert [x.candidature_id for x in echeances.sans_confirmation(chef, sid)] == [ids[1]]


def test_registration_closing_at_23_59_on_a_clock_change(chef, accueil, clock):
    """The BCP 2025 period moved to close on Sunday 26 October 2025 23:59: an agent still registers
    at 23:59:30, not at midnight (only a gestionnaire could then, with a reason)."""
    sid = session_id(chef)
    edition.enregistrer_periode(chef, sid, "BCP", datetime(2025, 10, 1, 8, 0), datetime(2025, 10, 26, 23, 59))
    a_temps, en_retard = _cote(depuis_paris(datetime(2025, 10, 26, 23, 59)))
    compte = compte_actif(accueil)
    clock.instant = a_temps
    assert next(o for o in inscriptions.offres(accueil) if o.session_id == sid and o.domaine_code == "BCP").ouverte
    assert not inscriptions.hors_periode(accueil, sid, "BCP")
    inscriptions.demarrer(accueil, compte, sid, "BCP")
    clock.instant = en_retard
    assert inscriptions.hors_periode(accueil, sid, "BCP")
    with pytest.raises(PermissionDenied, match="closes depuis le 26/10/2025 23:59"):
        inscriptions.demarrer(accueil, compte, sid, "BCP")


def test_one_week_after_closing_keeps_23_59_across_the_october_change(chef, accueil, clock):
    """Without a confirmation deadline, a piece is due a week after the closing (JUS-13), at the same
    Paris time: closing Friday 24/10/2025 23:59 (UTC+2), due Friday 31/10/2025 23:59 (UTC+1)."""
    sid = session_id(chef)
    vue = next(v for v in edition.lister_sessions(chef) if v.id == sid)
    for e in vue.echeances:
        if e.domaine_code == "BCP" and e.code == "CONFIRMATION":
            edition.supprimer_echeance(chef, e.id)
    edition.enregistrer_periode(chef, sid, "BCP", datetime(2025, 10, 1, 8, 0), datetime(2025, 10, 24, 23, 59))
    clock.instant = datetime(2025, 10, 10, 9, 0, tzinfo=UTC)
    cid = _candidature(accueil, 0)
    identite = next(p for g in justificatifs.mes_justificatifs(accueil, cid) for p in g.pieces if p.code == "IDENTITE")
    groupe = next(g for g in justificatifs.mes_justificatifs(accueil, cid) if identite in g.pieces)
    assert groupe.echeance == datetime(2025, 10, 31, 22, 59, tzinfo=UTC)
    assert paris(groupe.echeance).strftime("%d/%m/%Y %H:%M") == "31/10/2025 23:59"
    assert paris(groupe.echeance).date() == date(2025, 10, 31)


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    tampon = io.BytesIO()
    c = canvas.Canvas(tampon)
    c.drawString(100, 700, "pièce")
    c.showPage()
    c.save()
    return tampon.getvalue()
