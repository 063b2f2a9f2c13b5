-- One row per run of the crash test's record-run task (scripts/crash-test.sh): a seq that ran twice
-- has two rows. Portable SQL, so the table exists on H2 as well as on PostgreSQL.
CREATE TABLE crash_run (
    seq    INTEGER                  NOT NULL,
    node   VARCHAR(200)             NOT NULL,
    ran_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE INDEX crash_run_seq_idx ON crash_run (seq);
