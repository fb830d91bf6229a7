#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml, after adding, removing or changing a dependency:
#
#   bash scripts/verrouiller.sh              keep the versions already locked, add what is new
#   bash scripts/verrouiller.sh --upgrade    take the newest versions pyproject.toml allows
#
#   requirements/lock.txt    the program and its test tools (scripts/setup.sh installs exactly this)
#   requirements/build.txt   the program and PyInstaller (scripts/build.sh), same versions as lock.txt
#
# Resolved by uv for Linux and Python 3.11, the platform of CI and of the build, whatever machine runs
# this script (pip-compile could only resolve for the interpreter running it). pyproject.toml's markers
# apply: on 3.11 PySide6 stays below 6.12 (6.12.0 aborts the process there). Each file records the
# fingerprint of pyproject.toml's dependencies (scripts/dependances.py): scripts/setup.sh refuses a
# lock that no longer matches. Needs PyPI; commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.10
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
if ! .venv/bin/uv --version 2>/dev/null | grep -qx "uv $UV_VERSION"; then
  .venv/bin/python -m pip install -q "uv==$UV_VERSION"
fi

# glibc 2.34 or later (Debian 12, Ubuntu 22.04 and later): what recent PySide6 wheels need; uv's plain
# « linux » target means glibc 2.17 and would quietly fall back to an older PySide6.
CIBLE=(--python-version 3.11 --python-platform x86_64-manylinux_2_34
       --custom-compile-command "bash scripts/verrouiller.sh" --quiet)
mkdir -p requirements
.venv/bin/uv pip compile pyproject.toml --extra test "${CIBLE[@]}" "$@" -o requirements/lock.txt
# Constrained by lock.txt: the build gets the very versions the tests ran with.
.venv/bin/uv pip compile pyproject.toml --extra build -c requirements/lock.txt "${CIBLE[@]}" "$@" \
  -o requirements/build.txt

if grep -qix "pyside6==6.12.0" requirements/lock.txt requirements/build.txt; then
  echo "verrouiller.sh : PySide6 6.12.0 a été retenu, il plante sous Python 3.11 (voir pyproject.toml)." >&2
  exit 1
fi

empreinte=$("$PYTHON" scripts/dependances.py)
for f in requirements/lock.txt requirements/build.txt; do
  # After uv's header (its first two lines), so that the next run keeps it in place.
  sed -i "3i # dependances de pyproject.toml : $empreinte (scripts/dependances.py)" "$f"
done
echo "requirements/lock.txt et requirements/build.txt régénérés (empreinte $empreinte)." >&2
