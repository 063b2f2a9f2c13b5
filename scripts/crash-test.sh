#!/usr/bin/env bash
# Crash test (issue #3): two sample-app nodes on one fresh PostgreSQL database run COUNT executions of
# record-run (sleeps ~5 ms, inserts one crash_run row per run); node-b is killed with SIGKILL mid-way.
# Checks that every execution ends SUCCESSFUL, every seq ran, the dead node's in-flight attempts were
# recovered within two lease periods, and that the only double runs are those in-flight attempts.
#
# Usage: scripts/crash-test.sh            (from anywhere; needs java, mvn, psql, curl)
# Environment (defaults): COUNT=10000 KILL_AFTER=3000 (runs before the kill) LEASE_SECONDS=5
#   HEARTBEAT=1s CONCURRENCY=8 TIMEOUT_SECONDS=300 PORT_A=18081 PORT_B=18082 PGHOST=127.0.0.1
#   PGPORT=5432 PGUSER=postgres SKIP_BUILD=false MVN_ARGS= (e.g. -o)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COUNT=${COUNT:-10000}
KILL_AFTER=${KILL_AFTER:-3000}
LEASE_SECONDS=${LEASE_SECONDS:-5}
HEARTBEAT=${HEARTBEAT:-1s}
CONCURRENCY=${CONCURRENCY:-8}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-300}
PORT_A=${PORT_A:-18081}
PORT_B=${PORT_B:-18082}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JAR=$ROOT/sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
DB=bgt_crash_$(date +%Y%m%d_%H%M%S)_$$
LOGS=$ROOT/sample-app/target/crash-test/$DB
PID_A='' PID_B='' SUBMIT_PID='' DB_CREATED=false

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

cleanup() {
	local status=$?
	local pid
	for pid in $SUBMIT_PID $PID_A $PID_B; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $SUBMIT_PID $PID_A $PID_B; do
		timeout 15 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ $DB_CREATED == true ]]; then
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
		log "Dropped database $DB; node logs kept in $LOGS"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_node() { # name port
	java -jar "$JAR" --spring.profiles.active=postgres,crash-test --server.port="$2" \
		--spring.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" --spring.datasource.username="$PGUSER" \
		--spring.datasource.hikari.maximum-pool-size=$((CONCURRENCY + 6)) \
		--background-tasks.node-name="$1" --background-tasks.worker.concurrency="$CONCURRENCY" \
		--background-tasks.worker.lease-time="${LEASE_SECONDS}s" \
		--background-tasks.worker.heartbeat-interval="$HEARTBEAT" >"$LOGS/$1.log" 2>&1 &
}

await_healthy() { # name port pid
	local deadline=$((SECONDS + 120))
	until curl -sf "http://127.0.0.1:$2/actuator/health" | grep -q '"UP"'; do
		if ! kill -0 "$3" 2>/dev/null || ((SECONDS > deadline)); then
			log "$1 did not come up; last lines of $LOGS/$1.log:"
			tail -n 30 "$LOGS/$1.log"
			exit 1
		fi
		sleep 0.5
	done
	log "$1 is up on port $2 (pid $3)"
}

statuses() {
	sql "SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) AS n
		FROM bgt_execution WHERE task_name = 'record-run' GROUP BY status) s"
}

if [[ ${SKIP_BUILD:-false} != true ]]; then
	log "Building the sample jar"
	(cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -pl sample-app -am package -DskipTests)
fi
mkdir -p "$LOGS"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
DB_CREATED=true
log "Created database $DB; lease ${LEASE_SECONDS}s, heartbeat $HEARTBEAT, concurrency $CONCURRENCY per node"

start_node node-a "$PORT_A"
PID_A=$!
start_node node-b "$PORT_B"
PID_B=$!
await_healthy node-a "$PORT_A" "$PID_A"
await_healthy node-b "$PORT_B" "$PID_B"

log "Submitting $COUNT executions of record-run through node-a"
START=$SECONDS
curl -sf -X POST "http://127.0.0.1:$PORT_A/crash-test/submissions?count=$COUNT" >"$LOGS/submit.json" &
SUBMIT_PID=$!

until (($(sql "SELECT count(*) FROM crash_run") >= KILL_AFTER)); do
	if ((SECONDS - START > TIMEOUT_SECONDS)); then
		log "Timed out before $KILL_AFTER runs: $(statuses)"
		exit 1
	fi
	sleep 0.1
