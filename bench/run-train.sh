#!/usr/bin/env bash
# Times training in Basin and in PyTorch on the same machine, in one run,
# and prints the ratio for each workload.
#
#   bench/run-train.sh [BUILDDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
python=${PYTHON:-/usr/bin/python3}

ninja -C "$build" bench/bench-train >/dev/null
basin=$(mktemp)
torch=$(mktemp)
trap 'rm -f "$basin" "$torch"' EXIT

"$build/bench/bench-train" >"$basin"
if "$python" -c 'import torch' 2>/dev/null; then
  "$python" bench/train_torch.py >"$torch"
else
  echo "PyTorch is not installed for $python (Debian package python3-torch); Basin only:"
fi

printf '%-28s %10s %10s %8s\n' workload "Basin s" "PyTorch s" speed-up
while read -r name seconds; do
  reference=$(awk -v n="$name" '$1 == n { print $2 }' "$torch")
  if [ -n "$reference" ]; then
    awk -v n="$name" -v b="$seconds" -v r="$reference" \
      'BEGIN { printf "%-28s %10.2f %10.2f %7.2fx\n", n, b, r, r / b }'
  else
    printf '%-28s %10.2f %10s %8s\n' "$name" "$seconds" - -
  fi
done <"$basin"
