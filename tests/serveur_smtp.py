"""A real SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd), with the behaviours we must survive:
accept, refuse temporarily then accept, refuse for good, require a login, speak TLS."""

from __future__ import annotations

import errno
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def port_libre() -> int:
    """A port nobody listens on (also the « server down » case when nothing is started on it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Boite:
    """The handler: stores what it accepts; ``refus`` answers the first ``refus_premiers`` DATA commands
    (or all of them when ``refus_premiers`` is None)."""

    refus: str = ""
    refus_premiers: int | None = 0
    essais: int = 0
    recus: list[EmailMessage] = field(default_factory=list)
    enveloppes: list[tuple[str, list[str]]] = field(default_factory=list)
    identifiants: dict[str, str] = field(default_factory=dict)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.essais += 1
        if self.refus and (self.refus_premiers is None or self.essais <= self.refus_premiers):
            return self.refus
        self.recus.append(message_from_bytes(envelope.original_content or envelope.content,
                                             policy=policy.default))  # type: ignore[arg-type]
        self.enveloppes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Message accepté"

    def authentifier(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.identifiants.get(data.login.decode()) == data.password.decode()
        return AuthResult(success=ok, handled=False)


@contextmanager
def serveur(boite: Boite, *, tls: ssl.SSLContext | None = None, ssl_direct: ssl.SSLContext | None = None,
            authentification: bool = False) -> Iterator[int]:
    """Start the server on a free port; yields the port."""
    options: dict[str, Any] = {"enable_SMTPUTF8": True}
    if tls is not None:
        options.update(tls_context=tls, require_starttls=False)
    if authentification:
        options.update(authenticator=boite.authentifier, auth_require_tls=tls is not None and ssl_direct is None)
    for essai in range(3):
        port = port_libre()
        c = Controller(boite, hostname="127.0.0.1", port=port, ssl_context=ssl_direct, **options)
        try:
            c.start()
            break
        except OSError as exc:
            # Taken since port_libre() let it go (parallel test workers): try another one.
            if exc.errno != errno.EADDRINUSE or essai == 2:
                raise
    try:
        yield port
    finally:
        c.stop()


def openssl_disponible() -> bool:
    return shutil.which("openssl") is not None


def certificat(dossier: Path) -> tuple[Path, ssl.SSLContext]:
    """A self-signed certificate for 127.0.0.1 (openssl CLI): its file, and the server's TLS context."""
    cert, cle = dossier / "cert.pem", dossier / "cle.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(cle),
                    "-out", str(cert)], check=True, capture_output=True)
    contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexte.load_cert_chain(cert, cle)
    return cert, contexte
