-- Scheduled executions: which schedule and fire time created a row. The unique index makes each tick
-- one row across the cluster (a second insert fails with a duplicate key, which the scheduler ignores);
-- rows not created by a schedule have NULLs there, which never collide. The index also answers
-- "latest fire time of a schedule". No CHECK constraints on H2 (see V1).
ALTER TABLE bgt_execution ADD COLUMN schedule_id varchar(200);
ALTER TABLE bgt_execution ADD COLUMN fire_time timestamp with time zone;
CREATE UNIQUE INDEX bgt_execution_tick_idx ON bgt_execution (task_name, schedule_id, fire_time);

-- Runtime enable/disable of tasks ($enable / $disable), read by every node's scheduler each tick.
CREATE TABLE bgt_task_state (
    task_name  varchar(200)             NOT NULL PRIMARY KEY,
    enabled    boolean                  NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
