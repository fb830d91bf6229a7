#!/usr/bin/env bash
# Set everything up, then open Cyclades Desktop on its embedded SQLite database (in the user's
# data directory; the référentiel is loaded on first start). Extra arguments go to the program,
# e.g. --database-url postgresql+psycopg://…
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m cyclades_desktop "$@"
