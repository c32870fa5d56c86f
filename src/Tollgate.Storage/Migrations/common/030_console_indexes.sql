-- The console's reads over a large tenant (issue 14): the request log walks a tenant's events newest first by
-- (event_time, event_id) and pages by that key, and the packs page sums only the grant and expiry transfers of
-- each pack account. Without these both read every row of the tenant.
CREATE INDEX events_time ON events (tenant_id, event_time, event_id);
CREATE INDEX transfers_credit ON transfers (tenant_id, credit_account, kind);
CREATE INDEX transfers_debit ON transfers (tenant_id, debit_account, kind);
