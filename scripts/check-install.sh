#!/usr/bin/env bash
# Installs a build tree into a scratch prefix and checks what a user of the
# installed library relies on: only ants_* symbols exported, the SONAME,
# `pkg-config --cflags --libs ants`, and `find_package(ants CONFIG)`, from
# C (ants.h) and from C++ (ants.hpp).
#   scripts/check-install.sh <build-dir>
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: check-install.sh <build-dir>}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
lib=$(ls "$prefix"/lib/libants.so.*.*.* 2>/dev/null || ls "$prefix"/lib/*/libants.so.*.*.*)
libdir=$(dirname "$lib")

echo "check-install: exported symbols of $(basename "$lib")"
bad=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^ants_' || true)
if [ -n "$bad" ]; then
  echo "check-install: FAIL: symbols outside ants_*: $bad" >&2
  exit 1
fi
echo "  $(nm -D --defined-only "$lib" | wc -l) symbols, all ants_*"
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
echo "  SONAME $soname"
[ "$soname" = libants.so.0 ] || { echo "check-install: FAIL: SONAME $soname" >&2; exit 1; }

echo "check-install: pkg-config"
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc -std=c11 -Wall -Wextra -Werror examples/readme_example.c $(pkg-config --cflags --libs ants) \
  -o "$prefix/example-pkgconfig"
"$prefix/example-pkgconfig" | tail -n 1
c++ -std=c++17 -Wall -Wextra -pedantic -Werror examples/readme_example.cpp \
  $(pkg-config --cflags --libs ants) -o "$prefix/example-cpp-pkgconfig"
"$prefix/example-cpp-pkgconfig" | tail -n 1

echo "check-install: find_package(ants CONFIG)"
cmake -S examples/consumer -B "$prefix/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/consumer" >/dev/null
"$prefix/consumer/readme_example" | tail -n 1
"$prefix/consumer/readme_example_cpp" | tail -n 1
echo "check-install: ok"
