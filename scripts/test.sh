#!/usr/bin/env bash
# test.sh BUILD_DIR [unit] [integration] [browser] [crash]: runs the test suites
# (all four when none is named; crash is the kill -9 loop of tests/crash/run.py,
# 12 rounds, about 25 s) and prints one closing line
# "N passed, N failed" counting suites' tests.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; shift || true
suites=("$@"); [ ${#suites[@]} -eq 0 ] && suites=(unit integration browser crash)
export JINDU=${JINDU:-./jindu}
out=test-output; mkdir -p "$out"
passed=0; failed=0
for s in "${suites[@]}"; do
  case "$s" in
    unit)
      for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        if "$t" > "$out/$name.log" 2>&1; then
          n=$(grep -c '^\[       OK \]' "$out/$name.log" || true)
          passed=$((passed + n)); echo "unit $name: $n passed"
        else
          n=$(grep -c '^\[  FAILED  \]' "$out/$name.log" || true); [ "$n" -gt 0 ] || n=1
          ok=$(grep -c '^\[       OK \]' "$out/$name.log" || true)
          passed=$((passed + ok)); failed=$((failed + n))
          echo "unit $name: FAILED"; tail -n 30 "$out/$name.log"
        fi
      done ;;
    integration)
      if python3 tests/integration/run.py --jindu "$JINDU" > "$out/integration.log" 2>&1; then :; fi
      tail -n 40 "$out/integration.log" | grep -vE '^(ok|passed)' | tail -n 25
      p=$(grep -E '^integration: [0-9]+ passed, [0-9]+ failed' "$out/integration.log" | tail -1 | sed -E 's/^integration: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
      f=$(grep -E '^integration: [0-9]+ passed, [0-9]+ failed' "$out/integration.log" | tail -1 | sed -E 's/^integration: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
      [ -n "$p" ] || { p=0; f=1; echo "integration: the suite did not finish"; }
      passed=$((passed + p)); failed=$((failed + f)) ;;
    browser)
      if node tests/browser/run.mjs --jindu "$JINDU" --out "$out/browser" > "$out/browser.log" 2>&1; then
        n=$(grep -c '^ok ' "$out/browser.log" || true); passed=$((passed + n)); echo "browser: $n passed"
      else
        n=$(grep -c '^not ok ' "$out/browser.log" || true); [ "$n" -gt 0 ] || n=1
        ok=$(grep -c '^ok ' "$out/browser.log" || true)
        passed=$((passed + ok)); failed=$((failed + n)); echo "browser: FAILED"; tail -n 30 "$out/browser.log"
      fi ;;
    crash)
      if python3 tests/crash/run.py --jindu "$JINDU" --rounds "${CRASH_ROUNDS:-12}" > "$out/crash.log" 2>&1; then
        passed=$((passed + 1)); tail -n 1 "$out/crash.log"
      else
        failed=$((failed + 1)); echo "crash: FAILED"; tail -n 25 "$out/crash.log"
      fi ;;
    *) echo "test.sh: unknown suite $s" >&2; exit 2 ;;
  esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
