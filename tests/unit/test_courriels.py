"""Messages by e-mail: the outbox filled with each message, sending to a real SMTP server on 127.0.0.1
(aiosmtpd), retries with backoff, permanent refusals, settings without the password in the database."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from cyclades_desktop import cli
from cyclades_desktop.models import AuditEntry, EnvoiCourriel, Message
from cyclades_desktop.rules.errors import DomainError, PermissionDenied, ValidationError
from cyclades_desktop.rules.temps import FixedClock
from cyclades_desktop.services.comptes import candidats as comptes
from cyclades_desktop.services.courriels import boite_envoi as courriels
from cyclades_desktop.services.courriels import secret as courriels_secret
from cyclades_desktop.services.inscriptions import enregistrement as inscriptions
from cyclades_desktop.services.noyau.contexte import Contexte
from tests.fabriques import compte_actif, saisie_seed, session_id
from tests.serveur_smtp import Boite, certificat, openssl_disponible, port_libre, serveur

MOT_DE_PASSE_SMTP = "Tr3s-S3cret-SMTP"
OBJET_INSCRIPTION = ("Confirmation d'inscription : BACCALAURÉAT PROFESSIONNEL Aéronautique option Systèmes "
                     "- session 2025")


@pytest.fixture(autouse=True)
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "secrets"
    monkeypatch.setenv(courriels_secret.ENV_DOSSIER, str(d))
    monkeypatch.delenv(courriels_secret.ENV_MOT_DE_PASSE, raising=False)
    return d


def parametrer(ctx: Contexte, port: int, **changes: object) -> None:
    saisie = courriels.SaisieSmtp(hote="127.0.0.1", port=str(port), securite="aucune",
                                  adresse_expediteur="dec-examens@ac-exemple.fr",
                                  nom_expediteur="Bureau des examens professionnels")
    for k, v in changes.items():
        setattr(saisie, k, v)
    courriels.enregistrer_parametres(ctx, saisie)


def inscrire(ctx: Contexte) -> int:
    cid = compte_actif(ctx)
    d = inscriptions.demarrer(ctx, cid, session_id(ctx), "BCP")
    inscriptions.enregistrer(ctx, d, saisie_seed())
    return cid


def envoi_de(ctx: Contexte, objet_debut: str) -> EnvoiCourriel:
    with ctx.lecture() as s:
        return s.scalar(select(EnvoiCourriel).join(Message, Message.id == EnvoiCourriel.message_id)
                        .where(Message.objet.startswith(objet_debut)))


def etats(ctx: Contexte) -> dict[str, str]:
    with ctx.lecture() as s:
        return {objet: etat for objet, etat in s.execute(
            select(Message.objet, EnvoiCourriel.etat).join(EnvoiCourriel, EnvoiCourriel.message_id == Message.id))}


# --- the outbox is filled with every message ----------------------------------------------------

def test_every_message_gets_its_outbox_row_in_the_same_transaction(chef: Contexte):
    cid = inscrire(chef)
    with chef.lecture() as s:
        messages = s.scalar(select(func.count()).select_from(Message).where(Message.compte_id == cid))
        envois = list(s.scalars(select(EnvoiCourriel)))
    # Activation (account) + confirmation d'inscription, each queued at once, due now.
    assert messages == 2 and len(envois) == 2
    assert {(e.etat, e.tentatives, e.prochain_essai) for e in envois} == {("a_envoyer", 0, chef.clock.now())}
    # A refused registration records neither the message nor its e-mail.
    d = inscriptions.demarrer(chef, cid, session_id(chef), "BCP")
    with pytest.raises(ValidationError):
        inscriptions.enregistrer(chef, d, saisie_seed())
    with chef.lecture() as s:
        assert s.scalar(select(func.count()).select_from(EnvoiCourriel)) == 2


def test_nothing_is_sent_while_the_server_is_not_set_up(chef: Contexte):
    inscrire(chef)
    rapport = courriels.envoyer_en_attente(chef)
    assert rapport.non_configure and "n'est pas paramétrée" in rapport.texte
    assert set(etats(chef).values()) == {"a_envoyer"}


# --- delivery ----------------------------------------------------------------------------------

def test_registration_message_is_delivered_with_subject_recipient_and_utf8_body(chef: Contexte):
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port)
        inscrire(chef)
        rapport = courriels.envoyer_en_attente(chef)
    assert (rapport.envoyes, rapport.reportes, rapport.echecs) == (2, 0, 0)
    assert rapport.texte == "2 messages envoyés."
    m = next(m for m in boite.recus if m["Subject"] == OBJET_INSCRIPTION)
    assert m["To"] == "1948418953@mail.fr"
    assert m["From"] == "Bureau des examens professionnels <dec-examens@ac-exemple.fr>"
    assert m["Date"] and m["Message-ID"].endswith("@ac-exemple.fr>")
    corps = m.get_content()
    assert "Votre inscription à l'examen BACCALAURÉAT PROFESSIONNEL" in corps
    assert "« Mes documents »" in corps
    assert m.get_content_charset() == "utf-8"
    assert ("dec-examens@ac-exemple.fr", ["1948418953@mail.fr"]) in boite.enveloppes
    e = envoi_de(chef, "Confirmation d'inscription")
    assert (e.etat, e.tentatives, e.envoye_le, e.derniere_erreur) == ("envoye", 1, chef.clock.now(), None)
    # Sent once: a second run finds nothing due.
    with serveur(boite) as port:
        parametrer(chef, port)
        assert courriels.envoyer_en_attente(chef).envoyes == 0
    assert len(boite.recus) == 2


def test_temporary_refusal_then_acceptance_after_the_backoff(chef: Contexte, clock: FixedClock):
    boite = Boite(refus="451 4.3.0 Réessayez plus tard", refus_premiers=1)
    with serveur(boite) as port:
        parametrer(chef, port)
        cid = compte_actif(chef)
        depart = clock.now()
        r1 = courriels.envoyer_en_attente(chef)
        assert (r1.envoyes, r1.reportes) == (0, 1)
        e = envoi_de(chef, "[CYCLADES] Activer")
        assert (e.etat, e.tentatives) == ("a_envoyer", 1)
        assert e.derniere_erreur == "Refus temporaire du serveur : 451 4.3.0 Réessayez plus tard"
        assert e.prochain_essai == depart + timedelta(minutes=1)
        # Not due yet: nothing happens.
        clock.advance(seconds=30)
        assert courriels.envoyer_en_attente(chef).envoyes == 0 and boite.essais == 1
        clock.advance(seconds=31)
        r2 = courriels.envoyer_en_attente(chef)
    assert r2.envoyes == 1
    e = envoi_de(chef, "[CYCLADES] Activer")
    assert (e.etat, e.tentatives, e.derniere_erreur) == ("envoye", 2, None)
    assert [m["Subject"] for m in boite.recus] == ["[CYCLADES] Activer mon compte"]
    # The account screen's history shows the state per message.
    lignes = courriels.envois_du_compte(chef, cid)
    assert [x.texte_etat for x in lignes.values()] == ["Envoyé par mail le 10/11/2024 11:01 (heure de Paris)"]


def test_server_down_keeps_the_message_waiting_with_reason_and_next_attempt(chef: Contexte, clock: FixedClock):
    parametrer(chef, port_libre())      # nobody listens there
    compte_actif(chef)
    compte_actif(chef, email="autre.candidat@mail.fr", nom="Martin", prenoms="paul")
    r = courriels.envoyer_en_attente(chef)
    assert (r.envoyes, r.reportes, r.echecs) == (0, 1, 0)
    assert r.interruption == "Serveur injoignable (connexion refusée)"
    assert "Les messages restants attendent le prochain essai" in r.texte
    with chef.lecture() as s:
        envois = list(s.scalars(select(EnvoiCourriel).order_by(EnvoiCourriel.id)))
    # The first was tried (reason, next attempt in 1 min); the run stopped, the second waits untouched.
    assert [(e.etat, e.tentatives, e.derniere_erreur) for e in envois] == [
        ("a_envoyer", 1, "Serveur injoignable (connexion refusée)"), ("a_envoyer", 0, None)]
    assert envois[0].prochain_essai == clock.now() + timedelta(minutes=1)
    ligne = courriels.lister(chef, "a_envoyer")[-1]
    assert ligne.texte_etat == ("À envoyer par mail (prochain essai le 10/11/2024 11:01, heure de Paris) ; "
                                "dernière erreur : Serveur injoignable (connexion refusée)")
    # When the server is back, everything that waited goes out.
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port)
        clock.advance(minutes=1)
        assert courriels.envoyer_en_attente(chef).envoyes == 2
    assert sorted(m["To"] for m in boite.recus) == ["1948418953@mail.fr", "autre.candidat@mail.fr"]


def test_backoff_then_given_up_then_sent_again(chef: Contexte, clock: FixedClock):
    parametrer(chef, port_libre())
    compte_actif(chef)
    courriels.envoyer_en_attente(chef)
    # Backoff grows 1 min, 5 min, 15 min, 1 h, 4 h, then 12 h; after 8 attempts the message is given up.
    for minutes in [5, 15, 60, 240, 720, 720]:
        clock.advance(hours=13)
        courriels.envoyer_en_attente(chef)
        e = envoi_de(chef, "[CYCLADES] Activer")
        assert e.prochain_essai == clock.now() + timedelta(minutes=minutes)
    clock.advance(hours=13)
    r = courriels.envoyer_en_attente(chef)
    assert r.echecs == 1
    e = envoi_de(chef, "[CYCLADES] Activer")
    assert (e.etat, e.tentatives) == ("echec", 8)
    assert e.derniere_erreur == "Serveur injoignable (connexion refusée) (abandon après 8 tentatives)"
    # « Renvoyer » brings the given-up message back, due at once (audited).
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port)
        assert courriels.envoyer_en_attente(chef).envoyes == 0
        assert courriels.renvoyer(chef, [e.id]) == 1
        assert courriels.envoyer_en_attente(chef).envoyes == 1
    assert [m["To"] for m in boite.recus] == ["1948418953@mail.fr"]
    with chef.lecture() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.entite == "envoi_courriel")) == "renvoi"


def test_permanent_refusal_ends_in_failure_and_the_cli_reports_it(chef: Contexte, db_url: str, clock: FixedClock,
                                                                  capsys: pytest.CaptureFixture[str]):
    boite = Boite(refus="550 5.1.1 Destinataire inconnu", refus_premiers=None)
    with serveur(boite) as port:
        parametrer(chef, port)
        compte_actif(chef)
        code = cli.main(["--database-url", db_url, "envoyer-courriels"], clock=clock)
    sortie = capsys.readouterr()
    assert code == 1
    assert "0 message envoyé, 1 en échec." in sortie.out
    assert "1948418953@mail.fr : Refus définitif du serveur : 550 5.1.1 Destinataire inconnu" in sortie.err
    e = envoi_de(chef, "[CYCLADES] Activer")
    assert (e.etat, e.tentatives) == ("echec", 1)
    assert e.derniere_erreur == "Refus définitif du serveur : 550 5.1.1 Destinataire inconnu"
    # A failed message is not tried again by itself.
    clock.advance(days=2)
    assert courriels.envoyer_en_attente(chef).envoyes == 0


def test_cli_succeeds_and_a_claimed_message_is_not_sent_twice(chef: Contexte, db_url: str, clock: FixedClock,
                                                              capsys: pytest.CaptureFixture[str]):
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port)
        compte_actif(chef)
        e = envoi_de(chef, "[CYCLADES] Activer")
        # Another workstation claimed it (its version moved on): this one leaves it alone.
        assert courriels._reserver(chef, e.id, e.row_version) is not None
        assert courriels.envoyer_en_attente(chef).envoyes == 0
        assert courriels._reserver(chef, e.id, e.row_version) is None
        # If that workstation crashed, the message is due again after the reservation.
        clock.advance(minutes=11)
        assert cli.main(["--database-url", db_url, "envoyer-courriels"], clock=clock) == 0
    assert "1 message envoyé." in capsys.readouterr().out
    assert len(boite.recus) == 1


# --- settings and the password -----------------------------------------------------------------

def test_password_stays_out_of_the_database_and_login_works(chef: Contexte, secrets: Path, database):
    boite = Boite(identifiants={"dec-envoi": MOT_DE_PASSE_SMTP})
    with serveur(boite, authentification=True) as port:
        parametrer(chef, port, identifiant="dec-envoi", mot_de_passe=MOT_DE_PASSE_SMTP, envoi_automatique=True)
        assert courriels.tester_connexion(chef, courriels.SaisieSmtp(
            hote="127.0.0.1", port=str(port), securite="aucune", identifiant="dec-envoi",
            adresse_expediteur="dec-examens@ac-exemple.fr")) == (
            f"Connexion réussie à 127.0.0.1:{port} (sans chiffrement, authentifiée avec le compte « dec-envoi »).")
        compte_actif(chef)
        assert courriels.envoyer_automatiquement(chef).envoyes == 1
        with pytest.raises(DomainError, match="Identifiant ou mot de passe refusé par le serveur"):
            courriels.tester_connexion(chef, courriels.SaisieSmtp(
                hote="127.0.0.1", port=str(port), securite="aucune", identifiant="dec-envoi",
                mot_de_passe="mauvais", adresse_expediteur="dec-examens@ac-exemple.fr"))
    assert len(boite.recus) == 1
    with database.engine.connect() as conn:
        lignes = [tuple(str(v) for v in r) for r in conn.execute(text("SELECT * FROM parametre"))]
        journal = [str(r) for r in conn.execute(text("SELECT avant, apres FROM audit"))]
    assert lignes and not any(MOT_DE_PASSE_SMTP in v for r in lignes for v in r)
    assert not any(MOT_DE_PASSE_SMTP in j for j in journal)
    assert any("mot_de_passe" in j for j in journal)   # that it changed, never its value
    fichier = secrets / "secrets.json"
    assert MOT_DE_PASSE_SMTP in fichier.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(fichier.stat().st_mode) == 0o600
    etat = courriels.etat_parametres(chef)
    assert etat.mot_de_passe_enregistre and etat.parametres.identifiant == "dec-envoi"


def test_password_may_come_from_the_environment(chef: Contexte, monkeypatch: pytest.MonkeyPatch):
    boite = Boite(identifiants={"dec-envoi": MOT_DE_PASSE_SMTP})
    monkeypatch.setenv(courriels_secret.ENV_MOT_DE_PASSE, MOT_DE_PASSE_SMTP)
    with serveur(boite, authentification=True) as port:
        parametrer(chef, port, identifiant="dec-envoi")
        compte_actif(chef)
        assert courriels.envoyer_en_attente(chef).envoyes == 1


def test_settings_are_validated_audited_and_reserved_to_the_chef(chef: Contexte, gestionnaire: Contexte):
    with pytest.raises(ValidationError) as exc:
        courriels.enregistrer_parametres(chef, courriels.SaisieSmtp(hote="", port="70000",
                                                                    adresse_expediteur="pas-une-adresse"))
    assert exc.value.errors == {
        "hote": "Indiquez le serveur SMTP (par exemple smtp.ac-exemple.fr).",
        "port": "Le port est un nombre entre 1 et 65535.",
        "adresse_expediteur": "L'adresse mail n'est pas valide (exemple : nom.prenom@domaine.fr)."}
    with pytest.raises(PermissionDenied, match="modifier les paramètres de messagerie"):
        parametrer(gestionnaire, 25)
    parametrer(chef, 2525)
    with chef.lecture() as s:
        a = s.scalar(select(AuditEntry).where(AuditEntry.entite == "parametre"))
    assert (a.action, a.entite_id, a.agent_login) == ("modification", "smtp", "chef")
    assert a.apres["hote"] == "127.0.0.1" and a.apres["port"] == 2525
    # The gestionnaire works the outbox, the counter does not.
    assert courriels.lister(gestionnaire) == []
    assert courriels.compteurs(gestionnaire) == {}


def test_starttls_without_support_is_refused_gracefully(chef: Contexte):
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port, securite="starttls")
        compte_actif(chef)
        r = courriels.envoyer_en_attente(chef)
    assert r.interruption and r.interruption.startswith("Le serveur ne propose pas STARTTLS")
    assert envoi_de(chef, "[CYCLADES]").etat == "a_envoyer" and boite.recus == []


@pytest.mark.skipif(not openssl_disponible(), reason="openssl absent: no certificate for the TLS server")
@pytest.mark.parametrize("securite", ["starttls", "ssl"])
def test_encrypted_connection(chef: Contexte, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, securite: str):
    cert, contexte_serveur = certificat(tmp_path)
    boite = Boite(identifiants={"dec-envoi": MOT_DE_PASSE_SMTP})
    options = {"tls": contexte_serveur} if securite == "starttls" else {"ssl_direct": contexte_serveur}
    with serveur(boite, authentification=True, **options) as port:
        parametrer(chef, port, securite=securite, identifiant="dec-envoi", mot_de_passe=MOT_DE_PASSE_SMTP)
        compte_actif(chef)
        # A certificate this workstation does not trust: refused with a French reason, the message waits.
        r = courriels.envoyer_en_attente(chef)
        assert r.interruption and r.interruption.startswith("Certificat du serveur non reconnu")
        # Trusted (as an office's own authority would be, through SSL_CERT_FILE): sent over TLS, logged in.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        chef.clock.advance(minutes=2)  # type: ignore[attr-defined]
        assert courriels.envoyer_en_attente(chef).envoyes == 1
    assert [m["Subject"] for m in boite.recus] == ["[CYCLADES] Activer mon compte"]


def test_messages_older_than_the_outbox_are_not_sent(chef: Contexte):
    cid = compte_actif(chef)
    with chef.transaction() as s:   # a message recorded before this feature: no outbox row
        s.add(Message(compte_id=cid, objet="Ancien message", corps="…", destinataire="x@mail.fr",
                      cree_le=chef.clock.now()))
    boite = Boite()
    with serveur(boite) as port:
        parametrer(chef, port)
        assert courriels.envoyer_en_attente(chef).envoyes == 1
    assert [m["Subject"] for m in boite.recus] == ["[CYCLADES] Activer mon compte"]
    assert len(comptes.messages(chef, cid)) == 2
