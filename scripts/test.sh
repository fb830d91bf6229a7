#!/usr/bin/env bash
# Set everything up, then the linter and the whole test suite (Qt offscreen) on SQLite, then again
# on PostgreSQL: a throw-away server started here by scripts/postgres.sh and stopped at the end
# (or the server named by CYCLADES_TEST_PG, left alone). Exits non-zero if anything fails.
# CYCLADES_TEST_MOTEURS="sqlite" (or "postgresql") runs one engine only; pytest arguments pass through
# and come last, so they win: e.g. "-n 0" for a single process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
MOTEURS=${CYCLADES_TEST_MOTEURS:-sqlite postgresql}
# One pytest-xdist worker per core, each with its own databases (tests/conftest.py). Work-stealing:
# an idle worker takes queued tests from a busy one, so the minutes-long crash test holds nothing up.
PARALLELE=(-n auto --dist worksteal)

echec=0
# The linters first (style, then the import contracts of pyproject.toml: layers, no cycles); their
# findings fail the run but do not hide the tests' results.
.venv/bin/ruff check . || echec=1
.venv/bin/lint-imports || echec=1

for moteur in $MOTEURS; do
  debut=$SECONDS
  case "$moteur" in
    sqlite)
      echo "== Tests sur SQLite"
      env -u CYCLADES_TEST_PG .venv/bin/python -m pytest -q "${PARALLELE[@]}" "$@" || echec=1
      ;;
    postgresql|postgres|pg)
      echo "== Tests sur PostgreSQL"
      url=${CYCLADES_TEST_PG:-}
      if [ -z "$url" ]; then
        # A cluster of this run's own (several runs may share the machine), removed at exit.
        CYCLADES_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cyclades-pg.XXXXXX")
        export CYCLADES_PG_DIR
        trap 'bash scripts/postgres.sh stop; rm -rf "$CYCLADES_PG_DIR"' EXIT
        url=$(bash scripts/postgres.sh start)
      fi
      CYCLADES_TEST_PG=$url .venv/bin/python -m pytest -q "${PARALLELE[@]}" "$@" || echec=1
      ;;
    *)
      echo "Moteur inconnu dans CYCLADES_TEST_MOTEURS : $moteur (sqlite ou postgresql)" >&2
      exit 2
      ;;
  esac
  echo "== $moteur : $((SECONDS - debut)) s"
done
exit "$echec"
