-- Listings by deduplication key. Active executions with a key are found through the unique index of
-- active keys; without this index, finished ones meant reading the whole table (2 s for 10,000,000 rows).
-- Only finished rows with a key have an entry: executions without a key add nothing to it, and one with
-- a key adds a single entry, at the state change that finishes it (not at its insert or claim).
CREATE INDEX bgt_execution_key_idx ON bgt_execution (dedup_key, id)
    WHERE dedup_key IS NOT NULL AND status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED');
