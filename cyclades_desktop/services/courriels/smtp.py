"""Talking to the office's SMTP server: building the e-mail from the settings (rules/courriels.py),
sending it and turning every failure into a French reason that says whether trying again later makes
sense. No database."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from ...rules.courriels import ParametresSmtp, Securite

DELAI_SECONDES = 15


@dataclass
class Courriel:
    """One message to hand to the server."""

    message_id: int
    destinataire: str
    objet: str
    corps: str
    cree_le: datetime


class EchecEnvoi(Exception):
    """A failure in French. ``temporaire``: try again later; ``serveur``: the server or the settings are
    at fault (not this message), so the rest of the run would fail the same way."""

    def __init__(self, raison: str, *, temporaire: bool, serveur: bool) -> None:
        super().__init__(raison)
        self.raison = raison
        self.temporaire = temporaire
        self.serveur = serveur


def construire(p: ParametresSmtp, c: Courriel) -> EmailMessage:
    m = EmailMessage()
    m["From"] = formataddr((p.nom_expediteur.strip(), p.adresse_expediteur.strip())) \
        if p.nom_expediteur.strip() else p.adresse_expediteur.strip()
    m["To"] = c.destinataire
    m["Subject"] = c.objet
    m["Date"] = format_datetime(c.cree_le)
    # Stable per message: if a crash makes us send it twice, mail systems can recognise the duplicate.
    domaine = p.adresse_expediteur.rpartition("@")[2] or "cyclades.invalid"
    m["Message-ID"] = f"<cyclades.message.{c.message_id}.{int(c.cree_le.timestamp())}@{domaine}>"
    m.set_content(c.corps, charset="utf-8")
    return m


def _texte(reponse: bytes | str) -> str:
    t = reponse.decode("utf-8", "replace") if isinstance(reponse, bytes) else str(reponse)
    return " ".join(t.split())


def _refus(code: int, reponse: bytes | str, quoi: str = "") -> EchecEnvoi:
    detail = f"{code} {_texte(reponse)}".strip()
    if 400 <= code < 500:
        return EchecEnvoi(f"Refus temporaire du serveur{quoi} : {detail}", temporaire=True, serveur=False)
    return EchecEnvoi(f"Refus définitif du serveur{quoi} : {detail}", temporaire=False, serveur=False)


def traduire(exc: BaseException, hote: str = "") -> EchecEnvoi:
    """Any exception raised while talking to the server, as a French reason."""
    if isinstance(exc, EchecEnvoi):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return EchecEnvoi(f"Identifiant ou mot de passe refusé par le serveur ({exc.smtp_code} "
                          f"{_texte(exc.smtp_error)})", temporaire=True, serveur=True)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return EchecEnvoi(f"Le serveur ne propose pas cette fonction : {exc}", temporaire=True, serveur=True)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reponse = next(iter(exc.recipients.values()), (550, b""))
        return _refus(code, reponse, " pour ce destinataire")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        e = _refus(exc.smtp_code, exc.smtp_error, " pour l'adresse d'expéditeur")
        e.serveur = True   # every message would be refused the same way
        return e
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return EchecEnvoi("Connexion interrompue par le serveur", temporaire=True, serveur=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _refus(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return EchecEnvoi(f"Certificat du serveur non reconnu ({exc.verify_message or exc.reason})",
                          temporaire=True, serveur=True)
    if isinstance(exc, ssl.SSLError):
        return EchecEnvoi(f"Échec de la connexion sécurisée ({exc.reason or exc})", temporaire=True, serveur=True)
    if isinstance(exc, ConnectionRefusedError):
        return EchecEnvoi("Serveur injoignable (connexion refusée)", temporaire=True, serveur=True)
    if isinstance(exc, socket.gaierror):
        return EchecEnvoi(f"Serveur introuvable (nom « {hote} » inconnu)", temporaire=True, serveur=True)
    if isinstance(exc, TimeoutError | socket.timeout):
        return EchecEnvoi("Serveur injoignable (délai de réponse dépassé)", temporaire=True, serveur=True)
    if isinstance(exc, OSError):
        return EchecEnvoi(f"Serveur injoignable ({exc.strerror or exc})", temporaire=True, serveur=True)
    if isinstance(exc, smtplib.SMTPException):
        return EchecEnvoi(f"Erreur du serveur de messagerie : {exc}", temporaire=True, serveur=True)
    return EchecEnvoi(f"Erreur inattendue pendant l'envoi ({type(exc).__name__})", temporaire=True, serveur=True)


class Connexion:
    """One SMTP session, reused for a whole run (opening one per message is slow and impolite)."""

    def __init__(self, p: ParametresSmtp, mot_de_passe: str | None, *, delai: float = DELAI_SECONDES) -> None:
        self.p = p
        self.mot_de_passe = mot_de_passe
        self.delai = delai
        self.smtp: smtplib.SMTP | None = None

    def ouvrir(self) -> None:
        """Connect, EHLO, STARTTLS if asked, login if an account is set. Raises EchecEnvoi."""
        p = self.p
        try:
            contexte_tls = ssl.create_default_context()
            if p.securite == Securite.SSL:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(p.hote, p.port, timeout=self.delai, context=contexte_tls)
            else:
                smtp = smtplib.SMTP(p.hote, p.port, timeout=self.delai)
            self.smtp = smtp
            smtp.ehlo()
            if p.securite == Securite.STARTTLS:
                if not smtp.has_extn("starttls"):
                    raise EchecEnvoi("Le serveur ne propose pas STARTTLS : choisissez une autre sécurité "
                                     "ou un autre port", temporaire=True, serveur=True)
                smtp.starttls(context=contexte_tls)
                smtp.ehlo()
            if p.identifiant.strip():
                if not self.mot_de_passe:
                    raise EchecEnvoi("Aucun mot de passe enregistré sur ce poste pour le compte "
                                     f"« {p.identifiant} »", temporaire=True, serveur=True)
                if not smtp.has_extn("auth"):
                    raise EchecEnvoi("Le serveur n'accepte pas d'authentification sur cette connexion "
                                     "(essayez STARTTLS)", temporaire=True, serveur=True)
                smtp.login(p.identifiant.strip(), self.mot_de_passe)
        except BaseException as exc:
            self.fermer()
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise traduire(exc, p.hote) from exc

    def envoyer(self, c: Courriel) -> None:
        if self.smtp is None:
            self.ouvrir()
        assert self.smtp is not None
        try:
            refuses = self.smtp.send_message(construire(self.p, c), from_addr=self.p.adresse_expediteur.strip(),
                                             to_addrs=[c.destinataire])
        except Exception as exc:
            e = traduire(exc, self.p.hote)
            if e.serveur:
                self.fermer()
            raise e from exc
        if refuses:   # only possible with several recipients; kept for completeness
            code, reponse = next(iter(refuses.values()))
            raise _refus(code, reponse, " pour ce destinataire")

    def fermer(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except Exception:   # already gone: nothing to tell anyone
                self.smtp.close()
            self.smtp = None


def tester(p: ParametresSmtp, mot_de_passe: str | None) -> str:
    """Connect, EHLO, (STARTTLS), login: the French outcome, or EchecEnvoi."""
    cx = Connexion(p, mot_de_passe)
    cx.ouvrir()
    cx.fermer()
    securite = {Securite.AUCUNE: "sans chiffrement", Securite.STARTTLS: "chiffrée par STARTTLS",
                Securite.SSL: "chiffrée par SSL/TLS"}
    authentifie = f", authentifiée avec le compte « {p.identifiant.strip()} »" if p.identifiant.strip() else ""
    return f"Connexion réussie à {p.hote}:{p.port} ({securite.get(p.securite, p.securite)}{authentifie})."
