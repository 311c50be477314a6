#!/usr/bin/env bash
# Runs the same Go program against native ants and the libants Go binding
# (bench/go), and prints benchstat's side-by-side table (issue 14).
#
#   scripts/bench-go-vs-ants.sh [build-dir]     # default build/go
#   COUNT=5 scripts/bench-go-vs-ants.sh         # runs per benchmark (default 5)
#
# Needs a build with -DANTS_BUILD_GO=ON (the assembled module and libants),
# the machine's Go (>= 1.21) and access to the Go module proxy: ants and
# benchstat are fetched by `go` itself, into the Go module cache, never into
# this repository. Not part of ctest/CI: it takes minutes, and its numbers
# mean something only on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build/go}
count=${COUNT:-5}
case $build in /*) ;; *) build=$root/$build ;; esac
module=$build/bindings/go/module
if [ ! -f "$module/internal/capi/capi.go" ]; then
  echo "bench-go-vs-ants: no Go binding in $build; build it first:" >&2
  echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DANTS_BUILD_GO=ON && cmake --build $build -j2" >&2
  exit 1
fi
go=$(PATH="$PATH:/usr/local/go/bin" command -v go)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The committed go.mod points at the binding's source tree, which lacks the
# SWIG output; a private copy points at the module CMake assembled.
cp bench/go/go.mod bench/go/go.sum "$tmp/"
"$go" mod edit -replace="libants/ants=$module" "$tmp/go.mod"

export PKG_CONFIG_PATH=$build/pkgconfig-uninstalled
export LD_LIBRARY_PATH=$build/capi${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export GOFLAGS=-modfile=$tmp/go.mod CGO_ENABLED=1

{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $("$go" version), $(nproc) CPUs," \
       "GOMAXPROCS=${GOMAXPROCS:-$(nproc)}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd bench/go && "$go" test -run '^$' -bench . -benchtime 1x -count "$count" -timeout 30m)
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$tmp/bench.txt"
echo
(cd bench/go && GOFLAGS= "$go" run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da \
   -col /impl "$tmp/bench.txt")
