#!/usr/bin/env bash
# Run the dashboard as N Streamlit processes on 127.0.0.1:8601.. with Debian's nginx in front on 127.0.0.1:8080.
#
#   deploy/run.sh [N]        N processes (default 2, or $YDP_PROCESSES)
#
# Foreground: logs go to this terminal; Ctrl-C, SIGTERM (deploy/stop.sh) or any child exiting stops every
# process it started. Needs Debian's nginx (apt-get install -y nginx). Settings from the environment:
#   YDP_DB          the DuckDB file all processes read (default data/ydp.duckdb); built once here if missing
#   YDP_LISTEN      nginx's address (default 127.0.0.1:8080)
#   YDP_BASE_PORT   first Streamlit port (default 8601)
#   YDP_ACCESS_LOG  nginx access log file (default: off)
#   PYTHON, NGINX   the interpreter with the requirements installed, and the nginx binary
set -euo pipefail

N="${1:-${YDP_PROCESSES:-2}}"
LISTEN="${YDP_LISTEN:-127.0.0.1:8080}"
BASE_PORT="${YDP_BASE_PORT:-8601}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
export YDP_DB="${YDP_DB:-$ROOT/data/ydp.duckdb}"

if ! [[ "$N" =~ ^[1-9][0-9]?$ ]]; then
  echo "usage: deploy/run.sh [N]  (N = 1..99 Streamlit processes)" >&2
  exit 2
fi
if ! [ -x "$NGINX" ]; then
  echo "nginx not found: install Debian's package with 'apt-get install -y nginx' (or set NGINX=/path/to/nginx)" >&2
  exit 2
fi
case "$LISTEN" in
  127.*:*|localhost:*|\[::1\]:*) ;;
  *) echo "warning: nginx will listen on $LISTEN, not a loopback address" >&2 ;;
esac

port_free() {  # bind-test a loopback port
  "$PYTHON" -c 'import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)' "$1"
}
for ((i = 0; i < N; i++)); do
  port_free $((BASE_PORT + i)) || { echo "port $((BASE_PORT + i)) is in use (set YDP_BASE_PORT)" >&2; exit 2; }
done
port_free "${LISTEN##*:}" || { echo "port ${LISTEN##*:} is in use (set YDP_LISTEN)" >&2; exit 2; }

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ydp-deploy.XXXXXX")"
chmod 755 "$RUN_DIR"  # nginx's workers (nobody / www-data) use the cache and temp folders inside
PIDFILE="${TMPDIR:-/tmp}/ydp-deploy-${LISTEN##*:}.pid"
PIDS=()

cleanup() {
  local status=$?
  trap - EXIT
  trap '' INT TERM  # a second Ctrl-C must not interrupt the stopping
  if ((${#PIDS[@]})); then
    echo "stopping ${#PIDS[@]} process(es)" >&2
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 100); do  # up to 10 s for a clean stop
      local alive=0
      for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      ((alive)) || break
      sleep 0.1
    done
    kill -KILL "${PIDS[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  rm -rf "$RUN_DIR"
  [ "$(cat "$PIDFILE" 2>/dev/null)" = "$$" ] && rm -f "$PIDFILE"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "$$" > "$PIDFILE"

cd "$ROOT"

# One database for all processes, built before any of them starts (they only read it).
if ! "$PYTHON" -c 'import sys; from pathlib import Path; from ydp_data.db import is_usable
sys.exit(0 if Path(sys.argv[1]).is_file() and is_usable(Path(sys.argv[1])) else 1)' "$YDP_DB"; then
  echo "building $YDP_DB" >&2
  "$PYTHON" -m ydp_data build
fi

# The same cookie secret in every process, so XSRF (and auth) cookies stay valid on whichever process serves.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
  export STREAMLIT_SERVER_COOKIE_SECRET
fi

SERVERS=""
for ((i = 0; i < N; i++)); do
  port=$((BASE_PORT + i))
  "$PYTHON" -m streamlit run dashboard.py \
    --server.headless true --server.address 127.0.0.1 --server.port "$port" \
    --server.fileWatcherType none --server.runOnSave false --browser.gatherUsageStats false \
    </dev/null &
  PIDS+=("$!")
  SERVERS+="server 127.0.0.1:${port};"
done

healthy() {
  "$PYTHON" -c 'import sys, urllib.request
try: ok = urllib.request.urlopen(sys.argv[1], timeout=2).read().strip() == b"ok"
except OSError: ok = False
sys.exit(0 if ok else 1)' "http://127.0.0.1:$1/_stcore/health"
}
for ((i = 0; i < N; i++)); do
  port=$((BASE_PORT + i))
  for ((t = 0; ; t++)); do
    healthy "$port" && break
    kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "streamlit on port $port exited" >&2; exit 1; }
    ((t < 240)) || { echo "streamlit on port $port not healthy after 120 s" >&2; exit 1; }
    sleep 0.5
  done
done

ACCESS_LOG="${YDP_ACCESS_LOG:-off}"
[ "$ACCESS_LOG" = off ] || ACCESS_LOG="$ACCESS_LOG combined"
sed -e "s|@@RUN_DIR@@|$RUN_DIR|g" -e "s|@@LISTEN@@|$LISTEN|g" -e "s|@@SERVERS@@|$SERVERS|g" \
    -e "s|@@ACCESS_LOG@@|$ACCESS_LOG|g" "$HERE/nginx.conf" > "$RUN_DIR/nginx.conf"
"$NGINX" -t -q -p "$RUN_DIR/" -e stderr -c "$RUN_DIR/nginx.conf"
"$NGINX" -p "$RUN_DIR/" -e stderr -c "$RUN_DIR/nginx.conf" -g 'daemon off;' </dev/null &
PIDS+=("$!")

echo "ready: http://$LISTEN/ -> $N Streamlit process(es) on 127.0.0.1:$BASE_PORT..$((BASE_PORT + N - 1)) (pid $$)" >&2
# Wait until a child exits (then stop the rest) or a signal arrives (the traps stop everything).
wait -n || true
echo "a child process exited (or a signal arrived); stopping the others" >&2
exit 1
