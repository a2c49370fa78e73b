-- params: ["T00000042","%example%","2025-01-01T00:00:00.000Z","2B5J8KZ9N7M1K3P6Q8R4T7V9abc"]
-- prepared: true
WITH sample AS MATERIALIZED (SELECT * FROM roster_search_sample('customers', $2::text, 200)),
cand AS MATERIALIZED (SELECT roster_search_ids('customers', (SELECT probe FROM sample), 3001) AS id),
other_short AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.updated_at ASC, c.id ASC) AS _n FROM (SELECT c.updated_at, c.id, c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) AS _hit FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND (c.updated_at, c.id) >= ($3::timestamptz, $4::text) ORDER BY c.updated_at ASC, c.id ASC LIMIT (SELECT 50)) c) c
  WHERE (c._hit AND c._n < (SELECT 50)) OR c._n = (SELECT 50) ORDER BY c.updated_at ASC, c.id ASC LIMIT 1),
other_long AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.updated_at ASC, c.id ASC) AS _n FROM (SELECT c.updated_at, c.id, c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) AS _hit FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND (c.updated_at, c.id) >= ($3::timestamptz, $4::text) ORDER BY c.updated_at ASC, c.id ASC LIMIT (SELECT 1000)) c) c
  WHERE (c._hit AND c._n < (SELECT 1000)) OR c._n = (SELECT 1000) ORDER BY c.updated_at ASC, c.id ASC LIMIT 1),
other_way AS MATERIALIZED (SELECT CASE WHEN (SELECT rare FROM sample) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT EXISTS (SELECT 1 FROM other_short w WHERE w._n = (SELECT 50)) THEN 1 WHEN NOT coalesce((SELECT most > 3000 FROM sample), false) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT EXISTS (SELECT 1 FROM other_long w WHERE w._n = (SELECT 1000)) THEN 3 ELSE 4 END AS n),
walk_short AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.updated_at DESC, c.id DESC) AS _n FROM (SELECT c.updated_at, c.id, c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) AS _hit FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND (c.updated_at, c.id) < ($3::timestamptz, $4::text) ORDER BY c.updated_at DESC, c.id DESC LIMIT (SELECT 300)) c) c
  WHERE (c._hit AND c._n < (SELECT 300)) OR c._n = (SELECT 300) ORDER BY c.updated_at DESC, c.id DESC LIMIT 6),
walk_long AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.updated_at DESC, c.id DESC) AS _n FROM (SELECT c.updated_at, c.id, c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) AS _hit FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND (c.updated_at, c.id) < ($3::timestamptz, $4::text) ORDER BY c.updated_at DESC, c.id DESC LIMIT (SELECT 6000)) c) c
  WHERE (c._hit AND c._n < (SELECT 6000)) OR c._n = (SELECT 6000) ORDER BY c.updated_at DESC, c.id DESC LIMIT 6),
walk_way AS MATERIALIZED (SELECT CASE WHEN (SELECT rare FROM sample) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT EXISTS (SELECT 1 FROM walk_short w WHERE w._n = (SELECT 300)) THEN 1 WHEN NOT coalesce((SELECT most > 3000 FROM sample), false) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT EXISTS (SELECT 1 FROM walk_long w WHERE w._n = (SELECT 6000)) THEN 3 ELSE 4 END AS n)
SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > 5, false) AS more,
  NULL::boolean AS anchor_found,
  EXISTS ((SELECT w.id FROM other_short w WHERE (SELECT n FROM other_way) = 1 AND w._hit ORDER BY w._n LIMIT 1)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.id IN (SELECT id FROM cand) AND c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) OFFSET 0) c WHERE TRUE AND (SELECT n FROM other_way) = 2 AND (c.updated_at, c.id) >= ($3::timestamptz, $4::text)
    ORDER BY c.updated_at ASC, c.id ASC LIMIT 1)
  UNION ALL (SELECT w.id FROM other_long w WHERE (SELECT n FROM other_way) = 3 AND w._hit ORDER BY w._n LIMIT 1)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.id IN (SELECT roster_search_ids('customers', (SELECT probe FROM sample)) AS id) AND c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) OFFSET 0) c WHERE TRUE AND (SELECT n FROM other_way) = 4 AND (c.updated_at, c.id) >= ($3::timestamptz, $4::text)
    ORDER BY c.updated_at ASC, c.id ASC LIMIT 1)) AS has_other_side,
  (SELECT count(*) FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.id IN (SELECT roster_search_ids('customers', (SELECT probe FROM sample)) AS id) AND c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) OFFSET 0) c WHERE TRUE) AS total,
  (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version
FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.name, roster_iso(c.created_at) AS created_at) r) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 5) AS records,
    json_agg(json_build_array(json_build_array(c.updated_at, c.id), c.id) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 5) AS keys, count(*) AS fetched
  FROM (SELECT c.*, row_number() OVER (ORDER BY c.updated_at DESC, c.id DESC) AS _rn FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.id IN ((SELECT w.id FROM walk_short w WHERE (SELECT n FROM walk_way) = 1 AND w._hit ORDER BY w._n LIMIT 6)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.id IN (SELECT id FROM cand) AND c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) OFFSET 0) c WHERE TRUE AND (SELECT n FROM walk_way) = 2 AND (c.updated_at, c.id) < ($3::timestamptz, $4::text)
    ORDER BY c.updated_at DESC, c.id DESC LIMIT 6)
  UNION ALL (SELECT w.id FROM walk_long w WHERE (SELECT n FROM walk_way) = 3 AND w._hit ORDER BY w._n LIMIT 6)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.id IN (SELECT roster_search_ids('customers', (SELECT probe FROM sample)) AS id) AND c.search_text LIKE $2::text AND (lower(c.email) LIKE $2::text) OFFSET 0) c WHERE TRUE AND (SELECT n FROM walk_way) = 4 AND (c.updated_at, c.id) < ($3::timestamptz, $4::text)
    ORDER BY c.updated_at DESC, c.id DESC LIMIT 6))) c) c) p
