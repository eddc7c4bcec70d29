#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Times a 21 x 21 loss-landscape plane of the 784-512-512-512-10 MLP over
# the 10,000 Fashion-MNIST test images in Basin and in PyTorch on the CPU,
# one after the other, and prints both times and their ratio.
#
# Usage: bench/run-landscape.sh [BUILDDIR] [TORCH_POINTS]
#   BUILDDIR      a configured meson build directory (default: build)
#   TORCH_POINTS  time only this many PyTorch grid points and extrapolate
#                 to the plane (default: 0, all 441)
#
# PyTorch runs on Debian's /usr/bin/python3 with the python3-torch package;
# without it the script prints Basin's time and a line that it skipped the
# comparison.

set -eu

here=$(dirname "$0")
build=${1:-build}
torch_points=${2:-0}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

ninja -C "$build" bench/bench-landscape >/dev/null
"$build/bench/bench-landscape" --grid 21 | tee "$log/basin.txt"
basin=$(sed -n 's/^BASIN_SECONDS_PER_POINT=//p' "$log/basin.txt")

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch is not installed for /usr/bin/python3 (Debian package python3-torch);" \
       "skipping the comparison."
  exit 0
fi

/usr/bin/python3 "$here/landscape_torch.py" --grid 21 --points "$torch_points" \
  | tee "$log/torch.txt"
torch=$(sed -n 's/^TORCH_SECONDS_PER_POINT=//p' "$log/torch.txt")

awk -v basin="$basin" -v torch="$torch" 'BEGIN {
  printf "Basin:   %.4f s per point, %.1f s per 21 x 21 plane\n", basin, 441 * basin
  printf "PyTorch: %.4f s per point, %.1f s per 21 x 21 plane\n", torch, 441 * torch
  printf "Basin is %.2f times as fast as PyTorch\n", torch / basin
}'
