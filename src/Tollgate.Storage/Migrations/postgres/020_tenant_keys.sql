-- Webhook deliveries keyed by tenant first, like every other table that grows with usage, so the table can be
-- distributed by tenant_id (Citus requires the distribution column in every primary key and unique constraint).
-- The columns and the ON CONFLICT target (the same column set) do not change. See docs/scaling.md.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_pkey;
ALTER TABLE webhook_deliveries ADD PRIMARY KEY (tenant_id, delivery_id);
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_webhook_id_tenant_id_alert_id_key;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_alert UNIQUE (tenant_id, webhook_id, alert_id);
-- Deliveries are still looked up by their id alone (attempts, replays): an index keeps that a lookup, not a scan.
CREATE INDEX webhook_deliveries_id ON webhook_deliveries (delivery_id);
