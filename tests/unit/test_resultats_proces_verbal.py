"""The procès-verbal's data built from the stored results (services/resultats/proces_verbal.py): the ranking
by average, refused before the decisions, then the PV rendered with the jury, its points and its totals."""

from __future__ import annotations

import pytest

from cyclades_desktop.documents.pv_deliberation import rendre_pv
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.services import resultats as res
from tests.fabriques_resultats import AERO, candidature
from tests.unit.test_documents_resultats import aplati, texte
from tests.unit.test_resultats_deliberation import _jury, _noter


def test_classement_puis_pv_depuis_les_resultats_enregistres(chef, gestionnaire, accueil):
    ids = {nom: candidature(chef, i, nom=f"Pv{nom}") for i, nom in enumerate("ABC")}
    jury = _jury(chef, "BCP", [AERO], "Jury PV")
    _noter(gestionnaire, ids["A"], AERO, "10", "5")
    _noter(gestionnaire, ids["B"], AERO, "14", "16")
    _noter(gestionnaire, ids["C"], AERO, "12", "12")
    vue = res.deliberer_jury(gestionnaire, jury.id)
    classement = res.classement_deliberation(gestionnaire, vue.id)
    assert [(r.nom, r.moyenne) for r in classement] == [("PVB", "15,00"), ("PVC", "12,00"), ("PVA", "7,50")]
    with pytest.raises(PermissionDenied):
        res.classement_deliberation(accueil, vue.id)
    with pytest.raises(DomainError, match="une fois les décisions du jury enregistrées"):
        res.donnees_pv(gestionnaire, vue.id)

    c = classement[1]
    res.attribuer_points_jury(gestionnaire, c.id, "0,5", "Progrès constatés", c.row_version)
    vue = res.deliberation_du_jury(chef, jury.id)
    vue = res.enregistrer_decisions(gestionnaire, vue.id, vue.row_version)
    d = res.donnees_pv(gestionnaire, vue.id)
    assert (d.jury, d.groupe, d.session, d.president.nom) == (
        "Jury PV", "Premier groupe", "2025", "Claire PRÉSIDENT JURY PV")
    assert [x.nom for x in d.lignes] == ["PVA", "PVB", "PVC"]              # by N° candidat
    assert [(x.decision, x.points_jury, x.mention) for x in d.lignes] == [
        ("Ajourné", "", ""), ("Admis", "", "Bien"), ("Admis", "0,50", "Assez bien")]
    assert (d.totaux.presents, d.totaux.admis, d.totaux.ajournes, d.totaux.taux_reussite) == (3, 2, 1, "66,67 %")
    pdf = aplati(texte(rendre_pv(d)))
    assert "Jury PV" in pdf and "PVB" in pdf and "66,67 %" in pdf
