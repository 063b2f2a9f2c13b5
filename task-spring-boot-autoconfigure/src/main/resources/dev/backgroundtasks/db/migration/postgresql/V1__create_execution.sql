-- Durable executions of background tasks. State changes are guarded UPDATEs (see ExecutionTransitions).
CREATE TABLE bgt_execution (
    id                uuid          NOT NULL PRIMARY KEY,
    task_name         varchar(200)  NOT NULL,
    status            varchar(16)   NOT NULL,
    trigger_type      varchar(16)   NOT NULL,
    params            text          NOT NULL,
    result            text,
    error_type        varchar(500),
    error_message     text,
    error_stack_trace text,
    attempt           integer       NOT NULL DEFAULT 0,
    priority          integer       NOT NULL DEFAULT 0,
    node              varchar(200),
    created_at        timestamptz   NOT NULL,
    run_at            timestamptz   NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    CONSTRAINT bgt_execution_status_check
        CHECK (status IN ('READY', 'RUNNING', 'SUCCESSFUL', 'FAILED', 'CANCELLED')),
    CONSTRAINT bgt_execution_trigger_check
        CHECK (trigger_type IN ('API', 'CODE', 'SCHEDULE', 'RETRY'))
);

-- Shaped for the claim: only READY rows, in claim order.
CREATE INDEX bgt_execution_claim_idx ON bgt_execution (priority DESC, run_at, id) WHERE status = 'READY';

-- Listings, newest first, overall and per task.
CREATE INDEX bgt_execution_created_idx ON bgt_execution (created_at DESC, id DESC);
CREATE INDEX bgt_execution_task_created_idx ON bgt_execution (task_name, created_at DESC, id DESC);
