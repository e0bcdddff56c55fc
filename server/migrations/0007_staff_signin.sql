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
