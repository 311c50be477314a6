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
# nobody (setpriv); otherwise as the calling user, whose other processes then
# count against the limit too.
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
as_user=()
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
out=$("${as_user[@]}" prlimit --nproc="$nproc" "$soak" --seconds "$seconds" --threads 3 --no-faults)
echo "$out"
refused=$(printf '%s\n' "$out" | sed -n 's/.* system=\([0-9]*\).*/\1/p')
if [ -z "$refused" ] || [ "$refused" -eq 0 ]; then
  echo "thread_limit: no thread creation was refused; the limit ($nproc) is too high" >&2
  exit 1
fi
echo "thread_limit: $refused submits met a real EAGAIN; nothing lost or run twice"
