-- Made by `npm run golden` from the counted fields of customers in src/store/compiler/resources.ts:
-- change them there. Changed counted fields need a migration that counts every account again
-- (SELECT roster_recount(account_id) FROM account_modes), as 096 does.
--
-- The counters a record adds to: the whole account (dim ''), each counted field that has a value
-- (an equality filter never matches NULL), and each pair of those: dim 'kyb_status,type' (the two
-- names in "C" order, as the compiler sorts them), value 'active' || chr(31) || 'business' (a
-- separator no counted value holds). Booleans are kept as their text form, which is what the
-- compiler compares against after casting a filter value to boolean. And one counter for the
-- combination of all of them (dim '*': every counted field's value in the order of their names,
-- chr(31) between, chr(30) for none), which answers a count filtered by any three or more of
-- them: an account has one such counter per combination its records hold, however many records.
CREATE OR REPLACE FUNCTION roster_customer_count_keys(c customers) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH k (dim, value) AS (
    SELECT * FROM (VALUES ('application_status', c.application_status), ('country', c.country),
                          ('is_sub_client', c.is_sub_client::text), ('kyb_status', c.kyb_status),
                          ('kyc_status', c.kyc_status), ('status', c.status), ('type', c.type)) AS v (dim, value)
     WHERE value IS NOT NULL)
  SELECT '', ''
  UNION ALL
  SELECT dim, value FROM k
  UNION ALL
  SELECT a.dim || ',' || b.dim, a.value || chr(31) || b.value FROM k a, k b WHERE a.dim COLLATE "C" < b.dim COLLATE "C"
  UNION ALL
  SELECT '*', coalesce(c.application_status, chr(30)) || chr(31) || coalesce(c.country, chr(30)) || chr(31) || coalesce(c.is_sub_client::text, chr(30))
           || chr(31) || coalesce(c.kyb_status, chr(30)) || chr(31) || coalesce(c.kyc_status, chr(30)) || chr(31) || coalesce(c.status, chr(30))
           || chr(31) || coalesce(c.type, chr(30))
$$;
