#!/usr/bin/env bash
# The soak under a real thread limit, not injected faults: RLIMIT_NPROC just
# above what the harness needs, so the pools' thread creations really fail
# with EAGAIN, over and over, while the soak audits exactly-once, statuses
# and the thread count. The run must see such failures (system=N > 0), or
# it proved nothing.
#
#   tests/soak/thread_limit.sh ANTS_SOAK [--seconds N] [--nproc N]
#
# Root is not subject to RLIMIT_NPROC: as root the soak runs as the user
# nobody (setpriv); otherwise as the calling user. Either way every process
# and thread of that user counts against the limit, so two runs at once
# starve each other (ctest runs one).
set -euo pipefail
soak=$1
shift
seconds=10
nproc=20
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --nproc) nproc=$2; shift 2 ;;
    *) echo "usage: $0 ANTS_SOAK [--seconds N] [--nproc N]" >&2; exit 2 ;;
  esac
done
# LeakSanitizer needs a thread of its own at exit, which the limit may
# refuse; leaks are checked by every other test of the ASan build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
as_user=()
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  # nobody may not reach the build tree (a clone under a 0700 directory):
  # run a copy from a directory it can read. The soak links the test
  # library statically, so it needs nothing else from the build tree.
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  chmod 755 "$dir"
  cp "$soak" "$dir/ants_soak"
  soak=$dir/ants_soak
fi
out=$("${as_user[@]}" prlimit --nproc="$nproc" "$soak" --seconds "$seconds" --threads 3 --no-faults)
echo "$out"
refused=$(printf '%s\n' "$out" | sed -n 's/.* system=\([0-9]*\).*/\1/p')
if [ -z "$refused" ] || [ "$refused" -eq 0 ]; then
  echo "thread_limit: no thread creation was refused; the limit ($nproc) is too high" >&2
  exit 1
fi
echo "thread_limit: $refused submits met a real EAGAIN; nothing lost or run twice"
