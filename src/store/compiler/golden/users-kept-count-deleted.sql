-- params: ["T00000042","admin",["admin"]]
-- prepared: true
SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > 20, false) AS more,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  (SELECT coalesce(sum(k.n), 0)::bigint FROM user_counts k WHERE k.account_id = $1::text AND k.dim = 'role' AND k.value = ANY($3::text[])) AS total,
  NULL::bigint AS version
FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.first_name, c.last_name, c.email, c.role, c.swift_enabled, roster_iso(c.created_at) AS created_at, roster_iso(c.updated_at) AS updated_at, roster_iso(c.deleted_at) AS deleted_at) r) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS records,
    json_agg(json_build_array(json_build_array(c.created_at, c.id), c.id) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS keys, count(*) AS fetched
  FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _rn FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.role = $2::text
  ORDER BY c.created_at DESC, c.id DESC LIMIT 21) c) c) p
