-- One row per set of dimensions instead of one per meter (issue 13, docs/benchmarks.md ninth pass): a usage rollup
-- row keeps its meters' quantities, and a bill line its meters' quantities and what each kind of balance covered
-- and paid, as JSON objects of whole units as text ({"input_tokens":"1500000"}), added by the SQL function
-- units_merge below. Existing rows are folded: meter '' and item '' keep the events and charge, 'meter:<m>' becomes
-- quantities.m, 'paid:<payer>' covers and paid. Each table is built anew and renamed, as on SQLite.

CREATE FUNCTION units_merge(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(jsonb_object_agg(key, total::text), '{}'::jsonb)::text
    FROM (SELECT key, SUM(value::numeric) AS total
          FROM (SELECT key, value FROM jsonb_each_text(a::jsonb) UNION ALL SELECT key, value FROM jsonb_each_text(b::jsonb)) parts
          GROUP BY key) sums
$$;

CREATE TABLE usage_rollups_new (
    tenant_id  text NOT NULL,
    hour       bigint NOT NULL,
    type       text NOT NULL,
    model      text NOT NULL,
    channel    text NOT NULL,
    key_mode   text NOT NULL,
    unit       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    amount     numeric NOT NULL DEFAULT 0,
    quantities text NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, hour, type, model, channel, key_mode, unit)
);
INSERT INTO usage_rollups_new (tenant_id, hour, type, model, channel, key_mode, unit, events, amount, quantities)
SELECT tenant_id, hour, type, model, channel, key_mode, unit, SUM(events), SUM(amount),
       COALESCE(jsonb_object_agg(meter, quantity::text) FILTER (WHERE meter <> ''), '{}'::jsonb)::text
FROM usage_rollups GROUP BY tenant_id, hour, type, model, channel, key_mode, unit;
DROP TABLE usage_rollups;
ALTER TABLE usage_rollups_new RENAME TO usage_rollups;
ALTER TABLE usage_rollups RENAME CONSTRAINT usage_rollups_new_pkey TO usage_rollups_pkey;

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
    amount     numeric NOT NULL DEFAULT 0,
    quantities text NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, day, subject, type, model, channel, key_mode, unit)
);
INSERT INTO usage_subject_rollups_new (tenant_id, day, subject, type, model, channel, key_mode, unit, events, amount, quantities)
SELECT tenant_id, day, subject, type, model, channel, key_mode, unit, SUM(events), SUM(amount),
       COALESCE(jsonb_object_agg(meter, quantity::text) FILTER (WHERE meter <> ''), '{}'::jsonb)::text
FROM usage_subject_rollups GROUP BY tenant_id, day, subject, type, model, channel, key_mode, unit;
DROP TABLE usage_subject_rollups;
ALTER TABLE usage_subject_rollups_new RENAME TO usage_subject_rollups;
ALTER TABLE usage_subject_rollups RENAME CONSTRAINT usage_subject_rollups_new_pkey TO usage_subject_rollups_pkey;

CREATE TABLE usage_subject_totals_new (
    tenant_id  text NOT NULL,
    day        bigint NOT NULL,
    subject    text NOT NULL,
    unit       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    amount     numeric NOT NULL DEFAULT 0,
    quantities text NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, day, subject, unit)
);
INSERT INTO usage_subject_totals_new (tenant_id, day, subject, unit, events, amount, quantities)
SELECT tenant_id, day, subject, unit, SUM(events), SUM(amount),
       COALESCE(jsonb_object_agg(meter, quantity::text) FILTER (WHERE meter <> ''), '{}'::jsonb)::text
FROM usage_subject_totals GROUP BY tenant_id, day, subject, unit;
DROP TABLE usage_subject_totals;
ALTER TABLE usage_subject_totals_new RENAME TO usage_subject_totals;
ALTER TABLE usage_subject_totals RENAME CONSTRAINT usage_subject_totals_new_pkey TO usage_subject_totals_pkey;

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
    amount     numeric NOT NULL DEFAULT 0,
    quantities text NOT NULL DEFAULT '{}',
    covers     text NOT NULL DEFAULT '{}',
    paid       text NOT NULL DEFAULT '{}',
    bill_id    text
);
INSERT INTO bill_lines_new (tenant_id, cycle, type, model, channel, price_book, unit, events, amount, quantities, covers, paid, bill_id)
SELECT tenant_id, cycle, type, model, channel, price_book, unit, SUM(events),
       COALESCE(SUM(CASE WHEN item = '' THEN amount END), 0),
       COALESCE(jsonb_object_agg(substr(item, 7), quantity::text) FILTER (WHERE left(item, 6) = 'meter:'), '{}'::jsonb)::text,
       COALESCE(jsonb_object_agg(substr(item, 6), amount::text) FILTER (WHERE left(item, 5) = 'paid:'), '{}'::jsonb)::text,
       COALESCE(jsonb_object_agg(substr(item, 6), paid::text) FILTER (WHERE left(item, 5) = 'paid:'), '{}'::jsonb)::text,
       bill_id
FROM bill_lines GROUP BY tenant_id, cycle, type, model, channel, price_book, unit, bill_id;
DROP TABLE bill_lines;
ALTER TABLE bill_lines_new RENAME TO bill_lines;
CREATE UNIQUE INDEX bill_lines_open ON bill_lines (tenant_id, cycle, type, model, channel, price_book, unit) WHERE bill_id IS NULL;
CREATE INDEX bill_lines_bill ON bill_lines (tenant_id, bill_id);
