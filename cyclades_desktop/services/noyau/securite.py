"""Password hashing: Argon2id for staff and candidates, never stored or shown in clear."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters


def utiliser_parametres_de_test() -> None:
    """For the test suite only: hash with Argon2id's cheapest parameters from now on, in this process.

    The recommended parameters cost a fifth of a second per hash, and most tests create or sign in
    staff or candidate accounts. A function rather than an environment variable, so that nothing
    outside the tests' own code can weaken an office's hashes. Verifying reads the parameters from the
    hash itself: hashes made either way keep verifying."""
    global _HASHER
    _HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def hacher(mot_de_passe: str) -> str:
    return _HASHER.hash(mot_de_passe)


def verifier(hash_: str, mot_de_passe: str) -> bool:
    try:
        return _HASHER.verify(hash_, mot_de_passe)
    except (VerificationError, InvalidHashError):
        return False


def code_activation() -> str:
    """Six digits read to the candidate or sent by message, typed back at the counter."""
    return f"{secrets.randbelow(10**6):06d}"


_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SPECIAL = "?!*./-+"


def mot_de_passe_provisoire() -> str:
    """10 characters meeting the candidate policy, without look-alike letters."""
    alphabet = _LOWER + _UPPER + _DIGITS + _SPECIAL
    chars = [secrets.choice(_LOWER), secrets.choice(_UPPER), secrets.choice(_DIGITS),
             secrets.choice(_SPECIAL)] + [secrets.choice(alphabet) for _ in range(6)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
