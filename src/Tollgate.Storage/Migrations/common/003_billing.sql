-- Usage rollups, bill lines, bills, alerts and webhooks (the same SQL on SQLite and PostgreSQL).
-- Sums are numeric: arbitrary precision on PostgreSQL; on SQLite integers here, made exact integer text by 004_wide_amounts.
-- Quantities are kept in 10^-6 meter units, amounts in 10^-8 units (LedgerAmount), both as whole numbers.

-- One row per tenant, local hour (unix ms of its start in the tenant's zone), event dimensions, unit charged and
-- meter ('' = the row counting events and their amount). Kept up to date in the transaction that records events.
CREATE TABLE usage_rollups (
    tenant_id text NOT NULL,
    hour      bigint NOT NULL,
    type      text NOT NULL,
    model     text NOT NULL,
    channel   text NOT NULL,
    key_mode  text NOT NULL,
    unit      text NOT NULL,
    meter     text NOT NULL,
    events    bigint NOT NULL DEFAULT 0,
    quantity  numeric NOT NULL DEFAULT 0,
    amount    numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, hour, type, model, channel, key_mode, unit, meter)
);

-- The same per end user (subject, '' when none) and local day (unix ms of its start): end users multiply the rows,
-- so they are kept by day, which is what questions about them ask for.
CREATE TABLE usage_subject_rollups (
    tenant_id text NOT NULL,
    day       bigint NOT NULL,
    subject   text NOT NULL,
    type      text NOT NULL,
    model     text NOT NULL,
    channel   text NOT NULL,
    key_mode  text NOT NULL,
    unit      text NOT NULL,
    meter     text NOT NULL,
    events    bigint NOT NULL DEFAULT 0,
    quantity  numeric NOT NULL DEFAULT 0,
    amount    numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, subject, type, model, channel, key_mode, unit, meter)
);

-- What the next bill of a tenant will list, summed per billing cycle (first local date), line dimensions and item:
-- '' (events and their charge), 'meter:<meter>' (quantity), 'paid:<account kind>:<account unit>' (amount covered in
-- the charge's unit, paid in the account's unit). A bill takes every open line of its cycle or earlier (late lines)
-- by setting bill_id; a line recorded after that is open again and goes onto the next bill.
CREATE TABLE bill_lines (
    tenant_id  text NOT NULL,
    cycle      text NOT NULL,
    type       text NOT NULL,
    model      text NOT NULL,
    channel    text NOT NULL,
    price_book text NOT NULL,
    unit       text NOT NULL,
    item       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    quantity   numeric NOT NULL DEFAULT 0,
    amount     numeric NOT NULL DEFAULT 0,
    paid       numeric NOT NULL DEFAULT 0,
    bill_id    text
);
CREATE UNIQUE INDEX bill_lines_open ON bill_lines (tenant_id, cycle, type, model, channel, price_book, unit, item) WHERE bill_id IS NULL;
CREATE INDEX bill_lines_bill ON bill_lines (tenant_id, bill_id);

-- Issued bills: immutable; document is the whole bill as issued (JSON).
CREATE TABLE bills (
    tenant_id text NOT NULL,
    bill_id   text NOT NULL,                          -- the cycle: 2026-11-20 (daily) or 2026-11 (monthly)
    starts_at bigint NOT NULL,
    ends_at   bigint NOT NULL,
    issued_at bigint NOT NULL,
    document  text NOT NULL,
    PRIMARY KEY (tenant_id, bill_id)
);
CREATE INDEX bills_tenant_end ON bills (tenant_id, ends_at);

-- Alerts (low balance, bill issued, quota exhausted), each once: the id names what it is about.
CREATE TABLE alerts (
    tenant_id  text NOT NULL,
    alert_id   text NOT NULL,
    kind       text NOT NULL,
    body       text NOT NULL,                         -- JSON: what the webhook receiver gets
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, alert_id)
);

-- Conditions the monitor watches (a balance under its threshold, a quota used up): an alert is raised when one
-- becomes true, and again only after it was false in between.
CREATE TABLE alert_states (
    tenant_id  text NOT NULL,
    state_key  text NOT NULL,
    active     integer NOT NULL,
    changed_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, state_key)
);

CREATE TABLE webhooks (
    webhook_id text PRIMARY KEY,
    tenant_id  text,                                  -- NULL: every tenant's alerts (an operator's endpoint)
    url        text NOT NULL,
    secret     text NOT NULL,                         -- the HMAC key; shown once at creation
    kinds      text NOT NULL,                         -- comma-separated alert kinds, '' = all
    created_at bigint NOT NULL,
    deleted_at bigint
);

-- One row per (webhook, alert): its attempts so far, the last answer, and when to try next.
CREATE TABLE webhook_deliveries (
    delivery_id     text PRIMARY KEY,
    webhook_id      text NOT NULL,
    tenant_id       text NOT NULL,
    alert_id        text NOT NULL,
    status          text NOT NULL,                    -- pending, delivered, failed
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    last_status     integer,
    last_error      text,
    delivered_at    bigint,
    created_at      bigint NOT NULL,
    UNIQUE (webhook_id, tenant_id, alert_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
