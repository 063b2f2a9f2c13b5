-- Every claim first looks for due executions of tasks with a concurrency limit; H2 has no partial
-- indexes, so status and limit lead.
CREATE INDEX bgt_execution_limited_idx ON bgt_execution (status, max_concurrency, task_name);
