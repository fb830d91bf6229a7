"""Batch printing: merged PDF and folder outputs, cancel then resume without
duplicates, a failing element reported while the rest is done, worker processes, the CLI."""

from __future__ import annotations

import io
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from cyclades_desktop import cli
from cyclades_desktop.documents.fusion import FusionPdf
from cyclades_desktop.models import AuditEntry, Candidature, CompteCandidat, Document, DocumentVersion
from cyclades_desktop.models.lot import Lot, LotElement
from cyclades_desktop.rules.errors import DomainError, PermissionDenied
from cyclades_desktop.rules.impressions import EtatLot
from cyclades_desktop.rules.inscriptions import TypeDocument
from cyclades_desktop.services.impressions import lots as impressions
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import echeances
from cyclades_desktop.services.noyau.contexte import Contexte
from tests.fabriques import compte_actif, saisie_seed, session_id

NOMS = ("Arnaud", "Bernard", "Carpentier", "Durand", "Etienne", "Fabre", "Garnier")


def candidatures(ctx: Contexte, n: int) -> list[int]:
    ids = []
    for i in range(n):
        cid = compte_actif(ctx, email=f"imp{i}@exemple.fr", nom=NOMS[i], prenoms="Léa")
        d = inscriptions.demarrer(ctx, cid, session_id(ctx), "BCP")
        ids.append(inscriptions.enregistrer(ctx, d, saisie_seed()).candidature_id)
    return ids


def publie(ctx: Contexte, cid: int, type_doc: str = TypeDocument.RECAPITULATIF) -> bytes:
    with ctx.lecture() as s:
        return s.scalar(select(DocumentVersion.contenu).join(Document).where(
            Document.candidature_id == cid, Document.type == type_doc)
            .order_by(DocumentVersion.numero.desc()).limit(1))


def numeros(ctx: Contexte, cid: int) -> tuple[str, str]:
    with ctx.lecture() as s:
        return tuple(s.execute(select(CompteCandidat.numero_candidat, Candidature.numero_inscription)
                               .join(Candidature).where(Candidature.id == cid)).one())


def pages(contenu: bytes | Path) -> int:
    return len(PdfReader(io.BytesIO(contenu) if isinstance(contenu, bytes) else contenu).pages)


def elements(ctx: Contexte, lot_id: int) -> list[LotElement]:
    with ctx.lecture() as s:
        return list(s.scalars(select(LotElement).where(LotElement.lot_id == lot_id).order_by(LotElement.ordre)))


def etat_lot(ctx: Contexte, lot_id: int) -> str:
    with ctx.lecture() as s:
        return s.get(Lot, lot_id).etat


@pytest.fixture
def sorties(tmp_path: Path) -> Path:
    """Outputs apart from the test's database file."""
    (tmp_path / "sorties").mkdir()
    return tmp_path / "sorties"


@pytest.fixture
def trois(gestionnaire: Contexte) -> list[int]:
    return candidatures(gestionnaire, 3)


@pytest.mark.parametrize("brut", [True, False], ids=["copie brute", "objets pypdf"])
def test_fusion_concatene_les_pages_dans_l_ordre(brut: bool) -> None:
    from reportlab.pdfgen import canvas

    def doc(texte: str, n: int) -> bytes:
        buf = io.BytesIO()
        c = canvas.Canvas(buf)
        for i in range(n):
            c.drawString(100, 700, f"{texte} {i + 1}")
            c.showPage()
        c.save()
        return buf.getvalue()

    tampon = io.BytesIO()
    with FusionPdf(tampon, brut=brut) as f:
        for source in (doc("Alpha", 2), doc("Bêta", 1), doc("Gamma", 3)):
            f.ajouter(source)
    lecteur = PdfReader(io.BytesIO(tampon.getvalue()), strict=True)
    assert [p.extract_text().strip() for p in lecteur.pages] == [
        "Alpha 1", "Alpha 2", "Bêta 1", "Gamma 1", "Gamma 2", "Gamma 3"]


