#!/usr/bin/env bash
# deps.sh: installs the Debian packages jindu's sources, tests and benchmarks use (the DESIGN.md
# table less what no source uses yet), only those missing. Idempotent, asks no questions. A step
# that fails names its command and shows the end of its output.
# Usage: scripts/deps.sh [--browser] [--bench] [--fuzz]
#   --browser  also Chromium, Node.js (18 or later) and playwright-core (npm, under tests/browser/node_modules)
#   --bench    also nginx, wrk and curl (benchmarks only)
#   --fuzz     also clang and its libFuzzer runtime (libclang-rt-14-dev ships libclang_rt.fuzzer)
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(build-essential pkg-config python3 sqlite3 libsqlite3-dev libmicrohttpd-dev libsodium-dev
      libjansson-dev libxlsxwriter-dev libzip-dev libcmocka-dev libunistring-dev)
want_browser=0; want_bench=0; want_fuzz=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
    --bench) want_bench=1 ;;
    --fuzz) want_fuzz=1 ;;
    *) echo "deps.sh: unknown option $a (use --browser, --bench or --fuzz)" >&2; exit 2 ;;
  esac
done
[ $want_browser = 1 ] && pkgs+=(chromium fonts-noto-cjk nodejs npm)
[ $want_bench = 1 ] && pkgs+=(nginx wrk curl)
[ $want_fuzz = 1 ] && pkgs+=(clang libclang-rt-14-dev)

log=$(mktemp); trap 'rm -f "$log"' EXIT
# step WHAT CMD...: runs CMD with its output in $log; when it fails, says what failed, the
# command and its exit status, shows the last 40 lines of its output and exits 1.
step() {
  local what=$1; shift
  local rc=0
  "$@" >"$log" 2>&1 || rc=$?
  if [ $rc != 0 ]; then
    echo "deps.sh: $what failed (exit $rc): $*" >&2
    tail -n 40 "$log" | sed 's/^/  | /' >&2
    exit 1
  fi
}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere (e.g. a preinstalled Node); do not force Debian's then.
if [ ${#missing[@]} -gt 0 ]; then
  filtered=()
  for p in "${missing[@]}"; do
    if { [ "$p" = nodejs ] || [ "$p" = npm ]; } && command -v node >/dev/null && command -v npm >/dev/null; then continue; fi
    filtered+=("$p")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps.sh: not root and no sudo: install ${missing[*]} as root" >&2; exit 1; }
    SUDO=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  step "the package list update" $SUDO apt-get update
  step "installing ${missing[*]}" $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ $want_browser = 1 ]; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 18 ]; then
    echo "deps.sh: the browser tests need Node.js 18 or later; $(command -v node || echo node) is ${node_major:-missing}" >&2
    exit 1
  fi
  # the version package.json pins (a version that still runs on Debian 12's Node 18)
  want=$(node -p 'require("./tests/browser/package.json").dependencies["playwright-core"]')
  have=$(node -p 'try { require("./tests/browser/node_modules/playwright-core/package.json").version } catch (e) { "" }')
  if [ "$have" != "$want" ]; then
    echo "deps.sh: installing playwright-core $want (npm) under tests/browser${have:+ (was $have)}"
    (cd tests/browser && step "npm install of playwright-core $want" npm install --no-audit --no-fund)
  fi
fi
exit 0
