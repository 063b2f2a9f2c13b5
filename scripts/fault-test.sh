#!/usr/bin/env bash
# Fault tests (issue #17): the long variants of the fault tests of the suite
# (task-spring-boot-autoconfigure/src/test/java/dev/backgroundtasks/it/fault), on a fresh PostgreSQL database:
#   restart          two nodes (lease 10s, pool connection timeout 250ms) drain 10,000 executions of 20 ms each;
#                    PostgreSQL is really restarted (pg_ctlcluster) once a quarter ran. Every execution must end
#                    SUCCESSFUL, none lost, none FAILED, none run twice.
#   network-cut      node-a reaches PostgreSQL through an in-JVM TCP proxy that holds every byte for 5 leases
#                    (lease 3s) while node-a runs a concurrency = 1 task; node-a must stop its attempt before
#                    node-b runs it, no two runs may overlap, node-a must write nothing over node-b's outcome
#                    once the cut heals, and must keep working.
#   pool-starvation  one node, a pool of 4, 8 worker threads, 64 tasks that each hold a pooled connection
#                    for 4s (lease 3s): no lease may expire, every execution SUCCESSFUL, none run twice.
# The kill -9 of one of two nodes is scripts/crash-test.sh. The suite (mvn verify) runs the same classes at
# their fast size; this script passes -Dbgt.fault.scale=long (and the restart command for the real restart).
# Prints one summary per fault (the figures each test reports on its FAULT-SUMMARY line) and exits non-zero
# when a fault test fails.
#
# Usage: scripts/fault-test.sh [restart] [network-cut] [pool-starvation]   (default: all three; from anywhere;
#   needs java, mvn, psql, and for the real restart pg_ctlcluster run as root)
# Environment (defaults): REAL_RESTART=true (false: the in-JVM proxy drops every connection and refuses new
#   ones for 6s instead; a real restart ends every session on the server, other users' too)
#   RESTART_DOWNTIME=0 (seconds; above 0 the server is stopped, left down that long, then started, instead of
#   pg_ctlcluster restart; keep it below the lease, 10s)
#   PG_CLUSTER="<newest version in /etc/postgresql> main" PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
#   SKIP_BUILD=false MVN_ARGS= (e.g. -o)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULE=task-spring-boot-autoconfigure
REPORTS=$ROOT/$MODULE/target/surefire-reports
REAL_RESTART=${REAL_RESTART:-true}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=bgt_fault_$(date +%Y%m%d_%H%M%S)_$$
LOGS=$ROOT/$MODULE/target/fault-test/$DB
DB_CREATED=false

declare -A CLASSES=([restart]=PostgresRestartFaultTests [network-cut]=PostgresNetworkCutFaultTests
	[pool-starvation]=PostgresPoolStarvationFaultTests)
