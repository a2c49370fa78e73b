-- params: ["T00000042","active","2024-01-01T00:00:00.000Z","2B5J8KZ9N7M1K3P6Q8R4T7V9abc"]
-- prepared: true
SELECT coalesce((SELECT json_agg((to_jsonb(c) - 'account_id' - 'sort_name' - 'search_text' - 'party_type') || jsonb_build_object(
    'product_accounts', coalesce((SELECT jsonb_agg(jsonb_build_object(
        'product', p.product, 'kyc_status', p.kyc_status, 'kyc_approved_at', p.kyc_approved_at,
        'current_market_value', p.current_market_value::text) ORDER BY p.product)
      FROM product_accounts p WHERE p.account_id = c.account_id AND p.customer_id = c.id), '[]'::jsonb),
    'tags', coalesce((SELECT jsonb_agg(t.tag_id ORDER BY t.tag_id)
      FROM customer_tags t WHERE t.account_id = c.account_id AND t.customer_id = c.id), '[]'::jsonb),
    -- Integer numbers of the owner and operator, for APIs that name customers by number:
    -- primary-key lookups in the same statement, never a query per row.
    'parent_number', (SELECT o.number FROM customers o WHERE o.account_id = c.account_id AND o.id = c.parent_id),
    'operator_number', (SELECT o.number FROM customers o WHERE o.account_id = c.account_id AND o.id = c.operator_id)) || jsonb_build_object('_k', jsonb_build_array(c.kyb_status, c.created_at, c.id)) ORDER BY c.kyb_status DESC, c.created_at ASC, c.id ASC)
  FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND ((c.kyb_status < $2::text) OR (c.kyb_status = $2::text AND c.created_at > $3::timestamptz) OR (c.kyb_status = $2::text AND c.created_at = $3::timestamptz AND c.id > $4::text))
  ORDER BY c.kyb_status DESC, c.created_at ASC, c.id ASC LIMIT 21) c), '[]') AS records,
  NULL::boolean AS anchor_found,
  EXISTS (SELECT 1 FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND ((c.kyb_status > $2::text) OR (c.kyb_status = $2::text AND c.created_at < $3::timestamptz) OR (c.kyb_status = $2::text AND c.created_at = $3::timestamptz AND c.id <= $4::text))) AS has_other_side,
  NULL::bigint AS total,
  NULL::bigint AS version
