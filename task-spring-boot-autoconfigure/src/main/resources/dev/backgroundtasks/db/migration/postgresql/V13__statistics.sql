-- Per-minute statistics for the dashboard overview, so that its charts and percentiles never read
-- bgt_execution: each node counts in memory what its engine ends (attempt outcomes by task) and how long
-- executions waited to start (pickup latency), and every few seconds adds those counts to its own row
-- of the minute and task (one row per minute, node and task; the minute by the database clock).
-- Readers sum the rows of all nodes. Pickup latencies are counts per bucket (upper bounds in ms in the
-- column names), so that percentiles summed across nodes are exact to the bucket; the longest pickup
-- bounds the last, open bucket. Rows older than background-tasks.statistics.retention are deleted by
-- the nodes. Windows read and rows expire by minute_start, the leading column of the key.
-- The rows of the current minute are updated every few seconds: free room in their page (fillfactor)
-- lets PostgreSQL update them in place (HOT), adding no index entry.
CREATE TABLE bgt_stats_minute (
    minute_start      timestamptz  NOT NULL,
    node              varchar(200) NOT NULL,
    task_name         varchar(200) NOT NULL,
    -- Attempts that ended: succeeded, failed for good (timed_out included), retried (failed
    -- with attempts left), cancelled while running; and those lost with their node, by what
    -- became of them.
    succeeded         bigint DEFAULT 0 NOT NULL,
    failed            bigint DEFAULT 0 NOT NULL,
    retried           bigint DEFAULT 0 NOT NULL,
    cancelled         bigint DEFAULT 0 NOT NULL,
    timed_out         bigint DEFAULT 0 NOT NULL,
    -- Pickup latency: attempts started, by how long after they were due (ms).
    pickup_le_1       bigint DEFAULT 0 NOT NULL,
    pickup_le_2       bigint DEFAULT 0 NOT NULL,
    pickup_le_5       bigint DEFAULT 0 NOT NULL,
    pickup_le_10      bigint DEFAULT 0 NOT NULL,
    pickup_le_25      bigint DEFAULT 0 NOT NULL,
    pickup_le_50      bigint DEFAULT 0 NOT NULL,
    pickup_le_100     bigint DEFAULT 0 NOT NULL,
    pickup_le_250     bigint DEFAULT 0 NOT NULL,
    pickup_le_500     bigint DEFAULT 0 NOT NULL,
    pickup_le_1000    bigint DEFAULT 0 NOT NULL,
    pickup_le_2500    bigint DEFAULT 0 NOT NULL,
    pickup_le_5000    bigint DEFAULT 0 NOT NULL,
    pickup_le_10000   bigint DEFAULT 0 NOT NULL,
    pickup_le_30000   bigint DEFAULT 0 NOT NULL,
    pickup_le_60000   bigint DEFAULT 0 NOT NULL,
    pickup_le_300000  bigint DEFAULT 0 NOT NULL,
    pickup_gt_300000  bigint DEFAULT 0 NOT NULL,
    pickup_max_micros bigint DEFAULT 0 NOT NULL,
    PRIMARY KEY (minute_start, node, task_name)
) WITH (fillfactor = 50);
