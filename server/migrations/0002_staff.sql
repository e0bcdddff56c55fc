-- The staff side (issue 6): workflow columns on requests, staff accounts and sessions, the audit
-- hash chain, the notification outbox, one-time codes and applicant sessions, payments, Art. 34
-- events and the clearance offices. Portable SQL as in 0001.

-- Which machine a request follows (rules::workflow::Process::id) and what it is matched against
-- for a clerk's scope. `status` holds rules::workflow::State::id from now on.
ALTER TABLE requests ADD COLUMN process TEXT;
ALTER TABLE requests ADD COLUMN university TEXT;        -- exemption: answers.university
ALTER TABLE requests ADD COLUMN county TEXT;            -- exemption: answers.residence_city
ALTER TABLE requests ADD COLUMN faculty TEXT;           -- withdrawal: answers.faculty
ALTER TABLE requests ADD COLUMN mobile TEXT;            -- for SMS and one-time codes; may be NULL
ALTER TABLE requests ADD COLUMN evening_course INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN updated_at BIGINT;
UPDATE requests SET process = CASE kind WHEN 'exemption' THEN 'exemption_a1' ELSE kind END,
                    updated_at = submitted_at;
-- Requests filed before the workflow existed: into the state their submission now leads to (a
-- clearance at seed 002's first office; an exemption after its initial check, seed 000 A1
-- step 5). Their trail keeps its one filing row.
UPDATE requests SET status = 'at_office:department' WHERE kind = 'clearance' AND status = 'submitted';
UPDATE requests SET status = CASE
        WHEN json_extract(body, '$.precheck.verdict') = 'eligible' THEN 'awaiting_payment'
        WHEN json_extract(body, '$.answers.justification') IS NOT NULL THEN 'at_deputy'
        ELSE 'precheck_refused' END
    WHERE kind = 'exemption' AND status = 'submitted';
CREATE INDEX requests_by_status ON requests (process, status);
CREATE INDEX requests_by_national_id ON requests (national_id);

-- The audit trail becomes a hash chain per request: row_hash = SHA-256 over prev_hash and the
-- row's fields (server/src/audit.rs); the first row's prev_hash is derived from the tracking
-- code. Rows written before this migration are chained once at start.
ALTER TABLE audit ADD COLUMN actor_role TEXT;
ALTER TABLE audit ADD COLUMN data TEXT;                 -- the action's data as JSON
ALTER TABLE audit ADD COLUMN data_hash TEXT;
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN row_hash TEXT;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,               -- lowercase
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,                          -- rules::workflow::Role::id
    scope TEXT NOT NULL DEFAULT '*',             -- '*' or a university, county or faculty name
    password_hash TEXT NOT NULL,                 -- argon2id, PHC string
    active INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,    -- consecutive
    locked_until BIGINT,                         -- Unix seconds
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,               -- the cookie's value is never stored
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    request_id BIGINT REFERENCES requests (id),
    kind TEXT NOT NULL,                          -- NotificationKind or 'one_time_code'
    mobile TEXT,                                 -- NULL: nobody to send to (kept, marked sent)
    message_fa TEXT NOT NULL,
    message_en TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX notifications_unsent ON notifications (sent_at, id);

CREATE TABLE one_time_codes (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    code_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at BIGINT
);
CREATE INDEX one_time_codes_by_request ON one_time_codes (request_id, id);

CREATE TABLE applicant_sessions (
    token_sha256 TEXT PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    gateway TEXT NOT NULL,
    authority TEXT NOT NULL UNIQUE,              -- the gateway's id of the payment
    amount_rials BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('created', 'verified', 'failed')),
    reference TEXT,                              -- the bank's reference once verified
    created_at BIGINT NOT NULL,
    verified_at BIGINT
);
CREATE INDEX payments_by_request ON payments (request_id);

-- The sandbox gateway's own ledger (what a bank would keep).
CREATE TABLE sandbox_payments (
    authority TEXT PRIMARY KEY,
    amount_rials BIGINT NOT NULL,
    callback_url TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled')),
    reference TEXT,
    created_at BIGINT NOT NULL
);

-- Art. 34: withdrawal rulings (recorded by the workflow), expulsions, drop-outs and graduations
-- (recorded by university staff), each starting a one-year presentation deadline.
CREATE TABLE art34_events (
    id INTEGER PRIMARY KEY,
    national_id TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('withdrawal', 'dropout', 'expulsion', 'graduation')),
    event_date TEXT NOT NULL,                    -- Jalali YYYY-MM-DD
    request_id BIGINT REFERENCES requests (id),
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX art34_by_date ON art34_events (event_date);

-- The clearance offices in route order (seed 002's list is put here on first start).
CREATE TABLE clearance_offices (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL,
    receives_student_card INTEGER NOT NULL DEFAULT 0,
    records_debt INTEGER NOT NULL DEFAULT 0,
    records_instalments INTEGER NOT NULL DEFAULT 0,
    evening_course_only INTEGER NOT NULL DEFAULT 0
);
