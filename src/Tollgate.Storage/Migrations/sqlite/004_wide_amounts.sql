-- Amounts past 2^63 (issue 11, item 6): every amount, balance and sum of 10^-8 units becomes canonical integer text
-- ('-123', no point, no leading zeros), added exactly by the units_add and units_sum functions that SqliteDialect
-- registers on each connection (SQLite's own integers overflow at 9.2e18, its REAL keeps 15 digits). SQLite cannot
-- change a column's type, so each table is copied. System accounts get the wider floor of LedgerWork.SystemFloor.
CREATE TABLE tenants_new (
    tenant_id           text PRIMARY KEY,
    settings            text NOT NULL,
    cumulative_recharge text NOT NULL DEFAULT '0',
    created_at          bigint NOT NULL
);
INSERT INTO tenants_new SELECT tenant_id, settings, CAST(cumulative_recharge AS TEXT), created_at FROM tenants;
DROP TABLE tenants;
ALTER TABLE tenants_new RENAME TO tenants;

CREATE TABLE accounts_new (
    tenant_id    text NOT NULL,
    account_id   INTEGER PRIMARY KEY,
    owner        text NOT NULL,
    kind         text NOT NULL,
    unit         text NOT NULL,
    scope        text NOT NULL DEFAULT '{}',
    floor        text NOT NULL DEFAULT '0',
    expires_at   bigint,
    priority     integer NOT NULL DEFAULT 0,
    quota_period text,
    quota_limit  text,
    period_start bigint,
    posted       text NOT NULL DEFAULT '0',
    pending      text NOT NULL DEFAULT '0'
);
INSERT INTO accounts_new SELECT tenant_id, account_id, owner, kind, unit, scope,
    CASE WHEN kind IN ('issuance', 'revenue', 'arrears', 'expiry') THEN '-10000000000000000000000000000' ELSE CAST(floor AS TEXT) END,
    expires_at, priority, quota_period, CAST(quota_limit AS TEXT), period_start, CAST(posted AS TEXT), CAST(pending AS TEXT) FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE UNIQUE INDEX accounts_tenant ON accounts (tenant_id, account_id);
CREATE UNIQUE INDEX accounts_system ON accounts (tenant_id, owner, kind, unit) WHERE kind IN ('issuance', 'revenue', 'arrears', 'expiry');

CREATE TABLE transfers_new (
    tenant_id      text NOT NULL,
    transfer_id    INTEGER PRIMARY KEY,
    debit_account  bigint NOT NULL,
    credit_account bigint NOT NULL,
    amount         text NOT NULL CHECK (amount GLOB '[1-9]*' AND amount NOT GLOB '*[^0-9]*'),
    unit           text NOT NULL,
    kind           text NOT NULL,
    pending        integer NOT NULL DEFAULT 0,
    pending_id     bigint,
    event_id       text,
    hold_id        text,
    created_at     bigint NOT NULL
);
INSERT INTO transfers_new SELECT tenant_id, transfer_id, debit_account, credit_account, CAST(amount AS TEXT), unit, kind, pending, pending_id, event_id, hold_id, created_at FROM transfers;
DROP TABLE transfers;
ALTER TABLE transfers_new RENAME TO transfers;
CREATE UNIQUE INDEX transfers_tenant ON transfers (tenant_id, transfer_id);
CREATE INDEX transfers_event ON transfers (tenant_id, event_id);
CREATE INDEX transfers_hold ON transfers (tenant_id, hold_id);
CREATE INDEX transfers_time ON transfers (tenant_id, created_at, transfer_id);

CREATE TABLE holds_new (
    tenant_id  text NOT NULL,
    hold_id    text NOT NULL,
    status     text NOT NULL,
    unit       text NOT NULL,
    amount     text NOT NULL,
    payer      text NOT NULL,
    expires_at bigint NOT NULL,
    created_at bigint NOT NULL,
    result     text,
    PRIMARY KEY (tenant_id, hold_id)
);
INSERT INTO holds_new SELECT tenant_id, hold_id, status, unit, CAST(amount AS TEXT), payer, expires_at, created_at, result FROM holds;
DROP TABLE holds;
ALTER TABLE holds_new RENAME TO holds;
CREATE INDEX holds_expiry ON holds (status, expires_at);

CREATE TABLE usage_rollups_new (
    tenant_id text NOT NULL,
    hour      bigint NOT NULL,
    type      text NOT NULL,
    model     text NOT NULL,
    channel   text NOT NULL,
    key_mode  text NOT NULL,
    unit      text NOT NULL,
    meter     text NOT NULL,
    events    bigint NOT NULL DEFAULT 0,
    quantity  text NOT NULL DEFAULT '0',
    amount    text NOT NULL DEFAULT '0',
    PRIMARY KEY (tenant_id, hour, type, model, channel, key_mode, unit, meter)
);
INSERT INTO usage_rollups_new SELECT tenant_id, hour, type, model, channel, key_mode, unit, meter, events, CAST(quantity AS TEXT), CAST(amount AS TEXT) FROM usage_rollups;
DROP TABLE usage_rollups;
ALTER TABLE usage_rollups_new RENAME TO usage_rollups;

CREATE TABLE usage_subject_rollups_new (
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
    quantity  text NOT NULL DEFAULT '0',
    amount    text NOT NULL DEFAULT '0',
    PRIMARY KEY (tenant_id, day, subject, type, model, channel, key_mode, unit, meter)
);
INSERT INTO usage_subject_rollups_new SELECT tenant_id, day, subject, type, model, channel, key_mode, unit, meter, events, CAST(quantity AS TEXT), CAST(amount AS TEXT) FROM usage_subject_rollups;
DROP TABLE usage_subject_rollups;
ALTER TABLE usage_subject_rollups_new RENAME TO usage_subject_rollups;

CREATE TABLE bill_lines_new (
    tenant_id  text NOT NULL,
    cycle      text NOT NULL,
    type       text NOT NULL,
    model      text NOT NULL,
    channel    text NOT NULL,
    price_book text NOT NULL,
    unit       text NOT NULL,
    item       text NOT NULL,
    events     bigint NOT NULL DEFAULT 0,
    quantity   text NOT NULL DEFAULT '0',
    amount     text NOT NULL DEFAULT '0',
    paid       text NOT NULL DEFAULT '0',
    bill_id    text
);
INSERT INTO bill_lines_new SELECT tenant_id, cycle, type, model, channel, price_book, unit, item, events, CAST(quantity AS TEXT), CAST(amount AS TEXT), CAST(paid AS TEXT), bill_id FROM bill_lines;
DROP TABLE bill_lines;
ALTER TABLE bill_lines_new RENAME TO bill_lines;
CREATE UNIQUE INDEX bill_lines_open ON bill_lines (tenant_id, cycle, type, model, channel, price_book, unit, item) WHERE bill_id IS NULL;
CREATE INDEX bill_lines_bill ON bill_lines (tenant_id, bill_id);
