#!/usr/bin/env bash
# Installs and starts what the test suite needs on a Debian 12 machine, as root:
# a PostgreSQL server with the role `diaodu` and the database `diaodu_test` (UTF8, C.UTF-8),
# Chromium for the end-to-end journeys, and a C++ compiler for native addons (the Node 22 phase).
# Writes the database URL to tests/.postgres-url (read by scripts/run-tests.mjs) and prints it.
#
# Idempotent: installs only missing packages, starts the cluster only if it is down, creates
# the role and database only if absent. Safe with no TTY (CI=true). Usage:
#   sudo bash scripts/test-deps.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
URL_FILE="$ROOT/tests/.postgres-url"
DB_USER=diaodu
DB_PASSWORD=diaodu
DB_NAME=diaodu_test

log() { printf '[test-deps] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    log "not root: re-running with sudo"
    exec sudo -E bash "${BASH_SOURCE[0]}" "$@"
  fi
  die "must run as root (sudo bash scripts/test-deps.sh)"
fi

export DEBIAN_FRONTEND=noninteractive
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script expects Debian 12"

# ---------------------------------------------------------------- Debian packages
# One list for everything the tests need.
PACKAGES=(
  postgresql
  # End-to-end journeys drive Debian's Chromium headless shell through playwright-core (never
  # `playwright install`; tests/e2e/support/e2e.ts says why the shell). scripts/web-login-weight.ts
  # and people looking at pages use the full browser.
  chromium
  chromium-headless-shell
  # Chinese glyphs in the journeys' screenshots and the PDF export.
  fonts-noto-cjk
  # PDF export: LibreOffice headless converts the Word notice; the fonts stand in for the
  # official ones (fontconfig aliases in src/server/documents/pdf); pdftoppm renders pages to PNG.
  libreoffice-writer-nogui
  fonts-noto-cjk-extra
  fonts-arphic-gkai00mp
  fonts-liberation2
  poppler-utils
  # The multi-server test (tests/integration/multi-server.test.ts) puts Debian's nginx in front of
  # two app servers: run as the test's own process with a generated config on loopback ports.
  nginx
  # The Node 22 phase of CI (scripts/ci-node22.sh, decision 045): when better-sqlite3's prebuilt binary
  # cannot be downloaded (GitHub unreachable), npm ci compiles it with node-gyp, which needs these.
  g++
  make
  python3
)

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for package in "${PACKAGES[@]}"; do
  is_installed "$package" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null
else
  log "packages already installed: ${PACKAGES[*]}"
fi

# ---------------------------------------------------------------- PostgreSQL cluster
command -v pg_lsclusters >/dev/null 2>&1 || die "pg_lsclusters not found (package postgresql-common)"
# The newest installed server version (a directory with bin/postgres), not a hard-coded 15.
PG_VERSION=""
for dir in /usr/lib/postgresql/*/; do
  [ -x "${dir}bin/postgres" ] && PG_VERSION="$(printf '%s\n%s\n' "$PG_VERSION" "$(basename "$dir")" | sort -V | tail -n 1)"
done
[ -n "$PG_VERSION" ] || die "no PostgreSQL server found under /usr/lib/postgresql"
# Another cluster name only for trying this script beside a running server.
CLUSTER="${DIAODU_PG_CLUSTER:-main}"

if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  log "creating cluster $PG_VERSION/$CLUSTER"
  pg_createcluster --locale C.UTF-8 "$PG_VERSION" "$CLUSTER" >&2
fi

if pg_ctlcluster "$PG_VERSION" "$CLUSTER" status >/dev/null 2>&1; then
  log "cluster $PG_VERSION/$CLUSTER already running"
else
  log "starting cluster $PG_VERSION/$CLUSTER"
  pg_ctlcluster "$PG_VERSION" "$CLUSTER" start
fi

PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$CLUSTER" '$1 == v && $2 == c { print $3 }')"
[ -n "$PORT" ] || die "could not read the port of cluster $PG_VERSION/$CLUSTER"

ready=""
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$PORT"; then ready=yes; break; fi
  sleep 1
done
[ -n "$ready" ] || die "PostgreSQL on 127.0.0.1:$PORT did not accept connections within 60 s"

# psql as the postgres superuser, from / so that an unreadable working directory does not matter.
as_postgres() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"); }
sql_value() { as_postgres -tA -c "$1"; }

if [ "$(sql_value "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" = "1" ]; then
  log "role $DB_USER exists"
else
  log "creating role $DB_USER"
  as_postgres -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" || log "(role creation raced: already exists)"
fi
# Keep the password and rights as documented even if someone changed them.
as_postgres -c "ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
# The test role's commits do not wait for the WAL to reach the disk: a test never survives a crash
# of the server itself (the crash tests kill our processes, not PostgreSQL), and on a machine with
# slow fsync the wait was most of a test's time. Only this role: nothing else on the server changes.
as_postgres -c "ALTER ROLE $DB_USER SET synchronous_commit TO off"

db_settings="$(sql_value "SELECT pg_encoding_to_char(encoding) || ' ' || datcollate || ' ' || datctype FROM pg_database WHERE datname = '$DB_NAME'")"
if [ -n "$db_settings" ] && [ "$db_settings" != "UTF8 C.UTF-8 C.UTF-8" ]; then
  # A test database with the wrong locale breaks Chinese search (pg_trgm needs a UTF-8 LC_CTYPE).
  log "database $DB_NAME has '$db_settings', expected 'UTF8 C.UTF-8 C.UTF-8': recreating it"
  as_postgres -c "DROP DATABASE $DB_NAME WITH (FORCE)"
  db_settings=""
fi
if [ -n "$db_settings" ]; then
  log "database $DB_NAME exists ($db_settings)"
else
  log "creating database $DB_NAME"
  as_postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0" \
    || log "(database creation raced: already exists)"
fi

URL="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
PGPASSWORD="$DB_PASSWORD" psql -X -q -tA -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d "$DB_NAME" -c 'SELECT 1' >/dev/null \
  || die "cannot connect as $DB_USER to $URL"

mkdir -p "$(dirname "$URL_FILE")"
printf '%s\n' "$URL" >"$URL_FILE"
chmod 0644 "$URL_FILE"
log "PostgreSQL $PG_VERSION ready; URL written to tests/.postgres-url"
printf '%s\n' "$URL"
