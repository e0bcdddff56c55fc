-- Staff sign-in against guessing without locking clerks out (issue 13, hole 5). `users`'
-- `failed_logins` and `locked_until` now count only "untrusted" attempts (without a valid device
-- cookie for the account); each device cookie a clerk got by signing in counts its own failures
-- here. Portable SQL as in 0001.
CREATE TABLE staff_devices (
    nonce TEXT PRIMARY KEY,                      -- the cookie's random part (its MAC is not stored)
    user_id BIGINT NOT NULL REFERENCES users (id),
    failed_logins INTEGER NOT NULL DEFAULT 0,    -- consecutive
    locked_until BIGINT,                         -- Unix seconds
    last_seen BIGINT NOT NULL
);
CREATE INDEX staff_devices_by_user ON staff_devices (user_id);

-- The staff's second factor (TOTP, RFC 6238): the secret sealed with the server's key
-- (domain/second_factor.rs), the one being enrolled until its first code confirms it, and the
-- last step accepted (a step is never accepted twice).
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- One-time recovery codes, as HMAC-SHA-256 under the server's key; shown once at enrolment.
CREATE TABLE staff_recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hmac TEXT NOT NULL,
    used_at BIGINT
);
CREATE INDEX staff_recovery_codes_by_user ON staff_recovery_codes (user_id);

-- Between the password and the code: a short-lived token (its SHA-256 only), the device cookie
-- the sign-in will leave, and the wrong codes it has had.
CREATE TABLE staff_second_steps (
    token_sha256 TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    device_nonce TEXT NOT NULL,
    trusted INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL
);
