-- params: ["T00000042",["DK","SE"],["active"]]
-- prepared: true
SELECT (SELECT coalesce(sum(k.n), 0)::bigint FROM customer_counts k WHERE k.account_id = $1::text AND k.dim = 'country,kyb_status' AND k.value IN (SELECT a || chr(31) || b FROM unnest($2::text[]) a, unnest($3::text[]) b)) AS total, (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version
