-- The metering gateway's keys (the same SQL on SQLite and PostgreSQL). A gateway key calls models through
-- /openai and /anthropic for one tenant; it cannot reach the /v1 API. Looked up by key_id when presented (like api_keys).
CREATE TABLE gateway_keys (
    key_id      text PRIMARY KEY,
    tenant_id   text NOT NULL,
    name        text NOT NULL,
    subject     text,                                -- the end user: the event's subject (and payer under message billing)
    channel     text NOT NULL,                       -- the event's channel (channel discounts, funding routes)
    models      text,                                -- JSON array of public model names it may call; NULL: every route
    budget      bigint,                              -- hard spend limit per period, in 10^-8 of the charge's unit; NULL: none
    budget_period text,                              -- day or month (in the tenant's zone) or lifetime
    rpm         integer,                             -- requests per minute; NULL: no limit
    tpm         bigint,                              -- tokens (input + output) per minute; NULL: no limit
    secret_hash text NOT NULL,                       -- SHA-256 of the secret, hex; the secret itself is never stored
    created_at  bigint NOT NULL,
    revoked_at  bigint
);

CREATE INDEX gateway_keys_tenant ON gateway_keys (tenant_id, created_at);

-- What each key spent and holds in flight per budget period ('2026-03-01', '2026-03' or 'lifetime'). A call reserves
-- with one conditional UPDATE (spent + reserved + amount <= budget), so concurrent calls on any number of nodes never
-- pass the limit together.
CREATE TABLE gateway_budget_usage (
    tenant_id text NOT NULL,
    key_id    text NOT NULL,
    period    text NOT NULL,
    spent     bigint NOT NULL,
    reserved  bigint NOT NULL,
    PRIMARY KEY (tenant_id, key_id, period)
);

-- Requests and settled tokens per key per minute (fixed windows), counted in the database so that every node sees the same count.
CREATE TABLE gateway_rate (
    tenant_id text NOT NULL,
    key_id    text NOT NULL,
    minute    bigint NOT NULL,
    calls     bigint NOT NULL,
    tokens    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, key_id, minute)
);
