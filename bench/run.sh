#!/usr/bin/env bash
# bench/run.sh: jindu's benchmark (run by `make bench`, which first installs
# nginx and wrk and builds ./jindu). Steps:
#  1. a database of BENCH_PERSONS (default 1 000 000) synthetic persons with
#     BENCH_HISTORY (default 30) talks and tests each, BENCH_ACTIVITIES (default
#     2 000 000) activities and BENCH_SURVEYS (200 000) awareness surveys at bench/out/bench.db,
#     made by `jindu gen --history` (timed) plus three users, kept between
#     runs and made again only when missing or when the stamp (jindu version,
#     persons, history, seed, hash of the schema, generator and core sources)
#     changes; when it is made, `jindu gen` without history is timed too
#     (into a scratch file, deleted);
#  2. `jindu doctor` over it (timed);
#  3. `jindu serve` on a free loopback port; latency of case-file reads, list
#     pages, searches, work lists of a community and of a street, and of
#     recording a drug test, the statistics (the county's table as of today
#     and as of two years ago, a street's, a community's, the persons behind
#     a number; BENCH_STATS_REQUESTS timed requests for the county's, default
#     20) and the server's peak resident memory after them, measured by
#     bench/latency.c (one keep-alive
#     connection, each request timed with clock_gettime); after the server
#     stops, `jindu doctor` over the served copy (the recorded tests must
#     have left no derived field stale);
#  4. throughput: wrk against nginx serving a 1 KB static file and against
#     jindu's authenticated JSON GET of one case file, in the same run;
#  5. prints a Markdown report and writes it to bench/out/results.md.
# Environment: BENCH_PERSONS, BENCH_HISTORY, BENCH_REQUESTS (timed requests per latency
# line, default 2000), BENCH_WARMUP (200), BENCH_WRK_SECONDS (10),
# BENCH_WRK_THREADS (2), BENCH_WRK_CONNECTIONS (32), BENCH_WRK_ROUNDS (2:
# nginx and jindu alternate, the ratio is on the means), BENCH_LINE_SECONDS (300:
# a latency line stops there with fewer requests, shown in its n column),
# JINDU (./jindu).
# Everything it starts is stopped on exit (trap); every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

JINDU=${JINDU:-./jindu}
PERSONS=${BENCH_PERSONS:-1000000}
HISTORY=${BENCH_HISTORY:-30}
ACTIVITIES=${BENCH_ACTIVITIES:-2000000}   # prevention ledgers (issue 10): jindu gen --activities / --surveys
SURVEYS=${BENCH_SURVEYS:-200000}
REQS=${BENCH_REQUESTS:-2000}
WARM=${BENCH_WARMUP:-200}
WRK_SECS=${BENCH_WRK_SECONDS:-10}
WRK_T=${BENCH_WRK_THREADS:-2}
WRK_C=${BENCH_WRK_CONNECTIONS:-32}
LINE_SECS=${BENCH_LINE_SECONDS:-300}
WRK_ROUNDS=${BENCH_WRK_ROUNDS:-2}
SEED=1
OUT=bench/out
# The 1M database is bench.db; other sizes get their own file, so that a
# small trial run does not throw the big one away.
SUFFIX=""; [ "$PERSONS" = 1000000 ] || SUFFIX="-$PERSONS"
DB=$OUT/bench$SUFFIX.db
STAMP=$OUT/bench$SUFFIX.stamp
GENINFO=$OUT/gen$SUFFIX.txt
RUNDB=$OUT/run.db   # the copy a run serves (and writes audit rows into): $DB stays as generated
RESULTS=$OUT/results.md
LAT=$OUT/latency
ADMIN=bench_admin
WORKER=bench_worker
STREET_USER=bench_street
PASSWORD=bench-password-0001   # synthetic users of a synthetic database
COUNTY=G00
COMMUNITY=G00-S01-C0001
STREET=G00-S01

die() { echo "bench: $*" >&2; exit 1; }
# wait_up URL PID LOG NAME: waits up to 10 s for URL to answer while the
# server PID runs; when it exits first, prints its LOG and dies.
wait_up() {
  for _ in $(seq 100); do
    curl -s -o /dev/null -m 2 "$1" && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; die "$4 exited"; }
    sleep 0.1
  done
}
log() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ -x "$JINDU" ] || die "$JINDU not found: run 'make' first (or 'make bench')"
for t in cc curl sqlite3 nginx wrk awk; do
  command -v "$t" >/dev/null || die "$t is missing: run 'scripts/deps.sh --bench'"
