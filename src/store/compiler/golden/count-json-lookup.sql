-- params: ["T00000042","business",["{\"tier\":\"gold\"}"]]
-- prepared: true
SELECT count(*) AS total, (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.type = $2::text AND c.id IN (SELECT roster_json_ids('attributes', (SELECT $3::text[]::jsonb[])) AS id) AND c.attributes @> (SELECT $3::text[]::jsonb[])[1]
