#!/usr/bin/env bash
# bench/xlsx.sh: the .xlsx download's benchmark (issue 11: "an .xlsx of
# 50 000 rows ≤ 3 s and ≤ 100 MB RSS"), run by `make bench-xlsx` and at the
# end of bench/run.sh. Steps:
#  1. a database of BENCH_XLSX_PERSONS (default 65 000) synthetic persons at
#     bench/out/xlsx-N.db (`jindu gen`, no talks or tests: most persons are
#     then due or overdue, so the county's work list holds more than 50 000
#     items) and an administrator of the county; made again every run (5 s);
#  2. `jindu serve --quiet` on a free loopback port;
#  3. first BENCH_XLSX_PARALLEL (2) downloads at once, so that every worker
#     thread (two on a 2-core machine) has exported and holds what an export
#     leaves (its connection's page cache): their peak is reported apart (two
#     exports, not the target's one); then BENCH_XLSX_ROUNDS (3) times: the
#     peak RSS of the server reset (/proc/PID/clear_refs 5), then GET /api/v1/worklist?format=xlsx as the
#     administrator (the whole county: the export's bound, 50 000 rows),
#     timed by curl from the request to the last byte; the server's VmHWM
#     afterwards is the peak RSS of the process while it made the file; the
#     rows are counted by reading the file back (python3 zipfile);
#     then, for comparison, the first page of the same list as JSON
#     (per_page=200: the same scan and sort of the county, 200 items written);
#  4. prints a Markdown report (also bench/out/xlsx.md).
# Everything it starts is stopped on exit (trap); every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

JINDU=${JINDU:-./jindu}
PERSONS=${BENCH_XLSX_PERSONS:-65000}
ROUNDS=${BENCH_XLSX_ROUNDS:-3}
PARALLEL=${BENCH_XLSX_PARALLEL:-2}
OUT=bench/out
DB=$OUT/xlsx-$PERSONS.db
FILE=$OUT/worklist.xlsx
RESULTS=$OUT/xlsx.md
USER_NAME=bench_xlsx_admin
PASSWORD=bench-password-0001   # a synthetic user of a synthetic database

die() { echo "bench-xlsx: $*" >&2; exit 1; }
log() { echo "bench-xlsx: $*" >&2; }
[ -x "$JINDU" ] || die "$JINDU not found: run 'make' first"
for t in curl python3 awk; do command -v "$t" >/dev/null || die "$t is missing"; done
mkdir -p "$OUT"

SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "generating $PERSONS persons into $DB"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$JINDU" gen --db "$DB" --persons "$PERSONS" --seed 1 >"$OUT/xlsx-gen.log" 2>&1 || { cat "$OUT/xlsx-gen.log" >&2; die "jindu gen failed"; }
printf '%s\n' "$PASSWORD" | "$JINDU" user add --db "$DB" --username "$USER_NAME" --role admin --org G00 \
  --name "导出基准" --password-stdin >/dev/null || die "could not add $USER_NAME"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
"$JINDU" serve --db "$DB" --listen "127.0.0.1:$PORT" --quiet >"$OUT/xlsx-serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -s -o /dev/null -m 2 "$BASE/login" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/xlsx-serve.log" >&2; die "jindu serve exited"; }
  sleep 0.1
