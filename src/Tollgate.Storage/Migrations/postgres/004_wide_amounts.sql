-- Amounts past 2^63 (issue 11, item 6): every amount and balance of 10^-8 units becomes numeric (exact, arbitrary
-- precision; the rollup and bill-line sums already were). System accounts get the wider floor of LedgerWork.SystemFloor.
ALTER TABLE tenants ALTER COLUMN cumulative_recharge TYPE numeric;
ALTER TABLE accounts ALTER COLUMN floor TYPE numeric, ALTER COLUMN quota_limit TYPE numeric,
    ALTER COLUMN posted TYPE numeric, ALTER COLUMN pending TYPE numeric;
UPDATE accounts SET floor = -10000000000000000000000000000 WHERE kind IN ('issuance', 'revenue', 'arrears', 'expiry');
ALTER TABLE transfers ALTER COLUMN amount TYPE numeric;
ALTER TABLE holds ALTER COLUMN amount TYPE numeric;
