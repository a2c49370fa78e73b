-- Made by `npm run golden` from the counted fields of users in src/store/compiler/resources.ts:
-- change them there. Changed counted fields need a migration that counts every account again
-- (SELECT roster_recount(account_id) FROM account_modes), as 096 does.
--
-- The counters a record adds to: the whole account (dim ''), and each counted field that has a
-- value (an equality filter never matches NULL). No pairs.
CREATE OR REPLACE FUNCTION roster_user_count_keys(u users) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k.dim, k.value FROM (VALUES ('', ''), ('role', u.role)) AS k (dim, value) WHERE k.value IS NOT NULL
$$;
