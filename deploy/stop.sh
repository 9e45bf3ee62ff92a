#!/usr/bin/env bash
# Stop a deploy/run.sh started elsewhere: SIGTERM to its pid (it stops its Streamlit processes and nginx).
#
#   deploy/stop.sh [PORT]    PORT = nginx's port (default: the one in $YDP_LISTEN, else 8080)
#
# Only the pid recorded by run.sh is signalled; nothing is matched by name.
set -euo pipefail
LISTEN="${YDP_LISTEN:-127.0.0.1:8080}"
PORT="${1:-${LISTEN##*:}}"
PIDFILE="${TMPDIR:-/tmp}/ydp-deploy-${PORT}.pid"
if ! [ -f "$PIDFILE" ]; then
  echo "no $PIDFILE: nothing started by deploy/run.sh on port $PORT" >&2
  exit 1
fi
PID="$(cat "$PIDFILE")"
if ! grep -q "deploy/run.sh" "/proc/$PID/cmdline" 2>/dev/null; then
  echo "pid $PID is not deploy/run.sh any more; removing the stale $PIDFILE" >&2
  rm -f "$PIDFILE"
  exit 1
fi
kill -TERM "$PID"
for _ in $(seq 150); do  # run.sh needs up to ~10 s
  kill -0 "$PID" 2>/dev/null || { echo "stopped (pid $PID)"; exit 0; }
  sleep 0.1
done
echo "pid $PID still running after 15 s" >&2
exit 1
