-- An owner's accounts (the platform's, '', or one end user's) in account order: what every recording, hold and
-- settlement locks, and what an answer's balances list. Without it each of these read every account of the tenant
-- through the primary key: a tenant with ten thousand end users' wallets scanned tens of thousands of rows per event.
CREATE INDEX accounts_owner ON accounts (tenant_id, owner, account_id);
