-- One row per set of dimensions instead of one per meter (issue 13, docs/benchmarks.md ninth pass): a usage rollup
-- row keeps its meters' quantities, and a bill line its meters' quantities and what each kind of balance covered
-- and paid, as JSON objects of canonical integer text ({"input_tokens":"1500000"}), added by units_merge (SqliteUnits).
-- A batch of a thousand events upserted about 3,600 rows; it now upserts about 1,100. Existing rows are folded:
-- meter '' and item '' keep the events and charge, 'meter:<m>' becomes quantities.m, 'paid:<payer>' covers and paid.

CREATE TABLE usage_rollups_new (
    tenant_id  text NOT NULL,
    hour       bigint NOT NULL,
    type       text NOT NULL,
    model      text NOT NULL,
    channel    text NOT NULL,
    key_mode   text NOT NULL,
    unit       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    amount     text NOT NULL DEFAULT '0',
    quantities text NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, hour, type, model, channel, key_mode, unit)
);
INSERT INTO usage_rollups_new (tenant_id, hour, type, model, channel, key_mode, unit, events, amount, quantities)
SELECT tenant_id, hour, type, model, channel, key_mode, unit, SUM(events), units_sum(amount),
       COALESCE(json_group_object(meter, quantity) FILTER (WHERE meter <> ''), '{}')
FROM usage_rollups GROUP BY tenant_id, hour, type, model, channel, key_mode, unit;
DROP TABLE usage_rollups;
ALTER TABLE usage_rollups_new RENAME TO usage_rollups;

CREATE TABLE usage_subject_rollups_new (
    tenant_id  text NOT NULL,
    day        bigint NOT NULL,
    subject    text NOT NULL,
    type       text NOT NULL,
    model      text NOT NULL,
    channel    text NOT NULL,
    key_mode   text NOT NULL,
    unit       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    amount     text NOT NULL DEFAULT '0',
    quantities text NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, day, subject, type, model, channel, key_mode, unit)
);
INSERT INTO usage_subject_rollups_new (tenant_id, day, subject, type, model, channel, key_mode, unit, events, amount, quantities)
SELECT tenant_id, day, subject, type, model, channel, key_mode, unit, SUM(events), units_sum(amount),
       COALESCE(json_group_object(meter, quantity) FILTER (WHERE meter <> ''), '{}')
FROM usage_subject_rollups GROUP BY tenant_id, day, subject, type, model, channel, key_mode, unit;
DROP TABLE usage_subject_rollups;
ALTER TABLE usage_subject_rollups_new RENAME TO usage_subject_rollups;

CREATE TABLE usage_subject_totals_new (
    tenant_id  text NOT NULL,
    day        bigint NOT NULL,
    subject    text NOT NULL,
    unit       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    amount     text NOT NULL DEFAULT '0',
    quantities text NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, day, subject, unit)
);
INSERT INTO usage_subject_totals_new (tenant_id, day, subject, unit, events, amount, quantities)
SELECT tenant_id, day, subject, unit, SUM(events), units_sum(amount),
       COALESCE(json_group_object(meter, quantity) FILTER (WHERE meter <> ''), '{}')
FROM usage_subject_totals GROUP BY tenant_id, day, subject, unit;
DROP TABLE usage_subject_totals;
ALTER TABLE usage_subject_totals_new RENAME TO usage_subject_totals;

-- covers: per payer (<account kind>:<account unit>, or uncollected:<unit>), the charge it covered in the line's
-- unit; paid: what it paid in its own unit.
CREATE TABLE bill_lines_new (
    tenant_id  text NOT NULL,
    cycle      text NOT NULL,
    type       text NOT NULL,
    model      text NOT NULL,
    channel    text NOT NULL,
    price_book text NOT NULL,
    unit       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    amount     text NOT NULL DEFAULT '0',
    quantities text NOT NULL DEFAULT '{}',
    covers     text NOT NULL DEFAULT '{}',
    paid       text NOT NULL DEFAULT '{}',
    bill_id    text
);
INSERT INTO bill_lines_new (tenant_id, cycle, type, model, channel, price_book, unit, events, amount, quantities, covers, paid, bill_id)
SELECT tenant_id, cycle, type, model, channel, price_book, unit, SUM(events),
       units_sum(CASE WHEN item = '' THEN amount END),
       COALESCE(json_group_object(substr(item, 7), quantity) FILTER (WHERE substr(item, 1, 6) = 'meter:'), '{}'),
       COALESCE(json_group_object(substr(item, 6), amount) FILTER (WHERE substr(item, 1, 5) = 'paid:'), '{}'),
       COALESCE(json_group_object(substr(item, 6), paid) FILTER (WHERE substr(item, 1, 5) = 'paid:'), '{}'),
       bill_id
FROM bill_lines GROUP BY tenant_id, cycle, type, model, channel, price_book, unit, bill_id;
DROP TABLE bill_lines;
ALTER TABLE bill_lines_new RENAME TO bill_lines;
CREATE UNIQUE INDEX bill_lines_open ON bill_lines (tenant_id, cycle, type, model, channel, price_book, unit) WHERE bill_id IS NULL;
CREATE INDEX bill_lines_bill ON bill_lines (tenant_id, bill_id);
