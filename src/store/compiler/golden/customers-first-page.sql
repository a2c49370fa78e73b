-- params: ["T00000042"]
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
    'operator_number', (SELECT o.number FROM customers o WHERE o.account_id = c.account_id AND o.id = c.operator_id)) || jsonb_build_object('_k', jsonb_build_array(c.sort_name, c.id)) ORDER BY c.sort_name ASC, c.id ASC)
  FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL
  ORDER BY c.sort_name ASC, c.id ASC LIMIT 21) c), '[]') AS records,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  (SELECT count(*) FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL) AS total,
  (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version
