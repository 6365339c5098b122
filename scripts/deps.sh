#!/usr/bin/env bash
# deps.sh: installs the Debian packages jindu needs (DESIGN.md table), only those missing.
# Idempotent, asks no questions. Usage: scripts/deps.sh [--browser] [--bench]
#   --browser  also Chromium + playwright-core (npm, under tests/browser/node_modules)
#   --bench    also nginx and wrk (benchmarks only)
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(build-essential pkg-config sqlite3 libsqlite3-dev libmicrohttpd-dev libsodium-dev
      libjansson-dev libxlsxwriter-dev libcsv-dev libcmocka-dev curl)
want_browser=0; want_bench=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
    --bench) want_bench=1 ;;
    *) echo "deps.sh: unknown option $a (use --browser or --bench)" >&2; exit 2 ;;
  esac
done
[ $want_browser = 1 ] && pkgs+=(chromium fonts-noto-cjk nodejs npm)
[ $want_bench = 1 ] && pkgs+=(nginx wrk)
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
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $want_browser = 1 ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "deps.sh: installing playwright-core (npm) under tests/browser"
  (cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null)
fi
exit 0
