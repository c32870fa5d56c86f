-- Usage per end user and local day with the event dimensions left out (issue 14): the console's "month by end user"
-- read every (model, channel, key mode, billing type) row of usage_subject_rollups, 15 to 48 times more rows than
-- the question needs in the benchmarks. Kept by the same recording transaction (UsageRollup); a question about end
-- users with no other dimension grouped or filtered reads it. Sums are canonical integer text, added by units_sum/units_add (SqliteUnits).
CREATE TABLE usage_subject_totals (
    tenant_id text NOT NULL,
    day       bigint NOT NULL,
    subject   text NOT NULL,
    unit      text NOT NULL,
    meter     text NOT NULL,
    events    bigint NOT NULL DEFAULT 0,
    quantity  text NOT NULL DEFAULT '0',
    amount    text NOT NULL DEFAULT '0',
    PRIMARY KEY (tenant_id, day, subject, unit, meter)
);
INSERT INTO usage_subject_totals (tenant_id, day, subject, unit, meter, events, quantity, amount)
SELECT tenant_id, day, subject, unit, meter, SUM(events), units_sum(quantity), units_sum(amount)
FROM usage_subject_rollups GROUP BY tenant_id, day, subject, unit, meter;
