-- Requests, their audit trail, attachments and idempotency keys.
-- Portable SQL (SQLite and PostgreSQL): times are Unix seconds in BIGINT, JSON is TEXT, ids
-- come back through RETURNING. Only the integer primary keys are spelled the SQLite way
-- (INTEGER PRIMARY KEY); a PostgreSQL migration spells them BIGINT GENERATED ALWAYS AS IDENTITY.

CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,          -- 12 digits, ungrouped
    kind TEXT NOT NULL CHECK (kind IN ('exemption', 'withdrawal', 'clearance')),
    national_id TEXT NOT NULL,                   -- 10 digits; needed for the lookup
    body TEXT NOT NULL,                          -- the validated request as JSON
    status TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,                -- Unix seconds, UTC
    submitted_jalali TEXT NOT NULL,              -- the day in Tehran, YYYY-MM-DD
    revocation_deadline TEXT,                    -- withdrawals: last day to take it back
    version INTEGER NOT NULL DEFAULT 1           -- optimistic locking for the workflow
);

CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,                     -- lowercase hex; the file's name on disk
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    path TEXT NOT NULL,                          -- relative to the data directory
    created_at BIGINT NOT NULL
);

CREATE TABLE request_attachments (
    request_id BIGINT NOT NULL REFERENCES requests (id),
    field TEXT NOT NULL,                         -- which answer refers to it
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    file_name TEXT NOT NULL,
    PRIMARY KEY (request_id, field)
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    at BIGINT NOT NULL,
    from_status TEXT,                            -- NULL for the submission
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT
);
CREATE INDEX audit_by_request ON audit (request_id, id);

CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,            -- a UUID, lowercase
    body_sha256 TEXT NOT NULL,                   -- of the request body as sent
    state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
    response_status INTEGER,
    response_body TEXT,
    request_id BIGINT REFERENCES requests (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