def test_pdf_fusionne_somme_des_pages_des_documents(gestionnaire: Contexte, trois: list[int],
                                                     sorties: Path) -> None:
    sortie = sorties / "recap.pdf"
    lot = impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, trois, mode=impressions.FICHIER_UNIQUE,
                                sortie=str(sortie))
    vus: list[tuple[int, int]] = []
    r = impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1,
                             progression=lambda n, t: vus.append((n, t)))
    attendu = sum(pages(publie(gestionnaire, c)) for c in trois)
    assert attendu >= 3
    assert pages(sortie) == attendu == r.pages
    assert r.termine and r.erreurs == () and r.faits == 3
    assert vus == [(0, 3), (1, 3), (2, 3), (3, 3)]
    # Print order is the selection's; each document's pages are those of its latest version.
    texte = "\n".join(p.extract_text() for p in PdfReader(sortie).pages)
    positions = [texte.index(numeros(gestionnaire, c)[0]) for c in trois]
    assert positions == sorted(positions)
    assert all(e.fait and e.pages == pages(publie(gestionnaire, e.candidature_id))
               for e in elements(gestionnaire, lot))
    # The chunk files are gone, no temporary file remains, and the batch was audited.
    assert sorted(p.name for p in sorties.iterdir()) == ["recap.pdf"]
    with gestionnaire.lecture() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entite == "lot")) == "lot_impression"


def test_dossier_un_fichier_par_candidature(gestionnaire: Contexte, trois: list[int], sorties: Path) -> None:
    dossier = sorties / "recaps"
    lot = impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, trois, mode=impressions.DOSSIER,
                                sortie=str(dossier))
    r = impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1)
    attendus = {f"recapitulatif_{nc}_{ni}.pdf": c for c in trois for nc, ni in [numeros(gestionnaire, c)]}
    assert sorted(p.name for p in dossier.iterdir()) == sorted(attendus)
    for nom, c in attendus.items():
        assert (dossier / nom).read_bytes() == publie(gestionnaire, c)
    assert r.termine and r.pages == sum(pages(publie(gestionnaire, c)) for c in trois)


def test_interrompu_puis_repris_sans_doublon(gestionnaire: Contexte, trois: list[int], sorties: Path) -> None:
    sortie = sorties / "recap.pdf"
    lot = impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, trois, mode=impressions.FICHIER_UNIQUE,
                                sortie=str(sortie))
    # « Interrompre » pressed while the first chunk renders: it stops once that chunk is recorded.
    r = impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1, annule=lambda: True)
    assert not r.termine and r.faits == 1 and r.restants == 2
    assert "interrompu à 1 / 3" in impressions.texte_rapport(r)
    assert [e.fait for e in elements(gestionnaire, lot)] == [True, False, False]
    assert not sortie.exists()                         # merged only at the end
    morceaux = impressions.dossier_morceaux(sortie, lot)
    assert [p.name for p in morceaux.iterdir()] == ["morceau-0000000.pdf"]
    assert [x.id for x in impressions.lots_inacheves(gestionnaire)] == [lot]
    # A killed run left a chunk written but never marked done, and a half-written temporary file.
    (morceaux / "morceau-0000001.pdf").write_bytes(publie(gestionnaire, trois[1]))
    (morceaux / ".ecriture-x").write_bytes(b"%PDF-1.4 tronqu")

    r = impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1)
    assert r.termine and r.faits == 3
    assert pages(sortie) == sum(pages(publie(gestionnaire, c)) for c in trois) == r.pages
    texte = [p.extract_text() for p in PdfReader(sortie).pages]
    for c in trois:                                     # each candidature printed once, in order
        premieres = [i for i, t in enumerate(texte) if numeros(gestionnaire, c)[0] in t]
        assert len(premieres) == pages(publie(gestionnaire, c))
    assert all(e.fait for e in elements(gestionnaire, lot))
    assert impressions.lots_inacheves(gestionnaire) == []
    assert not morceaux.exists()
    with pytest.raises(DomainError, match="terminé"):
        impressions.executer(gestionnaire, lot, processus=0)


