"""Two workstations racing on the same rows, on SQLite and on PostgreSQL (ARCHITECTURE.md, « Two
versions »).

Each « poste » has its own Database (its own engine and connections), as two programs pointed at
one database would. Both open the record, both save at the same moment (a barrier, two threads):
exactly one wins, the other is refused and learns what the winner changed; re-applying its own
changes on the fresh record and saving again keeps both."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from cyclades_desktop.models import AuditEntry
from cyclades_desktop.rules import pieces as rp
from cyclades_desktop.rules.errors import ConflictError
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.comptes import conflits as conflits_compte
from cyclades_desktop.services.inscriptions import conflits as conflits_candidature
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.justificatifs import conflits as conflits_piece
from cyclades_desktop.services.justificatifs import controle
from cyclades_desktop.services.justificatifs import pieces as justificatifs
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.storage.database import Database
from tests.fabriques import compte_actif, saisie_seed, session_id


@pytest.fixture
def autre_poste(db_url: str, gestionnaire: Contexte) -> Iterator[Contexte]:
    """The gestionnaire, on a second workstation: another engine on the same database."""
    db = Database(db_url)
    yield Contexte(db, gestionnaire.clock, gestionnaire.agent)
    db.dispose()


def en_meme_temps(*sauvegardes: Callable[[], Any]) -> list[Any]:
    """Run the saves together from their own threads; each result is its value or its exception."""
    depart = threading.Barrier(len(sauvegardes))
    resultats: list[Any] = [None] * len(sauvegardes)

    def lancer(i: int) -> None:
        depart.wait()
        try:
            resultats[i] = sauvegardes[i]()
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            resultats[i] = exc

    fils = [threading.Thread(target=lancer, args=(i,)) for i in range(len(sauvegardes))]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=120)
    assert not any(f.is_alive() for f in fils), "une sauvegarde est restée bloquée"
    for r in resultats:
        if isinstance(r, Exception) and not isinstance(r, ConflictError):
            raise r
    return resultats


def un_gagnant(resultats: list[Any]) -> int:
    refus = [i for i, r in enumerate(resultats) if isinstance(r, ConflictError)]
    assert len(refus) == 1, resultats
    return 1 - refus[0]


def test_deux_postes_modifient_le_meme_compte(accueil: Contexte, autre_poste: Contexte):
    cid = compte_actif(accueil)
    postes = [accueil, autre_poste]
    ouvertures = [conflits_compte.instantane_compte(p, cid) for p in postes]
    sans_mdp = {"mot_de_passe": "", "mot_de_passe_confirmation": ""}
    saisies = [replace(ouvertures[0].saisie, prenoms="Marie-Jeanne", **sans_mdp),
               replace(ouvertures[1].saisie, nom_usage="MARTIN", email="martin@mail.fr",
                       email_confirmation="martin@mail.fr", **sans_mdp)]
    resultats = en_meme_temps(*(
        (lambda i=i: comptes.modifier_compte(postes[i], cid, saisies[i], row_version=ouvertures[i].row_version))
        for i in range(2)))
    g = un_gagnant(resultats)
    p = 1 - g

    conflit = conflits_compte.conflit_compte(postes[p], cid, ouvertures[p], saisies[p])
    gagnant = postes[g].agent
    assert gagnant is not None and conflit.auteur is not None and f"({gagnant.login})" in conflit.auteur
    assert conflit.quand == "10/11/2024 11:00 (heure de Paris)"
    vus = {c.champ: c for c in conflit.changements}
    if g == 0:
        assert set(vus) == {"prenoms"}
        assert (vus["prenoms"].a_l_ouverture, vus["prenoms"].maintenant) == ("Ngmb-Jeanne", "Marie-Jeanne")
    else:
        assert set(vus) == {"nom_usage", "email"}
        assert vus["email"].maintenant == "martin@mail.fr" and vus["nom_usage"].a_l_ouverture == "(vide)"
    assert not conflit.non_reappliques and not any(c.collision for c in conflit.changements)

    # The stale version is still refused; the fresh one with the user's changes re-applied is not.
    with pytest.raises(ConflictError):
        comptes.modifier_compte(postes[p], cid, saisies[p], row_version=ouvertures[p].row_version)
    comptes.modifier_compte(postes[p], cid, conflit.fusion, row_version=conflit.row_version)
    c = comptes.obtenir(accueil, cid)
    assert (c.prenoms, c.nom_usage, c.email) == ("Marie-Jeanne", "MARTIN", "martin@mail.fr")


def test_un_champ_modifie_des_deux_cotes_n_est_pas_ecrase(accueil: Contexte, autre_poste: Contexte):
    cid = compte_actif(accueil)
    a, b = conflits_compte.instantane_compte(accueil, cid), conflits_compte.instantane_compte(autre_poste, cid)
    comptes.modifier_compte(autre_poste, cid, replace(b.saisie, prenoms="Louise"), row_version=b.row_version)
    mien = replace(a.saisie, prenoms="Marie", nom_usage="DURAND")
    with pytest.raises(ConflictError):
        comptes.modifier_compte(accueil, cid, mien, row_version=a.row_version)
    conflit = conflits_compte.conflit_compte(accueil, cid, a, mien)
    (prenoms,) = conflit.changements
    assert (prenoms.libelle, prenoms.a_l_ouverture, prenoms.maintenant, prenoms.votre_valeur, prenoms.collision) \
        == ("Prénoms", "Ngmb-Jeanne", "Louise", "Marie", True)
    assert conflit.non_reappliques == ("Prénoms",) and conflit.reappliques == ("Nom d'usage",)
    # Theirs is kept in the fusion (the dialog shows the user's value to type again).
    assert (conflit.fusion.prenoms, conflit.fusion.nom_usage) == ("Louise", "DURAND")


def test_deux_postes_modifient_la_meme_candidature(accueil: Contexte, autre_poste: Contexte):
    cid = compte_actif(accueil)
    d0 = inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP")
    candidature_id = inscriptions.enregistrer(accueil, d0, saisie_seed()).candidature_id
    postes = [accueil, autre_poste]
    ouverts = [inscriptions.ouvrir(p, candidature_id) for p in postes]
    demarrages = [inscriptions.preparer_modification(p, d) for p, (d, _s) in zip(postes, ouverts, strict=True)]
    saisies = [replace(ouverts[0][1], telephone_mobile="0611223344", conditions_acceptees=True),
               replace(ouverts[1][1], localite="Kourou", code_postal="97310", conditions_acceptees=True)]
    resultats = en_meme_temps(*(
        (lambda i=i: inscriptions.enregistrer(postes[i], demarrages[i], saisies[i])) for i in range(2)))
    g = un_gagnant(resultats)
    p = 1 - g
    assert resultats[g].version == 2

    conflit = conflits_candidature.conflit_candidature(postes[p], demarrages[p], ouverts[p][1], saisies[p])
    vus = {c.champ: (c.a_l_ouverture, c.maintenant) for c in conflit.changements}
    if g == 0:
        assert vus == {"telephone_mobile": ("0123456789", "0611223344")}
    else:
        assert vus == {"localite": ("Cayenne", "Kourou"), "code_postal": ("97300", "97310")}
    assert conflit.frais.row_version == conflit.row_version and conflit.frais.version == 2
    r = inscriptions.enregistrer(postes[p], conflit.frais, conflit.fusion)
    assert r.version == 3
    _d, finale = inscriptions.ouvrir(accueil, candidature_id)
    assert (finale.telephone_mobile, finale.localite, finale.code_postal) == ("0611223344", "Kourou", "97310")


def test_deux_relecteurs_changent_la_meme_piece(accueil: Contexte, gestionnaire: Contexte,
                                                autre_poste: Contexte):
    cid = compte_actif(accueil)
    d0 = inscriptions.demarrer(accueil, cid, session_id(accueil), "BCP")
    candidature_id = inscriptions.enregistrer(accueil, d0, saisie_seed()).candidature_id
    ligne = next(x for x in controle.grille(gestionnaire, controle.FiltrePieces())
                 if x.candidature_id == candidature_id)
    postes = [gestionnaire, autre_poste]
    demandes = [conflits_piece.SaisiePiece(rp.NON_CONFORME, "Document illisible"), conflits_piece.SaisiePiece(rp.CONFORME)]
    resultats = en_meme_temps(*(
        (lambda i=i: justificatifs.changer_statut(postes[i], [ligne.id], demandes[i].statut,
                                                  commentaire=demandes[i].commentaire,
                                                  row_versions={ligne.id: ligne.row_version}))
        for i in range(2)))
    g = un_gagnant(resultats)
    p = 1 - g
    conflit = conflits_piece.conflit_piece(postes[p], ligne, demandes[p])
    statut = next(c for c in conflit.changements if c.champ == "statut")
    assert statut.maintenant == rp.STATUTS[demandes[g].statut]
    assert statut.votre_valeur == rp.STATUTS[demandes[p].statut] and statut.collision
    assert conflit.fusion.statut == demandes[g].statut     # nothing of the loser's applied by itself
    # The loser, having read the dialog, applies its status again on the fresh row: both are in the trail.
    justificatifs.changer_statut(postes[p], [ligne.id], demandes[p].statut, commentaire=demandes[p].commentaire,
                                 row_versions={ligne.id: conflit.row_version})
    assert controle.ligne(gestionnaire, ligne.id).statut == demandes[p].statut
    with accueil.lecture() as s:
        statuts = list(s.scalars(select(AuditEntry.apres).where(
            AuditEntry.entite == "justificatif", AuditEntry.entite_id == str(ligne.id)).order_by(AuditEntry.id)))
    assert [a["statut"] for a in statuts] == [demandes[g].statut, demandes[p].statut]
