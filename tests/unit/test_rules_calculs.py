"""Pure computations moved from the services to rules/: called directly, with plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cyclades_desktop.rules.courriels import DELAI_ENSUITE, delai_apres
from cyclades_desktop.rules.errors import DomainError, ValidationError
from cyclades_desktop.rules.organisation import (
    departement_candidat,
    duree_minutes,
    format_duree,
    majoration_minutes,
)
from cyclades_desktop.rules.pieces import EN_LIGNE, NON_CONFORME, PieceDeposee, refus_validation
from cyclades_desktop.rules.referentiel import departements_saisis, normaliser_telephone, semaine_apres
from cyclades_desktop.rules.rgpd import Conservation, valider_conservation
from cyclades_desktop.rules.sauvegardes import ParametresSauvegarde, a_conserver, verifier_parametres


def test_organisation():
    assert majoration_minutes(120, 33) == 40 and majoration_minutes(90, 50) == 45
    assert [duree_minutes(t) for t in ("90", "1:30", "2h", "1h75", "x")] == [90, 90, 120, None, None]
    assert [format_duree(m) for m in (90, 120, 45)] == ["1 h 30", "2 h", "45 min"]
    assert [departement_candidat(cp, None, "FR") for cp in ("13100", "20090", "20200", "97300")] == \
        ["13", "2A", "2B", "973"]
    assert departement_candidat("13100", "04070", None) == "04" and departement_candidat("1000", None, "BE") is None


def test_referentiel():
    assert departements_saisis("4, 05 13;84 13") == ["04", "05", "13", "84"]
    assert normaliser_telephone("+33 4.42.91.72.87") == "04 42 91 72 87" and normaliser_telephone("12") is None
    # 30 March 2025 is the change to summer time: the same Paris wall clock, one hour less in UTC.
    assert semaine_apres(datetime(2025, 3, 25, 16, 0, tzinfo=UTC)) == datetime(2025, 4, 1, 15, 0, tzinfo=UTC)


def test_delais_de_renvoi_des_courriels():
    assert delai_apres(1) == timedelta(minutes=1) and delai_apres(5) == timedelta(hours=4)
    assert delai_apres(6) == DELAI_ENSUITE


def test_validation_d_un_groupe_de_pieces():
    echeance = datetime(2025, 1, 10, 22, 59, tzinfo=UTC)
    avant, apres = echeance - timedelta(days=1), echeance + timedelta(days=1)
    sans_fichier = PieceDeposee("IDENTITE", "", None, False)
    deposee = PieceDeposee("IDENTITE", "", None, True)
    assert "Ajoutez d'abord un fichier pour : IDENTITE." in str(
        refus_validation(EN_LIGNE, echeance, [sans_fichier], avant, True))
    assert refus_validation(EN_LIGNE, echeance, [deposee], avant, True) is None
    assert refus_validation(EN_LIGNE, echeance, [deposee], apres, True).startswith("La date limite")  # type: ignore[union-attr]
    assert refus_validation(EN_LIGNE, echeance, [PieceDeposee("IDENTITE", NON_CONFORME, None, True)], apres,
                            True) is None


def test_conservation_et_sauvegardes():
    assert valider_conservation("72", " 6 ") == Conservation(72, 6)
    with pytest.raises(ValidationError) as e:
        valider_conservation("24", "x")
    assert set(e.value.errors) == {"heures_comptes_non_actives", "annees_apres_session"}
    with pytest.raises(DomainError):
        verifier_parametres(ParametresSauvegarde(heure="24:00"))

    @dataclass(frozen=True)
    class S:
        chemin: Path
        cree_le: datetime

    jours = [S(Path(f"j{i}"), datetime(2024, 11, 20, 11, tzinfo=UTC) - timedelta(days=i)) for i in range(30)]
    gardees = a_conserver(jours, 3, 2)
    assert {Path("j0"), Path("j1"), Path("j2")} <= gardees and len(gardees) == 5
