#!/usr/bin/env bash
# bench/run.sh - builds the benchmark suite (Release, -DANTS_BUILD_BENCH=ON),
# runs libants against every peer pool, and writes the results table and
# chart. See bench/README.md.
#
#   bench/run.sh            the full suite (issue 6's counts; ~10-15 min on
#                           2 cores) -> bench/results/
#   bench/run.sh --quick    small counts, one run each (~1-2 min): a smoke
#                           test -> bench/results/quick/
#   bench/run.sh [--quick] --benchmark_filter='B1/'   a subset (any other
#                           argument goes to ants_bench / Google Benchmark)
#   bench/run.sh [--quick] --report-only   rewrite results.md and the chart
#                           from the last run's data (data/, meta.env)
#
# The "Go ants v2" column: run.sh builds the Go program bench/goants with the
# machine's Go (PATH, else /usr/local/go/bin); `go` fetches ants into its
# module cache. Without Go, or if the build fails (no module proxy and ants
# not in the cache), run.sh says so and runs the suite without that column.
# ANTS_BENCH_GO=0 leaves it out on purpose.
#
# ANTS_BENCH_NOTE='...' adds a line to the results header, e.g. to label a
# run on a loaded machine as a smoke run (kept for --report-only; setting it
# there replaces it).
#
# Environment: ANTS_BENCH_BUILD_DIR (default build-bench), JOBS (default 2),
# ANTS_BENCH_OUT (where results go; default as above), ANTS_BENCH_GO,
# ANTS_BENCH_NOTE.
# Needs: scripts/install-deps.sh all (the peers, libbenchmark-dev, gnuplot-nox).
set -euo pipefail

mode=full
report_only=0
args=()
for a in "$@"; do
  case "$a" in
    --quick) mode=quick ;;
    --report-only) report_only=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ANTS_BENCH_BUILD_DIR:-$root/build-bench}
out=$root/bench/results
bench_flags=()
if [ "$mode" = quick ]; then
  out=$out/quick
  bench_flags+=(--quick)
fi
out=${ANTS_BENCH_OUT:-$out}
mkdir -p "$out/data"

