-- The metering gateway's keys (the same SQL on SQLite and PostgreSQL). A gateway key calls models through
-- /openai and /anthropic for one tenant; it cannot reach the /v1 API. Looked up by key_id when presented (like api_keys).
CREATE TABLE gateway_keys (
    key_id      text PRIMARY KEY,
    tenant_id   text NOT NULL,
    name        text NOT NULL,
    subject     text,                                -- the end user: the event's subject (and payer under message billing)
    channel     text NOT NULL,                       -- the event's channel (channel discounts, funding routes)
    models      text,                                -- JSON array of public model names it may call; NULL: every route
    secret_hash text NOT NULL,                       -- SHA-256 of the secret, hex; the secret itself is never stored
    created_at  bigint NOT NULL,
    revoked_at  bigint
);

CREATE INDEX gateway_keys_tenant ON gateway_keys (tenant_id, created_at);
