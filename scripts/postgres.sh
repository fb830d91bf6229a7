#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests (never for real data: fsync is off).
#
#   bash scripts/postgres.sh          start it (installing Debian's postgresql package if needed)
#                                     and print its URL on stdout, e.g.
#                                     postgresql+psycopg://postgres@127.0.0.1:40123/postgres
#   bash scripts/postgres.sh stop     stop it
#   bash scripts/postgres.sh url      print the URL of the running cluster
#
# The cluster lives in $CYCLADES_PG_DIR (default: .pg/ at the top of the checkout, gitignored).
# Safe to run again: a running cluster is reused, an initialised one restarted.
# As root the cluster belongs to the « postgres » user (the server refuses to run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${CYCLADES_PG_DIR:-$PWD/.pg}
ACTION=${1:-start}
log() { echo "postgres.sh: $*" >&2; }

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

find_bin() {
  # Debian keeps each major version apart: take the newest /usr/lib/postgresql/*/bin.
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  echo ""
}

# Run a server command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url_of() { echo "postgresql+psycopg://postgres@127.0.0.1:$(cat "$DIR/port")/postgres"; }

BIN=$(find_bin)

case "$ACTION" in
  stop)
    if [ -n "$BIN" ] && [ -f "$DIR/data/postmaster.pid" ]; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
      log "arrêté ($DIR)"
    fi
    exit 0
    ;;
  url)
    [ -f "$DIR/port" ] || { log "aucun serveur dans $DIR"; exit 1; }
    url_of
    exit 0
    ;;
  start) ;;
  *) log "usage : $0 [start|stop|url]"; exit 2 ;;
esac

if [ -z "$BIN" ]; then
  log "installation du paquet postgresql…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  BIN=$(find_bin)
  [ -n "$BIN" ] || { log "initdb introuvable après l'installation"; exit 1; }
fi

mkdir -p "$DIR"
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { log "l'utilisateur postgres est absent"; exit 1; }
  chown postgres "$DIR"
  # The server must be able to reach its folder through the checkout's parents.
  if ! runuser -u postgres -- test -w "$DIR"; then
    log "$DIR n'est pas accessible à l'utilisateur postgres : choisissez CYCLADES_PG_DIR sous /tmp"
    exit 1
  fi
fi

# Already running? Reuse it.
if [ -f "$DIR/port" ] && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$DIR/port")" 2>/dev/null \
   && [ -f "$DIR/data/postmaster.pid" ]; then
  url_of
  exit 0
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  rm -rf "$DIR/data"
  as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  # Tuned for a TEST cluster only: losing it on a crash costs nothing.
  cat >>"$DIR/data/postgresql.conf" <<'CONF'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 64MB
# A French office's server: times must stay right whatever the server's zone.
timezone = 'Europe/Paris'
CONF
fi

# A free port on loopback, chosen now (another cluster may hold the previous one).
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "$PORT" >"$DIR/port"
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }

for _ in $(seq 1 120); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    log "prêt sur 127.0.0.1:$PORT ($DIR)"
    url_of
    exit 0
  fi
  sleep 0.5
done
log "le serveur ne répond pas après 60 s"
cat "$DIR/server.log" >&2
exit 1
