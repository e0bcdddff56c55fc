-- Issue 16, the dashboard's summary without a hot row (docs/staff-api.md, "Dashboard"). Migration
-- 18's trigger counted every audit row into `move_summary` in the writer's own transaction: two
-- moves of one week, office and step updated one row and waited on each other's commit, and two
-- instances' filing batches could lock summary rows in opposite orders. Now:
--
-- * the writers only append to `move_deltas` (no unique key but the row id: an insert waits on
--   nobody): the filing writer one row per summary key and batch, counted in the batch; a move
--   one row per audit row it writes. The key's columns are `move_summary`'s, computed as the
--   trigger did (the request's university, faculty and county as written, the step's duration
--   since the request's previous audit row, in migration 18's buckets).
-- * one instance at a time (the periodic task `move_summary_fold`, every few seconds) moves the
--   rows of `move_deltas` into `move_summary` in one transaction: the counts summed per key and
--   added to the key's row, the rows deleted.
-- * the dashboard reads `move_summary` and `move_deltas` together, in one statement: every audit
--   row is counted exactly once whether it has been folded yet or not.
-- PostgreSQL's twin: server/migrations/postgres/0019_summary_deltas.sql.

DROP TRIGGER audit_summary;

CREATE TABLE move_deltas (
    id INTEGER PRIMARY KEY,
    week INTEGER NOT NULL,
    university_id INTEGER NOT NULL,
    faculty TEXT NOT NULL,
    county TEXT NOT NULL,
    process TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL
);
