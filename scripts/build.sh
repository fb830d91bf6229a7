#!/usr/bin/env bash
# Build the standalone folder dist/cyclades-desktop/ (the window cyclades-desktop and the console
# cyclades-desktop-admin, Python and Qt inside) for the platform running this script: a Windows build
# is made on Windows (README, « Poste Windows »). Versions come from requirements/build.txt, i.e. those
# of requirements/lock.txt the tests ran with, plus PyInstaller. PyInstaller's work files stay outside
# the checkout, in $CYCLADES_BUILD_CACHE (default ~/.cache/cyclades-desktop-build), and make the next
# build faster. scripts/test_build.sh builds, then starts what was built.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

stamp=".venv/.build-$(sha256sum requirements/build.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q -r requirements/build.txt
  rm -f .venv/.build-*
  touch "$stamp"
fi

CACHE=${CYCLADES_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cyclades-desktop-build}
mkdir -p "$CACHE"
debut=$SECONDS
# --noconfirm: replace dist/cyclades-desktop without asking (CI has no one to answer).
.venv/bin/pyinstaller --noconfirm --log-level WARN --workpath "$CACHE/work" --distpath dist \
  build_spec/cyclades-desktop.spec
echo "== Construction : $((SECONDS - debut)) s, dist/cyclades-desktop : $(du -sh dist/cyclades-desktop | cut -f1)"
