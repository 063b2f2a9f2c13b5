-- Observability: the trace context an execution was submitted in (the propagator's headers, one
-- "name: value" per line), restored when it runs so the submitter and the execution share one trace.
ALTER TABLE bgt_execution ADD COLUMN trace_context varchar(1000);

-- Nodes of the cluster: each node upserts its row on every heartbeat (database time) and deletes it
-- when it stops; any node forgets rows that stopped heartbeating long ago.
CREATE TABLE bgt_node (
    node_name      varchar(200) NOT NULL PRIMARY KEY,
    started_at     timestamptz  NOT NULL,
    last_heartbeat timestamptz  NOT NULL,
    running        integer      NOT NULL DEFAULT 0
);
