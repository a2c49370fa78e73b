-- Search candidates, at most a bound of them: roster_search_ids takes a third argument
-- (sql/functions/roster_search_ids.sql), in place of the unbounded function of 004, which goes.
DROP FUNCTION IF EXISTS roster_search_ids(text, text);
