#!/usr/bin/env bash
# Builds the benchmarks and what they need, then runs them all and writes the report:
#   benchmarks/run.sh            the full run, under 10 minutes
#   benchmarks/run.sh --quick    a smoke run of a minute or two
#   benchmarks/run.sh --only sustained   the sustained run alone: 10 minutes at 1,500 commands/s
#   benchmarks/run.sh --only instances   commands/s and latency with 1, 2 and 3 application instances, each its own JVM
# Other options: --commands N, --aggregates N, --only micro,topology,e2e,sustained,rebuild,replies,instances,
# --sustained-minutes N, --sustained-rate R, --sustained-retention-seconds S, --instance-commands N,
# --pekko-jdbc-url URL, --pekko-jdbc-user USER (see BenchmarkMain).
# Maven reads extra flags from MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
#
# When the run includes the end-to-end part (e2e, part of the default run), this script also starts
# a private PostgreSQL for the Pekko peer: a fresh cluster in a temporary directory on a free port
# of 127.0.0.1 (user pekko, trust authentication, default durability: fsync and synchronous_commit
# on), applies the schema of pekko-persistence-jdbc, passes --pekko-jdbc-url to the benchmarks and
# stops and deletes the cluster on exit. PostgreSQL comes from /usr/lib/postgresql/*/bin; as root it
# is installed with apt-get when missing (and the server runs as the user postgres); otherwise the
# peer is skipped. Give --pekko-jdbc-url yourself to use another database instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# Whether the arguments ask for the end-to-end part, and whether they name a database already.
wants_peer() {
  local only="" prev=""
  for arg in "$@"; do
    [[ "$prev" == "--only" ]] && only="$arg"
    [[ "$arg" == "--pekko-jdbc-url" ]] && return 1
    prev="$arg"
  done
  [[ -z "$only" || ",$only," == *,e2e,* ]]
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# Runs a PostgreSQL tool as the owner of the cluster: postgres when we are root (the server refuses root).
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts the peer's PostgreSQL and sets peer_args; on any problem, says why and leaves peer_args empty.
start_postgres() {
  if [[ -z "$(pg_bin)" || ! -x "$(pg_bin)/initdb" ]]; then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
      echo "run.sh: installing PostgreSQL for the Pekko peer (apt-get install postgresql)" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
        || { echo "run.sh: could not install PostgreSQL; the Pekko peer is skipped" >&2; return 0; }
    else
      echo "run.sh: no PostgreSQL in /usr/lib/postgresql/*/bin and not root to install it" \
        "(apt-get install postgresql); the Pekko peer is skipped" >&2
      return 0
    fi
  fi
  PGBIN=$(pg_bin)
  local jar
  jar=$(ls benchmarks/target/lib/pekko-persistence-jdbc_2.13-*.jar | head -1)
  pg_dir=$(mktemp -d -t eventfold-pekko-pg.XXXXXX)
  [[ $EUID -eq 0 ]] && chown postgres:postgres "$pg_dir"
  local port=""
  for p in $(shuf -i 20000-60000 -n 50); do
    if ! ss -Hltn "sport = :$p" | grep -q .; then port=$p; break; fi
  done
  [[ -n "$port" ]] || { echo "run.sh: no free port for PostgreSQL; the Pekko peer is skipped" >&2; return 0; }
  as_pg "$PGBIN/initdb" -D "$pg_dir/data" -U pekko --auth=trust -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; echo "run.sh: initdb failed; the Pekko peer is skipped" >&2; return 0; }
  as_pg "$PGBIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null \
    || { cat "$pg_dir/log" >&2; echo "run.sh: PostgreSQL did not start; the Pekko peer is skipped" >&2; return 0; }
  pg_started=1
  local schema="schema/postgres/postgres-create-schema.sql"
  # Outside a transaction: the schema has CREATE INDEX CONCURRENTLY.
  if command -v unzip >/dev/null; then
    unzip -p "$jar" "$schema"
  else
    (cd "$pg_dir" && jar xf "$OLDPWD/$jar" "$schema" && cat "$schema")
  fi | "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U pekko -d postgres -v ON_ERROR_STOP=1 -q -f - \
    || { echo "run.sh: could not apply $schema of $jar; the Pekko peer is skipped" >&2; return 0; }
  echo "run.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') for the Pekko peer on 127.0.0.1:$port ($pg_dir)" >&2
  peer_args=(--pekko-jdbc-url "jdbc:postgresql://127.0.0.1:$port/postgres" --pekko-jdbc-user pekko)
}

stop_postgres() {
  if [[ -n "${pg_started:-}" ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  fi
  [[ -n "${pg_dir:-}" ]] && rm -rf "$pg_dir"
  return 0
}

./mvnw -q -pl benchmarks -am package -DskipTests -Dmaven.javadoc.skip
peer_args=()
if wants_peer "$@"; then
  trap stop_postgres EXIT
  trap 'exit 130' INT TERM
  start_postgres
fi
# Not exec: the trap above stops PostgreSQL when the benchmarks are done.
java -jar benchmarks/target/benchmarks.jar "$@" "${peer_args[@]}"
