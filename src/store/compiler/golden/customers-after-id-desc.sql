-- params: ["T00000042","2B5J8KZ9N7M1K3P6Q8R4T7V9abc"]
-- prepared: true
WITH anchor AS (SELECT c.created_at AS k0, c.id AS k1 FROM customers c WHERE c.account_id = $1::text AND c.id = $2::text)
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
    'operator_number', (SELECT o.number FROM customers o WHERE o.account_id = c.account_id AND o.id = c.operator_id)) || jsonb_build_object('_k', jsonb_build_array(c.created_at, c.id)) ORDER BY c.created_at DESC, c.id DESC)
  FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND (c.created_at, c.id) < ((SELECT k0 FROM anchor), (SELECT k1 FROM anchor))
  ORDER BY c.created_at DESC, c.id DESC LIMIT 8) c), '[]') AS records,
  EXISTS (SELECT 1 FROM anchor) AS anchor_found,
  EXISTS (SELECT 1 FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND (c.created_at, c.id) >= ((SELECT k0 FROM anchor), (SELECT k1 FROM anchor))) AS has_other_side,
  NULL::bigint AS total,
  NULL::bigint AS version
