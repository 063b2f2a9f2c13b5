-- Production faults (issue #17).
-- claim_token: raised by every claim and never lowered, so a claim's token fences the end of its attempt
-- (the attempt number recurs after a hand-back, the token never does).
-- reuse_attempt: set when an attempt is given back without counting (a hand-back at shutdown, params this
-- node's version cannot bind): the next claim runs under the same attempt number instead of a new one, so
-- the attempt number never goes down.
-- unbound_since: when a node first could not bind the params (a node of another version); after the grace
-- (background-tasks.worker.unbound-params-grace) the execution fails.
ALTER TABLE bgt_execution ADD COLUMN claim_token bigint DEFAULT 0 NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN reuse_attempt boolean DEFAULT FALSE NOT NULL;
ALTER TABLE bgt_execution ADD COLUMN unbound_since timestamp with time zone;
-- The tasks each node's worker runs (comma-separated names), so that executions of a task no live node
-- knows can be shown (a rolling deploy that adds a task, a task that was removed).
ALTER TABLE bgt_node ADD COLUMN tasks varchar(100000);
