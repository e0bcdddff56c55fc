-- Issue 14: a person's revocations of withdrawals (the withdrawal procedure, note 2, limits
-- them) are counted on every view of a withdrawal; the audit rows of revocations are few, so
-- they get an index of their own and the count no longer reads every audit row of each of the
-- person's requests.
CREATE INDEX audit_revocations ON audit (request_id) WHERE action = 'revoke';
