-- Issue 16, the real SMS gateway (services/notify.rs, services/sms.rs; docs/sms.md): each
-- attempt's outcome is explicit. A transient failure waits for `next_attempt_at` (exponential
-- backoff); a permanent one is `gave_up_at` (never claimed again); a sent message keeps the
-- provider's id, and its delivery status is polled into `delivery` (pending, delivered,
-- undelivered, blocked, cancelled, unknown) until it is final.
ALTER TABLE notifications ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE notifications ADD COLUMN last_attempt_at BIGINT;
ALTER TABLE notifications ADD COLUMN gave_up_at BIGINT;
ALTER TABLE notifications ADD COLUMN provider_id TEXT;
ALTER TABLE notifications ADD COLUMN delivery TEXT;
ALTER TABLE notifications ADD COLUMN delivery_checked_at BIGINT;
-- The delivery poll's rows: sent, with a provider id, status not final.
CREATE INDEX notifications_delivery_pending ON notifications (sent_at)
    WHERE delivery = 'pending';
