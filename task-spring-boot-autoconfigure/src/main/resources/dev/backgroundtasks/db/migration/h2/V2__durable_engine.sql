-- The durable engine: retries, leases and heartbeats, cancellation of running executions,
-- deduplication keys and cluster-wide per-task concurrency.
ALTER TABLE bgt_execution ADD COLUMN max_attempts integer DEFAULT 1 NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN max_concurrency integer DEFAULT 0 NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN lease_until timestamp with time zone;
ALTER TABLE bgt_execution ADD COLUMN cancel_requested boolean DEFAULT false NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN dedup_key varchar(200);
ALTER TABLE bgt_execution ADD COLUMN retry_of uuid;

-- H2 has no partial indexes: the key counts only while the execution is active, NULLs never collide.
-- A simple CASE, not IN (...) or ORs (which H2 turns into IN): H2 2.4.240 evaluates an IN list in a
-- stored expression with the session that created it, and fails ("The database has been closed")
-- once that session is gone.
ALTER TABLE bgt_execution ADD COLUMN active_key varchar(200)
    GENERATED ALWAYS AS (CASE status WHEN 'READY' THEN dedup_key WHEN 'RUNNING' THEN dedup_key END);
CREATE UNIQUE INDEX bgt_execution_active_key_idx ON bgt_execution (task_name, active_key);

CREATE INDEX bgt_execution_running_idx ON bgt_execution (status, node, lease_until);

CREATE TABLE bgt_task_lock (
    task_name varchar(200) NOT NULL PRIMARY KEY
);
