-- Exact counts kept on write. An exact count(*) reads every matching index entry: 76 ms at 1M
-- customers, 1.5 s at 10M, and the versioned count cache only helps until the next write. These
-- tables hold, per account, how many live and how many deleted records there are in all
-- (dim '') and per value of each field the list APIs filter on by equality; a count of the
-- whole account, or of one such filter, is then a sum of a few rows read in the list
-- statement's own snapshot, so it is exact.
--
-- Counted: the fields the dialects filter on by equality that have few values per account
-- (type, country, status, the KYB, KYC and application statuses, the sub-client flag; a user's
-- role). party_type is derived from type and no dialect filters on it. parent_id and
-- operator_id are left out: they have up to one value per customer, a count of one parent's
-- children is already a short range of its own index, and a move of a subtree rewrites
-- operator_id on every record below it.
CREATE TABLE customer_counts (
  account_id  text COLLATE "C" NOT NULL,
  dim         text COLLATE "C" NOT NULL,
  value       text COLLATE "C" NOT NULL,
  live        boolean NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (account_id, dim, value, live)
);

CREATE TABLE user_counts (
  account_id  text COLLATE "C" NOT NULL,
  dim         text COLLATE "C" NOT NULL,
  value       text COLLATE "C" NOT NULL,
  live        boolean NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (account_id, dim, value, live)
);

-- The counters each record adds to (made from the counted fields in resources.ts), the triggers
-- that keep them on every write, and the recount that fills them for the records there are:
-- their current definitions, applied here so the counters start exact, in one transaction with
-- the triggers that keep them so.
\ir ../sql/functions/roster_customer_count_keys.sql
\ir ../sql/functions/roster_user_count_keys.sql
\ir ../sql/triggers/roster_count_rows.sql
\ir ../sql/triggers/roster_forget_counts.sql
\ir ../sql/functions/roster_recount.sql

SELECT roster_recount(account_id) FROM account_modes ORDER BY account_id;

GRANT SELECT ON customer_counts, user_counts TO roster_app;
ALTER TABLE customer_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON customer_counts TO roster_app USING (account_id = current_setting('roster.account_id', true));
CREATE POLICY tenant ON user_counts TO roster_app USING (account_id = current_setting('roster.account_id', true));
