-- Issue 16, the bank gateway: a payment verified after its request was closed is given back.
-- `applied` marks the payment whose verification moved its request past `awaiting_payment`
-- (set in the move's transaction); a verified payment not applied while its request is no
-- longer awaiting payment is refunded through the gateway: `refund` is NULL (none), `refunding`
-- (claimed, the gateway being asked), `refunded` (with `refunded_at`) or `failed` (with the
-- gateway's `refund_error`; the next callback tries again). Payments verified before this
-- migration are taken as applied: none of them is ever refunded.
ALTER TABLE payments ADD COLUMN applied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN refund TEXT;
ALTER TABLE payments ADD COLUMN refunded_at BIGINT;
ALTER TABLE payments ADD COLUMN refund_error TEXT;
UPDATE payments SET applied = 1 WHERE status = 'verified';
