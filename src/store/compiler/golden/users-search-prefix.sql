-- params: ["T00000042",["admin"],"a@b.c","%gra%","gra%"]
-- prepared: false
SELECT coalesce((SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.first_name, c.last_name, c.email, c.role, c.swift_enabled, c.created_at, c.updated_at, c.deleted_at, jsonb_build_array(c.created_at, c.id) AS _k) r) ORDER BY c.created_at DESC, c.id DESC)
  FROM (SELECT c.* FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.role = ANY($2::text[]) AND c.sort_email = $3::text AND c.id IN (SELECT roster_search_ids('users', $4::text)) AND (lower(c.first_name) LIKE $5::text OR lower(c.last_name) LIKE $5::text OR c.sort_email LIKE $5::text OR lower(c.id) LIKE $5::text) OFFSET 0) c WHERE TRUE
  ORDER BY c.created_at DESC, c.id DESC LIMIT 21) c), '[]') AS records,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  NULL::bigint AS total,
  NULL::bigint AS version
