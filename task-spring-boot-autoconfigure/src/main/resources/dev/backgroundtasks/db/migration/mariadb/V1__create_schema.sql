-- The starter's schema on MariaDB 10.7+, as the fifteen migrations of the other databases left it (MariaDB
-- support began with version 15 of the schema, so its history starts here; later migrations are numbered
-- alike on every database).
--
-- Differences from PostgreSQL, all forced by MariaDB:
-- * times are DATETIME(6) in UTC, always written as UTC_TIMESTAMP(6) (database time) or bound as UTC;
-- * no partial indexes: the index of one active execution per deduplication key is a unique index on a
--   generated column that holds the key only while the execution is READY or RUNNING (NULLs never clash),
--   and the other indexes lead with status instead of filtering on it;
-- * binary collation, so that names and keys compare case-sensitively as on the other databases.

CREATE TABLE bgt_execution (
    id                uuid          NOT NULL PRIMARY KEY,
    task_name         varchar(200)  NOT NULL,
    status            varchar(16)   NOT NULL,
    trigger_type      varchar(16)   NOT NULL,
    params            longtext      NOT NULL,
    result            longtext,
    error_type        varchar(500),
    error_message     longtext,
    error_stack_trace longtext,
    attempt           integer       NOT NULL DEFAULT 0,
    priority          integer       NOT NULL DEFAULT 0,
    node              varchar(200),
    created_at        datetime(6)   NOT NULL,
    run_at            datetime(6)   NOT NULL,
    started_at        datetime(6),
    finished_at       datetime(6),
    max_attempts      integer       NOT NULL DEFAULT 1,
    max_concurrency   integer       NOT NULL DEFAULT 0,
    lease_until       datetime(6),
    cancel_requested  boolean       NOT NULL DEFAULT FALSE,
    dedup_key         varchar(200),
    retry_of          uuid,
    schedule_id       varchar(200),
    fire_time         datetime(6),
    trace_context     varchar(1000),
    progress_current  bigint,
    progress_total    bigint,
    progress_message  varchar(1000),
    submitted_by      varchar(255),
    cancelled_by      varchar(255),
    active_key        varchar(200)
        AS (CASE WHEN status IN ('READY', 'RUNNING') THEN dedup_key END) STORED,
    CONSTRAINT bgt_execution_status_check
        CHECK (status IN ('READY', 'RUNNING', 'SUCCESSFUL', 'FAILED', 'CANCELLED')),
    CONSTRAINT bgt_execution_trigger_check
        CHECK (trigger_type IN ('API', 'CODE', 'SCHEDULE', 'RETRY'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The claim: READY rows in claim order (descending index parts need MariaDB 10.8; 10.7 sorts instead).
CREATE INDEX bgt_execution_claim_idx ON bgt_execution (status, priority DESC, run_at, id);
-- One active execution per task and deduplication key.
CREATE UNIQUE INDEX bgt_execution_active_key_idx ON bgt_execution (task_name, active_key);
-- Lease renewal and recovery: RUNNING rows per node.
CREATE INDEX bgt_execution_running_idx ON bgt_execution (status, node, lease_until);
-- One execution per schedule tick (NULL schedule ids never clash).
CREATE UNIQUE INDEX bgt_execution_tick_idx ON bgt_execution (task_name, schedule_id, fire_time);
-- Retention: finished rows by age.
CREATE INDEX bgt_execution_finished_idx ON bgt_execution (status, finished_at);
-- Claims of tasks with a concurrency limit.
CREATE INDEX bgt_execution_limited_idx ON bgt_execution (status, max_concurrency, task_name);
-- Listings, newest first (ids are time-ordered), per task and per deduplication key.
CREATE INDEX bgt_execution_task_idx ON bgt_execution (task_name, id);
CREATE INDEX bgt_execution_key_idx ON bgt_execution (dedup_key, id);

-- One row per task with a concurrency limit, locked while claiming for it.
CREATE TABLE bgt_task_lock (
    task_name varchar(200) NOT NULL PRIMARY KEY
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Tasks disabled or enabled at runtime.
CREATE TABLE bgt_task_state (
    task_name  varchar(200) NOT NULL PRIMARY KEY,
    enabled    boolean      NOT NULL,
    updated_at datetime(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Live nodes and their heartbeats.
CREATE TABLE bgt_node (
    node_name      varchar(200) NOT NULL PRIMARY KEY,
    started_at     datetime(6)  NOT NULL,
    last_heartbeat datetime(6)  NOT NULL,
    running        integer      NOT NULL DEFAULT 0,
    threads        integer      NOT NULL DEFAULT 0,
    roles          varchar(200)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every ended attempt of an execution, in order.
CREATE TABLE bgt_attempt (
    execution_id      uuid         NOT NULL,
    seq               integer      NOT NULL,
    attempt           integer      NOT NULL,
    node              varchar(200),
    started_at        datetime(6),
    finished_at       datetime(6)  NOT NULL,
    outcome           varchar(16)  NOT NULL,
    error_type        varchar(500),
    error_message     longtext,
    error_stack_trace longtext,
    CONSTRAINT bgt_attempt_pk PRIMARY KEY (execution_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Per-minute counts per node and task (see the other databases' V13 for the columns).
CREATE TABLE bgt_stats_minute (
    minute_start      datetime(6)  NOT NULL,
    node              varchar(200) NOT NULL,
    task_name         varchar(200) NOT NULL,
    succeeded         bigint NOT NULL DEFAULT 0,
    failed            bigint NOT NULL DEFAULT 0,
    retried           bigint NOT NULL DEFAULT 0,
    cancelled         bigint NOT NULL DEFAULT 0,
    timed_out         bigint NOT NULL DEFAULT 0,
    pickup_le_1       bigint NOT NULL DEFAULT 0,
    pickup_le_2       bigint NOT NULL DEFAULT 0,
    pickup_le_5       bigint NOT NULL DEFAULT 0,
    pickup_le_10      bigint NOT NULL DEFAULT 0,
    pickup_le_25      bigint NOT NULL DEFAULT 0,
    pickup_le_50      bigint NOT NULL DEFAULT 0,
    pickup_le_100     bigint NOT NULL DEFAULT 0,
    pickup_le_250     bigint NOT NULL DEFAULT 0,
    pickup_le_500     bigint NOT NULL DEFAULT 0,
    pickup_le_1000    bigint NOT NULL DEFAULT 0,
    pickup_le_2500    bigint NOT NULL DEFAULT 0,
    pickup_le_5000    bigint NOT NULL DEFAULT 0,
    pickup_le_10000   bigint NOT NULL DEFAULT 0,
    pickup_le_30000   bigint NOT NULL DEFAULT 0,
    pickup_le_60000   bigint NOT NULL DEFAULT 0,
    pickup_le_300000  bigint NOT NULL DEFAULT 0,
    pickup_gt_300000  bigint NOT NULL DEFAULT 0,
    pickup_max_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (minute_start, node, task_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
