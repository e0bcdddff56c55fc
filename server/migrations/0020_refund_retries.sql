-- Issue 16, refunds retried by the server (docs/payments.md, "Refunds"): a refund that failed,
-- or was left `refunding` by a crash, is tried again by a periodic pass, not only when another
-- callback of its payment arrives. `refund_claimed_at` is when the refund was last claimed
-- (Unix seconds: the back-off of a failed one, the staleness of a `refunding` one) and
-- `refund_attempts` how often the gateway was asked; a refund that reached the last attempt
-- stays `failed`. Refunds owed before this migration were tried once.
ALTER TABLE payments ADD COLUMN refund_claimed_at BIGINT;
ALTER TABLE payments ADD COLUMN refund_attempts INTEGER NOT NULL DEFAULT 0;
UPDATE payments SET refund_attempts = 1 WHERE refund IS NOT NULL;
CREATE INDEX payments_refund_due ON payments (refund) WHERE refund IN ('refunding', 'failed');
