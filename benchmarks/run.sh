#!/usr/bin/env bash
# Builds the benchmarks and what they need, then runs them all and writes the report:
#   benchmarks/run.sh            the full run, under 10 minutes
#   benchmarks/run.sh --quick    a smoke run of a minute or two
#   benchmarks/run.sh --only sustained   the sustained run alone: 10 minutes at 1,500 commands/s
# Other options: --commands N, --aggregates N, --only micro,topology,e2e,sustained,
# --sustained-minutes N, --sustained-rate R, --sustained-retention-seconds S (see BenchmarkMain).
# Maven reads extra flags from MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip
exec java -jar benchmarks/target/benchmarks.jar "$@"
