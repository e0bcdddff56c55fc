-- Secrets at rest and uploads (issue 13, holes 6 and 7).

-- One-time codes are stored by HMAC-SHA256 under the server's key (<data-dir>/secret.key), no
-- longer by a SHA-256 of six digits; the column says so. The codes outstanding at the upgrade
-- (SHA-256, five minutes' life) are retired: their owners ask for a new one.
ALTER TABLE one_time_codes RENAME COLUMN code_sha256 TO code_hmac;
ALTER TABLE person_codes RENAME COLUMN code_sha256 TO code_hmac;
UPDATE one_time_codes SET used_at = created_at WHERE used_at IS NULL;
UPDATE person_codes SET used_at = created_at WHERE used_at IS NULL;

-- A queued code's digits, apart from its message (stored masked), until its SMS is sent.
ALTER TABLE notifications ADD COLUMN secret TEXT;
-- The outbox's task erases the digits of codes that expired unsent: it finds them by this.
CREATE INDEX notifications_with_secret ON notifications (created_at) WHERE secret IS NOT NULL;
-- The codes sent before the upgrade leave the stored messages.
UPDATE notifications
SET message_fa = 'پیشخوان: کد یکبار مصرف (پاک شد)', message_en = 'Pishkhan: one-time code (erased)'
WHERE kind = 'one_time_code';

-- Each upload: the file, who sent it (an HMAC of their national ID under the server's key, not
-- the ID) and when. It counts against the sender's daily quota, and keeps a file no request
-- references for 24 hours; rows older than that are removed with such files.
CREATE TABLE uploads (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    owner TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX uploads_by_owner ON uploads (owner, created_at);
CREATE INDEX uploads_by_file ON uploads (sha256, created_at);
