-- Uploaded files' bytes on PostgreSQL (issue 14; docs/deploy.md, "Where uploaded files live"):
-- every server instance sharing the database reads them here, none from its own disk. One row
-- per file, keyed like its `attachments` row. Their fates are tied both ways:
-- - a record never exists without its bytes: `attachments` refers to its bytes, checked when
--   the transaction that inserts both commits (deferred); rows recorded before this migration
--   are not checked (NOT VALID: PostgreSQL support and this table came in one release);
-- - the bytes never outlive their record: deleting the `attachments` row (the sweep of
--   unreferenced uploads, the retention purge) deletes them in the same transaction (cascade).
CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY REFERENCES attachments (sha256) ON DELETE CASCADE,
    bytes BYTEA NOT NULL
);
-- Out of line (TOAST) without compression: PDF, JPEG and PNG are compressed already.
ALTER TABLE attachment_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
ALTER TABLE attachments ADD CONSTRAINT attachments_have_bytes FOREIGN KEY (sha256)
    REFERENCES attachment_blobs (sha256) DEFERRABLE INITIALLY DEFERRED NOT VALID;
