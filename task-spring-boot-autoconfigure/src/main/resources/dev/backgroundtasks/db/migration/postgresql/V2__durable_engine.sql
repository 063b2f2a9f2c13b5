-- The durable engine: retries, leases and heartbeats, cancellation of running executions,
-- deduplication keys and cluster-wide per-task concurrency.
ALTER TABLE bgt_execution ADD COLUMN max_attempts integer NOT NULL DEFAULT 1;
ALTER TABLE bgt_execution ADD COLUMN max_concurrency integer NOT NULL DEFAULT 0;
ALTER TABLE bgt_execution ADD COLUMN lease_until timestamptz;
ALTER TABLE bgt_execution ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
ALTER TABLE bgt_execution ADD COLUMN dedup_key varchar(200);
ALTER TABLE bgt_execution ADD COLUMN retry_of uuid;

-- One active (READY or RUNNING) execution per task and key, race-free across nodes.
CREATE UNIQUE INDEX bgt_execution_active_key_idx ON bgt_execution (task_name, dedup_key)
    WHERE status IN ('READY', 'RUNNING') AND dedup_key IS NOT NULL;

-- The reaper and the heartbeats read only RUNNING rows.
CREATE INDEX bgt_execution_running_idx ON bgt_execution (node, lease_until) WHERE status = 'RUNNING';

-- Claimers of a task with a concurrency limit serialize on its row, so a limit holds across nodes.
CREATE TABLE bgt_task_lock (
    task_name varchar(200) NOT NULL PRIMARY KEY
);