done
mkdir -p "$OUT"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- processes started here are stopped on any exit -----------------------
SERVER_PID=""; NGINX_PID=""
stop_pid() { # pid name: TERM, wait up to 15 s, then KILL
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "$2 did not stop; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SERVER_PID" "jindu serve"; SERVER_PID=""
  stop_pid "$NGINX_PID" nginx; NGINX_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the latency client ----------------------------------------------------
cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -o "$LAT" bench/latency.c || die "could not build bench/latency.c"

# ---- 1. the database -------------------------------------------------------
stamp_now() {
  echo "$("$JINDU" --version) persons=$PERSONS history=$HISTORY activities=$ACTIVITIES surveys=$SURVEYS seed=$SEED users=$ADMIN,$WORKER,$STREET_USER"
  # what the generated rows depend on: the schema, the generator and the core rules it applies
  cat store/schema.c store/gen.[ch] app/gen.[ch] app/gen_prevention.[ch] core/*.[ch] 2>/dev/null | sha256sum | cut -c1-16
}
if [ -f "$DB" ] && [ -f "$STAMP" ] && [ "$(stamp_now)" = "$(cat "$STAMP")" ]; then
  log "reusing $DB ($(sed -n 1p "$STAMP"))"
else
  log "generating $PERSONS persons into $DB (the stamp changed or the database is missing)"
  rm -f "$DB" "$DB-wal" "$DB-shm" "$STAMP" "$GENINFO"
  sync   # each timed step starts without the previous one's writes still going to disk
  t0=$(now)
  "$JINDU" gen --db "$DB" --persons "$PERSONS" --seed "$SEED" --history "$HISTORY" \
    --activities "$ACTIVITIES" --surveys "$SURVEYS" >"$OUT/gen.log" 2>&1 ||
    { cat "$OUT/gen.log" >&2; die "jindu gen failed"; }
  t1=$(now)
  # The generator's own speed without talks and tests (issue 2's "1M in a
  # minute"), into a scratch file.
  PLAIN=$OUT/plain.db
  rm -f "$PLAIN" "$PLAIN-wal" "$PLAIN-shm"
  log "timing jindu gen without history into $PLAIN"
  sync
  t2=$(now)
  "$JINDU" gen --db "$PLAIN" --persons "$PERSONS" --seed "$SEED" >"$OUT/gen-plain.log" 2>&1 ||
    { cat "$OUT/gen-plain.log" >&2; die "jindu gen (no history) failed"; }
  t3=$(now)
  rm -f "$PLAIN" "$PLAIN-wal" "$PLAIN-shm"
  printf '%s\n' "$PASSWORD" | "$JINDU" user add --db "$DB" --username "$ADMIN" --role admin --org "$COUNTY" \
    --name "基准管理员" --password-stdin >/dev/null || die "could not add $ADMIN"
  printf '%s\n' "$PASSWORD" | "$JINDU" user add --db "$DB" --username "$WORKER" --role worker --org "$COMMUNITY" \
    --name "基准社工" --password-stdin >/dev/null || die "could not add $WORKER"
  printf '%s\n' "$PASSWORD" | "$JINDU" user add --db "$DB" --username "$STREET_USER" --role office --org "$STREET" \
    --name "基准街道禁毒办" --password-stdin >/dev/null || die "could not add $STREET_USER"
  sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  {
    echo "gen_seconds=$(secs "$t0" "$t1")"
    echo "plain_seconds=$(secs "$t2" "$t3")"
    echo "plain_output=$(tr '\n' ' ' <"$OUT/gen-plain.log")"
    echo "gen_date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "gen_output=$(tr '\n' ' ' <"$OUT/gen.log")"
  } >"$GENINFO"
  stamp_now >"$STAMP"
fi
gen_seconds=$(sed -n 's/^gen_seconds=//p' "$GENINFO")
gen_date=$(sed -n 's/^gen_date=//p' "$GENINFO")
gen_output=$(sed -n 's/^gen_output=//p' "$GENINFO")
plain_seconds=$(sed -n 's/^plain_seconds=//p' "$GENINFO")
plain_output=$(sed -n 's/^plain_output=//p' "$GENINFO")
log "gen: ${gen_seconds} s (${gen_date})"

q() { sqlite3 -batch -noheader "$DB" "$1"; }
read -r ID_MIN ID_MAX < <(q "SELECT min(id) || ' ' || max(id) FROM person;")
N_PERSONS=$(q "SELECT count(*) FROM person;")
N_COMMUNITIES=$(q "SELECT count(*) FROM org_unit WHERE level = 'community';")
N_UNITS=$(q "SELECT count(*) FROM org_unit;")
N_WORKER=$(q "SELECT count(*) FROM person p JOIN org_unit o ON o.id = p.org_id WHERE o.code = '$COMMUNITY';")
N_STREET=$(q "SELECT count(*) FROM person p JOIN org_unit o ON o.id = p.org_id JOIN org_unit s ON s.id = o.parent_id WHERE s.code = '$STREET';")
N_STREET_COMM=$(q "SELECT count(*) FROM org_unit o JOIN org_unit s ON s.id = o.parent_id WHERE s.code = '$STREET';")
N_VISITS=$(q "SELECT count(*) FROM visit;")
N_TESTS=$(q "SELECT count(*) FROM drug_test;")
[ "$N_WORKER" -gt 0 ] || die "community $COMMUNITY has no persons"
DB_MB=$(du -m "$DB" | cut -f1)
# Search terms: the 2-character name prefix and the 10-digit ID-number
# prefix (region + birth year) of every 97th person, so that common names
# come up as often as they are common.
q "SELECT substr(name, 1, 2) FROM person WHERE id % 97 = 0 ORDER BY id;" >"$OUT/names.txt"
q "SELECT substr(id_number, 1, 10) FROM person WHERE id % 97 = 0 ORDER BY id;" >"$OUT/idprefixes.txt"
[ -s "$OUT/names.txt" ] || q "SELECT substr(name, 1, 2) FROM person;" >"$OUT/names.txt"
[ -s "$OUT/idprefixes.txt" ] || q "SELECT substr(id_number, 1, 10) FROM person;" >"$OUT/idprefixes.txt"
# The worker's case files, but the first two: those are the audit probes' (below).
q "SELECT p.id FROM person p JOIN org_unit o ON o.id = p.org_id WHERE o.code = '$COMMUNITY' ORDER BY p.id LIMIT -1 OFFSET 2;" >"$OUT/worker-ids.txt"
[ -s "$OUT/worker-ids.txt" ] || die "community $COMMUNITY needs at least 3 persons"
FIXED_ID=$(( (ID_MIN + ID_MAX) / 2 ))

# ---- 2. doctor -------------------------------------------------------------
run_doctor() { # db log: sets D_RC, D_SECONDS, D_SUMMARY
  local t0 t1
  log "jindu doctor --db $1"
  sync
  t0=$(now)
  D_RC=0
  "$JINDU" doctor --db "$1" >"$2" 2>&1 || D_RC=$?
  t1=$(now)
  D_SECONDS=$(secs "$t0" "$t1")
  D_SUMMARY=$(grep 'jindu: doctor' "$2" | tail -1 || true)
  [ -n "$D_SUMMARY" ] || D_SUMMARY=$(tail -1 "$2")
  log "doctor: ${D_SECONDS} s, exit $D_RC"
}
run_doctor "$DB" "$OUT/doctor.log"
doctor_rc=$D_RC doctor_seconds=$D_SECONDS doctor_summary=$D_SUMMARY

# ---- 3. jindu serve ---------------------------------------------------------
rm -f "$RUNDB" "$RUNDB-wal" "$RUNDB-shm"
[ ! -s "$DB-wal" ] || sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$DB" "$RUNDB"
sync   # the copy's 5 GB on disk before the first timed request (a read behind that writeback once took 0.9 s)
qr() { sqlite3 -batch -noheader "$RUNDB" "$1"; }
AUDIT_BEFORE=$(qr "SELECT coalesce(max(id), 0) FROM audit_log;")
PORT=$("$LAT" --free-port)
BASE=http://127.0.0.1:$PORT
# --quiet: no access line per request (nginx below runs with access_log off: like for like)
"$JINDU" serve --db "$RUNDB" --listen "127.0.0.1:$PORT" --quiet >"$OUT/serve.log" 2>&1 &
SERVER_PID=$!
wait_up "$BASE/login" "$SERVER_PID" "$OUT/serve.log" "jindu serve"
curl -s -o /dev/null -m 2 "$BASE/login" || die "jindu serve does not answer on $BASE"
log "jindu serving on $BASE"

api_token() { # username -> bearer token
  curl -sS -m 10 -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
page_cookie() { # username -> jd_session cookie value
  curl -sS -m 10 -o /dev/null -D - --data-urlencode "username=$1" --data-urlencode "password=$PASSWORD" \
    "$BASE/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: jd_session=\([^;]*\).*/\1/p' | head -1
}
ADMIN_TOKEN=$(api_token "$ADMIN"); [ -n "$ADMIN_TOKEN" ] || die "API sign-in as $ADMIN failed"
WORKER_TOKEN=$(api_token "$WORKER"); [ -n "$WORKER_TOKEN" ] || die "API sign-in as $WORKER failed"
STREET_TOKEN=$(api_token "$STREET_USER"); [ -n "$STREET_TOKEN" ] || die "API sign-in as $STREET_USER failed"
ADMIN_COOKIE=$(page_cookie "$ADMIN"); [ -n "$ADMIN_COOKIE" ] || die "page sign-in as $ADMIN failed"
STREET_COOKIE=$(page_cookie "$STREET_USER"); [ -n "$STREET_COOKIE" ] || die "page sign-in as $STREET_USER failed"
WORKER_COOKIE=$(page_cookie "$WORKER"); [ -n "$WORKER_COOKIE" ] || die "page sign-in as $WORKER failed"
AB="Authorization: Bearer $ADMIN_TOKEN"
AC="Cookie: jd_session=$ADMIN_COOKIE"
WC="Cookie: jd_session=$WORKER_COOKIE"
# Probes: one case-file read of each kind as the worker, of two files that
# no other request of the run reads, to count the audit rows one read writes.
read -r PROBE_JSON PROBE_PAGE < <(q "SELECT group_concat(id, ' ') FROM (SELECT p.id FROM person p JOIN org_unit o ON o.id = p.org_id WHERE o.code = '$COMMUNITY' ORDER BY p.id LIMIT 2);")
code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -H "Authorization: Bearer $WORKER_TOKEN" "$BASE/api/v1/persons/$PROBE_JSON")
[ "$code" = 200 ] || die "GET /api/v1/persons/$PROBE_JSON as $WORKER answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -H "$WC" "$BASE/persons/${PROBE_PAGE:-$PROBE_JSON}")
[ "$code" = 200 ] || die "GET /persons/$PROBE_PAGE as $WORKER answered $code"
# Sanity: the records are there and in scope.
code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -H "$AB" "$BASE/api/v1/persons/$FIXED_ID")
[ "$code" = 200 ] || die "GET /api/v1/persons/$FIXED_ID as $ADMIN answered $code"

