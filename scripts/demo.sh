#!/usr/bin/env bash
# Builds libants, installs it into a scratch prefix, and builds and runs the
# README example against the *installed* library through pkg-config - the
# way a C user consumes it. Run as root on a fresh Debian 12 machine.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh core
build=build/demo
prefix=$PWD/build/demo-install
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DANTS_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
cmake --install "$build" >/dev/null

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
echo "+ cc examples/readme_example.c \$(pkg-config --cflags --libs ants)"
cc -std=c11 -O2 examples/readme_example.c $(pkg-config --cflags --libs ants) \
  -o "$build/readme_example"
"$build/readme_example"

# The reason libants exists: one pool shared by a service and the C++ engine
# under it (examples/shared; the Go and Java versions run in the test suite).
echo "+ examples/shared: a C service and a C++ engine on one pool"
"$build/examples/shared/shared_engine_c"
