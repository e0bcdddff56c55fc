-- Issue 13 hole 3: a payment's verification compares the amount the gateway reports with the fee
-- asked (`payments.amount_rials`); a mismatch is a failed payment, recorded with what the gateway
-- reported and why it failed. The sandbox's ledger keeps what the payer's form paid.
ALTER TABLE payments ADD COLUMN reported_amount_rials BIGINT;
ALTER TABLE payments ADD COLUMN failure TEXT;
ALTER TABLE sandbox_payments ADD COLUMN paid_rials BIGINT;

-- Issue 13 hole 4: an opaque random handle per request, the staff API's and the staff app's name
-- for it in URLs (a tracking code is personal data: docs/staff-api.md, "Personal values never in
-- a URL"). Never derived from personal data; existing rows get one here.
ALTER TABLE requests ADD COLUMN handle TEXT;
UPDATE requests SET handle = lower(hex(randomblob(16))) WHERE handle IS NULL;
CREATE UNIQUE INDEX requests_by_handle ON requests (handle);
