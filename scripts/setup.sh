#!/usr/bin/env bash
# Prepare a fresh machine: Qt's system libraries (Debian/Ubuntu, when run as root or with sudo),
# a virtual environment in .venv, the program and its test tools at the versions of requirements/lock.txt.
# Safe to run again: it only reinstalls when pyproject.toml or the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
"$PYTHON" - <<'PY' || { echo "Python 3.11 ou plus récent est nécessaire." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

# Qt's xcb/offscreen platform plugins need these shared libraries.
QT_LIBS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 \
libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0"
if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $QT_LIBS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "Installation des bibliothèques système de Qt :$missing"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

# Exact versions: requirements/lock.txt (made by scripts/verrouiller.sh for Python 3.11 on Linux), refused
# once pyproject.toml declares other dependencies than those it was made from.
empreinte=$("$PYTHON" scripts/dependances.py)
if ! grep -q "^# dependances de pyproject.toml : $empreinte " requirements/lock.txt; then
  echo "requirements/lock.txt ne correspond plus aux dépendances de pyproject.toml :" \
       "lancez bash scripts/verrouiller.sh, puis ajoutez requirements/ au commit." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(cat pyproject.toml requirements/lock.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements/lock.txt
  .venv/bin/python -m pip install -q -e . --no-deps
  rm -f .venv/.installed-*
  touch "$stamp"
fi
