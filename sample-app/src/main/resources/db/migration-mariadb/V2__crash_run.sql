-- One row per run of the crash test's record-run task (scripts/crash-test.sh): a seq that ran twice
-- has two rows. MariaDB has no TIMESTAMP WITH TIME ZONE: ran_at is a DATETIME in UTC.
CREATE TABLE crash_run (
    seq    INTEGER      NOT NULL,
    node   VARCHAR(200) NOT NULL,
    ran_at DATETIME(6)  DEFAULT UTC_TIMESTAMP(6) NOT NULL
);

CREATE INDEX crash_run_seq_idx ON crash_run (seq);
