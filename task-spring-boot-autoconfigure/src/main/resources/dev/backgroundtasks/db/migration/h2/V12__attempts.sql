-- Attempt history. One row for each attempt of an execution that a later attempt superseded, written in
-- the transaction that superseded it: a failure with attempts left (FAILED, TIMED_OUT), a hand-back at
-- shutdown (HANDED_BACK), a lease recovery (LEASE_EXPIRED). The current or last attempt stays in
-- bgt_execution alone, so a claim, a success or a final failure writes nothing here.
-- seq numbers the rows of one execution: attempt numbers recur, as a hand-back gives its attempt back.
-- At most the last 100 rows of an execution are kept. Retention deletes the rows of the executions it
-- deletes in the same transaction; no foreign key, as on PostgreSQL. The primary key is the index by
-- execution.
CREATE TABLE bgt_attempt (
    execution_id      uuid                     NOT NULL,
    seq               integer                  NOT NULL,
    attempt           integer                  NOT NULL,
    node              varchar(200),
    started_at        timestamp with time zone,
    finished_at       timestamp with time zone NOT NULL,
    outcome           varchar(16)              NOT NULL,
    error_type        varchar(500),
    error_message     varchar,
    error_stack_trace varchar,
    CONSTRAINT bgt_attempt_pk PRIMARY KEY (execution_id, seq)
);
