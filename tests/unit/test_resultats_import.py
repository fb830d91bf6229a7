"""Import of the CCF grades (services/resultats/import_ccf.py): CSV (« ; », UTF-8 with or without BOM,
Windows-1252) and XLSX, a report per line before anything is written, and a corpus of bad files and bad lines
that write nothing."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from cyclades_desktop.models import AuditEntry, CompteCandidat, NoteUnite
from cyclades_desktop.rules.comptes import numero_candidat
from cyclades_desktop.rules.epreuves import DISPENSE
from cyclades_desktop.rules.errors import PermissionDenied
from cyclades_desktop.rules.resultats import OrigineNote
from cyclades_desktop.services import resultats as res
from tests import fabriques_organisation as org
from tests.fabriques import session_id
from tests.fabriques_resultats import ELEC, candidature


@pytest.fixture
def cands(chef) -> dict[str, str]:
    """Name → N° candidat: A and B in Aéronautique (B has E4 dispensed), C in CAP Électricien."""
    ids = {"A": candidature(chef, 1), "B": candidature(chef, 2, positions={"E4": DISPENSE}),
           "C": candidature(chef, 3, specialite=ELEC, categorie="APPH")}
    with chef.lecture() as s:
        from cyclades_desktop.models import Candidature
        return {k: s.scalar(select(CompteCandidat.numero_candidat).join(Candidature).where(Candidature.id == v))
                for k, v in ids.items()}


def _n(ctx) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(NoteUnite))


def _csv(lignes: list[str], encodage: str = "utf-8", bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + "\r\n".join(lignes).encode(encodage)


def _xlsx(lignes: list[list[object]]) -> bytes:
    wb = Workbook()
    for ligne in lignes:
        wb.active.append(ligne)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_csv_utf8_avec_bom_analyse_puis_applique(chef, cands):
    contenu = _csv(["N° candidat;Nom;Unité;Note", f"{cands['A']};A;U11;12,5", f"{cands['A']};A;e1-b;9.75",
                    f"{cands['B']};B;U7;ABS", f"{cands['C']};C;UP1;14"], bom=True)
    rapport = res.analyser_import_notes(chef, contenu, "ccf.csv", session_id(chef))
    assert rapport.encodage == "UTF-8" and rapport.erreurs == () and rapport.applicable
    assert [(x.ligne, x.unite_code, x.note, x.action) for x in rapport.lignes] == [
        (2, "E1-A", "12,50", "nouvelle"), (3, "E1-B", "9,75", "nouvelle"), (4, "E7", "ABS", "nouvelle"),
        (5, "EP1", "14,00", "nouvelle")]
    assert rapport.lignes[0].candidat.startswith("CANDIDAT001 Test (N° ")
    assert _n(chef) == 0                                                  # the report writes nothing
    fait = res.appliquer_import_notes(chef, contenu, "ccf.csv", session_id(chef))
    assert fait.ecrites == 4 and _n(chef) == 4
    with chef.lecture() as s:
        assert set(s.scalars(select(NoteUnite.origine))) == {OrigineNote.IMPORT_CCF}
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import_note")) == 4
    # the same file again: nothing to write; a corrected file replaces what an import wrote
    assert not res.analyser_import_notes(chef, contenu, "ccf.csv", session_id(chef)).applicable
    corrige = _csv(["N° candidat;Unité;Note", f"{cands['A']};U11;13"])
    r = res.appliquer_import_notes(chef, corrige, "ccf2.csv", session_id(chef))
    assert [(x.action, x.note) for x in r.lignes] == [("remplacée", "13,00")] and r.ecrites == 1


def test_csv_windows_1252_detecte(chef, cands):
    contenu = _csv(["Numéro de candidat;Unité;Note;Spécialité", f"{cands['A']};U2;15;BCP-25303"], encodage="cp1252")
    rapport = res.analyser_import_notes(chef, contenu, "ccf.csv", session_id(chef))
    assert rapport.encodage == "Windows-1252 (Latin-1)" and rapport.erreurs == () and len(rapport.lignes) == 1


def test_xlsx_et_le_zero_perdu_par_le_tableur(chef, cands):
    sans_zero = int(cands["A"])                   # a spreadsheet keeps 01… as the number 1…
    contenu = _xlsx([["N° candidat", "Unité", "Note"], [sans_zero, "U11", 12.5], [cands["A"], "U12", 8],
                     [cands["C"], "UG1", "abs"], [None, None, None]])
    rapport = res.appliquer_import_notes(chef, contenu, "ccf.xlsx", session_id(chef))
    assert rapport.encodage == "classeur Excel (.xlsx)" and rapport.ecrites == 3
    with chef.lecture() as s:
        assert sorted((n.unite_code, str(n.valeur), n.marque) for n in s.scalars(select(NoteUnite))) == [
            ("E1-A", "12.50", None), ("E1-B", "8.00", None), ("EG1", "None", "ABS")]


FICHIERS_ILLISIBLES = [
    ("vide.csv", b"", "Le fichier est vide."),
    ("utf16.csv", "N° candidat;Unité;Note\r\n".encode("utf-16"), "UTF-16"),
    ("virgules.csv", b"N candidat,Unite,Note\r\n01000000001,U11,12\r\n", "points-virgules"),
    ("ancien.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003"),
    ("faux.xlsx", b"PK\x03\x04 pas un classeur", "illisible ou endommagé"),
    ("nommé.xlsx", b"N candidat;Unite;Note\r\n", "n'est pas un classeur Excel"),
    ("notes.pdf", b"%PDF-1.4 ...", "est un PDF"),
    ("binaire.csv", bytes(range(1, 40)) * 10, "n'est pas un tableau de texte"),
    ("guillemets.csv", b'N candidat;Unite;Note\r\n"01000000001;U11;12\r\n' + b"x" * 200_000, None),
]


@pytest.mark.parametrize(("nom", "contenu", "morceau"), FICHIERS_ILLISIBLES, ids=[f[0] for f in FICHIERS_ILLISIBLES])
def test_fichiers_illisibles_rien_n_est_ecrit(chef, cands, nom, contenu, morceau):
    rapport = res.analyser_import_notes(chef, contenu, nom, session_id(chef))
    assert rapport.erreurs and not rapport.applicable
    if morceau:
        assert rapport.erreurs[0].ligne == 0 and morceau in rapport.erreurs[0].message
        assert rapport.erreurs[0].texte.startswith("Fichier : ")
    with pytest.raises(res.ImportRefuse, match="aucune note n'a été enregistrée") as e:
        res.appliquer_import_notes(chef, contenu, nom, session_id(chef))
    assert e.value.rapport.erreurs == rapport.erreurs
    assert _n(chef) == 0


def test_colonnes_manquantes(chef, cands):
    rapport = res.analyser_import_notes(chef, _csv(["Nom;Unité", "A;U11"]), "x.csv", session_id(chef))
    assert [e.message for e in rapport.erreurs] == [
        "Colonne manquante : « N° candidat ». Colonnes attendues : N° candidat (ou N° anonymat), Unité, Note ; "
        "facultative : Spécialité.",
        "Colonne manquante : « Note ». Colonnes attendues : N° candidat (ou N° anonymat), Unité, Note ; "
        "facultative : Spécialité."]


def test_lignes_fautives_signalees_une_a_une_et_rien_n_est_ecrit(chef, cands):
    deja = res.enregistrer_notes_candidature(chef, _cid(chef, cands["A"]), [res.SaisieNote("U6", "11")])
    assert deja.enregistrees == 1
    mauvais_chiffre = cands["A"][:-1] + str((int(cands["A"][-1]) + 1) % 10)
    inconnu = numero_candidat(987_654_321)
    lignes = ["N° candidat;Unité;Note",
              f"{cands['A']};U11;12",                      # 2 fine
              f"{inconnu};U11;12",                         # 3 unknown (valid check digit)
              f"{mauvais_chiffre};U11;12",                 # 4 check digit
              f"{cands['A']};U99;12",                      # 5 unknown unit
              f"{cands['A']};U12;21",                      # 6 grade above 20
              f"{cands['A']};U2;abs.",                     # 7 not a grade
              f"{cands['B']};U4;12",                       # 8 dispensed unit
              f"{cands['A']};E1-A;13",                     # 9 twice the same unit
              f"{cands['A']};U6;14",                       # 10 a different grade entered by hand
              ";U7;12",                                    # 11 no candidate
              f"{cands['A']};U2;",                         # 12 no grade
              ]
    rapport = res.analyser_import_notes(chef, _csv(lignes), "ccf.csv", session_id(chef))
    assert [e.texte for e in rapport.erreurs] == [
        f"Ligne 3, colonne « N° candidat » : Aucune candidature inscrite à cette session pour le N° candidat "
        f"{inconnu}.",
        f"Ligne 4, colonne « N° candidat » : N° candidat invalide : 11 chiffres, le dernier est une clé de contrôle "
        f"(lu : « {mauvais_chiffre} »).",
        "Ligne 5, colonne « Unité » : Unité inconnue pour la spécialité « Aéronautique option Systèmes » : U99.",
        "Ligne 6, colonne « Note » : Une note est sur 20 : « 21 » dépasse 20.",
        "Ligne 7, colonne « Note » : « abs. » n'est pas une note : saisissez une note sur 20 (par exemple 12,5), "
        "ou ABS (absent), ABJ (absent justifié) ou DI (dispensé).",
        "Ligne 8, colonne « Unité » : L'unité U4 Langue vivante est dispensée pour ce candidat : elle ne se note pas.",
        "Ligne 9 : Note en double dans le fichier pour cette unité (déjà ligne 2).",
        "Ligne 10, colonne « Note » : Une note différente est déjà saisie (11,00, par chef) : corrigez-la par la "
        "saisie si elle est fausse.",
        "Ligne 11, colonne « N° candidat » : Indiquez le N° candidat ou le N° d'anonymat.",
        "Ligne 12, colonne « Note » : Note absente : saisissez une note sur 20 (par exemple 12,5), ou ABS "
        "(absent), ABJ (absent justifié) ou DI (dispensé)."]
    assert [x.ligne for x in rapport.lignes] == [2]
    with pytest.raises(res.ImportRefuse):
        res.appliquer_import_notes(chef, _csv(lignes), "ccf.csv", session_id(chef))
    assert _n(chef) == 1                                                  # only the grade entered by hand


def _cid(ctx, numero: str) -> int:
    from cyclades_desktop.models import Candidature
    with ctx.lecture() as s:
        return s.scalar(select(Candidature.id).join(CompteCandidat).where(CompteCandidat.numero_candidat == numero))


def test_par_numero_d_anonymat_et_copies_anonymes(chef, cands):
    salles = org.centre(chef, ("A",))
    creneau = org.creneau(chef, session_id(chef), "E2", "Exploitation", datetime(2025, 6, 16, 8), 240)
    org.affecter(chef, _cid(chef, cands["A"]), creneau, salles["A"])
    res.generer_anonymats(chef, creneau)
    numero = res.correspondance(chef, creneau)[0].numero
    lignes = ["N° anonymat;N° candidat;Unité;Note", f"{numero};;;11", "999999990;;U2;11", f";{cands['A']};U2;11"]
    rapport = res.analyser_import_notes(chef, _csv(lignes), "copies.csv", session_id(chef))
    assert [(x.ligne, x.candidat, x.unite_code) for x in rapport.lignes] == [(2, f"Copie {numero}", "E2")]
    assert [(e.ligne, e.colonne) for e in rapport.erreurs] == [(3, "N° anonymat"), (4, "Note")]
    assert "est anonyme (lot non levé)" in rapport.erreurs[1].message


def test_import_hors_portefeuille_et_sans_droit(gestionnaire, accueil, cands):
    contenu = _csv(["N° candidat;Unité;Note", f"{cands['C']};UP1;12", f"{cands['A']};U11;12"])
    rapport = res.analyser_import_notes(gestionnaire, contenu, "x.csv", session_id(gestionnaire))
    assert [e.texte for e in rapport.erreurs] == [
        "Ligne 2 : La spécialité « Électricien » n'est pas dans votre portefeuille."]
    with pytest.raises(PermissionDenied):
        res.analyser_import_notes(accueil, contenu, "x.csv", session_id(accueil))
