#!/usr/bin/env bash
# Set up, build and start Basin, or run its tests, on Debian 12.
#
#   ./dev.sh run [ARGS]   install what is missing, build, start Basin
#   ./dev.sh test         install what is missing, build, run every test
#
# Missing Debian packages are installed with apt-get, which needs root.
set -euo pipefail

cd "$(dirname "$0")"

build_packages=(
  meson ninja-build pkg-config gcc libglib2.0-dev libgtk-4-dev libadwaita-1-dev
  libcairo2-dev libopenblas-dev libjson-glib-dev gettext desktop-file-utils appstream
  dataset-fashion-mnist
)
test_packages=(xvfb xauth python3-scipy python3-numpy)

install_missing() {
  local missing=()
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  echo "Installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "dev.sh: installing packages needs root; run it as root or with sudo." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" --buildtype=debugoptimized "$@"
  fi
  ninja -C "$dir"
}

run_tests() {
  local status=0 log
  log=$(mktemp)

  # The whole suite, GUI tests included, against a virtual X server.
  build build
  xvfb-run -a -s "-screen 0 1400x900x24" \
    meson test -C build --print-errorlogs --num-processes 2 2>&1 | tee "$log" || status=1

  # Core, plot and CLI tests again under AddressSanitizer and UBSan.
  build build-sanitize -Dgui=false -Db_sanitize=address,undefined -Db_lundef=false
  ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-sanitize --print-errorlogs --num-processes 2 2>&1 | tee -a "$log" || status=1

  # One closing line with the counts of both builds.
  echo
  awk '/^Ok:/{ok+=$2} /^Fail:/{fail+=$2} /^Skipped:/{skip+=$2} END {printf "%d passed, %d failed, %d skipped\n", ok, fail, skip}' "$log"
  rm -f "$log"
  return $status
}

case "${1:-}" in
  run)
    shift
    install_missing "${build_packages[@]}"
    build build
    exec build/src/gui/basin "$@"
    ;;
  test)
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    run_tests
    ;;
  *)
    echo "Usage: ./dev.sh run | test" >&2
    exit 2
    ;;
esac
