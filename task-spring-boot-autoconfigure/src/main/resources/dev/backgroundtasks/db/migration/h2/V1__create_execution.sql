-- Durable executions of background tasks. State changes are guarded UPDATEs (see ExecutionTransitions).
CREATE TABLE bgt_execution (
    id                uuid                     NOT NULL PRIMARY KEY,
    task_name         varchar(200)             NOT NULL,
    status            varchar(16)              NOT NULL,
    trigger_type      varchar(16)              NOT NULL,
    params            varchar                  NOT NULL,
    result            varchar,
    error_type        varchar(500),
    error_message     varchar,
    error_stack_trace varchar,
    attempt           integer                  DEFAULT 0 NOT NULL,
    priority          integer                  DEFAULT 0 NOT NULL,
    node              varchar(200),
    created_at        timestamp with time zone NOT NULL,
    run_at            timestamp with time zone NOT NULL,
    started_at        timestamp with time zone,
    finished_at       timestamp with time zone
);
-- No CHECK constraints on H2: H2 2.4.240 evaluates an IN list in a stored expression with the session
-- that created it, and rejects valid rows once that session has closed. PostgreSQL keeps them.

-- H2 has no partial indexes: status leads, so the claim reads only READY entries.
CREATE INDEX bgt_execution_claim_idx ON bgt_execution (status, priority DESC, run_at, id);
CREATE INDEX bgt_execution_created_idx ON bgt_execution (created_at DESC, id DESC);
CREATE INDEX bgt_execution_task_created_idx ON bgt_execution (task_name, created_at DESC, id DESC);