done
TOKEN=$(curl -sS -m 10 -X POST -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER_NAME\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || die "sign-in as $USER_NAME failed"
AUTH="Authorization: Bearer $TOKEN"
TOTAL=$(curl -sS -m 60 -H "$AUTH" "$BASE/api/v1/worklist?per_page=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
log "the county's work list: $TOTAL items"

hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }
PAR_MD=""
if [ "$PARALLEL" -gt 1 ]; then
  before=$(rss_kb)
  echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true
  pids=()
  for k in $(seq "$PARALLEL"); do
    curl -sS -m 120 -o "$OUT/worklist-$k.xlsx" -w '%{http_code} %{time_total} %{size_download}\n' -H "$AUTH" \
      "$BASE/api/v1/worklist?format=xlsx" >"$OUT/worklist-$k.txt" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "a download of the parallel round failed"; done
  peak=$(hwm_kb)
  secs=0
  for k in $(seq "$PARALLEL"); do
    read -r code s bytes <"$OUT/worklist-$k.txt"
    [ "$code" = 200 ] || die "GET /api/v1/worklist?format=xlsx answered $code (parallel round)"
    secs=$(awk -v a="$secs" -v b="$s" 'BEGIN { print (b > a ? b : a) }')
  done
  rows=$(python3 -c 'import sys, zipfile, re; s = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode(); print(len(re.findall(r"<row ", s)) - 2)' "$OUT/worklist-1.xlsx")
  rm -f "$OUT"/worklist-[0-9]*.xlsx "$OUT"/worklist-[0-9]*.txt
  mb=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
  log "$PARALLEL at once: $rows rows each, slowest $secs s, peak RSS $mb MB (RSS before $((before / 1024)) MB)"
  PAR_MD="$PARALLEL downloads at once (before the rounds, so that every worker thread has exported): $rows rows each, slowest $secs s, peak RSS $mb MB (RSS before $((before / 1024)) MB): $PARALLEL exports, not the target's one."
fi
ROWS_MD=""
worst_s=0 worst_mb=0
for r in $(seq "$ROUNDS"); do
  before=$(rss_kb)
  echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || log "cannot reset the peak RSS (/proc/PID/clear_refs): the peak is since start"
  read -r code secs bytes < <(curl -sS -m 120 -o "$FILE" -w '%{http_code} %{time_total} %{size_download}\n' -H "$AUTH" \
    "$BASE/api/v1/worklist?format=xlsx")
  [ "$code" = 200 ] || die "GET /api/v1/worklist?format=xlsx answered $code"
  peak=$(hwm_kb)
  rows=$(python3 -c 'import sys, zipfile, re; s = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode(); print(len(re.findall(r"<row ", s)) - 2)' "$FILE")
  mb=$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')
  log "round $r: $rows rows, $secs s, $bytes bytes, peak RSS $mb MB (RSS before $((before / 1024)) MB)"
  ROWS_MD+="| $r | $rows | $secs | $bytes | $((before / 1024)) | $mb |"$'\n'
  worst_s=$(awk -v a="$worst_s" -v b="$secs" 'BEGIN { print (b > a ? b : a) }')
  worst_mb=$(awk -v a="$worst_mb" -v b="$mb" 'BEGIN { print (b > a ? b : a) }')
done
echo 5 >"/proc/$SERVER_PID/clear_refs" 2>/dev/null || true
read -r jcode jsecs jbytes < <(curl -sS -m 120 -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' -H "$AUTH" \
  "$BASE/api/v1/worklist?per_page=200")
jpeak=$(awk -v k="$(hwm_kb)" 'BEGIN { printf "%.1f", k / 1024 }')
cleanup

verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "met" : "**NOT met**") }'; }
{
  echo "### .xlsx export, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`make bench-xlsx\` (\`bench/xlsx.sh\`: BENCH_XLSX_PERSONS=$PERSONS, $PARALLEL at once, then $ROUNDS rounds); machine: $(nproc) CPUs," \
       "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), jindu $("$JINDU" --version | awk '{ print $2 }')," \
       "libxlsxwriter $(dpkg-query -W -f='${Version}' libxlsxwriter-dev 2>/dev/null || echo ?)."
  echo
  echo "\`GET /api/v1/worklist?format=xlsx\` as the county's administrator: $TOTAL items in the work list, exported up to" \
       "the bound of 50 000 rows. Time: curl's, request to last byte (the slowest of a parallel round). Peak RSS: the" \
       "whole server process's VmHWM, reset before each round; load average $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| round | rows | seconds | bytes | RSS before (MB) | peak RSS (MB) |"
  echo "|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$ROWS_MD"
  echo
  echo "Slowest $worst_s s (target ≤ 3 s: $(verdict "$worst_s" 3)); highest peak RSS $worst_mb MB (target ≤ 100 MB:" \
       "$(verdict "$worst_mb" 100))."
  [ -z "$PAR_MD" ] || echo "$PAR_MD"
  echo "For comparison, the first page of the same list as JSON (\`per_page=200\`: the same scan and sort of the county):" \
       "HTTP $jcode, $jsecs s, $jbytes bytes, peak RSS $jpeak MB."
} >"$RESULTS"
cat "$RESULTS"
