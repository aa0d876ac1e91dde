#!/usr/bin/env bash
# Serves the demo on a fresh SQLite database and runs the dashboard's screens through Apollo
# Client (dashboard.mjs) once the read tables hold the whole demo. Needs Node.js 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/../../.."
npm ci --prefix tests/clients/apollo --no-audit --no-fund --loglevel=error
cargo build -q --bin ntm
work=$(mktemp -d)
port=${NTM_APOLLO_PORT:-18089}
DATABASE_URL="sqlite://$work/ntm.db?mode=rwc" ./target/debug/ntm serve --demo \
    --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
head='{"query":"{ head { position projected } }"}'
for _ in $(seq 1 300); do
    answer=$(curl -sf -XPOST "127.0.0.1:$port/graphql" -H 'content-type: application/json' \
        -d "$head" || true)
    position=$(sed -n 's/.*"position":\([0-9]*\).*/\1/p' <<< "$answer")
    projected=$(sed -n 's/.*"projected":\([0-9]*\).*/\1/p' <<< "$answer")
    if [ -n "$position" ] && [ "$position" -gt 0 ] && [ "$position" = "$projected" ]; then
        break
    fi
    sleep 1
done
if [ "${projected:-}" != "${position:-x}" ]; then
    echo "the demo was not projected within 300 s:" >&2
    tail -20 "$work/serve.log" >&2
    exit 1
fi
node tests/clients/apollo/dashboard.mjs "http://127.0.0.1:$port"
