-- Listings order by id instead of created_at: ids are UUIDv7, time-ordered, so the primary key orders
-- the whole table newest first. Every state change of an execution is an UPDATE that PostgreSQL cannot
-- do in place (status is in the predicates of the partial indexes), so each full index gained an entry
-- on every claim and every completion: the two listing indexes made up half of that index upkeep.
DROP INDEX bgt_execution_created_idx;
DROP INDEX bgt_execution_task_created_idx;

-- Executions of one task, newest first. RUNNING rows are left out, so a claim adds no entry here; the
-- listings read them through bgt_execution_running_idx (they are few: the nodes' threads and prefetch).
-- Queries spell the predicate out (status <> 'RUNNING') so that the planner can use this index.
CREATE INDEX bgt_execution_task_idx ON bgt_execution (task_name, id) WHERE status <> 'RUNNING';