# The pages the admin can reach: the list's total as the API gives it (the
# server may cap the count and refuse pages past the cap).
list1=$(curl -s -m 30 -H "$AB" "$BASE/api/v1/persons?page=1")
ADMIN_TOTAL=$(printf '%s' "$list1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
[ -n "$ADMIN_TOTAL" ] || die "GET /api/v1/persons?page=1 as $ADMIN gave no total: ${list1:0:200}"
CAP_NOTE=""
case "$list1" in *'"total_capped":true'*) CAP_NOTE=", the deepest the server serves: its count stops at $ADMIN_TOTAL" ;; esac
ADMIN_PAGES=$(( (ADMIN_TOTAL + 19) / 20 ))
WORKER_PAGES=$(( (N_WORKER + 19) / 20 ))
FIRST_PAGES=$(( ADMIN_PAGES < 10 ? ADMIN_PAGES : 10 ))
ROWS=""   # the latency client's tab-separated lines, each with its p95 target appended
FAILED_LINES=""
# measure label seed target_ms template source header...: one latency line.
# M_EXPECT (the status every answer must have, default 200), M_BODY (a
# JSON body: POST instead of GET), M_N and M_WARM (timed and warm-up
# requests, default REQS and WARM) apply to the next line only.
measure() {
  local label=$1 seed=$2 target=$3 tmpl=$4 src=$5; shift 5
  local expect=${M_EXPECT:-200} body=${M_BODY:-}; M_EXPECT=""; M_BODY=""
  local nreq=${M_N:-$REQS} nwarm=${M_WARM:-$WARM}; M_N=""; M_WARM=""
  local bodyargs=(); [ -z "$body" ] || bodyargs=(-d "$body")
  local hargs=() h line
  for h in "$@"; do hargs+=(-H "$h"); done
  local srcargs
  case "$src" in
    range:*) srcargs=(-r "${src#range:}") ;;
    file:*) srcargs=(-f "${src#file:}") ;;
    *) srcargs=() ;;
  esac
  log "measuring: $label"
  if line=$("$LAT" -p "$PORT" -u "$tmpl" "${srcargs[@]}" "${hargs[@]}" "${bodyargs[@]}" -x "$expect" -n "$nreq" \
            -w "$nwarm" -s "$seed" -l "$label" -t "$LINE_SECS"); then :; else
    FAILED_LINES+="$label; "
  fi
  [ -n "$line" ] || die "no result for $label"
  ROWS+="$line"$'\t'"$target"$'\t'"$nreq"$'\n'
}

