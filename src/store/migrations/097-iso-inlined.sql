-- roster_iso (migration 045) was declared IMMUTABLE, but to_char is STABLE, and the planner
-- inlines a SQL function only when its body is no more volatile than its declaration: so every
-- timestamp of every record paid for a SQL function call (three per record, ~2 µs each, a fifth
-- of a native page's time in Postgres). STABLE lets it be inlined into the page statement. No
-- index or generated column uses it.
ALTER FUNCTION roster_iso(timestamptz) STABLE;
