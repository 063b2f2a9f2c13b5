-- Partitioned concurrency limits and rate limits (issue #21). Every execution of a limited task carries its
-- limits, so that nodes agree on them: max_concurrency > 0 marks a limited row (Integer.MAX_VALUE for a task
-- limited by rate only), partition_key the partition it counts in ('' for the whole task; else the JSON
-- text of the partitionBy parameter's value, or 'sha256:' and its hash when longer than 128 characters),
-- rate_limit starts at most per rate_period_ms (0: no rate limit).
ALTER TABLE bgt_execution ADD COLUMN partition_key varchar(200) DEFAULT '' NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN rate_limit integer DEFAULT 0 NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN rate_period_ms bigint DEFAULT 0 NOT NULL;
-- Claims of limited tasks find the due partitions (status and limit lead: H2 has no partial indexes) and
-- pick each one's next executions in claim order (an equality on max_concurrency, then the claim order);
-- the rate columns at the end let the grouping of due partitions read the index only.
-- It replaces the index of V7: still one index, wider.
DROP INDEX bgt_execution_limited_idx;
CREATE INDEX bgt_execution_limited_idx ON bgt_execution
    (status, max_concurrency, task_name, partition_key, priority DESC, run_at, id, rate_limit, rate_period_ms);
-- The starts of rate-limited tasks within their window (older ones are deleted as claims go), one row per
-- claim of an execution: retries and snoozed runs start again.
CREATE TABLE bgt_task_start (
    execution_id  uuid                     NOT NULL,
    claim_token   bigint                   NOT NULL,
    task_name     varchar(200)             NOT NULL,
    partition_key varchar(200)             NOT NULL,
    started_at    timestamp with time zone NOT NULL,
    PRIMARY KEY (execution_id, claim_token)
);
CREATE INDEX bgt_task_start_window_idx ON bgt_task_start (task_name, started_at, partition_key);
