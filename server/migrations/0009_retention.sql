-- Issue 13, retention (docs/retention.md): the audit chain covers a row's personal fields (note,
-- data) through their keyed hashes only (server/src/domain/audit.rs), so that erasing the values
-- keeps every row hash checkable. Rows of the older, unkeyed chain (note_hash NULL) are checked
-- and chained again in the keyed form when the store opens (Store::open; a broken older chain is
-- left as it is and keeps showing as broken). A request erased under retention keeps its row,
-- tracking code, process, state, version and dates, with erased_at set; its body, national ID,
-- mobiles, copied columns, files and the personal fields of its audit rows are gone.
-- Portable SQL as in 0001.
ALTER TABLE audit ADD COLUMN note_hash TEXT;
ALTER TABLE requests ADD COLUMN erased_at BIGINT;
CREATE INDEX requests_by_update ON requests (status, updated_at);
