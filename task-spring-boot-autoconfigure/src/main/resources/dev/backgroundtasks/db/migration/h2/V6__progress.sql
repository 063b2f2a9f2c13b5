-- Progress reported by running tasks through TaskContext; written a few times per second at most.
ALTER TABLE bgt_execution ADD COLUMN progress_current bigint;
ALTER TABLE bgt_execution ADD COLUMN progress_total bigint;
ALTER TABLE bgt_execution ADD COLUMN progress_message varchar(1000);
