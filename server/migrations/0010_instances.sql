-- Several server instances on one database (issue 14). The same text for SQLite and PostgreSQL.

-- A task that must run once across instances (the daily retention purge, the sweep of unused
-- uploads): the instance that moves `due_at` forward runs it; the others see it not yet due.
CREATE TABLE task_runs (
    task TEXT PRIMARY KEY,
    holder TEXT NOT NULL,                        -- the instance that ran it last (random id)
    due_at BIGINT NOT NULL                       -- Unix seconds: when it is next due
);

-- The outbox is drained by claims: an instance takes unsent rows for a while (a lease), sends
-- them and marks them; the rows of an instance that died are taken again once the lease ends.
ALTER TABLE notifications ADD COLUMN claimed_by TEXT;
ALTER TABLE notifications ADD COLUMN claimed_until BIGINT;
