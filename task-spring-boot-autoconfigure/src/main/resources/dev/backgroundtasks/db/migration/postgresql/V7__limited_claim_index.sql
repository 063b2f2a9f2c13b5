-- Every claim first looks for due executions of tasks with a concurrency limit: without an index of
-- its own that look-up read the whole table. This one holds only READY rows of limited tasks.
CREATE INDEX bgt_execution_limited_idx ON bgt_execution (task_name) WHERE status = 'READY' AND max_concurrency > 0;
