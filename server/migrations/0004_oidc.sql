-- OpenID Connect sign-ins in progress (issue 12): one row per redirect to a provider, holding
-- what the callback needs — the provider, the PKCE verifier, the nonce and where to return — by
-- the SHA-256 of its `state`. A row is used once: the callback marks it consumed before it asks
-- the provider anything; it expires ten minutes after it was made. Rows older than a day are
-- deleted when a new sign-in starts. Portable SQL as in 0001.
CREATE TABLE oidc_logins (
    state_sha256  TEXT PRIMARY KEY,
    provider      TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    consumed_at   BIGINT
);
CREATE INDEX oidc_logins_by_created ON oidc_logins (created_at);