def test_dossier_repris_apres_arret_brutal(gestionnaire: Contexte, trois: list[int], sorties: Path) -> None:
    dossier = sorties / "recaps"
    lot = impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, trois, mode=impressions.DOSSIER,
                                sortie=str(dossier))
    impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1, annule=lambda: True)
    noms = sorted(p.name for p in dossier.iterdir())
    assert len(noms) == 1
    # A kill between a file's rename and its chunk's commit: a file exists for an element not done.
    nc, ni = numeros(gestionnaire, trois[2])
    orphelin = dossier / f"recapitulatif_{nc}_{ni}.pdf"
    orphelin.write_bytes(b"%PDF-1.4 tronqu")
    impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1)
    assert len(list(dossier.iterdir())) == 3
    assert orphelin.read_bytes() == publie(gestionnaire, trois[2])


def test_element_en_erreur_signale_et_le_reste_fait(gestionnaire: Contexte, sorties: Path) -> None:
    ids = candidatures(gestionnaire, 3)
    rapport = echeances.relancer(gestionnaire, ids[:2])     # the third has no relance published
    assert rapport.faites == 2
    sortie = sorties / "relances.pdf"
    lot = impressions.creer_lot(gestionnaire, impressions.RELANCES, [ids[0], ids[2], ids[1]],
                                mode=impressions.FICHIER_UNIQUE, sortie=str(sortie))
    r = impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1)
    nc, ni = numeros(gestionnaire, ids[2])
    assert r.erreurs == (f"{nc}-{ni} : Aucune relance de pièces justificatives publiée pour cette candidature.",)
    assert r.termine and r.faits == 3
    assert pages(sortie) == sum(pages(publie(gestionnaire, c, TypeDocument.RELANCE_PIECES)) for c in ids[:2])
    erreur = [e for e in elements(gestionnaire, lot) if e.erreur]
    assert [(e.candidature_id, e.fait, e.pages) for e in erreur] == [(ids[2], True, 0)]
    assert "1 en erreur" in impressions.texte_rapport(r)


def test_processus_de_rendu(gestionnaire: Contexte, trois: list[int], sorties: Path) -> None:
    """Three chunks on two spawned worker processes, each reading the database through its URL."""
    sortie = sorties / "recap.pdf"
    lot = impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, trois, mode=impressions.FICHIER_UNIQUE,
                                sortie=str(sortie))
    r = impressions.executer(gestionnaire, lot, processus=2, taille_morceau=1)
    assert r.termine and pages(sortie) == sum(pages(publie(gestionnaire, c)) for c in trois)
    texte = "\n".join(p.extract_text() for p in PdfReader(sortie).pages)
    positions = [texte.index(numeros(gestionnaire, c)[0]) for c in trois]
    assert positions == sorted(positions)              # chunks finish in any order, print order is kept


def _qt_charge_dans_un_travailleur() -> bool:
    import cyclades_desktop.services.impressions.travail  # noqa: F401

    return any(m.startswith("PySide6") for m in sys.modules)


def test_le_travailleur_ne_charge_pas_qt() -> None:
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        assert pool.submit(_qt_charge_dans_un_travailleur).result() is False


def test_abandon_et_permissions(gestionnaire: Contexte, accueil: Contexte, trois: list[int],
                                sorties: Path) -> None:
    sortie = sorties / "recap.pdf"
    with pytest.raises(PermissionDenied):
        impressions.creer_lot(accueil, impressions.RECAPITULATIFS, trois, mode=impressions.FICHIER_UNIQUE,
                              sortie=str(sortie))
    with pytest.raises(DomainError, match="sélection est vide"):
        impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, [], mode=impressions.FICHIER_UNIQUE,
                              sortie=str(sortie))
    lot = impressions.creer_lot(gestionnaire, impressions.RECAPITULATIFS, trois, mode=impressions.FICHIER_UNIQUE,
                                sortie=str(sortie))
    impressions.executer(gestionnaire, lot, processus=0, taille_morceau=1, annule=lambda: True)
    assert etat_lot(gestionnaire, lot) == EtatLot.EN_COURS
    impressions.abandonner(gestionnaire, lot)
    assert etat_lot(gestionnaire, lot) == EtatLot.ANNULE
    assert list(sorties.iterdir()) == []
    assert impressions.lots_inacheves(gestionnaire) == []
    with pytest.raises(DomainError, match="abandonné"):
        impressions.executer(gestionnaire, lot, processus=0)


