-- Webhook deliveries keyed by tenant first, like every other table that grows with usage (the PostgreSQL schema
-- can then be distributed by tenant_id; see docs/scaling.md). SQLite cannot change a primary key: the table is rebuilt.
CREATE TABLE webhook_deliveries_new (
    delivery_id     text NOT NULL,
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
    PRIMARY KEY (tenant_id, delivery_id),
    UNIQUE (tenant_id, webhook_id, alert_id)
);
INSERT INTO webhook_deliveries_new SELECT delivery_id, webhook_id, tenant_id, alert_id, status, attempts, next_attempt_at, last_status, last_error, delivered_at, created_at FROM webhook_deliveries;
DROP TABLE webhook_deliveries;
ALTER TABLE webhook_deliveries_new RENAME TO webhook_deliveries;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
-- Deliveries are still looked up by their id alone (attempts, replays): an index keeps that a lookup, not a scan.
CREATE INDEX webhook_deliveries_id ON webhook_deliveries (delivery_id);
