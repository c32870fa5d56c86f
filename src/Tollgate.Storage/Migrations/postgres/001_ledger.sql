-- Tenants, accounts, events, transfers and holds. tenant_id leads every key, so the tables can later be
-- distributed by tenant. Amounts are integers of 10^-8 units (see LedgerAmount).
CREATE TABLE tenants (
    tenant_id           text PRIMARY KEY,
    settings            text NOT NULL,               -- JSON: TenantSettings
    cumulative_recharge bigint NOT NULL DEFAULT 0,   -- in the recharge currency's 10^-8 units
    created_at          bigint NOT NULL
);

CREATE TABLE accounts (
    tenant_id    text NOT NULL,
    account_id   bigint GENERATED ALWAYS AS IDENTITY,
    owner        text NOT NULL,                      -- '' for the tenant itself, else the end user (event subject)
    kind         text NOT NULL,                      -- recharge, bonus, resource_pack, free_quota, issuance, revenue, arrears, expiry
    unit         text NOT NULL,
    scope        text NOT NULL DEFAULT '{}',         -- JSON: types, models, channels
    floor        bigint NOT NULL DEFAULT 0,          -- the lowest posted - pending may go; NULL-free: system accounts use a huge negative floor
    expires_at   bigint,                             -- unix ms
    priority     integer NOT NULL DEFAULT 0,
    quota_period text,                               -- free quotas: 'lifetime' or 'day'
    quota_limit  bigint,
    period_start bigint,                             -- unix ms of the period the quota balance belongs to
    posted       bigint NOT NULL DEFAULT 0,
    pending      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, account_id)
);
CREATE UNIQUE INDEX accounts_system ON accounts (tenant_id, owner, kind, unit) WHERE kind IN ('issuance', 'revenue', 'arrears', 'expiry');

CREATE TABLE events (
    tenant_id   text NOT NULL,
    event_id    text NOT NULL,
    body_hash   text NOT NULL,
    status      text NOT NULL,                       -- charged, rejected
    event_time  bigint NOT NULL,
    recorded_at bigint NOT NULL,
    result      text NOT NULL,                       -- JSON: the answer given, returned again on a repeat
    PRIMARY KEY (tenant_id, event_id)
);

CREATE TABLE transfers (
    tenant_id      text NOT NULL,
    transfer_id    bigint GENERATED ALWAYS AS IDENTITY,
    debit_account  bigint NOT NULL,
    credit_account bigint NOT NULL,
    amount         bigint NOT NULL CHECK (amount > 0),
    unit           text NOT NULL,
    kind           text NOT NULL,                    -- topup, grant, usage, arrears, settle_arrears, hold, capture, void, expire, quota_reset, adjustment
    pending        boolean NOT NULL DEFAULT false,
    pending_id     bigint,                           -- for capture and void: the pending transfer they resolve
    event_id       text,
    hold_id        text,
    created_at     bigint NOT NULL,
    PRIMARY KEY (tenant_id, transfer_id)
);
CREATE INDEX transfers_event ON transfers (tenant_id, event_id);
CREATE INDEX transfers_hold ON transfers (tenant_id, hold_id);

CREATE TABLE holds (
    tenant_id  text NOT NULL,
    hold_id    text NOT NULL,
    status     text NOT NULL,                        -- held, settled, released, expired
    unit       text NOT NULL,
    amount     bigint NOT NULL,
    payer      text NOT NULL,
    expires_at bigint NOT NULL,
    created_at bigint NOT NULL,
    result     text,                                 -- JSON: the settle answer, returned again on a repeat
    PRIMARY KEY (tenant_id, hold_id)
);
CREATE INDEX holds_expiry ON holds (status, expires_at);

CREATE TABLE topups (
    tenant_id  text NOT NULL,
    topup_id   text NOT NULL,
    body_hash  text NOT NULL,
    result     text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, topup_id)
);
