#!/usr/bin/env bash
# Recipe: gij-mock around any test command in a CI job, whatever the language.
#   examples/ci.sh <test command…>     e.g.  examples/ci.sh mvn -q test   or   examples/ci.sh pytest
# Starts the installed gij-mock on a free port, waits until it answers, exports GIJ_BASE_URL,
# runs the command, then stops the server by its pid. Exits with the command's status.
set -euo pipefail

log="$(mktemp)"
node node_modules/.bin/gij-mock --port 0 --log-level warn >"$log" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap stop EXIT

# The first line is "gij-mock listening on http://127.0.0.1:<port>"; wait for it (10 s at most).
base_url=""
for _ in $(seq 1 100); do
  base_url="$(sed -n 's/^gij-mock listening on \(http:[^ ]*\)$/\1/p' "$log")"
  [ -n "$base_url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "gij-mock exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base_url" ] || { echo "gij-mock did not start in 10 s" >&2; cat "$log" >&2; exit 1; }

# Ready means the API answers (the docs and controls need no credentials; the API does).
curl -fsS -o /dev/null -u admin:admin "$base_url/rest/gitplugin/1.0/integration"

export GIJ_BASE_URL="$base_url"
"$@"
