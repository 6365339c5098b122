#!/usr/bin/env bash
# run-demo.sh DB PORT: creates the demo database when missing and serves it
# on 127.0.0.1:PORT, printing how to log in. Used by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-demo/jindu.db}
port=${2:-8080}
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  echo "jindu: creating the demo database $db (a fictional district) ..."
  ./jindu init --db "$db" --demo
fi
cat <<MSG

  jindu 禁毒社区工作系统 — demo
  open    http://127.0.0.1:$port/
  log in  admin    / demo-password-2026   (区禁毒办 district office administrator)
          office1  / demo-password-2026   (街道禁毒办 street office)
          worker1  / demo-password-2026   (禁毒社工 social worker of one community)
          worker2  / demo-password-2026   (禁毒社工 of another community)
  stop    Ctrl-C

MSG
exec ./jindu serve --db "$db" --listen "127.0.0.1:$port"
