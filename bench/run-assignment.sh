#!/usr/bin/env bash
# Times Basin's linear assignment solver and SciPy's linear_sum_assignment
# on the same random n × n matrices, in one run, and prints the ratios.
#
#   bench/run-assignment.sh [BUILDDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
python=${PYTHON:-/usr/bin/python3}

ninja -C "$build" bench/bench-assignment >/dev/null
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT

"$build/bench/bench-assignment" "$folder" >"$folder/basin.txt"
if ! "$python" -c 'import scipy.optimize' 2>/dev/null; then
  echo "SciPy is not installed for $python (Debian package python3-scipy); Basin only:"
  cat "$folder/basin.txt"
  exit 0
fi
"$python" bench/assignment_scipy.py "$folder" >"$folder/scipy.txt"

printf '%6s %12s %12s %9s %s\n' n "Basin s" "SciPy s" speed-up "objectives agree"
# Both files list the same sizes in the same order.
paste -d ' ' "$folder/basin.txt" "$folder/scipy.txt" | awk '{
  agree = ($3 - $6 < 1e-9 * $3 && $6 - $3 < 1e-9 * $3) ? "yes" : "NO"
  printf "%6d %12.4f %12.4f %8.2fx %s\n", $1, $2, $5, $5 / $2, agree
}'
