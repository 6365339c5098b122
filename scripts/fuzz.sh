#!/usr/bin/env bash
# fuzz.sh SECONDS [TARGET...]: runs each libFuzzer harness of build-fuzz/fuzz/ (all when none
# is named: date idcard schedule period name urlencoded json query multipart) for SECONDS over
# its seed corpus (fuzz/corpus/TARGET, read only) and its working corpus (build-fuzz/corpus/
# TARGET, where new inputs go). Prints one line a target (runs, execs/s, corpus size) and
# exits 1 when any target crashed, leaked, hung or broke an assertion; the input is left in
# build-fuzz/crash-TARGET-* (reproduce: build-fuzz/fuzz/fuzz_TARGET FILE).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.c; do t=${f#fuzz/fuzz_}; targets+=("${t%.c}"); done
fi
failed=0; total=0
for t in "${targets[@]}"; do
  bin=build-fuzz/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz $t: no $bin (make fuzz-build)"; failed=1; continue; }
  work=build-fuzz/corpus/$t; mkdir -p "$work" fuzz/corpus/"$t"
  log=build-fuzz/fuzz-$t.log
  if ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
       -artifact_prefix="build-fuzz/crash-$t-" "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    n=$(ls "$work" | wc -l)
    total=$((total + ${runs:-0}))
    echo "fuzz $t: ${runs:-?} runs in ${secs} s (${rate:-?} execs/s), corpus $n inputs, no crash"
  else
    failed=1
    echo "fuzz $t: FAILED (log $log)"
    grep -E "ERROR|SUMMARY|Assertion|runtime error|Test unit written" "$log" | head -n 8 | sed 's/^/  | /'
  fi
done
echo "fuzz: $total runs in all"
exit $failed