if [ "$report_only" = 0 ]; then
  echo "run.sh: building ants_bench (Release) in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DANTS_BUILD_BENCH=ON \
    -DANTS_BUILD_TESTS=OFF -DANTS_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build "$build" --target ants_bench -j "${JOBS:-2}" >/dev/null

  # Go's ants: its own program, built into the build directory.
  go_flag=()
  go_note="not run (ANTS_BENCH_GO=0)"
  if [ "${ANTS_BENCH_GO:-1}" != 0 ]; then
    go=$(PATH="$PATH:/usr/local/go/bin" command -v go || true)
    go_program=$build/bench/ants_bench_go
    if [ -z "$go" ]; then
      go_note="not run: no Go toolchain on this machine"
    elif (cd "$root/bench/goants" && "$go" build -o "$go_program" .) >"$out/data/go-build.log" 2>&1
    then
      go_flag=(--go-program="$go_program")
      ants_version=$(cd "$root/bench/goants" && "$go" list -m -f '{{.Version}}' \
                       github.com/panjf2000/ants/v2)
      go_note="ants $ants_version, $("$go" version | cut -d' ' -f3), GOMAXPROCS=${GOMAXPROCS:-$(nproc)}"
    else
      go_note="not run: building bench/goants failed (is the Go module proxy reachable, or ants in the module cache?)"
    fi
    if [ ${#go_flag[@]} = 0 ]; then
      echo "run.sh: the Go ants column is skipped: ${go_note#not run: }" >&2
      [ -s "$out/data/go-build.log" ] && sed 's/^/  go build: /' "$out/data/go-build.log" >&2
    fi
  fi
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then commit="$commit (with local changes)"; fi

  # The load both before and after: on a shared machine it is the noise to
  # read the figures against.
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "run.sh: nproc $(nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1);" \
       "load average $load_before"
  started=$(date -u '+%Y-%m-%d %H:%M UTC')
  t0=$(date +%s)
  "$build/bench/ants_bench" ${bench_flags[@]+"${bench_flags[@]}"} \
    ${go_flag[@]+"${go_flag[@]}"} --results-dir="$out/data" \
    --benchmark_out="$out/results.json" --benchmark_out_format=json \
    --benchmark_color=false ${args[@]+"${args[@]}"} 2>&1 | tee "$out/run.log"
  minutes=$(( ($(date +%s) - t0 + 30) / 60 ))
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  command="bench/run.sh${bench_flags[*]:+ ${bench_flags[*]}}${args[*]:+ ${args[*]}}"
  # What the report needs about the run, so --report-only can redo it.
  {
    printf 'started=%q\nminutes=%q\nload_before=%q\nload_after=%q\n' \
      "$started" "$minutes" "$load_before" "$load_after"
    printf 'command=%q\ncommit=%q\ngo_note=%q\nnote=%q\n' "$command" "$commit" "$go_note" \
      "${ANTS_BENCH_NOTE:-}"
  } > "$out/data/meta.env"
fi
# shellcheck source=/dev/null
. "$out/data/meta.env"
note=${ANTS_BENCH_NOTE:-${note:-}}

cpu_model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)
cpus=$(nproc)
tpc=$(lscpu | sed -n 's/^Thread(s) per core:[[:space:]]*//p')
hyper=$(lscpu | sed -n 's/^Hypervisor vendor:[[:space:]]*//p')
mem=$(free -g | awk '/^Mem:/ {print $2}')
kernel=$(uname -srm)
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
cxx_version=$("${cxx:-c++}" --version | head -n1)
peers=$(dpkg-query -W -f='${Package} ${Version}, ' libglib2.0-dev libboost-dev libtbb-dev \
          libthread-pool-dev cthreadpool-dev libbenchmark-dev 2>/dev/null | sed 's/, $//')

{
  echo "# libants benchmark results"
  echo
  if [ -n "$note" ]; then echo "- **Note**: $note"; fi
  echo "- **Date**: $started; the suite took about $minutes min."
  echo "- **Command**: \`$command\` ($mode mode)."
  echo "- **Machine**: $cpu_model; nproc $cpus ($tpc thread(s) per core)${hyper:+, $hyper guest}, $mem GiB RAM; $kernel."
  echo "- **Load average** (1/5/15 min): $load_before before, $load_after after. The machine"
  echo "  is shared with other jobs; with $cpus CPUs, a load above $cpus means the pools competed"
  echo "  for the cores, so read ratios between pools of the same run, not absolute times."
  echo "- **Build**: $cxx_version, CMake Release; libants at commit $commit."
  echo "- **Peers** (Debian packages): $peers."
  echo "- **Go ants column**: ${go_note:-not recorded}."
  echo
  echo "![libants against peer pools](chart.png)"
  echo
  cat "$out/data/table.md"
  echo "### Raw data"
  echo
  echo "\`results.json\` (Google Benchmark JSON: every run, plus median/min/max aggregates),"
  echo "\`run.log\` (console output), \`data/*.dat\` (the chart's data)."
} > "$out/results.md"

chart=
if command -v gnuplot >/dev/null; then
  gnuplot -e "dir='$out/data'; out='$out/chart.png'; subtitle='$cpus CPUs, $started, load $load_before before, $load_after after${note:+ (see the note in results.md)}'" \
    "$root/bench/plot.gp" 2>"$out/data/gnuplot.log" && chart=" and $out/chart.png" ||
    echo "run.sh: no chart: gnuplot failed (a filtered run into a fresh directory lacks" \
         "some panels' data; see $out/data/gnuplot.log)" >&2
else
  echo "run.sh: gnuplot not found (apt-get install gnuplot-nox): no chart" >&2
fi
echo "run.sh: wrote $out/results.md$chart"
