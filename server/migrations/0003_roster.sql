-- Applicants sign in (issue 12): the university's roster of current and newly admitted students
-- (seed 000 A2 step 4), the one-time codes that sign a person on it in, and the person sessions
-- they, or an OpenID provider (0004), open. Portable SQL as in 0001.

-- One row per person, upserted by national ID on every import (docs/signin.md).
CREATE TABLE roster (
    id INTEGER PRIMARY KEY,
    student_number TEXT NOT NULL UNIQUE,         -- ASCII digits and Latin capitals
    national_id TEXT NOT NULL UNIQUE,            -- ten ASCII digits, check digit verified
    mobile TEXT NOT NULL,                        -- 09xxxxxxxxx: codes go here, never elsewhere
    faculty TEXT NOT NULL,
    level TEXT NOT NULL,                         -- rules::Level::id
    status TEXT NOT NULL CHECK (status IN ('student', 'admitted')),
    university TEXT NOT NULL DEFAULT '',         -- free text until issue 14 makes it a record
    imported_at BIGINT NOT NULL                  -- when the row was last added or changed
);

-- Sign-in codes of people on the roster (the applicant's codes on one request stay in
-- one_time_codes); by the SHA-256 of "person:<national id>:<code>" only.
CREATE TABLE person_codes (
    id INTEGER PRIMARY KEY,
    national_id TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    used_at BIGINT
);
CREATE INDEX person_codes_by_person ON person_codes (national_id, id);

-- A signed-in person, from the roster or from an OpenID provider: who they were when they signed
-- in (a later import does not change a live session). The ID token's claims win; what it lacks
-- (student number, mobile, faculty, level) comes from the roster when the person is on it, so a
-- person a national provider signed in, unknown to the roster, has a national ID alone. The
-- cookie's token is never stored, only its SHA-256.
CREATE TABLE person_sessions (
    token_sha256 TEXT PRIMARY KEY,
    csrf_token TEXT NOT NULL,
    national_id TEXT NOT NULL,
    student_number TEXT,
    mobile TEXT,
    faculty TEXT,
    level TEXT,                                  -- rules::Level::id
    source TEXT NOT NULL CHECK (source IN ('roster', 'oidc')),
    provider TEXT,                               -- the OpenID provider's id (source 'oidc')
    -- RP-initiated logout: the provider's end_session_endpoint with id_token_hint, client_id and
    -- post_logout_redirect_uri, when its discovery document has one (source 'oidc').
    end_session_url TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX person_sessions_by_person ON person_sessions (national_id);
