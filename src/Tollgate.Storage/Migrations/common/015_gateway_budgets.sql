-- The gateway's soft limit per key (an alert once per period, never a refusal) and hard budgets per end user (the
-- keys' subject), shared by every key of that user. End users' budget usage is counted in gateway_budget_usage under
-- key_id 'user:<subject>', a key's soft-limit spending under 'soft:<key_id>' (key ids are hex, so never collide).
ALTER TABLE gateway_keys ADD COLUMN soft_limit bigint;
ALTER TABLE gateway_keys ADD COLUMN soft_limit_period text;

CREATE TABLE gateway_user_budgets (
    tenant_id     text NOT NULL,
    subject       text NOT NULL,
    budget        bigint NOT NULL,                   -- hard spend limit per period, in 10^-8 of the charge's unit
    budget_period text NOT NULL,                     -- day or month (in the tenant's zone) or lifetime
    PRIMARY KEY (tenant_id, subject)
);
