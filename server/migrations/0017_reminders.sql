-- Issue 16, deadline reminders by SMS (docs/reminders.md). Portable SQL as in 0001
-- (server/migrations/postgres/0017_reminders.sql is PostgreSQL's).

-- An exemption's last day (its pre-check's `exemption_until`), copied from the body on every
-- write like the other copied columns, so that the daily pass finds the issued exemptions whose
-- end is near by an index rather than by reading every body.
ALTER TABLE requests ADD COLUMN exemption_until TEXT;
UPDATE requests SET exemption_until = json_extract(body, '$.precheck.exemption_until')
    WHERE kind = 'exemption' AND json_valid(body);
CREATE INDEX requests_by_exemption_end ON requests (exemption_until) WHERE status = 'issued';
-- Withdrawals whose revocation window closes soon.
CREATE INDEX requests_by_revocation_deadline ON requests (revocation_deadline)
    WHERE revocation_deadline IS NOT NULL;
-- A person's Art. 34 events (whether an exemption ended with its study).
CREATE INDEX art34_by_person ON art34_events (national_id);

-- Each reminder queued, once: the pass inserts its row and the SMS in one transaction, and
-- queues the SMS only if the row was new (another pass, a restart or another instance finds it).
-- `deadline` is part of the key: a person's two Art. 34 events are two deadlines.
CREATE TABLE reminders_sent (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    reminder TEXT NOT NULL,                      -- rules::reminders::Reminder::id
    deadline TEXT NOT NULL,                      -- Jalali YYYY-MM-DD
    notification_id BIGINT,                      -- the queued SMS (notifications.id)
    queued_at BIGINT NOT NULL,                   -- Unix seconds
    PRIMARY KEY (request_id, reminder, deadline)
);

-- The people who turned reminders off, by the HMAC of their national ID under the server key
-- (never the ID itself). No row: reminders on.
CREATE TABLE reminder_opt_outs (
    person_hmac TEXT PRIMARY KEY,
    opted_out_at BIGINT NOT NULL
);
