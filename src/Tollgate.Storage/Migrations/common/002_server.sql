-- The server's tables (the same SQL on SQLite and PostgreSQL): API keys, price books created through the API, a tenant's end users, and each event's
-- body (so a new price book version can be dry-run against what was recorded).
CREATE TABLE api_keys (
    key_id      text PRIMARY KEY,
    tenant_id   text,                                -- NULL: an operator key (all tenants, all operations)
    name        text NOT NULL,
    secret_hash text NOT NULL,                       -- SHA-256 of the secret, hex; the secret itself is never stored
    can_record  integer NOT NULL DEFAULT 0,          -- tenant keys: may record usage and create reservations
    created_at  bigint NOT NULL,
    revoked_at  bigint
);

CREATE TABLE price_books (
    book_id    text PRIMARY KEY,
    revision   integer NOT NULL,                     -- the number of versions: a compare-and-set guard between nodes
    document   text NOT NULL,                        -- JSON: the whole price book, every version
    updated_at bigint NOT NULL
);

CREATE TABLE end_users (
    tenant_id  text NOT NULL,
    user_id    text NOT NULL,
    name       text,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

ALTER TABLE events ADD COLUMN body text;
CREATE INDEX transfers_time ON transfers (tenant_id, created_at, transfer_id);
