-- params: ["T00000042",12,["individual","business"],100]
-- prepared: true
SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > 50, false) AS more,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  (SELECT count(*) FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.ancestors @> ARRAY[(SELECT r.id FROM customers r WHERE r.account_id = $1::text AND r.number = $2::bigint LIMIT 1)]::text[] AND c.type = ANY($3::text[])) AS total,
  (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version
FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.number, c.uuid, c.external_id, c.type, c.name, c.display_name, c.first_name, c.last_name, c.email, c.phone_number, c.country, c.gender, c.date_of_birth, c.addresses, c.company, c.status, c.metadata, c.attributes, c.marketing_consent, c.enrolled_by, c.term, c.favorite_store, c.contact_for, c.kyb_status, c.kyc_status, c.kyc_links, c.provider_statuses, c.application, c.application_status, c.parent_id, c.ancestors, c.operator_id, c.parent_name, c.parent_number, c.operator_name, c.operator_number, c.is_sub_client, c.extensions, roster_iso(c.created_at) AS created_at, roster_iso(c.updated_at) AS updated_at, roster_iso(c.deleted_at) AS deleted_at, c.created_by, c.deleted_by, coalesce((SELECT json_agg(json_build_object(
        'product', p.product, 'kyc_status', p.kyc_status, 'kyc_approved_at', roster_iso(p.kyc_approved_at),
        'current_market_value', p.current_market_value::text) ORDER BY p.product)
      FROM product_accounts p WHERE p.account_id = c.account_id AND p.customer_id = c.id), '[]'::json) AS product_accounts, coalesce((SELECT json_agg(t.tag_id ORDER BY t.tag_id)
      FROM customer_tags t WHERE t.account_id = c.account_id AND t.customer_id = c.id), '[]'::json) AS tags) r) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 50) AS records,
    json_agg(json_build_array(json_build_array(c.number), c.id) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 50) AS keys, count(*) AS fetched
  FROM (SELECT c.*, row_number() OVER (ORDER BY c.number DESC) AS _rn FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.number IN (SELECT c.number FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.ancestors @> ARRAY[(SELECT r.id FROM customers r WHERE r.account_id = $1::text AND r.number = $2::bigint LIMIT 1)]::text[] AND c.type = ANY($3::text[])
  ORDER BY c.number DESC LIMIT 51 OFFSET $4::bigint)
  ORDER BY c.number DESC) c) c) p
