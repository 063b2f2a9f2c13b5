-- Wake-ups are now sent by the application after the commit (PostgresReadyNotifier), not by a trigger
-- inside the inserting transaction: PostgreSQL serializes the commits of all transactions that notify,
-- so the trigger kept concurrent submissions from committing together. It also woke every node for
-- executions stored already claimed by the node that runs them.
DROP TRIGGER bgt_execution_ready_notify ON bgt_execution;

DROP FUNCTION bgt_notify_ready();
