"""Exam organisation through the services on a real database: centres and rooms, the timetable and
its validation, the automatic assignment (département preference, capacity over time, manual
seats kept), manual moves and clashes across a person's candidatures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from cyclades_desktop.models import Affectation, AuditEntry, Creneau
from cyclades_desktop.rules.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.organisation import affectation as aff
from cyclades_desktop.services.organisation import centres as org
from cyclades_desktop.services.organisation import conflits_horaires, placements, planning
from cyclades_desktop.services.referentiel import edition
from tests.fabriques import compte_actif, saisie_individuel, session_id

CHANZY, LEGERE = "0080006N", "0250001R"     # LYC CHANZY (08), LP FERNAND LEGERE (25)


def candidat(ctx: Contexte, n: int, *, specialite: str = "BCP-25303", compte: int | None = None,
             code_postal: str = "13001", localite: str = "Marseille") -> tuple[int, int]:
    """(compte, candidature) of an individual candidate (every unit ponctual)."""
    if compte is None:
        compte = compte_actif(ctx, email=f"cand{n}@exemple.fr", nom=f"Candidat{chr(65 + n)}", prenoms="Test")
    d = inscriptions.demarrer(ctx, compte, session_id(ctx), "BCP")
    r = inscriptions.enregistrer(ctx, d, saisie_individuel(specialite_id=specialite, code_postal=code_postal,
                                                            localite=localite))
    return compte, r.candidature_id


def creneau(chef: Contexte, code: str = "E2", date: str = "16/06/2025", heure: str = "08:00",
            duree: str = "4:00", specialite: str = "BCP-25303", type_: str = "ecrit") -> int:
    saisie = planning.SaisieCreneau(session_id(chef), specialite, code, date, heure, duree, type_)
    return planning.enregistrer_creneau(chef, saisie)


def seats(ctx: Contexte, creneau_id: int) -> dict[int, str]:
    """candidature → room name for one créneau."""
    return {x.candidature_id: x.salle for x in placements.lister_affectations(
        ctx, placements.FiltreAffectations(session_id(ctx), creneau_id=creneau_id))}


@pytest.fixture
def centres(chef: Contexte) -> dict[str, int]:
    """Chanzy (08) also serves the Bouches-du-Rhône with a 2-seat room; Legere (25) has 10 seats."""
    a = org.creer_centre(chef, CHANZY, "13, 08")
    b = org.creer_centre(chef, LEGERE)
    return {"petite": org.ajouter_salle(chef, a, "Salle 1", "2"), "grande": org.ajouter_salle(chef, b, "Salle B", 10)}


def test_assignment_prefers_the_departement_and_spills_when_a_room_is_full(chef, accueil, centres):
    vaucluse = org.ajouter_salle(chef, org.creer_centre(chef, "INDIV084"), "Salle V", 5)   # located in the 84
    marseillais = [candidat(accueil, i)[1] for i in range(3)]
    _c, avignon = candidat(accueil, 3, code_postal="84000", localite="Avignon")
    e2 = creneau(chef)
    rapport = aff.affecter_automatiquement(chef, session_id(chef))
    assert rapport.creees == 4 and not rapport.sans_place
    places = seats(chef, e2)
    # Chanzy serves the 13: the first two Marseille candidates there; the third spills elsewhere.
    assert [places[c] for c in marseillais[:2]] == ["Salle 1", "Salle 1"]
    assert places[marseillais[2]] in {"Salle B", "Salle V"}
    assert places[avignon] == "Salle V"                      # the centre located in its département
    occ = {(x.salle, x.epreuve.split()[1]): x.texte for x in placements.occupation(chef, session_id(chef))}
    assert occ[("Salle 1", "E2")] == "2 / 2 places"
    with chef.lecture() as s:
        assert all(a.modifie_le == chef.clock.now() for a in s.scalars(select(Affectation)))
        entree = s.scalar(select(AuditEntry).where(AuditEntry.action == "affectation_automatique"))
        assert entree.apres["creees"] == 4
    assert vaucluse


def test_capacity_counts_overlapping_creneaux_of_other_specialites(chef, accueil):
    centre = org.creer_centre(chef, CHANZY, "13")
    org.ajouter_salle(chef, centre, "Salle 1", 2)
    a = [candidat(accueil, i)[1] for i in range(2)]
    _c, b = candidat(accueil, 2, specialite="BCP-31213")
    creneau(chef)                                                     # 08:00–12:00
    e2_commerce = creneau(chef, heure="11:00", duree="60", specialite="BCP-31213")   # overlaps at 11:00
    rapport = aff.affecter_automatiquement(chef, session_id(chef))
    assert [x.candidature_id for x in rapport.sans_place] == [b]
    assert "1 candidat sans place : CANDIDATC Test" in rapport.texte
    assert seats(chef, e2_commerce) == {b: ""}
    assert a  # both Aéronautique candidates got the two seats


def test_manual_moves_survive_a_rerun_and_over_capacity_is_refused(chef, accueil, centres):
    cands = [candidat(accueil, i)[1] for i in range(3)]
    e2 = creneau(chef)
    aff.affecter_automatiquement(chef, session_id(chef))
    assert seats(chef, e2)[cands[2]] == "Salle B"
    with pytest.raises(DomainError, match="Capacité dépassée : la salle « Salle 1 » .* compte 2 places et en a 0"):
        placements.deplacer(chef, [(cands[2], e2)], centres["petite"])
    assert seats(chef, e2)[cands[2]] == "Salle B"                 # nothing changed
    # Move one of the first two out by hand: the third may now come in.
    placements.deplacer(chef, [(cands[0], e2)], centres["grande"])
    placements.deplacer(chef, [(cands[2], e2)], centres["petite"])
    rapport = aff.affecter_automatiquement(chef, session_id(chef), recommencer=True)
    assert rapport.manuelles == 2
    assert seats(chef, e2) == {cands[0]: "Salle B", cands[1]: "Salle 1", cands[2]: "Salle 1"}


def test_a_candidature_that_no_longer_needs_the_creneau_loses_its_seat(chef, accueil, gestionnaire, centres):
    _c, cand = candidat(accueil, 0)
    creneau(chef)
    aff.affecter_automatiquement(chef, session_id(chef))
    with chef.lecture() as s:
        from cyclades_desktop.models import Candidature
        rv = s.get(Candidature, cand).row_version
    inscriptions.desinscrire(gestionnaire, cand, row_version=rv, motif="Demande écrite du candidat")
    rapport = aff.affecter_automatiquement(chef, session_id(chef))
    assert rapport.supprimees == 1
    with chef.lecture() as s:
        assert s.scalar(select(Affectation.id)) is None


def test_clash_across_two_candidatures_of_the_same_person(chef, accueil, centres):
    compte, aero = candidat(accueil, 0)
    _c, commerce = candidat(accueil, 0, specialite="BCP-31213", compte=compte)
    _c, seul = candidat(accueil, 1)
    creneau(chef)                                                             # 08:00–12:00
    creneau(chef, heure="10:30", duree="90", specialite="BCP-31213")          # overlaps
    creneau(chef, code="E5-A", heure="14:00", duree="3:00")                   # no clash
    aff.affecter_automatiquement(chef, session_id(chef))
    trouves = conflits_horaires.conflits(chef, session_id(chef))
    assert len(trouves) == 1
    k = trouves[0]
    assert (k.compte_id, k.nom) == (compte, "CANDIDATA Test")
    assert {k.a.candidature_id, k.b.candidature_id} == {aero, commerce}
    assert k.a.epreuve.startswith("E2 ") and k.a.debut == datetime(2025, 6, 16, 6, 0, tzinfo=UTC)
    assert k.b.specialite.startswith("Métiers du commerce") and k.b.salle != "sans place"
    assert seul not in {k.a.candidature_id, k.b.candidature_id}


def test_timetable_validation_messages(chef, centres):
    def erreurs(**champs: str) -> dict[str, str]:
        base = {"code": "E2", "date": "16/06/2025", "heure": "08:00", "duree": "4:00"}
        base.update(champs)
        with pytest.raises(ValidationError) as exc:
            creneau(chef, **base)
        return exc.value.errors

    assert "choisissez une date de l'année 2025" in erreurs(date="16/06/2026")["date"]
    assert erreurs(date="31/02/2025")["date"] == "Cette date n'existe pas."
    assert erreurs(date="2025-06-16")["date"].startswith("Date au format jj/mm/aaaa")
    assert erreurs(duree="0")["duree"] == "La durée doit être supérieure à 0."
    assert erreurs(duree="12:01")["duree"] == "La durée ne peut pas dépasser 12 heures."
    assert erreurs(heure="25:00")["heure"].startswith("Heure au format hh:mm")
    assert creneau(chef, duree="1h30")
    assert "déjà au planning de la session 2025" in erreurs(heure="14:00")["epreuve"]
    with chef.lecture() as s:
        c = s.scalar(select(Creneau))
        assert (c.duree_minutes, c.debut, c.modifie_le) == (90, datetime(2025, 6, 16, 6, 0, tzinfo=UTC),
                                                            chef.clock.now())


def test_date_before_the_registration_closes_is_outside_the_session(chef):
    # A session whose BCP registrations close in its own year: an épreuve before is refused.
    sid = edition.creer_session(chef, 2026, "2026")
    edition.enregistrer_periode(chef, sid, "BCP", datetime(2025, 12, 1, 15, 0), datetime(2026, 1, 15, 17, 0))
    saisie = planning.SaisieCreneau(sid, "BCP-25303", "E2", "10/01/2026", "08:00", "240", "ecrit")
    with pytest.raises(ValidationError) as exc:
        planning.enregistrer_creneau(chef, saisie)
    assert exc.value.errors == {"date": "La date est en dehors de la session : les inscriptions BCP ferment le "
                                        "15/01/2026 17:00 ; l'épreuve doit avoir lieu après."}
    saisie.date = "16/01/2026"
    assert planning.enregistrer_creneau(chef, saisie)


def test_moving_a_creneau_onto_a_shared_room_is_refused_when_overbooked(chef, accueil, centres):
    for i in range(2):
        candidat(accueil, i)
    _c, b = candidat(accueil, 2, specialite="BCP-31213")
    org.supprimer_salle(chef, centres["grande"])
    org.ajouter_salle(chef, org.creer_centre(chef, "9730538X"), "Amphi", 1)   # far away, one seat
    e2 = creneau(chef)
    e2c = creneau(chef, heure="14:00", duree="60", specialite="BCP-31213")
    aff.affecter_automatiquement(chef, session_id(chef))
    assert seats(chef, e2c)[b] == "Salle 1"              # the afternoon: the same small room is free
    vue = next(v for v in planning.lister_creneaux(chef, session_id(chef)) if v.id == e2c)
    saisie = planning.saisie_creneau(vue)
    saisie.heure = "10:00"
    with pytest.raises(ValidationError) as exc:
        planning.enregistrer_creneau(chef, saisie, e2c, vue.row_version)
    assert exc.value.errors["heure"].startswith("Chevauchement dans la salle Salle 1 (LYC CHANZY")
    assert "3 candidats y seraient convoqués en même temps le 16/06/2025 10:00 pour 2 places" in \
        exc.value.errors["heure"]
    saisie.heure = "15:00"
    planning.enregistrer_creneau(chef, saisie, e2c, vue.row_version)
    with pytest.raises(ConflictError, match="a changé entre-temps"):
        planning.enregistrer_creneau(chef, saisie, e2c, vue.row_version)
    assert e2


def test_rooms_and_centres(chef, gestionnaire, centres):
    with pytest.raises(ValidationError) as exc:
        org.ajouter_salle(chef, org.lister_centres(chef)[0].id, "", "0")
    assert exc.value.errors == {"nom": "Ce champ est obligatoire.",
                                "capacite": "La capacité est un nombre de places supérieur à 0."}
    with pytest.raises(ValidationError) as exc:
        org.creer_centre(chef, CHANZY)
    assert exc.value.errors["etablissement"] == "LYC CHANZY CHARLEVILLE MEZIERES est déjà un centre d'examen."
    vues = {c.uai: c for c in org.lister_centres(gestionnaire)}          # the gestionnaire may read
    assert vues[CHANZY].departements_servis == ("13", "08") and vues[LEGERE].departements_servis == ("25",)
    with pytest.raises(PermissionDenied):
        org.creer_centre(gestionnaire, "9730538X")
    salle = vues[CHANZY].salles[0]
    org.modifier_salle(chef, salle.id, "Salle 1", 3, [], salle.row_version)
    with pytest.raises(ConflictError, match="Cette salle a changé entre-temps"):
        org.modifier_salle(chef, salle.id, "Salle 1", 4, [], salle.row_version)


def test_deleting_a_room_with_affectations_is_refused(chef, accueil, centres):
    candidat(accueil, 0)
    creneau(chef)
    aff.affecter_automatiquement(chef, session_id(chef))
    with pytest.raises(DomainError, match="La salle « Salle 1 » ne peut pas être supprimée : 1 affectation de "
                                          "candidats y est enregistrée"):
        org.supprimer_salle(chef, centres["petite"])
    with pytest.raises(DomainError, match="Le centre d'examen ne peut pas être supprimé"):
        org.supprimer_centre(chef, next(c.id for c in org.lister_centres(chef) if c.uai == CHANZY))
