"""Print the fingerprint of the dependencies declared in pyproject.toml (Python version, dependencies,
extras). scripts/verrouiller.sh writes it into the lock files; scripts/setup.sh refuses a lock whose
fingerprint differs, i.e. one not regenerated since a dependency was added, removed or changed. Other
edits of pyproject.toml (linters, tests' settings) leave it unchanged. Standard library only: it runs
before the virtual environment exists."""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path


def empreinte(pyproject: Path) -> str:
    projet = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    declare = {cle: projet.get(cle) for cle in ("requires-python", "dependencies", "optional-dependencies")}
    return hashlib.sha256(json.dumps(declare, sort_keys=True).encode()).hexdigest()[:16]


if __name__ == "__main__":
    racine = Path(__file__).resolve().parent.parent
    print(empreinte(Path(sys.argv[1]) if len(sys.argv) > 1 else racine / "pyproject.toml"))
