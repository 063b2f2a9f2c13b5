-- Wake-ups across nodes: every statement that inserts executions notifies the listeners of this schema.
-- PostgreSQL delivers notifications at commit (none on rollback) and collapses identical ones within a
-- transaction, so a batch of submissions wakes each node once.
CREATE FUNCTION bgt_notify_ready() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('bgt_ready:' || current_schema(), '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER bgt_execution_ready_notify AFTER INSERT ON bgt_execution
    FOR EACH STATEMENT EXECUTE FUNCTION bgt_notify_ready();

-- Retention deletes finished rows by age, in bounded batches.
CREATE INDEX bgt_execution_finished_idx ON bgt_execution (status, finished_at)
    WHERE status IN ('SUCCESSFUL', 'FAILED', 'CANCELLED');
