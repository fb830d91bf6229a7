"""Deposited files against the check, as an attacker and as candidates would send them
(tests/corpus_fichiers.py): every hostile file refused with its reason, every ordinary one accepted
under a safe name, and the child process holding the cost of the worst within its time and memory."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable

import pytest
from PIL import Image
from sqlalchemy import select

from cyclades_desktop.models import FichierJustificatif
from cyclades_desktop.rules import fichiers as regles
from cyclades_desktop.rules.errors import DomainError, ValidationError
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.rgpd import export as rgpd
from cyclades_desktop.storage import verification_fichier
from cyclades_desktop.storage.analyse_fichier import controler
from cyclades_desktop.storage.fichiers import depot_de
from cyclades_desktop.storage.verification_fichier import analyser_isole, verifier
from tests.corpus_fichiers import BONS, MAUVAIS, Cas, pdf_reportlab, photo, png
from tests.fabriques import compte_actif, saisie_seed
from tests.unit.test_justificatifs_service import inscrire, pieces

LEGERS = [c for c in MAUVAIS if not c.lourd]
LOURDS = [c for c in MAUVAIS if c.lourd]
# The files that show the child process at work: one of each family, good and bad.
PAR_LE_PROCESSUS = [c for c in BONS + MAUVAIS if c.id in {
    "pdf-flux-d-objets", "pdf-formulaire-sans-js", "jpeg-4000x3000", "png-4000x3000", "pdf-js-nom-echappe",
    "pdf-fichiers-joints", "png-bombe-ztxt", "jpeg-631-octets-65000x65000", "apng-sequence-cassee", "pdf-xref-dechets"}]


def refus(appel: Callable[..., object], *args: object, **kwargs: object) -> str:
    with pytest.raises(ValidationError) as exc:
        appel(*args, **kwargs)
    assert list(exc.value.errors) == [regles.CHAMP]
    return exc.value.errors[regles.CHAMP]


def test_le_corpus_compte_100_mauvais_et_30_bons_fichiers():
    assert len(MAUVAIS) >= 100 and len(BONS) >= 30
    ids = [c.id for c in MAUVAIS + BONS]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("cas", LEGERS, ids=[c.id for c in LEGERS])
def test_fichier_hostile_refuse(cas: Cas):
    message = refus(controler, cas.nom, cas.fabrique())
    assert cas.attendu in message


@pytest.mark.parametrize("cas", BONS, ids=[c.id for c in BONS])
def test_fichier_ordinaire_accepte(cas: Cas):
    contenu = cas.fabrique()
    resultat = controler(cas.nom, contenu)
    assert resultat.taille == len(contenu) <= regles.TAILLE_MAX
    assert resultat.nom.endswith("." + resultat.extension)
    assert resultat.nom == regles.normaliser_nom(cas.nom, resultat.type_mime)
    assert (resultat.pages or 0) >= (1 if resultat.type_mime == regles.PDF else 0)


@pytest.mark.parametrize("cas", LOURDS, ids=[c.id for c in LOURDS])
def test_bombe_refusee_dans_les_limites(cas: Cas):
    contenu = cas.fabrique()
    debut = time.monotonic()
    issue = analyser_isole(contenu)
    duree = time.monotonic() - debut
    assert issue.refus is not None and cas.attendu in issue.refus, issue
    assert duree < regles.DELAI_VERIFICATION_S + 2
    if issue.memoire_ko is not None:
        assert issue.memoire_ko * 1024 <= regles.MEMOIRE_VERIFICATION


@pytest.mark.parametrize("cas", PAR_LE_PROCESSUS, ids=[c.id for c in PAR_LE_PROCESSUS])
def test_le_processus_rend_le_meme_verdict(cas: Cas):
    contenu = cas.fabrique()
    if cas.attendu:
        assert refus(verifier, cas.nom, contenu) == refus(controler, cas.nom, contenu)
    else:
        assert verifier(cas.nom, contenu) == controler(cas.nom, contenu)


def test_delai_depasse_le_processus_est_tue():
    debut = time.monotonic()
    issue = analyser_isole(pdf_reportlab(1), delai_s=0.01)
    assert time.monotonic() - debut < 2
    assert issue.refus == regles.message_delai(0.01)
    assert issue.refus.startswith("La vérification de ce fichier a dépassé 0,01 secondes : il est refusé.")


def test_memoire_depassee_le_fichier_est_refuse():
    # 7000 × 7000 pixels is within PIXELS_MAX (a legitimate 600 ppp scan is close), 147 Mo once
    # decoded: refused under a 160 Mo limit, accepted under the real one.
    contenu = png(Image.new("RGB", (7000, 7000), "white"))
    message = refus(verifier, "grand.png", contenu, memoire=160 * 1024 * 1024)
    assert message == regles.message_memoire(160 * 1024 * 1024)
    assert message.startswith("La vérification de ce fichier a dépassé la mémoire autorisée (160 Mo) : il est refusé.")
    assert verifier("grand.png", contenu).extension == "png"


def test_un_verificateur_qui_ne_demarre_pas_ne_laisse_rien_passer(monkeypatch):
    monkeypatch.setattr(verification_fichier, "_commande", lambda *_: ["/chemin/introuvable/python"])
    with pytest.raises(DomainError, match="ne peut pas démarrer sur ce poste"):
        verifier("cni.pdf", pdf_reportlab(1))
    monkeypatch.setattr(verification_fichier, "_commande", lambda *_: ["python3", "-c", "print('{\"pages\": 1}')"])
    assert "interrompue" in refus(verifier, "cni.pdf", pdf_reportlab(1))    # no format: not believed
    monkeypatch.setattr(verification_fichier, "_commande", lambda *_: ["python3", "-c", "import os; os.abort()"])
    assert "interrompue" in refus(verifier, "cni.pdf", pdf_reportlab(1))        # crashed: refused all the same
    monkeypatch.setattr(verification_fichier, "_commande", lambda *_: [
        "python3", "-c", "import sys; sys.stdin.read(); sys.exit('terminate: std::bad_alloc')"])
    assert "dépassé la mémoire" in refus(verifier, "cni.pdf", pdf_reportlab(1))


# ----------------------------------------------------------------------------------------- names

@pytest.mark.parametrize(("nom", "type_mime", "attendu"), [
    ("Relevé de notes – Hélène.PDF", regles.PDF, "Relevé de notes – Hélène.pdf"),
    ("facture\u202efdp.exe", regles.PDF, "facturefdp.pdf"),
    ("cni\u200b\ufeff\x00\x1f\x85.pdf", regles.PDF, "cni.pdf"),
    ('a:b*c?d"e<f>g|h/i\\j.png', regles.PNG, "a_b_c_d_e_f_g_h_i_j.png"),
    ("scan.jpg", regles.PDF, "scan.pdf"),
    ("photo.jpeg", regles.JPEG, "photo.jpg"),
    ("cni.exe.pdf", regles.PDF, "cni_exe.pdf"),
    ("photo.jpg.pdf", regles.PDF, "photo.jpg.pdf"),
    ("  ..cni..  .pdf.  ", regles.PDF, "cni.pdf"),
    ("CON.pdf", regles.PDF, "_CON.pdf"),
    ("\u00a0Relevé\u2003n°\u00a02.pdf", regles.PDF, "Relevé n° 2.pdf"),
    ("", regles.PNG, "fichier.png"),
    ("\u202e", regles.JPEG, "fichier.jpg"),
], ids=["accents-et-majuscules", "bidi", "invisibles", "reserves", "ancienne-extension", "jpeg", "double-extension",
        "double-extension-sure", "points-et-blancs", "nom-windows-reserve", "espaces-speciaux", "vide", "rien-de-visible"])
def test_nom_normalise(nom: str, type_mime: str, attendu: str):
    assert regles.normaliser_nom(nom, type_mime) == attendu


def test_nom_normalise_borne_en_caracteres_et_en_octets():
    for nom in ("é" * 400 + ".pdf", "a" * 1000, "😀" * 100 + ".pdf"):
        resultat = regles.normaliser_nom(nom, regles.PDF)
        assert resultat.endswith(".pdf") and len(resultat.encode()) <= 255 and len(resultat) <= 255


# ------------------------------------------------------------------------------- through the service

def test_depot_hostile_refuse_par_le_service_rien_n_est_stocke(accueil):
    r = inscrire(accueil, compte_actif(accueil), saisie_seed())
    identite = pieces(accueil, r.candidature_id)["IDENTITE"]
    hostile = next(c for c in MAUVAIS if c.id == "pdf-js-openaction")
    assert "du JavaScript" in refus(justificatifs.deposer, accueil, identite.id, hostile.nom, hostile.fabrique())
    assert depot_de(accueil.db).hashes() == []
    vue = justificatifs.deposer(accueil, identite.id, "  Carte\u00a0d'identité.PDF ", pdf_reportlab(1))
    assert vue.nom == "Carte d'identité.pdf"


def test_export_rgpd_nomme_les_fichiers_par_leur_nom_normalise(chef, tmp_path):
    compte = compte_actif(chef)
    r = inscrire(chef, compte, saisie_seed())
    identite = pieces(chef, r.candidature_id)["IDENTITE"]
    justificatifs.deposer(chef, identite.id, "cni.png", png(photo(64, 48)))
    with chef.transaction() as s:      # a name stored before names were normalised
        s.scalars(select(FichierJustificatif)).one().nom_original = "cni\u202egnp.exe"
    rgpd.exporter_candidat(chef, compte, tmp_path / "export.zip")
    with zipfile.ZipFile(tmp_path / "export.zip") as z:
        noms = [n for n in z.namelist() if n.startswith("pieces/") and not n.endswith(".json")]
    assert noms == [f"pieces/{r.numero_inscription}/IDENTITE/cnignp.png"]
