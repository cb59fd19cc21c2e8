#!/usr/bin/env bash
# Builds the benchmarks and what they need, then runs them all and writes the report:
#   benchmarks/run.sh            the full run, under 10 minutes
#   benchmarks/run.sh --quick    a smoke run of a minute or two
#   benchmarks/run.sh --only sustained   the sustained run alone: 10 minutes at 1,500 commands/s
#   benchmarks/run.sh --only instances   commands/s and latency with 1, 2 and 3 application instances, each its own JVM
# Other options: --commands N, --aggregates N, --only micro,topology,e2e,sustained,rebuild,replies,instances,
# --sustained-minutes N, --sustained-rate R, --sustained-retention-seconds S, --instance-commands N (see BenchmarkMain).
# Maven reads extra flags from MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip
exec java -jar benchmarks/target/benchmarks.jar "$@"
