#!/usr/bin/env bash
# Installs everything libants needs to build, test, bind and benchmark on a
# fresh Debian 12 machine. Run as root (or with sudo). Idempotent.
#
#   scripts/install-deps.sh            # core: compiler, CMake, cmocka, pkg-config
#   scripts/install-deps.sh all        # + SWIG, JDK, JUnit, Maven, Go 1.23, bench peers
#
# Go 1.23 lives in Debian's bookworm-backports suite. We never hard-code an
# archive host: the backports source reuses the address this machine already
# uses for bookworm in its own apt sources.
set -euo pipefail

want=${1:-core}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

core_pkgs=(build-essential cmake pkg-config libcmocka-dev clang libclang-rt-14-dev)
binding_pkgs=(swig openjdk-17-jdk-headless junit4 maven)
bench_pkgs=(libbenchmark-dev libglib2.0-dev libboost-dev libtbb-dev
            libthread-pool-dev cthreadpool-dev gnuplot-nox)

# Prints the archive URI this machine uses for Debian bookworm (main suite).
debian_archive_uri() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm([ \n]|$)/ && !/bookworm-security/ {
           if (match($0, /URIs:[ \t]*[^ \t\n]+/)) {
             s = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit
           }
         }' "$f"
  done | head -n1
  { grep -hsE '^deb[[:space:]]+[^#]*[[:space:]]bookworm[[:space:]]' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true; } |
    awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | head -n1
}

add_backports() {
  if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return
  fi
  local uri
  uri=$(debian_archive_uri | head -n1)
  if [ -z "$uri" ]; then
    echo "install-deps: cannot find the Debian archive in this machine's apt sources" >&2
    exit 1
  fi
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" | $SUDO tee /etc/apt/sources.list.d/libants-backports.sources >/dev/null
}

pkgs=("${core_pkgs[@]}")
if [ "$want" = all ]; then
  add_backports
  pkgs+=("${binding_pkgs[@]}" "${bench_pkgs[@]}")
fi

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
if [ "$want" = all ]; then
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports golang-1.23-go >/dev/null
fi
echo "install-deps: $want dependencies installed"
