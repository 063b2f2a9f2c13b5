-- Dependencies (issue #21): an execution submitted after others starts WAITING, and moves to READY once
-- all of them succeeded, or to CANCELLED once one failed or was cancelled. The backstop sweep finds
-- WAITING rows through the indexes that lead with status.
ALTER TABLE bgt_execution DROP CONSTRAINT bgt_execution_status_check;
ALTER TABLE bgt_execution ADD CONSTRAINT bgt_execution_status_check
    CHECK (status IN ('WAITING', 'READY', 'RUNNING', 'SUCCESSFUL', 'FAILED', 'CANCELLED'));

-- The ids it was submitted after, comma-separated, as submitted: what the execution's JSON shows, read with
-- the row (the dependency table below is for finding the children of an execution that finished).
ALTER TABLE bgt_execution ADD COLUMN after_ids longtext;

-- One row per (child, parent). No foreign keys: retention deletes the rows of a child with it, and a
-- parent may be deleted by retention before its child.
CREATE TABLE bgt_execution_dependency (
    execution_id uuid NOT NULL,
    parent_id    uuid NOT NULL,
    CONSTRAINT bgt_execution_dependency_pk PRIMARY KEY (execution_id, parent_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX bgt_execution_dependency_parent_idx ON bgt_execution_dependency (parent_id);