# (a) case file
measure "case file, JSON: GET /api/v1/persons/{id} (admin)" 11 5 "/api/v1/persons/{}" "range:$ID_MIN:$ID_MAX" "$AB"
measure "case file, page: GET /persons/{id} (admin)" 12 5 "/persons/{}" "range:$ID_MIN:$ID_MAX" "$AC"
measure "case file, page: GET /persons/{id} (worker, own community)" 13 5 "/persons/{}" "file:$OUT/worker-ids.txt" "$WC"
# (b) list page
measure "list page: GET /persons?page=N (worker, 1 community, $N_WORKER persons, N in 1..$WORKER_PAGES)" 21 5 \
  "/persons?page={}" "range:1:$WORKER_PAGES" "$WC"
measure "list page: GET /persons?page=N (admin, county, N in 1..$FIRST_PAGES)" 22 5 \
  "/persons?page={}" "range:1:$FIRST_PAGES" "$AC"
measure "list page: GET /persons?page=N (admin, county, N in 1..$ADMIN_PAGES$CAP_NOTE)" 23 5 \
  "/persons?page={}" "range:1:$ADMIN_PAGES" "$AC"
measure "list, JSON: GET /api/v1/persons?page=N (worker, N in 1..$WORKER_PAGES)" 24 5 \
  "/api/v1/persons?page={}" "range:1:$WORKER_PAGES" "Authorization: Bearer $WORKER_TOKEN"
measure "list, JSON: GET /api/v1/persons?page=N (admin, N in 1..$FIRST_PAGES)" 25 5 \
  "/api/v1/persons?page={}" "range:1:$FIRST_PAGES" "$AB"
measure "list, JSON: GET /api/v1/persons?page=N (admin, N in 1..$ADMIN_PAGES$CAP_NOTE)" 26 5 \
  "/api/v1/persons?page={}" "range:1:$ADMIN_PAGES" "$AB"
