"""The reviewers' grid service: filters, keyset paging, counts per status, permissions (real SQLite)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select, update

from cyclades_desktop.models import Candidature, Justificatif
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import NotFound, PermissionDenied
from cyclades_desktop.rules.personnel import Role
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.justificatifs.controle import FiltrePieces
from tests.fabriques import compte_actif, saisie_individuel, saisie_seed, session_id

TOUT = FiltrePieces(seulement_requises=False, seulement_actives=False)


def pdf(texte: str = "pièce") -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(100, 700, texte)
    c.showPage()
    c.save()
    return buf.getvalue()


def inscrire(ctx, compte_id, saisie) -> int:
    d = inscriptions.demarrer(ctx, compte_id, session_id(ctx), "BCP")
    return inscriptions.enregistrer(ctx, d, saisie).candidature_id


@pytest.fixture
def jeu(gestionnaire):
    """Two aéronautique candidatures (5 pieces each) and one in commerce-vente (outside the portfolio)."""
    a = compte_actif(gestionnaire)
    b = compte_actif(gestionnaire, email="b@exemple.fr", nom="Lefèvre", prenoms="Éloïse")
    c1 = inscrire(gestionnaire, a, saisie_seed())
    c2 = inscrire(gestionnaire, b, saisie_seed())
    c3 = inscrire(gestionnaire, b, saisie_individuel(specialite_id="BCP-31213"))
    return {"comptes": (a, b), "aero": (c1, c2), "commerce": c3}


@pytest.fixture(params=[10**9, -1, 1], ids=["depuis-les-candidatures", "par-echeance", "par-soustraction"])
def chemin(request, monkeypatch):
    """Every query plan of the service gives the same answer: starting from the candidatures, walking
    the deadline index, or (counts) subtracting the candidatures left out."""
    monkeypatch.setattr(controle, "SEUIL_PILOTAGE", request.param)
    return request.param


def total(ctx) -> int:
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(Justificatif))


def test_the_grid_lists_every_piece_with_its_candidate_in_deadline_order(gestionnaire, jeu):
    lignes = controle.grille(gestionnaire, FiltrePieces())
    assert len(lignes) == total(gestionnaire) and len(lignes) >= 12
    assert [x.cle for x in lignes] == sorted(x.cle for x in lignes)
    premiere = next(x for x in lignes if x.candidature_id == jeu["aero"][0] and x.piece_code == "IDENTITE")
    assert premiere.candidat == "NGMB-DUPONT Ngmb-Jeanne"
    assert premiere.numero_candidat.isdigit() and len(premiere.numero_candidat) == 11
    assert premiere.candidature == "001 – BCP Aéronautique option Systèmes 2025"
    assert premiere.piece_libelle == "Document justifiant l'identité"
    assert (premiere.statut, premiere.statut_libelle, premiere.a_fichier) == ("", "(aucun)", False)
    assert premiere.compte_id == jeu["comptes"][0]


def test_keyset_pages_continue_where_the_previous_one_stopped(gestionnaire, jeu, chemin):
    tout = controle.grille(gestionnaire, FiltrePieces(), limite=1000)
    vus, apres = [], None
    while True:
        page = controle.grille(gestionnaire, FiltrePieces(), apres=apres, limite=4)
        if not page:
            break
        assert len(page) <= 4
        vus.extend(page)
        apres = page[-1].cle
    assert [x.id for x in vus] == [x.id for x in tout]
    assert len({x.id for x in vus}) == len(vus)


def test_portfolio_filiere_specialite_and_domaine_filters(gestionnaire, creer_agent, jeu, chemin):
    aero = set(jeu["aero"])
    miennes = controle.grille(gestionnaire, FiltrePieces(mon_portefeuille=True))
    assert miennes and {x.candidature_id for x in miennes} == aero
    assert {x.candidature_id for x in controle.grille(gestionnaire, FiltrePieces(filiere="commerce-vente"))} \
        == {jeu["commerce"]}
    assert controle.grille(gestionnaire, FiltrePieces(filiere="commerce-vente", mon_portefeuille=True)) == []
    par_specialite = controle.grille(gestionnaire, FiltrePieces(specialite_id="BCP-25303"))
    assert {x.candidature_id for x in par_specialite} == aero
    assert len(controle.grille(gestionnaire, FiltrePieces(domaine="CAP"))) == 0
    assert len(controle.grille(gestionnaire, FiltrePieces(session_id=session_id(gestionnaire)))) == \
        total(gestionnaire)
    sans = creer_agent("sansportefeuille", Role.GESTIONNAIRE, [])
    assert controle.grille(sans, FiltrePieces(mon_portefeuille=True)) == []
    assert "aéronautique" in controle.filieres(gestionnaire)


def test_status_filter_and_counts(gestionnaire, jeu, chemin):
    lignes = controle.grille(gestionnaire, FiltrePieces(mon_portefeuille=True))
    conformes = [x.id for x in lignes[:3]]
    justificatifs.changer_statut(gestionnaire, conformes, rp.CONFORME)
    justificatifs.changer_statut(gestionnaire, [lignes[3].id], rp.NON_CONFORME,
                                 commentaire="Document illisible")
    filtre = FiltrePieces(mon_portefeuille=True, statut=rp.CONFORME)
    assert [x.id for x in controle.grille(gestionnaire, filtre)] == conformes
    assert all(x.revu_par == "gestion" and x.statut_libelle == "Conforme"
               for x in controle.grille(gestionnaire, filtre))
    comptes = controle.compter_par_statut(gestionnaire, filtre)      # the status filter is ignored
    assert set(comptes) == set(rp.STATUTS)
    assert comptes[rp.CONFORME] == 3 and comptes[rp.NON_CONFORME] == 1
    assert comptes[rp.AUCUN] == len(lignes) - 4 and sum(comptes.values()) == len(lignes)
    aucun = controle.grille(gestionnaire, FiltrePieces(mon_portefeuille=True, statut=rp.AUCUN))
    assert len(aucun) == comptes[rp.AUCUN]
    refus = controle.ligne(gestionnaire, lignes[3].id)
    assert (refus.statut, refus.commentaire) == (rp.NON_CONFORME, "Document illisible")


def test_candidate_search_by_number_or_name_prefix(gestionnaire, jeu, chemin):
    lignes = controle.grille(gestionnaire, FiltrePieces())
    numero = next(x.numero_candidat for x in lignes if x.compte_id == jeu["comptes"][1])
    par_numero = controle.grille(gestionnaire, FiltrePieces(candidat=numero))
    assert par_numero and {x.compte_id for x in par_numero} == {jeu["comptes"][1]}
    assert sum(controle.compter_par_statut(gestionnaire, FiltrePieces(candidat=numero)).values()) == len(par_numero)
    assert {x.compte_id for x in controle.grille(gestionnaire, FiltrePieces(candidat="lefev"))} == \
        {jeu["comptes"][1]}
    assert {x.compte_id for x in controle.grille(gestionnaire, FiltrePieces(candidat="LEFÈVRE élo"))} == \
        {jeu["comptes"][1]}
    assert controle.grille(gestionnaire, FiltrePieces(candidat="zzz")) == []


def test_deadline_inactive_and_no_longer_required_filters(gestionnaire, jeu, chemin):
    avant = datetime(2025, 1, 1, tzinfo=UTC)
    lignes = controle.grille(gestionnaire, FiltrePieces(echeance_avant=avant))
    assert lignes and all(x.echeance < avant for x in lignes)
    assert "R408" not in {x.piece_code for x in lignes}          # due on 14/03/2025
    assert sum(controle.compter_par_statut(gestionnaire, FiltrePieces(echeance_avant=avant)).values()) == len(lignes)
    with gestionnaire.transaction() as s:
        s.execute(update(Candidature).where(Candidature.id == jeu["commerce"]).values(etat="desinscrit"))
        s.execute(update(Justificatif).where(Justificatif.candidature_id == jeu["aero"][0],
                                             Justificatif.piece_code == "JDC").values(requis=False))
    defaut = controle.grille(gestionnaire, FiltrePieces())
    assert jeu["commerce"] not in {x.candidature_id for x in defaut}
    assert ("JDC", jeu["aero"][0]) not in {(x.piece_code, x.candidature_id) for x in defaut}
    assert len(controle.grille(gestionnaire, TOUT)) == total(gestionnaire)
    session = FiltrePieces(session_id=session_id(gestionnaire))
    assert sum(controle.compter_par_statut(gestionnaire, session).values()) == \
        len(controle.grille(gestionnaire, session)) == len(defaut)
    assert sum(controle.compter_par_statut(gestionnaire, FiltrePieces()).values()) == len(defaut)


def test_a_deposited_file_shows_in_the_row_and_its_history(gestionnaire, jeu):
    j = next(x for x in controle.grille(gestionnaire, FiltrePieces()) if x.piece_code == "IDENTITE")
    justificatifs.deposer(gestionnaire, j.id, "identite.pdf", pdf("v1"))
    justificatifs.deposer(gestionnaire, j.id, "identite-bis.pdf", pdf("v2"))
    apres = controle.ligne(gestionnaire, j.id)
    assert apres.a_fichier and apres.depose_le is not None
    h = controle.historique(gestionnaire, j.id)
    assert [(f.nom, f.actif) for f in h] == [("identite-bis.pdf", True), ("identite.pdf", False)]
    with pytest.raises(NotFound):
        controle.ligne(gestionnaire, 10**9)


def test_the_counter_cannot_read_the_grid(accueil, gestionnaire, jeu):
    for appel in (lambda: controle.grille(accueil, FiltrePieces()),
                  lambda: controle.compter_par_statut(accueil, FiltrePieces()),
                  lambda: controle.ligne(accueil, 1),
                  lambda: controle.historique(accueil, 1)):
        with pytest.raises(PermissionDenied):
            appel()
