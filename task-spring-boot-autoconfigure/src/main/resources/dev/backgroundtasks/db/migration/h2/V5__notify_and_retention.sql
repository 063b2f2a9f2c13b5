-- H2 has no LISTEN/NOTIFY: a single node wakes its own worker in memory.
-- Retention deletes finished rows by age, in bounded batches.
CREATE INDEX bgt_execution_finished_idx ON bgt_execution (status, finished_at);