# (c) search
measure "search, JSON: ?q=<2-character name prefix> (admin)" 31 20 "/api/v1/persons?q={}" "file:$OUT/names.txt" "$AB"
measure "search, JSON: ?q=<10-digit ID-number prefix> (admin)" 32 20 "/api/v1/persons?q={}" "file:$OUT/idprefixes.txt" "$AB"
measure "search, page: /persons?q=<2-character name prefix> (admin)" 33 20 "/persons?q={}" "file:$OUT/names.txt" "$AC"
measure "search, page: /persons?q=<10-digit ID-number prefix> (admin)" 34 20 "/persons?q={}" "file:$OUT/idprefixes.txt" "$AC"
# (d) supervision: the work lists as the community worker and the street
# office see them (API pages of 50 items, workbench pages of 30), then
# recording a drug test (a durable write: the test, the person's derived
# fields, the audit row, one transaction) on the worker's case files.
SB="Authorization: Bearer $STREET_TOKEN"
SC="Cookie: jd_session=$STREET_COOKIE"
WB="Authorization: Bearer $WORKER_TOKEN"
wl_total() { curl -s -m 30 -H "$1" "$BASE/api/v1/worklist?per_page=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }
WL_WORKER=$(wl_total "$WB"); [ -n "$WL_WORKER" ] || die "GET /api/v1/worklist as $WORKER gave no total"
WL_STREET=$(wl_total "$SB"); [ -n "$WL_STREET" ] || die "GET /api/v1/worklist as $STREET_USER gave no total"
WLP_WORKER=$(( WL_WORKER < 50 ? 1 : (WL_WORKER + 49) / 50 ))
WKP_WORKER=$(( WL_WORKER < 30 ? 1 : (WL_WORKER + 29) / 30 ))
WLP_STREET=$(( (WL_STREET + 49) / 50 )); [ "$WLP_STREET" -le 10 ] || WLP_STREET=10
WKP_STREET=$(( (WL_STREET + 29) / 30 )); [ "$WKP_STREET" -le 10 ] || WKP_STREET=10
[ "$WLP_STREET" -ge 1 ] || WLP_STREET=1; [ "$WKP_STREET" -ge 1 ] || WKP_STREET=1
measure "work list, JSON: GET /api/v1/worklist?page=N (worker, community, $WL_WORKER items, N in 1..$WLP_WORKER)" 41 5 \
  "/api/v1/worklist?page={}" "range:1:$WLP_WORKER" "$WB"
measure "workbench page: GET /work?page=N (worker, community, N in 1..$WKP_WORKER)" 42 5 \
  "/work?page={}" "range:1:$WKP_WORKER" "$WC"
measure "work list, JSON: GET /api/v1/worklist?page=N (street office, $N_STREET_COMM communities, $N_STREET persons, $WL_STREET items, N in 1..$WLP_STREET)" 43 20 \
  "/api/v1/worklist?page={}" "range:1:$WLP_STREET" "$SB"
measure "workbench page: GET /work?page=N (street office, N in 1..$WKP_STREET)" 44 20 \
  "/work?page={}" "range:1:$WKP_STREET" "$SC"
TODAY=$(date +%F)
M_EXPECT=201 M_BODY="{\"date\":\"$TODAY\",\"sample\":\"urine\",\"reason\":\"random\",\"result\":\"negative\",\"tester\":\"bench\"}"
measure "record a drug test: POST /api/v1/persons/{id}/tests (worker, own community, negative urine test)" 45 5 \
  "/api/v1/persons/{}/tests" "file:$OUT/worker-ids.txt" "$WB"

# (e) statistics (issue 11): the table of the county (every street x every
# measure, with the period before and a year before), as of today and as of
# the same day two years ago, the year so far; a street's and a community's;
# the persons behind a number (the drill-down page of a community and of a
# street). Each table request scans the facts kept per unit and person
# (app/stats.c): fewer timed requests for the county's. The server's peak
# resident memory is read after them.
STATS_N=${BENCH_STATS_REQUESTS:-20}
date +%F >"$OUT/stats-today.txt"
date -d "-2 years" +%F >"$OUT/stats-2y.txt"
date +%Y-%m >"$OUT/stats-month.txt"
M_N=$STATS_N M_WARM=2 measure "statistics, JSON: GET /api/v1/stats?org=$COUNTY (county, $N_COMMUNITIES communities, all streets × all measures, with 环比 and 同比, as of today)" 51 1000 \
  "/api/v1/stats?org=$COUNTY&date={}" "file:$OUT/stats-today.txt" "$AB"
M_N=$STATS_N M_WARM=2 measure "statistics, JSON: GET /api/v1/stats?org=$COUNTY&date=<two years ago> (county, as of that day)" 52 3000 \
  "/api/v1/stats?org=$COUNTY&date={}" "file:$OUT/stats-2y.txt" "$AB"
M_N=$STATS_N M_WARM=2 measure "statistics page: GET /stats?org=$COUNTY (county, the table with 环比, 同比, status mix)" 53 1000 \
  "/stats?org=$COUNTY&date={}" "file:$OUT/stats-today.txt" "$AC"
M_N=$((STATS_N * 5)) measure "statistics, JSON: GET /api/v1/stats?org=$STREET (street office, $N_STREET_COMM communities, $N_STREET persons)" 54 100 \
  "/api/v1/stats?org=$STREET&date={}" "file:$OUT/stats-today.txt" "$SB"
measure "statistics, JSON: GET /api/v1/stats?org=$COMMUNITY (worker, community, $N_WORKER persons)" 55 10 \
  "/api/v1/stats?org=$COMMUNITY&date={}" "file:$OUT/stats-today.txt" "$WB"
measure "drill-down page: GET /stats/items?org=$COMMUNITY&measure=supervised (worker, the persons behind a number)" 56 20 \
  "/stats/items?org=$COMMUNITY&measure=supervised&date={}" "file:$OUT/stats-today.txt" "$WC"
M_N=$((STATS_N * 5)) measure "drill-down page: GET /stats/items?org=$STREET&measure=lost_contact (street office)" 57 20 \
  "/stats/items?org=$STREET&measure=lost_contact&date={}" "file:$OUT/stats-today.txt" "$SC"
M_N=$STATS_N M_WARM=1 measure "(no target) trend image: GET /stats/trend.svg?org=$STREET (street, 24 months)" 58 100000 \
  "/stats/trend.svg?org=$STREET&date={}" "file:$OUT/stats-today.txt" "$SC"
# (f) prevention ledgers (issue 10 point 11): a street's activity list page
# (its totals row over the whole filter, then a page of 30), filtered by a
# 六进 setting, the JSON list, the survey list; the office's month overview.
ACT_STREET=$(curl -s -m 30 -H "$SB" "$BASE/api/v1/activities?org=$STREET&per_page=1" | sed -n 's/.*"total":\([0-9]*\),.*/\1/p')
[ -n "$ACT_STREET" ] || die "GET /api/v1/activities as $STREET_USER gave no total"
ACT_PAGES=$(( (ACT_STREET + 29) / 30 )); [ "$ACT_PAGES" -le 10 ] || ACT_PAGES=10; [ "$ACT_PAGES" -ge 1 ] || ACT_PAGES=1
measure "activity list page: GET /activities?org=$STREET&page=N (street office, $ACT_STREET activities, N in 1..$ACT_PAGES)" 61 20 \
  "/activities?org=$STREET&page={}" "range:1:$ACT_PAGES" "$SC"
measure "activity list page: GET /activities?org=$STREET&setting=school&page=N (street office, one 六进 setting)" 62 20 \
  "/activities?org=$STREET&setting=school&page={}" "range:1:$ACT_PAGES" "$SC"
measure "activity list, JSON: GET /api/v1/activities?org=$STREET&page=N (street office, 50 a page)" 63 20 \
  "/api/v1/activities?org=$STREET&page={}" "range:1:$ACT_PAGES" "$SB"
measure "survey list page: GET /surveys?org=$STREET&page=N (street office)" 64 20 \
  "/surveys?org=$STREET&page={}" "range:1:$ACT_PAGES" "$SC"
M_N=$((STATS_N * 5)) measure "prevention overview page: GET /prevention?org=$STREET (street office, the month per community)" 65 100 \
  "/prevention?org=$STREET&month={}" "file:$OUT/stats-month.txt" "$SC"
PEAK_RSS_MB=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")

# ---- 4. throughput ----------------------------------------------------------
NPORT=$("$LAT" --free-port)
mkdir -p "$OUT/nginx/www" "$OUT/nginx/tmp" "$OUT/nginx/logs"
# the static file: 1 KB of text
# (cut in the shell: `| head -c` would end the writer with SIGPIPE, which
# pipefail turns into the script's exit)
small=$(printf '<!doctype html><title>bench</title><pre>\n'; for i in $(seq 20); do printf 'jindu benchmark static file, line %02d ......................\n' "$i"; done; printf '</pre>\n')
printf '%s\n' "$small" | LC_ALL=C awk -v n=1024 '{ s = s $0 "\n" } END { printf "%s", substr(s, 1, n) }' >"$OUT/nginx/www/small.html"
NGINX_USER=""; [ "$(id -u)" = 0 ] && NGINX_USER="user root;"
cat >"$OUT/nginx.conf" <<EOF
# written by bench/run.sh: nginx serving one small static file, for comparison only
$NGINX_USER
worker_processes auto;
daemon off;
pid nginx/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path nginx/tmp/body;
  proxy_temp_path nginx/tmp/proxy;
  fastcgi_temp_path nginx/tmp/fastcgi;
  uwsgi_temp_path nginx/tmp/uwsgi;
  scgi_temp_path nginx/tmp/scgi;
  types { text/html html; }
  default_type application/octet-stream;
  sendfile on;                 # as in Debian's default nginx.conf
  keepalive_requests 1000000;  # wrk's connections stay open for the whole run
  server {
    listen 127.0.0.1:$NPORT reuseport;   # one socket per worker: wrk's connections spread over all CPUs
    root nginx/www;
    location / { }
  }
}
EOF
nginx -p "$PWD/$OUT/" -c nginx.conf -e stderr >"$OUT/nginx.log" 2>&1 &
NGINX_PID=$!
wait_up "http://127.0.0.1:$NPORT/small.html" "$NGINX_PID" "$OUT/nginx.log" nginx
code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$NPORT/small.html")
[ "$code" = 200 ] || die "nginx answered $code for /small.html"

