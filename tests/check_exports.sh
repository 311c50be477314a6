#!/bin/sh
# check_exports.sh LIBRARY - fails if the shared library exports any defined
# symbol outside the C API (ants_*). Linker-made symbols are tolerated.
set -eu
lib=$1
syms=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//')
if [ -z "$syms" ]; then
  echo "check_exports: no dynamic symbols in $lib" >&2
  exit 1
fi
bad=$(printf '%s\n' "$syms" |
  grep -Ev '^(ants_[A-Za-z0-9_]+|_init|_fini|_edata|_end|__bss_start)$' || true)
if [ -n "$bad" ]; then
  echo "check_exports: $lib exports symbols outside the C API:" >&2
  printf '  %s\n' $bad >&2
  exit 1
fi
# Guard against a vacuous pass: the API itself must be there.
for f in ants_pool_new ants_submit ants_strerror ants_version; do
  printf '%s\n' "$syms" | grep -qx "$f" || { echo "check_exports: $f not exported" >&2; exit 1; }
done
echo "check_exports: $(printf '%s\n' "$syms" | wc -l) symbols, all ants_*"
