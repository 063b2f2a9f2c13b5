-- Snooze (issue #21): a task that throws TaskSnoozedException goes back to READY without using an attempt;
-- snoozes counts how often, for the execution's JSON and the dashboard.
ALTER TABLE bgt_execution ADD COLUMN snoozes integer DEFAULT 0 NOT NULL;