wrk_run() { # name url [header]: sets W_RPS W_REQS W_NON W_WARM; full output kept
  local name=$1 url=$2; shift 2
  local hargs=()
  [ $# -gt 0 ] && hargs=(-H "$1")
  W_WARM=0
  if [ ! -f "$OUT/wrk-${name%-*}-warmup.txt" ]; then   # the first round of a target warms it up
    timeout 40 wrk -t"$WRK_T" -c"$WRK_C" -d2s "${hargs[@]}" "$url" >"$OUT/wrk-${name%-*}-warmup.txt" 2>&1 ||
      die "wrk warm-up against $name failed: $(cat "$OUT/wrk-${name%-*}-warmup.txt")"
    W_WARM=$(awk '/ requests in / { print $1 }' "$OUT/wrk-${name%-*}-warmup.txt")
  fi
  timeout $((WRK_SECS + 30)) wrk -t"$WRK_T" -c"$WRK_C" -d"${WRK_SECS}s" --latency "${hargs[@]}" "$url" \
    >"$OUT/wrk-$name.txt" 2>&1 || die "wrk against $name failed: $(cat "$OUT/wrk-$name.txt")"
  W_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$OUT/wrk-$name.txt")
  W_REQS=$(awk '/ requests in / { print $1 }' "$OUT/wrk-$name.txt")
  W_NON=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$OUT/wrk-$name.txt")
  W_NON=${W_NON:-0}
  [ -n "$W_RPS" ] && [ -n "$W_REQS" ] || die "could not read wrk's output for $name"
}
rm -f "$OUT"/wrk-*.txt
# Rounds alternate nginx and jindu so that a load change on the machine
# does not fall on one side only; the ratio is taken on the means.
THR_ROWS="" NGINX_SUM=0 JINDU_SUM=0 JINDU_WARM=0 JINDU_REQS=0 NGINX_NON=0 JINDU_NON=0
for r in $(seq "$WRK_ROUNDS"); do
  log "wrk round $r: nginx"
  wrk_run "nginx-$r" "http://127.0.0.1:$NPORT/small.html"
  n_rps=$W_RPS; NGINX_SUM=$(awk -v a="$NGINX_SUM" -v b="$W_RPS" 'BEGIN { print a + b }'); NGINX_NON=$((NGINX_NON + W_NON))
  log "wrk round $r: jindu"
  wrk_run "jindu-$r" "$BASE/api/v1/persons/$FIXED_ID" "$AB"
  JINDU_SUM=$(awk -v a="$JINDU_SUM" -v b="$W_RPS" 'BEGIN { print a + b }'); JINDU_NON=$((JINDU_NON + W_NON))
  JINDU_WARM=$((JINDU_WARM + W_WARM)); JINDU_REQS=$((JINDU_REQS + W_REQS))
  THR_ROWS+="| $r | $n_rps | $W_RPS | $(awk -v a="$W_RPS" -v b="$n_rps" 'BEGIN { printf "%.1f %%", (b > 0 ? 100 * a / b : 0) }') |"$'\n'
done
NGINX_RPS=$(awk -v a="$NGINX_SUM" -v n="$WRK_ROUNDS" 'BEGIN { printf "%.0f", a / n }')
JINDU_RPS=$(awk -v a="$JINDU_SUM" -v n="$WRK_ROUNDS" 'BEGIN { printf "%.0f", a / n }')
# For the analysis only (no target): an authenticated JSON GET that reads no
# case file (session check, routing, JSON), to separate the server's fixed
# cost from the case file's.
log "wrk: jindu /api/v1/me"
wrk_run "me-1" "$BASE/api/v1/me" "$AB"
ME_RPS=$W_RPS ME_NON=$W_NON
log "wrk: jindu /static/app.css"
wrk_run "static-1" "$BASE/static/app.css"
STATIC_RPS=$W_RPS STATIC_NON=$W_NON
STATIC_BYTES=$(curl -s -m 10 "$BASE/static/app.css" | wc -c)
JINDU_BYTES=$(curl -s -m 10 -H "$AB" "$BASE/api/v1/persons/$FIXED_ID" | wc -c)
RATIO=$(awk -v a="$JINDU_RPS" -v b="$NGINX_RPS" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')

cleanup   # stop both servers (jindu flushes its audit queue on the way out)
TESTS_RECORDED=$(qr "SELECT count(*) FROM drug_test WHERE tester = 'bench' AND date = '$TODAY';")
run_doctor "$RUNDB" "$OUT/doctor-after.log"   # the recorded tests left no derived field stale
doctor2_rc=$D_RC doctor2_seconds=$D_SECONDS doctor2_summary=$D_SUMMARY
READS_AUDITED=$(qr "SELECT count(*) FROM audit_log WHERE id > $AUDIT_BEFORE AND action = 'read';")
PROBE_JSON_ROWS=$(qr "SELECT count(*) FROM audit_log a WHERE a.id > $AUDIT_BEFORE AND a.actor = '$WORKER' AND a.action = 'read' AND a.entity_id = $PROBE_JSON;")
PROBE_PAGE_ROWS=$(qr "SELECT count(*) FROM audit_log a WHERE a.id > $AUDIT_BEFORE AND a.actor = '$WORKER' AND a.action = 'read' AND a.entity_id = ${PROBE_PAGE:-0};")
# case-file reads the run made: timed and warm-up reads (JSON and page), the
# checks, wrk's warm-up and measured requests (wrk counts completed requests
# only: a few more may have been served when it stopped)
CASE_JSON_READS=$(( REQS + WARM + 2 + JINDU_WARM + JINDU_REQS ))
CASE_PAGE_READS=$(( 2 * (REQS + WARM) ))

# ---- 5. report -----------------------------------------------------------------
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[ -n "$cpu" ] || cpu=$(awk -F': ' '/^(Hardware|cpu model|uarch)/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}" || echo "?")
verdict() { awk -v v="$1" -v t="$2" -v ge="${3:-}" 'BEGIN { if (ge) print (v >= t ? "met" : "**NOT met**"); else print (v <= t ? "met" : "**NOT met**") }'; }
{
  echo "### jindu benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Command: \`make bench\` (\`bench/run.sh\`: BENCH_PERSONS=$PERSONS, $REQS timed requests per line after $WARM" \
       "warm-up, one keep-alive connection, client bench/latency.c; wrk -t$WRK_T -c$WRK_C -d${WRK_SECS}s)"
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $mem memory, Linux $(uname -r), $os;" \
       "jindu $("$JINDU" --version | awk '{ print $2 }'), SQLite $(pkg-config --modversion sqlite3 2>/dev/null || echo ?)," \
       "libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo ?)," \
       "$(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }');" \
       "load average at start $LOAD_START, at end $LOAD_END."
  echo
  echo "Data: $N_PERSONS persons, $N_COMMUNITIES communities ($N_UNITS org units), $N_VISITS talks/visits and" \
       "$N_TESTS drug tests, database $DB_MB MB; worker's community $COMMUNITY: $N_WORKER persons; street" \
       "$STREET: $N_STREET_COMM communities, $N_STREET persons."
  echo
  echo "| step | time | target | |"
  echo "|---|---:|---:|---|"
  echo "| \`jindu gen --persons $PERSONS --history $HISTORY\` (run $gen_date) | ${gen_seconds} s | | |"
  echo "| \`jindu gen --persons $PERSONS\` (no talks or tests, run $gen_date) | ${plain_seconds:-?} s | 60 s | $(verdict "${plain_seconds:-999}" 60) |"
  echo "| \`jindu doctor\` over the generated database (exit $doctor_rc) | ${doctor_seconds} s | 60 s | $(verdict "$doctor_seconds" 60) |"
  echo "| \`jindu doctor\` over the served copy after the run (exit $doctor2_rc) | ${doctor2_seconds} s | 60 s | $(verdict "$doctor2_seconds" 60) |"
  echo
  echo "gen: $gen_output"
  echo
  echo "gen without history: $plain_output"
  echo
  echo "doctor: $doctor_summary"
  echo
  echo "doctor after the run ($TESTS_RECORDED drug tests recorded by the run): $doctor2_summary"
  echo
  echo "| measurement (ms) | n | errors | p50 | p95 | p99 | mean | max | bytes | p95 target | |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  while IFS=$'\t' read -r label n err mean p50 p95 p99 max bytes reconn target want; do
    [ -n "$label" ] || continue
    [ "$n" -ge "$want" ] || n="$n of $want (${LINE_SECS} s cap)"
    echo "| $label | $n | $err | $p50 | $p95 | $p99 | $mean | $max | $bytes | ≤ $target | $(verdict "$p95" "$target") |"
  done <<<"$ROWS"
  echo
  echo "| throughput (wrk -t$WRK_T -c$WRK_C, ${WRK_SECS} s a round) | req/s (mean of $WRK_ROUNDS rounds) | non-2xx |"
  echo "|---|---:|---:|"
  echo "| nginx: GET /small.html (1024 B static file) | $NGINX_RPS | $NGINX_NON |"
  echo "| jindu: GET /api/v1/persons/$FIXED_ID, bearer ($JINDU_BYTES B JSON, audited read) | $JINDU_RPS | $JINDU_NON |"
  echo "| (no target) jindu: GET /api/v1/me, bearer (session check only, 1 round) | $ME_RPS | $ME_NON |"
  echo "| (no target) jindu: GET /static/app.css ($STATIC_BYTES B, no session, no database, 1 round) | $STATIC_RPS | $STATIC_NON |"
  echo
  echo "| round | nginx req/s | jindu req/s | jindu / nginx |"
  echo "|---:|---:|---:|---:|"
  printf '%s' "$THR_ROWS"
  echo
  echo "jindu / nginx = **${RATIO} %** (target ≥ 50 %: $(verdict "$RATIO" 50 ge))."
  echo "Server peak resident memory (VmHWM) after the statistics lines: **${PEAK_RSS_MB} MB** (target ≤ 200 MB:" \
       "$(verdict "$PEAK_RSS_MB" 200))."
  echo "Audit: one JSON case-file read wrote $PROBE_JSON_ROWS \"read\" row(s), one case-file page view $PROBE_PAGE_ROWS" \
       "(probes as $WORKER). The run wrote $READS_AUDITED read rows for about $CASE_JSON_READS JSON reads and" \
       "$CASE_PAGE_READS page views counted by the clients."
  [ -z "$FAILED_LINES" ] || echo "Lines with requests that did not answer 200: $FAILED_LINES"
} >"$RESULTS"
cat "$RESULTS"
