#!/usr/bin/env bash
# Runs basin-cli as a user would: the moons preset end to end, and bad
# input that must fail with a clear message and a non-zero exit code.
set -euo pipefail

cli=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0

fail() {
  echo "not ok - $1"
  failures=$((failures + 1))
}

expect_error() {
  local name=$1 needle=$2
  shift 2
  local status=0
  "$@" >"$out/stdout" 2>"$out/stderr" || status=$?
  if [ "$status" -eq 0 ]; then
    fail "$name: exit code 0"
  elif ! grep -q -- "$needle" "$out/stderr"; then
    fail "$name: stderr lacks “$needle”: $(cat "$out/stderr")"
  else
    echo "ok - $name"
  fi
}

"$cli" run --preset moons --out "$out/moons" >"$out/run.log" 2>&1 || fail "moons run: $(cat "$out/run.log")"
for figure in neurons match-matrix merge-path; do
  for ext in svg png; do
    [ -s "$out/moons/$figure.$ext" ] || fail "missing $figure.$ext"
  done
done
head -c 8 "$out/moons/merge-path.png" | od -An -c | grep -q 'P   N   G' || fail "merge-path.png is not a PNG"
grep -q '<svg' "$out/moons/merge-path.svg" || fail "merge-path.svg is not SVG"

/usr/bin/python3 - "$out/moons/summary.json" <<'PY' || fail "summary.json keys or values"
import json, sys
s = json.load(open(sys.argv[1]))
runs = {r["name"]: r for r in s["runs"]}
assert set(runs) == {"A", "B"}, runs.keys()
for r in runs.values():
    assert 0.9 <= r["test_accuracy"] <= 1.0, r["test_accuracy"]
paths = {p["alignment"]: p for p in s["paths"]}
assert set(paths) == {"none", "activation", "weight"}, paths.keys()
for p in paths.values():
    assert p["loss_barrier"] >= 0, p["loss_barrier"]
    assert "accuracy_barrier" in p, p.keys()
assert [l["index"] for l in s["layers"]] == [0, 1]
for l in s["layers"]:
    assert 0 <= l["identity_match_rate"] <= 1
    assert 0 <= l["linear_cka"] <= 1
assert s["track"]["epochs"] == list(range(1, 61)), s["track"]["epochs"]
assert len(s["track"]["layers"][1]["identity_match_rate"]) == 60
# A standard MLP can swap any two neurons for free.
assert s["track"]["layers"][0]["swap_cheap_fraction"] == [1.0] * 60
PY
echo "ok - moons run and summary"

expect_error "unknown preset" "Unknown preset" "$cli" run --preset nope --out "$out/x"
expect_error "missing out" "--out" "$cli" run --preset moons
expect_error "missing config" "Cannot read the experiment" "$cli" run --config "$out/none.json" --out "$out/x"
echo '{"model": {"width": 0}}' >"$out/zero-width.json"
expect_error "zero width" "Width 0" "$cli" run --config "$out/zero-width.json" --out "$out/x"
echo '{"model": ' >"$out/broken.json"
expect_error "broken json" "broken.json" "$cli" run --config "$out/broken.json" --out "$out/x"
echo '{"data": {"kind": "idx", "path": "/nonexistent"}}' >"$out/idx.json"
expect_error "missing idx folder" "/nonexistent" "$cli" run --config "$out/idx.json" --out "$out/x"
expect_error "unknown command" "unknown command" "$cli" frobnicate

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
