"""Creating an account at the counter: the box says what really became of the e-mail carrying the
activation code (sent, waiting in the outbox, no mail server), and the code can be printed for the
candidate (docs/domaine/comptes.md#activation)."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from cyclades_desktop.models import EnvoiCourriel
from cyclades_desktop.rules.comptes import SaisieCompte
from cyclades_desktop.rules.courriels import EtatEnvoi, SituationEnvoi
from cyclades_desktop.rules.errors import DomainError
from cyclades_desktop.services import courriels
from cyclades_desktop.services.comptes import CompteCree, activer_compte, creer_compte, fiche_code_activation
from cyclades_desktop.services.courriels import secret as courriels_secret
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.services.referentiel import lecture as referentiel
from cyclades_desktop.ui.apercu_pdf import ApercuPdf

from .helpers import boites_ouvertes

EMAIL = "elodie.lefevre@exemple.fr"
MDP = "Guichet.2024"
ENVOYE = "Le message contenant le code d'activation lui a été envoyé par mail à l'adresse elodie.lefevre@exemple.fr."
AUTOMATIQUE = ("Le message contenant le code d'activation est dans la boîte d'envoi : il partira automatiquement à "
               "l'adresse elodie.lefevre@exemple.fr dans les prochaines minutes.")
EN_ATTENTE = ("Le message contenant le code d'activation attend dans la boîte d'envoi : il ne partira à l'adresse "
              "elodie.lefevre@exemple.fr que lorsqu'il sera envoyé depuis la « Boîte d'envoi ».")
ECHEC = ("Le message contenant le code d'activation n'a pas pu être envoyé à l'adresse elodie.lefevre@exemple.fr "
         "(détail dans la « Boîte d'envoi »).")
NON_CONFIGURE = ("Aucune messagerie n'est paramétrée : le message contenant le code d'activation reste dans la "
                 "boîte d'envoi et n'est pas envoyé à l'adresse elodie.lefevre@exemple.fr.")
REMETTRE = "Remettez-lui le code imprimé"


@pytest.fixture(autouse=True)
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "secrets"
    monkeypatch.setenv(courriels_secret.ENV_DOSSIER, str(d))
    monkeypatch.delenv(courriels_secret.ENV_MOT_DE_PASSE, raising=False)
    return d


def parametrer(chef: Contexte, automatique: bool) -> None:
    courriels.enregistrer_parametres(chef, courriels.SaisieSmtp(
        hote="smtp.ac-exemple.fr", port="587", securite="starttls", adresse_expediteur="dec@ac-exemple.fr",
        envoi_automatique=automatique))


def creer(ctx: Contexte) -> CompteCree:
    bugarach = referentiel.rechercher_communes(ctx, "11", "Bugarach")[0]
    return creer_compte(ctx, SaisieCompte(
        sexe="F", nom="Lefèvre-Ngmb", nom_confirmation="Lefèvre-Ngmb", prenoms="Élodie", date_naissance="30/05/1998",
        date_naissance_confirmation="30/05/1998", pays_naissance="FR", departement_naissance="11",
        commune_naissance=str(bugarach.id), email=EMAIL, email_confirmation=EMAIL, mot_de_passe=MDP,
        mot_de_passe_confirmation=MDP))


def marquer(ctx: Contexte, etat: EtatEnvoi) -> None:
    with ctx.transaction() as s:
        s.execute(update(EnvoiCourriel).values(etat=etat))


@pytest.mark.parametrize(("reglage", "etat", "situation", "phrase"), [
    (None, None, SituationEnvoi.NON_CONFIGURE, NON_CONFIGURE),
    ("manuel", None, SituationEnvoi.EN_ATTENTE, EN_ATTENTE),
    ("automatique", None, SituationEnvoi.AUTOMATIQUE, AUTOMATIQUE),
    ("manuel", EtatEnvoi.ECHEC, SituationEnvoi.ECHEC, ECHEC),
    ("automatique", EtatEnvoi.ENVOYE, SituationEnvoi.ENVOYE, ENVOYE),
])
def test_la_creation_dit_ce_qui_est_arrive_au_message(qtbot, fenetre, chef, reglage, etat, situation, phrase):
    if reglage is not None:
        parametrer(chef, automatique=reglage == "automatique")
    cree = creer(chef)
    if etat is not None:
        marquer(chef, etat)
    assert courriels.situation_message(chef, cree.message_id) == situation
    zone = fenetre.aller_a("candidats")
    zone._enregistre(cree.id, cree)            # what the form's Enregistrer leads to
    boite = zone.dialogue_cree
    qtbot.waitUntil(boite.isVisible)
    texte = boite.text()
    assert phrase in texte
    assert f"Code d'activation : {cree.code_activation}" in texte
    assert (REMETTRE in texte) == (situation != SituationEnvoi.ENVOYE)
    assert ("lui a été envoyé" in texte) == (situation == SituationEnvoi.ENVOYE)
    boite.bouton_fermer.click()
    assert not boite.isVisible()


def test_imprimer_le_code_pour_le_candidat(qtbot, fenetre, chef):
    cree = creer(chef)
    zone = fenetre.aller_a("candidats")
    zone._enregistre(cree.id, cree)
    boite = zone.dialogue_cree
    assert boite.defaultButton() is boite.bouton_imprimer     # no mail server: printing comes first
    boite.bouton_imprimer.click()
    qtbot.waitUntil(lambda: isinstance(boite.apercu, ApercuPdf) and boite.apercu.isVisible())
    assert boite.isVisible()                                   # the box stays for « Fermer »
    texte = " ".join(p.extract_text() for p in PdfReader(BytesIO(boite.apercu.contenu)).pages)
    texte = re.sub(r"\s+", " ", texte.replace("\u00a0", " "))
    assert f"Code d'activation : {cree.code_activation}" in texte
    assert f"N° candidat : {cree.numero_candidat}" in texte and EMAIL in texte
    assert "avant le 12/11/2024 11:00 (heure de Paris)" in texte
    boite.apercu.close()
    boite.bouton_fermer.click()


def test_un_code_faux_ou_deja_utilise_ne_s_imprime_pas(chef):
    cree = creer(chef)
    with pytest.raises(DomainError, match="pas celui du compte"):
        fiche_code_activation(chef, cree.id, "FAUX-CODE")
    activer_compte(chef, cree.id, cree.code_activation)
    with pytest.raises(DomainError, match="déjà activé"):
        fiche_code_activation(chef, cree.id, cree.code_activation)


def test_la_reinitialisation_dit_aussi_ce_qui_est_arrive_au_message(qtbot, fenetre, chef):
    cree = creer(chef)
    zone = fenetre.aller_a("candidats")
    fiche = zone.ouvrir(cree.id)
    fiche.reinitialiser()
    qtbot.waitUntil(lambda: any(b.windowTitle() == "Mot de passe provisoire" for b in boites_ouvertes()))
    boite = next(b for b in boites_ouvertes() if b.windowTitle() == "Mot de passe provisoire")
    assert ("Aucune messagerie n'est paramétrée : le message l'informant de la réinitialisation reste dans la "
            f"boîte d'envoi et n'est pas envoyé à l'adresse {EMAIL}.") in boite.text()
    assert "lui a été envoyé" not in boite.text()
    boite.accept()