done
KILL_EPOCH=$(date +%s.%N)
kill -9 "$PID_B"
wait "$PID_B" 2>/dev/null || true
PID_B=''
KILL_AT=$(date -u -d "@$KILL_EPOCH" +%H:%M:%S.%3N)
log "Killed node-b with SIGKILL at $KILL_AT UTC after $(sql "SELECT count(*) FROM crash_run") runs"
# Let the statements node-b sent before it died settle, then remember what it held: its lease holds
# for LEASE_SECONDS, so nothing can have been recovered yet.
sleep 0.5
sql "CREATE TABLE crash_in_flight AS SELECT id, (params::json->>'seq')::int AS seq, attempt
	FROM bgt_execution WHERE task_name = 'record-run' AND status = 'RUNNING' AND node = 'node-b'"
IN_FLIGHT=$(sql "SELECT count(*) FROM crash_in_flight")
log "In flight on node-b when it died: $IN_FLIGHT executions (seq $(sql "SELECT coalesce(string_agg(seq::text, ',' ORDER BY seq), '-') FROM crash_in_flight"))"

# Recovery proper: the moment no execution is held by node-b any more (its lease expired and another
# node moved the rows back to READY). When they run again depends on the queue in front of them.
RELEASED='' RELEASED_EPOCH=''
while (($(date +%s) - ${KILL_EPOCH%.*} <= 6 * LEASE_SECONDS)); do
	if (($(sql "SELECT count(*) FROM crash_in_flight f JOIN bgt_execution e ON e.id = f.id
		WHERE e.status = 'RUNNING' AND e.node = 'node-b'") == 0)); then
		RELEASED_EPOCH=$(date +%s.%N)
		RELEASED=$(awk "BEGIN { printf \"%.2f\", $RELEASED_EPOCH - $KILL_EPOCH }")
		break
	fi
	sleep 0.1
done
log "node-b's executions released (back to READY) ${RELEASED:-n/a}s after the kill: $(statuses)"

wait "$SUBMIT_PID" || { log "The submission request failed"; exit 1; }
SUBMIT_PID=''
log "Submission finished: $(cat "$LOGS/submit.json")"

while true; do
	FINISHED=$(sql "SELECT count(*) FROM bgt_execution WHERE task_name = 'record-run'
		AND status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED')")
	((FINISHED >= COUNT)) && break
	if ((SECONDS - START > TIMEOUT_SECONDS)); then
		log "Timed out after ${TIMEOUT_SECONDS}s: $(statuses)"
		break
	fi
	sleep 1
	((SECONDS % 5 == 0)) && log "Progress: $(statuses)"
done
ELAPSED=$((SECONDS - START))

# The seq of each execution, and the runs of each seq.
sql "CREATE TABLE crash_exec AS SELECT id, (params::json->>'seq')::int AS seq, status, attempt, node, started_at
	FROM bgt_execution WHERE task_name = 'record-run'"
sql "CREATE TABLE crash_seq AS SELECT seq, count(*) AS runs, count(*) FILTER (WHERE node = 'node-b') AS on_b
	FROM crash_run GROUP BY seq"

TOTAL=$(sql "SELECT count(*) FROM crash_exec")
SUCCESSFUL=$(sql "SELECT count(*) FROM crash_exec WHERE status = 'SUCCESSFUL'")
DUP_EXECUTIONS=$(sql "SELECT count(*) FROM (SELECT seq FROM crash_exec GROUP BY seq HAVING count(*) > 1) d")
NEVER_RAN=$(sql "SELECT count(*) FROM generate_series(1, $COUNT) g(seq) WHERE NOT EXISTS
	(SELECT 1 FROM crash_run r WHERE r.seq = g.seq)")
RUNS=$(sql "SELECT count(*) FROM crash_run")
DOUBLE=$(sql "SELECT count(*) FROM crash_seq WHERE runs > 1")
MOST_RUNS=$(sql "SELECT coalesce(max(runs), 0) FROM crash_seq")
RETRIED=$(sql "SELECT count(*) FROM crash_exec WHERE attempt > 1")
RETRIED_NOT_IN_FLIGHT=$(sql "SELECT count(*) FROM crash_exec e WHERE attempt > 1
	AND NOT EXISTS (SELECT 1 FROM crash_in_flight f WHERE f.id = e.id)")
# A double run is explained when its execution was in flight on node-b, was recovered (attempt > 1),
# ran at most twice, and one of the runs was node-b's.
UNEXPLAINED=$(sql "SELECT count(*) FROM crash_seq s WHERE runs > 1 AND NOT (runs = 2 AND on_b = 1 AND EXISTS
	(SELECT 1 FROM crash_exec e JOIN crash_in_flight f ON f.id = e.id WHERE e.seq = s.seq AND e.attempt > 1))")
RECOVERY=$(sql "SELECT coalesce(round((extract(epoch FROM max(started_at)) - $KILL_EPOCH)::numeric, 2)::text, '')
	FROM crash_exec WHERE attempt > 1")
FIRST_RECOVERY=$(sql "SELECT coalesce(round((extract(epoch FROM min(started_at)) - $KILL_EPOCH)::numeric, 2)::text, '')
	FROM crash_exec WHERE attempt > 1")
# Executions claimed (first attempt) after node-b's were released and before those ran again.
OVERTAKEN=$(sql "SELECT count(*) FROM crash_exec WHERE attempt = 1 AND started_at > to_timestamp(0${RELEASED_EPOCH:-0})
	AND started_at < (SELECT min(started_at) FROM crash_exec WHERE attempt > 1)")
LIMIT=$((2 * LEASE_SECONDS))

failures=0
check() { # condition-exit-status label
	if [[ $1 == 0 ]]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi
}

echo
echo "=== Crash test: $COUNT executions, 2 nodes, node-b killed at $KILL_AT UTC, ${ELAPSED}s in all ==="
echo "Executions:             $TOTAL ($(statuses))"
echo "Runs per node:          $(sql "SELECT string_agg(node || '=' || n, ' ' ORDER BY node) FROM
	(SELECT node, count(*) AS n FROM crash_run GROUP BY node) r")"
echo "Runs recorded:          $RUNS for $COUNT seqs"
echo "Seqs that never ran:    $NEVER_RAN"
echo "Seqs run more than once: $DOUBLE (most runs of one seq: $MOST_RUNS)"
echo "In flight on node-b:    $IN_FLIGHT at the kill"
echo "Executions attempt > 1: $RETRIED (not among those in flight: $RETRIED_NOT_IN_FLIGHT)"
echo "Unexplained double runs: $UNEXPLAINED"
echo "node-b's leases released: ${RELEASED:-n/a}s after the kill (back to READY; limit: two leases = ${LIMIT}s)"
echo "Recovered attempts started ${FIRST_RECOVERY:-n/a}s to ${RECOVERY:-n/a}s after the kill (limit: ${LIMIT}s);" \
	"$OVERTAKEN other executions were claimed between their release and their restart"
echo
check "$( ((TOTAL == COUNT && DUP_EXECUTIONS == 0)) && echo 0 || echo 1)" "$COUNT executions submitted, one per seq"
check "$( ((SUCCESSFUL == COUNT)) && echo 0 || echo 1)" "every execution SUCCESSFUL"
check "$( ((NEVER_RAN == 0)) && echo 0 || echo 1)" "every seq ran"
check "$( ((UNEXPLAINED == 0 && RETRIED_NOT_IN_FLIGHT == 0)) && echo 0 || echo 1)" \
	"the only double runs are attempts in flight on node-b ($DOUBLE of $IN_FLIGHT in flight ran twice)"
check "$( ((IN_FLIGHT > 0 && RETRIED == IN_FLIGHT)) && echo 0 || echo 1)" \
	"every attempt in flight on node-b was recovered ($RETRIED of $IN_FLIGHT)"
check "$( [[ -n $RELEASED ]] && awk "BEGIN { exit !($RELEASED < $LIMIT) }" && echo 0 || echo 1)" \
	"node-b's executions released within two lease periods (${RELEASED:-n/a}s < ${LIMIT}s)"
check "$( [[ -n $RECOVERY ]] && awk "BEGIN { exit !($RECOVERY < $LIMIT) }" && echo 0 || echo 1)" \
	"recovered attempts started within two lease periods (${RECOVERY:-n/a}s < ${LIMIT}s)"
echo
echo "node-a log: $(grep -c -E ' (WARN|ERROR) ' "$LOGS/node-a.log" || true) WARN/ERROR lines ($LOGS/node-a.log)"
grep -E ' (WARN|ERROR) ' "$LOGS/node-a.log" | head -n 5 || true
((failures == 0)) || { echo "$failures check(s) failed"; exit 1; }
echo "All checks passed"
