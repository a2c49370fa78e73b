-- One counting trigger function for both counted tables, roster_count_rows, in place of a copy
-- per table (migration 070): its triggers name the counters table and the keys function. The
-- triggers keep their names, and with them their place after the write-version triggers. The
-- function and its triggers: sql/triggers/roster_count_rows.sql, applied here so the old
-- functions can go.
\ir ../sql/triggers/roster_count_rows.sql
DROP FUNCTION IF EXISTS roster_count_customers();
DROP FUNCTION IF EXISTS roster_count_users();
