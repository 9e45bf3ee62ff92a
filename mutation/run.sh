#!/usr/bin/env bash
# Mutation testing of the modules that decide what a director sees (see mutation/README.md).
# Usage: bash mutation/run.sh            (re-tests only what changed since the last run; results stay in mutants/)
#        bash mutation/run.sh "ydp_data.formatting*"   (only these mutants; see mutation/README.md for a caveat)
# Needs the dev tools: python -m pip install -r requirements-dev.txt. At most 2 test processes (the 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
mutmut run --max-children 2 "$@" || true   # mutmut's exit status is not the score; the table below is
echo "mutmut run took $(( $(date +%s) - start )) s"
python -m mutation.report
