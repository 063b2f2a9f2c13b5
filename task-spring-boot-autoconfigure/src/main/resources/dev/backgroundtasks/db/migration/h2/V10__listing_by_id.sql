-- Listings order by id instead of created_at: ids are UUIDv7, time-ordered, so the primary key orders
-- the whole table newest first. PostgreSQL leaves RUNNING rows out of its task index; H2 has no partial
-- indexes and indexes them all.
DROP INDEX bgt_execution_created_idx;
DROP INDEX bgt_execution_task_created_idx;
CREATE INDEX bgt_execution_task_idx ON bgt_execution (task_name, id);