def test_perimetre_de_session(gestionnaire: Contexte, trois: list[int]) -> None:
    sid = session_id(gestionnaire)
    assert impressions.candidatures_du_perimetre(gestionnaire, sid) == trois        # alphabetical
    assert impressions.candidatures_du_perimetre(gestionnaire, sid, "CAP") == []
    assert impressions.candidatures_du_perimetre(gestionnaire, sid, "BCP", "BCP-25303") == trois


def test_commande_imprimer(db_url: str, clock, gestionnaire: Contexte, sorties: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    ids = candidatures(gestionnaire, 2)
    sortie = sorties / "recap.pdf"
    code = cli.main(["--database-url", db_url, "imprimer", "--type", "recapitulatifs", "--session", "2025",
                     "--examen", "BCP", "--sortie", str(sortie), "--processus", "0"], clock=clock)
    out = capsys.readouterr().out
    assert code == 0, out
    assert pages(sortie) == sum(pages(publie(gestionnaire, c)) for c in ids)
    assert "2 documents" in out
    with gestionnaire.lecture() as s:
        lot_id = s.scalar(select(Lot.id).order_by(Lot.id.desc()).limit(1))
        assert s.get(Lot, lot_id).etat == EtatLot.TERMINE
    code = cli.main(["--database-url", db_url, "imprimer", "--reprendre", str(lot_id)], clock=clock)
    assert code == 2 and "terminé" in capsys.readouterr().err


def test_convocations_rendues_depuis_les_donnees(gestionnaire: Contexte, trois: list[int], sorties: Path) -> None:
    from cyclades_desktop.documents import convocation
    from cyclades_desktop.services.organisation import contenu_convocations

    with gestionnaire.lecture() as s:
        attendues = {d.candidature_id: convocation.rendre(d)
                     for d in contenu_convocations.donnees_convocations(s, trois)}
    sortie = sorties / "convocations.pdf"
    lot = impressions.creer_lot(gestionnaire, impressions.CONVOCATIONS, trois, mode=impressions.FICHIER_UNIQUE,
                                sortie=str(sortie))
    r = impressions.executer(gestionnaire, lot, processus=0, taille_morceau=2)
    assert r.termine and r.erreurs == ()
    assert pages(sortie) == r.pages == sum(pages(b) for b in attendues.values())
    assert [e.pages for e in elements(gestionnaire, lot)] == [pages(attendues[c]) for c in trois]
    texte = [p.extract_text() for p in PdfReader(sortie).pages]
    assert all("Convocation aux épreuves" in t for t in texte)
    assert "pièce d'identité avec photographie" in "".join(texte)

    dossier = sorties / "convocations"
    lot = impressions.creer_lot(gestionnaire, impressions.CONVOCATIONS, trois, mode=impressions.DOSSIER,
                                sortie=str(dossier))
    impressions.executer(gestionnaire, lot, processus=0, taille_morceau=2)
    for c in trois:
        nc, ni = numeros(gestionnaire, c)
        # Cut out of the chunk drawn on one canvas: a standalone PDF with its own fonts and pages only.
        lecteur = PdfReader(dossier / f"convocation_{nc}_{ni}.pdf", strict=True)
        assert len(lecteur.pages) == pages(attendues[c])
        assert f"N° candidat : {nc}" in lecteur.pages[0].extract_text()
        autres = [numeros(gestionnaire, x)[0] for x in trois if x != c]
        assert not any(a in p.extract_text() for p in lecteur.pages for a in autres)
