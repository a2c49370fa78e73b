-- params: ["T00000042","admin","a@b.c","%gra%","gra%"]
-- prepared: true
WITH sample AS MATERIALIZED (SELECT * FROM roster_search_sample('users', $4::text, 200)),
cand AS MATERIALIZED (SELECT roster_search_ids('users', (SELECT probe FROM sample), 3001) AS id),
walk_short AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _n FROM (SELECT c.created_at, c.id, c.search_text LIKE $4::text AND (lower(c.first_name) LIKE $5::text OR lower(c.last_name) LIKE $5::text OR c.sort_email LIKE $5::text OR lower(c.id) LIKE $5::text) AS _hit FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.role = $2::text AND c.sort_email = $3::text ORDER BY c.created_at DESC, c.id DESC LIMIT (SELECT 1050)) c) c
  WHERE (c._hit AND c._n < (SELECT 1050)) OR c._n = (SELECT 1050) ORDER BY c.created_at DESC, c.id DESC LIMIT 21),
walk_long AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _n FROM (SELECT c.created_at, c.id, c.search_text LIKE $4::text AND (lower(c.first_name) LIKE $5::text OR lower(c.last_name) LIKE $5::text OR c.sort_email LIKE $5::text OR lower(c.id) LIKE $5::text) AS _hit FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.role = $2::text AND c.sort_email = $3::text ORDER BY c.created_at DESC, c.id DESC LIMIT (SELECT 21000)) c) c
  WHERE (c._hit AND c._n < (SELECT 21000)) OR c._n = (SELECT 21000) ORDER BY c.created_at DESC, c.id DESC LIMIT 21),
walk_way AS MATERIALIZED (SELECT CASE WHEN (SELECT rare FROM sample) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT coalesce((SELECT most > 3000 FROM sample), false) AND NOT EXISTS (SELECT 1 FROM walk_short w WHERE w._n = (SELECT 1050)) THEN 1 WHEN NOT coalesce((SELECT most > 3000 FROM sample), false) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT EXISTS (SELECT 1 FROM walk_long w WHERE w._n = (SELECT 21000)) THEN 3 ELSE 4 END AS n)
SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > 20, false) AS more,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  NULL::bigint AS total,
  NULL::bigint AS version
FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.first_name, c.last_name, c.email, c.role, c.swift_enabled, roster_iso(c.created_at) AS created_at, roster_iso(c.updated_at) AS updated_at, roster_iso(c.deleted_at) AS deleted_at) r) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS records,
    json_agg(json_build_array(json_build_array(c.created_at, c.id), c.id) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS keys, count(*) AS fetched
  FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _rn FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.id IN ((SELECT w.id FROM walk_short w WHERE (SELECT n FROM walk_way) = 1 AND w._hit ORDER BY w._n LIMIT 21)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.role = $2::text AND c.sort_email = $3::text AND c.id IN (SELECT id FROM cand) AND c.search_text LIKE $4::text AND (lower(c.first_name) LIKE $5::text OR lower(c.last_name) LIKE $5::text OR c.sort_email LIKE $5::text OR lower(c.id) LIKE $5::text) OFFSET 0) c WHERE TRUE AND (SELECT n FROM walk_way) = 2
    ORDER BY c.created_at DESC, c.id DESC LIMIT 21)
  UNION ALL (SELECT w.id FROM walk_long w WHERE (SELECT n FROM walk_way) = 3 AND w._hit ORDER BY w._n LIMIT 21)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.role = $2::text AND c.sort_email = $3::text AND c.id IN (SELECT roster_search_ids('users', (SELECT probe FROM sample)) AS id) AND c.search_text LIKE $4::text AND (lower(c.first_name) LIKE $5::text OR lower(c.last_name) LIKE $5::text OR c.sort_email LIKE $5::text OR lower(c.id) LIKE $5::text) OFFSET 0) c WHERE TRUE AND (SELECT n FROM walk_way) = 4
    ORDER BY c.created_at DESC, c.id DESC LIMIT 21))) c) c) p
