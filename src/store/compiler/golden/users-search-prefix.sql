-- params: ["T00000042",["admin"],"a@b.c","%gra%","gra%"]
-- prepared: false
SELECT coalesce((SELECT json_agg(to_jsonb(c) - 'account_id' - 'sort_name' - 'sort_email' - 'search_text' || jsonb_build_object('_k', jsonb_build_array(c.created_at, c.id)) ORDER BY c.created_at DESC, c.id DESC)
  FROM (SELECT c.* FROM users c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.role = ANY($2::text[]) AND c.sort_email = $3::text AND c.search_text LIKE $4::text AND (lower(c.first_name) LIKE $5::text OR lower(c.last_name) LIKE $5::text OR c.sort_email LIKE $5::text OR lower(c.id) LIKE $5::text)
  ORDER BY c.created_at DESC, c.id DESC LIMIT 21) c), '[]') AS records,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  NULL::bigint AS total,
  NULL::bigint AS version
