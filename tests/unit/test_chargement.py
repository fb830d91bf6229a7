from __future__ import annotations

from sqlalchemy import func, select

from cyclades_desktop.models import Commune, Epreuve, Specialite
from cyclades_desktop.rules.temps import format_date_heure
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import chargement
from cyclades_desktop.services.referentiel import lecture as referentiel


def test_referentiel_charge_au_premier_demarrage(ctx_anonyme: Contexte):
    ctx = ctx_anonyme
    assert [d.code for d in referentiel.domaines(ctx)] == ["BCP", "CAP", "BP", "MC", "CS"]
    sessions = {s.libelle: s for s in referentiel.sessions(ctx)}
    assert set(sessions) == {"2024", "2025"}
    periodes = {p.domaine_code: p for p in sessions["2025"].periodes}
    # Notice Nice 2025 §1 (docs/domaine/referentiel.md#periodes): BCP du lundi 4 novembre 2024 à 15 h
    # au mardi 3 décembre 2024, 17 heures (heure locale)
    assert format_date_heure(periodes["BCP"].ouverture) == "04/11/2024 15:00"
    assert format_date_heure(periodes["BCP"].cloture) == "03/12/2024 17:00"
    assert format_date_heure(periodes["CAP"].ouverture) == "08/10/2024 15:00"
    assert "MC" not in periodes  # MC became CS in 2025
    echeances = {(e.domaine_code, e.code): e for e in sessions["2025"].echeances}
    assert format_date_heure(echeances[("BCP", "R408")].date_limite) == "14/03/2025 23:59"
    assert echeances[("BCP", "R408")].consequence == "ecartee"
    assert format_date_heure(echeances[("CAP", "CONFIRMATION")].date_limite) == "15/11/2024 17:00"
    with ctx.lecture() as s:
        assert s.scalar(select(func.count()).select_from(Specialite)) == 17
        aero = s.scalar(select(Epreuve).where(Epreuve.specialite_id == "BCP-25303", Epreuve.code == "E1-A"))
        assert (aero.unite, aero.parent.code) == ("U11", "E1")
        assert s.scalar(select(func.count()).select_from(Commune)) > 37000
    pays = referentiel.pays(ctx)
    assert pays[0].nom == "France (dont outre-mer)" and pays[0].nationalite == "Français"
    assert len(pays) == 249
    assert any(e.nom == "INDIVIDUELS 013" for e in referentiel.rechercher_etablissements(ctx, "individuels 013"))
    assert [e.uai for e in referentiel.rechercher_etablissements(ctx, "9730538X")] == ["9730538X"]
    assert referentiel.bureau(ctx).academie == "Académie d'Aix-Marseille"
    assert chargement.charger_si_vide(ctx) is False  # loaded once only


def test_communes_recherchees_dans_le_departement_anciennes_comprises(ctx_anonyme: Contexte):
    assert [c.nom for c in referentiel.rechercher_communes(ctx_anonyme, "11", "buga")] == ["Bugarach"]
    libelles = [c.libelle for c in referentiel.rechercher_communes(ctx_anonyme, "74", "annecy-le")]
    assert libelles == ["Annecy-le-Vieux (ancienne commune, aujourd'hui Annecy)"]
    assert referentiel.rechercher_communes(ctx_anonyme, "13", "bugarach") == []
    deps = [referentiel.libelle_departement(d) for d in referentiel.departements(ctx_anonyme)]
    assert "011 - AUDE" in deps and "971 - GUADELOUPE" in deps and "02A - CORSE-DU-SUD" in deps
