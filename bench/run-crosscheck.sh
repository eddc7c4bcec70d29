#!/bin/sh
# run-crosscheck.sh: trains each network variant for 200 AdamW steps in
# Basin and replays the same steps in PyTorch, then prints a table.
#
# Usage: bench/run-crosscheck.sh [--quick] [BUILDDIR]
#
# BUILDDIR defaults to build/ in the source tree and is set up with meson
# if it does not exist.  --quick uses a 784-128-128-128-10 network, batch
# 32, 50 steps and the first 5,000 training images.  The Python
# interpreter is /usr/bin/python3 (Debian's python3-torch) unless PYTHON
# is set.  Exits with status 1 if a variant misses the 1e-3 bound.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
data_dir=${BASIN_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
sizes=""

if [ "${1:-}" = "--quick" ]; then
  sizes="--width 128 --batch 32 --steps 50 --train-limit 5000"
  shift
fi
build_dir=${1:-$source_dir/build}

if ! "$python" -c "import torch" 2>/dev/null; then
  echo "run-crosscheck.sh: skipped: $python cannot import torch." \
       "Install Debian's python3-torch or set PYTHON to an interpreter with PyTorch."
  exit 0
fi
if [ ! -e "$data_dir/train-images-idx3-ubyte.gz" ]; then
  echo "run-crosscheck.sh: skipped: no Fashion-MNIST in $data_dir." \
       "Install the dataset-fashion-mnist package or set BASIN_FASHION_MNIST."
  exit 0
fi

if [ ! -d "$build_dir" ]; then
  meson setup "$build_dir" "$source_dir" >/dev/null
fi
ninja -C "$build_dir" bench/crosscheck >/dev/null

work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

status=0
header=--header
for variant in standard w-asymmetric noise; do
  # $sizes is split into separate options on purpose.
  # shellcheck disable=SC2086
  "$build_dir/bench/crosscheck" --variant "$variant" --data "$data_dir" \
    --out "$work_dir/$variant" $sizes >&2
  if ! "$python" "$source_dir/bench/crosscheck_torch.py" $header "$work_dir/$variant"; then
    status=1
  fi
  header=
done

exit $status
