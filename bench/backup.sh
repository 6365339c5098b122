#!/usr/bin/env bash
# bench/backup.sh: the cost of an encrypted backup (issue 12 point 4: "bench
# the cost of an encrypted backup of the 1M-person database"), run at the end
# of `make bench` and alone by `make bench-backup`. Steps:
#  1. the database: bench/run.sh's (bench/out/bench.db for 1 000 000 persons,
#     bench-N.db for BENCH_BACKUP_PERSONS=N) when it exists, else one made here
#     with the same generator flags (`jindu gen --history 30`, 2 activities and
#     0.2 surveys a person) at bench/out/backup-src-N.db, kept between runs;
#  2. a key (`jindu keygen`), then BENCH_BACKUP_ROUNDS (1) times each, every
#     step timed with /usr/bin/time (wall seconds, peak RSS):
#     `jindu backup` plaintext (the online backup alone), `jindu backup
#     --key-file` (the online backup into a private temporary file, then
#     encrypted chunk by chunk), and `jindu restore` of it (decrypt into a
#     temporary file, every chunk verified, PRAGMA integrity_check, the audit
#     chain, rename); the files are removed after each round;
#  3. prints a Markdown report (also bench/out/backup.md).
# The page cache is not dropped between steps (that needs root and would
# measure the disk, not jindu): the first step reads a cold or warm file as
# the machine has it, and says so in the report. Disk: three copies of the
# database at once (the database, the backup's temporary snapshot, the
# encrypted file; the restore's file instead of the snapshot).
set -euo pipefail
cd "$(dirname "$0")/.."

JINDU=${JINDU:-./jindu}
PERSONS=${BENCH_BACKUP_PERSONS:-${BENCH_PERSONS:-1000000}}
ROUNDS=${BENCH_BACKUP_ROUNDS:-1}
OUT=bench/out
RESULTS=$OUT/backup.md
WORK=$OUT/backup-work

die() { echo "bench-backup: $*" >&2; exit 1; }
log() { echo "bench-backup: $*" >&2; }
[ -x "$JINDU" ] || die "$JINDU not found: run 'make' first"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$OUT"
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

SUFFIX=""; [ "$PERSONS" = 1000000 ] || SUFFIX="-$PERSONS"
DB=$OUT/bench$SUFFIX.db
if [ ! -f "$DB" ]; then
  DB=$OUT/backup-src-$PERSONS.db
  if [ ! -f "$DB" ] || [ -f "$DB-wal" ]; then
    log "generating $PERSONS persons into $DB"
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$JINDU" gen --db "$DB" --persons "$PERSONS" --seed 1 --history 30 --activities $((PERSONS * 2)) \
      --surveys $((PERSONS / 5)) >"$OUT/backup-gen-$PERSONS.log" 2>&1 || { cat "$OUT/backup-gen-$PERSONS.log" >&2; die "jindu gen failed"; }
  fi
fi
DB_BYTES=$(stat -c %s "$DB")
N_PERSONS=$(sqlite3 -batch -noheader "$DB" "SELECT count(*) FROM person;")
N_AUDIT=$(sqlite3 -batch -noheader "$DB" "SELECT count(*) FROM audit_log;")
log "database $DB: $N_PERSONS persons, $DB_BYTES bytes"

# one open first (untimed): the repairs a command's first open of a fresh
# database may do (cli_open) are not the backup's cost
"$JINDU" audit verify --db "$DB" >"$WORK/verify.out" 2>&1 || { cat "$WORK/verify.out" >&2; die "jindu audit verify failed"; }
KEY=$WORK/at-rest.key
"$JINDU" keygen --to "$KEY" >/dev/null

# timed NAME CMD...: runs CMD under /usr/bin/time; appends "NAME seconds rss_kb" to $WORK/times
timed() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
    { cat "$WORK/$name.err" >&2; die "$name failed"; }
  echo "$name $(cat "$WORK/t")" >>"$WORK/times"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/times"
for r in $(seq "$ROUNDS"); do
  log "round $r: plaintext backup"
  sync
  timed plain "$JINDU" backup --db "$DB" --to "$WORK/plain.db"
  rm -f "$WORK/plain.db"
  log "round $r: encrypted backup"
  sync
  timed encrypted "$JINDU" backup --db "$DB" --to "$WORK/backup.enc" --key-file "$KEY"
  ENC_BYTES=$(stat -c %s "$WORK/backup.enc")
  BACKUP_LINE=$(cat "$WORK/encrypted.out")
  log "round $r: restore"
  sync
  timed restore "$JINDU" restore --key-file "$KEY" --from "$WORK/backup.enc" --db "$WORK/restored.db"
  RESTORED_BYTES=$(stat -c %s "$WORK/restored.db")
  RESTORE_LINE=$(cat "$WORK/restore.out")
  rm -f "$WORK/backup.enc" "$WORK/restored.db"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

row() { # name label: the mean seconds and the highest peak RSS of name's rounds
  awk -v n="$1" -v label="$2" -v mb="$DB_BYTES" '$1 == n { s += $2; k++; if ($3 > m) m = $3 }
    END { printf "| %s | %d | %.1f | %.0f | %.0f |\n", label, k, s / k, mb / 1048576 / (s / k), m / 1024 }' "$WORK/times"
}
{
  echo "## Encrypted backup ($N_PERSONS persons, $(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Database: $DB, $((DB_BYTES / 1048576)) MB, $N_AUDIT audit rows; encrypted file $((ENC_BYTES / 1048576)) MB" \
       "($((ENC_BYTES - DB_BYTES)) bytes more: header and 17 bytes a 64 KiB chunk)."
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory,"\
       "$(. /etc/os-release; echo "$PRETTY_NAME"); $("$JINDU" --version), libsodium $(pkg-config --modversion libsodium 2>/dev/null || echo '?');"\
       "load average at start $LOAD_START, at end $LOAD_END. Page cache not dropped."
  echo
  echo "| step | rounds | seconds (mean) | MB/s of database | peak RSS (MB) |"
  echo "|---|---:|---:|---:|---:|"
  row plain "\`jindu backup\` (plaintext: SQLite's online backup alone)"
  row encrypted "\`jindu backup --key-file\` (online backup to a private temporary file, then encrypted)"
  row restore "\`jindu restore\` (decrypt + verify every chunk, integrity_check, audit chain, rename)"
  echo
  echo "Backup (last round): $BACKUP_LINE."
  echo
  echo "Restore (last round): $RESTORE_LINE (restored file $RESTORED_BYTES bytes)."
} | tee "$RESULTS"
