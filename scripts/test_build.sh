#!/usr/bin/env bash
# Build the standalone folder (scripts/build.sh), then start what was built as an office would, on
# fresh data, Qt offscreen, outside the checkout:
#   1. cyclades-desktop --auto-test on a new data folder: migrates a new SQLite database, loads the
#      référentiel, creates the first chef de bureau on the first-start page, checks that Qt's own
#      buttons are French, opens every area of ui/zones.py, exit code 0;
#   2. cyclades-desktop-admin --help, then verifier-integrite on that folder, then migrer on another
#      new database;
#   3. the deposited-file checker (--verifier-fichier, how both programs restart themselves) on a PDF;
#   4. the same self-test and check on a new PostgreSQL database, on a throw-away server started here
#      (scripts/postgres.sh) or the one named by CYCLADES_TEST_PG; CYCLADES_TEST_MOTEURS=sqlite skips it.
# A module, resource, migration, Qt plugin or translation missing from the build fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
RACINE=$PWD
bash scripts/build.sh

APP=$RACINE/dist/cyclades-desktop/cyclades-desktop
ADMIN=$RACINE/dist/cyclades-desktop/cyclades-desktop-admin
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cyclades-build-test.XXXXXX")
nettoyer() {
  if [ -n "${CYCLADES_PG_DIR:-}" ]; then
    bash "$RACINE/scripts/postgres.sh" stop
    rm -rf "$CYCLADES_PG_DIR"
  fi
  rm -rf "$TMP"
}
trap nettoyer EXIT

# Nothing from the checkout or the developer's session may help the built programs: their own folder,
# a fresh data folder and a fresh configuration folder only.
unset CYCLADES_DATABASE_URL CYCLADES_FICHIERS_DIR CYCLADES_MODELES_DIR PYTHONPATH PYTHONHOME
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME=$TMP/config CYCLADES_DATA_DIR=$TMP/donnees
cd "$TMP"
controles=0

# Run a built program (at most 5 minutes); show its output, and its error output when it fails.
lancer() {
  local titre=$1
  shift
  echo "== $titre"
  if timeout 300 "$@" >"$TMP/sortie" 2>"$TMP/erreurs"; then
    cat "$TMP/sortie"
    controles=$((controles + 1))
  else
    local code=$?
    cat "$TMP/sortie" "$TMP/erreurs"
    echo "ÉCHEC ($titre) : code de sortie $code" >&2
    exit 1
  fi
}

attendre_texte() {   # a text the last run must have printed
  grep -qF -- "$1" "$TMP/sortie" || { echo "ÉCHEC : « $1 » absent de la sortie" >&2; exit 1; }
}

lancer "Autotest de la fenêtre sur un dossier de données neuf (SQLite)" "$APP" --auto-test
attendre_texte "Autotest réussi"
lancer "cyclades-desktop-admin --help" "$ADMIN" --help
attendre_texte "verifier-integrite"
lancer "cyclades-desktop-admin verifier-integrite" "$ADMIN" verifier-integrite
lancer "cyclades-desktop-admin migrer sur une autre base neuve" \
  "$ADMIN" --database-url "sqlite:///$TMP/autre.sqlite" migrer

"$RACINE/.venv/bin/python" - "$TMP/essai.pdf" <<'PY'
import sys

from reportlab.pdfgen import canvas

page = canvas.Canvas(sys.argv[1])
page.drawString(72, 720, "Pièce d'essai")
page.save()
PY
for programme in "$APP" "$ADMIN"; do
  echo "== $(basename "$programme") --verifier-fichier"
  # Through a pipe: the checker may write no file (RLIMIT_FSIZE), a redirection to one would kill it.
  reponse=$("$programme" --verifier-fichier <"$TMP/essai.pdf" | cat) || true
  echo "$reponse"
  case "$reponse" in
    *'"type_mime": "application/pdf"'*'"pages": 1'*) controles=$((controles + 1)) ;;
    *) echo "ÉCHEC : le vérificateur de fichiers du programme construit n'a pas reconnu le PDF" >&2; exit 1 ;;
  esac
done

if [[ " ${CYCLADES_TEST_MOTEURS:-sqlite postgresql} " == *" postgresql "* ]]; then
  admin_pg=${CYCLADES_TEST_PG:-}
  if [ -z "$admin_pg" ]; then
    CYCLADES_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cyclades-pg.XXXXXX")
    export CYCLADES_PG_DIR
    admin_pg=$(bash "$RACINE/scripts/postgres.sh" start)
  fi
  base="cyclades_build_$$"
  base_pg() {   # create | drop, on the server's maintenance database
    "$RACINE/.venv/bin/python" - "$admin_pg" "$base" "$1" <<'PY'
import sys

import psycopg
from sqlalchemy.engine import make_url

u = make_url(sys.argv[1])
with psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database,
                     autocommit=True) as con:
    con.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    if sys.argv[3] == "create":
        con.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
  }
  base_pg create
  url="${admin_pg%/*}/$base"
  export CYCLADES_DATA_DIR=$TMP/donnees-pg
  lancer "Autotest de la fenêtre sur une base PostgreSQL neuve" "$APP" --auto-test --database-url "$url"
  attendre_texte "Autotest réussi"
  lancer "cyclades-desktop-admin verifier-integrite (PostgreSQL)" "$ADMIN" --database-url "$url" verifier-integrite
  base_pg drop
fi
echo "== Version autonome : $controles contrôles réussis."
