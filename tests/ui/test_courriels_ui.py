"""Messages by e-mail on screen: the chef's « Paramètres de messagerie » (validation next to the fields,
« Tester la connexion » against a real SMTP server), the « Boîte d'envoi » zone (states, filter, send
now, send again) and the e-mail state on the candidate's message history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTableView
from sqlalchemy import text

from cyclades_desktop.app import create_main_window
from cyclades_desktop.services.courriels import boite_envoi as courriels
from cyclades_desktop.services.courriels import secret as courriels_secret
from cyclades_desktop.services.noyau.contexte import Contexte
from cyclades_desktop.ui.courriels.parametres import DialogueMessagerie
from cyclades_desktop.ui.courriels.zone import ZoneBoiteEnvoi
from tests.fabriques import compte_actif
from tests.serveur_smtp import Boite, port_libre, serveur
from tests.ui.helpers import capturer, par_nom

MOT_DE_PASSE_SMTP = "Tr3s-S3cret-SMTP"


@pytest.fixture(autouse=True)
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(courriels_secret.ENV_DOSSIER, str(tmp_path / "secrets"))
    monkeypatch.delenv(courriels_secret.ENV_MOT_DE_PASSE, raising=False)
    return tmp_path / "secrets"


def remplir(dialogue: DialogueMessagerie, **valeurs: str) -> None:
    for libelle, valeur in valeurs.items():
        champ = par_nom(dialogue, libelle, QLineEdit)
        champ.clear()
        champ.insert(valeur)


def parametrer(ctx: Contexte, port: int) -> None:
    courriels.enregistrer_parametres(ctx, courriels.SaisieSmtp(
        hote="127.0.0.1", port=str(port), securite="aucune", adresse_expediteur="dec-examens@ac-exemple.fr",
        nom_expediteur="Bureau des examens professionnels"))


def cellules(table: QTableView, colonne: str) -> list[str]:
    m = table.model()
    col = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())].index(colonne)
    return [m.index(r, col).data() for r in range(m.rowCount())]


def test_parametres_de_messagerie(qtbot, fenetre, chef: Contexte, db_url: str):
    action = fenetre.action_messagerie
    assert action.isVisible() and action.text() == "Paramètres de &messagerie…"
    action.trigger()
    dialogue = par_nom(fenetre, "Paramètres de messagerie", DialogueMessagerie)
    qtbot.waitUntil(dialogue.isVisible)
    assert not dialogue.isModal() or dialogue.windowModality() != Qt.WindowModality.ApplicationModal
    # The office's name is offered as the sender's name.
    assert par_nom(dialogue, "Nom de l'expéditeur", QLineEdit).text()
    # Bad input: the messages sit under their fields, nothing is saved.
    remplir(dialogue, **{"Serveur SMTP": "", "Port": "70000", "Adresse d'expédition": "dec-examens"})
    qtbot.mouseClick(par_nom(dialogue, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    f = dialogue.formulaire
    assert f.erreur("hote") == "Indiquez le serveur SMTP (par exemple smtp.ac-exemple.fr)."
    assert f.erreur("port") == "Le port est un nombre entre 1 et 65535."
    assert f.erreur("adresse_expediteur") == "L'adresse mail n'est pas valide (exemple : nom.prenom@domaine.fr)."
    assert dialogue.isVisible()
    # Choosing SSL/TLS proposes its usual port once the typed one is a default one.
    remplir(dialogue, Port="587")
    securite = par_nom(dialogue, "Sécurité", QComboBox)
    securite.setCurrentIndex(securite.findText("SSL/TLS"))
    assert par_nom(dialogue, "Port", QLineEdit).text() == "465"
    securite.setCurrentIndex(securite.findText("Aucune"))

    boite = Boite(identifiants={"dec-envoi": MOT_DE_PASSE_SMTP})
    with serveur(boite, authentification=True) as port:
        remplir(dialogue, **{"Serveur SMTP": "127.0.0.1", "Port": str(port), "Compte (identifiant)": "dec-envoi",
                             "Mot de passe": "mauvais", "Adresse d'expédition": "dec-examens@ac-exemple.fr"})
        resultat = par_nom(dialogue, "Résultat du test", QLabel)
        tester = par_nom(dialogue, "Tester la connexion", QPushButton)
        qtbot.mouseClick(tester, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: resultat.text().startswith("Échec"), timeout=20_000)
        assert "Identifiant ou mot de passe refusé par le serveur" in resultat.text()
        remplir(dialogue, **{"Mot de passe": MOT_DE_PASSE_SMTP})
        qtbot.mouseClick(tester, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: resultat.text().startswith("Connexion réussie"), timeout=20_000)
        assert resultat.text() == (f"Connexion réussie à 127.0.0.1:{port} (sans chiffrement, authentifiée avec le "
                                   "compte « dec-envoi »).")
    par_nom(dialogue, "Envoyer automatiquement", QCheckBox).setChecked(True)
    capturer(dialogue.grab(), "messagerie-parametres.png")
    qtbot.mouseClick(par_nom(dialogue, "Enregistrer", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialogue.isVisible())
    p = courriels.lire_parametres(chef)
    assert (p.hote, p.port, p.identifiant, p.envoi_automatique) == ("127.0.0.1", port, "dec-envoi", True)
    with fenetre.ctx.db.engine.connect() as conn:
        assert not any(MOT_DE_PASSE_SMTP in str(r) for r in conn.execute(text("SELECT * FROM parametre")))
    # Opened again: the password is known to be stored on this workstation, never shown.
    fenetre.ouvrir_parametres_messagerie()
    champ = par_nom(fenetre.dialogue_messagerie, "Mot de passe", QLineEdit)
    assert champ.text() == "" and "Enregistré sur ce poste" in champ.placeholderText()
    fenetre.dialogue_messagerie.reject()


def test_boite_d_envoi(qtbot, fenetre, chef: Contexte):
    clock = chef.clock
    compte_actif(chef)
    compte_actif(chef, email="refuse@mail.fr", nom="Martin", prenoms="paul")
    zone = fenetre.aller_a("boite_envoi")
    assert isinstance(zone, ZoneBoiteEnvoi)
    assert "Boîte d'envoi" in fenetre.titres_zones()
    table = par_nom(zone, "Messages de la boîte d'envoi", QTableView)
    assert cellules(table, "État") == ["À envoyer", "À envoyer"]
    assert "n'est pas paramétrée" in par_nom(zone, "Messagerie", QLabel).text()

    class Selective(Boite):
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001
            if address.startswith("refuse@"):
                return "550 5.1.1 Destinataire inconnu"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    boite = Selective()
    resultat = par_nom(zone, "Résultat de l'action", QLabel)
    with serveur(boite) as port:
        parametrer(chef, port)
        zone.charger()
        envoyer = par_nom(zone, "Envoyer maintenant", QPushButton)
        qtbot.mouseClick(envoyer, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: resultat.text().endswith("en échec."), timeout=20_000)
    assert resultat.text() == "1 message envoyé, 1 en échec."
    assert sorted(cellules(table, "État")) == ["Envoyé", "Échec"]
    assert "Refus définitif du serveur pour ce destinataire : 550 5.1.1 Destinataire inconnu" in cellules(
        table, "Envoyé le / raison")
    # Filter by state, read the message again, send the failed one again.
    filtre = par_nom(zone, "État", QComboBox)
    filtre.setCurrentIndex(filtre.findText("En échec"))
    assert cellules(table, "Destinataire") == ["refuse@mail.fr"]
    table.setFocus()
    table.selectRow(0)
    corps = par_nom(zone, "Contenu du message", QPlainTextEdit).toPlainText()
    assert corps.startswith("Objet : [CYCLADES] Activer mon compte\nÀ : refuse@mail.fr")
    assert "Échec de l'envoi par mail : Refus définitif" in corps
    qtbot.keyClick(table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.mouseClick(par_nom(zone, "Renvoyer la sélection", QPushButton), Qt.MouseButton.LeftButton)
    assert resultat.text() == "1 message remis dans la file, à envoyer maintenant."
    filtre.setCurrentIndex(filtre.findText("Tous les messages"))
    # The server is down now: the message waits with its reason and next attempt.
    parametrer(chef, port_libre())
    qtbot.mouseClick(par_nom(zone, "Envoyer maintenant", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "interrompu" in resultat.text(), timeout=20_000)
    assert "Serveur injoignable (connexion refusée)" in cellules(table, "Envoyé le / raison")
    assert cellules(table, "Prochain essai")[cellules(table, "État").index("À envoyer")] == "10/11/2024 11:01"
    assert par_nom(zone, "Nombre de messages", QLabel).text() == "À envoyer : 1 · Envoyés : 1 · En échec : 0"
    compte_actif(chef, email="sans.suite@mail.fr", nom="Durand", prenoms="lea")
    clock.advance(seconds=20)
    zone.charger()
    table.selectRow(cellules(table, "Destinataire").index("refuse@mail.fr"))
    assert "Serveur injoignable" in par_nom(zone, "Contenu du message", QPlainTextEdit).toPlainText()
    zone.resize(1200, 600)
    capturer(zone.grab(), "boite-envoi.png")


def test_envoi_automatique_de_la_fenetre(qtbot, fenetre, chef: Contexte):
    compte_actif(chef)
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port)
        fenetre.envoi_automatique.executer()           # off: nothing leaves
        qtbot.waitUntil(lambda: fenetre.envoi_automatique.tache is None, timeout=20_000)
        assert boite.recus == []
        courriels.enregistrer_parametres(chef, courriels.SaisieSmtp(
            hote="127.0.0.1", port=str(port), securite="aucune", adresse_expediteur="dec-examens@ac-exemple.fr",
            envoi_automatique=True))
        with qtbot.waitSignal(fenetre.envoi_automatique.termine, timeout=20_000) as signal:
            fenetre.envoi_automatique.executer()
    assert signal.args[0].envoyes == 1
    assert [m["To"] for m in boite.recus] == ["1948418953@mail.fr"]
    assert fenetre.envoi_automatique.minuterie.interval() == 60_000


def test_historique_du_candidat_montre_l_envoi(qtbot, fenetre, chef: Contexte):
    cid = compte_actif(chef)
    with serveur(Boite()) as port:
        parametrer(chef, port)
        courriels.envoyer_en_attente(chef)
    fiche = fenetre.aller_a("candidats").ouvrir(cid)
    table = fiche.messages
    assert table.horizontalHeaderItem(2).text() == "Envoi par mail"
    assert table.item(0, 2).text() == "Envoyé"
    table.setCurrentCell(0, 1)
    corps = par_nom(fiche, "Contenu du message", QPlainTextEdit).toPlainText()
    assert "Envoyé par mail le 10/11/2024 11:00 (heure de Paris)" in corps


def test_roles(qtbot, db_url, clock, gestionnaire: Contexte, accueil: Contexte):
    w = create_main_window(db_url, clock=clock, user="gestion")
    qtbot.addWidget(w)
    assert "Boîte d'envoi" in w.titres_zones()
    assert not w.action_messagerie.isVisible() and w.ouvrir_parametres_messagerie() is None
    zone = w.aller_a("boite_envoi")
    assert not par_nom(zone, "Paramètres de messagerie…", QPushButton).isVisibleTo(zone)
    w.ctx.db.dispose()
    w = create_main_window(db_url, clock=clock, user="accueil")
    qtbot.addWidget(w)
    assert "Boîte d'envoi" not in w.titres_zones()
    w.ctx.db.dispose()
