-- params: ["T00000042","admin","An","2025-01-01T00:00:00Z"]
-- prepared: true
SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > 20, false) AS more,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  NULL::bigint AS total,
  NULL::bigint AS version
FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.first_name, c.last_name, c.email, c.role, c.swift_enabled, roster_iso(c.created_at) AS created_at, roster_iso(c.updated_at) AS updated_at, roster_iso(c.deleted_at) AS deleted_at) r) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS records,
    json_agg(json_build_array(json_build_array(c.sort_name, c.id), c.id) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS keys, count(*) AS fetched
  FROM (SELECT c.*, row_number() OVER (ORDER BY c.sort_name ASC, c.id ASC) AS _rn FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND NOT (c.role = (SELECT $2::text)) AND starts_with(c.first_name, $3::text) AND c.created_at < $4::timestamptz
  ORDER BY c.sort_name ASC, c.id ASC LIMIT 21) c) c) p
