-- Only the transfers that the three indexes serve are in them (issue 13): a recorded event's usage transfer has no
-- hold and is neither a grant nor an expiry, and it paid for three index entries that no query reads. The packs page
-- sums a pack's top-ups, grants and adjustments (credit side) and its expiries (debit side); a hold's transfers are
-- read by hold id. Each of those queries names the same condition, so both engines plan it with these indexes.
DROP INDEX transfers_hold;
CREATE INDEX transfers_hold ON transfers (tenant_id, hold_id) WHERE hold_id IS NOT NULL;
DROP INDEX transfers_credit;
CREATE INDEX transfers_credit ON transfers (tenant_id, credit_account, kind) WHERE kind IN ('topup', 'grant', 'adjustment');
DROP INDEX transfers_debit;
CREATE INDEX transfers_debit ON transfers (tenant_id, debit_account, kind) WHERE kind = 'expire';
