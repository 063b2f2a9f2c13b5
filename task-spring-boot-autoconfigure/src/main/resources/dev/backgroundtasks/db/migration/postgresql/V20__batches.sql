-- Batches (issue #21): members are stored with the batch row in one transaction; when the last member ends,
-- one node flips done (a guarded UPDATE) and stores the callback execution in the same transaction. The
-- counts per terminal state are kept here when the batch is done, so retention of members cannot change them.
CREATE TABLE bgt_batch (
    id                        uuid          NOT NULL PRIMARY KEY,
    size                      integer       NOT NULL,
    trigger_type              varchar(16)   NOT NULL,
    callback_task             varchar(200),
    callback_params           text,
    callback_max_attempts     integer       NOT NULL DEFAULT 1,
    callback_max_concurrency  integer       NOT NULL DEFAULT 0,
    callback_gets_batch_id    boolean       NOT NULL DEFAULT FALSE,
    callback_gets_counts      boolean       NOT NULL DEFAULT FALSE,
    callback_id               uuid,
    trace_context             varchar(1000),
    submitted_by              varchar(255),
    done                      boolean       NOT NULL DEFAULT FALSE,
    successful                integer,
    failed                    integer,
    cancelled                 integer,
    created_at                timestamptz NOT NULL,
    finished_at               timestamptz
);
-- The backstop sweep looks for batches not done.
CREATE INDEX bgt_batch_open_idx ON bgt_batch (created_at) WHERE (NOT done);

ALTER TABLE bgt_execution ADD COLUMN batch_id uuid;
-- "Is any member of this batch not finished?" is an index lookup, however large the batch.
CREATE INDEX bgt_execution_batch_idx ON bgt_execution (batch_id, status) WHERE batch_id IS NOT NULL;
