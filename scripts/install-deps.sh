#!/usr/bin/env bash
# Installs everything libants needs to build, test, bind and benchmark on a
# fresh Debian 12 machine. Run as root (or with sudo). Idempotent.
#
#   scripts/install-deps.sh            # core: compiler, CMake, cmocka, pkg-config
#   scripts/install-deps.sh all        # + SWIG, JDK, JUnit, Maven, bench peers; checks Go
#
# Go is not installed from apt: Debian 12's golang-go is 1.19, below the Go
# binding's floor of 1.21. The binding uses the machine's own Go (the CI
# machines have Go 1.26 in /usr/local/go); `all` checks that one exists and
# stops with a clear message if not.
set -euo pipefail

want=${1:-core}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

core_pkgs=(build-essential cmake pkg-config libcmocka-dev clang libclang-rt-14-dev)
binding_pkgs=(swig openjdk-17-jdk-headless junit4 maven)
bench_pkgs=(libbenchmark-dev libglib2.0-dev libboost-dev libtbb-dev
            libthread-pool-dev cthreadpool-dev gnuplot-nox)

go_min=1.21

# Prints the version of the first go on PATH or in /usr/local/go/bin
# (e.g. "1.26.8"), or nothing.
go_version() {
  local go
  go=$(PATH="$PATH:/usr/local/go/bin" command -v go) || return 0
  "$go" env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9][0-9.]*\).*/\1/p'
}

check_go() {
  local v
  v=$(go_version)
  if [ -z "$v" ]; then
    echo "install-deps: the Go binding needs Go >= $go_min, and no go was found on PATH" \
         "or in /usr/local/go/bin. Debian 12's golang-go (1.19) is too old; install Go" \
         ">= $go_min (e.g. the official release in /usr/local/go) and run this again," \
         "or build with -DANTS_BUILD_GO=OFF." >&2
    exit 1
  fi
  if [ "$(printf '%s\n%s\n' "$go_min" "$v" | sort -V | head -n1)" != "$go_min" ]; then
    echo "install-deps: the Go binding needs Go >= $go_min; the go found is $v." \
         "Put a newer go first on PATH (or in /usr/local/go), or build with -DANTS_BUILD_GO=OFF." >&2
    exit 1
  fi
  echo "install-deps: using Go $v"
}

pkgs=("${core_pkgs[@]}")
if [ "$want" = all ]; then
  pkgs+=("${binding_pkgs[@]}" "${bench_pkgs[@]}")
fi

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
# Last, so that a missing Go stops nothing else from being installed.
[ "$want" != all ] || check_go
echo "install-deps: $want dependencies installed"
