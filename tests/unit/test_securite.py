"""Password hashing: the program hashes with the library's recommended Argon2id parameters; the test
suite's cheap ones (tests/conftest.py) change the cost, not the outcome."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from argon2 import PasswordHasher, Type, extract_parameters

from cyclades_desktop.services.noyau import securite

RACINE = Path(__file__).resolve().parents[2]


def test_le_programme_hache_avec_les_parametres_recommandes_et_les_hashes_bon_marche_se_verifient():
    # A fresh interpreter: this one was switched to the cheap parameters when the session started.
    code = "from cyclades_desktop.services.noyau import securite; print(securite.hacher('Bureau-DEC-2024'))"
    production = subprocess.run([sys.executable, "-c", code], cwd=RACINE, capture_output=True, text=True,
                                check=True).stdout.strip()
    recommande = PasswordHasher()
    p = extract_parameters(production)
    assert p.type == Type.ID
    assert (p.time_cost, p.memory_cost, p.parallelism, p.hash_len, p.salt_len) == (
        recommande.time_cost, recommande.memory_cost, recommande.parallelism, recommande.hash_len,
        recommande.salt_len)

    bon_marche = securite.hacher("Bureau-DEC-2024")
    assert bon_marche.startswith("$argon2id$") and extract_parameters(bon_marche).time_cost == 1
    # Either kind verifies whatever the parameters in force, and a wrong password never does.
    for h in (bon_marche, production):
        assert securite.verifier(h, "Bureau-DEC-2024")
        assert not securite.verifier(h, "Bureau-DEC-2025")