FAULTS=("$@")
((${#FAULTS[@]} > 0)) || FAULTS=(restart network-cut pool-starvation)
for fault in "${FAULTS[@]}"; do
	[[ -n ${CLASSES[$fault]:-} ]] || { echo "Unknown fault '$fault': use restart, network-cut or pool-starvation" >&2; exit 2; }
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

cleanup() {
	local status=$?
	if [[ $DB_CREATED == true ]]; then
		# The real restart may have just ended: give the server a moment to accept connections.
		for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
		log "Dropped database $DB; logs kept in $LOGS"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RESTART_COMMAND=''
if [[ $REAL_RESTART == true && " ${FAULTS[*]} " == *" restart "* ]]; then
	if [[ -z ${PG_CLUSTER:-} ]]; then
		PG_CLUSTER="$(ls /etc/postgresql | sort -V | tail -n 1) main"
	fi
	command -v pg_ctlcluster >/dev/null || { echo "pg_ctlcluster not found: set REAL_RESTART=false" >&2; exit 2; }
	(($(id -u) == 0)) || { echo "The real restart needs root (pg_ctlcluster): set REAL_RESTART=false" >&2; exit 2; }
	RESTART_COMMAND="pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER restart"
	if ((${RESTART_DOWNTIME:-0} > 0)); then
		RESTART_COMMAND="pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER stop && sleep $RESTART_DOWNTIME"
		RESTART_COMMAND+=" && pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER start"
	fi
fi

mkdir -p "$LOGS"
if [[ ${SKIP_BUILD:-false} != true ]]; then
	log "Compiling the tests"
	(cd "$ROOT" && mvn -B -Dstyle.color=never ${MVN_ARGS:-} -pl "$MODULE" -am test-compile) >"$LOGS/compile.log" 2>&1 \
		|| { tail -n 30 "$LOGS/compile.log"; exit 1; }
fi
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
DB_CREATED=true
export BGT_TEST_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB?user=$PGUSER" BGT_TEST_REQUIRE_POSTGRES=true
log "Created database $DB; faults: ${FAULTS[*]}; restart: ${RESTART_COMMAND:-the proxy drops connections for 6s}"
if [[ -n $RESTART_COMMAND ]]; then
	log "The real restart will also disconnect the $(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity
		WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()") other client sessions now open on the server"
fi

declare -A RESULT ELAPSED
for fault in "${FAULTS[@]}"; do
	class=${CLASSES[$fault]}
	rm -f "$REPORTS"/*".fault.$class"*
	args=(-Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false -Dbgt.fault.scale=long)
	[[ $fault == restart && -n $RESTART_COMMAND ]] && args+=(-Dbgt.fault.restart-command="$RESTART_COMMAND")
	log "Running $fault ($class, long)"
	start=$SECONDS
	# Only the default surefire execution: the module's second one (another time zone) would run it again.
	if (cd "$ROOT" && mvn -B -Dstyle.color=never ${MVN_ARGS:-} -pl "$MODULE" surefire:test@default-test "${args[@]}") >"$LOGS/$fault.log" 2>&1; then
		RESULT[$fault]=PASS
	else
		RESULT[$fault]=FAIL
	fi
	ELAPSED[$fault]=$((SECONDS - start))
	cp "$REPORTS"/*".fault.$class"* "$LOGS/" 2>/dev/null || true
	log "$fault: ${RESULT[$fault]} in ${ELAPSED[$fault]}s"
done

echo
echo "=== Fault tests, long variants: $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB," \
	"PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version' | cut -d' ' -f1) ==="
failures=0
for fault in "${FAULTS[@]}"; do
	class=${CLASSES[$fault]}
	echo
	echo "--- $fault: ${RESULT[$fault]} (${ELAPSED[$fault]}s with start-up) ---"
	summary=$(grep -h '^FAULT-SUMMARY ' "$LOGS"/*".fault.$class-output.txt" 2>/dev/null | tail -n 1 || true)
	if [[ -n $summary ]]; then
		# One "name: value" per line, the figures the test printed before asserting them.
		for figure in ${summary#FAULT-SUMMARY $fault }; do
			printf '  %-20s %s\n' "${figure%%=*}:" "${figure#*=}"
		done
	else
		echo "  no figures (the test did not get that far); see $LOGS/$fault.log"
	fi
	if [[ ${RESULT[$fault]} == FAIL ]]; then
		failures=$((failures + 1))
		# The assertion messages: each failure's description and its expected and actual values.
		grep -h -A3 -E '^-- failure [0-9]+ --$' "$LOGS"/*".fault.$class.txt" 2>/dev/null | grep -v -E '^(--|at )' \
			| cut -c1-240 | sed 's/^/  /' | head -n 40 || true
		grep -h -m1 -E '<<< ERROR!' -A2 "$LOGS"/*".fault.$class.txt" 2>/dev/null | sed 's/^/  /' || true
	fi
done
echo
((failures == 0)) || { echo "$failures of ${#FAULTS[@]} fault test(s) failed; logs in $LOGS"; exit 1; }
echo "All ${#FAULTS[@]} fault tests passed"
