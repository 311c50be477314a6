#!/usr/bin/env bash
# Runs the JMH benchmarks of the Java binding (EmptyTaskBench): builds the
# binding with CMake, installs org.libants:ants into the local Maven
# repository, packages benchmarks.jar and runs it. Short by default (2 forks,
# 3 warm-up and 5 measured iterations of 1 s per case); JMH options given
# here replace nothing and are appended, e.g.
#
#   bindings/java/bench/jmh/run.sh -p executor=ants,tpeLinked -f 3
#   BUILD=/tmp/b bindings/java/bench/jmh/run.sh
#
# Prints the load average before and after: on a shared machine, say so
# with the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
build=${BUILD:-$root/build/java}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DANTS_BUILD_JAVA=ON \
  -DANTS_BUILD_GO=OFF -DANTS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j2 --target ants_java_natives >/dev/null
# Maven's output (and its terminal escapes) go to a log, shown on failure.
mvn_quiet() {
  mvn -q -B "$@" >"$build/jmh-maven.log" 2>&1 || { cat "$build/jmh-maven.log"; exit 1; }
}
mvn_quiet -f "$root/bindings/java/pom.xml" -Dants.build="$build/bindings/java" install
mvn_quiet -f "$root/bindings/java/bench/jmh/pom.xml" -Djmh.build="$build/jmh" package

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java -jar "$build/jmh/benchmarks.jar" EmptyTaskBench "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
