-- Only scheduled executions need an entry in the tick index. Every state change of an execution is an
-- UPDATE that PostgreSQL cannot do in place (status is in the claim index's predicate), so it adds an
-- entry to each full index: one full index less makes every claim and completion cheaper.
-- ON CONFLICT names the predicate (WHERE schedule_id IS NOT NULL) to use this index.
DROP INDEX bgt_execution_tick_idx;
CREATE UNIQUE INDEX bgt_execution_tick_idx ON bgt_execution (task_name, schedule_id, fire_time)
    WHERE schedule_id IS NOT NULL;
