"""The pure rules of the results (rules/resultats.py): reading a typed grade, anonymat numbers, double entry,
units kept by an ajourné."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from cyclades_desktop.rules.deliberation import Decision, Marque
from cyclades_desktop.rules.errors import ValidationError
from cyclades_desktop.rules.resultats import (
    ResultatAnterieur,
    analyser_note,
    lire_note,
    lire_points_jury,
    meme_note,
    notes_conservees,
    numero_anonymat,
    numero_anonymat_valide,
    texte_note,
)

D = Decimal


@pytest.mark.parametrize(("texte", "attendu"), [
    ("10,5", D("10.50")), ("10.5", D("10.50")), (" 10,5 ", D("10.50")), ("0", D("0.00")), ("0,00", D("0.00")),
    ("20", D("20.00")), ("20,00", D("20.00")), ("20.0", D("20.00")), ("19,99", D("19.99")), ("7", D("7.00")),
    ("12,50", D("12.50")), ("12,500", D("12.50")), ("0,01", D("0.01")), ("09", D("9.00")),
    ("abs", Marque.ABS), ("ABS", Marque.ABS), ("Abj", Marque.ABJ), ("DI", Marque.DI), ("di", Marque.DI),
])
def test_une_note_lue(texte, attendu):
    note, message = analyser_note(texte)
    assert message is None and note == attendu
    assert isinstance(note, type(attendu))
    if isinstance(note, Decimal):
        assert note.as_tuple().exponent == -2            # stored and shown with two decimals


@pytest.mark.parametrize(("texte", "morceau"), [
    ("20,01", "dépasse 20"), ("21", "dépasse 20"), ("100", "dépasse 20"), ("999", "dépasse 20"),
    ("-1", "négative"), ("-0,5", "négative"), ("-0", "négative"),
    ("10,555", "deux décimales"), ("0,001", "deux décimales"),
    ("", "Note absente"), ("   ", "Note absente"), (None, "Note absente"),
    ("AB", "n'est pas une note"), ("abs.", "n'est pas une note"), ("X", "n'est pas une note"),
    ("10,5,2", "n'est pas une note"), ("1e1", "n'est pas une note"), ("10 ,5", "n'est pas une note"),
    ("+12", "n'est pas une note"), (",5", "n'est pas une note"), ("12,", "n'est pas une note"),
    ("douze", "n'est pas une note"), ("１２", "n'est pas une note"), ("12/20", "n'est pas une note"),
    ("NaN", "n'est pas une note"), ("Infinity", "n'est pas une note"),
])
def test_une_note_refusee_en_francais(texte, morceau):
    note, message = analyser_note(texte)
    assert note is None and morceau in message
    with pytest.raises(ValidationError) as e:
        lire_note(texte, "U11")
    assert morceau in e.value.errors["U11"]


def test_les_messages_disent_quoi_saisir():
    _, message = analyser_note("X")
    assert message == ("« X » n'est pas une note : saisissez une note sur 20 (par exemple 12,5), ou ABS (absent), "
                       "ABJ (absent justifié) ou DI (dispensé).")
    assert analyser_note("21")[1] == "Une note est sur 20 : « 21 » dépasse 20."


def test_affichage_et_comparaison():
    assert texte_note(D("10.5")) == "10,50" and texte_note(Marque.ABJ) == "ABJ" and texte_note(None) == ""
    assert meme_note(D("10.50"), D("10.5")) and not meme_note(D("10"), Marque.ABS)
    assert meme_note(Marque.ABS, Marque.ABS) and not meme_note(None, D("0"))


def test_points_du_jury():
    assert lire_points_jury("0,5") == D("0.50") and lire_points_jury("1") == D("1.00")
    for faux in ("-1", "abc", "0,125", ""):
        with pytest.raises(ValidationError):
            lire_points_jury(faux)


def test_numero_anonymat_a_une_cle_et_ne_commence_pas_par_zero():
    tirage = random.Random(2026).randrange      # seeded: the same 2,000 numbers on every run
    numeros = {numero_anonymat(tirage) for _ in range(2000)}
    assert len(numeros) == 2000
    for n in numeros:
        assert len(n) == 9 and n[0] != "0" and numero_anonymat_valide(n)
    n = next(iter(numeros))
    faux = n[:3] + str((int(n[3]) + 1) % 10) + n[4:]
    assert not numero_anonymat_valide(faux)       # one digit mistyped: refused, names no other copy
    assert numero_anonymat() != numero_anonymat()  # the real draw: two copies, two numbers
    assert not numero_anonymat_valide("") and not numero_anonymat_valide("１２３４５６７８９")


def test_numero_anonymat_tire_au_sort_pas_compte():
    tirages = iter([0, 0, 89_999_999])
    a, b, c = (numero_anonymat(lambda _n: next(tirages)) for _ in range(3))
    assert a == b and a.startswith("10000000") and c.startswith("99999999")   # the draw decides, nothing else


def test_notes_conservees_cinq_ans_ajourne_seulement():
    anciens = [
        ResultatAnterieur(2019, Decision.AJOURNE.name, {"E2": D("14")}),            # too old for 2025
        ResultatAnterieur(2021, Decision.AJOURNE.name, {"E1-A": D("12"), "E2": D("11")}),
        ResultatAnterieur(2023, Decision.AJOURNE.name, {"E2": D("15.5"), "E4": D("9")}),  # 9: not kept
        ResultatAnterieur(2024, Decision.ADMIS.name, {"E5-A": D("18")}),             # a diploma: nothing kept
        ResultatAnterieur(2025, Decision.AJOURNE.name, {"E6": D("13")}),             # the same session
    ]
    kept = notes_conservees(anciens, 2025, duree_ans=5, note_min=D(10))
    assert {c: (n.note, n.annee) for c, n in kept.items()} == {"E1-A": (D("12.00"), 2021), "E2": (D("15.50"), 2023)}
    assert notes_conservees(anciens, 2027, duree_ans=5, note_min=D(10))["E2"].annee == 2023
    assert "E1-A" not in notes_conservees(anciens, 2027, duree_ans=5, note_min=D(10))
