-- params: ["T00000042","business","%smith%"]
-- prepared: true
SELECT count(*) AS total, (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.type = $2::text AND c.id IN (SELECT roster_search_ids('customers', roster_search_probe('customers', $3::text))) AND c.search_text LIKE $3::text AND (lower(c.display_name) LIKE $3::text OR lower(c.email) LIKE $3::text)
