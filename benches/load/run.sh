#!/usr/bin/env bash
# The load test of real journeys against a local release build, from scratch:
#   bash benches/load/run.sh [sqlite|postgres] [goose options…]
# Builds `entraide` and `entraide-load` (release), starts `entraide serve` on a fresh database
# (SQLite in a temporary folder, or a new PostgreSQL database that is dropped at the end) with
# TRUST_PROXY=true, seeds it, prints the server's memory, runs goose (given options, else 200 users
# started 50 a second, for 60 s), prints the server's memory again and the outbox, and stops it.
# PostgreSQL: PGHOST, PGPORT, PGUSER as for psql (default 127.0.0.1, 5432, postgres).
set -euo pipefail

cd "$(dirname "$0")/../.."
backend="${1:-sqlite}"
shift || true
target="${CARGO_TARGET_DIR:-target}/release"
port="${LOAD_PORT:-8080}"

# One invocation: the dependencies both share are compiled once (with the features of both).
cargo build --release -p entraide -p entraide-load --bins

work="$(mktemp -d)"
cleanup() {
    if [ -n "${server:-}" ]; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    if [ -n "${database:-}" ]; then
        psql -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

case "$backend" in
    sqlite) DATABASE_URL="sqlite://$work/entraide.db?mode=rwc" ;;
    postgres)
        export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
        database="entraide_load_$$"
        psql -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $database" >/dev/null
        DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$database"
        ;;
    *)
        echo "usage: $0 [sqlite|postgres] [goose options…]" >&2
        exit 2
        ;;
esac
export DATABASE_URL TRUST_PROXY=true BIND_ADDR="127.0.0.1:$port" BASE_URL="http://127.0.0.1:$port" \
    MAIL_DIR="$work/mail" SECRET_KEY_FILE="$work/entraide.key"

"$target/entraide" migrate >"$work/migrate.log" 2>&1
"$target/entraide-load" seed
"$target/entraide" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done

memory() {
    awk -v when="$1" '/^VmRSS|^VmHWM/ { kb[$1] = $2 } END {
        printf "server memory %s: RSS %.1f MiB (peak %.1f MiB)\n", when, kb["VmRSS:"] / 1024, kb["VmHWM:"] / 1024
    }' "/proc/$server/status"
}
memory "before"
if [ $# -eq 0 ]; then
    set -- --users 200 --increase-rate 50 --run-time 60s
fi
# Metrics are kept from the first user on: the logins at the start are part of the journeys.
"$target/entraide-load" --host "http://127.0.0.1:$port" --no-reset-metrics "$@"
memory "after"
echo "outbox after the run:"
"$target/entraide" mail status
echo "server log: $work/server.log"
