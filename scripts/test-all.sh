#!/usr/bin/env bash
# Runs every test of libants, as CI does: installs the dependencies, then
#   1. Release build of everything (library, C suites, Java and Go bindings,
#      benchmarks built but not run) and all tests;
#   2. AddressSanitizer + UBSan build and the C suites;
#   3. ThreadSanitizer build and the C suites;
#   4. the same two sanitizer builds with clang (issue 17, item 9: clang
#      links its sanitizer runtimes differently, which once kept libants.so
#      from linking; building them here keeps it from coming back). The
#      20 s soak is left to the GCC builds to keep CI time down;
#   5. the installed library through nm, pkg-config and find_package.
# Run as root on a fresh Debian 12 machine.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh all
jobs=$(nproc)
ctest_args=(--output-on-failure --no-tests=error -j"$jobs")

step() { printf '\n=== %s ===\n' "$*"; }

step "Release build: library, C suites, Java and Go bindings, benchmarks"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
  -DANTS_BUILD_JAVA=ON -DANTS_BUILD_GO=ON -DANTS_BUILD_BENCH=ON
cmake --build build/release -j"$jobs"
ctest --test-dir build/release "${ctest_args[@]}"

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANTS_SANITIZE=address
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan "${ctest_args[@]}"

step "ThreadSanitizer"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DANTS_SANITIZE=thread
cmake --build build/tsan -j"$jobs"
# setarch -R: TSan needs the classic address-space layout on kernels whose
# mmap randomisation is wider than its shadow memory expects.
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  setarch "$(uname -m)" -R ctest --test-dir build/tsan "${ctest_args[@]}"

# Clang: the same sanitizer builds and suites, minus the soak (label soak).
clang_args=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo)

step "Clang: AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/clang-asan "${clang_args[@]}" -DANTS_SANITIZE=address
cmake --build build/clang-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/clang-asan "${ctest_args[@]}" -LE soak

step "Clang: ThreadSanitizer"
cmake -S . -B build/clang-tsan "${clang_args[@]}" -DANTS_SANITIZE=thread
cmake --build build/clang-tsan -j"$jobs"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  setarch "$(uname -m)" -R ctest --test-dir build/clang-tsan "${ctest_args[@]}" -LE soak

step "Installed library: symbols, pkg-config, find_package"
bash scripts/check-install.sh build/release

echo
echo "test-all: every suite passed (release, asan+ubsan, tsan, clang asan+ubsan and tsan, install)"
