-- params: ["T00000042",["DK","SE"],["true"],["active"]]
-- prepared: true
SELECT (SELECT coalesce(sum(k.n), 0)::bigint FROM customer_counts k WHERE k.account_id = $1::text AND k.dim = '*' AND split_part(k.value, chr(31), 2) = ANY($2::text[]) AND split_part(k.value, chr(31), 3) = ANY($3::text[]::boolean[]::text[]) AND split_part(k.value, chr(31), 4) = ANY($4::text[]) AND k.live) AS total, (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version
