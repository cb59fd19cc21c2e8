#!/usr/bin/env bash
# Compares the working tree with another revision on the topology benchmark, both builds in one
# JVM with their rounds alternating, so the figure is the change's and not the machine's:
#   benchmarks/compare.sh main          # rounds default to 12
#   benchmarks/compare.sh HEAD~3 20
# Maven reads extra flags from MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."
ref="${1:?usage: benchmarks/compare.sh <git-revision> [rounds]}"
rounds="${2:-12}"
work=benchmarks/target/compare
build=(-q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip -Deventfold.publish.skip=true)

rm -rf "$work"
mkdir -p "$work/src" "$work/before" "$work/after"
git archive "$ref" | tar -x -C "$work/src"
(cd "$work/src" && ./mvnw "${build[@]}")
cp -r "$work/src/benchmarks/target/benchmarks.jar" "$work/src/benchmarks/target/lib" "$work/before/"
rm -rf benchmarks/target/lib   # no dependency left over from an earlier build
./mvnw "${build[@]}"
cp -r benchmarks/target/benchmarks.jar benchmarks/target/lib "$work/after/"
exec java -cp "$work/after/benchmarks.jar" io.eventfold.benchmarks.topology.CompareBuilds "$work/before" "$work/after" "$rounds"
