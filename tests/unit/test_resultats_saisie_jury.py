"""A jury's grades for the candidate-by-candidate entry grid (services/resultats/saisie_jury.py): its
candidates by name with their units, the first grades hidden for a blind second entry, the discrepancies."""

from __future__ import annotations

import pytest

from cyclades_desktop.rules.errors import PermissionDenied
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services import resultats as res
from tests.fabriques_resultats import AERO, candidature
from tests.unit.test_resultats_deliberation import _jury


def test_notes_du_jury_a_l_aveugle_et_ecarts(chef, gestionnaire, creer_agent, accueil):
    gestion2 = creer_agent("gestion2", Role.GESTIONNAIRE, ["MECANIQUE-AERONAUTIQUE"])
    b = candidature(chef, 1, nom="Jurb")
    a = candidature(chef, 2, nom="Jura")
    jury = _jury(chef, "BCP", [AERO], "Jury de saisie")
    res.enregistrer_notes_candidature(gestionnaire, a, [res.SaisieNote("U11", "12"), res.SaisieNote("U12", "8")])
    vue = res.notes_jury(gestionnaire, jury.id)
    assert [c.candidature_id for c in vue.candidats] == [a, b]                 # by name
    assert {x.cle: x.note for x in vue.candidats[0].lignes}["E1-A"] == "12,00"
    aveugle = res.notes_jury(gestion2, jury.id, seconde=True)
    assert all(x.note == "" for c in aveugle.candidats for x in c.lignes)
    lignes = {x.cle: x for x in aveugle.candidats[0].lignes}
    res.enregistrer_notes_candidature(gestion2, a, [res.SaisieNote("E1-A", "12", lignes["E1-A"].row_version),
                                                    res.SaisieNote("E1-B", "9", lignes["E1-B"].row_version)],
                                      seconde=True)
    assert [e.phrase for e in res.notes_jury(gestion2, jury.id, seconde=True).ecarts] == [
        f"{vue.candidats[0].candidat}, U12 : première saisie 8,00 (gestion), seconde saisie 9,00 (gestion2)."]
    with pytest.raises(PermissionDenied):
        res.notes_jury(accueil, jury.id)
