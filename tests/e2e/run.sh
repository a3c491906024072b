#!/usr/bin/env bash
# Browser end-to-end tests and accessibility audit (axe-core, Nu HTML Checker) of Entraide.
# Installs what it needs (Debian's Chromium if missing, the npm packages of package-lock.json),
# builds the server, and runs every scenario of tests/e2e/scenarios/ with Node's test runner.
# Run from anywhere: bash tests/e2e/run.sh   (screenshots end up in tests/e2e/artifacts/)
# One scenario file only: bash tests/e2e/run.sh moderation
set -euo pipefail

E2E_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/../.." && pwd)"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

step() { printf '\n--- %s ---\n' "$*"; }

if [ ! -x "$CHROMIUM_PATH" ]; then
    step "installing Debian's Chromium"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
command -v java >/dev/null || { echo "FATAL: java is needed by the Nu HTML Checker" >&2; exit 1; }

step "npm ci"
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's is used.
(cd "$E2E_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

step "cargo build"
cd "$REPO_ROOT"
cargo build --quiet --bin entraide
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
# The binary is copied away at once: a shared target directory may get another checkout's build
# at the same path. The copy must serve this checkout's static files.
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT
export ENTRAIDE_BIN="$WORK_DIR/entraide"
for attempt in 1 2 3; do
    cp "$TARGET_DIR/debug/entraide" "$ENTRAIDE_BIN"
    grep -qaF "$REPO_ROOT/static" "$ENTRAIDE_BIN" && break
    [ "$attempt" = 3 ] && { echo "FATAL: $TARGET_DIR/debug/entraide keeps coming from another checkout" >&2; exit 1; }
    echo "the binary in $TARGET_DIR was built from another checkout; building again"
    cargo build --quiet --bin entraide
done

step "browser scenarios (screenshots and checked HTML go to $E2E_DIR/artifacts/)"
rm -rf "$E2E_DIR/artifacts"
cd "$E2E_DIR"
if [ "$#" -gt 0 ]; then
    files=()
    for name in "$@"; do files+=("scenarios/$name.test.js"); done
else
    files=(scenarios/*.test.js)
fi
node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
